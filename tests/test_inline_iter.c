/* The inline iterator and getters of rscp/value.h: rscp_iter_next_inline(),
 * rscp_block_children_inline() and the rscp_block_get_*_inline() getters.
 *
 *  - vectors: frames of vectors-public.md / vectors-peers.md opened with
 *    rscp_frame_open_prefix() and walked with the inline iterator and
 *    getters give the documented values;
 *  - the little-endian and IEEE-754 layout of every getter, by hand;
 *  - every truncation of a block sequence at the end of a guard page: the
 *    inline iterator against rscp_iter_next() (same blocks, same iterator
 *    state, same error and offset) and the documented outcome. */
#include "inline_testlib.h"

#include "rscp/error.h"
#include "rscp/frame.h"
#include "rscp/value.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- vectors ------------------------------------------------------------ */

/* Open hex with rscp_frame_open_prefix() at the end of a guard page; check
 * the header fields; returns the guarded copy (caller frees). */
static uint8_t *open_vector(const char *hex, size_t *n, struct rscp_frame *f, int64_t sec, uint32_t ns, bool crc,
                            uint16_t data_len)
{
    uint8_t *raw = th_unhex(hex, n);
    uint8_t *g = th_guard_copy(raw, *n);
    free(raw);
    size_t off = 4242;
    int rc = rscp_frame_open_prefix(g, *n, NULL, f, &off);
    CHECK_INT(rc, (long long)*n);
    CHECK_INT(off, 4242); /* untouched on success */
    CHECK_INT(f->seconds, sec);
    CHECK_INT(f->nanoseconds, ns);
    CHECK_INT(f->crc, crc);
    CHECK_INT(f->data_len, data_len);
    CHECK(f->data == g + 18);
    return g;
}

static void next_block(struct rscp_iter *it, uint32_t tag, uint8_t type, uint16_t len, struct rscp_block *b)
{
    CHECK_INT(rscp_iter_next_inline(it, b), 1);
    CHECK_INT(b->tag, tag);
    CHECK_INT(b->type, type);
    CHECK_INT(b->length, len);
}

static void test_vectors(void)
{
    struct rscp_frame f;
    struct rscp_iter it, in;
    struct rscp_block b, c;
    size_t n;
    int32_t i32 = 0;
    uint8_t u8 = 0;
    bool bo = false;
    int16_t i16 = 0;
    const char *s = NULL;
    size_t sl = 0;

    uint8_t *g = open_vector(th_frame_hex("P1"), &n, &f, 1695199352, 818989000, true, 14);
    rscp_frame_iter(&f, &it);
    next_block(&it, 0x01000001, RSCP_TYPE_NONE, 0, &b);
    next_block(&it, 0x01000002, RSCP_TYPE_NONE, 0, &b);
    CHECK_INT(rscp_iter_next_inline(&it, &b), 0);
    CHECK_INT(rscp_iter_next_inline(&it, &b), 0); /* the end stays the end */
    th_guard_free(g, n);

    g = open_vector(th_frame_hex("P2"), &n, &f, 1695199355, 19685000, true, 22);
    rscp_frame_iter(&f, &it);
    next_block(&it, 0x01800001, RSCP_TYPE_INT32, 4, &b);
    CHECK_INT(rscp_block_get_int32_inline(&b, &i32), 0);
    CHECK_INT(i32, 4687);
    CHECK_INT(rscp_block_get_uint32_inline(&b, &(uint32_t){0}), RSCP_ERR_TYPE);
    next_block(&it, 0x01800002, RSCP_TYPE_INT32, 4, &b);
    CHECK_INT(rscp_block_get_int32_inline(&b, &i32), 0);
    CHECK_INT(i32, 2139);
    CHECK_INT(rscp_iter_next_inline(&it, &b), 0);
    CHECK_INT(rscp_block_children_inline(&b, &in), RSCP_ERR_TYPE);
    th_guard_free(g, n);

    g = open_vector(th_frame_hex("P3"), &n, &f, 1695219745, 542694000, true, 28);
    rscp_frame_iter(&f, &it);
    next_block(&it, 0x00000001, RSCP_TYPE_CONTAINER, 21, &b);
    CHECK_INT(rscp_block_children_inline(&b, &in), 0);
    next_block(&in, 0x00000002, RSCP_TYPE_CSTRING, 4, &c);
    CHECK_INT(rscp_block_get_string_inline(&c, &s, &sl), 0);
    CHECK_MEM(s, sl, "TEST", 4);
    next_block(&in, 0x00000003, RSCP_TYPE_CSTRING, 3, &c);
    CHECK_INT(rscp_block_get_string_inline(&c, &s, &sl), 0);
    CHECK_MEM(s, sl, "123", 3);
    CHECK_INT(rscp_iter_next_inline(&in, &c), 0);
    CHECK_INT(rscp_iter_next_inline(&it, &b), 0);
    th_guard_free(g, n);

    g = open_vector(th_frame_hex("P4"), &n, &f, 1695219974, 787390000, true, 8);
    rscp_frame_iter(&f, &it);
    next_block(&it, 0x00800001, RSCP_TYPE_UCHAR8, 1, &b);
    CHECK_INT(rscp_block_get_uchar8_inline(&b, &u8), 0);
    CHECK_INT(u8, 10);
    CHECK_INT(rscp_block_get_int32_inline(&b, &i32), RSCP_ERR_TYPE);
    th_guard_free(g, n);

    g = open_vector(th_frame_hex("P5"), &n, &f, 1695220062, 534655000, true, 11);
    rscp_frame_iter(&f, &it);
    next_block(&it, 0x00800001, RSCP_TYPE_INT32, 4, &b);
    i32 = 99;
    CHECK_INT(rscp_block_get_int32_inline(&b, &i32), 0);
    CHECK_INT(i32, 0);
    th_guard_free(g, n);

    g = open_vector(th_frame_hex("F1"), &n, &f, -23215049511, 123456000, true, 8);
    th_guard_free(g, n);
    g = open_vector(th_frame_hex("F2"), &n, &f, -23215049511, 123456000, false, 8);
    th_guard_free(g, n);

    g = open_vector(th_frame_hex("F4"), &n, &f, 1692363307, 0, true, 48);
    rscp_frame_iter(&f, &it);
    next_block(&it, 0x03860001, RSCP_TYPE_BOOL, 1, &b);
    CHECK_INT(rscp_block_get_bool_inline(&b, &bo), 0);
    CHECK(bo);
    next_block(&it, 0x03040001, RSCP_TYPE_INT16, 2, &b);
    CHECK_INT(rscp_block_get_int16_inline(&b, &i16), 0);
    CHECK_INT(i16, 100);
    next_block(&it, 0x0380000C, RSCP_TYPE_CSTRING, 24, &b);
    CHECK_INT(rscp_block_get_string_inline(&b, &s, &sl), 0);
    CHECK_MEM(s, sl, "Extreme powerful battery", 24);
    CHECK_INT(rscp_iter_next_inline(&it, &b), 0);
    th_guard_free(g, n);
}

/* Little-endian and IEEE-754 layouts of every inline getter, written by
 * hand (not by our builder). */
static struct rscp_block blk(uint8_t type, const char *hex, uint8_t **owned)
{
    size_t n;
    *owned = th_unhex(hex, &n);
    struct rscp_block b = {0x01020304u, type, (uint16_t)n, n ? *owned : NULL};
    return b;
}

static void test_getter_layouts(void)
{
    uint8_t *o;
    struct rscp_block b;
    { int8_t v = 0; b = blk(RSCP_TYPE_CHAR8, "80", &o); CHECK_INT(rscp_block_get_char8_inline(&b, &v), 0); CHECK_INT(v, -128); free(o); }
    { uint8_t v = 0; b = blk(RSCP_TYPE_UCHAR8, "ff", &o); CHECK_INT(rscp_block_get_uchar8_inline(&b, &v), 0); CHECK_INT(v, 255); free(o); }
    { bool v = false; b = blk(RSCP_TYPE_BOOL, "02", &o); CHECK_INT(rscp_block_get_bool_inline(&b, &v), 0); CHECK(v); free(o); }
    { bool v = true; b = blk(RSCP_TYPE_BOOL, "00", &o); CHECK_INT(rscp_block_get_bool_inline(&b, &v), 0); CHECK(!v); free(o); }
    { int16_t v = 0; b = blk(RSCP_TYPE_INT16, "0080", &o); CHECK_INT(rscp_block_get_int16_inline(&b, &v), 0); CHECK_INT(v, -32768); free(o); }
    { uint16_t v = 0; b = blk(RSCP_TYPE_UINT16, "3412", &o); CHECK_INT(rscp_block_get_uint16_inline(&b, &v), 0); CHECK_INT(v, 0x1234); free(o); }
    { int32_t v = 0; b = blk(RSCP_TYPE_INT32, "feffffff", &o); CHECK_INT(rscp_block_get_int32_inline(&b, &v), 0); CHECK_INT(v, -2); free(o); }
    { uint32_t v = 0; b = blk(RSCP_TYPE_UINT32, "78563412", &o); CHECK_INT(rscp_block_get_uint32_inline(&b, &v), 0); CHECK_INT(v, 0x12345678); free(o); }
    { int64_t v = 0; b = blk(RSCP_TYPE_INT64, "0000000000000080", &o); CHECK_INT(rscp_block_get_int64_inline(&b, &v), 0); CHECK(v == INT64_MIN); free(o); }
    { uint64_t v = 0; b = blk(RSCP_TYPE_UINT64, "efcdab8967452301", &o); CHECK_INT(rscp_block_get_uint64_inline(&b, &v), 0); CHECK(v == 0x0123456789abcdefull); free(o); }
    { uint32_t v = 0; b = blk(RSCP_TYPE_ERROR, "07000000", &o); CHECK_INT(rscp_block_get_error_inline(&b, &v), 0); CHECK_INT(v, 7); free(o); }
    { float v = 0; b = blk(RSCP_TYPE_FLOAT32, "0000c03f", &o); CHECK_INT(rscp_block_get_float32_inline(&b, &v), 0); CHECK(v == 1.5f); free(o); }
    { double v = 0; b = blk(RSCP_TYPE_DOUBLE64, "0000000000000080", &o); CHECK_INT(rscp_block_get_double64_inline(&b, &v), 0); CHECK(v == 0.0 && signbit(v)); free(o); }
    { double v = 0; b = blk(RSCP_TYPE_DOUBLE64, "0100000000000000", &o); CHECK_INT(rscp_block_get_double64_inline(&b, &v), 0); CHECK(v == 4.9406564584124654e-324); free(o); }
    { struct rscp_timestamp v = {0, 0}; b = blk(RSCP_TYPE_TIMESTAMP, "d1a50a6500000000a8249b15", &o);
      CHECK_INT(rscp_block_get_timestamp_inline(&b, &v), 0); CHECK_INT(v.seconds, 1695196625); CHECK_INT(v.nanoseconds, 362489000); free(o); }
    { const uint8_t *p = NULL; size_t n = 9; b = blk(RSCP_TYPE_BYTEARRAY, "", &o);
      CHECK_INT(rscp_block_get_bytes_inline(&b, &p, &n), 0); CHECK(p != NULL); CHECK_INT(n, 0); free(o); }
    { const char *s = NULL; size_t n = 9; b = blk(RSCP_TYPE_CSTRING, "", &o);
      CHECK_INT(rscp_block_get_string_inline(&b, &s, &n), 0); CHECK(s != NULL); CHECK_INT(n, 0); free(o); }
    { const char *s = NULL; size_t n = 0; b = blk(RSCP_TYPE_CSTRING, "610062", &o);
      CHECK_INT(rscp_block_get_string_inline(&b, &s, &n), 0); CHECK_MEM(s, n, "a\0b", 3); free(o); }
    /* wrong length: ERR_LENGTH, *out untouched */
    { int32_t v = 77; b = blk(RSCP_TYPE_INT32, "010203", &o); CHECK_INT(rscp_block_get_int32_inline(&b, &v), RSCP_ERR_LENGTH); CHECK_INT(v, 77); free(o); }
    { struct rscp_timestamp v = {5, 6}; b = blk(RSCP_TYPE_TIMESTAMP, "d1a50a6500000000a8249b1500", &o);
      CHECK_INT(rscp_block_get_timestamp_inline(&b, &v), RSCP_ERR_LENGTH); CHECK_INT(v.seconds, 5); CHECK_INT(v.nanoseconds, 6); free(o); }
    { bool v = true; b = blk(RSCP_TYPE_BOOL, "", &o); CHECK_INT(rscp_block_get_bool_inline(&b, &v), RSCP_ERR_LENGTH); CHECK(v); free(o); }
}

/* ---- the iterator on every cut of a block sequence ---------------------- */

static void test_cuts(void)
{
    size_t n;
    uint8_t *seq = th_unhex(il_seq, &n);
    unsigned bad = 0;
    for (size_t k = 0; k <= n; k++) {
        uint8_t *g = th_guard_copy(seq, k);
        struct rscp_iter a, b;
        rscp_iter_init(&a, g, k);
        rscp_iter_init(&b, g, k);
        il_walk_both(a, b, 0, &bad);
        /* the documented outcome of the top level, by hand */
        struct rscp_block x;
        int rc;
        rscp_iter_init(&b, g, k);
        unsigned blocks = 0;
        while ((rc = rscp_iter_next_inline(&b, &x)) == 1)
            blocks++;
        if (k == 0 || k == 40 || k == n) {
            CHECK_INT(rc, 0);
            CHECK_INT(blocks, k == 0 ? 0 : k == 40 ? 1 : 2);
        } else if (k < 7 || (k > 40 && k < 47)) {
            CHECK_INT(rc, RSCP_ERR_TRUNCATED); /* a cut-off block header */
            CHECK_INT(rscp_iter_offset(&b), k < 7 ? 0 : 40);
        } else {
            CHECK_INT(rc, RSCP_ERR_BLOCK_OVERRUN); /* a value runs past the end */
            CHECK_INT(rscp_iter_offset(&b), k < 40 ? 0 : 40);
        }
        /* errors are sticky and the offset stays */
        size_t off = rscp_iter_offset(&b);
        CHECK_INT(rscp_iter_next_inline(&b, &x), rc);
        CHECK_INT(rscp_iter_offset(&b), off);
        th_guard_free(g, k);
    }
    CHECK_INT(bad, 0);
    /* the inner container cut inside: overrun reported by the child */
    struct rscp_iter it, in;
    struct rscp_block b;
    CHECK_INT(n, 49);
    seq[5] = 0x0a; /* the outer container claims 10 bytes: the inner one (16) overruns */
    uint8_t *g = th_guard_copy(seq, 17);
    rscp_iter_init(&it, g, 17);
    CHECK_INT(rscp_iter_next_inline(&it, &b), 1);
    CHECK_INT(rscp_block_children_inline(&b, &in), 0);
    CHECK_INT(rscp_iter_next_inline(&in, &b), RSCP_ERR_BLOCK_OVERRUN);
    CHECK_INT(rscp_iter_offset(&in), 0);
    CHECK_INT(rscp_iter_next_inline(&it, &b), 0);
    th_guard_free(g, 17);
    /* an empty sequence without a buffer */
    rscp_iter_init(&it, NULL, 0);
    CHECK_INT(rscp_iter_next_inline(&it, &b), 0);
    free(seq);
}

int main(void)
{
    test_vectors();
    test_getter_layouts();
    test_cuts();
    return th_finish();
}
