/* Shared pieces of the dump tests (test_dump_*.c): dumps of hex input into
 * one output buffer, a string comparison that shows both sides, and a tiny
 * JSON reader that checks that every output is valid JSON and decodes
 * strings, so that escaping is verified against the documented rule.
 * Header-only (static inline) so each test program stays one file. */
#ifndef RSCP_DUMP_TESTLIB_H
#define RSCP_DUMP_TESTLIB_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "rscp/rscp.h"

/* ---- dumps ---------------------------------------------------------------- */

/* The output of the last dump, NUL-terminated. */
#define DT_OUT_CAP 65536
static char dt_out[DT_OUT_CAP];

/* The JSON (json true) or text dump of the blocks given as hex, read from
 * the end of a guard page, in dt_out; rc in *rc. */
static inline const char *dt_dump_hex(const char *hex, bool json, unsigned flags, int *rc)
{
    size_t n;
    uint8_t *p = th_unhex(hex, &n);
    uint8_t *g = th_guard_copy(p, n);
    struct rscp_strbuf sb;
    rscp_strbuf_init(&sb, dt_out, sizeof dt_out);
    *rc = json ? rscp_json_blocks(g, n, flags, rscp_strbuf_sink, &sb)
               : rscp_dump_blocks(g, n, 0, flags, rscp_strbuf_sink, &sb);
    th_guard_free(g, n);
    free(p);
    return dt_out;
}

static inline const char *dt_json_hex(const char *hex, unsigned flags, int *rc)
{
    return dt_dump_hex(hex, true, flags, rc);
}

static inline const char *dt_text_hex(const char *hex, unsigned flags, int *rc)
{
    return dt_dump_hex(hex, false, flags, rc);
}

/* CHECK_STR(got, want): the strings are equal; prints both if not. */
static inline void dt_check_str(const char *got, const char *want, const char *file, int line)
{
    bool ok = strcmp(got, want) == 0;
    th_check(ok, file, line, "dump output");
    if (!ok)
        fprintf(stderr, "  got:  %s\n  want: %s\n", got, want);
}
#define CHECK_STR(got, want) dt_check_str((got), (want), __FILE__, __LINE__)

/* ---- a tiny JSON reader -------------------------------------------------- */

/* The input left to read; ok turns false at the first error. */
struct dt_json {
    const char *p, *end;
    bool ok;
};

static inline void dt_json_ws(struct dt_json *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t'))
        r->p++;
}

static inline bool dt_json_lit(struct dt_json *r, const char *s)
{
    size_t n = strlen(s);
    if ((size_t)(r->end - r->p) >= n && memcmp(r->p, s, n) == 0) {
        r->p += n;
        return true;
    }
    return false;
}

/* Decode one UTF-8 sequence strictly; returns its length or 0. */
static inline size_t dt_utf8_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    size_t len;
    uint32_t v, min;
    if ((p[0] & 0xE0) == 0xC0) {
        len = 2;
        v = p[0] & 0x1Fu;
        min = 0x80;
    } else if ((p[0] & 0xF0) == 0xE0) {
        len = 3;
        v = p[0] & 0x0Fu;
        min = 0x800;
    } else if ((p[0] & 0xF8) == 0xF0) {
        len = 4;
        v = p[0] & 0x07u;
        min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        v = v << 6 | (p[i] & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

/* A string literal; code points go to cps (if not NULL, up to *ncp). */
static inline void dt_json_string(struct dt_json *r, uint32_t *cps, size_t *ncp, size_t cap)
{
    size_t k = 0;
    if (!dt_json_lit(r, "\"")) {
        r->ok = false;
        return;
    }
    while (r->ok) {
        if (r->p >= r->end) {
            r->ok = false;
            break;
        }
        unsigned char c = (unsigned char)*r->p;
        uint32_t cp;
        if (c == '"') {
            r->p++;
            break;
        }
        if (c < 0x20) {
            r->ok = false;
            break;
        }
        if (c == '\\') {
            r->p++;
            if (r->p >= r->end) {
                r->ok = false;
                break;
            }
            char e = *r->p++;
            switch (e) {
            case '"': cp = '"'; break;
            case '\\': cp = '\\'; break;
            case '/': cp = '/'; break;
            case 'b': cp = 8; break;
            case 'f': cp = 12; break;
            case 'n': cp = 10; break;
            case 'r': cp = 13; break;
            case 't': cp = 9; break;
            case 'u': {
                if (r->end - r->p < 4) {
                    r->ok = false;
                    return;
                }
                cp = 0;
                for (int i = 0; i < 4; i++) {
                    int d = th_hexval((unsigned char)r->p[i]);
                    if (d < 0)
                        r->ok = false;
                    cp = cp << 4 | (uint32_t)(d < 0 ? 0 : d);
                }
                r->p += 4;
                if (cp >= 0xD800 && cp <= 0xDFFF)
                    r->ok = false; /* the dumps never need surrogate pairs */
                break;
            }
            default:
                r->ok = false;
                return;
            }
        } else {
            size_t len = dt_utf8_decode((const unsigned char *)r->p, (size_t)(r->end - r->p), &cp);
            if (len == 0) {
                r->ok = false;
                break;
            }
            r->p += len;
        }
        if (cps && k < cap)
            cps[k] = cp;
        k++;
    }
    if (ncp)
        *ncp = k;
}

/* A number as JSON's grammar has it. */
static inline void dt_json_number(struct dt_json *r)
{
    const char *s = r->p;
    if (r->p < r->end && *r->p == '-')
        r->p++;
    if (r->p < r->end && *r->p == '0') {
        r->p++;
    } else {
        if (r->p >= r->end || *r->p < '1' || *r->p > '9') {
            r->ok = false;
            return;
        }
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
            r->p++;
    }
    if (r->p < r->end && *r->p == '.') {
        r->p++;
        if (r->p >= r->end || *r->p < '0' || *r->p > '9')
            r->ok = false;
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
            r->p++;
    }
    if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
        r->p++;
        if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
            r->p++;
        if (r->p >= r->end || *r->p < '0' || *r->p > '9')
            r->ok = false;
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
            r->p++;
    }
    if (r->p == s)
        r->ok = false;
}

/* Any value, nested at most 64 deep. */
static inline void dt_json_value(struct dt_json *r, int depth)
{
    dt_json_ws(r);
    if (depth > 64 || r->p >= r->end) {
        r->ok = false;
        return;
    }
    char c = *r->p;
    if (c == '{' || c == '[') {
        char close = c == '{' ? '}' : ']';
        r->p++;
        dt_json_ws(r);
        if (r->p < r->end && *r->p == close) {
            r->p++;
            return;
        }
        while (r->ok) {
            if (c == '{') {
                dt_json_ws(r);
                dt_json_string(r, NULL, NULL, 0);
                dt_json_ws(r);
                if (!dt_json_lit(r, ":"))
                    r->ok = false;
            }
            dt_json_value(r, depth + 1);
            dt_json_ws(r);
            if (dt_json_lit(r, ","))
                continue;
            if (r->p < r->end && *r->p == close) {
                r->p++;
                return;
            }
            r->ok = false;
        }
        return;
    }
    if (c == '"') {
        dt_json_string(r, NULL, NULL, 0);
        return;
    }
    if (dt_json_lit(r, "true") || dt_json_lit(r, "false") || dt_json_lit(r, "null"))
        return;
    dt_json_number(r);
}

/* s is one JSON value and nothing else (but white space). */
static inline bool dt_json_valid(const char *s)
{
    struct dt_json r = {s, s + strlen(s), true};
    dt_json_value(&r, 0);
    dt_json_ws(&r);
    return r.ok && r.p == r.end;
}

/* Text after `"value":` in a one-block JSON dump, up to the closing "}]". */
static inline bool dt_value_of(const char *json, char *val, size_t cap)
{
    const char *v = strstr(json, "\"value\":");
    if (!v)
        return false;
    v += 8;
    size_t n = strlen(v);
    if (n < 2 || strcmp(v + n - 2, "}]") != 0 || n - 2 >= cap)
        return false;
    memcpy(val, v, n - 2);
    val[n - 2] = '\0';
    return true;
}

#endif
