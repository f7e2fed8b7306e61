/* Fuzz target: the rscp tool's JSON parser (common/json_parse.c) and the JSON
 * blocks encoder (cli/json_blocks.c) behind `rscp encode` and
 * `rscp get --json-request`.
 *
 * Input: a JSON document. Invariants (abort() when broken):
 *   - the parser either returns a tree or a NUL-terminated message starting
 *     with "line L, column C: ", also into a small message buffer;
 *   - every string of the tree is NUL-terminated at its length, every key
 *     NUL-free, every NUMBER's text converts (double) and the exact
 *     integer conversions agree with strtod on small values;
 *   - blocks the encoder accepts are well-formed (rscp_validate), and
 *     dumping them as JSON and encoding that again gives the same dump
 *     (the encoder reads back everything the dump writes). */
#include "fuzz_walk.h"

#include "cli.h"
#include "json_parse.h"

#include <math.h>

#define BUF_CAP (RSCP_MAX_DATA_LEN + 4096u)
#define DUMP_CAP (8u << 20)

static uint8_t blocks1[BUF_CAP], blocks2[BUF_CAP];
static char dump1[DUMP_CAP], dump2[DUMP_CAP];

static void check_message(const char *err, size_t cap)
{
    if (memchr(err, '\0', cap) == NULL)
        fuzz_fail("error message not NUL-terminated");
    if (cap > 16 && strncmp(err, "line ", 5) != 0)
        fuzz_fail("error message without line and column");
}

static void check_tree(const struct json_value *v, unsigned depth)
{
    if (depth > JSON_MAX_DEPTH + 1)
        fuzz_fail("tree deeper than JSON_MAX_DEPTH");
    if (v->line == 0 || v->col == 0)
        fuzz_fail("value without position");
    switch (v->kind) {
    case JSON_STRING:
        if (!v->str || v->str[v->len] != '\0')
            fuzz_fail("string not NUL-terminated at its length");
        break;
    case JSON_NUMBER: {
        double d;
        int64_t i;
        uint64_t u;
        if (!v->str || strlen(v->str) != v->len || json_double(v, &d) != 0)
            fuzz_fail("number text");
        if (json_i64(v, &i) == 0 && (!v->integer || (i > -1000000 && i < 1000000 && (double)i != d)))
            fuzz_fail("i64 conversion disagrees with the number");
        if (json_u64(v, &u) == 0 && (!v->integer || (u < 1000000 && (double)u != d)))
            fuzz_fail("u64 conversion disagrees with the number");
        break;
    }
    case JSON_ARRAY:
    case JSON_OBJECT:
        for (size_t i = 0; i < v->n; i++) {
            if (v->kind == JSON_OBJECT) {
                if (!v->keys[i] || json_get(v, v->keys[i]) != v->items[i])
                    fuzz_fail("object key lookup");
            }
            check_tree(v->items[i], depth + 1);
        }
        break;
    default: break;
    }
}

/* Encode the blocks array of doc (a frame object, an array holding one
 * frame, or an array of blocks: the forms `rscp get --json-request`
 * takes) into buf. Returns the length or -1. */
static long encode(const struct json_value *doc, uint8_t *buf, char *err, size_t errcap)
{
    const struct json_value *d = doc;
    if (d->kind == JSON_ARRAY && d->n == 1 && json_get(d->items[0], "blocks"))
        d = d->items[0];
    const struct json_value *blocks = d->kind == JSON_OBJECT ? json_get(d, "blocks") : d;
    if (!blocks)
        return -1;
    struct rscp_builder b;
    rscp_builder_init(&b, buf, BUF_CAP);
    if (cli_json_put_blocks(&b, blocks, err, errcap) < 0) {
        check_message(err, errcap);
        return -1;
    }
    size_t n;
    if (rscp_builder_finish(&b, &n) != 0)
        fuzz_fail("encoder accepted blocks the builder refused");
    return (long)n;
}

static size_t dump(const uint8_t *p, size_t n, char *out)
{
    struct rscp_strbuf sb;
    rscp_strbuf_init(&sb, out, DUMP_CAP);
    if (rscp_json_blocks(p, n, RSCP_DUMP_SHOW_SECRETS, rscp_strbuf_sink, &sb) != 0 || sb.overflow)
        fuzz_fail("JSON dump of encoded blocks failed");
    return sb.len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    char err[512], small[12];
    struct json_value *doc = NULL, *doc2 = NULL;

    memset(small, 'x', sizeof small);
    int rs = json_parse(text, size, &doc, small, sizeof small);
    if (rs != 0)
        check_message(small, sizeof small);
    json_free(doc);
    doc = NULL;

    memset(err, 'x', sizeof err);
    int rc = json_parse(text, size, &doc, err, sizeof err);
    if (rc != rs)
        fuzz_fail("result depends on the message buffer");
    if (rc != 0) {
        if (doc)
            fuzz_fail("tree returned with an error");
        check_message(err, sizeof err);
        return 0;
    }
    if (!doc)
        fuzz_fail("no tree without an error");
    check_tree(doc, 1);

    long n1 = encode(doc, blocks1, err, sizeof err);
    if (n1 >= 0) {
        if (n1 > (long)RSCP_MAX_DATA_LEN + 4096 || rscp_validate(blocks1, (size_t)n1, NULL, NULL) != 0)
            fuzz_fail("encoded blocks are not well-formed");
        size_t d1 = dump(blocks1, (size_t)n1, dump1);
        if (json_parse(dump1, d1, &doc2, err, sizeof err) != 0)
            fuzz_fail("the dump of encoded blocks does not parse");
        long n2 = encode(doc2, blocks2, err, sizeof err);
        if (n2 < 0) {
            fprintf(stderr, "%s\n", err);
            fuzz_fail("the dump of encoded blocks does not encode");
        }
        size_t d2 = dump(blocks2, (size_t)n2, dump2);
        if (d1 != d2 || memcmp(dump1, dump2, d1) != 0)
            fuzz_fail("dump -> encode -> dump changed the blocks");
        json_free(doc2);
    }
    json_free(doc);
    return 0;
}
