/* rscp-bridge: the HTTP/1.x request-head parser (see http_parse.h). One
 * state per place in the grammar; every byte is looked at once. */
#include "http_parse.h"

#include <string.h>

enum state {
    S_START,    /* before the request line: empty lines are skipped    */
    S_START_LF, /* a CR there, an LF must follow                       */
    S_METHOD,
    S_PATH,
    S_QUERY,
    S_VERSION,  /* after the second SP, up to the line end             */
    S_RL_LF,    /* a CR after the version                              */
    S_LINE,     /* start of a header line or of the final empty line   */
    S_NAME,
    S_OWS,      /* after the colon, before the value                    */
    S_VALUE,
    S_VALUE_LF, /* a CR in a header line                               */
    S_END_LF,   /* a CR on the final empty line                        */
    S_DONE,
    S_ERROR
};

static int fail(struct bridge_http_parser *p, int status, const char *reason)
{
    p->state = S_ERROR;
    p->status = status;
    p->reason = reason;
    p->error_off = p->pos;
    return BRIDGE_HTTP_ERROR;
}

/* tchar of RFC 9110 5.6.2 */
static bool is_tchar(unsigned char c)
{
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return true;
    return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* pchar of RFC 3986 without the '%' (handled apart): unreserved, sub-delims,
 * ':' and '@'; '/' for the path's segments. */
static bool is_pchar(unsigned char c)
{
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return true;
    return c != '\0' && strchr("-._~!$&'()*+,;=:@/", c) != NULL;
}

static bool is_hex(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* field-content bytes: VCHAR, obs-text, SP and HTAB */
static bool is_field_byte(unsigned char c)
{
    return c == ' ' || c == '\t' || (c >= 0x21 && c != 0x7f);
}

static bool name_is(const char *buf, const struct bridge_http_parser *p, const char *want)
{
    size_t n = strlen(want);
    if (p->name_len != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = buf[p->name_off + i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != want[i])
            return false;
    }
    return true;
}

/* A complete header line buf[line_off..): the headers the server acts on. */
static int header_done(struct bridge_http_parser *p, const char *buf)
{
    if (++p->headers > BRIDGE_HTTP_MAX_HEADERS)
        return fail(p, 431, "more header lines than the limit");
    const char *v = buf + p->value_off;
    size_t vn = p->value_end > p->value_off ? p->value_end - p->value_off : 0;
    if (name_is(buf, p, "host")) {
        if (p->host_seen)
            return fail(p, 400, "more than one Host header");
        p->host_seen = true;
    } else if (name_is(buf, p, "content-length")) {
        if (vn == 0)
            return fail(p, 400, "empty Content-Length");
        for (size_t i = 0; i < vn; i++)
            if (v[i] < '0' || v[i] > '9')
                return fail(p, 400, "Content-Length is not a number");
        for (size_t i = 0; i < vn; i++)
            if (v[i] != '0')
                return fail(p, 413, "a request body (this server accepts none)");
    } else if (name_is(buf, p, "transfer-encoding")) {
        return fail(p, 413, "a request body (Transfer-Encoding; this server accepts none)");
    }
    return BRIDGE_HTTP_MORE;
}

static int version_done(struct bridge_http_parser *p, const char *buf)
{
    const char *v = buf + p->line_off;
    size_t n = p->pos - p->line_off;
    if (n != 8 || memcmp(v, "HTTP/", 5) != 0 || v[6] != '.' || v[5] < '0' || v[5] > '9' || v[7] < '0' ||
        v[7] > '9')
        return fail(p, 400, "the request line does not end in HTTP/1.x");
    if (v[5] != '1')
        return fail(p, 505, "an HTTP version other than 1.x");
    p->version_minor = v[7] - '0';
    return BRIDGE_HTTP_MORE;
}

static int head_done(struct bridge_http_parser *p)
{
    if (p->version_minor >= 1 && !p->host_seen)
        return fail(p, 400, "an HTTP/1.1 request without Host");
    p->head_len = p->pos + 1;
    p->pos++;
    p->state = S_DONE;
    return BRIDGE_HTTP_DONE;
}

/* One byte at p->pos; returns MORE, DONE or ERROR. */
static int step(struct bridge_http_parser *p, const char *buf, unsigned char c)
{
    switch (p->state) {
    case S_START:
        if (c == '\r') {
            p->state = S_START_LF;
            return BRIDGE_HTTP_MORE;
        }
        if (c == '\n')
            return BRIDGE_HTTP_MORE;
        if (!is_tchar(c))
            return fail(p, 400, "the request line does not start with a method");
        p->method_off = p->pos;
        p->state = S_METHOD;
        return BRIDGE_HTTP_MORE;
    case S_START_LF:
        if (c != '\n')
            return fail(p, 400, "a CR not followed by LF");
        p->state = S_START;
        return BRIDGE_HTTP_MORE;
    case S_METHOD:
        if (is_tchar(c))
            return BRIDGE_HTTP_MORE;
        if (c != ' ')
            return fail(p, 400, "a method that is not a token followed by one space");
        p->method_len = p->pos - p->method_off;
        p->method = BRIDGE_HTTP_OTHER;
        if (p->method_len == 3 && memcmp(buf + p->method_off, "GET", 3) == 0)
            p->method = BRIDGE_HTTP_GET;
        else if (p->method_len == 4 && memcmp(buf + p->method_off, "HEAD", 4) == 0)
            p->method = BRIDGE_HTTP_HEAD;
        p->path_off = p->pos + 1;
        p->state = S_PATH;
        return BRIDGE_HTTP_MORE;
    case S_PATH:
    case S_QUERY:
        if (p->pos == p->path_off && c != '/')
            return fail(p, 400, "a request target that is not an absolute path (origin-form)");
        if (p->pct > 0) {
            if (!is_hex(c))
                return fail(p, 400, "a '%' in the request target not followed by two hex digits");
            p->pct--;
            return BRIDGE_HTTP_MORE;
        }
        if (c == '%') {
            p->pct = 2;
            return BRIDGE_HTTP_MORE;
        }
        if (c == '?' && p->state == S_PATH) {
            p->path_len = p->pos - p->path_off;
            p->query_off = p->pos + 1;
            p->has_query = true;
            p->state = S_QUERY;
            return BRIDGE_HTTP_MORE;
        }
        if (is_pchar(c) || c == '?')
            return BRIDGE_HTTP_MORE;
        if (c != ' ')
            return fail(p, 400, "a character not allowed in the request target");
        if (p->state == S_PATH)
            p->path_len = p->pos - p->path_off;
        else
            p->query_len = p->pos - p->query_off;
        p->line_off = p->pos + 1; /* the version starts here */
        p->state = S_VERSION;
        return BRIDGE_HTTP_MORE;
    case S_VERSION:
        if (c == '\r' || c == '\n') {
            if (version_done(p, buf) != BRIDGE_HTTP_MORE)
                return BRIDGE_HTTP_ERROR;
            p->state = c == '\r' ? S_RL_LF : S_LINE;
            return BRIDGE_HTTP_MORE;
        }
        {
            /* "HTTP/" DIGIT "." DIGIT, checked as it comes */
            size_t i = p->pos - p->line_off;
            bool ok = i < 8 && ((i == 5 || i == 7) ? (c >= '0' && c <= '9') : c == (unsigned char)"HTTP/1.1"[i]);
            if (!ok)
                return fail(p, 400, "the request line does not end in HTTP/1.x");
        }
        return BRIDGE_HTTP_MORE;
    case S_RL_LF:
    case S_VALUE_LF:
    case S_END_LF:
        if (c != '\n')
            return fail(p, 400, "a CR not followed by LF");
        if (p->state == S_END_LF)
            return head_done(p);
        if (p->state == S_VALUE_LF && header_done(p, buf) != BRIDGE_HTTP_MORE)
            return BRIDGE_HTTP_ERROR;
        p->state = S_LINE;
        return BRIDGE_HTTP_MORE;
    case S_LINE:
        if (c == '\r') {
            p->state = S_END_LF;
            return BRIDGE_HTTP_MORE;
        }
        if (c == '\n')
            return head_done(p);
        if (c == ' ' || c == '\t')
            return fail(p, 400, "a header line starting with white space (obs-fold)");
        if (!is_tchar(c))
            return fail(p, 400, "a header name that is not a token");
        p->line_off = p->name_off = p->pos;
        p->state = S_NAME;
        return BRIDGE_HTTP_MORE;
    case S_NAME:
        if (is_tchar(c))
            return BRIDGE_HTTP_MORE;
        if (c != ':')
            return fail(p, 400, c == ' ' || c == '\t' ? "white space between a header name and its colon"
                                                      : "a header line without a colon after a token name");
        p->name_len = p->pos - p->name_off;
        p->value_off = p->value_end = p->pos + 1;
        p->state = S_OWS;
        return BRIDGE_HTTP_MORE;
    case S_OWS:
    case S_VALUE:
        if (c == '\r' || c == '\n') {
            if (c == '\r') {
                p->state = S_VALUE_LF;
                return BRIDGE_HTTP_MORE;
            }
            if (header_done(p, buf) != BRIDGE_HTTP_MORE)
                return BRIDGE_HTTP_ERROR;
            p->state = S_LINE;
            return BRIDGE_HTTP_MORE;
        }
        if (!is_field_byte(c))
            return fail(p, 400, "a control character in a header line");
        if (c == ' ' || c == '\t') {
            if (p->state == S_OWS)
                p->value_off = p->value_end = p->pos + 1;
            return BRIDGE_HTTP_MORE;
        }
        p->state = S_VALUE;
        p->value_end = p->pos + 1;
        return BRIDGE_HTTP_MORE;
    default:
        return fail(p, 400, "parser state");
    }
}

void bridge_http_parser_init(struct bridge_http_parser *p, size_t max_head)
{
    memset(p, 0, sizeof *p);
    p->state = S_START;
    p->max_head = max_head ? max_head : BRIDGE_HTTP_HEAD_MAX;
}

int bridge_http_parse(struct bridge_http_parser *p, const char *buf, size_t len)
{
    if (p->state == S_DONE)
        return BRIDGE_HTTP_DONE;
    if (p->state == S_ERROR)
        return BRIDGE_HTTP_ERROR;
    size_t end = len < p->max_head ? len : p->max_head;
    while (p->pos < end) {
        int rc = step(p, buf, (unsigned char)buf[p->pos]);
        if (rc != BRIDGE_HTTP_MORE)
            return rc;
        p->pos++;
    }
    if (p->pos >= p->max_head) {
        bool line = p->state <= S_RL_LF;
        return fail(p, line ? 414 : 431,
                    line ? "a request line longer than the head limit" : "a request head longer than the limit");
    }
    return BRIDGE_HTTP_MORE;
}

const char *bridge_http_status_text(int status)
{
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "";
    }
}
