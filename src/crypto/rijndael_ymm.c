/* Rijndael-256 CBC encryption with the whole block in one ymm register:
 * the ymm encryption path of the AES-NI implementation (crypto/rijndael.h),
 * for CPUs with VAES and AVX-512 VBMI/VL.
 *
 * VAESENC on a ymm register runs an AES round on each 128-bit lane: the
 * 128-bit ShiftRows, then SubBytes, MixColumns and AddRoundKey. With the
 * block's columns 0..3 in the low lane and 4..7 in the high lane (the
 * natural layout), one full 32-byte permutation (VPERMB) before each
 * VAESENC places every byte so that the lanes' ShiftRows leaves it where
 * the 256-bit ShiftRows (rows left by 0, 1, 3, 4 columns) wants it:
 *
 *   perm[16h + 4j + r] = 4 * ((4h + ((j - r) mod 4) + s_r) mod 8) + r,
 *   s = (0, 1, 3, 4), lane h, column j of the lane, row r.
 *
 * A round is one VPERMB and one VAESENC on the chain, in the natural layout
 * throughout: no layout cycle (rijndael_avx512.c) and no blend
 * (rijndael_aesni.c). Which of the three is fastest depends on the CPU's
 * shuffle and AES latencies; crypto/path_select.h measures it. The tests
 * check it against libmcrypt. */
#include "crypto/rijndael.h"

#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))

#include <immintrin.h>

#define TARGET_YMM __attribute__((target("aes,sse4.1,ssse3,avx2,vaes,avx512f,avx512bw,avx512vl,avx512vbmi")))

/* The permutation of the comment above, entry by entry. */
#define SHIFT(r) ((r) == 0 ? 0 : (r) == 1 ? 1 : (r) == 2 ? 3 : 4)
#define PERM(h, j, r) (4 * ((4 * (h) + (((j) - (r)) & 3) + SHIFT(r)) & 7) + (r))
#define PERM_COL(h, j) PERM(h, j, 0), PERM(h, j, 1), PERM(h, j, 2), PERM(h, j, 3)
static const uint8_t ymm_perm[32] = {PERM_COL(0, 0), PERM_COL(0, 1), PERM_COL(0, 2), PERM_COL(0, 3),
                                     PERM_COL(1, 0), PERM_COL(1, 1), PERM_COL(1, 2), PERM_COL(1, 3)};

TARGET_YMM static inline __m256i load256(const uint8_t *p)
{
    return _mm256_loadu_si256((const __m256i *)(const void *)p);
}

/* As in rijndael_aesni.c, the XOR of the next plaintext block and round key
 * 0 is folded into the key of the last round: a second VAESENCLAST, off the
 * chain, gives the next block's round-1 input. */
TARGET_YMM void rscp_crypto_ymm_cbc_encrypt(const struct rscp_aesni_key *nk, uint8_t iv[32], uint8_t *buf,
                                            size_t nblocks)
{
    if (nblocks == 0)
        return;
    const __m256i perm = load256(ymm_perm);
    const __m256i k0 = load256(nk->enc[0]), kl = load256(nk->enc[RSCP_RIJNDAEL_ROUNDS]);
    __m256i k[RSCP_RIJNDAEL_ROUNDS];
    for (unsigned r = 1; r < RSCP_RIJNDAEL_ROUNDS; r++)
        k[r] = load256(nk->enc[r]);
    __m256i s = _mm256_xor_si256(load256(iv), _mm256_xor_si256(load256(buf), k0)), c;
    for (size_t i = 0;; i++, buf += 32) {
        for (unsigned r = 1; r < RSCP_RIJNDAEL_ROUNDS; r++)
            s = _mm256_aesenc_epi128(_mm256_permutexvar_epi8(perm, s), k[r]);
        __m256i x = _mm256_permutexvar_epi8(perm, s);
        c = _mm256_aesenclast_epi128(x, kl);
        if (i + 1 == nblocks)
            break;
        s = _mm256_aesenclast_epi128(x, _mm256_xor_si256(kl, _mm256_xor_si256(load256(buf + 32), k0)));
        _mm256_storeu_si256((__m256i *)(void *)buf, c);
    }
    _mm256_storeu_si256((__m256i *)(void *)buf, c);
    _mm256_storeu_si256((__m256i *)(void *)iv, c);
}

#else /* no x86-64 in this build */

void rscp_crypto_ymm_cbc_encrypt(const struct rscp_aesni_key *nk, uint8_t iv[32], uint8_t *buf, size_t nblocks)
{
    (void)nk;
    (void)iv;
    (void)buf;
    (void)nblocks;
}

#endif
