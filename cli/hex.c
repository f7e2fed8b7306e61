/* Hex input of the rscp tool. */
#include "cli.h"

#include <string.h>

int cli_hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

long cli_hex_decode(const char *s, size_t len, uint8_t *out, size_t cap, char *err, size_t errcap)
{
    size_t n = 0;
    int hi = -1;
    size_t hi_pos = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':' || c == '-' || c == ',') {
            if (hi >= 0 && c != '\n' && c != '\r' && c != ' ' && c != '\t') {
                snprintf(err, errcap, "separator '%c' inside a byte at character offset %zu", c, i);
                return -1;
            }
            continue;
        }
        /* "0x" prefix at the start of a group. */
        if (hi < 0 && c == '0' && i + 1 < len && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
            i++;
            continue;
        }
        int v = cli_hex_digit(c);
        if (v < 0) {
            if ((unsigned char)c >= 0x20 && (unsigned char)c < 0x7F)
                snprintf(err, errcap, "invalid hex character '%c' at character offset %zu", c, i);
            else
                snprintf(err, errcap, "invalid byte 0x%02x at character offset %zu (raw bytes? use --binary)",
                         (unsigned char)c, i);
            return -1;
        }
        if (hi < 0) {
            hi = v;
            hi_pos = i;
            continue;
        }
        if (n >= cap) {
            snprintf(err, errcap, "input too long (more than %zu bytes)", cap);
            return -1;
        }
        out[n++] = (uint8_t)(hi << 4 | v);
        hi = -1;
    }
    if (hi >= 0) {
        snprintf(err, errcap, "odd number of hex digits: lone digit at character offset %zu", hi_pos);
        return -1;
    }
    return (long)n;
}
