/* Frames: the builder's frame mode against the layout of PROTOCOL-NOTES §2
 * with zlib's crc32 as the independent CRC; header parsing of every control
 * word; limits; back-to-back frames; error offsets. */
#include "harness.h"
#include "rscp/builder.h"
#include "rscp/error.h"
#include "rscp/frame.h"
#include "rscp/value.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static uint32_t zcrc(const uint8_t *p, size_t n)
{
    return (uint32_t)crc32(0L, p, (uInt)n);
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void test_builder_frame(void)
{
    uint8_t buf[128];
    struct rscp_builder b;
    struct rscp_timestamp ts = {0x0102030405060708LL, 999999999};
    size_t n = 0;
    for (int crc = 0; crc < 2; crc++) {
        CHECK_INT(rscp_builder_begin_frame(&b, buf, sizeof buf, &ts, crc != 0), 0);
        rscp_put_uint16(&b, 0x03040001, 0xBEEF);
        CHECK_INT(rscp_builder_finish(&b, &n), 0);
        CHECK_INT(n, 18 + 9 + (crc ? 4 : 0));
        static const uint8_t hdr[] = {0xE3, 0xDC, 0x00, 0x01, 8, 7, 6, 5, 4, 3, 2, 1, 0xFF, 0xC9, 0x9A, 0x3B, 9, 0};
        uint8_t want[18];
        memcpy(want, hdr, 18);
        if (crc)
            want[3] = 0x11;
        CHECK_MEM(buf, 18, want, 18);
        CHECK_MEM(buf + 18, 9, "\x01\x00\x04\x03\x05\x02\x00\xef\xbe", 9);
        if (crc)
            CHECK_INT(get32(buf + 27), zcrc(buf, 27));
        /* a second finish adds nothing */
        size_t again = 0;
        CHECK_INT(rscp_builder_finish(&b, &again), 0);
        CHECK_INT(again, n);
        struct rscp_frame f;
        CHECK_INT(rscp_frame_decode(buf, n, NULL, &f, NULL), 0);
        CHECK(f.seconds == ts.seconds);
        CHECK_INT(f.nanoseconds, ts.nanoseconds);
        CHECK_INT(f.crc, crc);
    }
    /* empty frame: N = 0 */
    struct rscp_timestamp zero = {0, 0};
    rscp_builder_begin_frame(&b, buf, sizeof buf, &zero, true);
    CHECK_INT(rscp_builder_finish(&b, &n), 0);
    CHECK_INT(n, 22);
    struct rscp_frame f;
    CHECK_INT(rscp_frame_decode(buf, n, NULL, &f, NULL), 0);
    CHECK_INT(f.data_len, 0);
    struct rscp_iter it;
    struct rscp_block blk;
    rscp_frame_iter(&f, &it);
    CHECK_INT(rscp_iter_next(&it, &blk), 0);

    /* argument errors */
    struct rscp_timestamp badts = {0, 1000000000u};
    CHECK_INT(rscp_builder_begin_frame(&b, buf, sizeof buf, &badts, true), RSCP_ERR_ARG);
    CHECK_INT(rscp_builder_finish(&b, &n), RSCP_ERR_ARG);
    CHECK_INT(rscp_builder_begin_frame(&b, buf, sizeof buf, NULL, true), RSCP_ERR_ARG);
    CHECK_INT(rscp_builder_begin_frame(&b, buf, 17, &zero, true), RSCP_ERR_NOSPACE);
    CHECK_INT(rscp_builder_begin_frame(&b, NULL, 0, &zero, true), RSCP_ERR_NOSPACE);
    /* room for the data but not the CRC */
    rscp_builder_begin_frame(&b, buf, 18 + 7 + 3, &zero, true);
    CHECK_INT(rscp_put_none(&b, 1), 0);
    CHECK_INT(rscp_builder_finish(&b, &n), RSCP_ERR_NOSPACE);
}

/* The largest frame (N = 65,535) and one byte more. */
static void test_big_frames(void)
{
    size_t cap = RSCP_MAX_FRAME_SIZE + 16;
    uint8_t *buf = malloc(cap);
    static uint8_t val[RSCP_MAX_VALUE_LEN];
    for (size_t i = 0; i < sizeof val; i++)
        val[i] = (uint8_t)(i ^ (i >> 8));
    struct rscp_builder b;
    struct rscp_timestamp ts = {1, 2};
    size_t n = 0;
    rscp_builder_begin_frame(&b, buf, cap, &ts, true);
    CHECK_INT(rscp_put_bytes(&b, 1, val, RSCP_MAX_VALUE_LEN), 0);
    CHECK_INT(rscp_builder_finish(&b, &n), 0);
    CHECK_INT(n, RSCP_MAX_FRAME_SIZE);
    CHECK_INT(buf[16] | buf[17] << 8, 65535);
    CHECK_INT(get32(buf + n - 4), zcrc(buf, n - 4));
    struct rscp_frame f;
    CHECK_INT(rscp_frame_decode(buf, n, NULL, &f, NULL), 0);
    CHECK_INT(f.data_len, 65535);
    struct rscp_limits lim = rscp_limits_default();
    lim.max_data_len = 65534;
    size_t off = 0;
    CHECK_INT(rscp_frame_decode(buf, n, &lim, &f, &off), RSCP_ERR_FRAME_TOO_LONG);
    CHECK_INT(off, 16);
    struct rscp_header h;
    CHECK_INT(rscp_header_parse(buf, n, &lim, &h), RSCP_ERR_FRAME_TOO_LONG);
    lim.max_data_len = 65535;
    CHECK_INT(rscp_header_parse(buf, n, &lim, &h), 0);
    CHECK_INT(h.frame_len, RSCP_MAX_FRAME_SIZE);

    rscp_builder_begin_frame(&b, buf, cap, &ts, true);
    rscp_put_bytes(&b, 1, val, RSCP_MAX_VALUE_LEN);
    rscp_put_none(&b, 2);
    CHECK_INT(rscp_builder_finish(&b, &n), RSCP_ERR_VALUE_TOO_LONG);
    free(buf);
}

/* Every control word: reserved bits -> CTRL, else version != 1 -> VERSION
 * (with the lenient flag "00 10" passes as a frame without CRC). */
static void test_control_words(void)
{
    uint8_t hdr[18] = {0xE3, 0xDC, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    struct rscp_limits lenient = rscp_limits_default();
    lenient.flags = RSCP_LENIENT_CTRL;
    unsigned ok = 0;
    for (unsigned ctrl = 0; ctrl <= 0xFFFF; ctrl++) {
        hdr[2] = (uint8_t)ctrl;
        hdr[3] = (uint8_t)(ctrl >> 8);
        int want;
        if (ctrl & 0xE0FFu)
            want = RSCP_ERR_CTRL;
        else if ((ctrl & 0x0F00u) != 0x0100u)
            want = RSCP_ERR_VERSION;
        else
            want = 0;
        struct rscp_header h;
        int rc = rscp_header_parse(hdr, sizeof hdr, NULL, &h);
        CHECK_INT(rc, want);
        if (rc == 0) {
            ok++;
            CHECK_INT(h.crc, (ctrl & 0x1000u) != 0);
            CHECK_INT(h.frame_len, h.crc ? 22 : 18);
        }
        int lrc = rscp_header_parse(hdr, sizeof hdr, &lenient, &h);
        CHECK_INT(lrc, ctrl == 0x1000u ? 0 : want);
        if (ctrl == 0x1000u) {
            CHECK_INT(h.crc, false);
            CHECK_INT(h.frame_len, 18);
        }
    }
    CHECK_INT(ok, 2);
}

/* The header checks run as far as the bytes reach. */
static void test_header_prefixes(void)
{
    static const uint8_t good[18] = {0xE3, 0xDC, 0x00, 0x11, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    struct rscp_header h;
    for (size_t n = 0; n < 18; n++) {
        uint8_t *p = th_guard_copy(good, n);
        CHECK_INT(rscp_header_parse(p, n, NULL, &h), RSCP_ERR_TRUNCATED);
        th_guard_free(p, n);
    }
    CHECK_INT(rscp_header_parse(NULL, 0, NULL, &h), RSCP_ERR_TRUNCATED);
    CHECK_INT(rscp_header_parse("\xe4", 1, NULL, &h), RSCP_ERR_MAGIC);
    CHECK_INT(rscp_header_parse("\xe3\xdd", 2, NULL, &h), RSCP_ERR_MAGIC);
    CHECK_INT(rscp_header_parse("\xe3\xdc\x00\x12", 4, NULL, &h), RSCP_ERR_VERSION);
    CHECK_INT(rscp_header_parse("\xe3\xdc\x80\x11", 4, NULL, &h), RSCP_ERR_CTRL);
    CHECK_INT(rscp_header_parse("\xe3\xdc\x00\x11\0\0\0\0\0\0\0\0\x00\xca\x9a\x3b", 16, NULL, &h), RSCP_ERR_TIME);
    CHECK_INT(rscp_header_parse("\xe3\xdc\x00\x11\0\0\0\0\0\0\0\0\xff\xc9\x9a\x3b\0\0", 18, NULL, &h), 0);
    CHECK_INT(h.nanoseconds, 999999999);
    CHECK_INT(rscp_header_parse("\xe3\xdc\x00\x11\0\0\0\0\0\0\0\x80\xff\xff\xff\xff\0\0", 18, NULL, &h),
              RSCP_ERR_TIME);
    CHECK_INT(rscp_header_parse("\xe3\xdc\x00\x11\0\0\0\0\0\0\0\x80\0\0\0\0\0\0", 18, NULL, &h), 0);
    CHECK(h.seconds == INT64_MIN);
}

/* Frames back to back: decode_prefix returns each length in turn. */
static void test_back_to_back(void)
{
    static const char *hex[] = {
        "e3dc001178b00a6500000000c8c7d0300e0001000001000000020000010000004c769f09",             /* P1 */
        "e3dc0001d9744698faffffff00ca5b070800010080000301000a",                                 /* F2 */
        "e3dc00115e010b65000000001830de1f0b00010080000604000000000003120cf6",                   /* P5 */
        "e3dc00014e61bc000000000040e2010007000100000a000000",                                   /* F12 */
    };
    uint8_t all[256];
    size_t lens[4], total = 0;
    for (size_t i = 0; i < 4; i++) {
        uint8_t *p = th_unhex(hex[i], &lens[i]);
        memcpy(all + total, p, lens[i]);
        total += lens[i];
        free(p);
    }
    uint8_t *buf = th_guard_copy(all, total);
    size_t pos = 0;
    for (size_t i = 0; i < 4; i++) {
        struct rscp_frame f;
        int rc = rscp_frame_decode_prefix(buf + pos, total - pos, NULL, &f, NULL);
        CHECK_INT(rc, lens[i]);
        if (rc <= 0)
            break;
        size_t off = 0;
        CHECK_INT(rscp_frame_decode(buf + pos, total - pos, NULL, &f, &off), i == 3 ? 0 : RSCP_ERR_TRAILING);
        if (i < 3)
            CHECK_INT(off, lens[i]);
        pos += (size_t)rc;
    }
    CHECK_INT(pos, total);
    th_guard_free(buf, total);
}

/* Structure errors inside a CRC-valid frame point at the offending block. */
static void test_structure_offsets(void)
{
    /* P3 with the inner CSTRING "TEST" claiming 5 bytes: overruns its container */
    size_t n;
    uint8_t *p = th_unhex("e3dc001121000b650000000070da58201c00010000000e1500020000000d040054455354030000000d030031323378babe16", &n);
    p[18 + 7 + 5] = 5;
    uint32_t c = zcrc(p, n - 4);
    memcpy(p + n - 4, (uint8_t[]){(uint8_t)c, (uint8_t)(c >> 8), (uint8_t)(c >> 16), (uint8_t)(c >> 24)}, 4);
    struct rscp_frame f;
    size_t off = 0;
    /* the second child now starts one byte late and reads as a block of 0x3100 bytes */
    CHECK_INT(rscp_frame_decode(p, n, NULL, &f, &off), RSCP_ERR_BLOCK_OVERRUN);
    CHECK_INT(off, 18 + 7 + 12);
    p[18 + 7 + 5] = 9; /* the second child's header is cut off by the container end */
    c = zcrc(p, n - 4);
    memcpy(p + n - 4, (uint8_t[]){(uint8_t)c, (uint8_t)(c >> 8), (uint8_t)(c >> 16), (uint8_t)(c >> 24)}, 4);
    CHECK_INT(rscp_frame_decode(p, n, NULL, &f, &off), RSCP_ERR_TRUNCATED);
    CHECK_INT(off, 18 + 7 + 16);
    p[18 + 7 + 5] = 20; /* runs past the container itself */
    c = zcrc(p, n - 4);
    memcpy(p + n - 4, (uint8_t[]){(uint8_t)c, (uint8_t)(c >> 8), (uint8_t)(c >> 16), (uint8_t)(c >> 24)}, 4);
    CHECK_INT(rscp_frame_decode(p, n, NULL, &f, &off), RSCP_ERR_BLOCK_OVERRUN);
    CHECK_INT(off, 18 + 7);
    /* without the overrun, depth and block limits */
    p[18 + 7 + 5] = 4;
    c = zcrc(p, n - 4);
    memcpy(p + n - 4, (uint8_t[]){(uint8_t)c, (uint8_t)(c >> 8), (uint8_t)(c >> 16), (uint8_t)(c >> 24)}, 4);
    CHECK_INT(rscp_frame_decode(p, n, NULL, &f, &off), 0);
    struct rscp_limits lim = rscp_limits_default();
    lim.max_blocks = 2;
    CHECK_INT(rscp_frame_decode(p, n, &lim, &f, &off), RSCP_ERR_TOO_MANY_BLOCKS);
    CHECK_INT(off, 18 + 7 + 11);
    lim = rscp_limits_default();
    lim.max_depth = 0;
    CHECK_INT(rscp_frame_decode(p, n, &lim, &f, &off), RSCP_ERR_DEPTH);
    CHECK_INT(off, 18);
    free(p);
}

static void test_crc_function(void)
{
    th_seed(7);
    uint8_t buf[1000];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)th_rand();
    for (size_t n = 0; n < sizeof buf; n += 37) {
        CHECK_INT(rscp_crc32(0, buf, n), zcrc(buf, n));
        uint32_t split = rscp_crc32(rscp_crc32(0, buf, n / 3), buf + n / 3, n - n / 3);
        CHECK_INT(split, zcrc(buf, n));
    }
}

int main(void)
{
    test_builder_frame();
    test_big_frames();
    test_control_words();
    test_header_prefixes();
    test_back_to_back();
    test_structure_offsets();
    test_crc_function();
    return th_finish();
}
