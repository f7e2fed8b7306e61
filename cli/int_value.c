/* Number blocks (integers of every width, FLOAT32, DOUBLE64) with their
 * range checks, shared by the text (get spec) and JSON (encode form) ways
 * of giving a value. */
#include "cli.h"

#include "rscp/types.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

bool cli_int_type_unsigned(int type)
{
    return type == RSCP_TYPE_UCHAR8 || type == RSCP_TYPE_UINT16 || type == RSCP_TYPE_UINT32 ||
           type == RSCP_TYPE_UINT64;
}

int cli_put_int(struct rscp_builder *b, uint32_t tag, int type, int64_t i, uint64_t u)
{
    switch (type) {
    case RSCP_TYPE_CHAR8:
        if (i < INT8_MIN || i > INT8_MAX)
            return -1;
        rscp_put_char8(b, tag, (int8_t)i);
        return 0;
    case RSCP_TYPE_UCHAR8:
        if (u > UINT8_MAX)
            return -1;
        rscp_put_uchar8(b, tag, (uint8_t)u);
        return 0;
    case RSCP_TYPE_INT16:
        if (i < INT16_MIN || i > INT16_MAX)
            return -1;
        rscp_put_int16(b, tag, (int16_t)i);
        return 0;
    case RSCP_TYPE_UINT16:
        if (u > UINT16_MAX)
            return -1;
        rscp_put_uint16(b, tag, (uint16_t)u);
        return 0;
    case RSCP_TYPE_INT32:
        if (i < INT32_MIN || i > INT32_MAX)
            return -1;
        rscp_put_int32(b, tag, (int32_t)i);
        return 0;
    case RSCP_TYPE_UINT32:
        if (u > UINT32_MAX)
            return -1;
        rscp_put_uint32(b, tag, (uint32_t)u);
        return 0;
    case RSCP_TYPE_INT64: rscp_put_int64(b, tag, i); return 0;
    case RSCP_TYPE_UINT64: rscp_put_uint64(b, tag, u); return 0;
    default: return -1;
    }
}

int cli_parse_real(const char *s, double *out, const char **why)
{
    /* [+-] (DIGITS [. DIGITS] | . DIGITS) [(e|E) [+-] DIGITS]: decimal
     * only (no nan, inf or hex floats: JSON cannot carry them either). */
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    size_t int_digits = strspn(p, "0123456789");
    p += int_digits;
    size_t frac_digits = 0;
    if (*p == '.') {
        p++;
        frac_digits = strspn(p, "0123456789");
        p += frac_digits;
    }
    if (int_digits + frac_digits == 0) {
        *why = "not a decimal number";
        return -1;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        size_t exp_digits = strspn(p, "0123456789");
        if (exp_digits == 0) {
            *why = "exponent without digits";
            return -1;
        }
        p += exp_digits;
    }
    if (*p) {
        *why = "not a decimal number";
        return -1;
    }
    errno = 0;
    char *end;
    double d = strtod(s, &end);
    if (errno == ERANGE && isinf(d)) {
        *why = "out of range for a DOUBLE64";
        return -1;
    }
    if (errno == ERANGE && d == 0) {
        *why = "too small for a DOUBLE64 (it would become 0)";
        return -1;
    }
    *out = d;
    return 0;
}

int cli_put_real(struct rscp_builder *b, uint32_t tag, int type, double d, const char **why)
{
    if (isinf(d)) {
        *why = "not a finite number";
        return -1;
    }
    if (type == RSCP_TYPE_DOUBLE64) {
        rscp_put_double64(b, tag, d);
        return 0;
    }
    if (type != RSCP_TYPE_FLOAT32) {
        *why = "not a FLOAT32 or DOUBLE64 type";
        return -1;
    }
    /* Values from FLT_MAX + half an ulp on round to infinity (and the
     * conversion is undefined beyond the range): refuse them. */
    if (!isnan(d) && fabs(d) >= (double)FLT_MAX + ldexp(1.0, 103)) {
        *why = "out of range for a FLOAT32 (at most 3.4028235e38 either way)";
        return -1;
    }
    float f = (float)d;
    if (d != 0 && f == 0) {
        *why = "too small for a FLOAT32 (it would become 0; the smallest is 1.4e-45)";
        return -1;
    }
    rscp_put_float32(b, tag, f);
    return 0;
}
