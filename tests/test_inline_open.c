/* rscp_frame_open_prefix() of rscp/frame.h, which checks a frame's header
 * and CRC in one pass and leaves the block structure to the iterator: every
 * header, length and CRC error with its offset, every truncation and every
 * flipped bit of the CRC and the data, each input at the end of a guard
 * page. */
#include "inline_testlib.h"

#include "rscp/error.h"
#include "rscp/frame.h"
#include "rscp/value.h"

#include <stdlib.h>
#include <string.h>

static void expect_open(const uint8_t *p, size_t n, const struct rscp_limits *lim, int rc, size_t off, int line)
{
    struct il_opened o = il_open_guarded(p, n, lim, false);
    th_check_int(o.rc, rc, __FILE__, line, "rscp_frame_open_prefix error");
    th_check_int((long long)o.off, rc < 0 ? (long long)off : 4242, __FILE__, line, "error offset");
}
#define EXPECT_OPEN(p, n, lim, rc, off) expect_open((p), (n), (lim), (rc), (off), __LINE__)

static void test_open_errors(void)
{
    size_t n, n2;
    uint8_t *f1 = th_unhex(th_frame_hex("F1"), &n); /* 30 bytes with CRC */
    uint8_t *f2 = th_unhex(th_frame_hex("F2"), &n2);
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
    memcpy(p, f1, n), il_put32(p + 12, 1000000000u), il_fix_crc(p, n);
    EXPECT_OPEN(p, n, NULL, RSCP_ERR_TIME, 12);
    memcpy(p, f1, n), il_put32(p + 12, 999999999u), il_fix_crc(p, n);
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
    memcpy(p, f1, n), p[23] = 2, il_fix_crc(p, n);
    EXPECT_OPEN(p, n, NULL, 30, 0);
    struct il_opened full = il_open_guarded(p, n, NULL, true);
    CHECK_INT(full.rc, RSCP_ERR_BLOCK_OVERRUN);
    CHECK_INT(full.off, 18);
    struct il_opened o = il_open_guarded(p, n, NULL, false);
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

int main(void)
{
    test_open_errors();
    return th_finish();
}
