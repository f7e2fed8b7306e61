/* Output helpers of the rscp tool: sinks, JSON strings, times, file input. */
#include "cli.h"

#include "rscp/dump.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int cli_file_sink(void *ctx, const char *s, size_t n)
{
    return fwrite(s, 1, n, (FILE *)ctx) == n ? 0 : -1;
}

void cli_json_string(FILE *f, const char *s, size_t n)
{
    fputc('"', f);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            /* Control bytes and bytes >= 0x80 (read as Latin-1, which keeps
             * the output valid UTF-8 whatever the device sent). */
            if (c < 0x20 || c >= 0x7F)
                fprintf(f, "\\u%04x", c);
            else
                fputc(c, f);
        }
    }
    fputc('"', f);
}

void cli_format_time(int64_t seconds, uint32_t nanoseconds, char *buf, size_t cap)
{
    struct tm tm;
    time_t t = (time_t)seconds;
    if ((int64_t)t != seconds || !gmtime_r(&t, &tm) || tm.tm_year < -1900 || tm.tm_year > 9999 - 1900) {
        snprintf(buf, cap, "@%lld", (long long)seconds);
        return;
    }
    char base[40];
    strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
    if (nanoseconds && nanoseconds < 1000000000u)
        snprintf(buf, cap, "%s.%09uZ", base, (unsigned)nanoseconds);
    else
        snprintf(buf, cap, "%sZ", base);
}

/* Length of the valid UTF-8 sequence at s[0..n) (a printable character,
 * no overlong form, no surrogate, at most U+10FFFF), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len;
    unsigned min;
    if (c >= 0x20 && c < 0x7F)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    unsigned cp = c & (0x7Fu >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || (cp >= 0x80 && cp < 0xA0))
        return 0;
    return len;
}

void cli_printable(const char *s, size_t n, char *out, size_t cap)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t o = 0;
    if (cap == 0)
        return;
    for (size_t i = 0; i < n;) {
        char piece[8];
        size_t k = utf8_len(u + i, n - i), plen;
        if (k && u[i] != '\\') {
            memcpy(piece, s + i, k);
            plen = k;
            i += k;
        } else {
            plen = u[i] == '\\' ? 2 : 4;
            if (u[i] == '\\')
                memcpy(piece, "\\\\", 2);
            else
                snprintf(piece, sizeof piece, "\\x%02x", u[i]);
            i++;
        }
        if (o + plen + 4 > cap) {
            if (o + 4 <= cap) {
                memcpy(out + o, "...", 3);
                o += 3;
            }
            break;
        }
        memcpy(out + o, piece, plen);
        o += plen;
    }
    out[o] = '\0';
}

void cli_json_number(FILE *f, double v)
{
    char buf[RSCP_NUMBER_BUF];
    bool ok = isfinite(v) && (double)(float)v == v ? rscp_format_float32((float)v, buf)
                                                   : rscp_format_double64(v, buf);
    fputs(ok ? buf : "null", f);
}

void cli_format_local_time(int64_t local_seconds, char *buf, size_t cap)
{
    /* The wall time written as if it were UTC, without the zone. */
    cli_format_time(local_seconds, 0, buf, cap);
    size_t n = strlen(buf);
    if (n && buf[n - 1] == 'Z')
        buf[n - 1] = '\0';
}

void cli_format_utc_offset(int32_t seconds, char *buf, size_t cap)
{
    long a = seconds < 0 ? -(long)seconds : (long)seconds;
    snprintf(buf, cap, "%c%ld:%02ld", seconds < 0 ? '-' : '+', a / 3600, a % 3600 / 60);
}

FILE *cli_open_input(const char *path)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        cli_error("cannot open %s: %s", path, strerror(errno));
    return f;
}

int cli_read_json_input(const char *path, char **text, size_t *len)
{
    *text = NULL;
    FILE *f = cli_open_input(path);
    if (!f)
        return CLI_EXIT_USAGE;
    int rc = 0;
    /* Read at most one byte beyond the limit: memory stays bounded. */
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    bool too_large = false;
    while (buf) {
        if (n + 1 >= cap) {
            if (cap > CLI_MAX_JSON_INPUT) {
                too_large = true;
                break;
            }
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                cli_error("%s: out of memory", path);
                free(buf);
                buf = NULL;
                rc = CLI_EXIT_PROTOCOL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t k = fread(buf + n, 1, cap - n - 1, f);
        n += k;
        if (n > CLI_MAX_JSON_INPUT) {
            too_large = true;
            break;
        }
        if (k == 0) {
            if (ferror(f)) {
                cli_error("cannot read %s: %s", path, strerror(errno));
                free(buf);
                buf = NULL;
                rc = CLI_EXIT_USAGE;
            }
            break;
        }
    }
    if (!buf && rc == 0) {
        cli_error("%s: out of memory", path);
        rc = CLI_EXIT_PROTOCOL;
    }
    if (f != stdin)
        fclose(f);
    if (buf && too_large) {
        cli_error("%s: more than %u MiB of JSON (the limit of JSON input)", path, CLI_MAX_JSON_INPUT >> 20);
        free(buf);
        buf = NULL;
        rc = CLI_EXIT_PROTOCOL;
    }
    if (!buf)
        return rc;
    buf[n] = '\0';
    *len = n;
    *text = buf;
    return 0;
}
