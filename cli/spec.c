/* The "get" request syntax:
 *
 *   list  := item (',' item)*
 *   item  := TAG [':' TYPE] [ '=' VALUE | '{' [list] '}' ]
 *   VALUE := text up to ',' or '}' | "quoted text" (\" \\ \n \t \xHH)
 *
 * TAG is a dictionary name or a number; the value's type comes from the
 * dictionary unless given with ':TYPE'. An item without value or braces is
 * a NONE block (a plain request); braces make a CONTAINER.
 *
 * Error messages quote the spec with the values of secret tags replaced
 * by *** (and never quote such a value otherwise), and with bytes that are
 * no valid UTF-8 escaped. */
#include "cli.h"
#include "hex_digit.h"

#include "rscp/tags.h"
#include "rscp/types.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_MASKED 16u /* secret values remembered for messages; more: all hidden */

struct spec {
    const char *start;
    const char *p;
    char *err;
    size_t errcap;
    unsigned depth;
    /* Secret values: [from, to) offsets in start; to == SIZE_MAX while the
     * value is being read (everything after from is hidden). */
    size_t mask_from[MAX_MASKED], mask_to[MAX_MASKED];
    unsigned masked;
};

static void skip_sp(struct spec *s)
{
    while (*s->p == ' ' || *s->p == '\t' || *s->p == '\n')
        s->p++;
}

/* The spec for a message: secret values as ***, made printable. */
static void quote_spec(const struct spec *s, char *out, size_t cap)
{
    size_t n = strlen(s->start), o = 0, at = 0;
    char *plain = malloc(n + 3 * MAX_MASKED + 4);
    if (!plain) {
        snprintf(out, cap, "...");
        return;
    }
    for (unsigned k = 0; k < s->masked && at <= n; k++) {
        size_t from = s->mask_from[k] < n ? s->mask_from[k] : n;
        memcpy(plain + o, s->start + at, from - at);
        o += from - at;
        memcpy(plain + o, "***", 3);
        o += 3;
        at = s->mask_to[k] < n ? s->mask_to[k] : n + 1;
    }
    if (at < n) {
        memcpy(plain + o, s->start + at, n - at);
        o += n - at;
    }
    cli_printable(plain, o, out, cap);
    free(plain);
}

static int fail(struct spec *s, const char *msg)
{
    char quoted[256];
    quote_spec(s, quoted, sizeof quoted);
    snprintf(s->err, s->errcap, "%s at position %zu of '%s'", msg, (size_t)(s->p - s->start) + 1, quoted);
    return -1;
}

static size_t word(struct spec *s, const char *extra)
{
    const char *b = s->p;
    while ((*s->p >= 'A' && *s->p <= 'Z') || (*s->p >= 'a' && *s->p <= 'z') || (*s->p >= '0' && *s->p <= '9') ||
           *s->p == '_' || (extra && *s->p && strchr(extra, *s->p)))
        s->p++;
    return (size_t)(s->p - b);
}

/* Read a value into a malloc'd buffer *out (len *n). */
static int value(struct spec *s, char **out, size_t *n)
{
    size_t cap = strlen(s->p) + 1;
    char *buf = malloc(cap);
    size_t k = 0;
    if (!buf)
        return fail(s, "out of memory");
    skip_sp(s);
    if (*s->p == '"') {
        s->p++;
        for (;;) {
            char c = *s->p;
            if (!c) {
                free(buf);
                return fail(s, "unterminated quoted value");
            }
            s->p++;
            if (c == '"')
                break;
            if (c == '\\') {
                char e = *s->p++;
                if (e == 'n') {
                    c = '\n';
                } else if (e == 't') {
                    c = '\t';
                } else if (e == '"' || e == '\\') {
                    c = e;
                } else if (e == 'x' && hex_digit_value(s->p[0]) >= 0 && hex_digit_value(s->p[1]) >= 0) {
                    c = (char)(hex_digit_value(s->p[0]) * 16 + hex_digit_value(s->p[1]));
                    s->p += 2;
                } else {
                    free(buf);
                    s->p--;
                    return fail(s, "bad escape in quoted value");
                }
            }
            buf[k++] = c;
        }
        skip_sp(s);
    } else {
        while (*s->p && *s->p != ',' && *s->p != '}' && *s->p != '{')
            buf[k++] = *s->p++;
        while (k && (buf[k - 1] == ' ' || buf[k - 1] == '\t'))
            k--;
    }
    buf[k] = '\0';
    *out = buf;
    *n = k;
    return 0;
}

static int list(struct spec *s, struct rscp_builder *b);

static int item(struct spec *s, struct rscp_builder *b)
{
    skip_sp(s);
    const char *name_at = s->p;
    size_t nl = word(s, ".");
    if (nl == 0 || (*s->p && !strchr(" \t\n:={},", *s->p))) {
        if (nl == 0 && (unsigned char)*s->p >= 0x20 && (unsigned char)*s->p < 0x7F && *s->p != '\\')
            return fail(s, "tag name expected");
        char msg[64];
        snprintf(msg, sizeof msg, "byte 0x%02x is not allowed in a tag name", (unsigned char)*s->p);
        return fail(s, msg);
    }
    char name[128];
    if (nl >= sizeof name)
        return fail(s, "tag name too long");
    memcpy(name, name_at, nl);
    name[nl] = '\0';
    uint32_t tag;
    if (rscp_tag_lookup(name, &tag) != 0) {
        s->p = name_at;
        char msg[192];
        snprintf(msg, sizeof msg, "unknown tag '%s' (see 'rscp tags')", name);
        return fail(s, msg);
    }
    skip_sp(s);
    int type = -1;
    bool explicit_type = false;
    if (*s->p == ':') {
        s->p++;
        skip_sp(s);
        const char *t_at = s->p;
        size_t tl = word(s, NULL);
        char tname[32];
        if (tl == 0 || tl >= sizeof tname)
            return fail(s, "type name expected after ':'");
        memcpy(tname, t_at, tl);
        tname[tl] = '\0';
        type = rscp_type_from_name(tname);
        if (type < 0) {
            s->p = t_at;
            char msg[320];
            int n = snprintf(msg, sizeof msg, "unknown type '%s' (one of", tname);
            for (int t = 0; t < 256 && n > 0 && (size_t)n < sizeof msg; t++)
                if (rscp_type_is_known(t))
                    n += snprintf(msg + n, sizeof msg - (size_t)n, " %s", rscp_type_name(t));
            if (n > 0 && (size_t)n < sizeof msg - 1)
                snprintf(msg + n, sizeof msg - (size_t)n, ")");
            return fail(s, msg);
        }
        explicit_type = true;
        skip_sp(s);
    }
    if (*s->p == '{') {
        if (explicit_type && type != RSCP_TYPE_CONTAINER)
            return fail(s, "braces need a CONTAINER type");
        if (++s->depth > RSCP_BUILDER_MAX_DEPTH)
            return fail(s, "containers nested too deeply");
        s->p++;
        rscp_put_container_open(b, tag);
        skip_sp(s);
        if (*s->p != '}' && list(s, b) < 0)
            return -1;
        skip_sp(s);
        if (*s->p != '}')
            return fail(s, "',' or '}' expected");
        s->p++;
        s->depth--;
        rscp_put_container_close(b);
        return 0;
    }
    if (*s->p == '=') {
        s->p++;
        if (!explicit_type) {
            type = rscp_tag_type(tag);
            if (type < 0 || type == RSCP_TYPE_NONE || type == RSCP_TYPE_CONTAINER) {
                char msg[400];
                snprintf(msg, sizeof msg, "the dictionary gives no value type for %s; write %s:TYPE=VALUE", name,
                         name);
                return fail(s, msg);
            }
        }
        char *v = NULL;
        size_t vl = 0;
        const char *v_at = s->p;
        bool secret = rscp_tag_is_secret(tag), tracked = false;
        if (secret && s->masked < MAX_MASKED) {
            s->mask_from[s->masked] = (size_t)(v_at - s->start);
            s->mask_to[s->masked++] = SIZE_MAX;
            tracked = true;
        } else if (secret) { /* too many: hide everything from the last one on */
            s->mask_to[MAX_MASKED - 1] = SIZE_MAX;
        }
        if (value(s, &v, &vl) < 0)
            return -1;
        if (tracked)
            s->mask_to[s->masked - 1] = (size_t)(s->p - s->start);
        char verr[256] = "";
        int rc = cli_put_text_value(b, tag, type, v, vl, verr, sizeof verr);
        memset(v, 0, vl);
        free(v);
        if (rc < 0) {
            s->p = v_at;
            char msg[512];
            if (secret) /* the reason may quote the value */
                snprintf(msg, sizeof msg, "%s: bad %s value (the tag is secret: the value is not shown)", name,
                         rscp_type_name(type) ? rscp_type_name(type) : "?");
            else
                snprintf(msg, sizeof msg, "%s: %s", name, verr);
            memset(verr, 0, sizeof verr);
            return fail(s, msg);
        }
        return 0;
    }
    if (explicit_type && type != RSCP_TYPE_NONE) {
        if (type == RSCP_TYPE_CONTAINER) {
            rscp_put_container_open(b, tag);
            rscp_put_container_close(b);
            return 0;
        }
        return fail(s, "a typed item needs '=VALUE'");
    }
    rscp_put_none(b, tag);
    return 0;
}

static int list(struct spec *s, struct rscp_builder *b)
{
    for (;;) {
        if (item(s, b) < 0)
            return -1;
        skip_sp(s);
        if (*s->p != ',')
            return 0;
        s->p++;
    }
}

int cli_spec_put(struct rscp_builder *b, const char *text, char *err, size_t errcap)
{
    struct spec s;
    memset(&s, 0, sizeof s);
    s.start = s.p = text;
    s.err = err;
    s.errcap = errcap;
    if (list(&s, b) < 0)
        return -1;
    skip_sp(&s);
    if (*s.p)
        return fail(&s, "unexpected character");
    return 0;
}
