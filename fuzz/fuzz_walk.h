/* Helpers shared by the fuzz targets (header-only: each target is one
 * translation unit). Everything here is static.
 *
 * Reader targets take:  byte 0 flags, bytes 1..8 chunk sizes, then the stream.
 *   flags bit 0: RSCP_LENIENT_CTRL
 *   flags bit 1: tight limits (depth 2, 8 blocks, 512 data bytes)
 *   flags bit 2: (encrypted target) portable cipher instead of auto
 *   flags bit 3: (plain target) set the CRC of every complete frame in the
 *                stream to the right value first, so that mutations reach
 *                the block layer
 *   chunk byte c: c < 128 -> c + 1 bytes, else (c - 127) * 64 bytes */
#ifndef RSCP_FUZZ_WALK_H
#define RSCP_FUZZ_WALK_H

#include "rscp/rscp.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_HEAD 9u

static inline int fuzz_null_sink(void *ctx, const char *s, size_t n)
{
    (void)ctx;
    (void)s;
    (void)n;
    return 0;
}

static inline void fuzz_fail(const char *what)
{
    fprintf(stderr, "fuzz invariant broken: %s\n", what);
    abort();
}

static inline size_t fuzz_chunk_size(const uint8_t *pattern, size_t i)
{
    uint8_t c = pattern[i % 8];
    return c < 128 ? (size_t)c + 1 : (size_t)(c - 127) * 64;
}

static inline struct rscp_limits fuzz_limits(uint8_t flags)
{
    struct rscp_limits l = rscp_limits_default();
    if (flags & 1)
        l.flags |= RSCP_LENIENT_CTRL;
    if (flags & 2) {
        l.max_depth = 2;
        l.max_blocks = 8;
        l.max_data_len = 512;
    }
    return l;
}

/* Call every getter on b; check that the typed getters agree with the
 * block's type and length. */
static inline void fuzz_getters(const struct rscp_block *b)
{
    bool bo;
    int8_t c8;
    uint8_t u8;
    int16_t i16;
    uint16_t u16;
    int32_t i32;
    uint32_t u32;
    int64_t i64;
    uint64_t u64;
    float f32;
    double f64;
    struct rscp_timestamp ts;
    const char *s;
    const uint8_t *p;
    size_t n;
    int rcs[15];
    rcs[0] = rscp_block_get_bool(b, &bo);
    rcs[1] = rscp_block_get_char8(b, &c8);
    rcs[2] = rscp_block_get_uchar8(b, &u8);
    rcs[3] = rscp_block_get_int16(b, &i16);
    rcs[4] = rscp_block_get_uint16(b, &u16);
    rcs[5] = rscp_block_get_int32(b, &i32);
    rcs[6] = rscp_block_get_uint32(b, &u32);
    rcs[7] = rscp_block_get_int64(b, &i64);
    rcs[8] = rscp_block_get_uint64(b, &u64);
    rcs[9] = rscp_block_get_float32(b, &f32);
    rcs[10] = rscp_block_get_double64(b, &f64);
    rcs[11] = rscp_block_get_timestamp(b, &ts);
    rcs[12] = rscp_block_get_error(b, &u32);
    rcs[13] = rscp_block_get_string(b, &s, &n);
    if (rcs[13] == 0 && n != b->length)
        fuzz_fail("string length");
    rcs[14] = rscp_block_get_bytes(b, &p, &n);
    if (rcs[14] == 0 && n != b->length)
        fuzz_fail("bytes length");
    /* the getter of the block's own type succeeds exactly when the length fits */
    static const int8_t getter_of_type[256] = {
        [RSCP_TYPE_NONE] = -1, [RSCP_TYPE_BOOL] = 0, [RSCP_TYPE_CHAR8] = 1, [RSCP_TYPE_UCHAR8] = 2,
        [RSCP_TYPE_INT16] = 3, [RSCP_TYPE_UINT16] = 4, [RSCP_TYPE_INT32] = 5, [RSCP_TYPE_UINT32] = 6,
        [RSCP_TYPE_INT64] = 7, [RSCP_TYPE_UINT64] = 8, [RSCP_TYPE_FLOAT32] = 9, [RSCP_TYPE_DOUBLE64] = 10,
        [RSCP_TYPE_BITFIELD] = 14, [RSCP_TYPE_CSTRING] = 13, [RSCP_TYPE_CONTAINER] = -1,
        [RSCP_TYPE_TIMESTAMP] = 11, [RSCP_TYPE_BYTEARRAY] = 14, [RSCP_TYPE_ERROR] = 12,
    };
    int want_ok = rscp_type_is_known(b->type) ? getter_of_type[b->type] : -1;
    bool well_formed = rscp_block_check(b) == 0;
    for (int i = 0; i < 15; i++) {
        if (i == want_ok) {
            if ((rcs[i] == 0) != well_formed)
                fuzz_fail("own getter disagrees with rscp_block_check");
        } else if (rcs[i] == 0) {
            fuzz_fail("getter of another type succeeded");
        }
    }
    rscp_block_get_int(b, &i64);
    rscp_block_get_uint(b, &u64);
    rscp_block_get_number(b, &f64);
}

/* Walk data recursively (depth-bounded), calling every getter; returns the
 * number of blocks seen. */
static inline unsigned fuzz_walk(const uint8_t *data, size_t len, unsigned depth)
{
    struct rscp_iter it;
    struct rscp_block b;
    unsigned count = 0;
    rscp_iter_init(&it, data, len);
    int rc;
    while ((rc = rscp_iter_next(&it, &b)) == 1) {
        count++;
        if (b.length > 0 && (b.value < data || b.value + b.length > data + len))
            fuzz_fail("block outside its sequence");
        fuzz_getters(&b);
        if (b.type == RSCP_TYPE_CONTAINER) {
            struct rscp_iter child;
            if (rscp_block_children(&b, &child) != 0)
                fuzz_fail("children of a container");
            if (depth < 32)
                count += fuzz_walk(b.value, b.length, depth + 1);
            struct rscp_block found;
            rscp_block_find(&b, 0x01800001u, &found);
        } else {
            struct rscp_iter child;
            if (rscp_block_children(&b, &child) != RSCP_ERR_TYPE)
                fuzz_fail("children of a non-container");
        }
    }
    if (rc < 0 && rscp_iter_next(&it, &b) != rc)
        fuzz_fail("iterator error not sticky");
    return count;
}

/* Both dumps of a frame to a null sink. */
static inline void fuzz_dump_frame(const struct rscp_frame *f)
{
    for (unsigned flags = 0; flags < 4; flags++) {
        int t = rscp_dump_frame(f, flags, fuzz_null_sink, NULL);
        int j = rscp_json_frame(f, flags, fuzz_null_sink, NULL);
        if (t != j)
            fuzz_fail("text and JSON dumps disagree");
    }
}

/* What one pass of a reader over a stream produced. */
struct fuzz_result {
    unsigned frames;
    uint32_t digest; /* CRC-32 over every frame's header fields and data */
    int err;         /* sticky error at the end, 0 if none */
    size_t consumed; /* bytes the reader took */
};

static inline void fuzz_digest_frame(struct fuzz_result *res, const struct rscp_frame *f)
{
    uint8_t head[16];
    uint64_t s = (uint64_t)f->seconds;
    for (int i = 0; i < 8; i++)
        head[i] = (uint8_t)(s >> (8 * i));
    for (int i = 0; i < 4; i++)
        head[8 + i] = (uint8_t)(f->nanoseconds >> (8 * i));
    head[12] = f->crc;
    head[13] = (uint8_t)f->data_len;
    head[14] = (uint8_t)(f->data_len >> 8);
    head[15] = 0;
    res->digest = rscp_crc32(res->digest, head, sizeof head);
    res->digest = rscp_crc32(res->digest, f->data, f->data_len);
    res->frames++;
}

/* Feed stream[0..n) into r in chunks (sizes from pattern, or all at once
 * when pattern is NULL), take out every frame; when inspect is set, walk
 * and dump each one. */
static inline struct fuzz_result fuzz_reader_pass(rscp_reader *r, const uint8_t *stream, size_t n,
                                           const uint8_t *pattern, bool inspect)
{
    struct fuzz_result res = {0, 0, 0, 0};
    size_t off = 0, chunk_i = 0;
    while (off < n) {
        size_t want = pattern ? fuzz_chunk_size(pattern, chunk_i++) : n - off;
        if (want > n - off)
            want = n - off;
        size_t fed = 0;
        while (fed < want) {
            int k = rscp_reader_feed(r, stream + off + fed, want - fed);
            if (k < 0) {
                if (rscp_reader_error(r) != 0 && rscp_reader_error(r) != k)
                    fuzz_fail("feed error differs from the sticky error");
                res.err = k;
                res.consumed = off + fed;
                return res;
            }
            fed += (size_t)k;
            struct rscp_frame f;
            int rc;
            unsigned got = 0;
            while ((rc = rscp_reader_next(r, &f)) == 1) {
                got++;
                fuzz_digest_frame(&res, &f);
                if (inspect) {
                    fuzz_walk(f.data, f.data_len, 0);
                    fuzz_dump_frame(&f);
                }
            }
            if (rc < 0) {
                if (rscp_reader_error(r) != rc || rscp_reader_next(r, &f) != rc ||
                    rscp_reader_feed(r, stream, 1) != rc)
                    fuzz_fail("reader error is not sticky");
                res.err = rc;
                res.consumed = off + fed;
                return res;
            }
            if (k == 0 && got == 0)
                fuzz_fail("reader takes no bytes and has no frame");
        }
        off += want;
    }
    res.consumed = off;
    return res;
}

/* Run the reader twice over the input (chunked, then all at once after a
 * reset); both passes must see the same frames and the same error. */
static inline void fuzz_reader_run(const uint8_t *data, size_t size, rscp_cipher *cipher)
{
    static uint8_t fixed[1u << 20];
    if (size < FUZZ_HEAD)
        return;
    uint8_t flags = data[0];
    const uint8_t *pattern = data + 1;
    const uint8_t *stream = data + FUZZ_HEAD;
    size_t n = size - FUZZ_HEAD;
    if (!cipher && (flags & 8) && n <= sizeof fixed) {
        memcpy(fixed, stream, n);
        struct rscp_header h;
        struct rscp_limits lim = fuzz_limits(flags);
        size_t off = 0;
        while (rscp_header_parse(fixed + off, n - off, &lim, &h) == 0 && h.frame_len <= n - off) {
            if (h.crc) {
                uint32_t crc = rscp_crc32(0, fixed + off, h.frame_len - RSCP_CRC_SIZE);
                for (unsigned i = 0; i < 4; i++)
                    fixed[off + h.frame_len - RSCP_CRC_SIZE + i] = (uint8_t)(crc >> (8 * i));
            }
            off += h.frame_len;
        }
        stream = fixed;
    }

    rscp_reader *r = NULL;
    if (rscp_reader_new(&r) != 0)
        return;
    struct rscp_limits lim = fuzz_limits(flags);
    if (rscp_reader_set_limits(r, &lim) != 0)
        fuzz_fail("set_limits");
    if (cipher) {
        rscp_cipher_reset(cipher);
        rscp_reader_set_cipher(r, cipher);
    }
    struct fuzz_result a = fuzz_reader_pass(r, stream, n, pattern, true);
    size_t pending = rscp_reader_pending(r);
    (void)pending;
    (void)rscp_reader_error_offset(r);

    rscp_reader_reset(r);
    if (cipher)
        rscp_cipher_reset(cipher);
    struct fuzz_result b = fuzz_reader_pass(r, stream, n, NULL, false);
    if (a.frames != b.frames || a.digest != b.digest || a.err != b.err)
        fuzz_fail("chunked and one-piece feeding differ");
    rscp_reader_free(r);
}

#endif
