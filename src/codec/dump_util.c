/* Output helpers for the dumps: the sink wrapper, numbers, hex, the values
 * both dumps print alike, JSON string escaping, round-trip float formatting,
 * ISO-8601 dates, the structure check of masked secrets, and the bounded
 * string sink of dump.h. */
#include "codec/dump_internal.h"

#include "rscp/error.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the bounded string sink (public) ------------------------------------ */

void rscp_strbuf_init(struct rscp_strbuf *sb, char *buf, size_t cap)
{
    sb->buf = buf;
    sb->cap = cap;
    sb->len = 0;
    sb->overflow = false;
    if (buf && cap > 0)
        buf[0] = '\0';
}

int rscp_strbuf_sink(void *ctx, const char *s, size_t n)
{
    struct rscp_strbuf *sb = ctx;
    if (sb->overflow || !sb->buf || sb->cap == 0)
        return -1;
    size_t room = sb->cap - 1 - sb->len; /* keep one byte for the NUL */
    size_t take = n <= room ? n : room;
    if (take > 0)
        memcpy(sb->buf + sb->len, s, take);
    sb->len += take;
    sb->buf[sb->len] = '\0';
    if (take < n) {
        sb->overflow = true;
        return -1;
    }
    return 0;
}

/* ---- the sink wrapper ---------------------------------------------------- */

void rscp__out_init(struct rscp__out *o, rscp_sink_fn sink, void *ctx)
{
    o->sink = sink;
    o->ctx = ctx;
    o->err = 0;
}

void rscp__out_mem(struct rscp__out *o, const char *s, size_t n)
{
    if (o->err || n == 0)
        return;
    if (o->sink(o->ctx, s, n) != 0)
        o->err = RSCP_ERR_IO;
}

void rscp__out_str(struct rscp__out *o, const char *s)
{
    rscp__out_mem(o, s, strlen(s));
}

void rscp__out_char(struct rscp__out *o, char c)
{
    rscp__out_mem(o, &c, 1);
}

void rscp__out_spaces(struct rscp__out *o, size_t n)
{
    static const char spaces[] = "                                ";
    while (n > 0) {
        size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        rscp__out_mem(o, spaces, k);
        n -= k;
    }
}

void rscp__out_u64(struct rscp__out *o, uint64_t v)
{
    char buf[RSCP__NUM_BUF];
    int n = snprintf(buf, sizeof buf, "%" PRIu64, v);
    rscp__out_mem(o, buf, (size_t)n);
}

void rscp__out_i64(struct rscp__out *o, int64_t v)
{
    char buf[RSCP__NUM_BUF];
    int n = snprintf(buf, sizeof buf, "%" PRId64, v);
    rscp__out_mem(o, buf, (size_t)n);
}

static const char hex_lower[] = "0123456789abcdef";
static const char hex_upper[] = "0123456789ABCDEF";

void rscp__out_tag(struct rscp__out *o, uint32_t tag)
{
    char buf[10];
    buf[0] = '0';
    buf[1] = 'x';
    for (unsigned i = 0; i < 8; i++)
        buf[2 + i] = hex_upper[(tag >> (28 - 4 * i)) & 0xFu];
    rscp__out_mem(o, buf, sizeof buf);
}

void rscp__out_type(struct rscp__out *o, uint8_t type)
{
    const char *name = rscp_type_name(type);
    if (name) {
        rscp__out_str(o, name);
        return;
    }
    char buf[4] = {'0', 'x', hex_upper[type >> 4], hex_upper[type & 0xFu]};
    rscp__out_mem(o, buf, sizeof buf);
}

void rscp__out_hex(struct rscp__out *o, const uint8_t *p, size_t n)
{
    char buf[64];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        buf[k++] = hex_lower[p[i] >> 4];
        buf[k++] = hex_lower[p[i] & 0xFu];
        if (k == sizeof buf) {
            rscp__out_mem(o, buf, k);
            k = 0;
        }
    }
    rscp__out_mem(o, buf, k);
}

bool rscp__out_common_value(struct rscp__out *o, const struct rscp_block *b)
{
    switch (b->type) {
    case RSCP_TYPE_BOOL: {
        bool v = false;
        rscp_block_get_bool(b, &v);
        rscp__out_str(o, v ? "true" : "false");
        return true;
    }
    case RSCP_TYPE_CHAR8:
    case RSCP_TYPE_INT16:
    case RSCP_TYPE_INT32:
    case RSCP_TYPE_INT64: {
        int64_t v = 0;
        rscp_block_get_int(b, &v);
        rscp__out_i64(o, v);
        return true;
    }
    case RSCP_TYPE_UCHAR8:
    case RSCP_TYPE_UINT16:
    case RSCP_TYPE_UINT32:
    case RSCP_TYPE_UINT64: {
        uint64_t v = 0;
        rscp_block_get_uint(b, &v);
        rscp__out_u64(o, v);
        return true;
    }
    case RSCP_TYPE_CSTRING: {
        const char *s = NULL;
        size_t n = 0;
        rscp_block_get_string(b, &s, &n);
        rscp__out_json_string(o, s, n);
        return true;
    }
    default:
        return false;
    }
}

/* ---- JSON strings --------------------------------------------------------- */

/* Length (2..4) of the well-formed UTF-8 sequence at p[0..n), or 0. */
static size_t utf8_sequence(const uint8_t *p, size_t n)
{
    uint8_t c = p[0];
    size_t len;
    uint8_t lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0; /* no overlong forms */
        else if (c == 0xED)
            hi = 0x9F; /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F; /* at most U+10FFFF */
    } else {
        return 0;
    }
    if (n < len || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    return len;
}

static void out_json_escape(struct rscp__out *o, uint8_t c)
{
    char buf[6] = {'\\', 'u', '0', '0', hex_lower[c >> 4], hex_lower[c & 0xFu]};
    switch (c) {
    case '"':
        rscp__out_mem(o, "\\\"", 2);
        return;
    case '\\':
        rscp__out_mem(o, "\\\\", 2);
        return;
    case '\n':
        rscp__out_mem(o, "\\n", 2);
        return;
    case '\r':
        rscp__out_mem(o, "\\r", 2);
        return;
    case '\t':
        rscp__out_mem(o, "\\t", 2);
        return;
    default:
        rscp__out_mem(o, buf, sizeof buf);
        return;
    }
}

void rscp__out_json_string(struct rscp__out *o, const char *s, size_t n)
{
    const uint8_t *p = (const uint8_t *)s;
    size_t run = 0; /* start of the pending run of bytes copied as they are */
    size_t i = 0;
    rscp__out_char(o, '"');
    while (i < n && !o->err) {
        uint8_t c = p[i];
        size_t k;
        if (c < 0x80) {
            if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7F) {
                i++;
                continue;
            }
        } else if ((k = utf8_sequence(p + i, n - i)) > 0) {
            i += k;
            continue;
        }
        rscp__out_mem(o, s + run, i - run);
        out_json_escape(o, c);
        i++;
        run = i;
    }
    rscp__out_mem(o, s + run, i - run);
    rscp__out_char(o, '"');
}

/* ---- floating point -------------------------------------------------------- */

/* Rewrite the locale's decimal point (whatever bytes stand between digits
 * that are not part of an exponent) as '.'. */
static void normalize_decimal_point(char *buf)
{
    char *w = buf;
    bool in_other = false;
    for (const char *r = buf; *r; r++) {
        char c = *r;
        bool plain = (c >= '0' && c <= '9') || c == 'e' || c == 'E' || c == '+' || c == '-';
        if (plain) {
            *w++ = c;
            in_other = false;
        } else if (!in_other) {
            *w++ = '.';
            in_other = true;
        }
    }
    *w = '\0';
}

/* %g switches to exponent form as soon as the exponent reaches the
 * precision, so 100.0 at its shortest precision prints as "1e+02". Write
 * values below 1e16 whose shortest form has a non-negative exponent as plain
 * integers instead ("100"): %.0f prints the exact integer value, which
 * parses back to the same bits. */
static void prefer_plain_integer(char *buf, double v)
{
    const char *e = strchr(buf, 'e');
    if (!e)
        return;
    long exp10 = strtol(e + 1, NULL, 10);
    if (exp10 >= 0 && exp10 < 16)
        snprintf(buf, RSCP__NUM_BUF, "%.0f", v);
}

bool rscp__format_float(float v, char *buf)
{
    if (isnan(v) || isinf(v))
        return false;
    if (v == 0.0f) {
        strcpy(buf, signbit(v) ? "-0.0" : "0");
        return true;
    }
    uint32_t want;
    memcpy(&want, &v, sizeof want);
    for (int prec = 1; prec <= 9; prec++) {
        snprintf(buf, RSCP__NUM_BUF, "%.*g", prec, (double)v);
        float back = strtof(buf, NULL);
        uint32_t got;
        memcpy(&got, &back, sizeof got);
        if (got == want)
            break; /* 9 significant digits always round-trip a float */
    }
    prefer_plain_integer(buf, (double)v);
    normalize_decimal_point(buf);
    return true;
}

bool rscp__format_double(double v, char *buf)
{
    if (isnan(v) || isinf(v))
        return false;
    if (v == 0.0) {
        strcpy(buf, signbit(v) ? "-0.0" : "0");
        return true;
    }
    /* A whole value below 1e15 (a timestamp, a counter): its digits, which
     * is what the search below ends with, without a dozen printf calls. */
    if (v > -1e15 && v < 1e15 && v == (double)(int64_t)v) {
        int64_t i = (int64_t)v;
        uint64_t u = i < 0 ? (uint64_t)0 - (uint64_t)i : (uint64_t)i;
        char d[20];
        int nd = 0;
        do {
            d[nd++] = (char)('0' + u % 10);
            u /= 10;
        } while (u > 0);
        char *w = buf;
        if (i < 0)
            *w++ = '-';
        while (nd > 0)
            *w++ = d[--nd];
        *w = '\0';
        return true;
    }
    uint64_t want;
    memcpy(&want, &v, sizeof want);
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, RSCP__NUM_BUF, "%.*g", prec, v);
        double back = strtod(buf, NULL);
        uint64_t got;
        memcpy(&got, &back, sizeof got);
        if (got == want)
            break; /* 17 significant digits always round-trip a double */
    }
    prefer_plain_integer(buf, v);
    normalize_decimal_point(buf);
    return true;
}

/* ---- dates ----------------------------------------------------------------- */

/* Civil date from days since 1970-01-01 (H. Hinnant's algorithm, valid for
 * every day an int64 count of seconds can reach). */
static void civil_from_days(int64_t days, int64_t *year, unsigned *month, unsigned *day)
{
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;                                     /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399]    */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);              /* [0, 365]    */
    int64_t mp = (5 * doy + 2) / 153;                                   /* [0, 11]     */
    *day = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *month = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *year = yoe + era * 400 + (*month <= 2 ? 1 : 0);
}

void rscp__format_iso8601(int64_t seconds, uint32_t nanoseconds, bool with_fraction, char *buf)
{
    int64_t days = seconds / 86400;
    int64_t rem = seconds % 86400;
    if (rem < 0) {
        rem += 86400;
        days -= 1;
    }
    int64_t year;
    unsigned month, day;
    civil_from_days(days, &year, &month, &day);
    unsigned hh = (unsigned)(rem / 3600), mm = (unsigned)(rem / 60 % 60), ss = (unsigned)(rem % 60);
    int n;
    if (year >= 0 && year <= 9999)
        n = snprintf(buf, RSCP__ISO_BUF, "%04" PRId64 "-%02u-%02uT%02u:%02u:%02u", year, month, day, hh, mm, ss);
    else
        n = snprintf(buf, RSCP__ISO_BUF, "%+05" PRId64 "-%02u-%02uT%02u:%02u:%02u", year, month, day, hh, mm,
                     ss);
    if (n < 0)
        n = 0;
    if (with_fraction && nanoseconds < 1000000000u)
        snprintf(buf + n, RSCP__ISO_BUF - (size_t)n, ".%09" PRIu32 "Z", nanoseconds);
    else
        snprintf(buf + n, RSCP__ISO_BUF - (size_t)n, "Z");
}

size_t rscp__iter_abs_offset(const struct rscp_iter *it, const uint8_t *top)
{
    size_t base = (it->base && top) ? (size_t)(it->base - top) : 0;
    return base + rscp_iter_offset(it);
}

int rscp__check_hidden(const struct rscp_block *b, unsigned depth, const uint8_t *top, size_t *abs_offset)
{
    if (b->type != RSCP_TYPE_CONTAINER)
        return 0;
    if (depth + 1 > RSCP__DUMP_MAX_DEPTH)
        return RSCP_ERR_DEPTH;
    if (b->length == 0)
        return 0;
    struct rscp_limits lim = rscp_limits_default();
    lim.max_depth = RSCP__DUMP_MAX_DEPTH - (depth + 1);
    lim.max_blocks = UINT32_MAX;
    size_t off = 0;
    int rc;
    if (lim.max_depth == 0) {
        /* no container may follow; checked here as the limits of
         * rscp_validate() document no zero depth */
        struct rscp_iter it;
        struct rscp_block c;
        rscp_iter_init(&it, b->value, b->length);
        while ((rc = rscp_iter_next(&it, &c)) == 1) {
            if (c.type == RSCP_TYPE_CONTAINER) {
                *abs_offset = (size_t)(c.value - top) - RSCP_BLOCK_HEADER_SIZE;
                return RSCP_ERR_DEPTH;
            }
        }
        if (rc < 0) {
            *abs_offset = rscp__iter_abs_offset(&it, top);
            return rc;
        }
        return 0;
    }
    rc = rscp_validate(b->value, b->length, &lim, &off);
    if (rc != 0)
        *abs_offset = (size_t)(b->value - top) + off;
    return rc;
}

/* The public names of the two formatters above (dump.h). */
bool rscp_format_float32(float v, char *buf)
{
    return buf != NULL && rscp__format_float(v, buf);
}

bool rscp_format_double64(double v, char *buf)
{
    return buf != NULL && rscp__format_double(v, buf);
}
