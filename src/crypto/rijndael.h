/* Rijndael with a 256-bit block and a 256-bit key (Nb = Nk = 8, 14 rounds):
 * key schedule and the two block/CBC implementations behind rscp/cipher.h.
 * Internal header.
 *
 * State layout (both implementations): byte 4*c + r of a block is row r of
 * column c, c = 0..7. Round keys are 32 bytes in the same layout. */
#ifndef RSCP_CRYPTO_RIJNDAEL_H
#define RSCP_CRYPTO_RIJNDAEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RSCP_RIJNDAEL_ROUNDS 14
#define RSCP_RIJNDAEL_BLOCK 32
/* Nb * (Nr + 1) = 8 * 15 words of 32 bits. */
#define RSCP_RIJNDAEL_WORDS 120

struct rscp_rijndael_key {
    /* Encryption round keys, word i = column (i % 8) of round (i / 8),
     * little-endian: row 0 in the low byte. */
    uint32_t ek[RSCP_RIJNDAEL_WORDS];
    /* Equivalent inverse cipher: dk round r = InvMixColumns(ek round
     * 14 - r) for r = 1..13, plain ek round 14 - r for r = 0 and 14. */
    uint32_t dk[RSCP_RIJNDAEL_WORDS];
};

/* Expand a 32-byte key into ek and dk. */
void rscp_crypto_expand_key(struct rscp_rijndael_key *k, const uint8_t key[32]);

/* Lookup tables (rijndael_tables.c). te[i][x]: SubBytes then the MixColumns
 * column of a byte x in row i; td[i][x]: InvSubBytes then InvMixColumns. */
extern const uint32_t rscp_crypto_te[4][256];
extern const uint32_t rscp_crypto_td[4][256];
extern const uint8_t rscp_crypto_sbox[256];
extern const uint8_t rscp_crypto_inv_sbox[256];

/* Portable C (rijndael_portable.c). in and out may be the same buffer.
 * The CBC functions work in place on n blocks and update iv to the last
 * ciphertext block. */
void rscp_crypto_portable_encrypt_block(const struct rscp_rijndael_key *k, const uint8_t in[32],
                                        uint8_t out[32]);
void rscp_crypto_portable_decrypt_block(const struct rscp_rijndael_key *k, const uint8_t in[32],
                                        uint8_t out[32]);
void rscp_crypto_portable_cbc_encrypt(const struct rscp_rijndael_key *k, uint8_t iv[32], uint8_t *buf,
                                      size_t nblocks);
void rscp_crypto_portable_cbc_decrypt(const struct rscp_rijndael_key *k, uint8_t iv[32], uint8_t *buf,
                                      size_t nblocks);

/* The internal CBC paths of the AES-NI implementation, one set per
 * direction; every path gives the same output. Encryption (one serial chain
 * of rounds): xmm (rijndael_aesni.c, shuffle and blend per round), avx512
 * (rijndael_avx512.c, one masked shuffle per round in a cycle of layouts)
 * or ymm (rijndael_ymm.c, the block in one register, one VPERMB per round).
 * Decryption (parallel): xmm (one block at a time), vaes (two blocks per
 * ymm register) or avx512 (two blocks per zmm register). Which one is
 * fastest depends on the CPU model, not only on its features: see
 * crypto/path_select.h. */
enum rscp_enc_path { RSCP_ENC_XMM, RSCP_ENC_AVX512, RSCP_ENC_YMM, RSCP_ENC_PATHS };
enum rscp_dec_path { RSCP_DEC_XMM, RSCP_DEC_VAES, RSCP_DEC_AVX512, RSCP_DEC_PATHS };

/* true when this CPU and build can run the path; false for values out of
 * range. */
bool rscp_crypto_enc_path_available(unsigned path);
bool rscp_crypto_dec_path_available(unsigned path);
/* "xmm", "avx512", ...; NULL for values out of range. */
const char *rscp_crypto_enc_path_name(unsigned path);
const char *rscp_crypto_dec_path_name(unsigned path);

/* x86-64 AES-NI (rijndael_aesni.c). Round keys as bytes in the order the
 * instructions use them: enc[r] = ek round r, dec[r] = dk round r. */
struct rscp_aesni_key {
    uint8_t enc[RSCP_RIJNDAEL_ROUNDS + 1][32];
    uint8_t dec[RSCP_RIJNDAEL_ROUNDS + 1][32];
    /* ek rounds in the layouts of the AVX-512 encryption rounds */
    uint8_t enc_avx512[RSCP_RIJNDAEL_ROUNDS + 1][32];
    uint8_t enc_path; /* enum rscp_enc_path, available on this CPU */
    uint8_t dec_path; /* enum rscp_dec_path, available on this CPU */
};

/* true when the CPU (and this build) can run the AES-NI code. */
bool rscp_crypto_aesni_available(void);
/* Round keys from an expanded key, with the paths set to the most capable
 * ones this CPU has (the caller may set any other available path). Only
 * call when available. */
void rscp_crypto_aesni_prepare(struct rscp_aesni_key *nk, const struct rscp_rijndael_key *k);
void rscp_crypto_aesni_encrypt_block(const struct rscp_aesni_key *nk, const uint8_t in[32], uint8_t out[32]);
void rscp_crypto_aesni_decrypt_block(const struct rscp_aesni_key *nk, const uint8_t in[32], uint8_t out[32]);
void rscp_crypto_aesni_cbc_encrypt(const struct rscp_aesni_key *nk, uint8_t iv[32], uint8_t *buf,
                                   size_t nblocks);
void rscp_crypto_aesni_cbc_decrypt(const struct rscp_aesni_key *nk, uint8_t iv[32], uint8_t *buf,
                                   size_t nblocks);

/* x86-64 AES-NI with VAES and AVX-512 BW/VL/VBMI (rijndael_avx512.c): the
 * avx512 CBC paths of the AES-NI implementation, on CPUs that have them,
 * chosen through nk->enc_path and nk->dec_path. */
bool rscp_crypto_avx512_available(void);
/* Fill nk->enc_avx512 from nk->enc. */
void rscp_crypto_avx512_prepare(struct rscp_aesni_key *nk);
void rscp_crypto_avx512_cbc_encrypt(const struct rscp_aesni_key *nk, uint8_t iv[32], uint8_t *buf,
                                    size_t nblocks);
void rscp_crypto_avx512_cbc_decrypt(const struct rscp_aesni_key *nk, uint8_t iv[32], uint8_t *buf,
                                    size_t nblocks);

/* The ymm encryption path (rijndael_ymm.c), on the CPUs of the avx512
 * paths; chosen through nk->enc_path. */
void rscp_crypto_ymm_cbc_encrypt(const struct rscp_aesni_key *nk, uint8_t iv[32], uint8_t *buf, size_t nblocks);

#endif
