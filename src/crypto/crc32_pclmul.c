/* CRC-32 by folding with carry-less multiplication (PCLMULQDQ), after
 * Gopal et al., "Fast CRC Computation for Generic Polynomials Using
 * PCLMULQDQ Instruction" (Intel, 2009), in the bit-reflected domain:
 * four 128-bit lanes fold 64 bytes per step (two lanes per instruction with
 * 256-bit VPCLMULQDQ where the CPU has it), then fold to one lane, then
 * to 64 bits, then a Barrett reduction to 32 bits. With AVX-512, eight lanes
 * in two 512-bit registers fold 128 bytes per step, and the four lanes left
 * at the end are folded onto the last one in a single step (each by its own
 * distance) instead of one after the other. The constants are
 * x^k mod P(x) for the CRC-32 polynomial P, bit-reflected and shifted left
 * by one; tests/test_crc32.c compares the result with zlib on every length. */
#include "crypto/crc32.h"
#include "crypto/cpu.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))

#include <immintrin.h>

#define TARGET_PCLMUL __attribute__((target("pclmul,sse4.1")))
#define TARGET_VPCLMUL __attribute__((target("pclmul,sse4.1,avx2,vpclmulqdq")))
#define TARGET_VPCLMUL512 __attribute__((target("pclmul,sse4.1,avx2,vpclmulqdq,avx512f")))

bool rscp_crypto_crc32_pclmul_available(void)
{
    return rscp_crypto_cpu()->pclmul;
}

static inline __m128i load128(const uint8_t *p)
{
    return _mm_loadu_si128((const __m128i *)(const void *)p);
}

/* a = a * k (folded 128 -> 128 bits) ^ data */
TARGET_PCLMUL static inline __m128i fold(__m128i a, __m128i k, __m128i data)
{
    __m128i lo = _mm_clmulepi64_si128(a, k, 0x00);
    __m128i hi = _mm_clmulepi64_si128(a, k, 0x11);
    return _mm_xor_si128(_mm_xor_si128(lo, hi), data);
}

/* x^(4*128+32), x^(4*128-32): folds a lane forward by 64 bytes. */
#define K1K2_HI 0x01c6e41596
#define K1K2_LO 0x0154442bd4
/* x^(128+32), x^(128-32): folds a lane forward by 16 bytes. */
#define K3K4_HI 0x00ccaa009e
#define K3K4_LO 0x01751997d0

/* Fold the 16-byte chunks at p into the lane x1, then reduce to the 32-bit
 * CRC. */
TARGET_PCLMUL static inline uint32_t finish1(__m128i x1, const uint8_t *p, size_t len)
{
    const __m128i k3k4 = _mm_set_epi64x(K3K4_HI, K3K4_LO);
    /* x^64 | P', mu */
    const __m128i k5 = _mm_set_epi64x(0, 0x0163cd6124);
    const __m128i poly = _mm_set_epi64x(0x01f7011641, 0x01db710641);
    const __m128i low32 = _mm_setr_epi32(-1, 0, -1, 0);

    for (; len >= 16; p += 16, len -= 16)
        x1 = fold(x1, k3k4, load128(p));

    /* 128 -> 64 bits */
    __m128i x = _mm_xor_si128(_mm_clmulepi64_si128(x1, k3k4, 0x10), _mm_srli_si128(x1, 8));
    x = _mm_xor_si128(_mm_clmulepi64_si128(_mm_and_si128(x, low32), k5, 0x00), _mm_srli_si128(x, 4));
    /* Barrett reduction to 32 bits */
    __m128i t = _mm_clmulepi64_si128(_mm_and_si128(x, low32), poly, 0x10);
    t = _mm_clmulepi64_si128(_mm_and_si128(t, low32), poly, 0x00);
    x = _mm_xor_si128(x, t);
    return ~(uint32_t)_mm_extract_epi32(x, 1);
}

/* Fold the four lanes (x1 first in the message) into one, then the
 * remaining 16-byte chunks at p, and reduce to the 32-bit CRC. */
TARGET_PCLMUL static inline uint32_t finish(__m128i x1, __m128i x2, __m128i x3, __m128i x4, const uint8_t *p, size_t len)
{
    const __m128i k3k4 = _mm_set_epi64x(K3K4_HI, K3K4_LO);
    x1 = fold(x1, k3k4, x2);
    x1 = fold(x1, k3k4, x3);
    x1 = fold(x1, k3k4, x4);
    return finish1(x1, p, len);
}

TARGET_PCLMUL uint32_t rscp_crypto_crc32_pclmul(uint32_t crc, const uint8_t *p, size_t len)
{
    const __m128i k1k2 = _mm_set_epi64x(K1K2_HI, K1K2_LO);
    __m128i x1 = _mm_xor_si128(load128(p), _mm_cvtsi32_si128((int)~crc));
    __m128i x2 = load128(p + 16);
    __m128i x3 = load128(p + 32);
    __m128i x4 = load128(p + 48);
    p += 64;
    len -= 64;
    for (; len >= 64; p += 64, len -= 64) {
        x1 = fold(x1, k1k2, load128(p));
        x2 = fold(x2, k1k2, load128(p + 16));
        x3 = fold(x3, k1k2, load128(p + 32));
        x4 = fold(x4, k1k2, load128(p + 48));
    }
    return finish(x1, x2, x3, x4, p, len);
}

bool rscp_crypto_crc32_vpclmul_available(void)
{
    return rscp_crypto_cpu()->pclmul && rscp_crypto_cpu()->vpclmul;
}

TARGET_VPCLMUL static inline __m256i load256(const uint8_t *p)
{
    return _mm256_loadu_si256((const __m256i *)(const void *)p);
}

TARGET_VPCLMUL static inline __m256i fold256(__m256i a, __m256i k, __m256i data)
{
    __m256i lo = _mm256_clmulepi64_epi128(a, k, 0x00);
    __m256i hi = _mm256_clmulepi64_epi128(a, k, 0x11);
    return _mm256_xor_si256(_mm256_xor_si256(lo, hi), data);
}

/* The same four 128-bit lanes as above, two per ymm register: the carry-less
 * multiplier takes one instruction per two lanes, twice the bytes per cycle
 * (its throughput is the limit). */
TARGET_VPCLMUL uint32_t rscp_crypto_crc32_vpclmul(uint32_t crc, const uint8_t *p, size_t len)
{
    const __m256i k1k2 = _mm256_set_epi64x(K1K2_HI, K1K2_LO, K1K2_HI, K1K2_LO);
    __m256i y1 = _mm256_xor_si256(load256(p), _mm256_zextsi128_si256(_mm_cvtsi32_si128((int)~crc)));
    __m256i y2 = load256(p + 32);
    p += 64;
    len -= 64;
    for (; len >= 64; p += 64, len -= 64) {
        y1 = fold256(y1, k1k2, load256(p));
        y2 = fold256(y2, k1k2, load256(p + 32));
    }
    return finish(_mm256_castsi256_si128(y1), _mm256_extracti128_si256(y1, 1), _mm256_castsi256_si128(y2),
                  _mm256_extracti128_si256(y2, 1), p, len);
}

bool rscp_crypto_crc32_vpclmul512_available(void)
{
    return rscp_crypto_crc32_vpclmul_available() && rscp_crypto_cpu()->avx512;
}

TARGET_VPCLMUL512 static inline __m512i load512(const uint8_t *p)
{
    return _mm512_loadu_si512((const void *)p);
}

/* a * k ^ data for four lanes; the three-way XOR is one instruction. */
TARGET_VPCLMUL512 static inline __m512i fold512(__m512i a, __m512i k, __m512i data)
{
    return _mm512_ternarylogic_epi64(_mm512_clmulepi64_epi128(a, k, 0x00), _mm512_clmulepi64_epi128(a, k, 0x11),
                                     data, 0x96);
}

/* One pair of fold constants, x^(d+32) and x^(d-32) for a distance of d
 * bits, in each 128-bit lane. */
#define FOLD4(lo, hi) _mm512_set_epi64(hi, lo, hi, lo, hi, lo, hi, lo)

TARGET_VPCLMUL512 uint32_t rscp_crypto_crc32_vpclmul512(uint32_t crc, const uint8_t *p, size_t len)
{
    /* d = 1024 (128 bytes) and 512 (64 bytes) */
    const __m512i k1024 = FOLD4(0x01e88ef372, 0x014a7fe880);
    const __m512i k512 = FOLD4(K1K2_LO, K1K2_HI);
    /* Lanes 0, 1, 2 onto lane 3: d = 384, 256, 128 (lane 3 is kept). */
    const __m512i klanes = _mm512_set_epi64(0, 0, K3K4_HI, K3K4_LO, 0x0015a546366, 0x00f1da05aa,
                                            0x0174359406, 0x003db1ecdc);
    __m512i z1 = _mm512_xor_si512(load512(p), _mm512_zextsi128_si512(_mm_cvtsi32_si128((int)~crc)));
    if (len >= 128) {
        __m512i z2 = load512(p + 64);
        p += 128;
        len -= 128;
        for (; len >= 128; p += 128, len -= 128) {
            z1 = fold512(z1, k1024, load512(p));
            z2 = fold512(z2, k1024, load512(p + 64));
        }
        z1 = fold512(z1, k512, z2);
    } else {
        p += 64;
        len -= 64;
    }
    if (len >= 64) {
        z1 = fold512(z1, k512, load512(p));
        p += 64;
        len -= 64;
    }
    __m512i t = _mm512_xor_si512(_mm512_clmulepi64_epi128(z1, klanes, 0x00), _mm512_clmulepi64_epi128(z1, klanes, 0x11));
    t = _mm512_mask_mov_epi64(t, 0xC0, z1);
    __m256i y = _mm256_xor_si256(_mm512_castsi512_si256(t), _mm512_extracti64x4_epi64(t, 1));
    __m128i x = _mm_xor_si128(_mm256_castsi256_si128(y), _mm256_extracti128_si256(y, 1));
    return finish1(x, p, len);
}

#else

bool rscp_crypto_crc32_vpclmul512_available(void)
{
    return false;
}

uint32_t rscp_crypto_crc32_vpclmul512(uint32_t crc, const uint8_t *p, size_t len)
{
    return rscp_crypto_crc32_sliced(crc, p, len);
}

bool rscp_crypto_crc32_pclmul_available(void)
{
    return false;
}

bool rscp_crypto_crc32_vpclmul_available(void)
{
    return false;
}

uint32_t rscp_crypto_crc32_vpclmul(uint32_t crc, const uint8_t *p, size_t len)
{
    return rscp_crypto_crc32_sliced(crc, p, len);
}

uint32_t rscp_crypto_crc32_pclmul(uint32_t crc, const uint8_t *p, size_t len)
{
    return rscp_crypto_crc32_sliced(crc, p, len);
}

#endif
