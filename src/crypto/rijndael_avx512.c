/* Rijndael-256 CBC with AES-NI, VAES and AVX-512 (F, BW, VL, VBMI).
 *
 * Encryption. CBC encryption is one serial chain of rounds, so its speed is
 * the latency of a round. rijndael_aesni.c keeps the state in its natural
 * layout and needs a byte shuffle and a cross-half blend in series before
 * each AESENC (8 cycles a round on Zen 4). Here the state moves through a
 * cycle of layouts (found by tools/gen_rijndael_layouts.py, which also writes
 * the byte tables of rijndael_avx512_tables.h) in which one masked byte
 * shuffle per half does it, the same shuffle in every round:
 *
 *   X = mask_shuffle(A, KX, B, SX)    byte i: KX bit i ? B[SX[i]] : A[i]
 *   Y = mask_shuffle(B, KY, A, SY)
 *
 * The new A half keeps the bytes it takes from the old A half in place and
 * shuffles in the bytes it takes from the old B half; likewise for B. A
 * layout places each logical column of the 256-bit state at a column of one
 * half (with its rows rotated, which MixColumns, a circulant matrix,
 * tolerates); SubBytes and AddRoundKey work per byte, so AESENC computes a
 * Rijndael-256 round of a state in any layout, given the round key in the
 * layout of the round's output. A round is then one masked shuffle and one
 * AESENC (about 6.8 cycles). Round 1 starts from the layout of the state
 * between blocks with a two-source byte permute (VPERMT2B), since 14 rounds
 * are not a whole number of turns of the 8-layout cycle; plaintext and
 * ciphertext are converted with VPERMT2B off the chain.
 *
 * Decryption. CBC decryption is parallel, so its speed is throughput: two
 * blocks in natural layout per 512-bit register, one VPERMB (the inverse
 * ShiftRows of Rijndael-256 undone for AESDEC's 128-bit one, both blocks at
 * once) and one VAESDEC per round, six registers in flight.
 *
 * The tests check both against libmcrypt and the portable code. */
#include "crypto/rijndael.h"
#include "crypto/cpu.h"

#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))

#include <immintrin.h>

#include "crypto/rijndael_avx512_tables.h"

#define TARGET_AVX512 __attribute__((target("aes,sse4.1,ssse3,avx2,vaes,avx512f,avx512bw,avx512vl,avx512vbmi")))

bool rscp_crypto_avx512_available(void)
{
    const struct rscp_cpu *cpu = rscp_crypto_cpu();
    return cpu->aes && cpu->vaes && cpu->avx512_bytes;
}

void rscp_crypto_avx512_prepare(struct rscp_aesni_key *nk)
{
    for (unsigned r = 0; r <= RSCP_RIJNDAEL_ROUNDS; r++)
        for (unsigned i = 0; i < 32; i++)
            nk->enc_avx512[r][i] = nk->enc[r][rscp_avx512_key_src[r][i]];
}

static inline __m128i load128(const uint8_t *p)
{
    return _mm_loadu_si128((const __m128i *)(const void *)p);
}

static inline void store128(uint8_t *p, __m128i v)
{
    _mm_storeu_si128((__m128i *)(void *)p, v);
}

/* ---- CBC encryption: one block at a time, the chain in layouts ---------- */

/* Natural block at p -> halves in layout E. */
TARGET_AVX512 static inline void to_e(const uint8_t *p, __m128i *a, __m128i *b)
{
    __m128i lo = load128(p), hi = load128(p + 16);
    *a = _mm_permutex2var_epi8(lo, load128(rscp_avx512_to_e), hi);
    *b = _mm_permutex2var_epi8(lo, load128(rscp_avx512_to_e + 16), hi);
}

/* Halves in layout E -> natural block at p. */
TARGET_AVX512 static inline void from_e(__m128i a, __m128i b, uint8_t *p)
{
    store128(p, _mm_permutex2var_epi8(a, load128(rscp_avx512_from_e), b));
    store128(p + 16, _mm_permutex2var_epi8(a, load128(rscp_avx512_from_e + 16), b));
}

/* The masked shuffle of rounds 2..14 (the same in each): the new halves
 * *u and *v from the old ones a and b. */
TARGET_AVX512 static inline void round_shuffle(__m128i a, __m128i b, __m128i *u, __m128i *v)
{
    *u = _mm_mask_shuffle_epi8(a, rscp_avx512_enc_mask[0], b, load128(rscp_avx512_enc_shuf[0]));
    *v = _mm_mask_shuffle_epi8(b, rscp_avx512_enc_mask[1], a, load128(rscp_avx512_enc_shuf[1]));
}

/* Rounds 1..13 of the block whose round-1 input (layout E) is a, b, then
 * the inputs of the AESENCLAST of round 14 into *x, *y. */
TARGET_AVX512 static inline void enc_rounds(const uint8_t (*k)[32], __m128i a, __m128i b, __m128i *x, __m128i *y)
{
    __m128i u = _mm_permutex2var_epi8(a, load128(rscp_avx512_enc_first[0]), b);
    __m128i v = _mm_permutex2var_epi8(a, load128(rscp_avx512_enc_first[1]), b);
    a = _mm_aesenc_si128(u, load128(k[1]));
    b = _mm_aesenc_si128(v, load128(k[1] + 16));
    for (unsigned r = 2; r < RSCP_RIJNDAEL_ROUNDS; r++) {
        round_shuffle(a, b, &u, &v);
        a = _mm_aesenc_si128(u, load128(k[r]));
        b = _mm_aesenc_si128(v, load128(k[r] + 16));
    }
    round_shuffle(a, b, x, y);
}

/* Each block's round 1 input is C_prev ^ P ^ k0 (layout E); the XOR with
 * P ^ k0 is folded into the last round's key of the previous block (as in
 * rijndael_aesni.c): a second AESENCLAST beside the one that yields the
 * ciphertext gives the next block's input with no XOR on the chain. */
TARGET_AVX512 void rscp_crypto_avx512_cbc_encrypt(const struct rscp_aesni_key *nk, uint8_t iv[32], uint8_t *buf,
                                                  size_t nblocks)
{
    const uint8_t(*k)[32] = nk->enc_avx512;
    if (nblocks == 0)
        return;
    const __m128i k0a = load128(k[0]), k0b = load128(k[0] + 16);
    const __m128i kla = load128(k[RSCP_RIJNDAEL_ROUNDS]), klb = load128(k[RSCP_RIJNDAEL_ROUNDS] + 16);
    __m128i a, b, pa, pb, x, y, ca, cb;
    to_e(iv, &a, &b);
    to_e(buf, &pa, &pb);
    a = _mm_xor_si128(a, _mm_xor_si128(pa, k0a));
    b = _mm_xor_si128(b, _mm_xor_si128(pb, k0b));
    for (size_t i = 0;; i++, buf += 32) {
        enc_rounds(k, a, b, &x, &y);
        ca = _mm_aesenclast_si128(x, kla);
        cb = _mm_aesenclast_si128(y, klb);
        if (i + 1 == nblocks)
            break;
        to_e(buf + 32, &pa, &pb);
        a = _mm_aesenclast_si128(x, _mm_xor_si128(kla, _mm_xor_si128(pa, k0a)));
        b = _mm_aesenclast_si128(y, _mm_xor_si128(klb, _mm_xor_si128(pb, k0b)));
        from_e(ca, cb, buf);
    }
    from_e(ca, cb, buf);
    memcpy(iv, buf, 32);
}

/* ---- CBC decryption: pairs of blocks in zmm registers ------------------- */

/* zmm registers in flight in a full step: 12 blocks, enough to keep the AES
 * units busy (fewer leave them waiting for AESDEC's latency). */
#define DEC_REGS 6

TARGET_AVX512 static inline __m512i round_key512(const uint8_t k[32])
{
    return _mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i *)(const void *)k));
}

/* Bytes of register j (blocks 2j and 2j + 1) that lie within n blocks. */
static inline __mmask64 reg_mask(size_t n, unsigned j)
{
    return n >= 2u * j + 2u ? ~(__mmask64)0 : n == 2u * j + 1u ? (__mmask64)0xFFFFFFFFu : 0;
}

/* One step over min(n, 2 * nregs) blocks at buf, in place; *prev is the
 * ciphertext block before buf on entry and the step's last ciphertext block
 * on return. Loads and stores past n blocks are masked off (no access).
 * Inlined with a constant nregs. */
TARGET_AVX512 static inline void dec_step(const struct rscp_aesni_key *nk, uint8_t *buf, size_t n, __m256i *prev,
                                          const unsigned nregs)
{
    const __m512i perm = _mm512_loadu_si512((const void *)rscp_avx512_dec_perm);
    __m512i c[DEC_REGS], x[DEC_REGS];
    __m512i k = round_key512(nk->dec[0]);
    for (unsigned j = 0; j < nregs; j++) {
        c[j] = _mm512_maskz_loadu_epi8(reg_mask(n, j), buf + 64 * j);
        x[j] = _mm512_xor_si512(c[j], k);
    }
    for (unsigned r = 1; r < RSCP_RIJNDAEL_ROUNDS; r++) {
        k = round_key512(nk->dec[r]);
        for (unsigned j = 0; j < nregs; j++)
            x[j] = _mm512_aesdec_epi128(_mm512_permutexvar_epi8(perm, x[j]), k);
    }
    k = round_key512(nk->dec[RSCP_RIJNDAEL_ROUNDS]);
    /* Plaintext 2j, 2j + 1 = D(C) ^ [C_{2j-1}, C_{2j}]: the upper half of
     * the register before (or *prev) and the lower half of this one. */
    __m512i before = _mm512_broadcast_i64x4(*prev);
    for (unsigned j = 0; j < nregs; j++) {
        __m512i d = _mm512_aesdeclast_epi128(_mm512_permutexvar_epi8(perm, x[j]), k);
        __m512i chain = _mm512_alignr_epi64(c[j], before, 4);
        _mm512_mask_storeu_epi8(buf + 64 * j, reg_mask(n, j), _mm512_xor_si512(d, chain));
        before = c[j];
    }
    size_t last = n < 2u * nregs ? n - 1u : 2u * nregs - 1u;
    *prev = (last & 1u) ? _mm512_extracti64x4_epi64(c[last / 2u], 1) : _mm512_castsi512_si256(c[last / 2u]);
}

TARGET_AVX512 void rscp_crypto_avx512_cbc_decrypt(const struct rscp_aesni_key *nk, uint8_t iv[32], uint8_t *buf,
                                                  size_t nblocks)
{
    if (nblocks == 0)
        return;
    __m256i prev = _mm256_loadu_si256((const __m256i *)(const void *)iv);
    for (; nblocks > 2 * DEC_REGS; nblocks -= 2 * DEC_REGS, buf += 64 * DEC_REGS)
        dec_step(nk, buf, nblocks, &prev, DEC_REGS);
    /* The last 1..12 blocks in one step of a size that fits them. */
    if (nblocks > 8)
        dec_step(nk, buf, nblocks, &prev, DEC_REGS);
    else if (nblocks > 4)
        dec_step(nk, buf, nblocks, &prev, 4);
    else
        dec_step(nk, buf, nblocks, &prev, 2);
    _mm256_storeu_si256((__m256i *)(void *)iv, prev);
}

#else /* no x86-64 in this build */

bool rscp_crypto_avx512_available(void)
{
    return false;
}

void rscp_crypto_avx512_prepare(struct rscp_aesni_key *nk)
{
    memset(nk->enc_avx512, 0, sizeof nk->enc_avx512);
}

void rscp_crypto_avx512_cbc_encrypt(const struct rscp_aesni_key *nk, uint8_t iv[32], uint8_t *buf, size_t nblocks)
{
    (void)nk;
    (void)iv;
    (void)buf;
    (void)nblocks;
}

void rscp_crypto_avx512_cbc_decrypt(const struct rscp_aesni_key *nk, uint8_t iv[32], uint8_t *buf, size_t nblocks)
{
    (void)nk;
    (void)iv;
    (void)buf;
    (void)nblocks;
}

#endif
