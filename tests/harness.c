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

int th_hexval(int c)
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
        if (th_hexval((unsigned char)*p) >= 0)
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
        int v = th_hexval((unsigned char)*p);
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

const char *th_source_path(const char *rel)
{
    static char path[4096];
    const char *env = getenv("RSCP_SOURCE_DIR");
    snprintf(path, sizeof path, "%s/%s", env != NULL && *env != '\0' ? env : RSCP_SOURCE_DIR, rel);
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

const struct th_frame_vector th_frame_vectors[] = {
    {"P1", "e3dc001178b00a6500000000c8c7d0300e0001000001000000020000010000004c769f09"},
    {"P2", "e3dc00117bb00a6500000000885e2c011600010080010604004f120000020080010604005b08000058156e18"},
    {"P3", "e3dc001121000b650000000070da58201c00010000000e1500020000000d040054455354030000000d030031323378babe16"},
    {"P4", "e3dc001106010b6500000000309eee2e0800010080000301000ad4e6f5cf"},
    {"P5", "e3dc00115e010b65000000001830de1f0b00010080000604000000000003120cf6"},
    {"F1", "e3dc0011d9744698faffffff00ca5b070800010080000301000a7fb3efc3"},
    {"F2", "e3dc0001d9744698faffffff00ca5b070800010080000301000a"},
    {"F3", "e3dc00112b6adf6400000000000000000800010086030101000155519433"},
    {"F4",
     "e3dc00112b6adf640000000000000000300001008603010100010100040304020064000c0080030d180045787472656d6520706f7765"
     "7266756c2062617474657279e08ab95f"},
    {"F5", "e3dc00112b6adf6400000000000000000b000c0080030d040074657374c36b5a12"},
    {"F6",
     "e3dc00114d61d45f0000000000ceed343700010000000e3000020000000d14007465737475736572406578616d706c652e636f6d03"
     "0000000d0e00537570657253656372657431323360c48640"},
    {"F11", "e3dc00114e61bc000000000040e2010007000100000a000000fefa843c"},
    {"F12", "e3dc00014e61bc000000000040e2010007000100000a000000"},
    {"F13", "e3dc00119523866200000000901d45350800010080000301000a0f240123"},
    /* no CRC, exactly 192 bytes, ends in zero bytes */
    {"R2",
     "e3dc0001d9744698faffffff00ca5b07ae00000084030e4900010004030502000000000086030e18000100860301010001020086030101"
     "00010300860301010000010080030a0400000000000a008003070400000000000b008003070400000000000e00800a0f0c00d9744698"
     "faffffff00ca5b078b0080010e4400000100010101000101010001060400941100000201000106040094110000030100010704004100"
     "0000040100010101000005010001010100000601000106040000000000"},
    /* 196 bytes */
    {"R1",
     "e3dc0011d9744698faffffff00ca5b07ae00000084030e4900010004030502000000000086030e18000100860301010001020086030101"
     "00010300860301010000010080030a0400000000000a008003070400000000000b008003070400000000000e00800a0f0c00d9744698"
     "faffffff00ca5b078b0080010e4400000100010101000101010001060400941100000201000106040094110000030100010704004100"
     "0000040100010101000005010001010100000601000106040000000000"
     "9e267071"},
};
const size_t th_frame_vector_count = sizeof th_frame_vectors / sizeof th_frame_vectors[0];

const char *th_frame_hex(const char *name)
{
    for (size_t i = 0; i < th_frame_vector_count; i++)
        if (strcmp(th_frame_vectors[i].name, name) == 0)
            return th_frame_vectors[i].hex;
    fprintf(stderr, "no vector frame %s\n", name);
    abort();
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
