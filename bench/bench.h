/* rscp_bench: shared declarations of the benchmark program.
 *
 * The program runs the five standard workloads of the shared benchmark
 * description (build_request, parse_response_1k, encrypt_64k, decrypt_64k,
 * e2e_1k) plus a stream-reader workload, and prints one `name value unit`
 * line per metric; lines starting with '#' are comments. */
#ifndef RSCP_BENCH_H
#define RSCP_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/path_select.h"
#include "crypto/rijndael.h"
#include "rscp/rscp.h"

/* ---- allocation counting (alloc_count.c) -------------------------------- */

/* true when malloc/calloc/realloc/aligned_alloc/posix_memalign calls are
 * counted in this build (glibc, no sanitizer). */
int bench_alloc_counting(void);

/* Calls to the allocation functions since program start. */
uint64_t bench_alloc_calls(void);

/* ---- timing (timing.c) --------------------------------------------------- */

/* One timed operation repeated iters times; returns 0 or a negative error. */
typedef int (*bench_fn)(void *ctx, uint64_t iters);

struct bench_result {
    double ns_per_op;       /* median over the runs                    */
    double allocs_per_op;   /* allocation calls during the timed runs  */
    uint64_t iters;         /* iterations per timed run                */
    int err;                /* first error returned by the operation   */
};

#define BENCH_RUNS 7            /* timed runs; the median is reported */
#define BENCH_MIN_RUN_NS 50e6   /* each run lasts at least 50 ms      */

/* Monotonic time in nanoseconds (CLOCK_MONOTONIC). */
double bench_now_ns(void);

/* true: bench_measure() and bench_measure_interleaved() time by process
 * CPU time instead of CLOCK_MONOTONIC (rscp_bench --cpu-time). */
extern bool bench_cpu_time;

/* Process CPU time in nanoseconds (CLOCK_PROCESS_CPUTIME_ID). */
double bench_cpu_ns(void);

/* Warm up and calibrate (double the iteration count until one run takes
 * BENCH_MIN_RUN_NS), then time BENCH_RUNS runs and take the median. */
struct bench_result bench_measure(bench_fn fn, void *ctx);

/* The same by process CPU time, which leaves out the time the process
 * waits for a core on a loaded machine: comparable with `openssl speed`,
 * which divides by its CPU time too. */
struct bench_result bench_measure_cpu(bench_fn fn, void *ctx);

/* Operations compared with each other (at most BENCH_MAX_INTERLEAVED):
 * each calibrated as above, then BENCH_RUNS rounds that time one run of
 * every operation (starting one further on each round), so that a slow
 * phase of a shared machine hits them alike; out[k] gets the median of
 * fn[k] (allocations are not counted). 0 or the first error. */
#define BENCH_MAX_INTERLEAVED 8
int bench_measure_interleaved(size_t n, const bench_fn *fn, void *const *ctx, struct bench_result *out);

/* Print "name value unit" with a sensible number of digits. */
void bench_print(const char *name, double value, const char *unit);

/* ---- shared input files (data.c) ------------------------------------------ */

struct bench_file {
    uint8_t *data;
    size_t len;
};

/* Find the directory holding request.bin etc.: argv override, environment
 * variable RSCP_BENCH_DATA, then paths relative to the source tree.
 * Returns a static string or NULL. */
const char *bench_data_dir(const char *override_dir);

/* Read dir/name whole; 0 or -1 (message on stderr). Free data with free(). */
int bench_read_file(const char *dir, const char *name, struct bench_file *out);

/* One line of a decoded listing (request.txt / response_1k.txt):
 * "depth tag TYPE NAME [value]". The value is pre-converted so that building
 * from it costs no text parsing. */
struct bench_op {
    unsigned depth;
    uint32_t tag;
    int type;
    int64_t i;          /* signed integer types, BOOL            */
    uint64_t u;         /* unsigned integer types                 */
    double d;           /* FLOAT32, DOUBLE64                      */
    char text[64];      /* CSTRING value; also the value as text  */
    size_t text_len;
};

#define BENCH_MAX_OPS 256u

struct bench_ops {
    struct bench_op op[BENCH_MAX_OPS];
    size_t n;
};

/* Parse a listing; 0 or -1 (message on stderr). */
int bench_parse_listing(const struct bench_file *f, struct bench_ops *out);

/* Build the frame described by ops into buf with the library's builder. */
int bench_build_frame(const struct bench_ops *ops, const struct rscp_timestamp *ts, uint8_t *buf,
                      size_t cap, size_t *out_len);

/* Walk every block of data[0..len) depth first (containers up to
 * RSCP_WALK_MAX_DEPTH levels, RSCP_ERR_DEPTH beyond), converting each value
 * to its native C type, folding all values into *acc (so the work is not
 * optimised away). *leaves and *max_depth (may be NULL) count leaf values and
 * the deepest level (1 = top level). Returns 0 or a negative error. */
int bench_walk(const uint8_t *data, size_t len, uint64_t *acc, size_t *leaves, unsigned *max_depth);

/* Compare the frame's blocks with the listing, value by value; 0 or -1
 * (first difference on stderr). */
int bench_check_against_listing(const struct rscp_frame *f, const struct bench_ops *ops);

/* ---- the AES-NI implementation's internal paths (cipher_paths.c) ---------- */

struct bench_path_speed {
    bool have;        /* available on this CPU and measured */
    double mbps_64k;  /* one CBC call on 64 KiB             */
    double us_1k;     /* one CBC call on 1 KiB              */
};

struct bench_path_speeds {
    bool have; /* AES-NI available */
    struct bench_path_speed enc[RSCP_ENC_PATHS];
    struct bench_path_speed dec[RSCP_DEC_PATHS];
};

/* Check each internal CBC path available on this CPU against the portable
 * code on the 64 KiB plain (encrypted from the all-0xFF IV with key), then
 * print its speed on 64 KiB and 1 KiB, and record it in *out. 0, or 1 when
 * a path gives another output (message on stderr). */
int bench_cipher_paths(const uint8_t key[32], const uint8_t *plain, struct bench_path_speeds *out);

/* Print the paths the library chose at first use and what that cost, the
 * fastest paths in *sp, and the chosen paths' speed relative to them. */
void bench_print_path_choice(const struct bench_path_speeds *sp, const struct rscp_path_choice *chosen,
                             uint32_t calibration_ns);

/* ---- OpenSSL reference (openssl_ref.c) ------------------------------------ */

/* Run `openssl speed -evp aes-256-cbc -bytes 65536 -seconds 1` (with
 * -decrypt when decrypt is non-zero) and return its throughput in MB/s
 * (10^6 bytes/s) by its CPU time (openssl's default), or a negative value
 * when openssl is unavailable. */
double bench_openssl_aes256cbc_mbps(int decrypt);

#endif
