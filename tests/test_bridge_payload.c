/* The bridge's value payloads (bridge_value_payload): a number with d
 * decimals is exactly what "%.*f" prints (without a sign on a value that
 * rounds to zero), also where the bridge takes its fast path around
 * printf; large values in "%.17g", non-finite ones "null". */
#include "harness.h"
#include "topics.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *payload(double x, int decimals, char *buf, size_t cap)
{
    struct bridge_value v;
    memset(&v, 0, sizeof v);
    v.kind = BRIDGE_VAL_NUMBER;
    v.number = x;
    v.decimals = decimals;
    bridge_value_payload(&v, buf, cap);
    return buf;
}

/* What the payload must be: printf's text, "-0.0" made "0.0". */
static void reference(double x, int d, char *out, size_t cap)
{
    if (x >= 1e15 || x <= -1e15) {
        snprintf(out, cap, "%.17g", x);
        return;
    }
    snprintf(out, cap, "%.*f", d, x);
    if (out[0] == '-' && strspn(out + 1, "0.") == strlen(out + 1))
        memmove(out, out + 1, strlen(out));
}

static void same(double x, int d)
{
    char got[64], want[64];
    payload(x, d, got, sizeof got);
    reference(x, d, want, sizeof want);
    if (strcmp(got, want) != 0) {
        fprintf(stderr, "  %.17g with %d decimals: got '%s', printf gives '%s'\n", x, d, got, want);
        FAIL("payload differs from printf");
    }
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static double pow10i(int e)
{
    double p = 1;
    for (int i = 0; i < (e < 0 ? -e : e); i++)
        p *= 10;
    return e < 0 ? 1 / p : p;
}

static void test_fixed(void)
{
    char b[64];
    CHECK(strcmp(payload(1234.5678, 2, b, sizeof b), "1234.57") == 0);
    CHECK(strcmp(payload(-0.004, 2, b, sizeof b), "0.00") == 0);
    CHECK(strcmp(payload(-0.006, 2, b, sizeof b), "-0.01") == 0);
    CHECK(strcmp(payload(0.0, 0, b, sizeof b), "0") == 0);
    CHECK(strcmp(payload(-0.0, 1, b, sizeof b), "0.0") == 0);
    CHECK(strcmp(payload(0.5, 0, b, sizeof b), "0") == 0);  /* a tie: printf rounds to even */
    CHECK(strcmp(payload(1.5, 0, b, sizeof b), "2") == 0);
    CHECK(strcmp(payload(0.125, 2, b, sizeof b), "0.12") == 0);
    CHECK(strcmp(payload(0.07, 3, b, sizeof b), "0.070") == 0);
    CHECK(strcmp(payload(-12.0, 9, b, sizeof b), "-12.000000000") == 0);
    CHECK(strcmp(payload(230.1, 12, b, sizeof b), "230.100000000") == 0); /* at most 9 decimals */
    CHECK(strcmp(payload(1e15, 1, b, sizeof b), "1000000000000000") == 0);
    CHECK(strcmp(payload(0.0 / 0.0, 1, b, sizeof b), "null") == 0);
    /* A buffer too small: cut, NUL-terminated, full length returned. */
    struct bridge_value v;
    memset(&v, 0, sizeof v);
    v.kind = BRIDGE_VAL_NUMBER;
    v.number = 123456.0;
    char small[4];
    CHECK_INT(bridge_value_payload(&v, small, sizeof small), 6);
    CHECK(strcmp(small, "123") == 0);
}

/* Random values of every size and decimals, and every exact tie of a
 * few decimals: the same text as printf. */
static void test_against_printf(void)
{
    for (int i = 0; i < 200000; i++) {
        uint64_t r = next();
        int d = (int)(r % 10);
        double mag = (double)(int)((r >> 8) % 31) - 15; /* 1e-15 .. 1e15 */
        double x = ((double)(next() >> 11) / 9007199254740992.0) * pow10i((int)mag);
        if (r & 0x10000)
            x = -x;
        same(x, d);
    }
    for (int i = -100000; i <= 100000; i++) {
        same(i / 8.0, 0);
        same(i / 8.0, 1);
        same(i / 8.0, 2);
        same(i / 1000.0, 2);
        same(i * 0.1, 1);
        same(i * 0.01, 1);
    }
    for (int i = 0; i < 200000; i++) { /* around the fast path's limit */
        int d = (int)(next() % 10);
        double x = 2147483648.0 / pow10i(d) * (0.999 + (double)(next() >> 11) / 9007199254740992.0 * 0.002);
        same(x, d);
        /* scaled values of 1e9 to 1e15, where an ulp is coarse */
        double y = pow10i(9 + (int)(next() % 7) - d) * (1 + (double)(next() >> 11) / 9007199254740992.0);
        same(y, d);
    }
    /* decimal near-ties "I.FFF5" with d = digits of F: the double is a
     * little above or below the tie, or on it when it is exact, and the
     * product with 10^d often lands on the half-integer */
    for (int i = 0; i < 300000; i++) {
        char s[48];
        int d = (int)(next() % 6);
        unsigned long long ip = next() % 100000, fp = next() % 1000000;
        snprintf(s, sizeof s, "%s%llu.%0*llu5", next() & 1 ? "-" : "", ip, d > 0 ? d : 1, d > 0 ? fp % (unsigned long long)pow10i(d) : 0);
        if (d == 0)
            snprintf(s, sizeof s, "%llu.5", ip);
        same(strtod(s, NULL), d);
    }
    for (int d = 0; d <= 9; d++) {
        same(4503599627370495.0 / 1e6, d);
        same(999999999999999.9, d);
        same(-999999999999999.9, d);
    }
}

int main(void)
{
    test_fixed();
    test_against_printf();
    return th_finish();
}
