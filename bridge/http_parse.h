/* rscp-bridge: the HTTP/1.x request-head parser of the metrics endpoint.
 * Pure: bytes in, offsets and a verdict out (no socket, clock or global).
 *
 * Incremental: the caller keeps every byte of the head in one buffer and
 * calls bridge_http_parse() again whenever more bytes have arrived; each
 * byte is looked at once, so a head sent one byte at a time costs no more
 * than one sent whole.
 *
 * Strict where it matters (RFC 9112):
 *   request line   METHOD SP origin-form SP HTTP/1.DIGIT, single spaces;
 *                  METHOD a token (case-sensitive), the target "/" path
 *                  ["?" query] of RFC 3986 characters with valid %HH;
 *                  HTTP/<other major>.x gets 505, anything else 400.
 *   header lines   NAME ":" OWS VALUE OWS, NAME a token (no space before
 *                  the colon); values are not interpreted except
 *                  Host (HTTP/1.1 needs exactly one), Content-Length and
 *                  Transfer-Encoding (any request body gets 413).
 *   refused (400)  NUL and other control characters (except HTAB in
 *                  values), DEL, obs-fold (a line starting with SP/HTAB),
 *                  a CR not followed by LF.
 *   tolerated      bare LF line ends, empty lines before the request line,
 *                  any header it does not interpret, obs-text in values.
 * Limits: the whole head (request line, headers, final empty line) within
 * max_head bytes (default BRIDGE_HTTP_HEAD_MAX), else 414 when the request
 * line is not complete by then and 431 otherwise; at most
 * BRIDGE_HTTP_MAX_HEADERS header lines (431). Bytes after the head (a body
 * or pipelined requests) are never looked at. */
#ifndef RSCP_BRIDGE_HTTP_PARSE_H
#define RSCP_BRIDGE_HTTP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BRIDGE_HTTP_HEAD_MAX 8192u  /* default limit of a request head, bytes */
#define BRIDGE_HTTP_MAX_HEADERS 100u /* header lines in one head             */

enum bridge_http_method {
    BRIDGE_HTTP_OTHER = 0, /* a valid token that is neither: 405 */
    BRIDGE_HTTP_GET = 1,
    BRIDGE_HTTP_HEAD = 2
};

/* bridge_http_parse() results. */
enum bridge_http_verdict {
    BRIDGE_HTTP_ERROR = -1, /* malformed or beyond a limit: see status/reason */
    BRIDGE_HTTP_MORE = 0,   /* valid so far, the head is not complete          */
    BRIDGE_HTTP_DONE = 1    /* a complete, valid head of head_len bytes        */
};

/* Parser state and results. Fields marked "out" are read by the caller;
 * the others are the parser's own. Plain struct, no allocation: initialise
 * with bridge_http_parser_init(), nothing to free. */
struct bridge_http_parser {
    /* out, valid after BRIDGE_HTTP_DONE: offsets into the caller's buffer */
    int method;                        /* enum bridge_http_method           */
    size_t method_off, method_len;
    size_t path_off, path_len;         /* from the '/', up to '?' or SP     */
    size_t query_off, query_len;       /* after the '?'; len 0: none/empty  */
    bool has_query;                    /* a '?' was present                 */
    int version_minor;                 /* the x of HTTP/1.x (0..9)          */
    size_t head_len;                   /* bytes of the head with its end    */
    /* out, valid after BRIDGE_HTTP_ERROR */
    int status;                        /* 400, 413, 414, 431 or 505         */
    const char *reason;                /* static text: what was wrong       */
    size_t error_off;                  /* offset of the offending byte      */
    /* the parser's own */
    int state;
    size_t pos, max_head, line_off, name_off, name_len, value_off, value_end;
    unsigned headers, pct;
    bool host_seen;
};

/* Start a parse of a new head, at most max_head bytes (0: the default
 * BRIDGE_HTTP_HEAD_MAX). */
void bridge_http_parser_init(struct bridge_http_parser *p, size_t max_head);

/* Look at buf[p->pos .. len): buf[0 .. p->pos) must hold the same bytes as
 * in the earlier calls of this parse (the caller appends to one buffer).
 * Returns BRIDGE_HTTP_DONE, BRIDGE_HTTP_MORE or BRIDGE_HTTP_ERROR; both
 * DONE and ERROR are final (later calls return them again without looking
 * at buf). MORE with len >= max_head cannot happen: the limit is an ERROR.
 * buf may be NULL when len is 0. */
int bridge_http_parse(struct bridge_http_parser *p, const char *buf, size_t len);

/* The reason phrase of an HTTP status ("Not Found"), "" for one it does not
 * know. Static strings. */
const char *bridge_http_status_text(int status);

#endif
