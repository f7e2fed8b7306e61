/* Shared pieces of the tests of the inline fast paths (test_inline_*.c): a
 * block sequence written by hand, the inline iterator and the depth-first
 * walk compared with the exported functions and with a recursive iteration,
 * and frames opened from a copy at the end of a guard page.
 * Header-only (static inline) so each test program stays one file. */
#ifndef RSCP_INLINE_TESTLIB_H
#define RSCP_INLINE_TESTLIB_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <zlib.h>

#include "harness.h"
#include "rscp/error.h"
#include "rscp/frame.h"
#include "rscp/value.h"

/* ---- a block sequence ----------------------------------------------------- */

/* Data of F7-like nested frame: container(container(uint16, none), cstring)
 * and a BYTEARRAY, all written by hand. */
static const char il_seq[] = "010000000e2100"          /* 0: container, 33 bytes     */
                             "020000000e1000"          /*      container, 16 bytes   */
                             "03000000050200" "3412"   /*        UINT16 0x1234       */
                             "04000000000000"          /*        NONE                */
                             "050000000d0300" "616263" /*      CSTRING "abc"         */
                             "06000000100200" "aabb";  /* 40: BYTEARRAY, 49 in all   */

/* ---- the inline iterator -------------------------------------------------- */

/* Walk a with rscp_iter_next() and b with rscp_iter_next_inline() side by
 * side (recursively, into containers) and compare every step; differences
 * count in *bad, the first five are reported. */
static inline void il_walk_both(struct rscp_iter a, struct rscp_iter b, unsigned depth, unsigned *bad)
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
                il_walk_both(ca, cb, depth + 1, bad);
        }
    }
    FAIL("iteration does not end");
}

/* ---- the depth-first walk ------------------------------------------------- */

/* A block and its level (1 at the top). */
struct il_rec {
    struct rscp_block b;
    unsigned level;
};

/* Reference: every block in depth-first order with its level, by recursion
 * with the exported iterator, up to the first error. */
static inline void il_collect(struct rscp_iter it, unsigned level, struct il_rec *out, size_t cap, size_t *n)
{
    struct rscp_block b;
    while (rscp_iter_next(&it, &b) == 1) {
        if (*n < cap)
            out[*n] = (struct il_rec){b, level};
        ++*n;
        struct rscp_iter in;
        if (rscp_block_children(&b, &in) == 0) {
            if (level > RSCP_DEFAULT_MAX_DEPTH)
                return; /* rscp_validate() stops here: nothing inside is walked */
            il_collect(in, level + 1, out, cap, n);
        }
        if (it.err)
            return;
    }
}

/* Walk data[0..n) with rscp_walk_next_inline() and rscp_walk_next() side by
 * side; compare each step with the other, with the recursive reference and
 * the outcome with rscp_validate() (error and offset). */
static inline void il_check_walk(const uint8_t *data, size_t n, unsigned *bad)
{
    enum { CAP = 4096 };
    static struct il_rec ref[CAP];
    size_t nref = 0;
    struct rscp_iter top;
    rscp_iter_init(&top, data, n);
    il_collect(top, 1, ref, CAP, &nref);
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

/* ---- opening frames ------------------------------------------------------- */

/* v as 4 little-endian bytes at p. */
static inline void il_put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* Recompute the CRC after editing a CRC-flagged frame of n bytes. */
static inline void il_fix_crc(uint8_t *p, size_t n)
{
    il_put32(p + n - 4, (uint32_t)crc32(0L, p, (uInt)(n - 4)));
}

/* The outcome of opening a frame: the result, the error offset (4242 if
 * untouched) and the frame. */
struct il_opened {
    int rc;
    size_t off;
    struct rscp_frame f;
};

/* Open p[0..n) from a copy at the end of a guard page with
 * rscp_frame_open_prefix(), or with rscp_frame_decode_prefix() if full; the
 * frame's data then points into p, so that outcomes compare across copies. */
static inline struct il_opened il_open_guarded(const uint8_t *p, size_t n, const struct rscp_limits *lim, bool full)
{
    uint8_t *g = th_guard_copy(p, n);
    struct il_opened o = {0, 4242, {0, 0, false, NULL, 0}};
    o.rc = full ? rscp_frame_decode_prefix(g, n, lim, &o.f, &o.off) : rscp_frame_open_prefix(g, n, lim, &o.f, &o.off);
    if (o.f.data)
        o.f.data = p + (o.f.data - g); /* comparable across copies */
    th_guard_free(g, n);
    return o;
}

#endif
