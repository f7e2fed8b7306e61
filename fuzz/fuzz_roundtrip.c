/* Fuzz target: decode -> re-encode with the builder -> decode again.
 *
 * The input is decoded as a frame (plus any trailing bytes; a flagged CRC is
 * first set to the right value, so mutations reach the blocks). Every block is
 * written again through the typed rscp_put_* call of its type, with the
 * value its getter returned (raw bytes where a typed call could not
 * reproduce them: unknown types, wrong lengths, BOOL bytes other than 0/1,
 * timestamps with nanoseconds >= 1e9). The new frame must be byte-identical
 * to the original, decode again, and be structurally equal to it. A second
 * copy written with rscp_put_block must be identical too. abort() on any
 * mismatch. */
#include "fuzz_walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t out1[RSCP_MAX_FRAME_SIZE];
static uint8_t out2[RSCP_MAX_FRAME_SIZE];

static void put_typed(struct rscp_builder *b, const struct rscp_block *blk);

static void put_children(struct rscp_builder *b, const struct rscp_block *c)
{
    struct rscp_iter it;
    struct rscp_block child;
    int rc;
    if (rscp_block_children(c, &it) != 0)
        fuzz_fail("children");
    while ((rc = rscp_iter_next(&it, &child)) == 1)
        put_typed(b, &child);
    if (rc < 0)
        fuzz_fail("decoded frame has a broken container");
}

static void put_typed(struct rscp_builder *b, const struct rscp_block *blk)
{
    uint32_t tag = blk->tag;
    if (!rscp_type_is_known(blk->type) || rscp_block_check(blk) != 0) {
        rscp_put_raw(b, tag, blk->type, blk->value, blk->length);
        return;
    }
    switch (blk->type) {
    case RSCP_TYPE_NONE:
        rscp_put_none(b, tag);
        return;
    case RSCP_TYPE_BOOL: {
        bool v;
        if (blk->value[0] > 1) { /* true, but not as the builder writes it */
            rscp_put_raw(b, tag, blk->type, blk->value, blk->length);
            return;
        }
        if (rscp_block_get_bool(blk, &v) != 0)
            fuzz_fail("get_bool");
        rscp_put_bool(b, tag, v);
        return;
    }
    case RSCP_TYPE_CHAR8: {
        int8_t v;
        if (rscp_block_get_char8(blk, &v) != 0)
            fuzz_fail("get_char8");
        rscp_put_char8(b, tag, v);
        return;
    }
    case RSCP_TYPE_UCHAR8: {
        uint8_t v;
        if (rscp_block_get_uchar8(blk, &v) != 0)
            fuzz_fail("get_uchar8");
        rscp_put_uchar8(b, tag, v);
        return;
    }
    case RSCP_TYPE_INT16: {
        int16_t v;
        if (rscp_block_get_int16(blk, &v) != 0)
            fuzz_fail("get_int16");
        rscp_put_int16(b, tag, v);
        return;
    }
    case RSCP_TYPE_UINT16: {
        uint16_t v;
        if (rscp_block_get_uint16(blk, &v) != 0)
            fuzz_fail("get_uint16");
        rscp_put_uint16(b, tag, v);
        return;
    }
    case RSCP_TYPE_INT32: {
        int32_t v;
        if (rscp_block_get_int32(blk, &v) != 0)
            fuzz_fail("get_int32");
        rscp_put_int32(b, tag, v);
        return;
    }
    case RSCP_TYPE_UINT32: {
        uint32_t v;
        if (rscp_block_get_uint32(blk, &v) != 0)
            fuzz_fail("get_uint32");
        rscp_put_uint32(b, tag, v);
        return;
    }
    case RSCP_TYPE_INT64: {
        int64_t v;
        if (rscp_block_get_int64(blk, &v) != 0)
            fuzz_fail("get_int64");
        rscp_put_int64(b, tag, v);
        return;
    }
    case RSCP_TYPE_UINT64: {
        uint64_t v;
        if (rscp_block_get_uint64(blk, &v) != 0)
            fuzz_fail("get_uint64");
        rscp_put_uint64(b, tag, v);
        return;
    }
    case RSCP_TYPE_FLOAT32: {
        float v;
        if (rscp_block_get_float32(blk, &v) != 0)
            fuzz_fail("get_float32");
        rscp_put_float32(b, tag, v);
        return;
    }
    case RSCP_TYPE_DOUBLE64: {
        double v;
        if (rscp_block_get_double64(blk, &v) != 0)
            fuzz_fail("get_double64");
        rscp_put_double64(b, tag, v);
        return;
    }
    case RSCP_TYPE_TIMESTAMP: {
        struct rscp_timestamp ts;
        if (rscp_block_get_timestamp(blk, &ts) != 0)
            fuzz_fail("get_timestamp");
        if (ts.nanoseconds >= 1000000000u) { /* refused by the typed call */
            rscp_put_raw(b, tag, blk->type, blk->value, blk->length);
            return;
        }
        rscp_put_timestamp(b, tag, ts.seconds, ts.nanoseconds);
        return;
    }
    case RSCP_TYPE_ERROR: {
        uint32_t code;
        if (rscp_block_get_error(blk, &code) != 0)
            fuzz_fail("get_error");
        rscp_put_error(b, tag, code);
        return;
    }
    case RSCP_TYPE_CSTRING: {
        const char *s;
        size_t n;
        if (rscp_block_get_string(blk, &s, &n) != 0)
            fuzz_fail("get_string");
        rscp_put_string(b, tag, s, n);
        return;
    }
    case RSCP_TYPE_BITFIELD:
    case RSCP_TYPE_BYTEARRAY: {
        const uint8_t *p;
        size_t n;
        if (rscp_block_get_bytes(blk, &p, &n) != 0)
            fuzz_fail("get_bytes");
        if (blk->type == RSCP_TYPE_BITFIELD)
            rscp_put_bitfield(b, tag, p, n);
        else
            rscp_put_bytes(b, tag, p, n);
        return;
    }
    case RSCP_TYPE_CONTAINER:
        rscp_put_container_open(b, tag);
        put_children(b, blk);
        rscp_put_container_close(b);
        return;
    default:
        fuzz_fail("unhandled type");
    }
}

static void put_all_typed(struct rscp_builder *b, const struct rscp_frame *f)
{
    struct rscp_iter it;
    struct rscp_block blk;
    rscp_frame_iter(f, &it);
    while (rscp_iter_next(&it, &blk) == 1)
        put_typed(b, &blk);
}

/* Structural equality of two block sequences. */
static bool same_tree(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen, unsigned depth)
{
    struct rscp_iter ia, ib;
    struct rscp_block x, y;
    rscp_iter_init(&ia, a, alen);
    rscp_iter_init(&ib, b, blen);
    for (;;) {
        int ra = rscp_iter_next(&ia, &x), rb = rscp_iter_next(&ib, &y);
        if (ra != rb)
            return false;
        if (ra != 1)
            return ra == 0;
        if (x.tag != y.tag || x.type != y.type || x.length != y.length)
            return false;
        if (x.type == RSCP_TYPE_CONTAINER) {
            if (depth > 32 || !same_tree(x.value, x.length, y.value, y.length, depth + 1))
                return false;
        } else if (x.length && memcmp(x.value, y.value, x.length) != 0) {
            return false;
        }
    }
}

static uint8_t in[RSCP_MAX_FRAME_SIZE + 64];

int LLVMFuzzerTestOneInput(const uint8_t *input, size_t size)
{
    /* Work on a copy whose CRC (when flagged) is made to match, so that
     * mutations reach the block layer instead of stopping at the CRC. */
    if (size > sizeof in)
        return 0;
    memcpy(in, input, size);
    const uint8_t *data = in;
    struct rscp_header h;
    if (rscp_header_parse(in, size, NULL, &h) == 0 && h.crc && h.frame_len <= size) {
        uint32_t crc = rscp_crc32(0, in, h.frame_len - RSCP_CRC_SIZE);
        for (unsigned i = 0; i < 4; i++)
            in[h.frame_len - RSCP_CRC_SIZE + i] = (uint8_t)(crc >> (8 * i));
    }
    struct rscp_frame f;
    int flen = rscp_frame_decode_prefix(data, size, NULL, &f, NULL);
    if (flen <= 0)
        return 0;

    struct rscp_timestamp ts = {f.seconds, f.nanoseconds};
    struct rscp_builder b;
    if (rscp_builder_begin_frame(&b, out1, sizeof out1, &ts, f.crc) != 0)
        fuzz_fail("begin_frame");
    put_all_typed(&b, &f);
    size_t n1 = 0;
    int rc = rscp_builder_finish(&b, &n1);
    if (rc != 0)
        fuzz_fail("builder failed on a decoded frame");
    if (n1 != (size_t)flen || memcmp(out1, data, n1) != 0)
        fuzz_fail("re-encoded frame differs from the original");

    /* again with rscp_put_block */
    if (rscp_builder_begin_frame(&b, out2, sizeof out2, &ts, f.crc) != 0)
        fuzz_fail("begin_frame");
    struct rscp_iter it;
    struct rscp_block blk;
    rscp_frame_iter(&f, &it);
    while (rscp_iter_next(&it, &blk) == 1)
        rscp_put_block(&b, &blk);
    size_t n2 = 0;
    if (rscp_builder_finish(&b, &n2) != 0 || n2 != n1 || memcmp(out2, out1, n1) != 0)
        fuzz_fail("put_block copy differs");

    struct rscp_frame g;
    if (rscp_frame_decode(out1, n1, NULL, &g, NULL) != 0)
        fuzz_fail("re-encoded frame does not decode");
    if (g.seconds != f.seconds || g.nanoseconds != f.nanoseconds || g.crc != f.crc || g.data_len != f.data_len)
        fuzz_fail("header fields differ");
    if (!same_tree(f.data, f.data_len, g.data, g.data_len, 0))
        fuzz_fail("trees differ");
    return 0;
}
