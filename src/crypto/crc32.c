/* CRC-32 as zlib's crc32(): slicing by 16 over the generated tables, and
 * PCLMULQDQ folding (128, 256 or 512 bits at a time) for long buffers where
 * the CPU has it. */
#include "rscp/frame.h"

#include "crypto/crc32.h"
#include "util/bytes.h"

/* Below this the table code is as fast as setting up the folding. */
#define PCLMUL_MIN_LEN 128u
/* From here the 256-bit (or 512-bit) folding pays for its wider reduction. */
#define VPCLMUL_MIN_LEN 256u

uint32_t rscp_crypto_crc32_sliced(uint32_t crc, const uint8_t *p, size_t len)
{
    const uint32_t(*t)[256] = rscp_crypto_crc32_table;
    crc = ~crc;
    while (len >= 16) {
        uint32_t a = rscp_load32_le(p) ^ crc;
        uint32_t b = rscp_load32_le(p + 4);
        uint32_t c = rscp_load32_le(p + 8);
        uint32_t d = rscp_load32_le(p + 12);
        crc = t[15][a & 0xff] ^ t[14][(a >> 8) & 0xff] ^ t[13][(a >> 16) & 0xff] ^ t[12][a >> 24] ^
              t[11][b & 0xff] ^ t[10][(b >> 8) & 0xff] ^ t[9][(b >> 16) & 0xff] ^ t[8][b >> 24] ^
              t[7][c & 0xff] ^ t[6][(c >> 8) & 0xff] ^ t[5][(c >> 16) & 0xff] ^ t[4][c >> 24] ^
              t[3][d & 0xff] ^ t[2][(d >> 8) & 0xff] ^ t[1][(d >> 16) & 0xff] ^ t[0][d >> 24];
        p += 16;
        len -= 16;
    }
    if (len >= 8) { /* slicing by 8: one short step instead of 8 serial ones */
        uint32_t a = rscp_load32_le(p) ^ crc;
        uint32_t b = rscp_load32_le(p + 4);
        crc = t[7][a & 0xff] ^ t[6][(a >> 8) & 0xff] ^ t[5][(a >> 16) & 0xff] ^ t[4][a >> 24] ^
              t[3][b & 0xff] ^ t[2][(b >> 8) & 0xff] ^ t[1][(b >> 16) & 0xff] ^ t[0][b >> 24];
        p += 8;
        len -= 8;
    }
    if (len >= 4) {
        uint32_t a = rscp_load32_le(p) ^ crc;
        crc = t[3][a & 0xff] ^ t[2][(a >> 8) & 0xff] ^ t[1][(a >> 16) & 0xff] ^ t[0][a >> 24];
        p += 4;
        len -= 4;
    }
    while (len-- > 0)
        crc = (crc >> 8) ^ t[0][(crc ^ *p++) & 0xff];
    return ~crc;
}

uint32_t rscp_crc32(uint32_t crc, const void *data, size_t len)
{
    const uint8_t *p = data;
    if (p == NULL || len == 0)
        return crc;
    if (len >= PCLMUL_MIN_LEN && rscp_crypto_crc32_pclmul_available()) {
        size_t n = len & ~(size_t)15;
        if (n >= VPCLMUL_MIN_LEN && rscp_crypto_crc32_vpclmul512_available())
            crc = rscp_crypto_crc32_vpclmul512(crc, p, n);
        else if (n >= VPCLMUL_MIN_LEN && rscp_crypto_crc32_vpclmul_available())
            crc = rscp_crypto_crc32_vpclmul(crc, p, n);
        else
            crc = rscp_crypto_crc32_pclmul(crc, p, n);
        p += n;
        len -= n;
    }
    return rscp_crypto_crc32_sliced(crc, p, len);
}
