/* Writing blocks and frames into a caller's buffer. No heap; the first
 * error sticks and later calls write nothing. */
#include "rscp/builder.h"

#include <assert.h>
#include <string.h>

#include "codec/internal.h"
#include "rscp/error.h"
#include "rscp/frame.h"
#include "util/bytes.h"

static int fail(struct rscp_builder *b, int err)
{
    return rscp__put_fail(b, err);
}

void rscp_builder_init(struct rscp_builder *b, void *buf, size_t cap)
{
    assert(b);
    memset(b, 0, sizeof *b);
    b->buf = buf;
    b->cap = buf ? cap : 0;
}

int rscp_builder_begin_frame(struct rscp_builder *b, void *buf, size_t cap, const struct rscp_timestamp *ts,
                             bool crc)
{
    rscp_builder_init(b, buf, cap);
    b->frame = true;
    b->crc = crc;
    if (!ts || ts->nanoseconds >= RSCP__NANOS_PER_SEC)
        return fail(b, RSCP_ERR_ARG);
    if (b->cap < RSCP_HEADER_SIZE)
        return fail(b, RSCP_ERR_NOSPACE);
    uint8_t *h = b->buf;
    h[0] = RSCP__MAGIC0;
    h[1] = RSCP__MAGIC1;
    rscp_store16_le(h + 2, (uint16_t)(RSCP__CTRL_VERSION_1 | (crc ? RSCP__CTRL_CRC_FLAG : 0u)));
    rscp_store64_le(h + 4, (uint64_t)ts->seconds);
    rscp_store32_le(h + 12, ts->nanoseconds);
    rscp_store16_le(h + 16, 0); /* data length: fixed up by rscp_builder_finish() */
    b->pos = RSCP_HEADER_SIZE;
    b->data_start = RSCP_HEADER_SIZE;
    return 0;
}

int rscp_builder_error(const struct rscp_builder *b)
{
    return b->err;
}

int rscp_builder_finish(struct rscp_builder *b, size_t *out_len)
{
    if (b->err)
        return b->err;
    if (b->depth)
        return RSCP_ERR_STATE;
    if (b->frame) {
        size_t n = b->pos - b->data_start;
        if (n > RSCP_MAX_DATA_LEN)
            return fail(b, RSCP_ERR_VALUE_TOO_LONG);
        rscp_store16_le(b->buf + 16, (uint16_t)n);
        if (b->crc) {
            if (b->cap - b->pos < RSCP_CRC_SIZE)
                return fail(b, RSCP_ERR_NOSPACE);
            rscp_store32_le(b->buf + b->pos, rscp_crc32(0, b->buf, b->pos));
            b->pos += RSCP_CRC_SIZE;
        }
        b->frame = false; /* a second finish does not append another CRC */
    }
    if (out_len)
        *out_len = b->pos;
    return 0;
}

/* Reserve a block with `len` value bytes and write its header; returns a
 * pointer to the value, or NULL with the sticky error set. */
static uint8_t *begin_block(struct rscp_builder *b, uint32_t tag, uint8_t type, size_t len)
{
    if (!b->err && len > RSCP_MAX_VALUE_LEN) {
        fail(b, RSCP_ERR_VALUE_TOO_LONG);
        return NULL;
    }
    return rscp__put_header(b, tag, type, len);
}

int rscp_put_raw(struct rscp_builder *b, uint32_t tag, uint8_t type, const void *p, size_t len)
{
    if (!b->err && !p && len)
        return fail(b, RSCP_ERR_ARG);
    uint8_t *v = begin_block(b, tag, type, len);
    if (!v)
        return b->err;
    if (len)
        memcpy(v, p, len);
    return 0;
}

int rscp_put_none(struct rscp_builder *b, uint32_t tag)
{
    return rscp_put_raw(b, tag, RSCP_TYPE_NONE, NULL, 0);
}

int rscp_put_bool(struct rscp_builder *b, uint32_t tag, bool v)
{
    return rscp_put_bool_inline(b, tag, v);
}

int rscp_put_char8(struct rscp_builder *b, uint32_t tag, int8_t v)
{
    return rscp_put_char8_inline(b, tag, v);
}

int rscp_put_uchar8(struct rscp_builder *b, uint32_t tag, uint8_t v)
{
    return rscp_put_uchar8_inline(b, tag, v);
}

int rscp_put_int16(struct rscp_builder *b, uint32_t tag, int16_t v)
{
    return rscp_put_int16_inline(b, tag, v);
}

int rscp_put_uint16(struct rscp_builder *b, uint32_t tag, uint16_t v)
{
    return rscp_put_uint16_inline(b, tag, v);
}

int rscp_put_int32(struct rscp_builder *b, uint32_t tag, int32_t v)
{
    return rscp_put_int32_inline(b, tag, v);
}

int rscp_put_uint32(struct rscp_builder *b, uint32_t tag, uint32_t v)
{
    return rscp_put_uint32_inline(b, tag, v);
}

int rscp_put_int64(struct rscp_builder *b, uint32_t tag, int64_t v)
{
    return rscp_put_int64_inline(b, tag, v);
}

int rscp_put_uint64(struct rscp_builder *b, uint32_t tag, uint64_t v)
{
    return rscp_put_uint64_inline(b, tag, v);
}

int rscp_put_float32(struct rscp_builder *b, uint32_t tag, float v)
{
    return rscp_put_float32_inline(b, tag, v);
}

int rscp_put_double64(struct rscp_builder *b, uint32_t tag, double v)
{
    return rscp_put_double64_inline(b, tag, v);
}

int rscp_put_timestamp(struct rscp_builder *b, uint32_t tag, int64_t seconds, uint32_t nanoseconds)
{
    if (!b->err && nanoseconds >= RSCP__NANOS_PER_SEC)
        return fail(b, RSCP_ERR_ARG);
    uint8_t tmp[RSCP_TIMESTAMP_SIZE];
    rscp_store64_le(tmp, (uint64_t)seconds);
    rscp_store32_le(tmp + 8, nanoseconds);
    return rscp_put_raw(b, tag, RSCP_TYPE_TIMESTAMP, tmp, sizeof tmp);
}

int rscp_put_error(struct rscp_builder *b, uint32_t tag, uint32_t code)
{
    return rscp_put_error_inline(b, tag, code);
}

int rscp_put_string(struct rscp_builder *b, uint32_t tag, const char *s, size_t len)
{
    return rscp_put_raw(b, tag, RSCP_TYPE_CSTRING, s, len);
}

int rscp_put_cstr(struct rscp_builder *b, uint32_t tag, const char *s)
{
    if (!s)
        return b->err ? b->err : fail(b, RSCP_ERR_ARG);
    return rscp_put_raw(b, tag, RSCP_TYPE_CSTRING, s, strlen(s));
}

int rscp_put_bytes(struct rscp_builder *b, uint32_t tag, const void *p, size_t len)
{
    return rscp_put_raw(b, tag, RSCP_TYPE_BYTEARRAY, p, len);
}

int rscp_put_bitfield(struct rscp_builder *b, uint32_t tag, const void *p, size_t len)
{
    return rscp_put_raw(b, tag, RSCP_TYPE_BITFIELD, p, len);
}

int rscp_put_block(struct rscp_builder *b, const struct rscp_block *blk)
{
    return rscp_put_raw(b, blk->tag, blk->type, blk->value, blk->length);
}

int rscp_put_container_open(struct rscp_builder *b, uint32_t tag)
{
    return rscp_put_container_open_inline(b, tag);
}

int rscp_put_container_close(struct rscp_builder *b)
{
    return rscp_put_container_close_inline(b);
}
