/* Rijndael-256 with the x86-64 AES instructions.
 *
 * A 256-bit block is two 128-bit halves, A = columns 0..3 and B = columns
 * 4..7. AESENC on a half performs SubBytes, the 128-bit ShiftRows (row r
 * left by r columns), MixColumns and AddRoundKey. SubBytes and MixColumns
 * are per byte and per column, so only ShiftRows differs from a Rijndael-256
 * round. Before each AESENC the halves are rearranged so that the 128-bit
 * ShiftRows lands every byte where the 256-bit ShiftRows (rows left by 0, 1,
 * 3, 4 columns) wants it:
 *
 *   X = pshufb(blend(A, B, M), S)    Y = pshufb(blend(B, A, M), S)
 *
 * blend takes the byte of its second operand where M has the top bit set.
 * The bytes the new A half needs sit at 16 distinct positions of A or B and
 * the new B half needs exactly the other byte at each position, so one mask
 * serves both halves, and the same byte shuffle S then undoes the 128-bit
 * ShiftRows for both. Encryption, whose rounds form a serial chain in CBC,
 * shuffles first and blends second with the mask shuffled alike (the same
 * result; slightly shorter latency here). Decryption uses AESDEC (InvShiftRows, InvSubBytes,
 * InvMixColumns, AddRoundKey) with the equivalent inverse cipher, whose
 * round keys are the encryption keys in reverse order with InvMixColumns
 * (AESIMC, also per column) applied to rounds 1..13, and its own mask and
 * shuffle. The tests check both against libmcrypt and the portable code.
 *
 * CBC decryption is parallel: pairs of blocks are transposed into one
 * register of A halves and one of B halves, so that 256-bit VAES/AVX2
 * instructions run the 128-bit scheme above on two blocks at once, with no
 * lane crossing inside the rounds; four pairs are in flight. */
#include "crypto/rijndael.h"
#include "crypto/cpu.h"

#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))

#include <immintrin.h>

#define TARGET_AESNI __attribute__((target("aes,sse4.1,ssse3")))
#define TARGET_VAES __attribute__((target("aes,sse4.1,ssse3,avx2,vaes")))

/* Bytes (row r of column c at 4c + r) that blend(A, B, M) takes from B. */
#define ENC_BLEND 0, 0x80, 0x80, 0x80, 0, 0, 0x80, 0x80, 0, 0, 0x80, 0x80, 0, 0, 0, 0x80
#define ENC_SHUF 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13, 2, 3
#define DEC_BLEND 0, 0, 0, 0x80, 0, 0, 0x80, 0x80, 0, 0, 0x80, 0x80, 0, 0x80, 0x80, 0x80
#define DEC_SHUF 0, 1, 14, 15, 4, 5, 2, 3, 8, 9, 6, 7, 12, 13, 10, 11

static const uint8_t enc_blend[32] = {ENC_BLEND, ENC_BLEND};
static const uint8_t enc_shuf[32] = {ENC_SHUF, ENC_SHUF};
static const uint8_t dec_blend[32] = {DEC_BLEND, DEC_BLEND};
static const uint8_t dec_shuf[32] = {DEC_SHUF, DEC_SHUF};

bool rscp_crypto_aesni_available(void)
{
    return rscp_crypto_cpu()->aes;
}

TARGET_AESNI void rscp_crypto_aesni_prepare(struct rscp_aesni_key *nk, const struct rscp_rijndael_key *k)
{
    for (unsigned r = 0; r <= RSCP_RIJNDAEL_ROUNDS; r++) {
        for (unsigned c = 0; c < 8; c++) {
            uint32_t w = k->ek[8 * r + c];
            for (unsigned b = 0; b < 4; b++)
                nk->enc[r][4 * c + b] = (uint8_t)(w >> (8 * b));
        }
    }
    /* dk round r = AESIMC(ek round 14 - r) for r = 1..13. */
    for (unsigned r = 0; r <= RSCP_RIJNDAEL_ROUNDS; r++) {
        for (unsigned h = 0; h < 2; h++) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(nk->enc[RSCP_RIJNDAEL_ROUNDS - r] + 16 * h));
            if (r != 0 && r != RSCP_RIJNDAEL_ROUNDS)
                v = _mm_aesimc_si128(v);
            _mm_storeu_si128((__m128i *)(void *)(nk->dec[r] + 16 * h), v);
        }
    }
    bool avx512 = rscp_crypto_avx512_available();
    nk->enc_path = avx512 ? RSCP_ENC_AVX512 : RSCP_ENC_XMM;
    nk->dec_path = avx512 ? RSCP_DEC_AVX512 : rscp_crypto_cpu()->vaes ? RSCP_DEC_VAES : RSCP_DEC_XMM;
    rscp_crypto_avx512_prepare(nk);
}

bool rscp_crypto_enc_path_available(unsigned path)
{
    switch (path) {
    case RSCP_ENC_XMM:
        return rscp_crypto_aesni_available();
    case RSCP_ENC_AVX512:
    case RSCP_ENC_YMM:
        return rscp_crypto_avx512_available();
    default:
        return false;
    }
}

bool rscp_crypto_dec_path_available(unsigned path)
{
    switch (path) {
    case RSCP_DEC_XMM:
        return rscp_crypto_aesni_available();
    case RSCP_DEC_VAES:
        return rscp_crypto_aesni_available() && rscp_crypto_cpu()->vaes;
    case RSCP_DEC_AVX512:
        return rscp_crypto_avx512_available();
    default:
        return false;
    }
}

static inline __m128i load128(const uint8_t *p)
{
    return _mm_loadu_si128((const __m128i *)(const void *)p);
}

static inline void store128(uint8_t *p, __m128i v)
{
    _mm_storeu_si128((__m128i *)(void *)p, v);
}

/* ---- one block in two xmm registers ------------------------------------ */

/* Rounds 1..13 of one block held as halves *pa, *pb (already XORed with
 * round key 0), then the rearrangement for the last round into *px, *py. */
TARGET_AESNI static inline void enc_rounds(const struct rscp_aesni_key *nk, __m128i *pa, __m128i *pb, __m128i *px,
                                           __m128i *py)
{
    const __m128i s = load128(enc_shuf);
    const __m128i m = _mm_shuffle_epi8(load128(enc_blend), s);
    __m128i a = *pa, b = *pb;
    for (unsigned r = 1; r < RSCP_RIJNDAEL_ROUNDS; r++) {
        __m128i sa = _mm_shuffle_epi8(a, s), sb = _mm_shuffle_epi8(b, s);
        __m128i x = _mm_blendv_epi8(sa, sb, m);
        __m128i y = _mm_blendv_epi8(sb, sa, m);
        a = _mm_aesenc_si128(x, load128(nk->enc[r]));
        b = _mm_aesenc_si128(y, load128(nk->enc[r] + 16));
    }
    __m128i sa = _mm_shuffle_epi8(a, s), sb = _mm_shuffle_epi8(b, s);
    *px = _mm_blendv_epi8(sa, sb, m);
    *py = _mm_blendv_epi8(sb, sa, m);
}

/* Encrypt one block held as halves *pa, *pb in place. */
TARGET_AESNI static inline void enc1(const struct rscp_aesni_key *nk, __m128i *pa, __m128i *pb)
{
    __m128i a = _mm_xor_si128(*pa, load128(nk->enc[0]));
    __m128i b = _mm_xor_si128(*pb, load128(nk->enc[0] + 16));
    __m128i x, y;
    enc_rounds(nk, &a, &b, &x, &y);
    *pa = _mm_aesenclast_si128(x, load128(nk->enc[RSCP_RIJNDAEL_ROUNDS]));
    *pb = _mm_aesenclast_si128(y, load128(nk->enc[RSCP_RIJNDAEL_ROUNDS] + 16));
}

/* Decrypt one block (no CBC) held as halves *pa, *pb in place. */
TARGET_AESNI static inline void dec1(const struct rscp_aesni_key *nk, __m128i *pa, __m128i *pb)
{
    const __m128i m = load128(dec_blend), s = load128(dec_shuf);
    __m128i a = _mm_xor_si128(*pa, load128(nk->dec[0]));
    __m128i b = _mm_xor_si128(*pb, load128(nk->dec[0] + 16));
    for (unsigned r = 1; r < RSCP_RIJNDAEL_ROUNDS; r++) {
        __m128i x = _mm_shuffle_epi8(_mm_blendv_epi8(a, b, m), s);
        __m128i y = _mm_shuffle_epi8(_mm_blendv_epi8(b, a, m), s);
        a = _mm_aesdec_si128(x, load128(nk->dec[r]));
        b = _mm_aesdec_si128(y, load128(nk->dec[r] + 16));
    }
    __m128i x = _mm_shuffle_epi8(_mm_blendv_epi8(a, b, m), s);
    __m128i y = _mm_shuffle_epi8(_mm_blendv_epi8(b, a, m), s);
    *pa = _mm_aesdeclast_si128(x, load128(nk->dec[RSCP_RIJNDAEL_ROUNDS]));
    *pb = _mm_aesdeclast_si128(y, load128(nk->dec[RSCP_RIJNDAEL_ROUNDS] + 16));
}

TARGET_AESNI void rscp_crypto_aesni_encrypt_block(const struct rscp_aesni_key *nk, const uint8_t in[32],
                                                  uint8_t out[32])
{
    __m128i a = load128(in), b = load128(in + 16);
    enc1(nk, &a, &b);
    store128(out, a);
    store128(out + 16, b);
}

TARGET_AESNI void rscp_crypto_aesni_decrypt_block(const struct rscp_aesni_key *nk, const uint8_t in[32],
                                                  uint8_t out[32])
{
    __m128i a = load128(in), b = load128(in + 16);
    dec1(nk, &a, &b);
    store128(out, a);
    store128(out + 16, b);
}

/* CBC encryption is one serial chain of rounds. Two XORs come off it: the
 * next plaintext block and round key 0 are combined beforehand, and that sum
 * is folded into the last round's key (AESENCLAST adds its key last), so a
 * second AESENCLAST, off the chain, yields the next block's first round
 * input directly while the first yields the ciphertext. */
TARGET_AESNI void rscp_crypto_aesni_cbc_encrypt(const struct rscp_aesni_key *nk, uint8_t iv[32], uint8_t *buf,
                                                size_t nblocks)
{
    if (nk->enc_path == RSCP_ENC_AVX512) {
        rscp_crypto_avx512_cbc_encrypt(nk, iv, buf, nblocks);
        return;
    }
    if (nk->enc_path == RSCP_ENC_YMM) {
        rscp_crypto_ymm_cbc_encrypt(nk, iv, buf, nblocks);
        return;
    }
    const __m128i k0a = load128(nk->enc[0]), k0b = load128(nk->enc[0] + 16);
    const __m128i kla = load128(nk->enc[RSCP_RIJNDAEL_ROUNDS]), klb = load128(nk->enc[RSCP_RIJNDAEL_ROUNDS] + 16);
    __m128i ca = load128(iv), cb = load128(iv + 16);
    if (nblocks == 0)
        return;
    __m128i a = _mm_xor_si128(ca, _mm_xor_si128(load128(buf), k0a));
    __m128i b = _mm_xor_si128(cb, _mm_xor_si128(load128(buf + 16), k0b));
    for (size_t i = 0;; i++, buf += 32) {
        __m128i x, y;
        enc_rounds(nk, &a, &b, &x, &y);
        ca = _mm_aesenclast_si128(x, kla);
        cb = _mm_aesenclast_si128(y, klb);
        if (i + 1 == nblocks)
            break;
        a = _mm_aesenclast_si128(x, _mm_xor_si128(kla, _mm_xor_si128(load128(buf + 32), k0a)));
        b = _mm_aesenclast_si128(y, _mm_xor_si128(klb, _mm_xor_si128(load128(buf + 48), k0b)));
        store128(buf, ca);
        store128(buf + 16, cb);
    }
    store128(buf, ca);
    store128(buf + 16, cb);
    store128(iv, ca);
    store128(iv + 16, cb);
}

/* CBC decryption of n blocks one at a time (xmm only). */
TARGET_AESNI static void cbc_decrypt_xmm(const struct rscp_aesni_key *nk, uint8_t iv[32], uint8_t *buf,
                                         size_t nblocks)
{
    __m128i pa = load128(iv), pb = load128(iv + 16);
    for (size_t i = 0; i < nblocks; i++, buf += 32) {
        __m128i ca = load128(buf), cb = load128(buf + 16);
        __m128i a = ca, b = cb;
        dec1(nk, &a, &b);
        store128(buf, _mm_xor_si128(a, pa));
        store128(buf + 16, _mm_xor_si128(b, pb));
        pa = ca;
        pb = cb;
    }
    store128(iv, pa);
    store128(iv + 16, pb);
}

/* ---- pairs of blocks in ymm registers (VAES) --------------------------- */

#define PAIRS 4

TARGET_VAES static inline __m256i load256(const uint8_t *p)
{
    return _mm256_loadu_si256((const __m256i *)(const void *)p);
}

/* Decrypt PAIRS pairs of blocks at p (8 blocks, 256 bytes) in place, without
 * the CBC XOR. a[i] holds the A halves of blocks 2i and 2i+1, b[i] the B
 * halves. */
TARGET_VAES static inline void dec_pairs(const struct rscp_aesni_key *nk, uint8_t *p)
{
    const __m256i m = load256(dec_blend), s = load256(dec_shuf);
    __m256i a[PAIRS], b[PAIRS];
    __m256i ka = _mm256_broadcastsi128_si256(load128(nk->dec[0]));
    __m256i kb = _mm256_broadcastsi128_si256(load128(nk->dec[0] + 16));
    for (unsigned i = 0; i < PAIRS; i++) {
        __m256i u = load256(p + 64 * i), v = load256(p + 64 * i + 32);
        a[i] = _mm256_xor_si256(_mm256_permute2x128_si256(u, v, 0x20), ka);
        b[i] = _mm256_xor_si256(_mm256_permute2x128_si256(u, v, 0x31), kb);
    }
    for (unsigned r = 1; r < RSCP_RIJNDAEL_ROUNDS; r++) {
        ka = _mm256_broadcastsi128_si256(load128(nk->dec[r]));
        kb = _mm256_broadcastsi128_si256(load128(nk->dec[r] + 16));
        for (unsigned i = 0; i < PAIRS; i++) {
            __m256i x = _mm256_shuffle_epi8(_mm256_blendv_epi8(a[i], b[i], m), s);
            __m256i y = _mm256_shuffle_epi8(_mm256_blendv_epi8(b[i], a[i], m), s);
            a[i] = _mm256_aesdec_epi128(x, ka);
            b[i] = _mm256_aesdec_epi128(y, kb);
        }
    }
    ka = _mm256_broadcastsi128_si256(load128(nk->dec[RSCP_RIJNDAEL_ROUNDS]));
    kb = _mm256_broadcastsi128_si256(load128(nk->dec[RSCP_RIJNDAEL_ROUNDS] + 16));
    for (unsigned i = 0; i < PAIRS; i++) {
        __m256i x = _mm256_shuffle_epi8(_mm256_blendv_epi8(a[i], b[i], m), s);
        __m256i y = _mm256_shuffle_epi8(_mm256_blendv_epi8(b[i], a[i], m), s);
        x = _mm256_aesdeclast_epi128(x, ka);
        y = _mm256_aesdeclast_epi128(y, kb);
        _mm256_storeu_si256((__m256i *)(void *)(p + 64 * i), _mm256_permute2x128_si256(x, y, 0x20));
        _mm256_storeu_si256((__m256i *)(void *)(p + 64 * i + 32), _mm256_permute2x128_si256(x, y, 0x31));
    }
}

/* CBC decryption, 8 blocks per step. Plaintext block i = D(C_i) ^ C_{i-1}:
 * the last ciphertext block of a step is saved before it is overwritten. */
TARGET_VAES static void cbc_decrypt_vaes(const struct rscp_aesni_key *nk, uint8_t iv[32], uint8_t *buf,
                                         size_t nblocks)
{
    enum { STEP = 2 * PAIRS };
    uint8_t prev[32], last[32];
    memcpy(prev, iv, 32);
    for (; nblocks >= STEP; nblocks -= STEP, buf += 32 * STEP) {
        __m256i c[STEP];
        for (unsigned i = 0; i < STEP; i++)
            c[i] = load256(buf + 32 * i);
        memcpy(last, buf + 32 * (STEP - 1), 32);
        dec_pairs(nk, buf);
        __m256i pv = load256(prev);
        for (unsigned i = 0; i < STEP; i++) {
            __m256i d = load256(buf + 32 * i);
            _mm256_storeu_si256((__m256i *)(void *)(buf + 32 * i), _mm256_xor_si256(d, pv));
            pv = c[i];
        }
        memcpy(prev, last, 32);
    }
    cbc_decrypt_xmm(nk, prev, buf, nblocks);
    memcpy(iv, prev, 32);
}

void rscp_crypto_aesni_cbc_decrypt(const struct rscp_aesni_key *nk, uint8_t iv[32], uint8_t *buf,
                                   size_t nblocks)
{
    if (nk->dec_path == RSCP_DEC_AVX512)
        rscp_crypto_avx512_cbc_decrypt(nk, iv, buf, nblocks);
    else if (nk->dec_path == RSCP_DEC_VAES && nblocks >= 2 * PAIRS)
        cbc_decrypt_vaes(nk, iv, buf, nblocks);
    else
        cbc_decrypt_xmm(nk, iv, buf, nblocks);
}

#else /* no x86-64 AES-NI in this build */

bool rscp_crypto_aesni_available(void)
{
    return false;
}

bool rscp_crypto_enc_path_available(unsigned path)
{
    (void)path;
    return false;
}

bool rscp_crypto_dec_path_available(unsigned path)
{
    (void)path;
    return false;
}

void rscp_crypto_aesni_prepare(struct rscp_aesni_key *nk, const struct rscp_rijndael_key *k)
{
    (void)k;
    memset(nk, 0, sizeof *nk);
}

void rscp_crypto_aesni_encrypt_block(const struct rscp_aesni_key *nk, const uint8_t in[32], uint8_t out[32])
{
    (void)nk;
    (void)in;
    memset(out, 0, 32);
}

void rscp_crypto_aesni_decrypt_block(const struct rscp_aesni_key *nk, const uint8_t in[32], uint8_t out[32])
{
    (void)nk;
    (void)in;
    memset(out, 0, 32);
}

void rscp_crypto_aesni_cbc_encrypt(const struct rscp_aesni_key *nk, uint8_t iv[32], uint8_t *buf, size_t nblocks)
{
    (void)nk;
    (void)iv;
    (void)buf;
    (void)nblocks;
}

void rscp_crypto_aesni_cbc_decrypt(const struct rscp_aesni_key *nk, uint8_t iv[32], uint8_t *buf, size_t nblocks)
{
    (void)nk;
    (void)iv;
    (void)buf;
    (void)nblocks;
}

#endif
