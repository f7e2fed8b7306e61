/* Strict JSON parser: see json_parse.h. Recursive descent, depth-bounded. */
#include "json_parse.h"

#include "hex_digit.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct parser {
    const char *p;
    const char *end;
    const char *line_start;
    unsigned line;
    char *err;
    size_t errcap;
    bool failed;
    size_t values; /* values made so far (JSON_MAX_VALUES) */
};

#if defined(__GNUC__)
static void fail_at(struct parser *ps, const char *at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#endif

static void fail_at(struct parser *ps, const char *at, const char *fmt, ...)
{
    if (ps->failed)
        return;
    ps->failed = true;
    unsigned col = (unsigned)(at - ps->line_start) + 1u;
    int k = snprintf(ps->err, ps->errcap, "line %u, column %u: ", ps->line, col);
    if (k < 0 || (size_t)k >= ps->errcap)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ps->err + k, ps->errcap - (size_t)k, fmt, ap);
    va_end(ap);
}

static void skip_ws(struct parser *ps)
{
    while (ps->p < ps->end) {
        char c = *ps->p;
        if (c == '\n') {
            ps->line++;
            ps->line_start = ps->p + 1;
        } else if (c != ' ' && c != '\t' && c != '\r') {
            return;
        }
        ps->p++;
    }
}

static struct json_value *new_value(struct parser *ps, enum json_kind kind)
{
    if (++ps->values > JSON_MAX_VALUES) {
        fail_at(ps, ps->p, "more than %u values (the limit of JSON input)", JSON_MAX_VALUES);
        return NULL;
    }
    struct json_value *v = calloc(1, sizeof *v);
    if (!v) {
        fail_at(ps, ps->p, "out of memory");
        return NULL;
    }
    v->kind = kind;
    v->line = ps->line;
    v->col = (unsigned)(ps->p - ps->line_start) + 1u;
    return v;
}

/* Growable byte buffer for strings. */
struct sbuf {
    char *b;
    size_t n, cap;
};

static bool sbuf_put(struct sbuf *s, const char *p, size_t n)
{
    if (s->n + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 32;
        while (cap < s->n + n + 1)
            cap *= 2;
        char *nb = realloc(s->b, cap);
        if (!nb)
            return false;
        s->b = nb;
        s->cap = cap;
    }
    memcpy(s->b + s->n, p, n);
    s->n += n;
    s->b[s->n] = '\0';
    return true;
}

static int hex4(const char *p)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        int d = hex_digit_value(p[i]);
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

static size_t utf8_encode(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Length of a well-formed UTF-8 sequence at p (RFC 3629), 0 if invalid. */
static size_t utf8_valid(const unsigned char *p, const unsigned char *end)
{
    unsigned char c = p[0];
    size_t n;
    uint32_t cp, min;
    if (c < 0x80)
        return 1;
    if ((c & 0xE0) == 0xC0) {
        n = 2, cp = c & 0x1Fu, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3, cp = c & 0x0Fu, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4, cp = c & 0x07u, min = 0x10000;
    } else {
        return 0;
    }
    if ((size_t)(end - p) < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

/* At the opening quote. Decodes into *s; returns false on error. */
static bool parse_string_raw(struct parser *ps, struct sbuf *s)
{
    ps->p++; /* opening quote */
    for (;;) {
        if (ps->p >= ps->end) {
            fail_at(ps, ps->p, "unterminated string");
            return false;
        }
        unsigned char c = (unsigned char)*ps->p;
        if (c == '"') {
            ps->p++;
            if (!s->b && !sbuf_put(s, "", 0)) {
                fail_at(ps, ps->p, "out of memory");
                return false;
            }
            return true;
        }
        if (c < 0x20) {
            fail_at(ps, ps->p, "control character 0x%02x in string (escape it)", c);
            return false;
        }
        if (c == '\\') {
            if (ps->end - ps->p < 2) {
                fail_at(ps, ps->p, "unterminated escape");
                return false;
            }
            char e = ps->p[1];
            char out[4];
            size_t n = 1;
            switch (e) {
            case '"': out[0] = '"'; break;
            case '\\': out[0] = '\\'; break;
            case '/': out[0] = '/'; break;
            case 'b': out[0] = '\b'; break;
            case 'f': out[0] = '\f'; break;
            case 'n': out[0] = '\n'; break;
            case 'r': out[0] = '\r'; break;
            case 't': out[0] = '\t'; break;
            case 'u': {
                int hi = ps->end - ps->p >= 6 ? hex4(ps->p + 2) : -1;
                if (hi < 0) {
                    fail_at(ps, ps->p, "bad \\u escape (4 hex digits expected)");
                    return false;
                }
                uint32_t cp = (uint32_t)hi;
                if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    fail_at(ps, ps->p, "unpaired low surrogate \\u%04x", hi);
                    return false;
                }
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    int lo = (ps->end - ps->p >= 12 && ps->p[6] == '\\' && ps->p[7] == 'u') ? hex4(ps->p + 8) : -1;
                    if (lo < 0xDC00 || lo > 0xDFFF) {
                        fail_at(ps, ps->p, "unpaired high surrogate \\u%04x", hi);
                        return false;
                    }
                    cp = 0x10000u + ((cp - 0xD800u) << 10) + ((uint32_t)lo - 0xDC00u);
                    ps->p += 6;
                }
                n = utf8_encode(cp, out);
                ps->p += 4;
                break;
            }
            default:
                fail_at(ps, ps->p, "invalid escape \\%c", e);
                return false;
            }
            ps->p += 2;
            if (!sbuf_put(s, out, n)) {
                fail_at(ps, ps->p, "out of memory");
                return false;
            }
            continue;
        }
        size_t n = utf8_valid((const unsigned char *)ps->p, (const unsigned char *)ps->end);
        if (n == 0) {
            fail_at(ps, ps->p, "invalid UTF-8 byte 0x%02x in string", c);
            return false;
        }
        /* Copy the run of plain bytes at once. */
        const char *run = ps->p;
        ps->p += n;
        while (ps->p < ps->end) {
            unsigned char d = (unsigned char)*ps->p;
            if (d == '"' || d == '\\' || d < 0x20)
                break;
            size_t m = utf8_valid((const unsigned char *)ps->p, (const unsigned char *)ps->end);
            if (m == 0)
                break;
            ps->p += m;
        }
        if (!sbuf_put(s, run, (size_t)(ps->p - run))) {
            fail_at(ps, ps->p, "out of memory");
            return false;
        }
    }
}

static struct json_value *parse_value(struct parser *ps, unsigned depth);

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static struct json_value *parse_number(struct parser *ps)
{
    const char *start = ps->p;
    struct json_value *v = new_value(ps, JSON_NUMBER);
    if (!v)
        return NULL;
    v->integer = true;
    if (ps->p < ps->end && *ps->p == '-')
        ps->p++;
    if (ps->p >= ps->end || !is_digit(*ps->p)) {
        fail_at(ps, ps->p, "digit expected");
        goto bad;
    }
    if (*ps->p == '0' && ps->end - ps->p > 1 && is_digit(ps->p[1])) {
        fail_at(ps, ps->p, "leading zero in number");
        goto bad;
    }
    while (ps->p < ps->end && is_digit(*ps->p))
        ps->p++;
    if (ps->p < ps->end && *ps->p == '.') {
        v->integer = false;
        ps->p++;
        if (ps->p >= ps->end || !is_digit(*ps->p)) {
            fail_at(ps, ps->p, "digit expected after '.'");
            goto bad;
        }
        while (ps->p < ps->end && is_digit(*ps->p))
            ps->p++;
    }
    if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
        v->integer = false;
        ps->p++;
        if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
            ps->p++;
        if (ps->p >= ps->end || !is_digit(*ps->p)) {
            fail_at(ps, ps->p, "digit expected in exponent");
            goto bad;
        }
        while (ps->p < ps->end && is_digit(*ps->p))
            ps->p++;
    }
    v->len = (size_t)(ps->p - start);
    v->str = malloc(v->len + 1);
    if (!v->str) {
        fail_at(ps, ps->p, "out of memory");
        goto bad;
    }
    memcpy(v->str, start, v->len);
    v->str[v->len] = '\0';
    return v;
bad:
    json_free(v);
    return NULL;
}

static bool literal(struct parser *ps, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
        return false;
    ps->p += n;
    return true;
}

static bool push_item(struct json_value *v, struct json_value *item, char *key)
{
    if ((v->n & (v->n - 1)) == 0) { /* grow at powers of two */
        size_t cap = v->n ? v->n * 2 : 4;
        struct json_value **ni = realloc(v->items, cap * sizeof *ni);
        if (!ni)
            return false;
        v->items = ni;
        if (v->kind == JSON_OBJECT) {
            char **nk = realloc(v->keys, cap * sizeof *nk);
            if (!nk)
                return false;
            v->keys = nk;
        }
    }
    v->items[v->n] = item;
    if (v->kind == JSON_OBJECT)
        v->keys[v->n] = key;
    v->n++;
    return true;
}

static struct json_value *parse_container(struct parser *ps, unsigned depth, bool object)
{
    struct json_value *v = new_value(ps, object ? JSON_OBJECT : JSON_ARRAY);
    if (!v)
        return NULL;
    char close = object ? '}' : ']';
    ps->p++;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        return v;
    }
    for (;;) {
        char *key = NULL;
        skip_ws(ps);
        if (object) {
            if (ps->p >= ps->end || *ps->p != '"') {
                fail_at(ps, ps->p, "string key expected");
                goto bad;
            }
            const char *kpos = ps->p;
            struct sbuf s = {0};
            if (!parse_string_raw(ps, &s)) {
                free(s.b);
                goto bad;
            }
            if (memchr(s.b, '\0', s.n)) {
                fail_at(ps, kpos, "NUL character in object key");
                free(s.b);
                goto bad;
            }
            for (size_t i = 0; i < v->n; i++) {
                if (strcmp(v->keys[i], s.b) == 0) {
                    fail_at(ps, kpos, "duplicate key \"%s\"", s.b);
                    free(s.b);
                    goto bad;
                }
            }
            key = s.b;
            skip_ws(ps);
            if (ps->p >= ps->end || *ps->p != ':') {
                fail_at(ps, ps->p, "':' expected");
                free(key);
                goto bad;
            }
            ps->p++;
        }
        struct json_value *item = parse_value(ps, depth + 1);
        if (!item) {
            free(key);
            goto bad;
        }
        if (!push_item(v, item, key)) {
            fail_at(ps, ps->p, "out of memory");
            json_free(item);
            free(key);
            goto bad;
        }
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            continue;
        }
        if (ps->p < ps->end && *ps->p == close) {
            ps->p++;
            return v;
        }
        fail_at(ps, ps->p, "',' or '%c' expected", close);
        goto bad;
    }
bad:
    json_free(v);
    return NULL;
}

static struct json_value *parse_value(struct parser *ps, unsigned depth)
{
    skip_ws(ps);
    if (depth > JSON_MAX_DEPTH) {
        fail_at(ps, ps->p, "nesting deeper than %d", JSON_MAX_DEPTH);
        return NULL;
    }
    if (ps->p >= ps->end) {
        fail_at(ps, ps->p, "value expected, input ends");
        return NULL;
    }
    char c = *ps->p;
    struct json_value *v;
    switch (c) {
    case '{': return parse_container(ps, depth, true);
    case '[': return parse_container(ps, depth, false);
    case '"': {
        v = new_value(ps, JSON_STRING);
        if (!v)
            return NULL;
        struct sbuf s = {0};
        if (!parse_string_raw(ps, &s)) {
            free(s.b);
            json_free(v);
            return NULL;
        }
        v->str = s.b;
        v->len = s.n;
        return v;
    }
    case 't':
    case 'f':
    case 'n':
        v = new_value(ps, c == 'n' ? JSON_NULL : JSON_BOOL);
        if (!v)
            return NULL;
        if (literal(ps, "true")) {
            v->boolean = true;
        } else if (literal(ps, "false")) {
            v->boolean = false;
        } else if (!literal(ps, "null")) {
            fail_at(ps, ps->p, "invalid literal");
            json_free(v);
            return NULL;
        }
        return v;
    default:
        if (c == '-' || is_digit(c))
            return parse_number(ps);
        if ((unsigned char)c >= 0x20 && (unsigned char)c < 0x7F)
            fail_at(ps, ps->p, "unexpected character '%c'", c);
        else
            fail_at(ps, ps->p, "unexpected byte 0x%02x", (unsigned char)c);
        return NULL;
    }
}

int json_parse(const char *text, size_t len, struct json_value **out, char *err, size_t errcap)
{
    char dummy[1];
    struct parser ps = {text, text + len, text, 1, err ? err : dummy, err ? errcap : sizeof dummy, false, 0};
    *out = NULL;
    struct json_value *v = parse_value(&ps, 1);
    if (!v)
        return -1;
    skip_ws(&ps);
    if (ps.p != ps.end) {
        fail_at(&ps, ps.p, "unexpected data after the JSON value");
        json_free(v);
        return -1;
    }
    *out = v;
    return 0;
}

void json_free(struct json_value *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->n; i++) {
        json_free(v->items[i]);
        if (v->keys)
            free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->str);
    free(v);
}

const struct json_value *json_get(const struct json_value *v, const char *key)
{
    if (!v || v->kind != JSON_OBJECT)
        return NULL;
    for (size_t i = 0; i < v->n; i++)
        if (strcmp(v->keys[i], key) == 0)
            return v->items[i];
    return NULL;
}

int json_i64(const struct json_value *v, int64_t *out)
{
    if (!v || v->kind != JSON_NUMBER || !v->integer)
        return -1;
    errno = 0;
    char *end;
    long long x = strtoll(v->str, &end, 10);
    if (errno != 0 || *end != '\0')
        return -1;
    *out = (int64_t)x;
    return 0;
}

int json_u64(const struct json_value *v, uint64_t *out)
{
    if (!v || v->kind != JSON_NUMBER || !v->integer || v->str[0] == '-')
        return -1;
    errno = 0;
    char *end;
    unsigned long long x = strtoull(v->str, &end, 10);
    if (errno != 0 || *end != '\0')
        return -1;
    *out = (uint64_t)x;
    return 0;
}

int json_double(const struct json_value *v, double *out)
{
    if (!v || v->kind != JSON_NUMBER)
        return -1;
    *out = strtod(v->str, NULL);
    return 0;
}

const char *json_kind_name(enum json_kind k)
{
    switch (k) {
    case JSON_NULL: return "null";
    case JSON_BOOL: return "boolean";
    case JSON_NUMBER: return "number";
    case JSON_STRING: return "string";
    case JSON_ARRAY: return "array";
    case JSON_OBJECT: return "object";
    }
    return "?";
}
