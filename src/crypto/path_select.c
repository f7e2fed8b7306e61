/* The CBC paths of the AES-NI implementation: their names, and the choice
 * of the fastest by a measurement at first use (crypto/path_select.h). */
#include "crypto/path_select.h"

#include <stdatomic.h>
#include <string.h>

#include "crypto/rijndael.h"
#include "util/clock.h"

const char *rscp_crypto_enc_path_name(unsigned path)
{
    static const char *const names[RSCP_ENC_PATHS] = {"xmm", "avx512", "ymm"};
    return path < RSCP_ENC_PATHS ? names[path] : NULL;
}

const char *rscp_crypto_dec_path_name(unsigned path)
{
    static const char *const names[RSCP_DEC_PATHS] = {"xmm", "vaes", "avx512"};
    return path < RSCP_DEC_PATHS ? names[path] : NULL;
}

unsigned rscp_crypto_pick_fastest(uint32_t avail, unsigned fallback, rscp_path_run_fn run, void *run_ctx,
                                  rscp_path_clock_fn now, void *now_ctx)
{
    unsigned path[32], n = 0;
    for (unsigned p = 0; p < 32; p++)
        if ((avail >> p) & 1u)
            path[n++] = p;
    if (n == 0)
        return fallback;
    if (n == 1)
        return path[0];
    int64_t best[32];
    for (unsigned i = 0; i < n; i++)
        best[i] = INT64_MAX;
    /* Round 0 warms up (code, data, clock speed) and is not counted. Each
     * round starts one path further on. */
    for (unsigned round = 0; round <= RSCP_PATH_SAMPLES; round++) {
        for (unsigned j = 0; j < n; j++) {
            unsigned i = (j + round) % n;
            int64_t t0 = now(now_ctx);
            run(run_ctx, path[i]);
            int64_t t1 = now(now_ctx);
            if (t0 < 0 || t1 < t0)
                return fallback;
            if (round > 0 && t1 - t0 < best[i])
                best[i] = t1 - t0;
        }
    }
    unsigned pick = n;
    for (unsigned i = 0; i < n; i++)
        if (path[i] == fallback)
            pick = i;
    for (unsigned i = 0; i < n; i++)
        if (pick == n || best[i] < best[pick])
            pick = i;
    return path[pick];
}

/* ---- the measurement on this CPU ---------------------------------------- */

struct calib {
    struct rscp_aesni_key nk;
    uint8_t iv[32];
    _Alignas(64) uint8_t buf[RSCP_PATH_CALIB_BYTES];
};

static void run_enc(void *vctx, unsigned path)
{
    struct calib *c = vctx;
    c->nk.enc_path = (uint8_t)path;
    rscp_crypto_aesni_cbc_encrypt(&c->nk, c->iv, c->buf, RSCP_PATH_CALIB_BYTES / RSCP_RIJNDAEL_BLOCK);
}

static void run_dec(void *vctx, unsigned path)
{
    struct calib *c = vctx;
    c->nk.dec_path = (uint8_t)path;
    rscp_crypto_aesni_cbc_decrypt(&c->nk, c->iv, c->buf, RSCP_PATH_CALIB_BYTES / RSCP_RIJNDAEL_BLOCK);
}

static int64_t clock_ns(void *ctx)
{
    (void)ctx;
    return rscp_util_monotonic_ns();
}

/* 0 until measured; then 1 | enc << 8 | dec << 16. */
static _Atomic uint32_t stored_choice;
static _Atomic uint32_t stored_cost_ns;

static struct rscp_path_choice measure(void)
{
    static const uint8_t key[32] = {0x52, 0x53, 0x43, 0x50}; /* any fixed key */
    struct rscp_rijndael_key k;
    struct calib c;
    rscp_crypto_expand_key(&k, key);
    rscp_crypto_aesni_prepare(&c.nk, &k);
    memset(c.iv, 0xff, sizeof c.iv);
    memset(c.buf, 0x5a, sizeof c.buf);
    /* prepare() set the most capable paths: the choice without a clock. */
    struct rscp_path_choice fallback = {c.nk.enc_path, c.nk.dec_path};
    uint32_t enc_avail = 0, dec_avail = 0;
    for (unsigned p = 0; p < RSCP_ENC_PATHS; p++)
        enc_avail |= (uint32_t)rscp_crypto_enc_path_available(p) << p;
    for (unsigned p = 0; p < RSCP_DEC_PATHS; p++)
        dec_avail |= (uint32_t)rscp_crypto_dec_path_available(p) << p;
    struct rscp_path_choice r;
    r.enc = (uint8_t)rscp_crypto_pick_fastest(enc_avail, fallback.enc, run_enc, &c, clock_ns, NULL);
    r.dec = (uint8_t)rscp_crypto_pick_fastest(dec_avail, fallback.dec, run_dec, &c, clock_ns, NULL);
    return r;
}

struct rscp_path_choice rscp_crypto_path_choice(void)
{
    uint32_t v = atomic_load_explicit(&stored_choice, memory_order_acquire);
    if (v == 0) {
        int64_t t0 = rscp_util_monotonic_ns();
        struct rscp_path_choice r = measure();
        int64_t t1 = rscp_util_monotonic_ns();
        uint32_t mine = 1u | (uint32_t)r.enc << 8 | (uint32_t)r.dec << 16;
        if (atomic_compare_exchange_strong_explicit(&stored_choice, &v, mine, memory_order_acq_rel,
                                                    memory_order_acquire)) {
            int64_t cost = t0 >= 0 && t1 >= t0 ? t1 - t0 : 0;
            atomic_store_explicit(&stored_cost_ns, cost > UINT32_MAX ? UINT32_MAX : (uint32_t)cost,
                                  memory_order_relaxed);
            v = mine;
        }
        /* else another thread stored its result first: v holds it */
    }
    struct rscp_path_choice r = {(uint8_t)(v >> 8), (uint8_t)(v >> 16)};
    return r;
}

uint32_t rscp_crypto_path_calibration_ns(void)
{
    return atomic_load_explicit(&stored_cost_ns, memory_order_relaxed);
}
