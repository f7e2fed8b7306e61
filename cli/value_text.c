/* Values written as text (the "get" spec syntax) into a builder. */
#include "cli.h"

#include "rscp/tags.h"
#include "rscp/types.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Parse an integer: decimal, or hex with 0x. */
static int parse_i64(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    bool neg = s[0] == '-';
    const char *d = neg || s[0] == '+' ? s + 1 : s;
    if (!*d || *d == '-' || *d == '+' || *d == ' ')
        return -1;
    if (d[0] == '0' && (d[1] == 'x' || d[1] == 'X')) {
        unsigned long long u = strtoull(d + 2, &end, 16);
        if (errno || *end || end == d + 2)
            return -1;
        if (neg ? u > (unsigned long long)INT64_MAX + 1u : u > (unsigned long long)INT64_MAX)
            return -1;
        *out = neg ? (int64_t)(0 - u) : (int64_t)u;
        return 0;
    }
    long long v = strtoll(s, &end, 10);
    if (errno || *end || end == s)
        return -1;
    *out = (int64_t)v;
    return 0;
}

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    if (!*s || s[0] == '-' || s[0] == ' ')
        return -1;
    const char *d = s[0] == '+' ? s + 1 : s;
    int base = 10;
    if (d[0] == '0' && (d[1] == 'x' || d[1] == 'X')) {
        d += 2;
        base = 16;
    }
    if (!*d)
        return -1;
    unsigned long long v = strtoull(d, &end, base);
    if (errno || *end)
        return -1;
    *out = (uint64_t)v;
    return 0;
}

static int hex_value(struct rscp_builder *b, uint32_t tag, int type, const char *text, char *err, size_t errcap)
{
    size_t len = strlen(text);
    uint8_t *buf = malloc(len / 2 + 1);
    if (!buf) {
        snprintf(err, errcap, "out of memory");
        return -1;
    }
    char herr[128], shown[160];
    long n = cli_hex_decode(text, len, buf, len / 2 + 1, herr, sizeof herr);
    if (n < 0) {
        cli_printable(text, len, shown, sizeof shown);
        snprintf(err, errcap, "bad hex value '%s': %s", shown, herr);
        free(buf);
        return -1;
    }
    rscp_put_raw(b, tag, (uint8_t)type, buf, (size_t)n);
    free(buf);
    return 0;
}

/* The reason a value of an integer type is refused. */
static const char *int_reason(int type)
{
    switch (type) {
    case RSCP_TYPE_CHAR8: return "an integer -128..127 expected";
    case RSCP_TYPE_UCHAR8: return "an integer 0..255 expected";
    case RSCP_TYPE_INT16: return "an integer -32768..32767 expected";
    case RSCP_TYPE_UINT16: return "an integer 0..65535 expected";
    case RSCP_TYPE_INT32: return "an integer -2147483648..2147483647 expected";
    case RSCP_TYPE_UINT32: return "an integer 0..4294967295 expected";
    case RSCP_TYPE_INT64: return "a 64-bit integer expected";
    default: return "an integer 0..18446744073709551615 expected";
    }
}

/* SECONDS[.FRACTION] of a TIMESTAMP. */
static int put_timestamp(struct rscp_builder *b, uint32_t tag, const char *s, const char **why)
{
    const char *dot = strchr(s, '.');
    size_t il = dot ? (size_t)(dot - s) : strlen(s);
    char secs[32];
    if (il == 0 || il >= sizeof secs) {
        *why = il ? "too many digits of seconds" : "seconds expected before '.'";
        return -1;
    }
    memcpy(secs, s, il);
    secs[il] = '\0';
    int64_t sec;
    if (parse_i64(secs, &sec) != 0) {
        *why = "SECONDS[.FRACTION] expected (a 64-bit integer of seconds)";
        return -1;
    }
    uint32_t ns = 0;
    if (dot) {
        const char *f = dot + 1;
        size_t fl = strlen(f);
        if (fl == 0 || strspn(f, "0123456789") != fl) {
            *why = "the fraction after '.' must be digits";
            return -1;
        }
        if (fl > 9) {
            *why = "the fraction has more than 9 digits (nanoseconds)";
            return -1;
        }
        for (size_t k = 0; k < 9; k++)
            ns = ns * 10u + (k < fl ? (uint32_t)(f[k] - '0') : 0u);
    }
    rscp_put_timestamp(b, tag, sec, ns);
    return 0;
}

int cli_put_text_value(struct rscp_builder *b, uint32_t tag, int type, const char *text, size_t len,
                       char *err, size_t errcap)
{
    char *s = malloc(len + 1);
    if (!s) {
        snprintf(err, errcap, "out of memory");
        return -1;
    }
    memcpy(s, text, len);
    s[len] = '\0';
    const char *tn = rscp_type_name(type);
    const char *why = NULL;
    int rc = 0;
    int64_t i = 0;
    uint64_t u = 0;
    if (memchr(text, '\0', len)) {
        rc = -1;
        why = "a NUL byte inside the value";
        goto out;
    }
    switch (type) {
    case RSCP_TYPE_NONE:
        if (len) {
            rc = -1;
            why = "a NONE block takes no value";
        } else {
            rscp_put_none(b, tag);
        }
        break;
    case RSCP_TYPE_BOOL:
        if (strcasecmp(s, "true") == 0 || strcmp(s, "1") == 0 || strcasecmp(s, "on") == 0) {
            rscp_put_bool(b, tag, true);
        } else if (strcasecmp(s, "false") == 0 || strcmp(s, "0") == 0 || strcasecmp(s, "off") == 0) {
            rscp_put_bool(b, tag, false);
        } else {
            rc = -1;
            why = "true/false, on/off or 1/0 expected";
        }
        break;
    case RSCP_TYPE_CHAR8:
    case RSCP_TYPE_UCHAR8:
    case RSCP_TYPE_INT16:
    case RSCP_TYPE_UINT16:
    case RSCP_TYPE_INT32:
    case RSCP_TYPE_UINT32:
    case RSCP_TYPE_INT64:
    case RSCP_TYPE_UINT64:
        if ((cli_int_type_unsigned(type) ? parse_u64(s, &u) : parse_i64(s, &i)) != 0 ||
            cli_put_int(b, tag, type, i, u) != 0) {
            rc = -1;
            why = int_reason(type);
        }
        break;
    case RSCP_TYPE_ERROR:
        if (parse_u64(s, &u) || u > UINT32_MAX) {
            rc = -1;
            why = "an error code 0..4294967295 expected";
        } else {
            rscp_put_error(b, tag, (uint32_t)u);
        }
        break;
    case RSCP_TYPE_FLOAT32:
    case RSCP_TYPE_DOUBLE64: {
        double d;
        if (cli_parse_real(s, &d, &why) != 0 || cli_put_real(b, tag, type, d, &why) != 0)
            rc = -1;
        break;
    }
    case RSCP_TYPE_CSTRING: rscp_put_string(b, tag, s, len); break;
    case RSCP_TYPE_TIMESTAMP: rc = put_timestamp(b, tag, s, &why); break;
    case RSCP_TYPE_CONTAINER:
        snprintf(err, errcap, "a CONTAINER takes its children in braces: TAG{CHILD,...}");
        free(s);
        return -1;
    default: /* BITFIELD, BYTEARRAY, unknown codes: hex bytes */
        rc = hex_value(b, tag, type, s, err, errcap);
        free(s);
        return rc;
    }
out:
    if (rc < 0) {
        char shown[160];
        cli_printable(text, len, shown, sizeof shown);
        snprintf(err, errcap, "bad %s value '%s': %s", tn ? tn : "?", shown, why ? why : "invalid");
    }
    free(s);
    return rc;
}
