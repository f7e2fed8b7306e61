#define _DEFAULT_SOURCE 1
#include "harness.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static unsigned passed, failed;

void th_check(bool ok, const char *file, int line, const char *expr)
{
    if (ok) {
        passed++;
        return;
    }
    failed++;
    fprintf(stderr, "%s:%d: check failed: %s\n", file, line, expr);
}

void th_check_int(long long got, long long want, const char *file, int line, const char *expr)
{
    if (got == want) {
        passed++;
        return;
    }
    failed++;
    fprintf(stderr, "%s:%d: check failed: %s (got %lld, want %lld)\n", file, line, expr, got, want);
}

void th_check_mem(const void *got, size_t got_len, const void *want, size_t want_len, const char *file,
                  int line, const char *expr)
{
    if (got_len == want_len && (got_len == 0 || memcmp(got, want, got_len) == 0)) {
        passed++;
        return;
    }
    failed++;
    char *g = th_hex(got, got_len), *w = th_hex(want, want_len);
    fprintf(stderr, "%s:%d: bytes differ: %s\n  got  (%zu) %s\n  want (%zu) %s\n", file, line, expr,
            got_len, g, want_len, w);
    free(g);
    free(w);
}

unsigned th_failures(void)
{
    return failed;
}

int th_finish(void)
{
    printf("%u passed, %u failed\n", passed, failed);
    if (passed + failed == 0) {
        fprintf(stderr, "no checks ran\n");
        return 1;
    }
    return failed ? 1 : 0;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

uint8_t *th_unhex(const char *hex, size_t *len)
{
    size_t n = 0;
    for (const char *p = hex; *p; p++)
        if (hexval((unsigned char)*p) >= 0)
            n++;
    if (n % 2) {
        fprintf(stderr, "odd hex string: %s\n", hex);
        abort();
    }
    uint8_t *out = malloc(n / 2 ? n / 2 : 1);
    if (!out)
        abort();
    size_t k = 0;
    int hi = -1;
    for (const char *p = hex; *p; p++) {
        int v = hexval((unsigned char)*p);
        if (v < 0) {
            if (*p == ' ' || *p == '\n' || *p == '\t')
                continue;
            fprintf(stderr, "bad hex character '%c'\n", *p);
            abort();
        }
        if (hi < 0) {
            hi = v;
        } else {
            out[k++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    *len = k;
    return out;
}

char *th_hex(const void *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    char *s = malloc(2 * n + 1);
    if (!s)
        abort();
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++) {
        s[2 * i] = digits[b[i] >> 4];
        s[2 * i + 1] = digits[b[i] & 15];
    }
    s[2 * n] = 0;
    return s;
}

uint8_t *th_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
    if (!buf || n < 0 || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

const char *th_shared_path(const char *rel)
{
    static char path[4096];
    const char *env = getenv("RSCP_SHARED_DIR");
    snprintf(path, sizeof path, "%s/%s", env ? env : RSCP_SHARED_DIR, rel);
    return path;
}

uint8_t *th_guard_copy(const void *p, size_t n)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t span = (n + page - 1) / page * page + page;
    uint8_t *base = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED)
        abort();
    uint8_t *guard = base + span - page;
    if (mprotect(guard, page, PROT_NONE) != 0)
        abort();
    uint8_t *dst = guard - n;
    if (n)
        memcpy(dst, p, n);
    return dst;
}

void th_guard_free(uint8_t *p, size_t n)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    uint8_t *guard = p + n;
    size_t span = (n + page - 1) / page * page + page;
    munmap(guard + page - span, span);
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

void th_seed(uint64_t seed)
{
    rng_state = seed ? seed : 0x9E3779B97F4A7C15ull;
}

uint64_t th_rand(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Dull;
}

uint32_t th_rand_below(uint32_t n)
{
    return n ? (uint32_t)(th_rand() % n) : 0;
}
