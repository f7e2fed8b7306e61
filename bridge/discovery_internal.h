/* rscp-bridge: what the discovery files share (not for other users). */
#ifndef RSCP_BRIDGE_DISCOVERY_INTERNAL_H
#define RSCP_BRIDGE_DISCOVERY_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

/* A JSON text built into a caller buffer: objects and arrays nested up to
 * DJ_DEPTH, strings escaped (", \ and control characters; other bytes as
 * they are, so UTF-8 stays UTF-8). Once something does not fit, `bad` is
 * set and nothing more is written. */
#define DJ_DEPTH 8

struct dj {
    char *buf;
    size_t cap, len;
    bool bad;
    unsigned depth;
    bool more[DJ_DEPTH + 1]; /* a value was written at that level: comma next */
};

void dj_init(struct dj *j, char *buf, size_t cap);
/* Open an object ('{') or array ('['), as member `key` (NULL: as array
 * element or the top level). */
void dj_open(struct dj *j, const char *key, char brace);
void dj_close(struct dj *j, char brace);
void dj_str(struct dj *j, const char *key, const char *v);
void dj_num(struct dj *j, const char *key, double v); /* finite only; shortest form */
void dj_bool(struct dj *j, const char *key, bool v);
/* json[0..n) as the value, as it is: the caller vouches that it is one
 * JSON value (a number from bridge_value_payload, say). */
void dj_raw(struct dj *j, const char *key, const char *json, size_t n);
/* Members text[0..n) of the current object as they are, written before
 * by this builder's member calls ("k":v,"k":v without a leading comma):
 * the caller vouches for them. */
void dj_members(struct dj *j, const char *text, size_t n);
/* The finished text's length (NUL-terminated), or 0 when it did not fit
 * or is not closed. */
size_t dj_finish(struct dj *j);

#endif
