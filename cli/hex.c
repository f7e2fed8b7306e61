/* Hex input of the rscp tool: one streaming decoder (any split of the
 * text gives the same bytes and the same errors) and the whole-string
 * form built on it. */
#include "cli.h"
#include "hex_digit.h"

#include <string.h>

void cli_hex_init(struct cli_hex_state *st)
{
    memset(st, 0, sizeof *st);
    st->hi = -1;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

long cli_hex_feed(struct cli_hex_state *st, const char *s, size_t len, uint8_t *out, size_t cap, char *err,
                  size_t errcap)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++, st->offset++) {
        char c = s[i];
        if (st->zero) {
            /* A '0' at the start of a byte: "0x" prefix or a digit. */
            st->zero = false;
            if (c == 'x' || c == 'X')
                continue;
            st->hi = 0;
            st->hi_pos = st->offset - 1;
        }
        if (is_space(c) || c == ':' || c == '-' || c == ',') {
            if (st->hi >= 0 && !is_space(c)) {
                snprintf(err, errcap, "separator '%c' inside a byte at character offset %llu", c,
                         (unsigned long long)st->offset);
                st->before_error = n;
                return -1;
            }
            continue;
        }
        if (st->hi < 0 && c == '0') {
            st->zero = true;
            continue;
        }
        int v = hex_digit_value(c);
        if (v < 0) {
            if ((unsigned char)c >= 0x20 && (unsigned char)c < 0x7F)
                snprintf(err, errcap, "invalid hex character '%c' at character offset %llu", c,
                         (unsigned long long)st->offset);
            else
                snprintf(err, errcap, "invalid byte 0x%02x at character offset %llu (raw bytes? use --binary)",
                         (unsigned char)c, (unsigned long long)st->offset);
            st->before_error = n;
            return -1;
        }
        if (st->hi < 0) {
            st->hi = v;
            st->hi_pos = st->offset;
            continue;
        }
        if (n >= cap) {
            snprintf(err, errcap, "input too long (more than %zu bytes)", cap);
            st->before_error = n;
            return -1;
        }
        out[n++] = (uint8_t)(st->hi << 4 | v);
        st->hi = -1;
    }
    return (long)n;
}

int cli_hex_finish(const struct cli_hex_state *st, char *err, size_t errcap)
{
    if (st->hi >= 0 || st->zero) {
        snprintf(err, errcap, "odd number of hex digits: lone digit at character offset %llu",
                 (unsigned long long)(st->zero ? st->offset - 1 : st->hi_pos));
        return -1;
    }
    return 0;
}

long cli_hex_decode(const char *s, size_t len, uint8_t *out, size_t cap, char *err, size_t errcap)
{
    struct cli_hex_state st;
    cli_hex_init(&st);
    long n = cli_hex_feed(&st, s, len, out, cap, err, errcap);
    if (n >= 0 && cli_hex_finish(&st, err, errcap) < 0)
        return -1;
    return n;
}
