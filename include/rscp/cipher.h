/* librscp: Rijndael-256-CBC as used by RSCP. Pure; the only heap use is the
 * cipher object itself.
 *
 * Rijndael with a 256-bit block and a 256-bit key (Nb = 8, Nk = 8, 14
 * rounds) -- not AES, whose block is 128 bits. CBC with one IV per
 * direction, each chained across frames: the last ciphertext block sent
 * (received) is the IV of the next frame sent (received). Both IVs start as
 * 32 bytes of 0xFF. Plaintext is zero-padded to a multiple of 32 bytes, with
 * no extra block when it already is one.
 *
 * Two implementations sit behind this interface: portable C and x86-64
 * AES-NI (which uses VAES and AVX-512 too where the CPU has them). They give
 * identical output. RSCP_CIPHER_AUTO picks AES-NI when the
 * CPU has it, unless the environment variable RSCP_CIPHER_IMPL is set to
 * "portable". Within AES-NI each direction has several internal paths
 * (encryption: xmm, avx512, ymm; decryption: xmm, vaes, avx512); which is fastest
 * depends on the CPU model, so the first AES-NI cipher created in the
 * process times each available one on a small buffer (tens of
 * microseconds, no heap) and every AES-NI cipher uses the fastest.
 * RSCP_CIPHER_IMPL=aesni:ENC,DEC (or aesni:ENC) forces paths instead, e.g.
 * "aesni:xmm,vaes"; a name that is "auto", unknown, or not available on
 * this CPU leaves that direction to the measurement. A cipher object is not
 * thread-safe; distinct objects are. */
#ifndef RSCP_CIPHER_H
#define RSCP_CIPHER_H

#include "rscp/common.h"

#define RSCP_KEY_SIZE 32u
#define RSCP_IV_SIZE 32u

enum rscp_cipher_impl {
    RSCP_CIPHER_AUTO = 0,
    RSCP_CIPHER_PORTABLE = 1,
    RSCP_CIPHER_AESNI = 2
};

/* Which IV: the one for frames we send, or for frames we receive. */
enum rscp_direction {
    RSCP_DIR_SEND = 0,
    RSCP_DIR_RECV = 1
};

typedef struct rscp_cipher rscp_cipher;

RSCP_BEGIN_DECLS

/* The RSCP key from the password set on the device: its bytes truncated to
 * 32 and right-padded with 0xFF. pw may be NULL when len is 0; nothing is
 * written when key is NULL. The caller should wipe key after use. */
RSCP_API void rscp_key_derive(const void *pw, size_t len, uint8_t key[RSCP_KEY_SIZE]);

/* Create a cipher for a 32-byte key with both IVs at 0xFF..FF. The key is
 * copied (into the key schedule); the caller's copy may be wiped at once.
 * impl: RSCP_CIPHER_AUTO, _PORTABLE or _AESNI.
 * Returns 0 and *out, RSCP_ERR_NOMEM, RSCP_ERR_UNSUPPORTED (AESNI asked but
 * not available) or RSCP_ERR_ARG (out or key NULL, unknown impl); *out is
 * NULL on error. Free with rscp_cipher_free(). Thread-safe unless another
 * thread changes the environment (RSCP_CIPHER_IMPL is read on every call);
 * the first AES-NI cipher also measures the AES-NI paths (see above). */
RSCP_API int rscp_cipher_new(rscp_cipher **out, const uint8_t key[RSCP_KEY_SIZE], int impl);

/* Wipe the key schedule and IVs and free. NULL is accepted. */
RSCP_API void rscp_cipher_free(rscp_cipher *c);

/* The implementation in use (RSCP_CIPHER_PORTABLE or RSCP_CIPHER_AESNI);
 * RSCP_CIPHER_PORTABLE for NULL. */
RSCP_API int rscp_cipher_impl(const rscp_cipher *c);

/* true if impl can run on this CPU and build (AUTO and PORTABLE always,
 * unknown values never). Thread-safe. */
RSCP_API bool rscp_cipher_impl_available(int impl);

/* "portable", "aesni", "auto", or NULL for an unknown value. Static
 * storage; thread-safe. */
RSCP_API const char *rscp_cipher_impl_name(int impl);

/* Both IVs back to 32 x 0xFF (a new connection). NULL is ignored. */
RSCP_API void rscp_cipher_reset(rscp_cipher *c);

/* Set or read one direction's IV (dir RSCP_DIR_SEND or RSCP_DIR_RECV).
 * A NULL cipher or iv, or another dir, is ignored. */
RSCP_API void rscp_cipher_set_iv(rscp_cipher *c, int dir, const uint8_t iv[RSCP_IV_SIZE]);
RSCP_API void rscp_cipher_get_iv(const rscp_cipher *c, int dir, uint8_t iv[RSCP_IV_SIZE]);

/* CBC in place over buf[0..len), continuing the send (encrypt) or receive
 * (decrypt) IV chain: afterwards that IV is the last ciphertext block.
 * Returns 0 (len 0 is a no-op), or RSCP_ERR_ARG (c NULL, buf NULL with
 * len > 0, len not a multiple of 32) with the IV untouched. */
RSCP_API int rscp_cipher_encrypt(rscp_cipher *c, uint8_t *buf, size_t len);
RSCP_API int rscp_cipher_decrypt(rscp_cipher *c, uint8_t *buf, size_t len);

/* Zero-pad the frame in buf[0..len) to a multiple of 32 (no extra block if
 * it already is one) and encrypt it in place with the send IV chain.
 * *out_len (may be NULL) gets the padded length. Returns 0,
 * RSCP_ERR_NOSPACE when cap is too small for the padding, or RSCP_ERR_ARG
 * (c NULL, buf NULL with cap > 0, len > cap); on error nothing is written
 * and the IV is untouched. */
RSCP_API int rscp_cipher_seal(rscp_cipher *c, uint8_t *buf, size_t len, size_t cap, size_t *out_len);

/* One raw Rijndael-256 block (no chaining, IVs untouched), for
 * known-answer tests; in and out may be the same buffer; NULL arguments are
 * ignored. */
RSCP_API void rscp_cipher_encrypt_block(const rscp_cipher *c, const uint8_t in[32], uint8_t out[32]);
RSCP_API void rscp_cipher_decrypt_block(const rscp_cipher *c, const uint8_t in[32], uint8_t out[32]);

RSCP_END_DECLS

#endif
