/* The inline fast paths of rscp/value.h and rscp/builder.h and the one-pass
 * rscp_frame_open_prefix() of rscp/frame.h.
 *
 *  - vectors: frames of vectors-public.md / vectors-peers.md opened with
 *    rscp_frame_open_prefix() and walked with rscp_iter_next_inline(),
 *    rscp_block_children_inline() and the inline getters give the
 *    documented values; the inline puts rebuild the documented bytes;
 *  - malformed input at the end of a guard page: every truncation of a
 *    block sequence, every header/CRC error of rscp_frame_open_prefix();
 *  - equivalence on random frames (also mutated, also at a guard page):
 *    rscp_frame_open_prefix() against rscp_frame_decode_prefix(), the inline
 *    iterator against rscp_iter_next() (same blocks, same iterator state,
 *    same error and offset), the depth-first walk (inline and exported)
 *    against a recursive iteration and rscp_validate(), every inline getter
 *    against the exported one,
 *    and every inline put against the exported put (same bytes, same
 *    builder state, NOSPACE at every capacity, sticky errors). */
#include "harness.h"
#include "rscp/builder.h"
#include "rscp/error.h"
#include "rscp/frame.h"
#include "rscp/value.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- vectors ------------------------------------------------------------ */

static const char P1[] = "e3dc001178b00a6500000000c8c7d0300e0001000001000000020000010000004c769f09";
static const char P2[] = "e3dc00117bb00a6500000000885e2c011600010080010604004f120000020080010604005b08000058156e18";
static const char P3[] =
    "e3dc001121000b650000000070da58201c00010000000e1500020000000d040054455354030000000d030031323378babe16";
static const char P4[] = "e3dc001106010b6500000000309eee2e0800010080000301000ad4e6f5cf";
static const char P5[] = "e3dc00115e010b65000000001830de1f0b00010080000604000000000003120cf6";
static const char F1[] = "e3dc0011d9744698faffffff00ca5b070800010080000301000a7fb3efc3";
static const char F2[] = "e3dc0001d9744698faffffff00ca5b070800010080000301000a";
/* F4 of vectors-peers.md: BOOL true, INT16 100, CSTRING "Extreme powerful battery" */
static const char F4[] = "e3dc00112b6adf640000000000000000300001008603010100010100040304020064000c0080030d180045787472656d65"
                         "20706f7765726675"
                         "6c2062617474657279e08ab95f";

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

    uint8_t *g = open_vector(P1, &n, &f, 1695199352, 818989000, true, 14);
    rscp_frame_iter(&f, &it);
    next_block(&it, 0x01000001, RSCP_TYPE_NONE, 0, &b);
    next_block(&it, 0x01000002, RSCP_TYPE_NONE, 0, &b);
    CHECK_INT(rscp_iter_next_inline(&it, &b), 0);
    CHECK_INT(rscp_iter_next_inline(&it, &b), 0); /* the end stays the end */
    th_guard_free(g, n);

    g = open_vector(P2, &n, &f, 1695199355, 19685000, true, 22);
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

    g = open_vector(P3, &n, &f, 1695219745, 542694000, true, 28);
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

    g = open_vector(P4, &n, &f, 1695219974, 787390000, true, 8);
    rscp_frame_iter(&f, &it);
    next_block(&it, 0x00800001, RSCP_TYPE_UCHAR8, 1, &b);
    CHECK_INT(rscp_block_get_uchar8_inline(&b, &u8), 0);
    CHECK_INT(u8, 10);
    CHECK_INT(rscp_block_get_int32_inline(&b, &i32), RSCP_ERR_TYPE);
    th_guard_free(g, n);

    g = open_vector(P5, &n, &f, 1695220062, 534655000, true, 11);
    rscp_frame_iter(&f, &it);
    next_block(&it, 0x00800001, RSCP_TYPE_INT32, 4, &b);
    i32 = 99;
    CHECK_INT(rscp_block_get_int32_inline(&b, &i32), 0);
    CHECK_INT(i32, 0);
    th_guard_free(g, n);

    g = open_vector(F1, &n, &f, -23215049511, 123456000, true, 8);
    th_guard_free(g, n);
    g = open_vector(F2, &n, &f, -23215049511, 123456000, false, 8);
    th_guard_free(g, n);

    g = open_vector(F4, &n, &f, 1692363307, 0, true, 48);
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

/* Data of F7-like nested frame: container(container(uint16, none), cstring)
 * and a BYTEARRAY, all written by hand. */
static const char SEQ[] = "010000000e2100"          /* 0: container, 33 bytes     */
                          "020000000e1000"          /*      container, 16 bytes   */
                          "03000000050200" "3412"   /*        UINT16 0x1234       */
                          "04000000000000"          /*        NONE                */
                          "050000000d0300" "616263" /*      CSTRING "abc"         */
                          "06000000100200" "aabb";  /* 40: BYTEARRAY, 49 in all   */

struct step {
    int rc;
    struct rscp_block b;
    struct rscp_iter it;
};

/* Walk it with both iterators side by side (recursively) and compare. */
static void walk_both(struct rscp_iter a, struct rscp_iter b, unsigned depth, unsigned *bad)
{
    for (int guard = 0; guard < 100000; guard++) {
        struct rscp_block ba = {1, 2, 3, NULL}, bb = {1, 2, 3, NULL};
        int ra = rscp_iter_next(&a, &ba);
        int rb = rscp_iter_next_inline(&b, &bb);
        bool same = ra == rb && a.pos == b.pos && a.end == b.end && a.base == b.base && a.err == b.err &&
                    rscp_iter_offset(&a) == rscp_iter_offset(&b) && ba.tag == bb.tag && ba.type == bb.type &&
                    ba.length == bb.length && ba.value == bb.value;
        if (!same && (*bad)++ < 5)
            FAIL("rscp_iter_next_inline differs from rscp_iter_next");
        if (ra != 1)
            return;
        struct rscp_iter ca, cb;
        int ka = rscp_block_children(&ba, &ca), kb = rscp_block_children_inline(&bb, &cb);
        if (ka != kb && (*bad)++ < 5)
            FAIL("rscp_block_children_inline differs from rscp_block_children");
        if (ka == 0) {
            if ((ca.pos != cb.pos || ca.end != cb.end || ca.base != cb.base || ca.err != cb.err) && (*bad)++ < 5)
                FAIL("child iterators differ");
            if (depth < 40)
                walk_both(ca, cb, depth + 1, bad);
        }
    }
    FAIL("iteration does not end");
}

static void test_cuts(void)
{
    size_t n;
    uint8_t *seq = th_unhex(SEQ, &n);
    unsigned bad = 0;
    for (size_t k = 0; k <= n; k++) {
        uint8_t *g = th_guard_copy(seq, k);
        struct rscp_iter a, b;
        rscp_iter_init(&a, g, k);
        rscp_iter_init(&b, g, k);
        walk_both(a, b, 0, &bad);
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

/* ---- the depth-first walk ------------------------------------------------ */

struct rec {
    struct rscp_block b;
    unsigned level;
};

/* Reference: every block in depth-first order with its level, by recursion
 * with the exported iterator, up to the first error. */
static void collect(struct rscp_iter it, unsigned level, struct rec *out, size_t cap, size_t *n)
{
    struct rscp_block b;
    while (rscp_iter_next(&it, &b) == 1) {
        if (*n < cap)
            out[*n] = (struct rec){b, level};
        ++*n;
        struct rscp_iter in;
        if (rscp_block_children(&b, &in) == 0) {
            if (level > RSCP_DEFAULT_MAX_DEPTH)
                return; /* rscp_validate() stops here: nothing inside is walked */
            collect(in, level + 1, out, cap, n);
        }
        if (it.err)
            return;
    }
}

/* Walk data[0..n) with rscp_walk_next_inline() and rscp_walk_next() side by
 * side; compare each step with the other, with the recursive reference and
 * the outcome with rscp_validate() (error and offset). */
static void check_walk(const uint8_t *data, size_t n, unsigned *bad)
{
    enum { CAP = 4096 };
    static struct rec ref[CAP];
    size_t nref = 0;
    struct rscp_iter top;
    rscp_iter_init(&top, data, n);
    collect(top, 1, ref, CAP, &nref);
    size_t voff = 4242;
    int vrc = rscp_validate(data, n, NULL, &voff);

    struct rscp_walk a, b;
    rscp_walk_init(&a, data, n);
    rscp_walk_init(&b, data, n);
    size_t k = 0;
    int ra, rb;
    for (;;) {
        struct rscp_block ba = {1, 2, 3, NULL}, bb = {1, 2, 3, NULL};
        ra = rscp_walk_next_inline(&a, &ba);
        rb = rscp_walk_next(&b, &bb);
        bool same = ra == rb && a.it.pos == b.it.pos && a.it.end == b.it.end && a.it.base == b.it.base &&
                    a.it.err == b.it.err && a.depth == b.depth && a.level == b.level && ba.tag == bb.tag &&
                    ba.type == bb.type && ba.length == bb.length && ba.value == bb.value;
        if (!same && (*bad)++ < 5)
            FAIL("rscp_walk_next_inline differs from rscp_walk_next");
        if (ra != 1) {
            if (ra == 0 && (ba.tag != 1 || ba.type != 2 || ba.length != 3 || ba.value != NULL) && (*bad)++ < 5)
                FAIL("the walk wrote *out without a block");
            break;
        }
        bool match = k < nref && k < CAP && ref[k].b.tag == ba.tag && ref[k].b.type == ba.type &&
                     ref[k].b.length == ba.length && ref[k].b.value == ba.value && ref[k].level == a.level;
        if (!match && (*bad)++ < 5)
            FAIL("the walk differs from the recursive iteration");
        k++;
        if (k > CAP + 10) {
            FAIL("walk does not end");
            return;
        }
    }
    /* the outcome is rscp_validate()'s, at the same offset */
    if ((ra != vrc || (ra < 0 && rscp_iter_offset(&a.it) != voff)) && (*bad)++ < 5)
        FAIL("walk outcome differs from rscp_validate");
    if (ra == 0 && k != nref && (*bad)++ < 5)
        FAIL("walk missed blocks");
    /* sticky: the same answer again, the offset stays */
    size_t off = rscp_iter_offset(&a.it);
    struct rscp_block x;
    if ((rscp_walk_next_inline(&a, &x) != ra || rscp_walk_next(&b, &x) != ra || rscp_iter_offset(&a.it) != off) &&
        (*bad)++ < 5)
        FAIL("walk end or error not sticky");
}

/* n containers nested in each other, the innermost holding one UCHAR8. */
static size_t nest(uint8_t *buf, unsigned n)
{
    size_t pos = 0;
    for (unsigned k = 0; k < n; k++) {
        size_t inner = (size_t)(n - 1 - k) * 7 + 8;
        uint8_t h[7] = {(uint8_t)k, 0, 0, 0x0e, RSCP_TYPE_CONTAINER, (uint8_t)inner, (uint8_t)(inner >> 8)};
        memcpy(buf + pos, h, 7);
        pos += 7;
    }
    uint8_t leaf[8] = {0xAA, 0, 0, 0, RSCP_TYPE_UCHAR8, 1, 0, 0x5A};
    memcpy(buf + pos, leaf, 8);
    return pos + 8;
}

static void test_walk(void)
{
    size_t n;
    uint8_t *seq = th_unhex(SEQ, &n);
    uint8_t *g = th_guard_copy(seq, n);
    /* SEQ by hand: tags 1..6 at levels 1, 2, 3, 3, 2, 1 */
    static const unsigned levels[] = {1, 2, 3, 3, 2, 1};
    struct rscp_walk w;
    struct rscp_block b;
    rscp_walk_init(&w, g, n);
    for (unsigned k = 0; k < 6; k++) {
        CHECK_INT(rscp_walk_next_inline(&w, &b), 1);
        CHECK_INT(b.tag, k + 1);
        CHECK_INT(w.level, levels[k]);
    }
    CHECK_INT(b.type, RSCP_TYPE_BYTEARRAY);
    CHECK_INT(b.length, 2);
    CHECK(b.value == g + 47);
    CHECK_INT(rscp_walk_next_inline(&w, &b), 0);
    CHECK_INT(rscp_walk_next_inline(&w, &b), 0);
    CHECK_INT(rscp_iter_offset(&w.it), 49);
    th_guard_free(g, n);

    /* every cut at a guard page: as the recursion and rscp_validate() */
    unsigned bad = 0;
    for (size_t k = 0; k <= n; k++) {
        g = th_guard_copy(seq, k);
        check_walk(g, k, &bad);
        th_guard_free(g, k);
    }
    /* the inner container overruns the outer one (offset 7, as validate) */
    seq[5] = 0x0a;
    g = th_guard_copy(seq, 17);
    rscp_walk_init(&w, g, 17);
    CHECK_INT(rscp_walk_next_inline(&w, &b), 1);
    CHECK_INT(rscp_walk_next_inline(&w, &b), RSCP_ERR_BLOCK_OVERRUN);
    CHECK_INT(rscp_iter_offset(&w.it), 7);
    check_walk(g, 17, &bad);
    th_guard_free(g, 17);
    free(seq);

    /* depth: containers at levels 1..16 are entered, one at level 17 is
     * RSCP_ERR_DEPTH at its header */
    uint8_t deep[20 * 7 + 8];
    for (unsigned d = 1; d <= 20; d++) {
        size_t len = nest(deep, d);
        g = th_guard_copy(deep, len);
        rscp_walk_init(&w, g, len);
        unsigned seen = 0, last = 0;
        int rc;
        while ((rc = rscp_walk_next_inline(&w, &b)) == 1) {
            seen++;
            last = w.level;
        }
        if (d <= RSCP_WALK_MAX_DEPTH) {
            CHECK_INT(rc, 0);
            CHECK_INT(seen, d + 1);
            CHECK_INT(last, d + 1);
            CHECK_INT(b.tag, 0xAA);
        } else {
            CHECK_INT(rc, RSCP_ERR_DEPTH);
            CHECK_INT(seen, RSCP_WALK_MAX_DEPTH);
            CHECK_INT(rscp_iter_offset(&w.it), RSCP_WALK_MAX_DEPTH * 7);
        }
        check_walk(g, len, &bad);
        th_guard_free(g, len);
    }
    /* nothing to walk */
    rscp_walk_init(&w, NULL, 0);
    CHECK_INT(rscp_walk_next_inline(&w, &b), 0);
    CHECK_INT(rscp_walk_next(&w, &b), 0);
    CHECK_INT(bad, 0);
}

/* ---- rscp_frame_open_prefix: errors ------------------------------------- */

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void fix_crc(uint8_t *p, size_t n)
{
    put32(p + n - 4, (uint32_t)crc32(0L, p, (uInt)(n - 4)));
}

struct opened {
    int rc;
    size_t off;
    struct rscp_frame f;
};

static struct opened open_guarded(const uint8_t *p, size_t n, const struct rscp_limits *lim, bool full)
{
    uint8_t *g = th_guard_copy(p, n);
    struct opened o = {0, 4242, {0, 0, false, NULL, 0}};
    o.rc = full ? rscp_frame_decode_prefix(g, n, lim, &o.f, &o.off) : rscp_frame_open_prefix(g, n, lim, &o.f, &o.off);
    if (o.f.data)
        o.f.data = p + (o.f.data - g); /* comparable across copies */
    th_guard_free(g, n);
    return o;
}

static void expect_open(const uint8_t *p, size_t n, const struct rscp_limits *lim, int rc, size_t off, int line)
{
    struct opened o = open_guarded(p, n, lim, false);
    th_check_int(o.rc, rc, __FILE__, line, "rscp_frame_open_prefix error");
    th_check_int((long long)o.off, rc < 0 ? (long long)off : 4242, __FILE__, line, "error offset");
}
#define EXPECT_OPEN(p, n, lim, rc, off) expect_open((p), (n), (lim), (rc), (off), __LINE__)

static void test_open_errors(void)
{
    size_t n, n2;
    uint8_t *f1 = th_unhex(F1, &n); /* 30 bytes with CRC */
    uint8_t *f2 = th_unhex(F2, &n2);
    uint8_t p[128];
    struct rscp_limits lim = rscp_limits_default();

    EXPECT_OPEN(f1, n, NULL, 30, 0);
    memcpy(p, f1, n);
    memcpy(p + n, f2, n2); /* a prefix: the next frame follows */
    EXPECT_OPEN(p, n + n2, NULL, 30, 0);
    EXPECT_OPEN(f2, n2, NULL, 26, 0);
    memcpy(p, f1, n), p[0] = 0xE2;
    EXPECT_OPEN(p, n, NULL, RSCP_ERR_MAGIC, 0);
    memcpy(p, f1, n), p[1] = 0xDD;
    EXPECT_OPEN(p, n, NULL, RSCP_ERR_MAGIC, 0);
    EXPECT_OPEN(p, 2, NULL, RSCP_ERR_MAGIC, 0);
    memcpy(p, f1, n), p[2] = 0x01;
    EXPECT_OPEN(p, n, NULL, RSCP_ERR_CTRL, 2);
    memcpy(p, f1, n), p[3] = 0x31;
    EXPECT_OPEN(p, n, NULL, RSCP_ERR_CTRL, 2);
    memcpy(p, f1, n), p[3] = 0x12;
    EXPECT_OPEN(p, n, NULL, RSCP_ERR_VERSION, 2);
    memcpy(p, f1, n), p[3] = 0x10; /* "00 10" */
    EXPECT_OPEN(p, n, NULL, RSCP_ERR_VERSION, 2);
    lim.flags = RSCP_LENIENT_CTRL;
    EXPECT_OPEN(p, n, &lim, 26, 0); /* read as a frame without CRC */
    lim.flags = 0;
    memcpy(p, f1, n), put32(p + 12, 1000000000u), fix_crc(p, n);
    EXPECT_OPEN(p, n, NULL, RSCP_ERR_TIME, 12);
    memcpy(p, f1, n), put32(p + 12, 999999999u), fix_crc(p, n);
    EXPECT_OPEN(p, n, NULL, 30, 0);
    /* length beyond the limit, beyond the buffer */
    lim.max_data_len = 7;
    EXPECT_OPEN(f1, n, &lim, RSCP_ERR_FRAME_TOO_LONG, 16);
    lim.max_data_len = 8;
    EXPECT_OPEN(f1, n, &lim, 30, 0);
    lim = rscp_limits_default();
    for (size_t k = 0; k < n; k++) {
        /* every truncation: TRUNCATED at the end of the input */
        EXPECT_OPEN(f1, k, NULL, RSCP_ERR_TRUNCATED, k);
    }
    memcpy(p, f1, n), p[16] = 9;
    EXPECT_OPEN(p, n, NULL, RSCP_ERR_TRUNCATED, 30);
    /* CRC: every bit of the CRC and of the data */
    for (size_t bit = 0; bit < 8 * n; bit++) {
        if (bit / 8 < 4 || (bit / 8 >= 12 && bit / 8 < 18))
            continue; /* header fields checked above */
        memcpy(p, f1, n);
        p[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        EXPECT_OPEN(p, n, NULL, RSCP_ERR_CRC, 26);
    }
    /* a NULL buffer */
    struct rscp_frame f;
    size_t off = 1;
    CHECK_INT(rscp_frame_open_prefix(NULL, 0, NULL, &f, &off), RSCP_ERR_TRUNCATED);
    CHECK_INT(rscp_frame_open_prefix(NULL, 5, NULL, &f, NULL), RSCP_ERR_ARG);
    /* the block structure is left to the iterator: a block length that runs
     * past the data passes here but not in rscp_frame_decode_prefix() */
    memcpy(p, f1, n), p[23] = 2, fix_crc(p, n);
    EXPECT_OPEN(p, n, NULL, 30, 0);
    struct opened full = open_guarded(p, n, NULL, true);
    CHECK_INT(full.rc, RSCP_ERR_BLOCK_OVERRUN);
    CHECK_INT(full.off, 18);
    struct opened o = open_guarded(p, n, NULL, false);
    struct rscp_iter it;
    struct rscp_block b;
    uint8_t *g = th_guard_copy(p, n);
    CHECK_INT(rscp_frame_open_prefix(g, n, NULL, &o.f, NULL), 30);
    rscp_frame_iter(&o.f, &it);
    CHECK_INT(rscp_iter_next_inline(&it, &b), RSCP_ERR_BLOCK_OVERRUN);
    CHECK_INT(rscp_iter_offset(&it), 0);
    th_guard_free(g, n);
    free(f1);
    free(f2);
}

/* ---- random frames: equivalence ----------------------------------------- */

static const uint8_t fixed_types[] = {RSCP_TYPE_BOOL,   RSCP_TYPE_CHAR8,  RSCP_TYPE_UCHAR8,   RSCP_TYPE_INT16,
                                      RSCP_TYPE_UINT16, RSCP_TYPE_INT32,  RSCP_TYPE_UINT32,   RSCP_TYPE_INT64,
                                      RSCP_TYPE_UINT64, RSCP_TYPE_FLOAT32, RSCP_TYPE_DOUBLE64, RSCP_TYPE_TIMESTAMP,
                                      RSCP_TYPE_ERROR,  RSCP_TYPE_NONE};

/* Random blocks: mostly well-typed, sometimes a wrong length or an unknown
 * type code, containers up to depth 4. */
static void gen(struct rscp_builder *b, unsigned depth, size_t budget)
{
    unsigned count = th_rand_below(6);
    for (unsigned i = 0; i < count && b->cap - b->pos > budget; i++) {
        uint32_t tag = (uint32_t)th_rand();
        unsigned pick = th_rand_below(10);
        if (pick == 0 && depth < 4) {
            rscp_put_container_open(b, tag);
            gen(b, depth + 1, budget);
            rscp_put_container_close(b);
        } else if (pick < 6) {
            uint8_t type = fixed_types[th_rand_below(N(fixed_types))];
            uint8_t v[16];
            for (size_t k = 0; k < sizeof v; k++)
                v[k] = (uint8_t)th_rand();
            int size = rscp_type_size(type);
            size_t len = (size_t)size;
            if (th_rand_below(8) == 0)
                len = th_rand_below(14); /* wrong length, most of the time */
            rscp_put_raw(b, tag, type, v, len);
        } else {
            static const uint8_t var_types[] = {RSCP_TYPE_CSTRING, RSCP_TYPE_BYTEARRAY, RSCP_TYPE_BITFIELD, 0x11,
                                                0x42, 0xFE};
            uint8_t v[40];
            size_t len = th_rand_below(sizeof v);
            for (size_t k = 0; k < len; k++)
                v[k] = (uint8_t)th_rand();
            rscp_put_raw(b, tag, var_types[th_rand_below(N(var_types))], v, len);
        }
    }
}

static bool same_bits(const void *a, const void *b, size_t n)
{
    return memcmp(a, b, n) == 0;
}

/* Every inline getter against the exported one on b; the outputs start as
 * the same sentinel so "untouched on error" is compared too. */
static bool getters_agree(const struct rscp_block *b)
{
    bool ok = true;
#define SAME(type, name)                                                     \
    do {                                                                     \
        type x, y;                                                           \
        memset(&x, 0x5a, sizeof x);                                          \
        memset(&y, 0x5a, sizeof y);                                          \
        int ra = rscp_block_get_##name(b, &x), rb = rscp_block_get_##name##_inline(b, &y); \
        ok = ok && ra == rb && same_bits(&x, &y, sizeof x);                  \
    } while (0)
    SAME(bool, bool);
    SAME(int8_t, char8);
    SAME(uint8_t, uchar8);
    SAME(int16_t, int16);
    SAME(uint16_t, uint16);
    SAME(int32_t, int32);
    SAME(uint32_t, uint32);
    SAME(int64_t, int64);
    SAME(uint64_t, uint64);
    SAME(float, float32);
    SAME(double, double64);
    SAME(struct rscp_timestamp, timestamp);
    SAME(uint32_t, error);
#undef SAME
    static const char sentinel[] = "x";
    {
        const char *s1 = sentinel, *s2 = sentinel;
        size_t l1 = 5, l2 = 5;
        int ra = rscp_block_get_string(b, &s1, &l1), rb = rscp_block_get_string_inline(b, &s2, &l2);
        ok = ok && ra == rb && l1 == l2;
        if (ra != 0) /* untouched */
            ok = ok && s1 == sentinel && s2 == sentinel && l1 == 5;
        else if (b->length == 0) /* an empty string is "", never NULL */
            ok = ok && s1 != NULL && s2 != NULL && l1 == 0;
        else
            ok = ok && s1 == (const char *)b->value && s2 == s1 && l1 == b->length;
    }
    {
        const uint8_t *p1 = (const uint8_t *)sentinel, *p2 = p1;
        size_t l1 = 5, l2 = 5;
        int ra = rscp_block_get_bytes(b, &p1, &l1), rb = rscp_block_get_bytes_inline(b, &p2, &l2);
        ok = ok && ra == rb && l1 == l2;
        if (ra != 0)
            ok = ok && p1 == (const uint8_t *)sentinel && p2 == p1 && l1 == 5;
        else if (b->length == 0)
            ok = ok && p1 != NULL && p2 != NULL && l1 == 0;
        else
            ok = ok && p1 == b->value && p2 == p1 && l1 == b->length;
    }
    return ok;
}

static void walk_getters(struct rscp_iter it, unsigned *bad)
{
    struct rscp_block b;
    while (rscp_iter_next_inline(&it, &b) == 1) {
        if (!getters_agree(&b) && (*bad)++ < 5)
            FAIL("an inline getter differs from the exported one");
        struct rscp_iter in;
        if (rscp_block_children_inline(&b, &in) == 0)
            walk_getters(in, bad);
    }
}

/* Depth-first walk with the inline iterator; returns the first error and
 * its offset from base (as rscp_validate() reports it), or 0. */
static int first_error(struct rscp_iter it, const uint8_t *base, size_t *off)
{
    struct rscp_block b;
    int rc;
    while ((rc = rscp_iter_next_inline(&it, &b)) == 1) {
        struct rscp_iter in;
        if (rscp_block_children_inline(&b, &in) == 0 && (rc = first_error(in, base, off)) != 0)
            return rc;
    }
    if (rc)
        *off = (size_t)(it.pos - base);
    return rc;
}

static void test_random_frames(void)
{
    th_seed(0x1a11e5u);
    enum { CAP = 2048 };
    uint8_t *buf = malloc(CAP);
    unsigned bad = 0, opened = 0, structure_errors = 0, header_errors = 0;
    for (int round = 0; round < 4000; round++) {
        struct rscp_builder b;
        struct rscp_timestamp ts = {(int64_t)th_rand(), th_rand_below(1000000000u)};
        bool crc = th_rand_below(4) != 0;
        rscp_builder_begin_frame(&b, buf, CAP, &ts, crc);
        gen(&b, 0, 200);
        size_t n = 0;
        if (rscp_builder_finish(&b, &n) != 0) {
            FAIL("builder");
            continue;
        }
        /* mutate: none, a few random bytes (CRC fixed or not), a cut */
        unsigned kind = th_rand_below(5);
        if (kind >= 1 && kind <= 3) {
            unsigned flips = 1 + th_rand_below(3);
            for (unsigned k = 0; k < flips; k++) {
                size_t at = kind == 3 ? th_rand_below((uint32_t)n) : 18 + th_rand_below((uint32_t)(n - 18));
                buf[at] = (uint8_t)th_rand();
            }
            if (kind != 2 && crc)
                fix_crc(buf, n);
        } else if (kind == 4) {
            n = th_rand_below((uint32_t)n + 1);
        }
        size_t extra = th_rand_below(3) == 0 ? th_rand_below(20) : 0; /* bytes of a next frame */
        for (size_t k = 0; k < extra && n + k < CAP; k++)
            buf[n + k] = (uint8_t)th_rand();
        size_t total = n + extra < CAP ? n + extra : CAP;

        struct opened o = open_guarded(buf, total, NULL, false);
        struct opened d = open_guarded(buf, total, NULL, true);
        if (o.rc < 0) {
            header_errors++;
            /* a header, length or CRC error: the full decoder says the same */
            if ((d.rc != o.rc || d.off != o.off) && bad++ < 5)
                FAIL("open_prefix and decode_prefix disagree on an error");
            continue;
        }
        opened++;
        if (d.rc >= 0) {
            bool same = d.rc == o.rc && d.f.seconds == o.f.seconds && d.f.nanoseconds == o.f.nanoseconds &&
                        d.f.crc == o.f.crc && d.f.data == o.f.data && d.f.data_len == o.f.data_len;
            if (!same && bad++ < 5)
                FAIL("open_prefix and decode_prefix give different frames");
        } else {
            structure_errors++;
            /* decode_prefix found a block structure error: it lies in the data */
            if ((d.off < 18 || d.off > 18 + (size_t)o.f.data_len) && bad++ < 5)
                FAIL("structure error outside the data");
        }
        /* walk the opened frame with both iterators at a guard page */
        uint8_t *g = th_guard_copy(buf + 18, o.f.data_len);
        struct rscp_iter a, c;
        rscp_iter_init(&a, g, o.f.data_len);
        rscp_iter_init(&c, g, o.f.data_len);
        walk_both(a, c, 0, &bad);
        walk_getters(c, &bad);
        check_walk(g, o.f.data_len, &bad);
        /* open + a depth-first walk finds the structure error that
         * rscp_frame_decode_prefix() reports, at the same offset */
        size_t off = (size_t)-1;
        int wrc = first_error(c, g, &off);
        if (d.rc >= 0 ? wrc != 0 : (wrc != d.rc || off + 18 != d.off)) {
            if (bad++ < 5)
                FAIL("walk after open_prefix misses the structure error of decode_prefix");
        }
        th_guard_free(g, o.f.data_len);
    }
    CHECK_INT(bad, 0);
    /* the mix exercised every branch */
    CHECK(opened > 1000 && structure_errors > 100 && header_errors > 100);
    free(buf);
}

/* ---- the inline puts ----------------------------------------------------- */

/* Write one block with type index t through the exported (inl false) or the
 * inline put. */
static int put_one(struct rscp_builder *b, unsigned t, uint32_t tag, uint64_t v, bool inl)
{
    float f;
    double d;
    uint32_t v32 = (uint32_t)v;
    memcpy(&f, &v32, sizeof f);
    memcpy(&d, &v, sizeof d);
    switch (t) {
    case 0: return inl ? rscp_put_bool_inline(b, tag, v & 1) : rscp_put_bool(b, tag, v & 1);
    case 1: return inl ? rscp_put_char8_inline(b, tag, (int8_t)v) : rscp_put_char8(b, tag, (int8_t)v);
    case 2: return inl ? rscp_put_uchar8_inline(b, tag, (uint8_t)v) : rscp_put_uchar8(b, tag, (uint8_t)v);
    case 3: return inl ? rscp_put_int16_inline(b, tag, (int16_t)v) : rscp_put_int16(b, tag, (int16_t)v);
    case 4: return inl ? rscp_put_uint16_inline(b, tag, (uint16_t)v) : rscp_put_uint16(b, tag, (uint16_t)v);
    case 5: return inl ? rscp_put_int32_inline(b, tag, (int32_t)v) : rscp_put_int32(b, tag, (int32_t)v);
    case 6: return inl ? rscp_put_uint32_inline(b, tag, (uint32_t)v) : rscp_put_uint32(b, tag, (uint32_t)v);
    case 7: return inl ? rscp_put_int64_inline(b, tag, (int64_t)v) : rscp_put_int64(b, tag, (int64_t)v);
    case 8: return inl ? rscp_put_uint64_inline(b, tag, v) : rscp_put_uint64(b, tag, v);
    case 9: return inl ? rscp_put_float32_inline(b, tag, f) : rscp_put_float32(b, tag, f);
    case 10: return inl ? rscp_put_double64_inline(b, tag, d) : rscp_put_double64(b, tag, d);
    case 11: return inl ? rscp_put_error_inline(b, tag, (uint32_t)v) : rscp_put_error(b, tag, (uint32_t)v);
    case 12: return inl ? rscp_put_container_open_inline(b, tag) : rscp_put_container_open(b, tag);
    default: return inl ? rscp_put_container_close_inline(b) : rscp_put_container_close(b);
    }
}
#define NPUT 14u

static bool same_builder(const struct rscp_builder *a, const struct rscp_builder *b)
{
    return a->cap == b->cap && a->pos == b->pos && a->data_start == b->data_start && a->err == b->err &&
           a->frame == b->frame && a->crc == b->crc && a->depth == b->depth &&
           memcmp(a->open, b->open, a->depth * sizeof a->open[0]) == 0 &&
           (a->pos == 0 || memcmp(a->buf, b->buf, a->pos) == 0);
}

/* The documented bytes, by hand: P2's data and a frame with every fixed
 * type, built with the inline puts. */
static void test_put_layouts(void)
{
    uint8_t buf[256];
    size_t n, wn;
    struct rscp_builder b;
    struct rscp_timestamp ts = {1695199355, 19685000};
    rscp_builder_begin_frame(&b, buf, sizeof buf, &ts, true);
    CHECK_INT(rscp_put_int32_inline(&b, 0x01800001, 4687), 0);
    CHECK_INT(rscp_put_int32_inline(&b, 0x01800002, 2139), 0);
    CHECK_INT(rscp_builder_finish(&b, &n), 0);
    uint8_t *want = th_unhex(P2, &wn);
    CHECK_MEM(buf, n, want, wn);
    free(want);

    rscp_builder_init(&b, buf, sizeof buf);
    rscp_put_container_open_inline(&b, 0x0E000000);
    rscp_put_bool_inline(&b, 1, true);
    rscp_put_char8_inline(&b, 2, -1);
    rscp_put_uchar8_inline(&b, 3, 0xAB);
    rscp_put_int16_inline(&b, 4, INT16_MIN);
    rscp_put_uint16_inline(&b, 5, 0xBEEF);
    rscp_put_container_open_inline(&b, 0x0E000001);
    rscp_put_container_close_inline(&b); /* empty container */
    rscp_put_int32_inline(&b, 6, -2);
    rscp_put_uint32_inline(&b, 7, 0xDEADBEEFu);
    rscp_put_int64_inline(&b, 8, INT64_MIN);
    rscp_put_uint64_inline(&b, 9, UINT64_MAX);
    rscp_put_float32_inline(&b, 10, -0.0f);
    rscp_put_double64_inline(&b, 11, 4.9406564584124654e-324);
    rscp_put_error_inline(&b, 12, 0xFFFFFFFFu);
    CHECK_INT(rscp_put_container_close_inline(&b), 0);
    CHECK_INT(rscp_builder_finish(&b, &n), 0);
    want = th_unhex("0000000e0e8a00"
                    "01000000010100" "01"
                    "02000000020100" "ff"
                    "03000000030100" "ab"
                    "04000000040200" "0080"
                    "05000000050200" "efbe"
                    "0100000e0e0000"
                    "06000000060400" "feffffff"
                    "07000000070400" "efbeadde"
                    "08000000080800" "0000000000000080"
                    "09000000090800" "ffffffffffffffff"
                    "0a0000000a0400" "00000080"
                    "0b0000000b0800" "0100000000000000"
                    "0c000000ff0400" "ffffffff",
                    &wn);
    CHECK_MEM(buf, n, want, wn);
    free(want);
}

static void test_put_equivalence(void)
{
    th_seed(0xb01dfaceu);
    unsigned bad = 0;
    /* random sequences into two builders: identical state after each call */
    for (int round = 0; round < 3000; round++) {
        size_t cap = th_rand_below(400);
        uint8_t *ga, *gb;
        uint8_t *ma = malloc(cap + 1), *mb = malloc(cap + 1);
        memset(ma, 0xEE, cap + 1);
        memset(mb, 0xEE, cap + 1);
        ga = th_guard_copy(ma, cap); /* the builders' buffers end at a guard page */
        gb = th_guard_copy(mb, cap);
        struct rscp_builder a, b;
        struct rscp_timestamp ts = {1, 2};
        if (round % 2) {
            rscp_builder_begin_frame(&a, ga, cap, &ts, true);
            rscp_builder_begin_frame(&b, gb, cap, &ts, true);
        } else {
            rscp_builder_init(&a, ga, cap);
            rscp_builder_init(&b, gb, cap);
        }
        unsigned calls = th_rand_below(60);
        for (unsigned k = 0; k < calls; k++) {
            unsigned t = th_rand_below(NPUT);
            uint32_t tag = (uint32_t)th_rand();
            uint64_t v = th_rand();
            int ra = put_one(&a, t, tag, v, false);
            int rb = put_one(&b, t, tag, v, true);
            if ((ra != rb || !same_builder(&a, &b) || memcmp(ga, gb, cap) != 0) && bad++ < 5)
                FAIL("an inline put differs from the exported one");
        }
        size_t la = 0, lb = 0;
        int fa = rscp_builder_finish(&a, &la), fb = rscp_builder_finish(&b, &lb);
        if ((fa != fb || la != lb || memcmp(ga, gb, cap) != 0) && bad++ < 5)
            FAIL("finish differs");
        if (fa == 0 && a.data_start == 0) {
            CHECK_INT(rscp_validate(ga, la, NULL, NULL), 0);
        }
        th_guard_free(ga, cap);
        th_guard_free(gb, cap);
        free(ma);
        free(mb);
    }
    CHECK_INT(bad, 0);

    /* every capacity for every fixed type: NOSPACE below the block size,
     * nothing written, the error sticky for both kinds of put */
    for (unsigned t = 0; t < 13; t++) {
        uint8_t full[32];
        struct rscp_builder ref;
        rscp_builder_init(&ref, full, sizeof full);
        CHECK_INT(put_one(&ref, t, 0x11223344u, 0x0102030405060708ull, true), 0);
        size_t need = ref.pos;
        for (size_t cap = 0; cap <= need; cap++) {
            uint8_t zeros[32] = {0};
            uint8_t *g = th_guard_copy(zeros, cap);
            struct rscp_builder b;
            rscp_builder_init(&b, g, cap);
            int rc = put_one(&b, t, 0x11223344u, 0x0102030405060708ull, true);
            if (cap < need) {
                CHECK_INT(rc, RSCP_ERR_NOSPACE);
                CHECK_INT(b.pos, 0);
                CHECK_INT(b.depth, 0);
                CHECK(memcmp(g, zeros, cap) == 0);
                /* sticky: a smaller put that would fit fails too */
                CHECK_INT(rscp_put_bool_inline(&b, 1, true), RSCP_ERR_NOSPACE);
                CHECK_INT(rscp_put_container_open_inline(&b, 1), RSCP_ERR_NOSPACE);
                CHECK_INT(rscp_put_container_close_inline(&b), RSCP_ERR_NOSPACE);
                CHECK_INT(rscp_builder_finish(&b, NULL), RSCP_ERR_NOSPACE);
            } else {
                CHECK_INT(rc, 0);
                CHECK_MEM(g, cap, full, need);
            }
            th_guard_free(g, cap);
        }
    }

    /* container limits: depth, close without open, too long */
    static uint8_t big[70000];
    struct rscp_builder b;
    rscp_builder_init(&b, big, sizeof big);
    for (unsigned d = 0; d < RSCP_BUILDER_MAX_DEPTH; d++)
        CHECK_INT(rscp_put_container_open_inline(&b, d), 0);
    size_t pos = b.pos;
    CHECK_INT(rscp_put_container_open_inline(&b, 99), RSCP_ERR_DEPTH);
    CHECK_INT(b.pos, pos);
    CHECK_INT(rscp_put_container_close_inline(&b), RSCP_ERR_DEPTH); /* sticky */
    rscp_builder_init(&b, big, sizeof big);
    CHECK_INT(rscp_put_container_close_inline(&b), RSCP_ERR_STATE);
    CHECK_INT(rscp_builder_error(&b), RSCP_ERR_STATE);
    rscp_builder_init(&b, big, sizeof big);
    CHECK_INT(rscp_put_container_open_inline(&b, 1), 0);
    for (int k = 0; k < 4368; k++) /* 4,368 x 15 = 65,520 bytes of children */
        rscp_put_int64_inline(&b, 2, k);
    CHECK_INT(rscp_builder_error(&b), 0);
    CHECK_INT(rscp_put_container_close_inline(&b), 0);
    CHECK_INT(big[5] | big[6] << 8, 65520);
    rscp_builder_init(&b, big, sizeof big);
    CHECK_INT(rscp_put_container_open_inline(&b, 1), 0);
    for (int k = 0; k < 4369; k++) /* 65,535 > RSCP_MAX_VALUE_LEN */
        rscp_put_int64_inline(&b, 2, k);
    CHECK_INT(rscp_put_container_close_inline(&b), RSCP_ERR_VALUE_TOO_LONG);
    CHECK_INT(rscp_builder_finish(&b, NULL), RSCP_ERR_VALUE_TOO_LONG);
}

int main(void)
{
    test_vectors();
    test_getter_layouts();
    test_cuts();
    test_walk();
    test_open_errors();
    test_random_frames();
    test_put_layouts();
    test_put_equivalence();
    return th_finish();
}
