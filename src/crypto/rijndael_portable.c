/* Rijndael-256 in portable C with four 1 KiB round tables per direction.
 *
 * ShiftRows for Nb = 8 shifts rows 1, 2, 3 left by 1, 3 and 4 columns, so
 * output column j takes row r from input column j + {0, 1, 3, 4}[r]; the
 * inverse takes it from column j - {0, 1, 3, 4}[r] (all mod 8).
 *
 * Note: table lookups indexed by secret data are not constant-time; the
 * AES-NI implementation is preferred wherever the CPU has it. */
#include "crypto/rijndael.h"

#include <string.h>

#include "util/bytes.h"

#define TE rscp_crypto_te
#define TD rscp_crypto_td
#define B0(x) ((x) & 0xff)
#define B1(x) (((x) >> 8) & 0xff)
#define B2(x) (((x) >> 16) & 0xff)
#define B3(x) ((x) >> 24)

/* One full round, t = Round(s) with round key rk. */
#define ENC_COL(t, s, j, rk)                                                                          \
    t[j] = TE[0][B0(s[j])] ^ TE[1][B1(s[(j + 1) & 7])] ^ TE[2][B2(s[(j + 3) & 7])] ^ TE[3][B3(s[(j + 4) & 7])] ^ \
           (rk)[j]
#define ENC_ROUND(t, s, rk)                                                                           \
    do {                                                                                              \
        ENC_COL(t, s, 0, rk); ENC_COL(t, s, 1, rk); ENC_COL(t, s, 2, rk); ENC_COL(t, s, 3, rk);       \
        ENC_COL(t, s, 4, rk); ENC_COL(t, s, 5, rk); ENC_COL(t, s, 6, rk); ENC_COL(t, s, 7, rk);       \
    } while (0)
#define DEC_COL(t, s, j, rk)                                                                          \
    t[j] = TD[0][B0(s[j])] ^ TD[1][B1(s[(j + 7) & 7])] ^ TD[2][B2(s[(j + 5) & 7])] ^ TD[3][B3(s[(j + 4) & 7])] ^ \
           (rk)[j]
#define DEC_ROUND(t, s, rk)                                                                           \
    do {                                                                                              \
        DEC_COL(t, s, 0, rk); DEC_COL(t, s, 1, rk); DEC_COL(t, s, 2, rk); DEC_COL(t, s, 3, rk);       \
        DEC_COL(t, s, 4, rk); DEC_COL(t, s, 5, rk); DEC_COL(t, s, 6, rk); DEC_COL(t, s, 7, rk);       \
    } while (0)

#define SB rscp_crypto_sbox
#define ISB rscp_crypto_inv_sbox
#define LAST_ENC_COL(s, j)                                                                            \
    ((uint32_t)SB[B0(s[j])] | (uint32_t)SB[B1(s[(j + 1) & 7])] << 8 | (uint32_t)SB[B2(s[(j + 3) & 7])] << 16 | \
     (uint32_t)SB[B3(s[(j + 4) & 7])] << 24)
#define LAST_DEC_COL(s, j)                                                                            \
    ((uint32_t)ISB[B0(s[j])] | (uint32_t)ISB[B1(s[(j + 7) & 7])] << 8 |                                \
     (uint32_t)ISB[B2(s[(j + 5) & 7])] << 16 | (uint32_t)ISB[B3(s[(j + 4) & 7])] << 24)

/* Rounds 0..14 over the state s (in place); rk: 120 round-key words. */
static inline void encrypt_words(const uint32_t *rk, uint32_t s[8])
{
    uint32_t t[8];
    for (unsigned c = 0; c < 8; c++)
        s[c] ^= rk[c];
    for (unsigned r = 1; r < RSCP_RIJNDAEL_ROUNDS - 1; r += 2) {
        ENC_ROUND(t, s, rk + 8 * r);
        ENC_ROUND(s, t, rk + 8 * (r + 1));
    }
    ENC_ROUND(t, s, rk + 8 * (RSCP_RIJNDAEL_ROUNDS - 1));
    rk += 8 * RSCP_RIJNDAEL_ROUNDS;
    for (unsigned c = 0; c < 8; c++)
        s[c] = LAST_ENC_COL(t, c) ^ rk[c];
}

/* The equivalent inverse cipher with the dk round keys. */
static inline void decrypt_words(const uint32_t *rk, uint32_t s[8])
{
    uint32_t t[8];
    for (unsigned c = 0; c < 8; c++)
        s[c] ^= rk[c];
    for (unsigned r = 1; r < RSCP_RIJNDAEL_ROUNDS - 1; r += 2) {
        DEC_ROUND(t, s, rk + 8 * r);
        DEC_ROUND(s, t, rk + 8 * (r + 1));
    }
    DEC_ROUND(t, s, rk + 8 * (RSCP_RIJNDAEL_ROUNDS - 1));
    rk += 8 * RSCP_RIJNDAEL_ROUNDS;
    for (unsigned c = 0; c < 8; c++)
        s[c] = LAST_DEC_COL(t, c) ^ rk[c];
}

static inline void load_block(uint32_t s[8], const uint8_t *p)
{
    for (unsigned c = 0; c < 8; c++)
        s[c] = rscp_load32_le(p + 4 * c);
}

static inline void store_block(uint8_t *p, const uint32_t s[8])
{
    for (unsigned c = 0; c < 8; c++)
        rscp_store32_le(p + 4 * c, s[c]);
}

void rscp_crypto_portable_encrypt_block(const struct rscp_rijndael_key *k, const uint8_t in[32],
                                        uint8_t out[32])
{
    uint32_t s[8];
    load_block(s, in);
    encrypt_words(k->ek, s);
    store_block(out, s);
}

void rscp_crypto_portable_decrypt_block(const struct rscp_rijndael_key *k, const uint8_t in[32],
                                        uint8_t out[32])
{
    uint32_t s[8];
    load_block(s, in);
    decrypt_words(k->dk, s);
    store_block(out, s);
}

void rscp_crypto_portable_cbc_encrypt(const struct rscp_rijndael_key *k, uint8_t iv[32], uint8_t *buf,
                                      size_t nblocks)
{
    uint32_t s[8], p[8];
    load_block(s, iv);
    for (size_t i = 0; i < nblocks; i++, buf += 32) {
        load_block(p, buf);
        for (unsigned c = 0; c < 8; c++)
            s[c] ^= p[c];
        encrypt_words(k->ek, s);
        store_block(buf, s);
    }
    store_block(iv, s);
}

void rscp_crypto_portable_cbc_decrypt(const struct rscp_rijndael_key *k, uint8_t iv[32], uint8_t *buf,
                                      size_t nblocks)
{
    uint32_t prev[8], cur[8], s[8];
    load_block(prev, iv);
    for (size_t i = 0; i < nblocks; i++, buf += 32) {
        load_block(cur, buf);
        for (unsigned c = 0; c < 8; c++)
            s[c] = cur[c];
        decrypt_words(k->dk, s);
        for (unsigned c = 0; c < 8; c++) {
            s[c] ^= prev[c];
            prev[c] = cur[c];
        }
        store_block(buf, s);
    }
    store_block(iv, prev);
}
