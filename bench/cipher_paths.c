/* The AES-NI implementation's internal CBC paths side by side, each where
 * this CPU has it: encryption xmm / avx512 / ymm, decryption xmm / vaes / avx512
 * (crypto/rijndael.h), so that one run shows what older CPUs get and which
 * path is fastest here. Each path is first checked against the portable
 * implementation on the 64 KiB pattern; the timed loops are the internal
 * CBC functions on 64 KiB and on 1 KiB (the size of e2e_1k's frame, where
 * CBC encryption's serial chain dominates), the paths of one direction
 * interleaved so that the load of a shared machine hits them alike. Then the paths the library
 * chose at first use are compared with the fastest ones measured here. */
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "crypto/rijndael.h"

#define PATH_BYTES 65536u

struct path_ctx {
    struct rscp_aesni_key nk; /* with the path to time */
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

/* The paths set in ctx give the portable code's CBC output on the pattern,
 * both ways. */
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

int bench_cipher_paths(const uint8_t key[32], const uint8_t *plain, struct bench_path_speeds *out)
{
    memset(out, 0, sizeof *out);
    if (!rscp_crypto_aesni_available()) {
        printf("# AES-NI not available: no internal paths to compare\n");
        return 0;
    }
    out->have = true;
    static struct rscp_rijndael_key k;
    static struct path_ctx ctx[BENCH_MAX_INTERLEAVED];
    rscp_crypto_expand_key(&k, key);
    rscp_crypto_aesni_prepare(&ctx[0].nk, &k);
    const struct rscp_aesni_key base = ctx[0].nk;
    printf("# AES-NI internal paths (encryption: xmm = shuffle + blend per round, avx512 = one masked\n"
           "# shuffle per round in a cycle of layouts, ymm = the block in one register, one VPERMB per\n"
           "# round; decryption: xmm = one block at a time, vaes = 2 blocks per ymm, avx512 = 2 blocks\n"
           "# per zmm); *_1k: one CBC call on 1,024 bytes; the paths of a direction and size timed\n"
           "# interleaved\n");
    char name[64];
    for (unsigned dir = 0; dir < 2; dir++) {
        bool enc = dir == 0;
        const char *what = enc ? "encrypt" : "decrypt";
        unsigned n = enc ? RSCP_ENC_PATHS : RSCP_DEC_PATHS, m = 0, path[BENCH_MAX_INTERLEAVED];
        for (unsigned p = 0; p < n && m < BENCH_MAX_INTERLEAVED; p++) {
            const char *pname = enc ? rscp_crypto_enc_path_name(p) : rscp_crypto_dec_path_name(p);
            if (!(enc ? rscp_crypto_enc_path_available(p) : rscp_crypto_dec_path_available(p))) {
                printf("# %s %s path not available on this CPU/build: skipped\n", enc ? "encryption" : "decryption",
                       pname);
                continue;
            }
            ctx[m].nk = base;
            if (enc)
                ctx[m].nk.enc_path = (uint8_t)p;
            else
                ctx[m].nk.dec_path = (uint8_t)p;
            if (!path_agrees(&ctx[m], &k, plain)) {
                fprintf(stderr, "rscp_bench: the AES-NI %s path differs from the portable code\n", pname);
                return 1;
            }
            memset(ctx[m].iv, 0xff, sizeof ctx[m].iv);
            path[m++] = p;
        }
        bench_fn fns[BENCH_MAX_INTERLEAVED];
        void *ctxs[BENCH_MAX_INTERLEAVED];
        for (unsigned i = 0; i < m; i++) {
            fns[i] = enc ? run_path_encrypt : run_path_decrypt;
            ctxs[i] = &ctx[i];
        }
        struct bench_result r64[BENCH_MAX_INTERLEAVED], r1[BENCH_MAX_INTERLEAVED];
        memcpy(path_buf, plain, PATH_BYTES);
        for (unsigned i = 0; i < m; i++)
            ctx[i].len = PATH_BYTES;
        int rc = bench_measure_interleaved(m, fns, ctxs, r64);
        for (unsigned i = 0; i < m; i++)
            ctx[i].len = 1024u;
        if (rc == 0)
            rc = bench_measure_interleaved(m, fns, ctxs, r1);
        if (rc != 0) {
            fprintf(stderr, "rscp_bench: timing the AES-NI paths failed\n");
            return 1;
        }
        for (unsigned i = 0; i < m; i++) {
            struct bench_path_speed *s = enc ? &out->enc[path[i]] : &out->dec[path[i]];
            const char *pname = enc ? rscp_crypto_enc_path_name(path[i]) : rscp_crypto_dec_path_name(path[i]);
            s->have = true;
            s->mbps_64k = (double)PATH_BYTES / r64[i].ns_per_op * 1e3;
            s->us_1k = r1[i].ns_per_op / 1e3;
            snprintf(name, sizeof name, "%s_64k[aesni:%s]", what, pname);
            bench_print(name, s->mbps_64k, "MB/s");
        }
        for (unsigned i = 0; i < m; i++) {
            const struct bench_path_speed *s = enc ? &out->enc[path[i]] : &out->dec[path[i]];
            snprintf(name, sizeof name, "%s_1k[aesni:%s]", what, enc ? rscp_crypto_enc_path_name(path[i])
                                                                     : rscp_crypto_dec_path_name(path[i]));
            bench_print(name, s->us_1k, "us/op");
        }
    }
    return 0;
}

/* The path with the highest 64 KiB speed (by_1k false) or the lowest 1 KiB
 * time among those measured. */
static unsigned fastest(const struct bench_path_speed *s, unsigned n, bool by_1k)
{
    unsigned best = n;
    for (unsigned p = 0; p < n; p++) {
        if (!s[p].have)
            continue;
        if (best == n || (by_1k ? s[p].us_1k < s[best].us_1k : s[p].mbps_64k > s[best].mbps_64k))
            best = p;
    }
    return best;
}

void bench_print_path_choice(const struct bench_path_speeds *sp, const struct rscp_path_choice *chosen,
                             uint32_t calibration_ns)
{
    if (!sp->have || chosen == NULL)
        return;
    printf("# AES-NI paths chosen at first use (each timed on %u bytes, fastest of %u runs): encrypt %s,\n"
           "# decrypt %s; that measurement took %.1f us\n",
           RSCP_PATH_CALIB_BYTES, RSCP_PATH_SAMPLES, rscp_crypto_enc_path_name(chosen->enc),
           rscp_crypto_dec_path_name(chosen->dec), calibration_ns / 1e3);
    bench_print("cipher_path_calibration", calibration_ns / 1e3, "us");
    unsigned e64 = fastest(sp->enc, RSCP_ENC_PATHS, false), e1 = fastest(sp->enc, RSCP_ENC_PATHS, true);
    unsigned d64 = fastest(sp->dec, RSCP_DEC_PATHS, false), d1 = fastest(sp->dec, RSCP_DEC_PATHS, true);
    if (e64 == RSCP_ENC_PATHS || d64 == RSCP_DEC_PATHS || !sp->enc[chosen->enc].have || !sp->dec[chosen->dec].have)
        return;
    printf("# fastest paths measured above: encrypt_64k %s, encrypt_1k %s, decrypt_64k %s, decrypt_1k %s;\n"
           "# the chosen path's speed against the fastest (1 = the chosen one is the fastest)\n",
           rscp_crypto_enc_path_name(e64), rscp_crypto_enc_path_name(e1), rscp_crypto_dec_path_name(d64),
           rscp_crypto_dec_path_name(d1));
    bench_print("encrypt_64k_chosen_vs_fastest_path", sp->enc[chosen->enc].mbps_64k / sp->enc[e64].mbps_64k, "x");
    bench_print("encrypt_1k_chosen_vs_fastest_path", sp->enc[e1].us_1k / sp->enc[chosen->enc].us_1k, "x");
    bench_print("decrypt_64k_chosen_vs_fastest_path", sp->dec[chosen->dec].mbps_64k / sp->dec[d64].mbps_64k, "x");
    bench_print("decrypt_1k_chosen_vs_fastest_path", sp->dec[d1].us_1k / sp->dec[chosen->dec].us_1k, "x");
}
