/* rscp_crc32 against zlib's crc32(): every length 0..2000 at every
 * alignment, random start values and chaining, large buffers (the folding
 * paths), the dispatch thresholds, the 128- and 256-bit folding functions
 * called directly, the peer frame vectors, and the generated slicing
 * tables. */
#include "harness.h"
#include "crypto/crc32.h"
#include "rscp/frame.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static uint32_t zcrc(uint32_t crc, const uint8_t *p, size_t n)
{
    /* zlib takes uInt lengths: feed big buffers in pieces */
    while (n > 0) {
        uInt k = n > (1u << 30) ? (1u << 30) : (uInt)n;
        crc = (uint32_t)crc32(crc, p, k);
        p += k;
        n -= k;
    }
    return crc;
}

static void tables_regenerate(void)
{
    static uint32_t t[16][256];
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ ((c & 1) ? 0xEDB88320u : 0);
        t[0][n] = c;
    }
    for (int k = 1; k < 16; k++)
        for (int n = 0; n < 256; n++)
            t[k][n] = (t[k - 1][n] >> 8) ^ t[0][t[k - 1][n] & 0xff];
    CHECK(memcmp(t, rscp_crypto_crc32_table, sizeof t) == 0);
    /* and zlib's own table agrees with row 0 */
    const z_crc_t *z = get_crc_table();
    bool ok = true;
    for (int n = 0; n < 256; n++)
        ok = ok && z[n] == rscp_crypto_crc32_table[0][n];
    CHECK(ok);
}

static void known(void)
{
    CHECK_INT(rscp_crc32(0, "123456789", 9), 0xCBF43926u);
    CHECK_INT(rscp_crc32(0, "", 0), 0);
    CHECK_INT(rscp_crc32(0x12345678u, NULL, 0), 0x12345678u);
    /* F1 of vectors-peers.md: CRC over bytes 0..25 = 0xC3EFB37F */
    size_t n;
    uint8_t *f1 = th_unhex("e3dc0011d9744698faffffff00ca5b070800010080000301000a7fb3efc3", &n);
    CHECK_INT(rscp_crc32(0, f1, 26), 0xC3EFB37Fu);
    free(f1);
    uint8_t *p3 = th_unhex("e3dc001121000b650000000070da58201c00010000000e1500020000000d0400544553540300"
                           "00000d030031323378babe16",
                           &n);
    CHECK_INT(rscp_crc32(0, p3, n - 4), 0x16BEBA78u);
    free(p3);
}

static void every_length(const uint8_t *buf)
{
    unsigned bad = 0;
    for (size_t len = 0; len <= 2000; len++) {
        for (size_t off = 0; off < 16; off++) {
            uint32_t start = off == 0 ? 0 : (uint32_t)th_rand();
            if (rscp_crc32(start, buf + off, len) != zcrc(start, buf + off, len) && bad++ < 5)
                FAIL("crc differs from zlib");
        }
        /* direct calls of both internal paths */
        if (rscp_crypto_crc32_sliced(7, buf + 3, len) != zcrc(7, buf + 3, len) && bad++ < 5)
            FAIL("sliced crc differs from zlib");
        if (len >= 64 && len % 16 == 0 && rscp_crypto_crc32_pclmul_available() &&
            rscp_crypto_crc32_pclmul(0xabcdefu, buf + 5, len) != zcrc(0xabcdefu, buf + 5, len) && bad++ < 5)
            FAIL("pclmul crc differs from zlib");
        if (len >= 64 && len % 16 == 0 && rscp_crypto_crc32_vpclmul_available() &&
            rscp_crypto_crc32_vpclmul(0x5eedu, buf + 9, len) != zcrc(0x5eedu, buf + 9, len) && bad++ < 5)
            FAIL("vpclmul crc differs from zlib");
        if (len >= 64 && len % 16 == 0 && rscp_crypto_crc32_vpclmul512_available() &&
            rscp_crypto_crc32_vpclmul512(0x5eedu, buf + 11, len) != zcrc(0x5eedu, buf + 11, len) && bad++ < 5)
            FAIL("512-bit vpclmul crc differs from zlib");
    }
    CHECK_INT(bad, 0);
}

/* The dispatch of rscp_crc32(): tables below 128 bytes, 128-bit folding
 * from 128, 256-bit (or 512-bit) folding from 256 (on the 16-byte-aligned part; the
 * tail goes through the tables). Every length around both thresholds, at
 * every alignment and with a tail of every size, and each folding path
 * called directly at its smallest lengths (64, 80, ...) with the start
 * values 0 and 0xFFFFFFFF. */
static void thresholds(const uint8_t *buf)
{
    static const size_t edges[] = {64, 128, 256};
    unsigned bad = 0;
    for (size_t e = 0; e < sizeof edges / sizeof edges[0]; e++) {
        for (size_t len = edges[e] - 17; len <= edges[e] + 33; len++) {
            for (size_t off = 0; off < 32; off++) {
                uint32_t start = (uint32_t)(off * 0x9E3779B9u);
                if (rscp_crc32(start, buf + off, len) != zcrc(start, buf + off, len) && bad++ < 5)
                    FAIL("crc differs from zlib at a dispatch threshold");
            }
        }
    }
    for (size_t len = 64; len <= 320; len += 16) {
        for (int s = 0; s < 2; s++) {
            uint32_t start = s ? 0xFFFFFFFFu : 0;
            uint32_t want = zcrc(start, buf + 1, len);
            if (rscp_crypto_crc32_pclmul_available() && rscp_crypto_crc32_pclmul(start, buf + 1, len) != want &&
                bad++ < 5)
                FAIL("pclmul crc differs from zlib at its smallest lengths");
            if (rscp_crypto_crc32_vpclmul_available() && rscp_crypto_crc32_vpclmul(start, buf + 1, len) != want &&
                bad++ < 5)
                FAIL("vpclmul crc differs from zlib at its smallest lengths");
            if (rscp_crypto_crc32_vpclmul512_available() && rscp_crypto_crc32_vpclmul512(start, buf + 1, len) != want &&
                bad++ < 5)
                FAIL("512-bit vpclmul crc differs from zlib at its smallest lengths");
        }
    }
    CHECK_INT(bad, 0);
    /* the folding paths at a guard page: no read past len */
    for (size_t len = 64; len <= 512; len += 16) {
        uint8_t *g = th_guard_copy(buf, len);
        uint32_t want = zcrc(3, buf, len);
        if (rscp_crypto_crc32_pclmul_available())
            CHECK_INT(rscp_crypto_crc32_pclmul(3, g, len), want);
        if (rscp_crypto_crc32_vpclmul_available())
            CHECK_INT(rscp_crypto_crc32_vpclmul(3, g, len), want);
        if (rscp_crypto_crc32_vpclmul512_available())
            CHECK_INT(rscp_crypto_crc32_vpclmul512(3, g, len), want);
        th_guard_free(g, len);
    }
}

static void chaining(const uint8_t *buf, size_t size)
{
    unsigned bad = 0;
    for (int it = 0; it < 2000; it++) {
        size_t len = th_rand_below(it < 1000 ? 3000 : (uint32_t)size - 64);
        size_t off = th_rand_below(64);
        uint32_t want = zcrc(0, buf + off, len);
        uint32_t crc = 0;
        for (size_t pos = 0; pos < len;) {
            size_t k = th_rand_below(it % 2 ? 300 : 5000);
            if (k > len - pos)
                k = len - pos;
            crc = rscp_crc32(crc, buf + off + pos, k);
            pos += k;
        }
        if (crc != want && bad++ < 5)
            FAIL("chained crc differs from zlib");
    }
    CHECK_INT(bad, 0);
}

static void large(uint8_t *buf, size_t size)
{
    static const size_t lens[] = {4096, 65536, 65535 + 22, 100003, 1u << 20};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        size_t len = lens[i] < size - 7 ? lens[i] : size - 7;
        for (size_t off = 0; off < 8; off += 7) {
            uint32_t s = (uint32_t)th_rand();
            CHECK_INT(rscp_crc32(s, buf + off, len), zcrc(s, buf + off, len));
        }
    }
    /* all zeros and all ones */
    memset(buf, 0, size);
    CHECK_INT(rscp_crc32(0, buf, size), zcrc(0, buf, size));
    memset(buf, 0xff, size);
    CHECK_INT(rscp_crc32(0xffffffffu, buf, size), zcrc(0xffffffffu, buf, size));
}

/* A buffer that ends at a guard page: no over-read at any length. */
static void guarded(const uint8_t *buf)
{
    for (size_t len = 0; len <= 300; len++) {
        uint8_t *g = th_guard_copy(buf, len);
        CHECK_INT(rscp_crc32(1, g, len), zcrc(1, buf, len));
        th_guard_free(g, len);
    }
}

int main(void)
{
    th_seed(0xc3c32u);
    if (!rscp_crypto_crc32_pclmul_available())
        printf("SKIPPED: PCLMULQDQ path (not available on this CPU/build)\n");
    if (!rscp_crypto_crc32_vpclmul_available())
        printf("SKIPPED: 256-bit VPCLMULQDQ path (not available on this CPU/build)\n");
    if (!rscp_crypto_crc32_vpclmul512_available())
        printf("SKIPPED: 512-bit VPCLMULQDQ path (not available on this CPU/build)\n");
    enum { SIZE = (1 << 20) + 64 };
    uint8_t *buf = malloc(SIZE);
    for (size_t i = 0; i < SIZE; i++)
        buf[i] = (uint8_t)th_rand();
    tables_regenerate();
    known();
    every_length(buf);
    thresholds(buf);
    chaining(buf, SIZE);
    guarded(buf);
    large(buf, SIZE);
    free(buf);
    return th_finish();
}
