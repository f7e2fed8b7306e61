/* The depth-first walk of rscp/value.h, rscp_walk_next_inline(), on a block
 * sequence written by hand, on every cut of it at the end of a guard page
 * and on containers nested past RSCP_WALK_MAX_DEPTH: the blocks and levels
 * of a recursive iteration, the outcome (error and offset) of
 * rscp_validate(), and the same steps as rscp_walk_next(). */
#include "inline_testlib.h"

#include "rscp/error.h"
#include "rscp/value.h"

#include <stdlib.h>
#include <string.h>

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
    uint8_t *seq = th_unhex(il_seq, &n);
    uint8_t *g = th_guard_copy(seq, n);
    /* the sequence by hand: tags 1..6 at levels 1, 2, 3, 3, 2, 1 */
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
        il_check_walk(g, k, &bad);
        th_guard_free(g, k);
    }
    /* the inner container overruns the outer one (offset 7, as validate) */
    seq[5] = 0x0a;
    g = th_guard_copy(seq, 17);
    rscp_walk_init(&w, g, 17);
    CHECK_INT(rscp_walk_next_inline(&w, &b), 1);
    CHECK_INT(rscp_walk_next_inline(&w, &b), RSCP_ERR_BLOCK_OVERRUN);
    CHECK_INT(rscp_iter_offset(&w.it), 7);
    il_check_walk(g, 17, &bad);
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
        il_check_walk(g, len, &bad);
        th_guard_free(g, len);
    }
    /* nothing to walk */
    rscp_walk_init(&w, NULL, 0);
    CHECK_INT(rscp_walk_next_inline(&w, &b), 0);
    CHECK_INT(rscp_walk_next(&w, &b), 0);
    CHECK_INT(bad, 0);
}

int main(void)
{
    test_walk();
    return th_finish();
}
