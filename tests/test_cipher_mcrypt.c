/* Rijndael-256-CBC against libmcrypt's "rijndael-256" on random keys, IVs
 * and lengths, for every implementation; the implementations against each
 * other with the CBC chain split at random points; each internal path of
 * the AES-NI implementation (xmm only, VAES, AVX-512) against libmcrypt, so
 * that a CPU with the newest instructions still tests the paths of CPUs
 * without them; and ciphers with the paths measured at first use or forced
 * through RSCP_CIPHER_IMPL. */
#include "harness.h"
#include "crypto/path_select.h"
#include "crypto/rijndael.h"
#include "rscp/cipher.h"
#include "rscp/error.h"

#include <mcrypt.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BLOCKS 80 /* covers the 8-block parallel path and every tail */

static void rand_bytes(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)th_rand();
}

/* libmcrypt CBC over buf in place; its state chains across calls. */
static MCRYPT mc_open(const char *mode, uint8_t key[32], uint8_t iv[32])
{
    MCRYPT td = mcrypt_module_open(MCRYPT_RIJNDAEL_256, NULL, (char *)mode, NULL);
    if (td == MCRYPT_FAILED) {
        FAIL("mcrypt_module_open failed");
        return td;
    }
    CHECK_INT(mcrypt_enc_get_block_size(td), 32);
    CHECK_INT(mcrypt_generic_init(td, key, 32, iv), 0);
    return td;
}

static void mc_close(MCRYPT td)
{
    if (td == MCRYPT_FAILED)
        return;
    mcrypt_generic_deinit(td);
    mcrypt_module_close(td);
}

/* The reference: libmcrypt's CBC encryption of buf[0..n) in place from iv;
 * false (a failure recorded) when libmcrypt cannot be opened. */
static bool mc_encrypt(uint8_t key[32], uint8_t iv[32], uint8_t *buf, size_t n)
{
    MCRYPT td = mc_open("cbc", key, iv);
    if (td == MCRYPT_FAILED)
        return false;
    CHECK_INT(mcrypt_generic(td, buf, (int)n), 0);
    mc_close(td);
    return true;
}

/* Random key, IV, length; one call each way, at an unaligned offset. */
static void cbc_vs_mcrypt(int impl, unsigned iters)
{
    static uint8_t pt[32 * MAX_BLOCKS + 16], mine[32 * MAX_BLOCKS + 16], ref[32 * MAX_BLOCKS];
    unsigned bad = 0;
    for (unsigned it = 0; it < iters; it++) {
        uint8_t key[32], iv[32], ivout[32];
        rand_bytes(key, 32);
        rand_bytes(iv, 32);
        size_t n = 32 * (size_t)(1 + th_rand_below(it < 200 ? 17 : MAX_BLOCKS));
        size_t off = th_rand_below(16);
        rand_bytes(pt, n);
        memcpy(ref, pt, n);
        memcpy(mine + off, pt, n);

        MCRYPT td = mc_open("cbc", key, iv);
        if (td == MCRYPT_FAILED)
            return;
        CHECK_INT(mcrypt_generic(td, ref, (int)n), 0);
        mc_close(td);

        rscp_cipher *c = NULL;
        CHECK_INT(rscp_cipher_new(&c, key, impl), RSCP_OK);
        rscp_cipher_set_iv(c, RSCP_DIR_SEND, iv);
        rscp_cipher_set_iv(c, RSCP_DIR_RECV, iv);
        CHECK_INT(rscp_cipher_encrypt(c, mine + off, n), RSCP_OK);
        bool ok = memcmp(mine + off, ref, n) == 0;
        rscp_cipher_get_iv(c, RSCP_DIR_SEND, ivout);
        ok = ok && memcmp(ivout, ref + n - 32, 32) == 0;

        /* decrypt the reference ciphertext */
        memcpy(mine + off, ref, n);
        CHECK_INT(rscp_cipher_decrypt(c, mine + off, n), RSCP_OK);
        ok = ok && memcmp(mine + off, pt, n) == 0;
        rscp_cipher_get_iv(c, RSCP_DIR_RECV, ivout);
        ok = ok && memcmp(ivout, ref + n - 32, 32) == 0;

        /* and libmcrypt decrypts ours */
        td = mc_open("cbc", key, iv);
        CHECK_INT(mdecrypt_generic(td, ref, (int)n), 0);
        mc_close(td);
        ok = ok && memcmp(ref, pt, n) == 0;
        rscp_cipher_free(c);
        if (!ok && bad++ < 5)
            FAIL("CBC differs from libmcrypt");
    }
    CHECK_INT(bad, 0);
}

/* Single blocks against ECB mode. */
static void ecb_vs_mcrypt(int impl, unsigned iters)
{
    unsigned bad = 0;
    for (unsigned it = 0; it < iters; it++) {
        uint8_t key[32], iv[32] = {0}, pt[32], ref[32], out[32], back[32];
        rand_bytes(key, 32);
        rand_bytes(pt, 32);
        memcpy(ref, pt, 32);
        MCRYPT td = mc_open("ecb", key, iv);
        if (td == MCRYPT_FAILED)
            return;
        CHECK_INT(mcrypt_generic(td, ref, 32), 0);
        mc_close(td);
        rscp_cipher *c = NULL;
        CHECK_INT(rscp_cipher_new(&c, key, impl), RSCP_OK);
        rscp_cipher_encrypt_block(c, pt, out);
        rscp_cipher_decrypt_block(c, ref, back);
        memcpy(iv, out, 32);
        rscp_cipher_encrypt_block(c, iv, iv); /* in place */
        rscp_cipher_decrypt_block(c, iv, iv);
        rscp_cipher_free(c);
        if ((memcmp(out, ref, 32) != 0 || memcmp(back, pt, 32) != 0 || memcmp(iv, out, 32) != 0) && bad++ < 5)
            FAIL("block differs from libmcrypt ECB");
    }
    CHECK_INT(bad, 0);
}

/* Split a message into random multiples of 32 and run both directions of
 * two ciphers call by call: the chains must equal one libmcrypt stream. */
static void chained_splits(int impl_a, int impl_b, unsigned iters)
{
    static uint8_t pt[32 * MAX_BLOCKS * 2], ref[32 * MAX_BLOCKS * 2], x[32 * MAX_BLOCKS * 2],
        y[32 * MAX_BLOCKS * 2];
    unsigned bad = 0;
    for (unsigned it = 0; it < iters; it++) {
        uint8_t key[32], iv[32];
        rand_bytes(key, 32);
        memset(iv, 0xff, 32);
        size_t n = 32 * (size_t)(1 + th_rand_below(2 * MAX_BLOCKS));
        rand_bytes(pt, n);
        memcpy(ref, pt, n);
        MCRYPT td = mc_open("cbc", key, iv);
        if (td == MCRYPT_FAILED)
            return;
        /* libmcrypt chains across calls too: feed it in two pieces */
        size_t half = 32 * (size_t)th_rand_below((unsigned)(n / 32) + 1);
        CHECK_INT(mcrypt_generic(td, ref, (int)half), 0);
        if (n > half)
            CHECK_INT(mcrypt_generic(td, ref + half, (int)(n - half)), 0);
        mc_close(td);

        rscp_cipher *a = NULL, *b = NULL;
        CHECK_INT(rscp_cipher_new(&a, key, impl_a), RSCP_OK);
        CHECK_INT(rscp_cipher_new(&b, key, impl_b), RSCP_OK);
        memcpy(x, pt, n);
        for (size_t pos = 0; pos < n;) {
            size_t len = 32 * (size_t)(1 + th_rand_below(12));
            if (len > n - pos)
                len = n - pos;
            CHECK_INT(rscp_cipher_encrypt(a, x + pos, len), RSCP_OK);
            pos += len;
        }
        memcpy(y, x, n);
        for (size_t pos = 0; pos < n;) {
            size_t len = 32 * (size_t)(1 + th_rand_below(12));
            if (len > n - pos)
                len = n - pos;
            CHECK_INT(rscp_cipher_decrypt(b, y + pos, len), RSCP_OK);
            pos += len;
        }
        bool ok = memcmp(x, ref, n) == 0 && memcmp(y, pt, n) == 0;
        uint8_t ia[32], ib[32];
        rscp_cipher_get_iv(a, RSCP_DIR_SEND, ia);
        rscp_cipher_get_iv(b, RSCP_DIR_RECV, ib);
        ok = ok && memcmp(ia, ib, 32) == 0 && memcmp(ia, ref + n - 32, 32) == 0;
        rscp_cipher_free(a);
        rscp_cipher_free(b);
        if (!ok && bad++ < 5)
            FAIL("chained CBC differs");
    }
    CHECK_INT(bad, 0);
}

/* The internal AES-NI CBC paths against libmcrypt: encryption xmm and
 * avx512, decryption xmm, vaes and avx512, each where the CPU has it;
 * random keys, IVs and lengths of 1..MAX_BLOCKS blocks, the IV chained on
 * into a second call. Path p of a direction is tested with path p (or the
 * last one there is) of the other. */
#define MAX_PATHS ((unsigned)RSCP_DEC_PATHS > (unsigned)RSCP_ENC_PATHS ? (unsigned)RSCP_DEC_PATHS : (unsigned)RSCP_ENC_PATHS)

/* Whether path p exists for encryption (enc) or decryption; its name. */
static bool have_path(bool enc, unsigned p)
{
    return enc ? rscp_crypto_enc_path_available(p) : rscp_crypto_dec_path_available(p);
}

static const char *path_name(bool enc, unsigned p)
{
    return enc ? rscp_crypto_enc_path_name(p) : rscp_crypto_dec_path_name(p);
}

/* The prepared key with encryption path ep and decryption path dp. */
static struct rscp_aesni_key path_key(const struct rscp_aesni_key *nk, unsigned ep, unsigned dp)
{
    struct rscp_aesni_key use = *nk;
    use.enc_path = (uint8_t)ep;
    use.dec_path = (uint8_t)dp;
    return use;
}

/* Path p of both directions where each has it (encryption path p or xmm,
 * decryption path p or xmm); false when neither has p. */
static bool paths_for(unsigned p, unsigned *ep, unsigned *dp)
{
    *ep = have_path(true, p) ? p : RSCP_ENC_XMM;
    *dp = have_path(false, p) ? p : RSCP_DEC_XMM;
    return have_path(true, p) || have_path(false, p);
}

static void aesni_paths_vs_mcrypt(unsigned iters)
{
    static uint8_t ct[32 * MAX_BLOCKS], pt[32 * MAX_BLOCKS], mine[32 * MAX_BLOCKS];
    static struct rscp_rijndael_key k;
    static struct rscp_aesni_key nk;
    unsigned bad = 0;
    for (unsigned it = 0; it < iters; it++) {
        uint8_t key[32], iv[32], iv0[32];
        rand_bytes(key, 32);
        rand_bytes(iv0, 32);
        rscp_crypto_expand_key(&k, key);
        rscp_crypto_aesni_prepare(&nk, &k);
        /* prepare() sets the most capable paths there are. */
        if (it == 0) {
            CHECK(nk.enc_path == (rscp_crypto_avx512_available() ? RSCP_ENC_AVX512 : RSCP_ENC_XMM));
            CHECK(have_path(true, nk.enc_path) && have_path(false, nk.dec_path));
            CHECK(nk.dec_path == RSCP_DEC_PATHS - 1 || !have_path(false, nk.dec_path + 1u));
        }
        size_t blocks = 1 + th_rand_below(MAX_BLOCKS), first = th_rand_below((uint32_t)blocks + 1);
        size_t n = 32 * blocks;
        rand_bytes(pt, n);
        memcpy(ct, pt, n);
        if (!mc_encrypt(key, iv0, ct, n))
            return;
        for (unsigned p = 0; p < MAX_PATHS; p++) {
            unsigned ep, dp;
            if (!paths_for(p, &ep, &dp))
                continue;
            struct rscp_aesni_key use = path_key(&nk, ep, dp);
            memcpy(iv, iv0, 32);
            memcpy(mine, pt, n);
            rscp_crypto_aesni_cbc_encrypt(&use, iv, mine, first);
            rscp_crypto_aesni_cbc_encrypt(&use, iv, mine + 32 * first, blocks - first);
            if ((memcmp(mine, ct, n) != 0 || memcmp(iv, ct + n - 32, 32) != 0) && bad++ < 5) {
                printf("AES-NI encryption (%s path) differs from libmcrypt, %zu blocks\n", path_name(true, ep), blocks);
                FAIL("AES-NI CBC encryption path differs from libmcrypt");
            }
            memcpy(iv, iv0, 32);
            memcpy(mine, ct, n);
            rscp_crypto_aesni_cbc_decrypt(&use, iv, mine, first);
            rscp_crypto_aesni_cbc_decrypt(&use, iv, mine + 32 * first, blocks - first);
            if ((memcmp(mine, pt, n) != 0 || memcmp(iv, ct + n - 32, 32) != 0) && bad++ < 5) {
                printf("AES-NI decryption (%s path) differs from libmcrypt, %zu blocks\n", path_name(false, dp), blocks);
                FAIL("AES-NI CBC decryption path differs from libmcrypt");
            }
        }
    }
    CHECK_INT(bad, 0);
    for (unsigned dir = 0; dir < 2; dir++)
        for (unsigned p = 0; p < (dir == 0 ? RSCP_ENC_PATHS : RSCP_DEC_PATHS); p++)
            if (!have_path(dir == 0, p))
                printf("SKIPPED: AES-NI %s path %s (not available on this CPU/build)\n",
                       dir == 0 ? "encryption" : "decryption", path_name(dir == 0, p));
}

/* Each AES-NI path on buffers of 1..24 blocks that end at an unmapped guard
 * page: the AVX-512 decryption reads and writes two blocks per register and
 * masks off the half past an odd last block, which must touch no byte past
 * the buffer. */
static void aesni_paths_at_guard_page(void)
{
    static struct rscp_rijndael_key k;
    static struct rscp_aesni_key nk;
    uint8_t key[32], iv0[32], iv[32];
    static uint8_t pt[32 * 24], ct[32 * 24];
    rand_bytes(key, 32);
    rand_bytes(iv0, 32);
    rscp_crypto_expand_key(&k, key);
    rscp_crypto_aesni_prepare(&nk, &k);
    unsigned bad = 0;
    for (size_t blocks = 1; blocks <= 24; blocks++) {
        size_t n = 32 * blocks;
        rand_bytes(pt, n);
        memcpy(ct, pt, n);
        if (!mc_encrypt(key, iv0, ct, n))
            return;
        for (unsigned p = 0; p < MAX_PATHS; p++) {
            unsigned ep, dp;
            if (!paths_for(p, &ep, &dp))
                continue;
            struct rscp_aesni_key use = path_key(&nk, ep, dp);
            uint8_t *g = th_guard_copy(pt, n);
            memcpy(iv, iv0, 32);
            rscp_crypto_aesni_cbc_encrypt(&use, iv, g, blocks);
            bool ok = memcmp(g, ct, n) == 0;
            th_guard_free(g, n);
            g = th_guard_copy(ct, n);
            memcpy(iv, iv0, 32);
            rscp_crypto_aesni_cbc_decrypt(&use, iv, g, blocks);
            ok = ok && memcmp(g, pt, n) == 0 && memcmp(iv, ct + n - 32, 32) == 0;
            th_guard_free(g, n);
            if (!ok && bad++ < 5) {
                printf("AES-NI paths %s/%s at a guard page differ from libmcrypt, %zu blocks\n", path_name(true, ep),
                       path_name(false, dp), blocks);
                FAIL("AES-NI CBC path at a guard page differs from libmcrypt");
            }
        }
    }
    CHECK_INT(bad, 0);
}

/* A cipher created with impl (AUTO or AESNI) uses the paths ep and dp and
 * agrees with libmcrypt both ways (random key, IV and length). */
static void cipher_paths_vs_mcrypt(int impl, unsigned ep, unsigned dp, const char *label)
{
    static uint8_t pt[32 * MAX_BLOCKS], ref[32 * MAX_BLOCKS], mine[32 * MAX_BLOCKS];
    uint8_t key[32], iv[32];
    rand_bytes(key, 32);
    rand_bytes(iv, 32);
    size_t n = 32 * (size_t)(1 + th_rand_below(MAX_BLOCKS));
    rand_bytes(pt, n);
    memcpy(ref, pt, n);
    if (!mc_encrypt(key, iv, ref, n))
        return;
    rscp_cipher *c = NULL;
    CHECK_INT(rscp_cipher_new(&c, key, impl), RSCP_OK);
    struct rscp_path_choice got = {0xff, 0xff};
    CHECK(rscp_crypto_cipher_paths(c, &got));
    if (got.enc != ep || got.dec != dp) {
        printf("%s: paths %u/%u, expected %s/%s\n", label, got.enc, got.dec, path_name(true, ep), path_name(false, dp));
        FAIL("cipher paths differ from the expected ones");
    }
    rscp_cipher_set_iv(c, RSCP_DIR_SEND, iv);
    rscp_cipher_set_iv(c, RSCP_DIR_RECV, iv);
    memcpy(mine, pt, n);
    CHECK_INT(rscp_cipher_encrypt(c, mine, n), RSCP_OK);
    bool ok = memcmp(mine, ref, n) == 0;
    CHECK_INT(rscp_cipher_decrypt(c, mine, n), RSCP_OK);
    ok = ok && memcmp(mine, pt, n) == 0;
    rscp_cipher_free(c);
    if (!ok) {
        printf("%s: CBC differs from libmcrypt\n", label);
        FAIL("cipher with chosen or forced paths differs from libmcrypt");
    }
}

/* Without an override a cipher gets the measured choice (available paths,
 * the same for every cipher); RSCP_CIPHER_IMPL=aesni:ENC,DEC forces each
 * available combination, for AUTO and AESNI ciphers alike; "aesni:ENC"
 * forces encryption only; unknown or unavailable names fall back to the
 * measured choice; "portable" still means portable. */
static void chosen_and_forced_paths(void)
{
    CHECK_INT(unsetenv("RSCP_CIPHER_IMPL"), 0);
    struct rscp_path_choice ch = rscp_crypto_path_choice();
    CHECK(have_path(true, ch.enc));
    CHECK(have_path(false, ch.dec));
    struct rscp_path_choice again = rscp_crypto_path_choice();
    CHECK(again.enc == ch.enc && again.dec == ch.dec);
    CHECK(rscp_crypto_path_calibration_ns() > 0);
    printf("measured choice: encrypt %s, decrypt %s (%.1f us)\n", path_name(true, ch.enc), path_name(false, ch.dec),
           rscp_crypto_path_calibration_ns() / 1e3);
    for (unsigned i = 0; i < 20; i++) {
        cipher_paths_vs_mcrypt(RSCP_CIPHER_AUTO, ch.enc, ch.dec, "auto");
        cipher_paths_vs_mcrypt(RSCP_CIPHER_AESNI, ch.enc, ch.dec, "aesni");
    }
    char env[64];
    for (unsigned ep = 0; ep < RSCP_ENC_PATHS; ep++) {
        for (unsigned dp = 0; dp < RSCP_DEC_PATHS; dp++) {
            snprintf(env, sizeof env, "aesni:%s,%s", path_name(true, ep), path_name(false, dp));
            CHECK_INT(setenv("RSCP_CIPHER_IMPL", env, 1), 0);
            unsigned want_e = have_path(true, ep) ? ep : ch.enc, want_d = have_path(false, dp) ? dp : ch.dec;
            for (unsigned i = 0; i < 20; i++) {
                cipher_paths_vs_mcrypt(RSCP_CIPHER_AUTO, want_e, want_d, env);
                cipher_paths_vs_mcrypt(RSCP_CIPHER_AESNI, want_e, want_d, env);
            }
        }
        snprintf(env, sizeof env, "aesni:%s", path_name(true, ep));
        CHECK_INT(setenv("RSCP_CIPHER_IMPL", env, 1), 0);
        cipher_paths_vs_mcrypt(RSCP_CIPHER_AUTO, have_path(true, ep) ? ep : ch.enc, ch.dec, env);
    }
    static const char *const unknown[] = {"aesni:", "aesni:bogus,xmm2", "aesni:auto,auto", "aesni:xmmx,",
                                          "aesni", "AESNI:xmm,xmm", ""};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        CHECK_INT(setenv("RSCP_CIPHER_IMPL", unknown[i], 1), 0);
        cipher_paths_vs_mcrypt(RSCP_CIPHER_AUTO, ch.enc, ch.dec, unknown[i]);
    }
    CHECK_INT(setenv("RSCP_CIPHER_IMPL", "aesni:auto,xmm", 1), 0);
    cipher_paths_vs_mcrypt(RSCP_CIPHER_AUTO, ch.enc, RSCP_DEC_XMM, "aesni:auto,xmm");
    CHECK_INT(setenv("RSCP_CIPHER_IMPL", "portable", 1), 0);
    rscp_cipher *c = NULL;
    uint8_t key[32] = {0};
    struct rscp_path_choice got;
    CHECK_INT(rscp_cipher_new(&c, key, RSCP_CIPHER_AUTO), RSCP_OK);
    CHECK_INT(rscp_cipher_impl(c), RSCP_CIPHER_PORTABLE);
    CHECK(!rscp_crypto_cipher_paths(c, &got));
    rscp_cipher_free(c);
    CHECK_INT(unsetenv("RSCP_CIPHER_IMPL"), 0);
}

int main(void)
{
    th_seed(0x5eed5eedu);
    const int impls[] = {RSCP_CIPHER_PORTABLE, RSCP_CIPHER_AESNI};
    bool have_aesni = rscp_cipher_impl_available(RSCP_CIPHER_AESNI);
    for (size_t i = 0; i < 2; i++) {
        if (!rscp_cipher_impl_available(impls[i])) {
            printf("SKIPPED: %s implementation not available on this CPU/build\n",
                   rscp_cipher_impl_name(impls[i]));
            continue;
        }
        printf("checking %s against libmcrypt\n", rscp_cipher_impl_name(impls[i]));
        cbc_vs_mcrypt(impls[i], 2000);
        ecb_vs_mcrypt(impls[i], 2000);
        chained_splits(impls[i], impls[i], 300);
    }
    if (have_aesni) {
        aesni_paths_vs_mcrypt(1000);
        aesni_paths_at_guard_page();
        chosen_and_forced_paths();
        chained_splits(RSCP_CIPHER_PORTABLE, RSCP_CIPHER_AESNI, 300);
        chained_splits(RSCP_CIPHER_AESNI, RSCP_CIPHER_PORTABLE, 300);
    } else {
        printf("SKIPPED: portable vs aesni (no AES-NI)\n");
    }
    return th_finish();
}
