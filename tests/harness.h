/* Minimal test harness shared by the test programs.
 *
 * CHECK* macros record a failure with file:line and go on; a test program
 * ends with `return th_finish();`, which prints "N passed, N failed" and
 * returns non-zero if anything failed or nothing was checked. */
#ifndef RSCP_TEST_HARNESS_H
#define RSCP_TEST_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

void th_check(bool ok, const char *file, int line, const char *expr);
void th_check_int(long long got, long long want, const char *file, int line, const char *expr);
void th_check_mem(const void *got, size_t got_len, const void *want, size_t want_len, const char *file,
                  int line, const char *expr);
int th_finish(void);
unsigned th_failures(void);

#define CHECK(cond) th_check((cond), __FILE__, __LINE__, #cond)
#define FAIL(msg) th_check(false, __FILE__, __LINE__, (msg))
#define CHECK_INT(got, want) th_check_int((long long)(got), (long long)(want), __FILE__, __LINE__, #got " == " #want)
#define CHECK_MEM(got, glen, want, wlen) th_check_mem((got), (glen), (want), (wlen), __FILE__, __LINE__, #got)

/* Value of the hex digit c (either case), or -1 if c is none. */
int th_hexval(int c);

/* Hex string (whitespace ignored) to a freshly malloc'd, exactly sized
 * buffer; aborts the program on malformed hex. *len gets the size. */
uint8_t *th_unhex(const char *hex, size_t *len);

/* Lowercase hex of p[0..n) into a malloc'd string. */
char *th_hex(const void *p, size_t n);

/* Whole file into a malloc'd buffer (exactly sized); NULL on failure. */
uint8_t *th_read_file(const char *path, size_t *len);

/* Path of a file of the source tree ("tests/data/vectors-public.md"), in a
 * static buffer: under $RSCP_SOURCE_DIR when set, else the configured
 * source directory. Tests read fixtures only from the repository. */
const char *th_source_path(const char *rel);

/* Copy p[0..n) so that its last byte is the last byte before an unmapped
 * guard page: any read past the end faults, with or without a sanitizer.
 * Release with th_guard_free(). */
uint8_t *th_guard_copy(const void *p, size_t n);
void th_guard_free(uint8_t *p, size_t n);

/* The complete frames of tests/data/vectors-public.md and vectors-peers.md
 * as hex, under their names there: P1..P5, F1..F6, F11, F12, F13 (without its
 * padding), R2 and R1 (without its padding), in that order. */
struct th_frame_vector {
    const char *name;
    const char *hex;
};
extern const struct th_frame_vector th_frame_vectors[];
extern const size_t th_frame_vector_count;

/* Hex of the vector frame with this name ("F1"); aborts the program on an
 * unknown name. */
const char *th_frame_hex(const char *name);

/* Deterministic pseudo-random numbers (xorshift64*), seeded by th_seed(). */
void th_seed(uint64_t seed);
uint64_t th_rand(void);
uint32_t th_rand_below(uint32_t n);

#endif
