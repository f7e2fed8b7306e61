/* Typed getters of data blocks: strict (exact type and size) and lenient
 * (any integer or number type). The length is checked before any read. */
#include <string.h>

#include "rscp/error.h"
#include "rscp/value.h"
#include "util/bytes.h"

/* Type and length check shared by the strict getters. */
static int expect(const struct rscp_block *b, uint8_t type, uint16_t size)
{
    if (b->type != type)
        return RSCP_ERR_TYPE;
    if (b->length != size)
        return RSCP_ERR_LENGTH;
    return 0;
}

int rscp_block_get_bool(const struct rscp_block *b, bool *out)
{
    int rc = expect(b, RSCP_TYPE_BOOL, 1);
    if (rc == 0)
        *out = b->value[0] != 0;
    return rc;
}

int rscp_block_get_char8(const struct rscp_block *b, int8_t *out)
{
    int rc = expect(b, RSCP_TYPE_CHAR8, 1);
    if (rc == 0)
        *out = (int8_t)b->value[0];
    return rc;
}

int rscp_block_get_uchar8(const struct rscp_block *b, uint8_t *out)
{
    int rc = expect(b, RSCP_TYPE_UCHAR8, 1);
    if (rc == 0)
        *out = b->value[0];
    return rc;
}

int rscp_block_get_int16(const struct rscp_block *b, int16_t *out)
{
    int rc = expect(b, RSCP_TYPE_INT16, 2);
    if (rc == 0)
        *out = (int16_t)rscp_load16_le(b->value);
    return rc;
}

int rscp_block_get_uint16(const struct rscp_block *b, uint16_t *out)
{
    int rc = expect(b, RSCP_TYPE_UINT16, 2);
    if (rc == 0)
        *out = rscp_load16_le(b->value);
    return rc;
}

int rscp_block_get_int32(const struct rscp_block *b, int32_t *out)
{
    int rc = expect(b, RSCP_TYPE_INT32, 4);
    if (rc == 0)
        *out = (int32_t)rscp_load32_le(b->value);
    return rc;
}

int rscp_block_get_uint32(const struct rscp_block *b, uint32_t *out)
{
    int rc = expect(b, RSCP_TYPE_UINT32, 4);
    if (rc == 0)
        *out = rscp_load32_le(b->value);
    return rc;
}

int rscp_block_get_int64(const struct rscp_block *b, int64_t *out)
{
    int rc = expect(b, RSCP_TYPE_INT64, 8);
    if (rc == 0)
        *out = (int64_t)rscp_load64_le(b->value);
    return rc;
}

int rscp_block_get_uint64(const struct rscp_block *b, uint64_t *out)
{
    int rc = expect(b, RSCP_TYPE_UINT64, 8);
    if (rc == 0)
        *out = rscp_load64_le(b->value);
    return rc;
}

/* IEEE-754 bit patterns are copied, never converted: NaN payloads and the
 * sign of zero survive. */
int rscp_block_get_float32(const struct rscp_block *b, float *out)
{
    int rc = expect(b, RSCP_TYPE_FLOAT32, 4);
    if (rc == 0) {
        uint32_t bits = rscp_load32_le(b->value);
        memcpy(out, &bits, sizeof *out);
    }
    return rc;
}

int rscp_block_get_double64(const struct rscp_block *b, double *out)
{
    int rc = expect(b, RSCP_TYPE_DOUBLE64, 8);
    if (rc == 0) {
        uint64_t bits = rscp_load64_le(b->value);
        memcpy(out, &bits, sizeof *out);
    }
    return rc;
}

int rscp_block_get_timestamp(const struct rscp_block *b, struct rscp_timestamp *out)
{
    int rc = expect(b, RSCP_TYPE_TIMESTAMP, RSCP_TIMESTAMP_SIZE);
    if (rc == 0) {
        out->seconds = (int64_t)rscp_load64_le(b->value);
        out->nanoseconds = rscp_load32_le(b->value + 8);
    }
    return rc;
}

int rscp_block_get_error(const struct rscp_block *b, uint32_t *code)
{
    int rc = expect(b, RSCP_TYPE_ERROR, 4);
    if (rc == 0)
        *code = rscp_load32_le(b->value);
    return rc;
}

int rscp_block_get_string(const struct rscp_block *b, const char **s, size_t *len)
{
    if (b->type != RSCP_TYPE_CSTRING)
        return RSCP_ERR_TYPE;
    *s = b->length ? (const char *)b->value : "";
    *len = b->length;
    return 0;
}

int rscp_block_get_bytes(const struct rscp_block *b, const uint8_t **p, size_t *len)
{
    static const uint8_t empty[1];
    if (b->type != RSCP_TYPE_BITFIELD && b->type != RSCP_TYPE_BYTEARRAY)
        return RSCP_ERR_TYPE;
    *p = b->length ? b->value : empty;
    *len = b->length;
    return 0;
}

/* ---- lenient getters -------------------------------------------------- */

/* An integer-typed block as a signed or unsigned 64-bit value: exactly one
 * of *s / *u is meaningful, as told by *is_unsigned. */
struct any_int {
    bool is_unsigned;
    int64_t s;
    uint64_t u;
};

static int load_int(const struct rscp_block *b, struct any_int *v)
{
    int size = rscp_type_size(b->type);
    switch (b->type) {
    case RSCP_TYPE_BOOL:
    case RSCP_TYPE_UCHAR8:
    case RSCP_TYPE_UINT16:
    case RSCP_TYPE_UINT32:
    case RSCP_TYPE_UINT64:
        v->is_unsigned = true;
        break;
    case RSCP_TYPE_CHAR8:
    case RSCP_TYPE_INT16:
    case RSCP_TYPE_INT32:
    case RSCP_TYPE_INT64:
        v->is_unsigned = false;
        break;
    default:
        return RSCP_ERR_TYPE;
    }
    if (b->length != (unsigned)size)
        return RSCP_ERR_LENGTH;
    const uint8_t *p = b->value;
    uint64_t raw;
    switch (size) {
    case 1:
        raw = p[0];
        v->s = (int8_t)p[0];
        break;
    case 2:
        raw = rscp_load16_le(p);
        v->s = (int16_t)rscp_load16_le(p);
        break;
    case 4:
        raw = rscp_load32_le(p);
        v->s = (int32_t)rscp_load32_le(p);
        break;
    default:
        raw = rscp_load64_le(p);
        v->s = (int64_t)raw;
        break;
    }
    if (b->type == RSCP_TYPE_BOOL)
        raw = raw != 0;
    v->u = raw;
    return 0;
}

int rscp_block_get_int(const struct rscp_block *b, int64_t *out)
{
    struct any_int v;
    int rc = load_int(b, &v);
    if (rc)
        return rc;
    if (v.is_unsigned) {
        if (v.u > (uint64_t)INT64_MAX)
            return RSCP_ERR_RANGE;
        *out = (int64_t)v.u;
    } else {
        *out = v.s;
    }
    return 0;
}

int rscp_block_get_uint(const struct rscp_block *b, uint64_t *out)
{
    struct any_int v;
    int rc = load_int(b, &v);
    if (rc)
        return rc;
    if (v.is_unsigned) {
        *out = v.u;
    } else {
        if (v.s < 0)
            return RSCP_ERR_RANGE;
        *out = (uint64_t)v.s;
    }
    return 0;
}

int rscp_block_get_number(const struct rscp_block *b, double *out)
{
    if (b->type == RSCP_TYPE_FLOAT32) {
        float f;
        int rc = rscp_block_get_float32(b, &f);
        if (rc == 0)
            *out = (double)f;
        return rc;
    }
    if (b->type == RSCP_TYPE_DOUBLE64)
        return rscp_block_get_double64(b, out);
    struct any_int v;
    int rc = load_int(b, &v);
    if (rc)
        return rc;
    *out = v.is_unsigned ? (double)v.u : (double)v.s;
    return 0;
}
