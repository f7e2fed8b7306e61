/* Malformed input: each error kind of the frame decoder with its offset,
 * every truncation and every single-bit flip of the vector frames. Every
 * input is copied to the very end of a mapping with a guard page behind it
 * (th_guard_copy), so any read past the end faults. */
#include "harness.h"
#include "rscp/error.h"
#include "rscp/frame.h"
#include "rscp/value.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The vector frames the tests below run on (th_frame_hex() names). */
static const char *const frame_names[] = {"P1", "P2", "P3", "P4", "P5", "F1", "F2",
                                          "F3", "F4", "F5", "F6", "F11", "F12", "R1"};

struct result {
    int rc;
    size_t off;
};

/* Decode buf[0..n) placed before a guard page. */
static struct result decode_guarded(const uint8_t *p, size_t n, const struct rscp_limits *lim)
{
    uint8_t *g = th_guard_copy(p, n);
    struct rscp_frame f;
    struct result r = {0, 424242};
    r.rc = rscp_frame_decode(g, n, lim, &f, &r.off);
    if (r.rc == 0) {
        /* walk the blocks too: values are read through the getters */
        CHECK_INT(rscp_validate(f.data, f.data_len, lim, NULL), 0);
    }
    th_guard_free(g, n);
    return r;
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* Recompute the CRC after editing a CRC-flagged frame of n bytes. */
static void fix_crc(uint8_t *p, size_t n)
{
    put32(p + n - 4, (uint32_t)crc32(0L, p, (uInt)(n - 4)));
}

static void expect(const char *hex_or_null, const uint8_t *p, size_t n, const struct rscp_limits *lim, int rc,
                   size_t off, int line)
{
    size_t len = n;
    uint8_t *owned = NULL;
    if (hex_or_null) {
        owned = th_unhex(hex_or_null, &len);
        p = owned;
    }
    struct result r = decode_guarded(p, len, lim);
    th_check_int(r.rc, rc, __FILE__, line, "error code");
    if (rc)
        th_check_int((long long)r.off, (long long)off, __FILE__, line, "error offset");
    free(owned);
}

#define EXPECT_HEX(hex, lim, rc, off) expect((hex), NULL, 0, (lim), (rc), (off), __LINE__)
#define EXPECT_BUF(p, n, lim, rc, off) expect(NULL, (p), (n), (lim), (rc), (off), __LINE__)

static void test_error_kinds(void)
{
    size_t n;
    uint8_t *f1 = th_unhex(th_frame_hex("F1"), &n); /* 30 bytes, CRC */
    uint8_t p[128];
    struct rscp_limits lim = rscp_limits_default();

    EXPECT_BUF(f1, n, NULL, 0, 0);
    /* magic */
    memcpy(p, f1, n), p[0] = 0xE2;
    EXPECT_BUF(p, n, NULL, RSCP_ERR_MAGIC, 0);
    memcpy(p, f1, n), p[1] = 0xDD;
    EXPECT_BUF(p, n, NULL, RSCP_ERR_MAGIC, 0);
    EXPECT_BUF(p, 1, NULL, RSCP_ERR_TRUNCATED, 1); /* "E3" alone may still become a frame */
    /* control word: reserved bits, version, "00 10" */
    memcpy(p, f1, n), p[2] = 0x01;
    EXPECT_BUF(p, n, NULL, RSCP_ERR_CTRL, 2);
    memcpy(p, f1, n), p[3] = 0x31;
    EXPECT_BUF(p, n, NULL, RSCP_ERR_CTRL, 2);
    memcpy(p, f1, n), p[3] = 0x12;
    EXPECT_BUF(p, n, NULL, RSCP_ERR_VERSION, 2);
    memcpy(p, f1, n), p[3] = 0x10;
    EXPECT_BUF(p, n, NULL, RSCP_ERR_VERSION, 2);
    lim.flags = RSCP_LENIENT_CTRL;
    EXPECT_BUF(p, n, &lim, RSCP_ERR_TRAILING, 26); /* read as a frame without CRC */
    EXPECT_BUF(p, n - 4, &lim, 0, 0);
    lim.flags = 0;
    memcpy(p, f1, n), p[3] = 0x00;
    EXPECT_BUF(p, n, NULL, RSCP_ERR_VERSION, 2);
    /* nanoseconds */
    memcpy(p, f1, n), put32(p + 12, 1000000000u), fix_crc(p, n);
    EXPECT_BUF(p, n, NULL, RSCP_ERR_TIME, 12);
    memcpy(p, f1, n), put32(p + 12, 999999999u), fix_crc(p, n);
    EXPECT_BUF(p, n, NULL, 0, 0);
    /* length beyond the buffer, beyond the limit */
    memcpy(p, f1, n), p[16] = 9;
    EXPECT_BUF(p, n, NULL, RSCP_ERR_TRUNCATED, n);
    memcpy(p, f1, n), p[16] = 0xFF, p[17] = 0xFF;
    EXPECT_BUF(p, n, NULL, RSCP_ERR_TRUNCATED, n);
    lim.max_data_len = 7;
    EXPECT_BUF(f1, n, &lim, RSCP_ERR_FRAME_TOO_LONG, 16);
    lim.max_data_len = 8;
    EXPECT_BUF(f1, n, &lim, 0, 0);
    lim = rscp_limits_default();
    /* CRC */
    memcpy(p, f1, n), p[n - 1] ^= 0x80;
    EXPECT_BUF(p, n, NULL, RSCP_ERR_CRC, 26);
    memcpy(p, f1, n), p[20] ^= 0x01;
    EXPECT_BUF(p, n, NULL, RSCP_ERR_CRC, 26);
    /* trailing bytes */
    memcpy(p, f1, n), p[n] = 0;
    EXPECT_BUF(p, n + 1, NULL, RSCP_ERR_TRAILING, n);
    /* structure: UCHAR8 block length 2 (the CRC is made valid) */
    memcpy(p, f1, n), p[18 + 5] = 2, fix_crc(p, n);
    EXPECT_BUF(p, n, NULL, RSCP_ERR_BLOCK_OVERRUN, 18);
    /* structure: data of 8 bytes holding a block header and a stray byte */
    memcpy(p, f1, n), p[18 + 5] = 0, fix_crc(p, n);
    EXPECT_BUF(p, n, NULL, RSCP_ERR_TRUNCATED, 25);
    free(f1);

    /* depth and block count, on the F6 container frame */
    uint8_t *f6 = th_unhex(th_frame_hex("F6"), &n);
    lim.max_depth = 0;
    EXPECT_BUF(f6, n, &lim, RSCP_ERR_DEPTH, 18);
    lim.max_depth = 1;
    EXPECT_BUF(f6, n, &lim, 0, 0);
    lim.max_blocks = 2;
    EXPECT_BUF(f6, n, &lim, RSCP_ERR_TOO_MANY_BLOCKS, 18 + 7 + 27);
    lim.max_blocks = 3;
    EXPECT_BUF(f6, n, &lim, 0, 0);
    /* the container's length one short: its last child overruns it */
    memcpy(p, f6, n), p[18 + 5] = 47, fix_crc(p, n);
    EXPECT_BUF(p, n, NULL, RSCP_ERR_BLOCK_OVERRUN, 18 + 7 + 27);
    /* one long: the container overruns the frame data */
    memcpy(p, f6, n), p[18 + 5] = 49, fix_crc(p, n);
    EXPECT_BUF(p, n, NULL, RSCP_ERR_BLOCK_OVERRUN, 18);
    free(f6);

    /* GO/RS rejected inputs */
    EXPECT_HEX("aadc0000", NULL, RSCP_ERR_MAGIC, 0);
    EXPECT_HEX("e3dc0000", NULL, RSCP_ERR_VERSION, 2);
    EXPECT_HEX("e3dc00114e61bc000000000040e2010007000100000a000000fefa8433", NULL, RSCP_ERR_CRC, 25);
    EXPECT_HEX("", NULL, RSCP_ERR_TRUNCATED, 0);

    /* NULL input */
    struct rscp_frame fr;
    size_t off;
    CHECK_INT(rscp_frame_decode(NULL, 0, NULL, &fr, &off), RSCP_ERR_TRUNCATED);
    CHECK_INT(rscp_frame_decode(NULL, 4, NULL, &fr, &off), RSCP_ERR_ARG);
}

/* Every proper prefix of every frame is an error (TRUNCATED), never a crash. */
static void test_truncations(void)
{
    for (size_t i = 0; i < N(frame_names); i++) {
        size_t n;
        uint8_t *f = th_unhex(th_frame_hex(frame_names[i]), &n);
        for (size_t k = 0; k < n; k++) {
            struct result r = decode_guarded(f, k, NULL);
            CHECK_INT(r.rc, RSCP_ERR_TRUNCATED);
            uint8_t *g = th_guard_copy(f, k);
            struct rscp_frame fr;
            CHECK_INT(rscp_frame_decode_prefix(g, k, NULL, &fr, NULL), RSCP_ERR_TRUNCATED);
            struct rscp_header h;
            CHECK_INT(rscp_header_parse(g, k, NULL, &h), k < 18 ? RSCP_ERR_TRUNCATED : 0);
            /* the data alone, cut: validation errors only */
            if (k > 18) {
                int rc = rscp_validate(g + 18, k - 18, NULL, NULL);
                CHECK(rc == 0 || rc == RSCP_ERR_TRUNCATED || rc == RSCP_ERR_BLOCK_OVERRUN);
            }
            th_guard_free(g, k);
        }
        CHECK_INT(decode_guarded(f, n, NULL).rc, 0);
        free(f);
    }
}

/* A single flipped bit anywhere in a frame is always detected: in a CRC
 * frame by the header checks, the length or the CRC; in a frame without CRC
 * the decoder must at least not crash. */
static void test_bit_flips(void)
{
    for (size_t i = 0; i < N(frame_names); i++) {
        size_t n;
        uint8_t *f = th_unhex(th_frame_hex(frame_names[i]), &n);
        bool crc = f[3] == 0x11;
        for (size_t k = 0; k < n * 8; k++) {
            f[k / 8] ^= (uint8_t)(1u << (k % 8));
            struct result r = decode_guarded(f, n, NULL);
            if (crc)
                CHECK(r.rc < 0);
            else
                CHECK(r.rc <= 0);
            if (r.rc < 0)
                CHECK(r.off <= n);
            f[k / 8] ^= (uint8_t)(1u << (k % 8));
        }
        free(f);
    }
}

/* Random garbage and random block soups: decode or fail, never crash. */
static void test_random(void)
{
    th_seed(12345);
    uint8_t buf[300];
    for (int round = 0; round < 20000; round++) {
        size_t n = th_rand_below(sizeof buf);
        for (size_t i = 0; i < n; i++)
            buf[i] = (uint8_t)th_rand();
        /* mostly well-formed headers so the block walk gets exercised */
        if (n >= 18 && round % 4) {
            buf[0] = 0xE3, buf[1] = 0xDC, buf[2] = 0x00, buf[3] = (round % 8) ? 0x01 : 0x11;
            buf[12] = 0, buf[15] = 0;
            size_t data = n - 18 - (buf[3] == 0x11 ? 4 : 0);
            if (n >= 22) {
                buf[16] = (uint8_t)data, buf[17] = (uint8_t)(data >> 8);
                /* small block lengths, mostly containers and short values */
                for (size_t j = 18; j + 7 <= 18 + data; j += 7 + th_rand_below(4)) {
                    buf[j + 4] = (uint8_t)(th_rand_below(3) == 0 ? RSCP_TYPE_CONTAINER : th_rand_below(0x12));
                    buf[j + 5] = (uint8_t)th_rand_below(40), buf[j + 6] = 0;
                }
                if (buf[3] == 0x11)
                    fix_crc(buf, n);
            }
        }
        struct result r = decode_guarded(buf, n, NULL);
        CHECK(r.rc <= 0);
        uint8_t *g = th_guard_copy(buf, n);
        size_t off = 0;
        int rc = rscp_validate(g, n, NULL, &off);
        CHECK(rc <= 0 && off <= n);
        th_guard_free(g, n);
    }
}

int main(void)
{
    test_error_kinds();
    test_truncations();
    test_bit_flips();
    test_random();
    return th_finish();
}
