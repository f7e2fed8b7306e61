/* The choice of the AES-NI implementation's CBC paths (crypto/rijndael.h)
 * by a measurement on this CPU, once, at first use. Internal header.
 *
 * Which path is fastest is a property of the CPU model, not of its feature
 * flags: on AMD Zen 4 the avx512 encryption path beats xmm by a quarter, on
 * an Intel Xeon with the same features it is a fifth slower. So the first
 * AES-NI cipher created times every available path of each direction on a
 * small buffer and keeps the fastest for the life of the process. This is
 * the one place outside the network layer that reads a clock (through
 * util/clock.c); the cipher's output never depends on it, only its speed. */
#ifndef RSCP_CRYPTO_PATH_SELECT_H
#define RSCP_CRYPTO_PATH_SELECT_H

#include <stdbool.h>
#include <stdint.h>

/* Timed runs of each path after one untimed warm-up run; the minimum
 * counts. Noise only adds time, so a path wins only if one of its runs was
 * faster than every run of the others. */
#define RSCP_PATH_SAMPLES 7u
/* The buffer each timed run works on: 32 blocks, the size of a typical
 * RSCP response frame (and of the benchmark's e2e_1k). */
#define RSCP_PATH_CALIB_BYTES 1024u

struct rscp_path_choice {
    uint8_t enc; /* enum rscp_enc_path */
    uint8_t dec; /* enum rscp_dec_path */
};

/* Run one path once (the work to be timed). */
typedef void (*rscp_path_run_fn)(void *ctx, unsigned path);
/* A monotonic clock in nanoseconds; negative when it cannot be read. */
typedef int64_t (*rscp_path_clock_fn)(void *ctx);

/* The path among those with their bit set in avail (paths 0..31) whose
 * fastest of RSCP_PATH_SAMPLES timed runs is fastest, the runs of all
 * paths interleaved (in a rotating order) so that a slow phase of the
 * machine hits them alike. fallback is returned when the clock fails, and
 * wins ties; when only one path is available it is returned without
 * running anything. Thread-safe if run and now are. */
unsigned rscp_crypto_pick_fastest(uint32_t avail, unsigned fallback, rscp_path_run_fn run, void *run_ctx,
                                  rscp_path_clock_fn now, void *now_ctx);

/* The fastest encryption and decryption path of this CPU, measured on the
 * first call with rscp_crypto_pick_fastest() on a fixed key (no caller
 * data), then remembered. Only call when AES-NI is available. Thread-safe
 * and lock-free: threads calling it at once may each measure, the first
 * result stored is the one every caller gets. No heap use. */
struct rscp_path_choice rscp_crypto_path_choice(void);

/* How long the measurement of rscp_crypto_path_choice() took, in
 * nanoseconds; 0 before it ran. Thread-safe. */
uint32_t rscp_crypto_path_calibration_ns(void);

/* The paths the cipher object c uses into *out (cipher.c): true for an
 * AES-NI cipher, false (nothing written) for a portable one or NULL. */
struct rscp_cipher;
bool rscp_crypto_cipher_paths(const struct rscp_cipher *c, struct rscp_path_choice *out);

#endif
