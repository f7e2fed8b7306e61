/* librscp: decoding whole frames from a plaintext buffer. Pure; no heap;
 * thread-safe (the functions only read the caller's buffer).
 *
 * Frame layout (PROTOCOL.md §2): magic E3 DC, control word (version 1 in
 * bits 8-11, CRC flag bit 12, all else zero), int64 seconds, uint32
 * nanoseconds, uint16 data length N, N bytes of blocks, CRC-32 if flagged. */
#ifndef RSCP_FRAME_H
#define RSCP_FRAME_H

#include "rscp/common.h"
#include "rscp/types.h"
#include "rscp/value.h"

/* Fields of the 18-byte header. */
struct rscp_header {
    int64_t seconds;
    uint32_t nanoseconds;
    bool crc;           /* CRC flag set (and CRC bytes present)  */
    uint16_t data_len;  /* N                                      */
    uint32_t frame_len; /* 18 + N (+ 4): plaintext bytes of frame */
};

/* A decoded frame: a view into the caller's buffer. */
struct rscp_frame {
    int64_t seconds;
    uint32_t nanoseconds;
    bool crc;                 /* the frame carried a (verified) CRC */
    const uint8_t *data;      /* the data blocks                    */
    uint16_t data_len;
};

RSCP_BEGIN_DECLS

/* Parse and check the 18-byte header at buf (len >= 18 needed; the fields
 * present are checked in order even when fewer bytes are, so a wrong magic
 * is reported from 1 byte on). Returns 0 and fills *h (untouched on error),
 * or: RSCP_ERR_ARG (buf NULL with len > 0), RSCP_ERR_TRUNCATED (len < 18),
 * RSCP_ERR_MAGIC,
 * RSCP_ERR_VERSION (version field is not 1, e.g. "00 10"; accepted as a
 * frame without CRC only with RSCP_LENIENT_CTRL), RSCP_ERR_CTRL (reserved
 * bits set), RSCP_ERR_TIME (nanoseconds >= 1e9), RSCP_ERR_FRAME_TOO_LONG (N
 * above limits->max_data_len). limits may be NULL for the defaults. */
RSCP_API int rscp_header_parse(const void *buf, size_t len, const struct rscp_limits *limits,
                               struct rscp_header *h);

/* Decode the frame at the start of buf[0..len), which may hold more bytes
 * after it. Checks the header (rscp_header_parse() errors), that the frame
 * fits in len (RSCP_ERR_TRUNCATED), the CRC (RSCP_ERR_CRC) and the block
 * structure against the limits (rscp_validate() errors). Returns the frame's
 * length in bytes (> 0) and fills *out, a view into buf valid as long as buf
 * is; or a negative error with *out untouched; *err_offset (may be NULL)
 * gets the offset in buf where the problem lies (untouched on success). */
RSCP_API int rscp_frame_decode_prefix(const void *buf, size_t len, const struct rscp_limits *limits,
                                      struct rscp_frame *out, size_t *err_offset);

/* Open the frame at the start of buf[0..len) for a single pass over its
 * blocks: the same header, length and CRC checks as
 * rscp_frame_decode_prefix(), but the block structure is left to the
 * iterator, which checks the bounds of every block as it walks
 * (RSCP_ERR_TRUNCATED / RSCP_ERR_BLOCK_OVERRUN from rscp_iter_next()); the
 * depth and block-count limits are not applied, so a recursive walker must
 * bound its own depth. Returns the frame's length (> 0) and fills *out, or
 * a header, RSCP_ERR_TRUNCATED or RSCP_ERR_CRC error (*err_offset as above). */
RSCP_API int rscp_frame_open_prefix(const void *buf, size_t len, const struct rscp_limits *limits,
                                    struct rscp_frame *out, size_t *err_offset);

/* Decode exactly one frame filling buf[0..len): as above, and
 * RSCP_ERR_TRAILING (*err_offset = the frame's length) when bytes follow
 * the frame. Returns 0 on success; *out untouched on error. */
RSCP_API int rscp_frame_decode(const void *buf, size_t len, const struct rscp_limits *limits,
                               struct rscp_frame *out, size_t *err_offset);

/* Start *it on the top-level blocks of a decoded frame (a view into the
 * frame's buffer). */
RSCP_API void rscp_frame_iter(const struct rscp_frame *f, struct rscp_iter *it);

/* CRC-32 as zlib's crc32(): start with crc = 0, feed data in any pieces.
 * Thread-safe; no state. */
RSCP_API uint32_t rscp_crc32(uint32_t crc, const void *data, size_t len);

RSCP_END_DECLS

#endif
