/* Integer blocks of every width with their range check, shared by the text
 * (get spec) and JSON (encode form) ways of giving a value. */
#include "cli.h"

#include "rscp/types.h"

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
