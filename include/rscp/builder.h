/* librscp: writing data blocks and frames straight into a caller's buffer.
 * Pure; no heap, no clock (the caller passes the frame's timestamp; see
 * rscp_timestamp_now() in clock.h for the current time). A builder is used
 * by one thread at a time; distinct builders are independent.
 *
 *     uint8_t buf[512];
 *     struct rscp_builder b;
 *     rscp_builder_begin_frame(&b, buf, sizeof buf, &now, true);
 *     rscp_put_none(&b, 0x01000001);            // EMS.REQ_POWER_PV
 *     rscp_put_container_open(&b, 0x03040000);  // BAT.REQ_DATA
 *     rscp_put_uint16(&b, 0x03040001, 0);       //   BAT.INDEX
 *     rscp_put_none(&b, 0x03000001);            //   BAT.REQ_RSOC
 *     rscp_put_container_close(&b);
 *     size_t n;
 *     if (rscp_builder_finish(&b, &n) == 0) send(buf, n);
 *
 * Errors are sticky: after the first failure every later call returns the
 * same error and writes nothing, so a sequence of puts can be checked once
 * at rscp_builder_finish(). Running out of buffer is RSCP_ERR_NOSPACE, never
 * an overflow. */
#ifndef RSCP_BUILDER_H
#define RSCP_BUILDER_H

#include <string.h>

#include "rscp/common.h"
#include "rscp/error.h"
#include "rscp/types.h"
#include "rscp/value.h"

#define RSCP_BUILDER_MAX_DEPTH 16u  /* open containers at once */

/* Transparent so it can live on the stack; use only through the calls below. */
struct rscp_builder {
    uint8_t *buf;
    size_t cap;
    size_t pos;              /* bytes written so far                       */
    size_t data_start;       /* first data byte (18 in frame mode, else 0) */
    int err;                 /* sticky error                               */
    bool frame;              /* frame mode: header + data + optional CRC   */
    bool crc;
    unsigned depth;
    size_t open[RSCP_BUILDER_MAX_DEPTH]; /* offsets of open container headers */
};

RSCP_BEGIN_DECLS

/* Start writing bare data blocks (no frame header) into buf[0..cap).
 * The builder borrows buf until rscp_builder_finish(). buf may be NULL (cap
 * is then taken as 0: every put fails with RSCP_ERR_NOSPACE). */
RSCP_API void rscp_builder_init(struct rscp_builder *b, void *buf, size_t cap);

/* Start a frame: writes the 18-byte header (magic, control word version 1
 * with the CRC flag when crc is true, the timestamp) and reserves the data.
 * Returns 0, RSCP_ERR_NOSPACE (cap < header), or RSCP_ERR_ARG (ts NULL or
 * ts->nanoseconds >= 1e9). The error is also kept in the builder. The
 * builder borrows buf until rscp_builder_finish(). */
RSCP_API int rscp_builder_begin_frame(struct rscp_builder *b, void *buf, size_t cap,
                                      const struct rscp_timestamp *ts, bool crc);

/* Finish: in frame mode fix the data length and append the CRC-32 (when
 * the frame was begun with crc; RSCP_ERR_NOSPACE if its 4 bytes do not
 * fit). On success buf[0..*out_len) holds the complete frame or blocks;
 * *out_len (may be NULL) gets the total bytes written. Returns 0 or the
 * sticky error; RSCP_ERR_STATE (not sticky) when a container is still open;
 * RSCP_ERR_VALUE_TOO_LONG when the frame data exceeds 65,535 bytes. A
 * second call returns the same length without writing again. */
RSCP_API int rscp_builder_finish(struct rscp_builder *b, size_t *out_len);

/* The sticky error (0 if none). */
RSCP_API int rscp_builder_error(const struct rscp_builder *b);

/* Scalar blocks. Each returns 0 or the (sticky) error: RSCP_ERR_NOSPACE
 * when the block does not fit (nothing is written). Values are stored
 * little-endian; floats as their IEEE-754 bits (-0.0, NaN payloads kept). */
RSCP_API int rscp_put_none(struct rscp_builder *b, uint32_t tag);
RSCP_API int rscp_put_bool(struct rscp_builder *b, uint32_t tag, bool v);
RSCP_API int rscp_put_char8(struct rscp_builder *b, uint32_t tag, int8_t v);
RSCP_API int rscp_put_uchar8(struct rscp_builder *b, uint32_t tag, uint8_t v);
RSCP_API int rscp_put_int16(struct rscp_builder *b, uint32_t tag, int16_t v);
RSCP_API int rscp_put_uint16(struct rscp_builder *b, uint32_t tag, uint16_t v);
RSCP_API int rscp_put_int32(struct rscp_builder *b, uint32_t tag, int32_t v);
RSCP_API int rscp_put_uint32(struct rscp_builder *b, uint32_t tag, uint32_t v);
RSCP_API int rscp_put_int64(struct rscp_builder *b, uint32_t tag, int64_t v);
RSCP_API int rscp_put_uint64(struct rscp_builder *b, uint32_t tag, uint64_t v);
RSCP_API int rscp_put_float32(struct rscp_builder *b, uint32_t tag, float v);
RSCP_API int rscp_put_double64(struct rscp_builder *b, uint32_t tag, double v);
/* TIMESTAMP; RSCP_ERR_ARG when nanoseconds >= 1e9. */
RSCP_API int rscp_put_timestamp(struct rscp_builder *b, uint32_t tag, int64_t seconds, uint32_t nanoseconds);
/* ERROR block with a device error code. */
RSCP_API int rscp_put_error(struct rscp_builder *b, uint32_t tag, uint32_t code);

/* Variable-length values, copied into the buffer; s/p may be NULL when len
 * is 0 (RSCP_ERR_ARG otherwise). RSCP_ERR_VALUE_TOO_LONG when len >
 * RSCP_MAX_VALUE_LEN, RSCP_ERR_NOSPACE when the block does not fit. */
RSCP_API int rscp_put_string(struct rscp_builder *b, uint32_t tag, const char *s, size_t len);
RSCP_API int rscp_put_cstr(struct rscp_builder *b, uint32_t tag, const char *s); /* NUL-terminated s, not NULL */
RSCP_API int rscp_put_bytes(struct rscp_builder *b, uint32_t tag, const void *p, size_t len);    /* BYTEARRAY */
RSCP_API int rscp_put_bitfield(struct rscp_builder *b, uint32_t tag, const void *p, size_t len); /* BITFIELD */
/* Any type code with raw value bytes, e.g. to re-emit an unknown type. No
 * check that len fits the type. */
RSCP_API int rscp_put_raw(struct rscp_builder *b, uint32_t tag, uint8_t type, const void *p, size_t len);
/* Re-emit a parsed block as it was (containers copied whole); blk's value
 * must not overlap the builder's buffer past its current position. Errors
 * as rscp_put_raw(). */
RSCP_API int rscp_put_block(struct rscp_builder *b, const struct rscp_block *blk);

/* Open a CONTAINER block; its children follow until the matching close,
 * which fixes up its length. RSCP_ERR_DEPTH when RSCP_BUILDER_MAX_DEPTH
 * containers are already open; RSCP_ERR_STATE for a close without open;
 * RSCP_ERR_VALUE_TOO_LONG when the children exceed RSCP_MAX_VALUE_LEN. */
RSCP_API int rscp_put_container_open(struct rscp_builder *b, uint32_t tag);
RSCP_API int rscp_put_container_close(struct rscp_builder *b);

/* ---- inline fast paths -------------------------------------------------
 * rscp_put_<type>_inline() for the fixed-size types and
 * rscp_put_container_open_inline() / rscp_put_container_close_inline()
 * have exactly the contracts of the functions of the same names without
 * "_inline", which are built from them; they are inline for code that
 * writes many blocks. Every space check and the sticky error stay. */

/* Record the first error and return the sticky one. */
static inline int rscp__put_fail(struct rscp_builder *b, int err)
{
    if (!b->err)
        b->err = err;
    return b->err;
}

/* Reserve a block with len value bytes (len <= RSCP_MAX_VALUE_LEN) and write
 * its header; returns the value's address, or NULL with the sticky error set. */
static inline uint8_t *rscp__put_header(struct rscp_builder *b, uint32_t tag, uint8_t type, size_t len)
{
    if (b->err)
        return NULL;
    if (b->cap - b->pos < RSCP_BLOCK_HEADER_SIZE + len) {
        rscp__put_fail(b, RSCP_ERR_NOSPACE);
        return NULL;
    }
    uint8_t *p = b->buf + b->pos;
    p[0] = (uint8_t)tag;
    p[1] = (uint8_t)(tag >> 8);
    p[2] = (uint8_t)(tag >> 16);
    p[3] = (uint8_t)(tag >> 24);
    p[4] = type;
    p[5] = (uint8_t)len;
    p[6] = (uint8_t)(len >> 8);
    b->pos += RSCP_BLOCK_HEADER_SIZE + len;
    return p + RSCP_BLOCK_HEADER_SIZE;
}

/* A fixed-size value of size bytes (1, 2, 4 or 8), little-endian. */
static inline int rscp__put_fixed(struct rscp_builder *b, uint32_t tag, uint8_t type, uint64_t v, unsigned size)
{
    uint8_t *p = rscp__put_header(b, tag, type, size);
    if (!p)
        return b->err;
    for (unsigned i = 0; i < size; i++)
        p[i] = (uint8_t)(v >> (8 * i));
    return 0;
}

static inline int rscp_put_bool_inline(struct rscp_builder *b, uint32_t tag, bool v)
{
    return rscp__put_fixed(b, tag, RSCP_TYPE_BOOL, v ? 1u : 0u, 1);
}

static inline int rscp_put_char8_inline(struct rscp_builder *b, uint32_t tag, int8_t v)
{
    return rscp__put_fixed(b, tag, RSCP_TYPE_CHAR8, (uint8_t)v, 1);
}

static inline int rscp_put_uchar8_inline(struct rscp_builder *b, uint32_t tag, uint8_t v)
{
    return rscp__put_fixed(b, tag, RSCP_TYPE_UCHAR8, v, 1);
}

static inline int rscp_put_int16_inline(struct rscp_builder *b, uint32_t tag, int16_t v)
{
    return rscp__put_fixed(b, tag, RSCP_TYPE_INT16, (uint16_t)v, 2);
}

static inline int rscp_put_uint16_inline(struct rscp_builder *b, uint32_t tag, uint16_t v)
{
    return rscp__put_fixed(b, tag, RSCP_TYPE_UINT16, v, 2);
}

static inline int rscp_put_int32_inline(struct rscp_builder *b, uint32_t tag, int32_t v)
{
    return rscp__put_fixed(b, tag, RSCP_TYPE_INT32, (uint32_t)v, 4);
}

static inline int rscp_put_uint32_inline(struct rscp_builder *b, uint32_t tag, uint32_t v)
{
    return rscp__put_fixed(b, tag, RSCP_TYPE_UINT32, v, 4);
}

static inline int rscp_put_int64_inline(struct rscp_builder *b, uint32_t tag, int64_t v)
{
    return rscp__put_fixed(b, tag, RSCP_TYPE_INT64, (uint64_t)v, 8);
}

static inline int rscp_put_uint64_inline(struct rscp_builder *b, uint32_t tag, uint64_t v)
{
    return rscp__put_fixed(b, tag, RSCP_TYPE_UINT64, v, 8);
}

/* IEEE-754 bit patterns are copied, never converted. */
static inline int rscp_put_float32_inline(struct rscp_builder *b, uint32_t tag, float v)
{
    uint32_t bits;
    memcpy(&bits, &v, sizeof bits);
    return rscp__put_fixed(b, tag, RSCP_TYPE_FLOAT32, bits, 4);
}

static inline int rscp_put_double64_inline(struct rscp_builder *b, uint32_t tag, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    return rscp__put_fixed(b, tag, RSCP_TYPE_DOUBLE64, bits, 8);
}

static inline int rscp_put_error_inline(struct rscp_builder *b, uint32_t tag, uint32_t code)
{
    return rscp__put_fixed(b, tag, RSCP_TYPE_ERROR, code, 4);
}

static inline int rscp_put_container_open_inline(struct rscp_builder *b, uint32_t tag)
{
    if (b->err)
        return b->err;
    if (b->depth >= RSCP_BUILDER_MAX_DEPTH)
        return rscp__put_fail(b, RSCP_ERR_DEPTH);
    size_t at = b->pos;
    if (!rscp__put_header(b, tag, RSCP_TYPE_CONTAINER, 0))
        return b->err;
    b->open[b->depth++] = at;
    return 0;
}

static inline int rscp_put_container_close_inline(struct rscp_builder *b)
{
    if (b->err)
        return b->err;
    if (b->depth == 0)
        return rscp__put_fail(b, RSCP_ERR_STATE);
    size_t at = b->open[--b->depth];
    size_t len = b->pos - at - RSCP_BLOCK_HEADER_SIZE;
    if (len > RSCP_MAX_VALUE_LEN)
        return rscp__put_fail(b, RSCP_ERR_VALUE_TOO_LONG);
    b->buf[at + 5] = (uint8_t)len;
    b->buf[at + 6] = (uint8_t)(len >> 8);
    return 0;
}

RSCP_END_DECLS

#endif
