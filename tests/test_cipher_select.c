/* The choice of the fastest AES-NI path (crypto/path_select.h) on a fake
 * clock: paths whose runs cost known amounts of fake time, with noise, so
 * that the picking rule is tested deterministically and no assertion
 * depends on real timings; and the real measurement's first use from
 * several threads at once. The paths it picks are tested against libmcrypt
 * in test_cipher_mcrypt. */
#include "harness.h"
#include "crypto/path_select.h"
#include "crypto/rijndael.h"

#include <pthread.h>
#include <string.h>

#define NPATHS 4

struct fake {
    int64_t t;                /* the fake clock                              */
    int64_t cost[NPATHS];     /* time one run of each path takes             */
    int64_t spike[NPATHS];    /* extra time added to a noisy run             */
    unsigned quiet[NPATHS];   /* the run number (1-based) spared the spike;
                                 0: every run of the path gets it            */
    unsigned runs[NPATHS];    /* runs so far                                 */
    unsigned order[64];       /* paths in the order they ran                 */
    unsigned n_order;
    int fail_after;           /* clock reads before the clock fails; -1 never */
};

static int64_t fake_now(void *vctx)
{
    struct fake *f = vctx;
    if (f->fail_after == 0)
        return -1;
    if (f->fail_after > 0)
        f->fail_after--;
    return f->t;
}

static void fake_run(void *vctx, unsigned path)
{
    struct fake *f = vctx;
    CHECK(path < NPATHS);
    if (path >= NPATHS)
        return;
    f->runs[path]++;
    if (f->n_order < sizeof f->order / sizeof f->order[0])
        f->order[f->n_order++] = path;
    f->t += f->cost[path];
    if (f->runs[path] != f->quiet[path])
        f->t += f->spike[path];
}

static struct fake fake_new(int64_t c0, int64_t c1, int64_t c2, int64_t c3)
{
    struct fake f;
    memset(&f, 0, sizeof f);
    f.t = 1000;
    f.cost[0] = c0;
    f.cost[1] = c1;
    f.cost[2] = c2;
    f.cost[3] = c3;
    f.fail_after = -1;
    return f;
}

static unsigned pick(struct fake *f, uint32_t avail, unsigned fallback)
{
    return rscp_crypto_pick_fastest(avail, fallback, fake_run, f, fake_now, f);
}

/* The cheapest path wins, whatever the fallback; every available path runs
 * the warm-up plus RSCP_PATH_SAMPLES times, the others never. */
static void cheapest_wins(void)
{
    struct fake f = fake_new(300, 100, 200, 50);
    CHECK_INT(pick(&f, 0x7u, 0), 1);
    for (unsigned p = 0; p < 3; p++)
        CHECK_INT(f.runs[p], RSCP_PATH_SAMPLES + 1u);
    CHECK_INT(f.runs[3], 0);
    f = fake_new(300, 100, 200, 50);
    CHECK_INT(pick(&f, 0x5u, 2), 2); /* path 1 not available */
    CHECK_INT(f.runs[1], 0);
    f = fake_new(300, 100, 200, 50);
    CHECK_INT(pick(&f, 0xFu, 0), 3);
}

/* One run of a path slowed on all others is enough for it to win (noise
 * only adds time); a path slowed on every run loses; the warm-up run does
 * not count. */
static void noise(void)
{
    struct fake f = fake_new(300, 100, 200, 0);
    f.spike[1] = 10000;
    f.quiet[1] = 5; /* a timed run */
    CHECK_INT(pick(&f, 0x7u, 0), 1);

    f = fake_new(300, 100, 200, 0);
    f.spike[1] = 10000; /* every run */
    CHECK_INT(pick(&f, 0x7u, 0), 2);

    f = fake_new(300, 100, 200, 0);
    f.spike[1] = 10000;
    f.quiet[1] = 1; /* only the warm-up run is quiet */
    CHECK_INT(pick(&f, 0x7u, 0), 2);

    /* The artificially slowed one of two equal paths loses, either way
     * round: the mechanism picks the faster of two. */
    for (unsigned slow = 0; slow < 2; slow++) {
        f = fake_new(100, 100, 0, 0);
        f.cost[slow] = 150;
        f.spike[1 - slow] = 5000;
        f.quiet[1 - slow] = RSCP_PATH_SAMPLES + 1u; /* the last run */
        CHECK_INT(pick(&f, 0x3u, slow), 1 - slow);
    }
}

/* Ties go to the fallback; without a fallback among the paths, to the
 * lowest path. */
static void ties(void)
{
    struct fake f = fake_new(100, 100, 100, 0);
    CHECK_INT(pick(&f, 0x7u, 2), 2);
    f = fake_new(100, 100, 100, 0);
    CHECK_INT(pick(&f, 0x7u, 1), 1);
    f = fake_new(100, 100, 100, 0);
    CHECK_INT(pick(&f, 0x6u, 0), 1);
}

/* The runs are interleaved, each round starting one path further on. */
static void interleaved(void)
{
    struct fake f = fake_new(1, 2, 3, 0);
    (void)pick(&f, 0x7u, 0);
    CHECK_INT(f.n_order, 3u * (RSCP_PATH_SAMPLES + 1u));
    static const unsigned want[9] = {0, 1, 2, 1, 2, 0, 2, 0, 1};
    CHECK_MEM(f.order, 9 * sizeof f.order[0], want, sizeof want);
}

/* A clock that fails (at the start or midway) gives the fallback; a single
 * available path is returned without running it; no path gives the
 * fallback. */
static void degenerate(void)
{
    struct fake f = fake_new(300, 100, 0, 0);
    f.fail_after = 0;
    CHECK_INT(pick(&f, 0x3u, 0), 0);
    f = fake_new(300, 100, 0, 0);
    f.fail_after = 7;
    CHECK_INT(pick(&f, 0x3u, 0), 0);
    f = fake_new(300, 100, 0, 0);
    CHECK_INT(pick(&f, 0x4u, 0), 2);
    CHECK_INT(f.runs[2], 0);
    f = fake_new(300, 100, 0, 0);
    CHECK_INT(pick(&f, 0, 1), 1);
    CHECK_INT(f.n_order, 0);
}

/* The names of the paths, and availability out of range. */
static void names(void)
{
    CHECK(strcmp(rscp_crypto_enc_path_name(RSCP_ENC_XMM), "xmm") == 0);
    CHECK(strcmp(rscp_crypto_enc_path_name(RSCP_ENC_AVX512), "avx512") == 0);
    CHECK(strcmp(rscp_crypto_enc_path_name(RSCP_ENC_YMM), "ymm") == 0);
    CHECK(strcmp(rscp_crypto_dec_path_name(RSCP_DEC_XMM), "xmm") == 0);
    CHECK(strcmp(rscp_crypto_dec_path_name(RSCP_DEC_VAES), "vaes") == 0);
    CHECK(strcmp(rscp_crypto_dec_path_name(RSCP_DEC_AVX512), "avx512") == 0);
    CHECK(rscp_crypto_enc_path_name(RSCP_ENC_PATHS) == NULL);
    CHECK(rscp_crypto_dec_path_name(RSCP_DEC_PATHS) == NULL);
    CHECK(!rscp_crypto_enc_path_available(RSCP_ENC_PATHS));
    CHECK(!rscp_crypto_dec_path_available(RSCP_DEC_PATHS));
    CHECK(rscp_crypto_enc_path_available(RSCP_ENC_XMM) == rscp_crypto_aesni_available());
    CHECK(rscp_crypto_dec_path_available(RSCP_DEC_XMM) == rscp_crypto_aesni_available());
}

/* Threads asking for the measured choice at once, before anyone else in
 * the process did, all get the same one (the first result stored), an
 * available path for each direction. */
#define THREADS 4

static void *ask_choice(void *arg)
{
    *(struct rscp_path_choice *)arg = rscp_crypto_path_choice();
    return NULL;
}

static void concurrent_first_use(void)
{
    if (!rscp_crypto_aesni_available()) {
        printf("SKIPPED: concurrent first use of the path measurement (no AES-NI)\n");
        return;
    }
    CHECK_INT(rscp_crypto_path_calibration_ns(), 0);
    pthread_t t[THREADS];
    struct rscp_path_choice got[THREADS];
    for (unsigned i = 0; i < THREADS; i++)
        CHECK_INT(pthread_create(&t[i], NULL, ask_choice, &got[i]), 0);
    for (unsigned i = 0; i < THREADS; i++)
        CHECK_INT(pthread_join(t[i], NULL), 0);
    struct rscp_path_choice later = rscp_crypto_path_choice();
    for (unsigned i = 0; i < THREADS; i++) {
        CHECK_INT(got[i].enc, later.enc);
        CHECK_INT(got[i].dec, later.dec);
    }
    CHECK(rscp_crypto_enc_path_available(later.enc));
    CHECK(rscp_crypto_dec_path_available(later.dec));
    CHECK(rscp_crypto_path_calibration_ns() > 0);
}

int main(void)
{
    concurrent_first_use();
    cheapest_wins();
    noise();
    ties();
    interleaved();
    degenerate();
    names();
    return th_finish();
}
