/* The public cipher object: key schedule, per-direction CBC IVs, the
 * choice between the portable and the AES-NI implementation, and of the
 * AES-NI paths (measured once, crypto/path_select.h, unless the
 * environment names them). */
#include "rscp/cipher.h"

#include <stdlib.h>
#include <string.h>

#include "crypto/path_select.h"
#include "crypto/rijndael.h"
#include "rscp/error.h"
#include "util/wipe.h"

struct rscp_cipher {
    struct rscp_rijndael_key key;
    struct rscp_aesni_key ni; /* filled only for RSCP_CIPHER_AESNI */
    uint8_t iv[2][RSCP_IV_SIZE];
    int impl;
};

void rscp_key_derive(const void *pw, size_t len, uint8_t key[RSCP_KEY_SIZE])
{
    if (key == NULL)
        return;
    if (pw == NULL)
        len = 0;
    if (len > RSCP_KEY_SIZE)
        len = RSCP_KEY_SIZE;
    memset(key, 0xff, RSCP_KEY_SIZE);
    if (len > 0)
        memcpy(key, pw, len);
}

bool rscp_cipher_impl_available(int impl)
{
    switch (impl) {
    case RSCP_CIPHER_AUTO:
    case RSCP_CIPHER_PORTABLE:
        return true;
    case RSCP_CIPHER_AESNI:
        return rscp_crypto_aesni_available();
    default:
        return false;
    }
}

const char *rscp_cipher_impl_name(int impl)
{
    switch (impl) {
    case RSCP_CIPHER_AUTO:
        return "auto";
    case RSCP_CIPHER_PORTABLE:
        return "portable";
    case RSCP_CIPHER_AESNI:
        return "aesni";
    default:
        return NULL;
    }
}

/* RSCP_CIPHER_IMPL: "portable", "aesni", or "aesni:ENC" / "aesni:ENC,DEC"
 * with ENC and DEC path names (rscp_crypto_enc_path_name(), _dec_) or
 * "auto". */
static const char *env_impl(void)
{
    return getenv("RSCP_CIPHER_IMPL");
}

static int resolve_impl(int impl, const char *env)
{
    if (impl != RSCP_CIPHER_AUTO)
        return impl;
    if (env != NULL && strcmp(env, "portable") == 0)
        return RSCP_CIPHER_PORTABLE;
    return rscp_crypto_aesni_available() ? RSCP_CIPHER_AESNI : RSCP_CIPHER_PORTABLE;
}

/* The path named by s[0..len) among the available ones, or -1 (auto,
 * unknown or unavailable). */
static int env_path(const char *s, size_t len, bool enc)
{
    unsigned n = enc ? RSCP_ENC_PATHS : RSCP_DEC_PATHS;
    for (unsigned p = 0; p < n; p++) {
        const char *name = enc ? rscp_crypto_enc_path_name(p) : rscp_crypto_dec_path_name(p);
        bool avail = enc ? rscp_crypto_enc_path_available(p) : rscp_crypto_dec_path_available(p);
        if (strlen(name) == len && memcmp(s, name, len) == 0)
            return avail ? (int)p : -1;
    }
    return -1;
}

/* The AES-NI paths: those the environment names, the measured choice for
 * the others. */
static void choose_paths(struct rscp_aesni_key *ni, const char *env)
{
    int enc = -1, dec = -1;
    if (env != NULL && strncmp(env, "aesni:", 6) == 0) {
        const char *e = env + 6, *comma = strchr(e, ',');
        enc = env_path(e, comma != NULL ? (size_t)(comma - e) : strlen(e), true);
        if (comma != NULL)
            dec = env_path(comma + 1, strlen(comma + 1), false);
    }
    if (enc < 0 || dec < 0) {
        struct rscp_path_choice ch = rscp_crypto_path_choice();
        if (enc < 0)
            enc = ch.enc;
        if (dec < 0)
            dec = ch.dec;
    }
    ni->enc_path = (uint8_t)enc;
    ni->dec_path = (uint8_t)dec;
}

int rscp_cipher_new(rscp_cipher **out, const uint8_t key[RSCP_KEY_SIZE], int impl)
{
    if (out == NULL)
        return RSCP_ERR_ARG;
    *out = NULL;
    if (key == NULL || rscp_cipher_impl_name(impl) == NULL)
        return RSCP_ERR_ARG;
    const char *env = env_impl();
    impl = resolve_impl(impl, env);
    if (impl == RSCP_CIPHER_AESNI && !rscp_crypto_aesni_available())
        return RSCP_ERR_UNSUPPORTED;
    rscp_cipher *c = calloc(1, sizeof *c);
    if (c == NULL)
        return RSCP_ERR_NOMEM;
    c->impl = impl;
    rscp_crypto_expand_key(&c->key, key);
    if (impl == RSCP_CIPHER_AESNI) {
        rscp_crypto_aesni_prepare(&c->ni, &c->key);
        choose_paths(&c->ni, env);
    }
    rscp_cipher_reset(c);
    *out = c;
    return RSCP_OK;
}

bool rscp_crypto_cipher_paths(const rscp_cipher *c, struct rscp_path_choice *out)
{
    if (c == NULL || c->impl != RSCP_CIPHER_AESNI || out == NULL)
        return false;
    out->enc = c->ni.enc_path;
    out->dec = c->ni.dec_path;
    return true;
}

void rscp_cipher_free(rscp_cipher *c)
{
    if (c == NULL)
        return;
    rscp_util_wipe(c, sizeof *c);
    free(c);
}

int rscp_cipher_impl(const rscp_cipher *c)
{
    return c != NULL ? c->impl : RSCP_CIPHER_PORTABLE;
}

void rscp_cipher_reset(rscp_cipher *c)
{
    if (c == NULL)
        return;
    memset(c->iv, 0xff, sizeof c->iv);
}

static bool valid_dir(int dir)
{
    return dir == RSCP_DIR_SEND || dir == RSCP_DIR_RECV;
}

void rscp_cipher_set_iv(rscp_cipher *c, int dir, const uint8_t iv[RSCP_IV_SIZE])
{
    if (c != NULL && iv != NULL && valid_dir(dir))
        memcpy(c->iv[dir], iv, RSCP_IV_SIZE);
}

void rscp_cipher_get_iv(const rscp_cipher *c, int dir, uint8_t iv[RSCP_IV_SIZE])
{
    if (c != NULL && iv != NULL && valid_dir(dir))
        memcpy(iv, c->iv[dir], RSCP_IV_SIZE);
}

/* CBC in place needs a cipher and whole blocks (none is fine). */
static bool valid_cbc_args(const rscp_cipher *c, const uint8_t *buf, size_t len)
{
    return c != NULL && (buf != NULL || len == 0) && len % RSCP_RIJNDAEL_BLOCK == 0;
}

int rscp_cipher_encrypt(rscp_cipher *c, uint8_t *buf, size_t len)
{
    if (!valid_cbc_args(c, buf, len))
        return RSCP_ERR_ARG;
    size_t n = len / RSCP_RIJNDAEL_BLOCK;
    if (n == 0)
        return RSCP_OK;
    if (c->impl == RSCP_CIPHER_AESNI)
        rscp_crypto_aesni_cbc_encrypt(&c->ni, c->iv[RSCP_DIR_SEND], buf, n);
    else
        rscp_crypto_portable_cbc_encrypt(&c->key, c->iv[RSCP_DIR_SEND], buf, n);
    return RSCP_OK;
}

int rscp_cipher_decrypt(rscp_cipher *c, uint8_t *buf, size_t len)
{
    if (!valid_cbc_args(c, buf, len))
        return RSCP_ERR_ARG;
    size_t n = len / RSCP_RIJNDAEL_BLOCK;
    if (n == 0)
        return RSCP_OK;
    if (c->impl == RSCP_CIPHER_AESNI)
        rscp_crypto_aesni_cbc_decrypt(&c->ni, c->iv[RSCP_DIR_RECV], buf, n);
    else
        rscp_crypto_portable_cbc_decrypt(&c->key, c->iv[RSCP_DIR_RECV], buf, n);
    return RSCP_OK;
}

int rscp_cipher_seal(rscp_cipher *c, uint8_t *buf, size_t len, size_t cap, size_t *out_len)
{
    if (c == NULL || (buf == NULL && cap > 0) || len > cap)
        return RSCP_ERR_ARG;
    size_t rem = len % RSCP_RIJNDAEL_BLOCK;
    size_t pad = rem != 0 ? RSCP_RIJNDAEL_BLOCK - rem : 0;
    if (pad > cap - len)
        return RSCP_ERR_NOSPACE;
    if (pad > 0)
        memset(buf + len, 0, pad);
    int rc = rscp_cipher_encrypt(c, buf, len + pad);
    if (rc == RSCP_OK && out_len != NULL)
        *out_len = len + pad;
    return rc;
}

void rscp_cipher_encrypt_block(const rscp_cipher *c, const uint8_t in[32], uint8_t out[32])
{
    if (c == NULL || in == NULL || out == NULL)
        return;
    if (c->impl == RSCP_CIPHER_AESNI)
        rscp_crypto_aesni_encrypt_block(&c->ni, in, out);
    else
        rscp_crypto_portable_encrypt_block(&c->key, in, out);
}

void rscp_cipher_decrypt_block(const rscp_cipher *c, const uint8_t in[32], uint8_t out[32])
{
    if (c == NULL || in == NULL || out == NULL)
        return;
    if (c->impl == RSCP_CIPHER_AESNI)
        rscp_crypto_aesni_decrypt_block(&c->ni, in, out);
    else
        rscp_crypto_portable_decrypt_block(&c->key, in, out);
}
