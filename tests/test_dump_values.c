/* Values in text and JSON dumps: integer extremes, floats, strings and dates.
 *
 * Floats print in their shortest form and are read back with strtod/strtof
 * and compared bit for bit; JSON strings are decoded (dump_testlib.h) and
 * compared with the documented escaping rule, for fixed and random byte
 * strings; dates are checked across leap years, negative years and the
 * limits of INT64 seconds. */
#include "dump_testlib.h"

#include "rscp/rscp.h"

#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- numbers -------------------------------------------------------------- */

static void put_one_raw(uint8_t *buf, size_t cap, size_t *len, uint8_t type, const void *v, size_t vlen)
{
    struct rscp_builder b;
    rscp_builder_init(&b, buf, cap);
    rscp_put_raw(&b, 0x09000001, type, v, vlen);
    CHECK_INT(rscp_builder_finish(&b, len), 0);
}

static void test_integer_extremes(void)
{
    struct {
        uint8_t type;
        uint8_t bytes[8];
        size_t n;
        const char *want;
    } cases[] = {
        {RSCP_TYPE_CHAR8, {0x80}, 1, "-128"},
        {RSCP_TYPE_CHAR8, {0x7F}, 1, "127"},
        {RSCP_TYPE_UCHAR8, {0xFF}, 1, "255"},
        {RSCP_TYPE_INT16, {0x00, 0x80}, 2, "-32768"},
        {RSCP_TYPE_UINT16, {0xFF, 0xFF}, 2, "65535"},
        {RSCP_TYPE_INT32, {0x00, 0x00, 0x00, 0x80}, 4, "-2147483648"},
        {RSCP_TYPE_UINT32, {0xFF, 0xFF, 0xFF, 0xFF}, 4, "4294967295"},
        {RSCP_TYPE_INT64, {0, 0, 0, 0, 0, 0, 0, 0x80}, 8, "-9223372036854775808"},
        {RSCP_TYPE_INT64, {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F}, 8, "9223372036854775807"},
        {RSCP_TYPE_UINT64, {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}, 8, "18446744073709551615"},
        {RSCP_TYPE_UINT64, {0, 0, 0, 0, 0, 0, 0, 0x80}, 8, "9223372036854775808"},
        {RSCP_TYPE_BOOL, {0xFF}, 1, "true"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t buf[64];
        size_t len;
        put_one_raw(buf, sizeof buf, &len, cases[i].type, cases[i].bytes, cases[i].n);
        struct rscp_strbuf sb;
        rscp_strbuf_init(&sb, dt_out, sizeof dt_out);
        CHECK_INT(rscp_json_blocks(buf, len, 0, rscp_strbuf_sink, &sb), 0);
        char val[128];
        CHECK(dt_value_of(dt_out, val, sizeof val));
        CHECK_STR(val, cases[i].want);
        rscp_strbuf_init(&sb, dt_out, sizeof dt_out);
        CHECK_INT(rscp_dump_blocks(buf, len, 0, 0, rscp_strbuf_sink, &sb), 0);
        const char *eq = strstr(dt_out, " = ");
        CHECK(eq != NULL);
        if (eq) {
            char want[128];
            snprintf(want, sizeof want, " = %s\n", cases[i].want);
            CHECK_STR(eq, want);
        }
    }
}

/* JSON value text of one FLOAT32 block (the low 32 bits) or DOUBLE64 block
 * with the given bits. */
static bool float_json(uint8_t type, uint64_t bits, char *val, size_t cap)
{
    size_t n = type == RSCP_TYPE_FLOAT32 ? 4 : 8;
    uint8_t le[8];
    for (size_t i = 0; i < n; i++)
        le[i] = (uint8_t)(bits >> (8 * i));
    uint8_t buf[64];
    size_t len;
    put_one_raw(buf, sizeof buf, &len, type, le, n);
    struct rscp_strbuf sb;
    rscp_strbuf_init(&sb, dt_out, sizeof dt_out);
    if (rscp_json_blocks(buf, len, 0, rscp_strbuf_sink, &sb) != 0)
        return false;
    return dt_value_of(dt_out, val, cap);
}

static bool is_json_number(const char *s)
{
    struct dt_json r = {s, s + strlen(s), true};
    dt_json_number(&r);
    return r.ok && r.p == r.end;
}

/* The JSON text of the FLOAT32 (the low 32 bits) or DOUBLE64 value with the
 * given bits is want. */
static void check_float_bits(uint8_t type, uint64_t bits, const char *want)
{
    char val[64];
    CHECK(float_json(type, bits, val, sizeof val));
    CHECK_STR(val, want);
}

static void check_double_text(double d, const char *want)
{
    uint64_t u;
    memcpy(&u, &d, 8);
    check_float_bits(RSCP_TYPE_DOUBLE64, u, want);
}

static void check_float_text(float f, const char *want)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    check_float_bits(RSCP_TYPE_FLOAT32, u, want);
}

/* Dumps the FLOAT32 (the low 32 bits) or DOUBLE64 value with the given bits
 * as JSON into val and reads it back. True if the text is right: null for a
 * value that is not finite; for a finite one a number that strtof (FLOAT32)
 * or strtod (DOUBLE64) reads back to the same bits, and that is valid JSON
 * (else it counts in *bad_syntax). *number tells whether val holds a number. */
static bool float_reads_back(uint8_t type, uint64_t bits, char *val, size_t cap, bool *number, unsigned *bad_syntax)
{
    *number = false;
    if (!float_json(type, bits, val, cap))
        return false;
    uint64_t back;
    if (type == RSCP_TYPE_FLOAT32) {
        uint32_t u = (uint32_t)bits;
        float f;
        memcpy(&f, &u, 4);
        if (!isfinite(f))
            return strcmp(val, "null") == 0;
        f = strtof(val, NULL);
        memcpy(&u, &f, 4);
        back = u;
    } else {
        double d;
        memcpy(&d, &bits, 8);
        if (!isfinite(d))
            return strcmp(val, "null") == 0;
        d = strtod(val, NULL);
        memcpy(&back, &d, 8);
    }
    *number = true;
    *bad_syntax += !is_json_number(val);
    return back == bits;
}

static void test_floats(void)
{
    /* well-known shortest forms */
    check_double_text(0.1, "0.1");
    check_double_text(0.1 + 0.2, "0.30000000000000004");
    check_double_text(1e20, "1e+20");
    check_double_text(-2.5, "-2.5");
    check_double_text(5e-324, "5e-324");
    check_double_text(DBL_MAX, "1.7976931348623157e+308");
    check_double_text(-0.0, "-0.0");
    check_double_text(0.0, "0");
    check_double_text(INFINITY, "null");
    check_double_text(-INFINITY, "null");
    check_double_text(NAN, "null");
    check_float_text(0.1f, "0.1");
    check_float_text(312.4f, "312.4");
    check_float_text(FLT_MAX, "3.4028235e+38");
    check_float_text(FLT_TRUE_MIN, "1e-45");
    check_float_text(16777216.0f, "16777216");
    check_float_text(-0.0f, "-0.0");
    check_float_text(NAN, "null");
    /* whole numbers below 1e16 print as integers, not "1e+02" */
    check_float_text(100.0f, "100");
    check_float_text(123456792.0f, "123456792");
    check_double_text(1000.0, "1000");
    check_double_text(-20000.0, "-20000");
    check_double_text(1e15, "1000000000000000");
    check_double_text(1e16, "1e+16");
    check_double_text(1e-5, "1e-05");

    /* many random bit patterns: the printed number is valid JSON, reads
     * back to the same bits, and one digit fewer would not */
    unsigned bad_d = 0, bad_f = 0, bad_fd = 0, not_short = 0, bad_syntax = 0;
    for (int i = 0; i < 20000; i++) {
        uint64_t u = th_rand();
        if (i % 4 == 0) /* also plain magnitudes */
            u = (u & 0x800FFFFFFFFFFFFFull) | ((uint64_t)(1023 - 40 + th_rand_below(80)) << 52);
        char val[64];
        bool number;
        bad_d += !float_reads_back(RSCP_TYPE_DOUBLE64, u, val, sizeof val, &number, &bad_syntax);
        if (!number)
            continue;
        /* shortest: with one significant digit less it would not round-trip */
        double d;
        memcpy(&d, &u, 8);
        char shorter[400];
        /* Significant digits: from the first non-zero digit to the last one
         * (a whole number such as 2871228347646400 has 14, not 16). */
        int digits = 0, counted = 0;
        bool leading = true;
        for (const char *c = val; *c && *c != 'e'; c++) {
            if (*c >= '1' && *c <= '9')
                leading = false;
            counted += !leading && *c >= '0' && *c <= '9';
            if (*c >= '1' && *c <= '9')
                digits = counted;
        }
        if (digits > 1 && d != 0) {
            snprintf(shorter, sizeof shorter, "%.*g", digits - 1, d);
            double s = strtod(shorter, NULL);
            not_short += memcmp(&s, &d, 8) == 0;
        }
    }
    for (int i = 0; i < 20000; i++) {
        uint32_t u = (uint32_t)th_rand();
        if (i % 4 == 0)
            u = (u & 0x807FFFFFu) | ((uint32_t)(127 - 20 + th_rand_below(40)) << 23);
        char val[64];
        bool number;
        bad_f += !float_reads_back(RSCP_TYPE_FLOAT32, u, val, sizeof val, &number, &bad_syntax);
        if (!number)
            continue;
        /* a JSON reader that parses a double and narrows it gets the same */
        float back2 = (float)strtod(val, NULL);
        uint32_t ub;
        memcpy(&ub, &back2, 4);
        bad_fd += ub != u;
    }
    CHECK_INT(bad_d, 0);
    CHECK_INT(bad_f, 0);
    CHECK_INT(bad_fd, 0);
    CHECK_INT(not_short, 0);
    CHECK_INT(bad_syntax, 0);
}

/* ---- strings -------------------------------------------------------------- */

/* The code points the documented escaping rule gives for s[0..n). */
static size_t expected_cps(const uint8_t *s, size_t n, uint32_t *cps)
{
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = dt_utf8_decode(s + i, n - i, &cp);
        if (len == 0) {
            cp = s[i];
            len = 1;
        }
        cps[k++] = cp;
        i += len;
    }
    return k;
}

static void check_string_json(const uint8_t *s, size_t n)
{
    uint8_t buf[2048];
    struct rscp_builder b;
    rscp_builder_init(&b, buf, sizeof buf);
    rscp_put_string(&b, 0x09000002, (const char *)s, n);
    size_t len;
    CHECK_INT(rscp_builder_finish(&b, &len), 0);
    struct rscp_strbuf sb;
    rscp_strbuf_init(&sb, dt_out, sizeof dt_out);
    CHECK_INT(rscp_json_blocks(buf, len, 0, rscp_strbuf_sink, &sb), 0);
    CHECK(dt_json_valid(dt_out));
    char val[16384];
    if (!dt_value_of(dt_out, val, sizeof val)) {
        CHECK(false);
        return;
    }
    for (const char *c = val; *c; c++) /* raw control bytes never appear */
        if ((unsigned char)*c < 0x20 || *c == 0x7F) {
            CHECK(false);
            break;
        }
    struct dt_json r = {val, val + strlen(val), true};
    static uint32_t got[2048], want[2048];
    size_t ng = 0;
    dt_json_string(&r, got, &ng, 2048);
    CHECK(r.ok && r.p == r.end);
    size_t nw = expected_cps(s, n, want);
    CHECK_INT(ng, nw);
    CHECK(ng == nw && memcmp(got, want, ng * sizeof got[0]) == 0);
}

static void test_strings(void)
{
    struct {
        const char *s;
        size_t n;
        const char *want;
    } fixed[] = {
        {"a\"b\\c", 5, "\"a\\\"b\\\\c\""},
        {"x\ny\tz\r", 6, "\"x\\ny\\tz\\r\""},
        {"\0\x01\x1f\x7f", 4, "\"\\u0000\\u0001\\u001f\\u007f\""},
        {"caf\xc3\xa9", 5, "\"caf\xc3\xa9\""},               /* valid UTF-8 passes */
        {"\xe2\x82\xac", 3, "\"\xe2\x82\xac\""},             /* euro sign          */
        {"\xf0\x9f\x98\x80", 4, "\"\xf0\x9f\x98\x80\""},     /* U+1F600            */
        {"caf\xe9", 4, "\"caf\\u00e9\""},                    /* Latin-1 byte       */
        {"\xc0\xaf", 2, "\"\\u00c0\\u00af\""},               /* overlong '/'       */
        {"\xed\xa0\x80", 3, "\"\\u00ed\\u00a0\\u0080\""},    /* surrogate          */
        {"\xf4\x90\x80\x80", 4, "\"\\u00f4\\u0090\\u0080\\u0080\""}, /* > U+10FFFF  */
        {"\xe2\x82", 2, "\"\\u00e2\\u0082\""},               /* cut sequence       */
        {"/", 1, "\"/\""},
        {"", 0, "\"\""},
    };
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        uint8_t buf[64];
        struct rscp_builder b;
        rscp_builder_init(&b, buf, sizeof buf);
        rscp_put_string(&b, 0x09000002, fixed[i].s, fixed[i].n);
        size_t len;
        CHECK_INT(rscp_builder_finish(&b, &len), 0);
        struct rscp_strbuf sb;
        rscp_strbuf_init(&sb, dt_out, sizeof dt_out);
        CHECK_INT(rscp_json_blocks(buf, len, 0, rscp_strbuf_sink, &sb), 0);
        char val[256];
        CHECK(dt_value_of(dt_out, val, sizeof val));
        CHECK_STR(val, fixed[i].want);
        check_string_json((const uint8_t *)fixed[i].s, fixed[i].n);
        /* the text dump uses the same quoting */
        rscp_strbuf_init(&sb, dt_out, sizeof dt_out);
        CHECK_INT(rscp_dump_blocks(buf, len, 0, 0, rscp_strbuf_sink, &sb), 0);
        char want[300];
        snprintf(want, sizeof want, "0x09000002 CSTRING = %s\n", fixed[i].want);
        CHECK_STR(dt_out, want);
    }
    /* random byte strings, biased towards high bytes and UTF-8 lead bytes */
    for (int i = 0; i < 3000; i++) {
        uint8_t s[600];
        size_t n = th_rand_below(sizeof s);
        for (size_t k = 0; k < n; k++) {
            uint32_t r = th_rand_below(10);
            if (r < 3)
                s[k] = (uint8_t)th_rand();
            else if (r < 5)
                s[k] = (uint8_t)(0x80 + th_rand_below(0x40));
            else if (r < 7)
                s[k] = (uint8_t)(0xC0 + th_rand_below(0x38));
            else
                s[k] = (uint8_t)(0x20 + th_rand_below(0x60));
        }
        check_string_json(s, n);
    }
}

/* ---- dates ---------------------------------------------------------------- */

static void check_date(int64_t seconds, uint32_t ns, const char *want)
{
    uint8_t buf[64];
    size_t len;
    struct rscp_builder b;
    rscp_builder_init(&b, buf, sizeof buf);
    rscp_put_timestamp(&b, 0x09000003, seconds, ns);
    CHECK_INT(rscp_builder_finish(&b, &len), 0);
    struct rscp_strbuf sb;
    rscp_strbuf_init(&sb, dt_out, sizeof dt_out);
    CHECK_INT(rscp_dump_blocks(buf, len, 0, 0, rscp_strbuf_sink, &sb), 0);
    char line[200];
    snprintf(line, sizeof line, "0x09000003 TIMESTAMP = %s (%" PRId64 " s, %" PRIu32 " ns)\n", want, seconds, ns);
    CHECK_STR(dt_out, line);
}

static void test_dates(void)
{
    check_date(0, 0, "1970-01-01T00:00:00.000000000Z");
    check_date(-1, 999999999, "1969-12-31T23:59:59.999999999Z");
    check_date(951782400, 0, "2000-02-29T00:00:00.000000000Z");
    check_date(951868800, 0, "2000-03-01T00:00:00.000000000Z");
    check_date(4107542400, 0, "2100-03-01T00:00:00.000000000Z"); /* 2100 is no leap year */
    check_date(1692363307, 0, "2023-08-18T12:55:07.000000000Z");
    check_date(1607754061, 888000000, "2020-12-12T06:21:01.888000000Z");
    check_date(-62135596800, 0, "0001-01-01T00:00:00.000000000Z");
    check_date(-62167219200, 0, "0000-01-01T00:00:00.000000000Z");
    check_date(-62167219201, 0, "-0001-12-31T23:59:59.000000000Z");
    check_date(253402300799, 0, "9999-12-31T23:59:59.000000000Z");
    check_date(253402300800, 0, "+10000-01-01T00:00:00.000000000Z");
    check_date(INT64_MAX, 0, "+292277026596-12-04T15:30:07.000000000Z");
    check_date(INT64_MIN, 0, "-292277022657-01-27T08:29:52.000000000Z");

    /* a timestamp value with nanoseconds >= 1e9 (peer data) still prints */
    int rc;
    const char *got = dt_text_hex("030000090f0c000000000000000000ffffffff", 0, &rc);
    CHECK_INT(rc, 0);
    CHECK_STR(got, "0x09000003 TIMESTAMP = 1970-01-01T00:00:00Z (0 s, 4294967295 ns)\n");
}

int main(void)
{
    uint64_t seed = 0x5eed2024u;
    const char *env = getenv("RSCP_TEST_SEED");
    if (env)
        seed = strtoull(env, NULL, 0);
    printf("seed %" PRIu64 "\n", seed);
    th_seed(seed);

    test_integer_extremes();
    test_floats();
    test_strings();
    test_dates();
    return th_finish();
}
