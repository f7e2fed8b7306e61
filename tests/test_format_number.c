/* rscp_format_double64 against the definition it implements: the shortest
 * "%.*g" that reads back as the same double, whole values below 1e16 as
 * plain digits ("%.0f"), '.' as the decimal point. The reference below is
 * that definition written plainly (printf and strtod for every precision);
 * the library takes shortcuts (whole values without printf), which must
 * give the same text. */
#include "harness.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rscp/dump.h"

static void reference(double v, char *out, size_t cap)
{
    if (v == 0.0) {
        snprintf(out, cap, "%s", signbit(v) ? "-0.0" : "0");
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(out, cap, "%.*g", prec, v);
        if (strtod(out, NULL) == v)
            break;
    }
    const char *e = strchr(out, 'e');
    if (e && strtol(e + 1, NULL, 10) >= 0 && strtol(e + 1, NULL, 10) < 16)
        snprintf(out, cap, "%.0f", v);
}

static unsigned mismatches;

static void same(double v)
{
    char got[RSCP_NUMBER_BUF], want[64];
    CHECK(rscp_format_double64(v, got));
    reference(v, want, sizeof want);
    if (strcmp(got, want) != 0 && mismatches++ < 10)
        fprintf(stderr, "  %.17g: got '%s', want '%s'\n", v, got, want);
    if (strtod(got, NULL) != v && mismatches++ < 10)
        fprintf(stderr, "  %.17g: '%s' does not read back\n", v, got);
}

static uint64_t rng = 0x2545F4914F6CDD1Dull;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

int main(void)
{
    for (int i = -100000; i <= 100000; i++)
        same((double)i);
    double p = 1;
    for (int e = 0; e <= 22; e++, p *= 10) { /* around the shortcut's limit */
        same(p);
        same(-p);
        same(p - 1);
        same(p + 1);
        same(nextafter(p, 0));
        same(nextafter(p, INFINITY));
    }
    for (int i = 0; i < 200000; i++) {
        uint64_t r = next();
        same((double)(int64_t)(r % 2000000000000000ull) - 1e15);        /* whole, below 2e15 */
        same((double)(r >> 11) / 9007199254740992.0 * 1e6);              /* fractions */
        same((double)(r >> 11) * ((r & 1) ? 1e10 : 1e-10));             /* large and small */
        same((double)(int64_t)(r >> 34) + 0.5);                          /* halves */
        same(1.7e9 + (double)(r % 100000000));                           /* timestamps */
    }
    char buf[RSCP_NUMBER_BUF];
    CHECK(rscp_format_double64(1749898800.0, buf) && strcmp(buf, "1749898800") == 0);
    CHECK(rscp_format_double64(-42.0, buf) && strcmp(buf, "-42") == 0);
    CHECK(rscp_format_double64(-0.0, buf) && strcmp(buf, "-0.0") == 0);
    CHECK(rscp_format_double64(0.1, buf) && strcmp(buf, "0.1") == 0);
    CHECK(rscp_format_double64(1e16, buf) && strcmp(buf, "1e+16") == 0);
    CHECK(!rscp_format_double64(NAN, buf));
    CHECK_INT(mismatches, 0);
    return th_finish();
}
