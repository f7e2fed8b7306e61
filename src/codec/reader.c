/* Streaming frame reader (PROTOCOL-NOTES §6).
 *
 * Buffer layout: buf[0..start) holds frames already returned (dropped at the
 * next feed), buf[start..len) bytes not yet returned. With a cipher,
 * buf[0..dec) is decrypted plaintext and buf[dec..len) a ciphertext tail of
 * less than one block: every complete 32-byte block is decrypted in place as
 * soon as it arrives, in stream order, so the cipher's receive IV chain
 * follows the stream across frame boundaries. In encrypted mode start and
 * dec stay multiples of 32, as every frame occupies whole cipher blocks.
 *
 * The buffer holds cap bytes: READER_BUF_SIZE from the start, or (a lazy
 * reader) nothing until bytes arrive, then as much as they need, in powers
 * of two up to READER_BUF_SIZE; rscp_reader_trim() gives it back. used is
 * the high-water mark of bytes ever written into the buffer: only those
 * are wiped. */
#include "rscp/reader.h"

#include <stdlib.h>
#include <string.h>

#include "codec/internal.h"
#include "rscp/error.h"
#include "util/wipe.h"
#include "util/wiped_buf.h"

#define READER_BUF_SIZE (RSCP_MAX_WIRE_SIZE + RSCP_CIPHER_BLOCK_SIZE)
#define READER_MIN_GROWN 512u /* first buffer of a lazy reader */

struct rscp_reader {
    uint8_t *buf;
    size_t cap;
    size_t used; /* bytes of buf ever written (to wipe) */
    bool lazy;
    size_t len;
    size_t start;
    size_t dec;
    uint64_t stream_pos; /* stream offset of buf[0] */
    rscp_cipher *cipher;
    struct rscp_limits limits;
    int err;
    uint64_t err_offset;
};

int rscp_reader_new(rscp_reader **out)
{
    if (!out)
        return RSCP_ERR_ARG;
    *out = NULL;
    rscp_reader *r = calloc(1, sizeof *r);
    if (!r)
        return RSCP_ERR_NOMEM;
    r->buf = malloc(READER_BUF_SIZE);
    if (!r->buf) {
        free(r);
        return RSCP_ERR_NOMEM;
    }
    r->cap = READER_BUF_SIZE;
    r->limits = rscp_limits_default();
    *out = r;
    return 0;
}

int rscp_reader_new_lazy(rscp_reader **out)
{
    if (!out)
        return RSCP_ERR_ARG;
    *out = NULL;
    rscp_reader *r = calloc(1, sizeof *r);
    if (!r)
        return RSCP_ERR_NOMEM;
    r->lazy = true;
    r->limits = rscp_limits_default();
    *out = r;
    return 0;
}

/* Wipe the bytes ever written (decrypted frames may hold passwords: an
 * authentication request) and free the buffer. */
static void release_buffer(rscp_reader *r)
{
    rscp_util_wiped_release(&r->buf, &r->cap, &r->used);
}

void rscp_reader_free(rscp_reader *r)
{
    if (!r)
        return;
    release_buffer(r);
    free(r);
}

void rscp_reader_trim(rscp_reader *r)
{
    if (!r || !r->lazy || r->len != r->start)
        return;
    r->stream_pos += r->len;
    r->len = r->start = r->dec = 0;
    release_buffer(r);
}

size_t rscp_reader_capacity(const rscp_reader *r)
{
    return r->cap;
}

/* A lazy reader: room for want more bytes (as far as READER_BUF_SIZE
 * allows). The old buffer is wiped before it is freed. 0 or
 * RSCP_ERR_NOMEM (nothing changed). */
static int grow(rscp_reader *r, size_t want)
{
    return rscp_util_wiped_reserve(&r->buf, &r->cap, &r->used, r->len, r->len + want, READER_MIN_GROWN,
                                   READER_BUF_SIZE);
}

void rscp_reader_set_cipher(rscp_reader *r, rscp_cipher *c)
{
    r->cipher = c;
    r->dec = r->len; /* bytes already buffered stay as they are */
}

int rscp_reader_set_limits(rscp_reader *r, const struct rscp_limits *limits)
{
    if (!limits || limits->max_data_len > RSCP_MAX_DATA_LEN || limits->max_data_len == 0 ||
        limits->max_depth == 0 || limits->max_blocks == 0)
        return RSCP_ERR_ARG;
    r->limits = *limits;
    return 0;
}

/* Drop the frames already returned: move the rest to the front. */
static void compact(rscp_reader *r)
{
    if (r->start == 0)
        return;
    size_t rest = r->len - r->start;
    memmove(r->buf, r->buf + r->start, rest);
    r->len = rest;
    r->dec = r->dec > r->start ? r->dec - r->start : 0;
    r->stream_pos += r->start;
    r->start = 0;
}

int rscp_reader_feed(rscp_reader *r, const void *data, size_t len)
{
    if (r->err)
        return r->err;
    if (!data && len)
        return RSCP_ERR_ARG;
    compact(r);
    if (r->lazy && len > r->cap - r->len) {
        int rc = grow(r, len);
        if (rc)
            return rc;
    }
    size_t take = r->cap - r->len;
    if (take > len)
        take = len;
    if (take)
        memcpy(r->buf + r->len, data, take);
    r->len += take;
    if (r->len > r->used)
        r->used = r->len;
    if (r->cipher) {
        size_t whole = (r->len - r->dec) / RSCP_CIPHER_BLOCK_SIZE * RSCP_CIPHER_BLOCK_SIZE;
        if (whole) {
            int rc = rscp_cipher_decrypt(r->cipher, r->buf + r->dec, whole);
            if (rc)
                return rc;
            r->dec += whole;
        }
    } else {
        r->dec = r->len;
    }
    return (int)take;
}

/* Record a fatal error found in the frame at buf[start]. */
static int fail(rscp_reader *r, int err)
{
    r->err = err;
    r->err_offset = r->stream_pos + r->start;
    return err;
}

static bool all_zero(const uint8_t *p, size_t n)
{
    uint8_t acc = 0;
    for (size_t i = 0; i < n; i++)
        acc |= p[i];
    return acc == 0;
}

int rscp_reader_next(rscp_reader *r, struct rscp_frame *out)
{
    if (r->err)
        return r->err;
    if (r->dec <= r->start)
        return 0; /* nothing (a lazy reader may have no buffer) */
    const uint8_t *p = r->buf + r->start;
    const uint8_t *end = r->buf + r->dec; /* plaintext bytes of this and later frames */
    size_t avail = (size_t)(end - p);
    if (avail == 0)
        return 0;
    if (r->cipher) {
        if (!RSCP__HAVE(p, end, RSCP_CIPHER_BLOCK_SIZE))
            return 0;
        if (p[0] != RSCP__MAGIC0 || p[1] != RSCP__MAGIC1)
            return fail(r, RSCP_ERR_BAD_KEY_DECRYPT);
    }
    struct rscp_header h;
    int rc = rscp_header_parse(p, avail, &r->limits, &h);
    if (rc == RSCP_ERR_TRUNCATED)
        return 0; /* plaintext: the header is not complete yet */
    if (rc)
        return fail(r, rc);
    size_t frame_len = h.frame_len;
    size_t wire_len = frame_len;
    if (r->cipher)
        wire_len = (frame_len + RSCP_CIPHER_BLOCK_SIZE - 1) / RSCP_CIPHER_BLOCK_SIZE * RSCP_CIPHER_BLOCK_SIZE;
    if (!RSCP__HAVE(p, end, wire_len))
        return 0;
    struct rscp_frame f;
    rc = rscp_frame_decode_prefix(p, frame_len, &r->limits, &f, NULL);
    if (rc < 0)
        return fail(r, rc);
    if (!all_zero(p + frame_len, wire_len - frame_len))
        return fail(r, RSCP_ERR_PADDING);
    r->start += wire_len;
    *out = f;
    return 1;
}

int rscp_reader_error(const rscp_reader *r)
{
    return r->err;
}

uint64_t rscp_reader_error_offset(const rscp_reader *r)
{
    return r->err_offset;
}

size_t rscp_reader_pending(const rscp_reader *r)
{
    return r->len - r->start;
}

void rscp_reader_reset(rscp_reader *r)
{
    r->len = 0;
    r->start = 0;
    r->dec = 0;
    r->stream_pos = 0;
    r->err = 0;
    r->err_offset = 0;
}
