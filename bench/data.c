/* The benchmark's inputs: locating and reading the workload files in
 * bench/data, parsing the decoded listings (request.txt, response_1k.txt) that describe them,
 * building frames from a listing, and walking a frame's values.
 *
 * The listings are independent of this library (produced elsewhere), so
 * comparing against them checks the builder and the parser before anything
 * is timed. */
/* realpath() is an XSI interface. */
#define _XOPEN_SOURCE 700

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bench.h"

/* ---- locating the data ---------------------------------------------------- */

static int is_data_dir(const char *dir)
{
    char path[1024];
    struct stat st;
    int n = snprintf(path, sizeof path, "%s/response_1k.bin", dir);
    return n > 0 && (size_t)n < sizeof path && stat(path, &st) == 0;
}

static const char *canonical(const char *dir)
{
    static char real[4096];
    return realpath(dir, real) != NULL ? real : dir;
}

const char *bench_data_dir(const char *override_dir)
{
    static char found[1024];

    if (override_dir != NULL)
        return is_data_dir(override_dir) ? canonical(override_dir) : NULL;
    const char *env = getenv("RSCP_BENCH_DATA");
    if (env != NULL && *env != '\0')
        return is_data_dir(env) ? canonical(env) : NULL;

    /* __FILE__ is this file's path as the build passed it (absolute with
     * CMake): <source>/bench/data.c, so the workloads are <source>/bench/data. */
    char src[1024];
    snprintf(src, sizeof src, "%s", __FILE__);
    char *slash = strrchr(src, '/');
    if (slash != NULL) {
        *slash = '\0'; /* <source>/bench */
        int n = snprintf(found, sizeof found, "%s/data", src);
        if (n > 0 && (size_t)n < sizeof found && is_data_dir(found))
            return canonical(found);
    }
    /* Relative to the working directory (make bench runs from the source). */
    if (is_data_dir("bench/data"))
        return canonical("bench/data");
    return NULL;
}

int bench_read_file(const char *dir, const char *name, struct bench_file *out)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        fprintf(stderr, "rscp_bench: cannot open %s\n", path);
        return -1;
    }
    size_t cap = 4096, len = 0;
    uint8_t *buf = malloc(cap);
    while (buf != NULL) {
        len += fread(buf + len, 1, cap - len, fp);
        if (len < cap)
            break;
        uint8_t *bigger = realloc(buf, cap * 2u);
        if (bigger == NULL) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2u;
    }
    int bad = ferror(fp);
    fclose(fp);
    if (buf == NULL || bad) {
        free(buf);
        fprintf(stderr, "rscp_bench: cannot read %s\n", path);
        return -1;
    }
    out->data = buf;
    out->len = len;
    return 0;
}

/* ---- listings ------------------------------------------------------------- */

/* Type names as in types.tsv, kept here so that the check does not depend
 * on the library's own table. */
static const struct {
    const char *name;
    int code;
} type_names[] = {
    {"NONE", 0x00},     {"BOOL", 0x01},      {"CHAR8", 0x02},    {"UCHAR8", 0x03},
    {"INT16", 0x04},    {"UINT16", 0x05},    {"INT32", 0x06},    {"UINT32", 0x07},
    {"INT64", 0x08},    {"UINT64", 0x09},    {"FLOAT32", 0x0A},  {"DOUBLE64", 0x0B},
    {"BITFIELD", 0x0C}, {"CSTRING", 0x0D},   {"CONTAINER", 0x0E}, {"TIMESTAMP", 0x0F},
    {"BYTEARRAY", 0x10}, {"ERROR", 0xFF},
};

static int type_code(const char *name)
{
    for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++)
        if (strcmp(type_names[i].name, name) == 0)
            return type_names[i].code;
    return -1;
}

static int hex_nibble(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Convert the text value of op to its native form. */
static int convert_value(struct bench_op *op)
{
    const char *t = op->text;
    char *end = NULL;
    switch (op->type) {
    case RSCP_TYPE_NONE:
    case RSCP_TYPE_CONTAINER:
        return op->text_len == 0 ? 0 : -1;
    case RSCP_TYPE_BOOL:
    case RSCP_TYPE_CHAR8:
    case RSCP_TYPE_INT16:
    case RSCP_TYPE_INT32:
    case RSCP_TYPE_INT64:
        op->i = strtoll(t, &end, 0);
        break;
    case RSCP_TYPE_UCHAR8:
    case RSCP_TYPE_UINT16:
    case RSCP_TYPE_UINT32:
    case RSCP_TYPE_UINT64:
    case RSCP_TYPE_ERROR:
        op->u = strtoull(t, &end, 0);
        break;
    case RSCP_TYPE_FLOAT32:
    case RSCP_TYPE_DOUBLE64:
        op->d = strtod(t, &end);
        break;
    case RSCP_TYPE_CSTRING:
        return 0;
    case RSCP_TYPE_BITFIELD:
    case RSCP_TYPE_BYTEARRAY: {
        /* hex digits; decoded in place into text */
        size_t n = op->text_len / 2u;
        if (op->text_len % 2u != 0)
            return -1;
        for (size_t k = 0; k < n; k++) {
            int hi = hex_nibble(t[2 * k]), lo = hex_nibble(t[2 * k + 1]);
            if (hi < 0 || lo < 0)
                return -1;
            op->text[k] = (char)(hi << 4 | lo);
        }
        op->text_len = n;
        return 0;
    }
    default:
        return -1; /* TIMESTAMP and unknown types do not occur in the listings */
    }
    return (end != NULL && end != t && *end == '\0') ? 0 : -1;
}

int bench_parse_listing(const struct bench_file *f, struct bench_ops *out)
{
    out->n = 0;
    const char *p = (const char *)f->data, *end = p + f->len;
    unsigned lineno = 0;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (eol == NULL)
            eol = end;
        char line[256];
        size_t len = (size_t)(eol - p);
        lineno++;
        if (len >= sizeof line)
            goto bad;
        memcpy(line, p, len);
        line[len] = '\0';
        p = eol + 1;
        if (len == 0 || line[0] == '#')
            continue;
        if (out->n == BENCH_MAX_OPS)
            goto bad;

        struct bench_op *op = &out->op[out->n];
        memset(op, 0, sizeof *op);
        unsigned depth;
        unsigned long tag;
        char type[16], name[96];
        int used = 0;
        if (sscanf(line, "%u %lx %15s %95s %n", &depth, &tag, type, name, &used) < 4)
            goto bad;
        op->depth = depth;
        op->tag = (uint32_t)tag;
        op->type = type_code(type);
        if (op->type < 0)
            goto bad;
        const char *val = line + used;
        op->text_len = strlen(val);
        if (op->text_len >= sizeof op->text)
            goto bad;
        memcpy(op->text, val, op->text_len + 1u);
        if (convert_value(op) != 0)
            goto bad;
        out->n++;
    }
    return 0;
bad:
    fprintf(stderr, "rscp_bench: listing line %u not understood\n", lineno);
    return -1;
}

/* ---- building ------------------------------------------------------------- */

static void put_op(struct rscp_builder *b, const struct bench_op *op)
{
    switch (op->type) {
    case RSCP_TYPE_NONE: rscp_put_none(b, op->tag); break;
    case RSCP_TYPE_BOOL: rscp_put_bool_inline(b, op->tag, op->i != 0); break;
    case RSCP_TYPE_CHAR8: rscp_put_char8_inline(b, op->tag, (int8_t)op->i); break;
    case RSCP_TYPE_UCHAR8: rscp_put_uchar8_inline(b, op->tag, (uint8_t)op->u); break;
    case RSCP_TYPE_INT16: rscp_put_int16_inline(b, op->tag, (int16_t)op->i); break;
    case RSCP_TYPE_UINT16: rscp_put_uint16_inline(b, op->tag, (uint16_t)op->u); break;
    case RSCP_TYPE_INT32: rscp_put_int32_inline(b, op->tag, (int32_t)op->i); break;
    case RSCP_TYPE_UINT32: rscp_put_uint32_inline(b, op->tag, (uint32_t)op->u); break;
    case RSCP_TYPE_INT64: rscp_put_int64_inline(b, op->tag, op->i); break;
    case RSCP_TYPE_UINT64: rscp_put_uint64_inline(b, op->tag, op->u); break;
    case RSCP_TYPE_FLOAT32: rscp_put_float32_inline(b, op->tag, (float)op->d); break;
    case RSCP_TYPE_DOUBLE64: rscp_put_double64_inline(b, op->tag, op->d); break;
    case RSCP_TYPE_CSTRING: rscp_put_string(b, op->tag, op->text, op->text_len); break;
    case RSCP_TYPE_BITFIELD: rscp_put_bitfield(b, op->tag, op->text, op->text_len); break;
    case RSCP_TYPE_BYTEARRAY: rscp_put_bytes(b, op->tag, op->text, op->text_len); break;
    case RSCP_TYPE_ERROR: rscp_put_error_inline(b, op->tag, (uint32_t)op->u); break;
    case RSCP_TYPE_CONTAINER: rscp_put_container_open_inline(b, op->tag); break;
    default: break; /* rejected by the listing parser */
    }
}

int bench_build_frame(const struct bench_ops *ops, const struct rscp_timestamp *ts, uint8_t *buf,
                      size_t cap, size_t *out_len)
{
    struct rscp_builder b;
    rscp_builder_begin_frame(&b, buf, cap, ts, true);
    unsigned depth = 0;
    for (size_t k = 0; k < ops->n; k++) {
        const struct bench_op *op = &ops->op[k];
        for (; depth > op->depth; depth--)
            rscp_put_container_close_inline(&b);
        put_op(&b, op);
        if (op->type == RSCP_TYPE_CONTAINER)
            depth++;
    }
    for (; depth > 0; depth--)
        rscp_put_container_close_inline(&b);
    return rscp_builder_finish(&b, out_len);
}

/* ---- walking -------------------------------------------------------------- */

/* Keeps every converted value observable at the cost of one add (a
 * multiplying hash would put a multiply's latency per value on the chain). */
static uint64_t fold(uint64_t acc, uint64_t v)
{
    return acc + v;
}

static uint64_t double_bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

/* Convert one non-container block to its native type and fold it in. */
static int convert_leaf(const struct rscp_block *b, uint64_t *acc)
{
    int rc = 0;
    uint64_t v = 0;
    switch (b->type) {
    case RSCP_TYPE_NONE: break;
    case RSCP_TYPE_BOOL: { bool x = false; rc = rscp_block_get_bool_inline(b, &x); v = x; break; }
    case RSCP_TYPE_CHAR8: { int8_t x = 0; rc = rscp_block_get_char8_inline(b, &x); v = (uint64_t)x; break; }
    case RSCP_TYPE_UCHAR8: { uint8_t x = 0; rc = rscp_block_get_uchar8_inline(b, &x); v = x; break; }
    case RSCP_TYPE_INT16: { int16_t x = 0; rc = rscp_block_get_int16_inline(b, &x); v = (uint64_t)x; break; }
    case RSCP_TYPE_UINT16: { uint16_t x = 0; rc = rscp_block_get_uint16_inline(b, &x); v = x; break; }
    case RSCP_TYPE_INT32: { int32_t x = 0; rc = rscp_block_get_int32_inline(b, &x); v = (uint64_t)x; break; }
    case RSCP_TYPE_UINT32: { uint32_t x = 0; rc = rscp_block_get_uint32_inline(b, &x); v = x; break; }
    case RSCP_TYPE_INT64: { int64_t x = 0; rc = rscp_block_get_int64_inline(b, &x); v = (uint64_t)x; break; }
    case RSCP_TYPE_UINT64: { uint64_t x = 0; rc = rscp_block_get_uint64_inline(b, &x); v = x; break; }
    case RSCP_TYPE_FLOAT32: { float x = 0; rc = rscp_block_get_float32_inline(b, &x); v = double_bits(x); break; }
    case RSCP_TYPE_DOUBLE64: { double x = 0; rc = rscp_block_get_double64_inline(b, &x); v = double_bits(x); break; }
    case RSCP_TYPE_TIMESTAMP: {
        struct rscp_timestamp x = {0, 0};
        rc = rscp_block_get_timestamp_inline(b, &x);
        v = (uint64_t)x.seconds ^ x.nanoseconds;
        break;
    }
    case RSCP_TYPE_ERROR: { uint32_t x = 0; rc = rscp_block_get_error_inline(b, &x); v = x; break; }
    case RSCP_TYPE_CSTRING: {
        const char *s = NULL;
        size_t n = 0;
        rc = rscp_block_get_string_inline(b, &s, &n);
        v = n ? (uint64_t)(unsigned char)s[0] + n : 0;
        break;
    }
    default: { /* BITFIELD, BYTEARRAY and unknown types: raw bytes */
        const uint8_t *p = b->value;
        size_t n = b->length;
        if (b->type == RSCP_TYPE_BITFIELD || b->type == RSCP_TYPE_BYTEARRAY)
            rc = rscp_block_get_bytes_inline(b, &p, &n);
        v = n ? (uint64_t)p[0] + n : 0;
        break;
    }
    }
    *acc = fold(*acc, (uint64_t)b->tag << 8 ^ v);
    return rc;
}

int bench_walk(const uint8_t *data, size_t len, uint64_t *acc, size_t *leaves, unsigned *max_depth)
{
    /* One depth-first loop over all levels (the walk bounds the depth);
     * the sum and the counts stay in registers. */
    struct rscp_walk w;
    rscp_walk_init(&w, data, len);
    uint64_t sum = *acc;
    size_t n = 0;
    unsigned deepest = 0;
    struct rscp_block b;
    int rc;
    while ((rc = rscp_walk_next_inline(&w, &b)) == 1) {
        if (w.level > deepest)
            deepest = w.level;
        if (b.type == RSCP_TYPE_CONTAINER)
            continue;
        rc = convert_leaf(&b, &sum);
        n++;
        if (rc < 0)
            break;
    }
    *acc = sum;
    if (leaves != NULL)
        *leaves += n;
    if (max_depth != NULL && deepest > *max_depth)
        *max_depth = deepest;
    return rc;
}

/* ---- checking against a listing -------------------------------------------- */

struct check_state {
    const struct bench_ops *ops;
    size_t k;
};

static int check_leaf(const struct rscp_block *b, const struct bench_op *op)
{
    int64_t i = 0;
    uint64_t u = 0;
    double d = 0;
    const char *s = NULL;
    size_t n = 0;
    switch (op->type) {
    case RSCP_TYPE_NONE: return b->length == 0 ? 0 : -1;
    case RSCP_TYPE_BOOL:
    case RSCP_TYPE_CHAR8:
    case RSCP_TYPE_INT16:
    case RSCP_TYPE_INT32:
    case RSCP_TYPE_INT64:
        return rscp_block_get_int(b, &i) == 0 && i == op->i ? 0 : -1;
    case RSCP_TYPE_UCHAR8:
    case RSCP_TYPE_UINT16:
    case RSCP_TYPE_UINT32:
    case RSCP_TYPE_UINT64:
        return rscp_block_get_uint(b, &u) == 0 && u == op->u ? 0 : -1;
    case RSCP_TYPE_ERROR: {
        uint32_t code = 0;
        return rscp_block_get_error(b, &code) == 0 && code == op->u ? 0 : -1;
    }
    case RSCP_TYPE_FLOAT32: {
        float f = 0;
        return rscp_block_get_float32(b, &f) == 0 && f == (float)op->d ? 0 : -1;
    }
    case RSCP_TYPE_DOUBLE64:
        return rscp_block_get_double64(b, &d) == 0 && d == op->d ? 0 : -1;
    case RSCP_TYPE_CSTRING:
        return rscp_block_get_string(b, &s, &n) == 0 && n == op->text_len &&
                       memcmp(s, op->text, n) == 0 ? 0 : -1;
    default: {
        const uint8_t *p = NULL;
        return rscp_block_get_bytes(b, &p, &n) == 0 && n == op->text_len &&
                       memcmp(p, op->text, n) == 0 ? 0 : -1;
    }
    }
}

static int check_seq(struct check_state *st, struct rscp_iter *it, unsigned depth)
{
    struct rscp_block b;
    int rc;
    while ((rc = rscp_iter_next(it, &b)) == 1) {
        if (st->k >= st->ops->n) {
            fprintf(stderr, "rscp_bench: frame has more blocks than the listing\n");
            return -1;
        }
        const struct bench_op *op = &st->ops->op[st->k++];
        if (op->depth != depth || op->tag != b.tag || op->type != b.type) {
            fprintf(stderr, "rscp_bench: listing entry %zu: expected depth %u tag 0x%08X type 0x%02X, "
                            "frame has depth %u tag 0x%08X type 0x%02X\n",
                    st->k, op->depth, (unsigned)op->tag, (unsigned)op->type, depth, (unsigned)b.tag,
                    (unsigned)b.type);
            return -1;
        }
        if (b.type == RSCP_TYPE_CONTAINER) {
            struct rscp_iter child;
            if (rscp_block_children(&b, &child) != 0 || check_seq(st, &child, depth + 1u) != 0)
                return -1;
        } else if (check_leaf(&b, op) != 0) {
            fprintf(stderr, "rscp_bench: listing entry %zu (tag 0x%08X): value differs from \"%s\"\n",
                    st->k, (unsigned)op->tag, op->text);
            return -1;
        }
    }
    if (rc < 0) {
        fprintf(stderr, "rscp_bench: iteration error: %s\n", rscp_strerror(rc));
        return -1;
    }
    return 0;
}

int bench_check_against_listing(const struct rscp_frame *f, const struct bench_ops *ops)
{
    struct check_state st = {ops, 0};
    struct rscp_iter it;
    rscp_frame_iter(f, &it);
    if (check_seq(&st, &it, 0) != 0)
        return -1;
    if (st.k != ops->n) {
        fprintf(stderr, "rscp_bench: frame has %zu blocks, the listing %zu\n", st.k, ops->n);
        return -1;
    }
    return 0;
}
