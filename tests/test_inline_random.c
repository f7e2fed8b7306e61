/* The inline fast paths against the exported functions on random frames
 * (also mutated, also at the end of a guard page): rscp_frame_open_prefix()
 * against rscp_frame_decode_prefix(), the inline iterator against
 * rscp_iter_next() (same blocks, same iterator state, same error and
 * offset), the depth-first walk (inline and exported) against a recursive
 * iteration and rscp_validate(), and every inline getter against the
 * exported one. */
#include "inline_testlib.h"

#include "rscp/builder.h"
#include "rscp/error.h"
#include "rscp/frame.h"
#include "rscp/value.h"

#include <stdlib.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

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
                il_fix_crc(buf, n);
        } else if (kind == 4) {
            n = th_rand_below((uint32_t)n + 1);
        }
        size_t extra = th_rand_below(3) == 0 ? th_rand_below(20) : 0; /* bytes of a next frame */
        for (size_t k = 0; k < extra && n + k < CAP; k++)
            buf[n + k] = (uint8_t)th_rand();
        size_t total = n + extra < CAP ? n + extra : CAP;

        struct il_opened o = il_open_guarded(buf, total, NULL, false);
        struct il_opened d = il_open_guarded(buf, total, NULL, true);
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
        il_walk_both(a, c, 0, &bad);
        walk_getters(c, &bad);
        il_check_walk(g, o.f.data_len, &bad);
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

int main(void)
{
    test_random_frames();
    return th_finish();
}
