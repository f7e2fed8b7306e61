/* A small strict JSON parser (RFC 8259) into a tree, shared by the programs
 * (the rscp tool's JSON input, rscp-bridge's JSON command payloads).
 * Program-side code: libc only, no librscp internals.
 *
 * Strict: no comments, no trailing commas, no leading zeros, no raw control
 * characters in strings, valid UTF-8 only, paired surrogate escapes,
 * duplicate object keys rejected, nesting at most JSON_MAX_DEPTH, at
 * most JSON_MAX_VALUES values (the tree's memory stays bounded: about
 * 100 bytes a value).
 * Numbers keep their text so 64-bit integers convert exactly. Errors carry
 * the line and column (1-based, columns in bytes) of the offending byte. */
#ifndef RSCP_COMMON_JSON_PARSE_H
#define RSCP_COMMON_JSON_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_DEPTH 64
#define JSON_MAX_VALUES 262144u

enum json_kind {
    JSON_NULL,
    JSON_BOOL,
    JSON_NUMBER,
    JSON_STRING,
    JSON_ARRAY,
    JSON_OBJECT
};

struct json_value {
    enum json_kind kind;
    unsigned line, col;         /* where the value starts                                  */
    bool boolean;               /* JSON_BOOL                                               */
    bool integer;               /* JSON_NUMBER without fraction/exponent                   */
    char *str;                  /* STRING: decoded bytes; NUMBER: the text; NUL-terminated */
    size_t len;                 /* bytes in str (a string may hold NUL bytes)              */
    struct json_value **items;  /* ARRAY elements / OBJECT values                          */
    char **keys;                /* OBJECT keys (NUL-terminated)                            */
    size_t n;                   /* number of items                                         */
};

/* Parse text[0..len) (a whole document; need not be NUL-terminated).
 * Returns 0 and *out (the caller owns it: free with json_free), or -1 with
 * *out NULL and a NUL-terminated message "line L, column C: ..." in
 * err[0..errcap) (err may be NULL). No global state: threads may parse at
 * the same time. */
int json_parse(const char *text, size_t len, struct json_value **out, char *err, size_t errcap);

/* Free a tree from json_parse; NULL is accepted. */
void json_free(struct json_value *v);

/* Member of an object by key, or NULL (also when v is not an object). */
const struct json_value *json_get(const struct json_value *v, const char *key);

/* Exact conversions of a NUMBER. Return 0, or -1 when v is not an integer
 * number or out of range. */
int json_i64(const struct json_value *v, int64_t *out);
int json_u64(const struct json_value *v, uint64_t *out);
/* Any NUMBER as double; -1 when v is not a number. */
int json_double(const struct json_value *v, double *out);

/* "null", "boolean", "number", "string", "array", "object". */
const char *json_kind_name(enum json_kind k);

#endif
