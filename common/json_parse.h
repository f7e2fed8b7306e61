/* A small strict JSON parser (RFC 8259) into a tree, for the rscp tool.
 *
 * Strict: no comments, no trailing commas, no leading zeros, no raw control
 * characters in strings, valid UTF-8 only, paired surrogate escapes,
 * duplicate object keys rejected, nesting at most CLI_JSON_MAX_DEPTH, at
 * most CLI_JSON_MAX_VALUES values (the tree's memory stays bounded: about
 * 100 bytes a value).
 * Numbers keep their text so 64-bit integers convert exactly. Errors carry
 * the line and column (1-based, columns in bytes) of the offending byte. */
#ifndef RSCP_CLI_JSON_PARSE_H
#define RSCP_CLI_JSON_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CLI_JSON_MAX_DEPTH 64
#define CLI_JSON_MAX_VALUES 262144u

enum cli_json_kind {
    CLI_JSON_NULL,
    CLI_JSON_BOOL,
    CLI_JSON_NUMBER,
    CLI_JSON_STRING,
    CLI_JSON_ARRAY,
    CLI_JSON_OBJECT
};

struct cli_json {
    enum cli_json_kind kind;
    unsigned line, col;        /* where the value starts                     */
    bool boolean;              /* CLI_JSON_BOOL                              */
    bool integer;              /* CLI_JSON_NUMBER without fraction/exponent  */
    char *str;                 /* STRING: decoded bytes; NUMBER: the text; NUL-terminated */
    size_t len;                /* bytes in str (a string may hold NUL bytes) */
    struct cli_json **items;   /* ARRAY elements / OBJECT values             */
    char **keys;               /* OBJECT keys (NUL-terminated)               */
    size_t n;                  /* number of items                            */
};

/* Parse text[0..len) (a whole document). Returns 0 and *out (free with
 * cli_json_free), or -1 with a message "line L, column C: ..." in err. */
int cli_json_parse(const char *text, size_t len, struct cli_json **out, char *err, size_t errcap);

void cli_json_free(struct cli_json *v);

/* Member of an object by key, or NULL (also when v is not an object). */
const struct cli_json *cli_json_get(const struct cli_json *v, const char *key);

/* Exact conversions of a NUMBER. Return 0, or -1 when v is not an integer
 * number or out of range. */
int cli_json_i64(const struct cli_json *v, int64_t *out);
int cli_json_u64(const struct cli_json *v, uint64_t *out);
/* Any NUMBER as double; -1 when v is not a number. */
int cli_json_double(const struct cli_json *v, double *out);

/* "null", "boolean", "number", "string", "array", "object". */
const char *cli_json_kind_name(enum cli_json_kind k);

#endif
