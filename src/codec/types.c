/* The 18 value types: names, codes and fixed sizes (types.tsv). */
#include "rscp/types.h"

#include "rscp/error.h"

#include <stddef.h>

struct type_entry {
    uint8_t code;
    int8_t size; /* -1: variable */
    const char *name;
};

static const struct type_entry types[] = {
    {RSCP_TYPE_NONE, 0, "NONE"},           {RSCP_TYPE_BOOL, 1, "BOOL"},
    {RSCP_TYPE_CHAR8, 1, "CHAR8"},         {RSCP_TYPE_UCHAR8, 1, "UCHAR8"},
    {RSCP_TYPE_INT16, 2, "INT16"},         {RSCP_TYPE_UINT16, 2, "UINT16"},
    {RSCP_TYPE_INT32, 4, "INT32"},         {RSCP_TYPE_UINT32, 4, "UINT32"},
    {RSCP_TYPE_INT64, 8, "INT64"},         {RSCP_TYPE_UINT64, 8, "UINT64"},
    {RSCP_TYPE_FLOAT32, 4, "FLOAT32"},     {RSCP_TYPE_DOUBLE64, 8, "DOUBLE64"},
    {RSCP_TYPE_BITFIELD, -1, "BITFIELD"},  {RSCP_TYPE_CSTRING, -1, "CSTRING"},
    {RSCP_TYPE_CONTAINER, -1, "CONTAINER"}, {RSCP_TYPE_TIMESTAMP, 12, "TIMESTAMP"},
    {RSCP_TYPE_BYTEARRAY, -1, "BYTEARRAY"}, {RSCP_TYPE_ERROR, 4, "ERROR"},
};

#define NTYPES (sizeof types / sizeof types[0])

static const struct type_entry *find_code(int type)
{
    for (size_t i = 0; i < NTYPES; i++)
        if (types[i].code == type)
            return &types[i];
    return NULL;
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static bool same_name(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (lower((unsigned char)*a) != lower((unsigned char)*b))
            return false;
    return *a == *b;
}

static int hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = lower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

const char *rscp_type_name(int type)
{
    const struct type_entry *t = find_code(type);
    return t ? t->name : NULL;
}

int rscp_type_from_name(const char *name)
{
    if (!name)
        return RSCP_ERR_UNKNOWN_NAME;
    for (size_t i = 0; i < NTYPES; i++)
        if (same_name(name, types[i].name))
            return types[i].code;
    /* "0x42": one or two hex digits, any code 0x00..0xFF */
    if (name[0] == '0' && (name[1] == 'x' || name[1] == 'X') && name[2]) {
        int v = 0;
        size_t n = 0;
        for (const char *p = name + 2; *p; p++, n++) {
            int d = hex_digit((unsigned char)*p);
            if (d < 0 || n >= 2)
                return RSCP_ERR_UNKNOWN_NAME;
            v = v * 16 + d;
        }
        return v;
    }
    return RSCP_ERR_UNKNOWN_NAME;
}

int rscp_type_size(int type)
{
    const struct type_entry *t = find_code(type);
    return t ? t->size : -1;
}

bool rscp_type_is_known(int type)
{
    return find_code(type) != NULL;
}
