/* The AES-NI implementation's internal paths side by side: xmm only (CPUs
 * without VAES), VAES decryption, and the AVX-512 path, each where this CPU
 * has it, so that one run shows what older CPUs get. Each path is first
 * checked against the portable implementation on the 64 KiB pattern; the
 * timed loops are the internal CBC functions on 64 KiB and on 1 KiB (the
 * size of e2e_1k's frame, where CBC encryption's serial chain dominates). */
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "crypto/rijndael.h"

#define PATH_BYTES 65536u

enum { PATH_XMM, PATH_VAES, PATH_AVX512, N_PATHS };
static const char *const path_names[N_PATHS] = {"xmm", "vaes", "avx512"};

struct path_ctx {
    struct rscp_aesni_key nk;
    uint8_t iv[32];
    size_t len;
};

static _Alignas(64) uint8_t path_buf[PATH_BYTES];

static int run_path_encrypt(void *vctx, uint64_t iters)
{
    struct path_ctx *ctx = vctx;
    for (uint64_t i = 0; i < iters; i++)
        rscp_crypto_aesni_cbc_encrypt(&ctx->nk, ctx->iv, path_buf, ctx->len / 32u);
    return 0;
}

static int run_path_decrypt(void *vctx, uint64_t iters)
{
    struct path_ctx *ctx = vctx;
    for (uint64_t i = 0; i < iters; i++)
        rscp_crypto_aesni_cbc_decrypt(&ctx->nk, ctx->iv, path_buf, ctx->len / 32u);
    return 0;
}

/* The path's CBC output on the pattern equals the portable code's, both
 * ways. */
static int path_agrees(const struct path_ctx *ctx, const struct rscp_rijndael_key *k, const uint8_t *plain)
{
    static uint8_t want[PATH_BYTES];
    uint8_t iv_ref[32], iv[32];
    memset(iv_ref, 0xff, sizeof iv_ref);
    memset(iv, 0xff, sizeof iv);
    memcpy(want, plain, PATH_BYTES);
    rscp_crypto_portable_cbc_encrypt(k, iv_ref, want, PATH_BYTES / 32u);
    memcpy(path_buf, plain, PATH_BYTES);
    rscp_crypto_aesni_cbc_encrypt(&ctx->nk, iv, path_buf, PATH_BYTES / 32u);
    if (memcmp(path_buf, want, PATH_BYTES) != 0 || memcmp(iv, iv_ref, 32) != 0)
        return 0;
    memset(iv, 0xff, sizeof iv);
    rscp_crypto_aesni_cbc_decrypt(&ctx->nk, iv, path_buf, PATH_BYTES / 32u);
    return memcmp(path_buf, plain, PATH_BYTES) == 0 && memcmp(iv, iv_ref, 32) == 0;
}

int bench_cipher_paths(const uint8_t key[32], const uint8_t *plain)
{
    if (!rscp_crypto_aesni_available()) {
        printf("# AES-NI not available: no internal paths to compare\n");
        return 0;
    }
    static struct rscp_rijndael_key k;
    static struct path_ctx ctx;
    rscp_crypto_expand_key(&k, key);
    rscp_crypto_aesni_prepare(&ctx.nk, &k);
    const bool have[N_PATHS] = {true, ctx.nk.vaes, ctx.nk.avx512};
    printf("# AES-NI internal paths (xmm: no VAES; vaes: VAES decryption; avx512: the path this CPU uses\n"
           "# when it has AVX-512 BW/VL/VBMI and VAES); *_1k: one CBC call on 1,024 bytes\n");
    char name[64];
    for (int p = 0; p < N_PATHS; p++) {
        if (!have[p]) {
            printf("# %s path not available on this CPU/build: skipped\n", path_names[p]);
            continue;
        }
        ctx.nk.vaes = p == PATH_VAES;
        ctx.nk.avx512 = p == PATH_AVX512;
        if (!path_agrees(&ctx, &k, plain)) {
            fprintf(stderr, "rscp_bench: the AES-NI %s path differs from the portable code\n", path_names[p]);
            return 1;
        }
        memset(ctx.iv, 0xff, sizeof ctx.iv);
        memcpy(path_buf, plain, PATH_BYTES);
        static const size_t lens[2] = {PATH_BYTES, 1024u};
        for (int l = 0; l < 2; l++) {
            ctx.len = lens[l];
            struct bench_result enc = bench_measure(run_path_encrypt, &ctx);
            struct bench_result dec = bench_measure(run_path_decrypt, &ctx);
            if (l == 0) {
                snprintf(name, sizeof name, "encrypt_64k[aesni:%s]", path_names[p]);
                bench_print(name, (double)PATH_BYTES / enc.ns_per_op * 1e3, "MB/s");
                snprintf(name, sizeof name, "decrypt_64k[aesni:%s]", path_names[p]);
                bench_print(name, (double)PATH_BYTES / dec.ns_per_op * 1e3, "MB/s");
            } else {
                snprintf(name, sizeof name, "encrypt_1k[aesni:%s]", path_names[p]);
                bench_print(name, enc.ns_per_op / 1e3, "us/op");
                snprintf(name, sizeof name, "decrypt_1k[aesni:%s]", path_names[p]);
                bench_print(name, dec.ns_per_op / 1e3, "us/op");
            }
        }
    }
    return 0;
}
