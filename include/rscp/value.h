/* librscp: read-only views of data blocks (the TLV layer). Pure; no heap;
 * every function only reads the caller's buffer and its arguments, so calls
 * are thread-safe as long as no other thread writes those.
 *
 * A struct rscp_block points into the caller's buffer: it stays valid as
 * long as that buffer does and is never copied. Iterators walk one level of
 * blocks; containers are entered with rscp_block_children().
 *
 * Bounds are checked on every step: a block whose header or value runs past
 * the end of its frame or container stops the iteration with
 * RSCP_ERR_TRUNCATED or RSCP_ERR_BLOCK_OVERRUN (sticky for that iterator).
 * Unknown tags and unknown type codes are returned like any other block.
 * A known fixed-size type with a wrong length is returned too: its getters
 * answer RSCP_ERR_LENGTH for that block only. */
#ifndef RSCP_VALUE_H
#define RSCP_VALUE_H

#include <string.h>

#include "rscp/common.h"
#include "rscp/error.h"
#include "rscp/types.h"

/* One data block: a view into the buffer it was parsed from. */
struct rscp_block {
    uint32_t tag;
    uint8_t type;          /* raw code; may be unknown (see rscp_type_is_known) */
    uint16_t length;       /* bytes at value */
    const uint8_t *value;  /* never NULL when length > 0 */
};

/* Iterator over a sequence of blocks. Transparent so it can live on the
 * stack; initialise with rscp_iter_init() or rscp_block_children() only. */
struct rscp_iter {
    const uint8_t *pos;
    const uint8_t *end;
    const uint8_t *base;   /* start of the sequence, for error offsets */
    int err;               /* sticky error of this iterator, 0 if none */
};

/* Limits applied by rscp_validate(), the frame decoder and the reader.
 * Fill with rscp_limits_default() and change what you need. */
#define RSCP_DEFAULT_MAX_DEPTH 16u      /* nested containers          */
#define RSCP_DEFAULT_MAX_BLOCKS 10000u  /* blocks per frame, all levels (a full frame holds at most 9,362) */
#define RSCP_DEFAULT_MAX_DATA_LEN RSCP_MAX_DATA_LEN

/* Flags in struct rscp_limits. */
#define RSCP_LENIENT_CTRL 0x1u  /* accept the "00 10" control word (version 0, CRC flag set,
                                   no CRC bytes) written by some libraries; off by default */

struct rscp_limits {
    uint32_t max_depth;     /* containers inside containers; 1 = no nesting inside the top level */
    uint32_t max_blocks;    /* total blocks in one frame                                         */
    uint32_t max_data_len;  /* largest accepted data length field (<= 65,535)                    */
    uint32_t flags;         /* RSCP_LENIENT_CTRL                                                 */
};

RSCP_BEGIN_DECLS

/* The default limits (RSCP_DEFAULT_*, no flags). */
RSCP_API struct rscp_limits rscp_limits_default(void);

/* Start iterating over the blocks in data[0..len). data may be NULL when len
 * is 0. The iterator borrows data. */
RSCP_API void rscp_iter_init(struct rscp_iter *it, const void *data, size_t len);

/* Take the next block into *out (a view into the iterated buffer).
 * Returns 1 with *out set, 0 at the clean end of the sequence (and again on
 * every later call), or RSCP_ERR_TRUNCATED (a block header is cut off) /
 * RSCP_ERR_BLOCK_OVERRUN (a value runs past the end); errors are sticky.
 * *out is untouched unless 1 is returned. */
RSCP_API int rscp_iter_next(struct rscp_iter *it, struct rscp_block *out);

/* Offset (from the start of the sequence) where the iterator stands: after an
 * error, the offset of the offending block. */
RSCP_API size_t rscp_iter_offset(const struct rscp_iter *it);

/* Iterate the children of a CONTAINER block: *it walks b's value, in the
 * buffer b points into. Returns 0, or RSCP_ERR_TYPE when b is not a
 * container (*it untouched). */
RSCP_API int rscp_block_children(const struct rscp_block *b, struct rscp_iter *it);

/* Check a whole block sequence recursively against limits (NULL: defaults):
 * structure, depth, block count. Values of wrong length are NOT errors here.
 * Returns 0, or RSCP_ERR_TRUNCATED, RSCP_ERR_BLOCK_OVERRUN, RSCP_ERR_DEPTH,
 * RSCP_ERR_TOO_MANY_BLOCKS, RSCP_ERR_ARG (data NULL with len > 0);
 * *err_offset (may be NULL) gets the offset of the offending block from the
 * start of data, and is untouched on success. The C stack use is bounded
 * for any nesting. */
RSCP_API int rscp_validate(const void *data, size_t len, const struct rscp_limits *limits,
                           size_t *err_offset);

/* 0 when b is well-formed: an unknown type, a variable-size type, or a fixed
 * type with exactly its size; RSCP_ERR_LENGTH otherwise. */
RSCP_API int rscp_block_check(const struct rscp_block *b);

/* Strict typed getters. Each returns 0 and sets *out, RSCP_ERR_TYPE when the
 * block has another type, or RSCP_ERR_LENGTH when its length is wrong for
 * the type. *out is untouched on error. */
RSCP_API int rscp_block_get_bool(const struct rscp_block *b, bool *out);       /* any non-zero byte is true */
RSCP_API int rscp_block_get_char8(const struct rscp_block *b, int8_t *out);
RSCP_API int rscp_block_get_uchar8(const struct rscp_block *b, uint8_t *out);
RSCP_API int rscp_block_get_int16(const struct rscp_block *b, int16_t *out);
RSCP_API int rscp_block_get_uint16(const struct rscp_block *b, uint16_t *out);
RSCP_API int rscp_block_get_int32(const struct rscp_block *b, int32_t *out);
RSCP_API int rscp_block_get_uint32(const struct rscp_block *b, uint32_t *out);
RSCP_API int rscp_block_get_int64(const struct rscp_block *b, int64_t *out);
RSCP_API int rscp_block_get_uint64(const struct rscp_block *b, uint64_t *out);
RSCP_API int rscp_block_get_float32(const struct rscp_block *b, float *out);
RSCP_API int rscp_block_get_double64(const struct rscp_block *b, double *out);
RSCP_API int rscp_block_get_timestamp(const struct rscp_block *b, struct rscp_timestamp *out);
/* ERROR block: the device's error code (see rscp_device_error_name()). */
RSCP_API int rscp_block_get_error(const struct rscp_block *b, uint32_t *code);
/* CSTRING: *s points into the buffer, NOT NUL-terminated, *len bytes (may
 * contain NUL bytes); an empty string gives a non-NULL *s and *len 0.
 * RSCP_ERR_TYPE for another type. */
RSCP_API int rscp_block_get_string(const struct rscp_block *b, const char **s, size_t *len);
/* BITFIELD or BYTEARRAY: *p points to the raw bytes in the buffer (non-NULL
 * also when empty). RSCP_ERR_TYPE for another type. */
RSCP_API int rscp_block_get_bytes(const struct rscp_block *b, const uint8_t **p, size_t *len);

/* Lenient getters for values whose exact type varies between devices.
 * rscp_block_get_int: any of BOOL, CHAR8, UCHAR8, INT16..UINT64;
 *   RSCP_ERR_RANGE for a UINT64 above INT64_MAX.
 * rscp_block_get_uint: the same types; RSCP_ERR_RANGE for negative values.
 * rscp_block_get_number: any integer type, FLOAT32 or DOUBLE64, as double
 *   (64-bit integers beyond 2^53 are rounded).
 * Errors: RSCP_ERR_TYPE, RSCP_ERR_LENGTH, RSCP_ERR_RANGE. */
RSCP_API int rscp_block_get_int(const struct rscp_block *b, int64_t *out);
RSCP_API int rscp_block_get_uint(const struct rscp_block *b, uint64_t *out);
RSCP_API int rscp_block_get_number(const struct rscp_block *b, double *out);

/* Find the first block with the given tag among the children of a
 * container (not recursive). Returns 0 with *out set, RSCP_ERR_NOT_FOUND,
 * RSCP_ERR_TYPE (not a container) or an iteration error met before the tag
 * (RSCP_ERR_TRUNCATED, RSCP_ERR_BLOCK_OVERRUN). *out is untouched on error.
 * out may point to *container. */
RSCP_API int rscp_block_find(const struct rscp_block *container, uint32_t tag, struct rscp_block *out);

/* Same over a top-level block sequence data[0..len), e.g. a frame's data;
 * RSCP_ERR_ARG when data is NULL with len > 0. */
RSCP_API int rscp_find(const void *data, size_t len, uint32_t tag, struct rscp_block *out);

/* Follow a path of tags: path[0] at the top level of data, path[1] among the
 * children of that block, and so on. Same returns as rscp_find(), and
 * RSCP_ERR_ARG when path is NULL or n is 0; *out is untouched on error. */
RSCP_API int rscp_find_path(const void *data, size_t len, const uint32_t *path, size_t n,
                            struct rscp_block *out);

/* Depth-first walk over a block sequence and everything nested in it, in
 * the order of the bytes: a container is returned like any block, then its
 * children, then the blocks after it. One loop instead of one iterator per
 * container; the same bounds checks as rscp_iter_next() at every level.
 * Transparent so it can live on the stack; initialise with
 * rscp_walk_init() only. */
#define RSCP_WALK_MAX_DEPTH RSCP_DEFAULT_MAX_DEPTH /* containers at levels 1..16 are entered */

struct rscp_walk {
    struct rscp_iter it;  /* the sequence being walked; it.base is the start of all data */
    unsigned depth;       /* containers entered around it.pos                           */
    unsigned level;       /* level of the last block returned; 1 = top level           */
    const uint8_t *outer[RSCP_WALK_MAX_DEPTH]; /* ends of the enclosing sequences      */
};

/* Start walking the blocks in data[0..len). data may be NULL when len is 0.
 * The walk borrows data. */
RSCP_API void rscp_walk_init(struct rscp_walk *w, const void *data, size_t len);

/* Take the next block, depth first, into *out (a view into the walked
 * buffer); w->level tells its nesting level (1 = top level). Returns 1 with
 * *out set, 0 at the clean end of data (and again on every later call), or
 * RSCP_ERR_TRUNCATED / RSCP_ERR_BLOCK_OVERRUN (as rscp_iter_next(), at any
 * level) / RSCP_ERR_DEPTH (a container at a level above
 * RSCP_WALK_MAX_DEPTH, as rscp_validate() with the default limits); errors
 * are sticky, and rscp_iter_offset(&w->it) is then the offset of the
 * offending block from the start of data, as rscp_validate() reports it.
 * *out is untouched unless 1 is returned. */
RSCP_API int rscp_walk_next(struct rscp_walk *w, struct rscp_block *out);

/* ---- inline fast paths -------------------------------------------------
 * rscp_iter_next_inline(), rscp_block_children_inline(),
 * rscp_walk_next_inline() and the
 * rscp_block_get_*_inline() getters have exactly the contracts of the
 * functions of the same names without "_inline", which are built from them
 * (tests/test_inline_*.c check that they agree); they are inline for loops
 * over many blocks. Every bounds and length check stays; the rare end and
 * error paths of the iterator call the out-of-line function. Inline and
 * exported calls may be mixed on one iterator. Names with a double
 * underscore (rscp__*) are helpers of these functions, not API. */

static inline uint16_t rscp__ld16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (uint16_t)p[1] << 8);
}

static inline uint32_t rscp__ld32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t rscp__ld64(const uint8_t *p)
{
    return (uint64_t)rscp__ld32(p) | (uint64_t)rscp__ld32(p + 4) << 32;
}

/* The end and error paths, out of line. The copies keep the caller's
 * iterator and block free to live in registers on the fast path. */
static inline int rscp__iter_next_slow(struct rscp_iter *it, struct rscp_block *out)
{
    struct rscp_iter tmp = *it;
    struct rscp_block blk;
    int rc = rscp_iter_next(&tmp, &blk);
    *it = tmp;
    if (rc == 1)
        *out = blk;
    return rc;
}

static inline int rscp_iter_next_inline(struct rscp_iter *it, struct rscp_block *out)
{
    const uint8_t *p = it->pos;
    size_t left = (size_t)(it->end - p); /* 0 after an error: rscp_iter_next() sets end = pos */
    if (left < RSCP_BLOCK_HEADER_SIZE) {
        if (left == 0) /* the clean end (0) or the sticky error (< 0) */
            return it->err < 0 ? it->err : 0;
        return rscp__iter_next_slow(it, out); /* a cut-off header */
    }
    uint16_t len = rscp__ld16(p + 5);
    if (left - RSCP_BLOCK_HEADER_SIZE < len)
        return rscp__iter_next_slow(it, out); /* the value runs past the end */
    out->tag = rscp__ld32(p);
    out->type = p[4];
    out->length = len;
    out->value = p + RSCP_BLOCK_HEADER_SIZE;
    it->pos = p + RSCP_BLOCK_HEADER_SIZE + len;
    return 1;
}

static inline int rscp_block_children_inline(const struct rscp_block *b, struct rscp_iter *it)
{
    if (b->type != RSCP_TYPE_CONTAINER)
        return RSCP_ERR_TYPE;
    it->base = b->value;
    it->pos = b->value;
    it->end = b->value ? b->value + b->length : b->value;
    it->err = 0;
    return 0;
}

static inline int rscp_walk_next_inline(struct rscp_walk *w, struct rscp_block *out)
{
    struct rscp_block b;
    int rc;
    while ((rc = rscp_iter_next_inline(&w->it, &b)) == 0 && w->depth > 0)
        w->it.end = w->outer[--w->depth]; /* a container ends here: back to the sequence around it */
    if (rc != 1)
        return rc;
    w->level = w->depth + 1;
    if (b.type == RSCP_TYPE_CONTAINER) {
        if (w->depth == RSCP_WALK_MAX_DEPTH) { /* sticky, at the container's header */
            w->it.pos = b.value - RSCP_BLOCK_HEADER_SIZE;
            w->it.end = w->it.pos;
            w->it.err = RSCP_ERR_DEPTH;
            return RSCP_ERR_DEPTH;
        }
        /* Enter: the children start right after the header, so the next
         * position does not wait for the length load. */
        w->outer[w->depth++] = w->it.end;
        w->it.pos = b.value;
        w->it.end = b.value + b.length;
    }
    *out = b;
    return 1;
}

/* Type and size check of the strict getters. */
static inline int rscp__expect(const struct rscp_block *b, uint8_t type, uint16_t size)
{
    return b->type != type ? RSCP_ERR_TYPE : b->length != size ? RSCP_ERR_LENGTH : 0;
}

#define RSCP__GET_INLINE(name, ctype, code, size, load)                                      \
    static inline int rscp_block_get_##name##_inline(const struct rscp_block *b, ctype *out) \
    {                                                                                        \
        int rc = rscp__expect(b, code, size);                                                \
        if (rc == 0)                                                                         \
            *out = (ctype)(load);                                                            \
        return rc;                                                                           \
    }
RSCP__GET_INLINE(bool, bool, RSCP_TYPE_BOOL, 1, b->value[0] != 0)
RSCP__GET_INLINE(char8, int8_t, RSCP_TYPE_CHAR8, 1, b->value[0])
RSCP__GET_INLINE(uchar8, uint8_t, RSCP_TYPE_UCHAR8, 1, b->value[0])
RSCP__GET_INLINE(int16, int16_t, RSCP_TYPE_INT16, 2, rscp__ld16(b->value))
RSCP__GET_INLINE(uint16, uint16_t, RSCP_TYPE_UINT16, 2, rscp__ld16(b->value))
RSCP__GET_INLINE(int32, int32_t, RSCP_TYPE_INT32, 4, rscp__ld32(b->value))
RSCP__GET_INLINE(uint32, uint32_t, RSCP_TYPE_UINT32, 4, rscp__ld32(b->value))
RSCP__GET_INLINE(int64, int64_t, RSCP_TYPE_INT64, 8, rscp__ld64(b->value))
RSCP__GET_INLINE(uint64, uint64_t, RSCP_TYPE_UINT64, 8, rscp__ld64(b->value))
RSCP__GET_INLINE(error, uint32_t, RSCP_TYPE_ERROR, 4, rscp__ld32(b->value))
#undef RSCP__GET_INLINE

/* IEEE-754 bit patterns are copied, never converted: NaN payloads and the
 * sign of zero survive. */
static inline int rscp_block_get_float32_inline(const struct rscp_block *b, float *out)
{
    int rc = rscp__expect(b, RSCP_TYPE_FLOAT32, 4);
    if (rc == 0) {
        uint32_t bits = rscp__ld32(b->value);
        memcpy(out, &bits, sizeof *out);
    }
    return rc;
}

static inline int rscp_block_get_double64_inline(const struct rscp_block *b, double *out)
{
    int rc = rscp__expect(b, RSCP_TYPE_DOUBLE64, 8);
    if (rc == 0) {
        uint64_t bits = rscp__ld64(b->value);
        memcpy(out, &bits, sizeof *out);
    }
    return rc;
}

static inline int rscp_block_get_timestamp_inline(const struct rscp_block *b, struct rscp_timestamp *out)
{
    int rc = rscp__expect(b, RSCP_TYPE_TIMESTAMP, RSCP_TIMESTAMP_SIZE);
    if (rc == 0) {
        out->seconds = (int64_t)rscp__ld64(b->value);
        out->nanoseconds = rscp__ld32(b->value + 8);
    }
    return rc;
}

static inline int rscp_block_get_string_inline(const struct rscp_block *b, const char **s, size_t *len)
{
    if (b->type != RSCP_TYPE_CSTRING)
        return RSCP_ERR_TYPE;
    *s = b->length ? (const char *)b->value : "";
    *len = b->length;
    return 0;
}

static inline int rscp_block_get_bytes_inline(const struct rscp_block *b, const uint8_t **p, size_t *len)
{
    static const uint8_t rscp__empty[1] = {0};
    if (b->type != RSCP_TYPE_BITFIELD && b->type != RSCP_TYPE_BYTEARRAY)
        return RSCP_ERR_TYPE;
    *p = b->length ? b->value : rscp__empty;
    *len = b->length;
    return 0;
}

RSCP_END_DECLS

#endif
