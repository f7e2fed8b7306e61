/* JSON blocks in the dump form (include/rscp/dump.h) into a builder: the
 * input side of "rscp encode" and "rscp get --json-request". */
#include "cli.h"
#include "json_parse.h"

#include "rscp/error.h"
#include "rscp/tags.h"
#include "rscp/types.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static int jfail(const struct cli_json *at, char *err, size_t errcap, const char *fmt, ...) CLI_PRINTF(4, 5);

static int jfail(const struct cli_json *at, char *err, size_t errcap, const char *fmt, ...)
{
    int k = snprintf(err, errcap, "line %u, column %u: ", at->line, at->col);
    if (k < 0 || (size_t)k >= errcap)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err + k, errcap - (size_t)k, fmt, ap);
    va_end(ap);
    return -1;
}

static int tag_of(const struct cli_json *blk, uint32_t *tag, char *err, size_t errcap)
{
    const struct cli_json *t = cli_json_get(blk, "tag");
    const struct cli_json *n = cli_json_get(blk, "name");
    if (t) {
        if (t->kind == CLI_JSON_NUMBER) {
            uint64_t u;
            if (cli_json_u64(t, &u) != 0 || u > UINT32_MAX)
                return jfail(t, err, errcap, "tag must be an integer 0..4294967295");
            *tag = (uint32_t)u;
            return 0;
        }
        if (t->kind == CLI_JSON_STRING) {
            if (rscp_tag_lookup(t->str, tag) != 0)
                return jfail(t, err, errcap, "unknown tag \"%s\"", t->str);
            return 0;
        }
        return jfail(t, err, errcap, "tag must be a string or a number");
    }
    if (n && n->kind == CLI_JSON_STRING) {
        if (rscp_tag_lookup(n->str, tag) != 0)
            return jfail(n, err, errcap, "unknown tag name \"%s\"", n->str);
        return 0;
    }
    return jfail(blk, err, errcap, "block needs \"tag\" or \"name\"");
}

static int put_hex(struct rscp_builder *b, uint32_t tag, int type, const struct cli_json *v, char *err,
                   size_t errcap)
{
    if (v->kind != CLI_JSON_STRING)
        return jfail(v, err, errcap, "%s value must be a hex string", rscp_type_name(type) ? rscp_type_name(type) : "raw");
    uint8_t *buf = malloc(v->len / 2 + 1);
    if (!buf)
        return jfail(v, err, errcap, "out of memory");
    char herr[128];
    long n = cli_hex_decode(v->str, v->len, buf, v->len / 2 + 1, herr, sizeof herr);
    if (n < 0) {
        free(buf);
        return jfail(v, err, errcap, "bad hex string: %s", herr);
    }
    rscp_put_raw(b, tag, (uint8_t)type, buf, (size_t)n);
    free(buf);
    return 0;
}

static int put_int(struct rscp_builder *b, uint32_t tag, int type, const struct cli_json *v, char *err,
                   size_t errcap)
{
    int64_t i = 0;
    uint64_t u = 0;
    int rc = cli_int_type_unsigned(type) ? cli_json_u64(v, &u) : cli_json_i64(v, &i);
    const char *tn = rscp_type_name(type);
    if (rc != 0)
        return jfail(v, err, errcap, "%s value must be an integer in range", tn);
    if (cli_put_int(b, tag, type, i, u) != 0)
        return jfail(v, err, errcap, "%s value %s out of range", tn, v->str);
    return 0;
}

static int put_block(struct rscp_builder *b, const struct cli_json *blk, unsigned depth, char *err, size_t errcap);

static int put_list(struct rscp_builder *b, const struct cli_json *arr, unsigned depth, char *err, size_t errcap)
{
    if (arr->kind != CLI_JSON_ARRAY)
        return jfail(arr, err, errcap, "array of blocks expected, got %s", cli_json_kind_name(arr->kind));
    for (size_t i = 0; i < arr->n; i++)
        if (put_block(b, arr->items[i], depth, err, errcap) < 0)
            return -1;
    return 0;
}

static int put_block(struct rscp_builder *b, const struct cli_json *blk, unsigned depth, char *err, size_t errcap)
{
    if (blk->kind != CLI_JSON_OBJECT)
        return jfail(blk, err, errcap, "block object expected, got %s", cli_json_kind_name(blk->kind));
    for (size_t i = 0; i < blk->n; i++) {
        const char *k = blk->keys[i];
        if (strcmp(k, "tag") && strcmp(k, "name") && strcmp(k, "type") && strcmp(k, "value"))
            return jfail(blk->items[i], err, errcap, "unknown key \"%s\" in block (tag, name, type, value)", k);
    }
    uint32_t tag;
    if (tag_of(blk, &tag, err, errcap) < 0)
        return -1;
    const struct cli_json *t = cli_json_get(blk, "type");
    const struct cli_json *v = cli_json_get(blk, "value");
    int type;
    if (t) {
        if (t->kind != CLI_JSON_STRING || (type = rscp_type_from_name(t->str)) < 0)
            return jfail(t, err, errcap, "unknown type (a name like \"INT32\" or a code like \"0x42\")");
    } else {
        type = rscp_tag_type(tag);
        if (type < 0) {
            if (!v || v->kind == CLI_JSON_NULL)
                type = RSCP_TYPE_NONE;
            else if (v->kind == CLI_JSON_ARRAY)
                type = RSCP_TYPE_CONTAINER;
            else
                return jfail(blk, err, errcap, "the dictionary gives no type for tag 0x%08X: add \"type\"", tag);
        }
    }
    /* Dumps mask secret values as "***": re-encoding that would silently
     * replace the user's password with three asterisks. */
    if (v && v->kind == CLI_JSON_STRING && rscp_tag_is_secret(tag) && v->len == 3 && memcmp(v->str, "***", 3) == 0)
        return jfail(v, err, errcap,
                     "the value of secret tag 0x%08X is masked (\"***\"); decode with --show-secrets to keep it", tag);
    /* A known fixed type written as a hex string: raw bytes (the dump form
     * of a value with a wrong length). */
    if (v && v->kind == CLI_JSON_STRING && rscp_type_size(type) > 0 && type != RSCP_TYPE_TIMESTAMP)
        return put_hex(b, tag, type, v, err, errcap);

    const char *tn = rscp_type_name(type);
    switch (type) {
    case RSCP_TYPE_NONE:
        if (v && v->kind != CLI_JSON_NULL)
            return jfail(v, err, errcap, "NONE value must be null or absent");
        rscp_put_none(b, tag);
        return 0;
    case RSCP_TYPE_CONTAINER:
        if (!v)
            return jfail(blk, err, errcap, "CONTAINER needs \"value\": [blocks]");
        if (depth >= RSCP_BUILDER_MAX_DEPTH)
            return jfail(v, err, errcap, "containers nested deeper than %u", RSCP_BUILDER_MAX_DEPTH);
        rscp_put_container_open(b, tag);
        if (put_list(b, v, depth + 1, err, errcap) < 0)
            return -1;
        rscp_put_container_close(b);
        return 0;
    default: break;
    }
    if (!v)
        return jfail(blk, err, errcap, "block of type %s needs a \"value\"", tn ? tn : "?");
    switch (type) {
    case RSCP_TYPE_BOOL:
        if (v->kind != CLI_JSON_BOOL)
            return jfail(v, err, errcap, "BOOL value must be true or false");
        rscp_put_bool(b, tag, v->boolean);
        return 0;
    case RSCP_TYPE_CHAR8:
    case RSCP_TYPE_UCHAR8:
    case RSCP_TYPE_INT16:
    case RSCP_TYPE_UINT16:
    case RSCP_TYPE_INT32:
    case RSCP_TYPE_UINT32:
    case RSCP_TYPE_INT64:
    case RSCP_TYPE_UINT64: return put_int(b, tag, type, v, err, errcap);
    case RSCP_TYPE_FLOAT32:
    case RSCP_TYPE_DOUBLE64: {
        double d;
        if (v->kind == CLI_JSON_NULL)
            d = NAN;
        else if (cli_json_double(v, &d) != 0)
            return jfail(v, err, errcap, "%s value must be a number (or null for NaN)", tn);
        if (type == RSCP_TYPE_FLOAT32)
            rscp_put_float32(b, tag, (float)d);
        else
            rscp_put_double64(b, tag, d);
        return 0;
    }
    case RSCP_TYPE_CSTRING:
        if (v->kind != CLI_JSON_STRING)
            return jfail(v, err, errcap, "CSTRING value must be a string");
        if (v->len > RSCP_MAX_VALUE_LEN)
            return jfail(v, err, errcap, "string longer than %u bytes", RSCP_MAX_VALUE_LEN);
        rscp_put_string(b, tag, v->str, v->len);
        return 0;
    case RSCP_TYPE_TIMESTAMP: {
        const struct cli_json *s = cli_json_get(v, "seconds");
        const struct cli_json *ns = cli_json_get(v, "nanoseconds");
        int64_t sec;
        uint64_t nsec = 0;
        if (v->kind != CLI_JSON_OBJECT || !s || cli_json_i64(s, &sec) != 0 ||
            (ns && (cli_json_u64(ns, &nsec) != 0 || nsec >= 1000000000u)))
            return jfail(v, err, errcap, "TIMESTAMP value must be {\"seconds\": S, \"nanoseconds\": 0..999999999}");
        rscp_put_timestamp(b, tag, sec, (uint32_t)nsec);
        return 0;
    }
    case RSCP_TYPE_ERROR: {
        uint64_t code;
        const struct cli_json *c = v->kind == CLI_JSON_OBJECT ? cli_json_get(v, "code") : v;
        if (!c || cli_json_u64(c, &code) != 0 || code > UINT32_MAX)
            return jfail(v, err, errcap, "ERROR value must be {\"code\": C} or a number");
        rscp_put_error(b, tag, (uint32_t)code);
        return 0;
    }
    default: return put_hex(b, tag, type, v, err, errcap);
    }
}

int cli_json_put_blocks(struct rscp_builder *b, const struct cli_json *blocks, char *err, size_t errcap)
{
    if (put_list(b, blocks, 0, err, errcap) < 0)
        return -1;
    int rc = rscp_builder_error(b);
    if (rc < 0)
        return jfail(blocks, err, errcap, "cannot build the blocks: %s", rscp_strerror(rc));
    return 0;
}
