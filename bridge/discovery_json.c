/* rscp-bridge: the small JSON builder of the discovery configs. */
#include "discovery_internal.h"

#include <math.h>
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

static void quoted(struct dj *j, const char *s)
{
    put(j, "\"", 1);
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        const unsigned char *run = p; /* bytes that go out as they are */
        while (*p && *p != '"' && *p != '\\' && *p >= 0x20 && *p != 0x7f)
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
