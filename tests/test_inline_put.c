/* The inline puts of rscp/builder.h: they write the documented bytes (P2's
 * data and a frame with every fixed type, by hand), and on random sequences
 * of puts they match the exported puts (same bytes, same builder state),
 * with NOSPACE at every capacity, sticky errors and the container limits. */
#include "harness.h"
#include "rscp/builder.h"
#include "rscp/error.h"
#include "rscp/frame.h"
#include "rscp/value.h"

#include <stdlib.h>
#include <string.h>

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
    uint8_t *want = th_unhex(th_frame_hex("P2"), &wn);
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
    test_put_layouts();
    test_put_equivalence();
    return th_finish();
}
