/* Fuzz target: raw block data (the TLV layer without a frame).
 *
 * rscp_validate, a recursive walk with every getter, lookups, and both dumps
 * in all flag combinations. Invariants (abort() when broken):
 *   - the validator, the text dump and the JSON dump report the same error;
 *   - a JSON dump that succeeds is valid JSON (checked by a small reader);
 *   - a bounded string sink stops cleanly and stays NUL-terminated. */
#include "fuzz_walk.h"

#define OUT_CAP (8u << 20)
static char out[OUT_CAP];

struct jr {
    const char *p, *end;
    bool ok;
};

static void jr_ws(struct jr *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\n'))
        r->p++;
}

static bool jr_lit(struct jr *r, const char *s)
{
    size_t n = strlen(s);
    if ((size_t)(r->end - r->p) >= n && memcmp(r->p, s, n) == 0) {
        r->p += n;
        return true;
    }
    return false;
}

static void jr_string(struct jr *r)
{
    if (!jr_lit(r, "\"")) {
        r->ok = false;
        return;
    }
    while (r->p < r->end) {
        unsigned char c = (unsigned char)*r->p++;
        if (c == '"')
            return;
        if (c < 0x20) {
            r->ok = false;
            return;
        }
        if (c == '\\') {
            if (r->p >= r->end) {
                r->ok = false;
                return;
            }
            char e = *r->p++;
            if (e == 'u') {
                for (int i = 0; i < 4; i++) {
                    if (r->p >= r->end || !((*r->p >= '0' && *r->p <= '9') || (*r->p >= 'a' && *r->p <= 'f'))) {
                        r->ok = false;
                        return;
                    }
                    r->p++;
                }
            } else if (!strchr("\"\\/bfnrt", e)) {
                r->ok = false;
                return;
            }
        } else if (c >= 0x80) {
            /* a well-formed UTF-8 sequence */
            size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
            uint32_t v = c & (len == 4 ? 0x07u : len == 3 ? 0x0Fu : 0x1Fu);
            if (len == 0 || c > 0xF4 || (size_t)(r->end - r->p) < len - 1) {
                r->ok = false;
                return;
            }
            for (size_t i = 1; i < len; i++) {
                unsigned char d = (unsigned char)*r->p++;
                if ((d & 0xC0) != 0x80) {
                    r->ok = false;
                    return;
                }
                v = v << 6 | (d & 0x3Fu);
            }
            uint32_t min = len == 2 ? 0x80u : len == 3 ? 0x800u : 0x10000u;
            if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
                r->ok = false;
                return;
            }
        }
    }
    r->ok = false;
}

static void jr_number(struct jr *r)
{
    const char *s = r->p;
    jr_lit(r, "-");
    if (jr_lit(r, "0")) {
    } else if (r->p < r->end && *r->p >= '1' && *r->p <= '9') {
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
            r->p++;
    } else {
        r->ok = false;
        return;
    }
    if (jr_lit(r, ".")) {
        if (r->p >= r->end || *r->p < '0' || *r->p > '9')
            r->ok = false;
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
            r->p++;
    }
    if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
        r->p++;
        if (!jr_lit(r, "+"))
            jr_lit(r, "-");
        if (r->p >= r->end || *r->p < '0' || *r->p > '9')
            r->ok = false;
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
            r->p++;
    }
    if (r->p == s)
        r->ok = false;
}

static void jr_value(struct jr *r, unsigned depth)
{
    jr_ws(r);
    if (!r->ok || r->p >= r->end || depth > 100) {
        r->ok = false;
        return;
    }
    char c = *r->p;
    if (c == '[' || c == '{') {
        char close = c == '[' ? ']' : '}';
        r->p++;
        jr_ws(r);
        if (jr_lit(r, close == ']' ? "]" : "}"))
            return;
        while (r->ok) {
            if (c == '{') {
                jr_ws(r);
                jr_string(r);
                jr_ws(r);
                if (!jr_lit(r, ":"))
                    r->ok = false;
            }
            jr_value(r, depth + 1);
            jr_ws(r);
            if (jr_lit(r, ","))
                continue;
            if (!jr_lit(r, close == ']' ? "]" : "}"))
                r->ok = false;
            return;
        }
        return;
    }
    if (c == '"') {
        jr_string(r);
        return;
    }
    if (jr_lit(r, "true") || jr_lit(r, "false") || jr_lit(r, "null"))
        return;
    jr_number(r);
}

static bool json_valid(const char *s, size_t n)
{
    struct jr r = {s, s + n, true};
    jr_value(&r, 0);
    jr_ws(&r);
    return r.ok && r.p == r.end;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > RSCP_MAX_DATA_LEN)
        return 0;
    size_t err_off = 0;
    int vrc = rscp_validate(data, size, NULL, &err_off);
    if (vrc != 0 && err_off > size)
        fuzz_fail("validate error offset beyond the input");
    fuzz_walk(data, size, 0);

    struct rscp_block found;
    rscp_find(data, size, 0x00800001u, &found);
    uint32_t path[3] = {0x03840000u, 0x03860000u, 0x03860001u};
    rscp_find_path(data, size, path, 3, &found);

    for (unsigned flags = 0; flags < 4; flags++) {
        struct rscp_strbuf sb;
        rscp_strbuf_init(&sb, out, sizeof out);
        int trc = rscp_dump_blocks(data, size, flags & 1, flags, rscp_strbuf_sink, &sb);
        if (sb.overflow)
            fuzz_fail("text dump larger than the test buffer");
        if (trc != vrc)
            fuzz_fail("text dump and rscp_validate disagree");
        rscp_strbuf_init(&sb, out, sizeof out);
        int jrc = rscp_json_blocks(data, size, flags, rscp_strbuf_sink, &sb);
        if (sb.overflow)
            fuzz_fail("JSON dump larger than the test buffer");
        if (jrc != vrc)
            fuzz_fail("JSON dump and rscp_validate disagree");
        if (jrc == 0 && !json_valid(out, sb.len))
            fuzz_fail("JSON dump is not valid JSON");
        if (strlen(out) != sb.len)
            fuzz_fail("strbuf length");
    }

    /* a tiny strbuf: must stop cleanly */
    char small[7];
    struct rscp_strbuf sb;
    rscp_strbuf_init(&sb, small, sizeof small);
    int rc = rscp_json_blocks(data, size, 0, rscp_strbuf_sink, &sb);
    if (rc != RSCP_ERR_IO && rc != vrc)
        fuzz_fail("small sink");
    if (small[sb.len] != '\0' || sb.len >= sizeof small)
        fuzz_fail("small sink termination");
    return 0;
}
