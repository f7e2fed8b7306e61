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

static int jfail(const struct json_value *at, char *err, size_t errcap, const char *fmt, ...) CLI_PRINTF(4, 5);

static int jfail(const struct json_value *at, char *err, size_t errcap, const char *fmt, ...)
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

/* "unknown tag" with the name made printable (JSON strings may hold
 * control characters). */
static int unknown_tag(const struct json_value *at, const char *what, char *err, size_t errcap)
{
    char shown[160];
    cli_printable(at->str, at->len, shown, sizeof shown);
    return jfail(at, err, errcap, "unknown %s \"%s\"", what, shown);
}

static int tag_of(const struct json_value *blk, uint32_t *tag, char *err, size_t errcap)
{
    const struct json_value *t = json_get(blk, "tag");
    const struct json_value *n = json_get(blk, "name");
    if (t) {
        if (t->kind == JSON_NUMBER) {
            uint64_t u;
            if (json_u64(t, &u) != 0 || u > UINT32_MAX)
                return jfail(t, err, errcap, "tag must be an integer 0..4294967295");
            *tag = (uint32_t)u;
            return 0;
        }
        if (t->kind == JSON_STRING) {
            if (rscp_tag_lookup(t->str, tag) != 0)
                return unknown_tag(t, "tag", err, errcap);
            return 0;
        }
        return jfail(t, err, errcap, "tag must be a string or a number");
    }
    if (n && n->kind == JSON_STRING) {
        if (rscp_tag_lookup(n->str, tag) != 0)
            return unknown_tag(n, "tag name", err, errcap);
        return 0;
    }
    return jfail(blk, err, errcap, "block needs \"tag\" or \"name\"");
}

static int put_hex(struct rscp_builder *b, uint32_t tag, int type, const struct json_value *v, char *err,
                   size_t errcap)
{
    if (v->kind != JSON_STRING)
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

static int put_int(struct rscp_builder *b, uint32_t tag, int type, const struct json_value *v, char *err,
                   size_t errcap)
{
    int64_t i = 0;
    uint64_t u = 0;
    int rc = cli_int_type_unsigned(type) ? json_u64(v, &u) : json_i64(v, &i);
    const char *tn = rscp_type_name(type);
    if (rc != 0)
        return jfail(v, err, errcap, "%s value must be an integer in range", tn);
    if (cli_put_int(b, tag, type, i, u) != 0)
        return jfail(v, err, errcap, "%s value %s out of range", tn, v->str);
    return 0;
}

static int put_block(struct rscp_builder *b, const struct json_value *blk, unsigned depth, char *err, size_t errcap);
static int put_tuple(struct rscp_builder *b, const struct json_value *item, unsigned depth, char *err, size_t errcap);

static int put_list(struct rscp_builder *b, const struct json_value *arr, unsigned depth, char *err, size_t errcap)
{
    if (arr->kind != JSON_ARRAY)
        return jfail(arr, err, errcap, "array of blocks expected, got %s", json_kind_name(arr->kind));
    for (size_t i = 0; i < arr->n; i++) {
        const struct json_value *it = arr->items[i];
        int rc = it->kind == JSON_STRING || it->kind == JSON_ARRAY ? put_tuple(b, it, depth, err, errcap)
                                                                           : put_block(b, it, depth, err, errcap);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static int put_value_checked(struct rscp_builder *b, uint32_t tag, int type, const struct json_value *v,
                             const struct json_value *at, unsigned depth, char *err, size_t errcap);

/* The block tag/type (-1: from the dictionary, or from the value when the
 * dictionary does not know the tag) with the value v (NULL: none); at is
 * where the block starts, for messages. A refused value of a secret tag is
 * not quoted (the reasons quote values). */
static int put_value(struct rscp_builder *b, uint32_t tag, int type, const struct json_value *v,
                     const struct json_value *at, unsigned depth, char *err, size_t errcap)
{
    if (put_value_checked(b, tag, type, v, at, depth, err, errcap) == 0)
        return 0;
    bool masked = v && v->kind == JSON_STRING && v->len == 3 && memcmp(v->str, "***", 3) == 0;
    if (v && v->kind != JSON_ARRAY && !masked && rscp_tag_is_secret(tag))
        return jfail(v, err, errcap, "invalid value of secret tag 0x%08X (not shown); type and value must agree",
                     tag);
    return -1;
}

/* A block in the dump form {"tag", "name", "type", "value"}. */
static int put_block(struct rscp_builder *b, const struct json_value *blk, unsigned depth, char *err, size_t errcap)
{
    if (blk->kind != JSON_OBJECT)
        return jfail(blk, err, errcap, "block object expected, got %s", json_kind_name(blk->kind));
    for (size_t i = 0; i < blk->n; i++) {
        const char *k = blk->keys[i];
        if (strcmp(k, "tag") && strcmp(k, "name") && strcmp(k, "type") && strcmp(k, "value")) {
            char shown[96];
            cli_printable(k, strlen(k), shown, sizeof shown);
            return jfail(blk->items[i], err, errcap, "unknown key \"%s\" in block (tag, name, type, value)", shown);
        }
    }
    uint32_t tag;
    if (tag_of(blk, &tag, err, errcap) < 0)
        return -1;
    const struct json_value *t = json_get(blk, "type");
    int type = -1;
    if (t && (t->kind != JSON_STRING || (type = rscp_type_from_name(t->str)) < 0))
        return jfail(t, err, errcap, "unknown type (a name like \"INT32\" or a code like \"0x42\")");
    return put_value(b, tag, type, json_get(blk, "value"), blk, depth, err, errcap);
}

/* A request in the tuple form of go-rscp's e3dc tool: "TAG", [TAG],
 * [TAG, VALUE] or [TAG, TYPE, VALUE] (TYPE a type name in any case, e.g.
 * "Uint32"; in a pair a string that names a type is the type, as there).
 * TAG: a dictionary name, with or without the dot after the namespace
 * ("EMS_REQ_START_MANUAL_CHARGE", as rscp_tag_lookup reads it), or a
 * number. A CONTAINER's value is an
 * array of requests. */
static int put_tuple(struct rscp_builder *b, const struct json_value *item, unsigned depth, char *err, size_t errcap)
{
    const struct json_value *t = item, *ty = NULL, *v = NULL;
    if (item->kind == JSON_ARRAY) {
        if (item->n < 1 || item->n > 3)
            return jfail(item, err, errcap, "a request tuple is [TAG], [TAG, VALUE] or [TAG, TYPE, VALUE] (%zu elements)",
                         item->n);
        t = item->items[0];
        if (item->n == 3) {
            ty = item->items[1];
            v = item->items[2];
        } else if (item->n == 2) {
            const struct json_value *x = item->items[1];
            if (x->kind == JSON_STRING && rscp_type_from_name(x->str) >= 0 && strncmp(x->str, "0x", 2) != 0)
                ty = x;
            else
                v = x;
        }
    }
    uint32_t tag;
    if (t->kind == JSON_NUMBER) {
        uint64_t u;
        if (json_u64(t, &u) != 0 || u > UINT32_MAX)
            return jfail(t, err, errcap, "tag must be an integer 0..4294967295");
        tag = (uint32_t)u;
    } else if (t->kind == JSON_STRING) {
        if (rscp_tag_lookup(t->str, &tag) != 0)
            return unknown_tag(t, "tag", err, errcap);
    } else {
        return jfail(t, err, errcap, "the first element of a request tuple is its tag (a string or a number)");
    }
    int type = -1;
    if (ty && (ty->kind != JSON_STRING || (type = rscp_type_from_name(ty->str)) < 0))
        return jfail(ty, err, errcap, "unknown type (a name like \"Int32\" or \"INT32\")");
    if (type < 0 && !v) {
        /* Just the tag: a request (a NONE block) unless the dictionary
         * types it otherwise. */
        int dt = rscp_tag_type(tag);
        if (dt >= 0 && dt != RSCP_TYPE_NONE && dt != RSCP_TYPE_CONTAINER)
            return jfail(item, err, errcap, "tag 0x%08X takes a %s value: [TAG, VALUE]", tag, rscp_type_name(dt));
        type = dt == RSCP_TYPE_CONTAINER ? dt : RSCP_TYPE_NONE;
        if (type == RSCP_TYPE_CONTAINER) {
            rscp_put_container_open(b, tag);
            rscp_put_container_close(b);
            return 0;
        }
    }
    /* go-rscp writes a NONE value as "". */
    if (type == RSCP_TYPE_NONE && v && v->kind == JSON_STRING && v->len == 0)
        v = NULL;
    return put_value(b, tag, type, v, item, depth, err, errcap);
}

static int put_value_checked(struct rscp_builder *b, uint32_t tag, int type, const struct json_value *v,
                             const struct json_value *at, unsigned depth, char *err, size_t errcap)
{
    if (type < 0) {
        type = rscp_tag_type(tag);
        if (type < 0) {
            if (!v || v->kind == JSON_NULL)
                type = RSCP_TYPE_NONE;
            else if (v->kind == JSON_ARRAY)
                type = RSCP_TYPE_CONTAINER;
            else
                return jfail(at, err, errcap, "the dictionary gives no type for tag 0x%08X: add a type", tag);
        }
    }
    /* Dumps mask secret values as "***": re-encoding that would silently
     * replace the user's password with three asterisks. */
    if (v && v->kind == JSON_STRING && rscp_tag_is_secret(tag) && v->len == 3 && memcmp(v->str, "***", 3) == 0)
        return jfail(v, err, errcap,
                     "the value of secret tag 0x%08X is masked (\"***\"); decode with --show-secrets to keep it", tag);
    /* A known fixed type written as a hex string: raw bytes (the dump form
     * of a value with a wrong length). */
    if (v && v->kind == JSON_STRING && rscp_type_size(type) > 0 && type != RSCP_TYPE_TIMESTAMP)
        return put_hex(b, tag, type, v, err, errcap);

    const char *tn = rscp_type_name(type);
    switch (type) {
    case RSCP_TYPE_NONE:
        if (v && v->kind != JSON_NULL)
            return jfail(v, err, errcap, "NONE value must be null or absent");
        rscp_put_none(b, tag);
        return 0;
    case RSCP_TYPE_CONTAINER:
        if (!v)
            return jfail(at, err, errcap, "CONTAINER needs \"value\": [blocks]");
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
        return jfail(at, err, errcap, "block of type %s needs a \"value\"", tn ? tn : "?");
    switch (type) {
    case RSCP_TYPE_BOOL:
        if (v->kind != JSON_BOOL)
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
        double d = NAN;
        const char *why = NULL;
        if (v->kind != JSON_NULL && v->kind != JSON_NUMBER)
            return jfail(v, err, errcap, "%s value must be a number (or null for NaN)", tn);
        if ((v->kind == JSON_NUMBER && cli_parse_real(v->str, &d, &why) != 0) ||
            cli_put_real(b, tag, type, d, &why) != 0)
            return jfail(v, err, errcap, "%s value %s: %s", tn, v->str, why);
        return 0;
    }
    case RSCP_TYPE_CSTRING:
        if (v->kind != JSON_STRING)
            return jfail(v, err, errcap, "CSTRING value must be a string");
        if (v->len > RSCP_MAX_VALUE_LEN)
            return jfail(v, err, errcap, "string longer than %u bytes", RSCP_MAX_VALUE_LEN);
        rscp_put_string(b, tag, v->str, v->len);
        return 0;
    case RSCP_TYPE_TIMESTAMP: {
        const struct json_value *s = json_get(v, "seconds");
        const struct json_value *ns = json_get(v, "nanoseconds");
        int64_t sec;
        uint64_t nsec = 0;
        if (v->kind != JSON_OBJECT || !s || json_i64(s, &sec) != 0 ||
            (ns && (json_u64(ns, &nsec) != 0 || nsec >= 1000000000u)))
            return jfail(v, err, errcap, "TIMESTAMP value must be {\"seconds\": S, \"nanoseconds\": 0..999999999}");
        rscp_put_timestamp(b, tag, sec, (uint32_t)nsec);
        return 0;
    }
    case RSCP_TYPE_ERROR: {
        uint64_t code;
        const struct json_value *c = v->kind == JSON_OBJECT ? json_get(v, "code") : v;
        if (!c || json_u64(c, &code) != 0 || code > UINT32_MAX)
            return jfail(v, err, errcap, "ERROR value must be {\"code\": C} or a number");
        rscp_put_error(b, tag, (uint32_t)code);
        return 0;
    }
    default: return put_hex(b, tag, type, v, err, errcap);
    }
}

int cli_json_put_blocks(struct rscp_builder *b, const struct json_value *blocks, char *err, size_t errcap)
{
    if (put_list(b, blocks, 0, err, errcap) < 0)
        return -1;
    int rc = rscp_builder_error(b);
    if (rc < 0)
        return jfail(blocks, err, errcap, "cannot build the blocks: %s", rscp_strerror(rc));
    return 0;
}
