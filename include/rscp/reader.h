/* librscp: streaming frame reader. Pure (no sockets, no clock).
 *
 * Feed it the bytes as they arrive, in chunks of any size; take out zero or
 * more complete, verified frames. With a cipher attached it decrypts the
 * stream block by block, continuing the receive IV chain, finds each frame's
 * end from its header, verifies its CRC and that the padding after it is
 * zero (PROTOCOL.md §6).
 *
 *     rscp_reader *r; rscp_reader_new(&r);
 *     rscp_reader_set_cipher(r, cipher);          // optional
 *     for (;;) {
 *         n = recv(fd, tmp, sizeof tmp, 0);
 *         for (size_t off = 0; off < n; ) {
 *             int k = rscp_reader_feed(r, tmp + off, n - off);
 *             if (k < 0) fail(k);
 *             off += (size_t)k;
 *             while ((rc = rscp_reader_next(r, &frame)) == 1) use(&frame);
 *             if (rc < 0) fail(rc);
 *         }
 *     }
 *
 * Memory: one buffer of RSCP_MAX_WIRE_SIZE + 32 bytes, allocated by
 * rscp_reader_new(); nothing is allocated per frame. A reader made with
 * rscp_reader_new_lazy() starts without a buffer and grows it as the bytes
 * buffered need (powers of two from 512 up to the same maximum);
 * rscp_reader_trim() gives it back when nothing is pending (for servers
 * holding many mostly idle connections).
 *
 * Errors are sticky: after a framing, CRC, padding or limit error every call
 * returns it until rscp_reader_reset() (for an encrypted stream the IV chain
 * is broken: rebuild the connection). Not thread-safe. */
#ifndef RSCP_READER_H
#define RSCP_READER_H

#include "rscp/cipher.h"
#include "rscp/common.h"
#include "rscp/frame.h"
#include "rscp/value.h"

typedef struct rscp_reader rscp_reader;

RSCP_BEGIN_DECLS

/* Create a plaintext reader with the default limits. Returns 0 and *out, or
 * RSCP_ERR_NOMEM / RSCP_ERR_ARG (out NULL); *out is NULL on error. Free
 * with rscp_reader_free(). */
RSCP_API int rscp_reader_new(rscp_reader **out);

/* Like rscp_reader_new(), but the buffer is allocated by
 * rscp_reader_feed() as the bytes need it: feeding may then also return
 * RSCP_ERR_NOMEM (not sticky; nothing taken). */
RSCP_API int rscp_reader_new_lazy(rscp_reader **out);

/* A lazy reader with nothing pending: wipe and free its buffer (the next
 * feed allocates again). Does nothing otherwise; NULL accepted. Frames
 * taken out before are invalid afterwards. */
RSCP_API void rscp_reader_trim(rscp_reader *r);

/* Bytes the buffer holds now (0 for a lazy reader without one). */
RSCP_API size_t rscp_reader_capacity(const rscp_reader *r);

/* Wipe the bytes ever written to the buffer (decrypted frames may hold
 * passwords) and free; NULL accepted. The cipher, if any, is not freed. */
RSCP_API void rscp_reader_free(rscp_reader *r);

/* Decrypt incoming bytes with c's receive IV chain (NULL: plaintext). The
 * reader borrows c; it must outlive the reader or be detached; it advances
 * c's receive IV and must not be used to decrypt anything else meanwhile.
 * Set it before feeding the first byte of the stream: bytes already
 * buffered are not decrypted. */
RSCP_API void rscp_reader_set_cipher(rscp_reader *r, rscp_cipher *c);

/* Replace the limits (frame data length, depth, blocks, flags) for the
 * frames taken out from now on; kept across rscp_reader_reset(). Returns 0,
 * or RSCP_ERR_ARG (limits NULL, max_data_len > 65,535 or a limit 0) leaving
 * the old limits in place. */
RSCP_API int rscp_reader_set_limits(rscp_reader *r, const struct rscp_limits *limits);

/* Append received bytes (copied: data may be reused after the call).
 * Returns the number of bytes taken (0..len; fewer than len only when the
 * buffer holds a whole frame not yet taken out with rscp_reader_next()),
 * the sticky error, or RSCP_ERR_ARG (data NULL with len > 0). */
RSCP_API int rscp_reader_feed(rscp_reader *r, const void *data, size_t len);

/* Take out the next complete frame. Returns 1 and fills *out (a view into
 * the reader's buffer, valid until the next rscp_reader_feed() or
 * rscp_reader_reset() on r; frames taken out one after the other stay
 * valid together), 0 when more bytes are needed, or a negative error, all
 * sticky: RSCP_ERR_MAGIC, _VERSION, _CTRL, _TIME, _FRAME_TOO_LONG, _CRC,
 * _PADDING (non-zero padding after an encrypted frame), _BAD_KEY_DECRYPT
 * (an encrypted block does not decrypt to a frame header: wrong key or lost
 * frame), _BLOCK_OVERRUN, _TRUNCATED, _DEPTH, _TOO_MANY_BLOCKS. */
RSCP_API int rscp_reader_next(rscp_reader *r, struct rscp_frame *out);

/* The sticky error, or 0. */
RSCP_API int rscp_reader_error(const rscp_reader *r);

/* Byte offset in the stream (counted from the first byte fed since the
 * last reset) of the frame where the sticky error was found; 0 without an
 * error. */
RSCP_API uint64_t rscp_reader_error_offset(const rscp_reader *r);

/* Bytes fed but not yet returned as part of a frame. */
RSCP_API size_t rscp_reader_pending(const rscp_reader *r);

/* Drop buffered bytes and the sticky error. Does not touch the cipher's
 * IVs: call rscp_cipher_reset() too when starting a new connection. */
RSCP_API void rscp_reader_reset(rscp_reader *r);

RSCP_END_DECLS

#endif
