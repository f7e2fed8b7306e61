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
    char herr[128];
    long n = cli_hex_decode(text, len, buf, len / 2 + 1, herr, sizeof herr);
    if (n < 0) {
        snprintf(err, errcap, "bad hex value '%s': %s", text, herr);
        free(buf);
        return -1;
    }
    rscp_put_raw(b, tag, (uint8_t)type, buf, (size_t)n);
    free(buf);
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
    int rc = 0;
    int64_t i = 0;
    uint64_t u = 0;
    switch (type) {
    case RSCP_TYPE_NONE:
        if (len) {
            snprintf(err, errcap, "a NONE value takes no value (got '%s')", s);
            free(s);
            return -1;
        } else {
            rscp_put_none(b, tag);
        }
        break;
    case RSCP_TYPE_BOOL:
        if (strcasecmp(s, "true") == 0 || strcmp(s, "1") == 0 || strcasecmp(s, "on") == 0)
            rscp_put_bool(b, tag, true);
        else if (strcasecmp(s, "false") == 0 || strcmp(s, "0") == 0 || strcasecmp(s, "off") == 0)
            rscp_put_bool(b, tag, false);
        else
            rc = -1;
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
            cli_put_int(b, tag, type, i, u) != 0)
            rc = -1;
        break;
    case RSCP_TYPE_ERROR:
        if (parse_u64(s, &u) || u > UINT32_MAX)
            rc = -1;
        else
            rscp_put_error(b, tag, (uint32_t)u);
        break;
    case RSCP_TYPE_FLOAT32:
    case RSCP_TYPE_DOUBLE64: {
        char *end;
        errno = 0;
        double d = strtod(s, &end);
        if (!len || *end || (errno == ERANGE && isinf(d)))
            rc = -1;
        else if (type == RSCP_TYPE_FLOAT32)
            rscp_put_float32(b, tag, (float)d);
        else
            rscp_put_double64(b, tag, d);
        break;
    }
    case RSCP_TYPE_CSTRING: rscp_put_string(b, tag, s, len); break;
    case RSCP_TYPE_TIMESTAMP: {
        /* SECONDS[.FRACTION] */
        char *dot = strchr(s, '.');
        uint32_t ns = 0;
        if (dot) {
            *dot = '\0';
            const char *f = dot + 1;
            size_t fl = strlen(f);
            if (fl == 0 || fl > 9 || strspn(f, "0123456789") != fl) {
                rc = -1;
                break;
            }
            for (size_t k = 0; k < 9; k++)
                ns = ns * 10u + (k < fl ? (uint32_t)(f[k] - '0') : 0u);
        }
        if (parse_i64(s, &i))
            rc = -1;
        else
            rscp_put_timestamp(b, tag, i, ns);
        if (dot)
            *dot = '.';
        break;
    }
    case RSCP_TYPE_CONTAINER:
        snprintf(err, errcap, "a CONTAINER takes its children in braces: TAG{CHILD,...}");
        free(s);
        return -1;
    default: /* BITFIELD, BYTEARRAY, unknown codes: hex bytes */
        rc = hex_value(b, tag, type, s, err, errcap);
        free(s);
        return rc;
    }
    if (rc < 0)
        snprintf(err, errcap, "bad %s value '%s'", tn ? tn : "?", s);
    free(s);
    return rc;
}
