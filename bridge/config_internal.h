/* rscp-bridge configuration: the value readers and the checks shared by the
 * two file forms (config_parse.c, config_r2m.c). Internal header. */
#ifndef RSCP_BRIDGE_CONFIG_INTERNAL_H
#define RSCP_BRIDGE_CONFIG_INTERNAL_H

#include "config.h"

/* One line of a file: text[0..len), its number, and the file's name. */
struct cfg_line {
    const char *file;
    unsigned no;
    const char *text;
    size_t len;
};

/* Split text into lines: calls fn(ctx, line) for each ('\n' or "\r\n"
 * ends a line; a NUL byte is an error of that line). Returns 0, or the
 * first non-zero return of fn, or -1 with a message for a NUL byte. */
int cfg_lines(const char *text, size_t len, const char *file, int (*fn)(void *ctx, const struct cfg_line *l),
              void *ctx, char *err, size_t errcap);

/* Blanks (space, tab) off both ends. */
void cfg_trim(const char **s, size_t *n);

/* "FILE:LINE: " + the message into err. Returns -1. */
int cfg_fail(char *err, size_t errcap, const struct cfg_line *l, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The readers: each takes the value as written (trimmed, quotes removed),
 * stores it and returns 0, or returns -1 with a message naming the key and
 * what was wrong (quoting the value only when it is no secret). */
int cfg_string(char **dst, const char *v, size_t n, const struct cfg_line *l, const char *key, bool secret,
               char *err, size_t errcap);
int cfg_uint(unsigned *dst, const char *v, size_t n, unsigned min, unsigned max, const struct cfg_line *l,
             const char *key, char *err, size_t errcap);
int cfg_port(uint16_t *dst, const char *v, size_t n, const struct cfg_line *l, const char *key, char *err,
             size_t errcap);
int cfg_bool(bool *dst, const char *v, size_t n, const struct cfg_line *l, const char *key, char *err,
             size_t errcap);
/* A topic prefix: 1..128 bytes, no '+', '#', NUL, no '/' at either end,
 * no empty level. */
int cfg_prefix(char **dst, const char *v, size_t n, const struct cfg_line *l, const char *key, char *err,
               size_t errcap);
/* HOST:PORT, [IPv6]:PORT, or :PORT (host 127.0.0.1). */
int cfg_listen(char **host, uint16_t *port, const char *v, size_t n, const struct cfg_line *l, const char *key,
               char *err, size_t errcap);
/* Comma-separated group names, or "all". */
int cfg_groups(uint32_t *dst, const char *v, size_t n, const struct cfg_line *l, const char *key, char *err,
               size_t errcap);

/* Defaults of every section (the sites array empty). */
void cfg_defaults(struct bridge_config *c);
void cfg_site_defaults(struct bridge_site *s);

/* A new site at the end of c->sites (defaults set, name copied, which the
 * caller has checked). NULL when out of memory or at BRIDGE_MAX_SITES. */
struct bridge_site *cfg_add_site(struct bridge_config *c, const char *name, size_t n);

/* Whether name[0..n) is a valid site name. */
bool cfg_site_name_ok(const char *name, size_t n);

/* The checks after the whole file: required keys, secrets given once,
 * something to publish to. Returns 0 or -1 with a message. */
int cfg_finish(struct bridge_config *c, const char *file, char *err, size_t errcap);

#endif
