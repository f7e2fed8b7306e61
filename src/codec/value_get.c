/* Typed getters of data blocks: strict (exact type and size) and lenient
 * (any integer or number type). The length is checked before any read. */
#include <string.h>

#include "rscp/error.h"
#include "rscp/value.h"
#include "util/bytes.h"

/* The strict getters are the inline ones of rscp/value.h, exported. */
#define GETTER(name, ctype)                                         \
    int rscp_block_get_##name(const struct rscp_block *b, ctype *out) \
    {                                                               \
        return rscp_block_get_##name##_inline(b, out);              \
    }
GETTER(bool, bool)
GETTER(char8, int8_t)
GETTER(uchar8, uint8_t)
GETTER(int16, int16_t)
GETTER(uint16, uint16_t)
GETTER(int32, int32_t)
GETTER(uint32, uint32_t)
GETTER(int64, int64_t)
GETTER(uint64, uint64_t)
GETTER(float32, float)
GETTER(double64, double)
GETTER(timestamp, struct rscp_timestamp)
GETTER(error, uint32_t)
#undef GETTER

int rscp_block_get_string(const struct rscp_block *b, const char **s, size_t *len)
{
    return rscp_block_get_string_inline(b, s, len);
}

int rscp_block_get_bytes(const struct rscp_block *b, const uint8_t **p, size_t *len)
{
    return rscp_block_get_bytes_inline(b, p, len);
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
