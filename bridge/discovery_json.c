/* rscp-bridge: the small JSON builder of the discovery configs. */
#include "discovery_internal.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "rscp/dump.h"

void dj_init(struct dj *j, char *buf, size_t cap)
{
    memset(j, 0, sizeof *j);
    j->buf = buf;
    j->cap = cap;
    j->bad = cap == 0;
    if (cap > 0)
        buf[0] = '\0';
}

static void put(struct dj *j, const char *s, size_t n)
{
    if (j->bad)
        return;
    if (n >= j->cap - j->len) { /* keep room for the NUL */
        j->bad = true;
        return;
    }
    memcpy(j->buf + j->len, s, n);
    j->len += n;
    j->buf[j->len] = '\0';
}

/* A byte JSON takes as it is inside a string. */
static bool plain(unsigned char c) { return c >= 0x20 && c != '"' && c != '\\' && c != 0x7f; }

#define BYTES(b) (0x0101010101010101ull * (uint64_t)(b))

/* Whether one of the eight bytes of x is 0 (exact as a yes/no answer). */
static uint64_t any_zero(uint64_t x) { return (x - BYTES(1)) & ~x & BYTES(0x80); }

/* The length of the plain bytes s[0..n) starts with: eight at a time
 * (the key of every value of the JSON state is a topic, the state of a
 * thousand sites is megabytes a second), the rest one by one. */
static size_t plain_prefix(const char *s, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        uint64_t control = (x - BYTES(0x20)) & ~x & BYTES(0x80); /* a byte < 0x20 */
        if (control | any_zero(x ^ BYTES('"')) | any_zero(x ^ BYTES('\\')) | any_zero(x ^ BYTES(0x7f)))
            break;
    }
    while (i < n && plain((unsigned char)s[i]))
        i++;
    return i;
}

static void quoted(struct dj *j, const char *s)
{
    /* Most strings (every topic) need no escape: copied whole. */
    size_t n = strlen(s);
    if (plain_prefix(s, n) == n) {
        put(j, "\"", 1);
        put(j, s, n);
        put(j, "\"", 1);
        return;
    }
    put(j, "\"", 1);
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        const unsigned char *run = p; /* bytes that go out as they are */
        while (plain(*p))
            p++;
        if (p > run)
            put(j, (const char *)run, (size_t)(p - run));
        if (!*p)
            break;
        char esc[8];
        if (*p == '"' || *p == '\\') {
            esc[0] = '\\';
            esc[1] = (char)*p;
            put(j, esc, 2);
        } else {
            snprintf(esc, sizeof esc, "\\u%04x", (unsigned)*p);
            put(j, esc, 6);
        }
        p++;
    }
    put(j, "\"", 1);
}

/* The comma and the key before a value at the current level. */
static void member(struct dj *j, const char *key)
{
    if (j->more[j->depth])
        put(j, ",", 1);
    j->more[j->depth] = true;
    if (key) {
        quoted(j, key);
        put(j, ":", 1);
    }
}

void dj_open(struct dj *j, const char *key, char brace)
{
    if (j->depth >= DJ_DEPTH) {
        j->bad = true;
        return;
    }
    member(j, key);
    put(j, brace == '[' ? "[" : "{", 1);
    j->more[++j->depth] = false;
}

void dj_close(struct dj *j, char brace)
{
    if (j->depth == 0) {
        j->bad = true;
        return;
    }
    put(j, brace == '[' ? "]" : "}", 1);
    j->depth--;
}

void dj_str(struct dj *j, const char *key, const char *v)
{
    member(j, key);
    quoted(j, v ? v : "");
}

void dj_num(struct dj *j, const char *key, double v)
{
    char num[RSCP_NUMBER_BUF];
    if (!isfinite(v) || !rscp_format_double64(v, num)) {
        j->bad = true;
        return;
    }
    member(j, key);
    put(j, num, strlen(num));
}

void dj_members(struct dj *j, const char *text, size_t n)
{
    if (n == 0)
        return;
    member(j, NULL);
    put(j, text, n);
}

void dj_raw(struct dj *j, const char *key, const char *json, size_t n)
{
    member(j, key);
    put(j, json, n);
}

void dj_bool(struct dj *j, const char *key, bool v)
{
    member(j, key);
    put(j, v ? "true" : "false", v ? 4 : 5);
}

size_t dj_finish(struct dj *j)
{
    return j->bad || j->depth != 0 ? 0 : j->len;
}
