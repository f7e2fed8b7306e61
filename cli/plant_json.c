/* A small JSON writer for the plant commands: commas and nesting kept. */
#include "plant_cli.h"

#include <string.h>

void cli_jw_init(struct cli_jw *w)
{
    memset(w, 0, sizeof *w);
    w->first[0] = true;
}

static void key_of(struct cli_jw *w, const char *key)
{
    int d = w->depth < 15 ? w->depth : 15;
    if (!w->first[d])
        fputc(',', stdout);
    w->first[d] = false;
    if (key) {
        cli_json_string(stdout, key, strlen(key));
        fputc(':', stdout);
    }
}

static void open(struct cli_jw *w, const char *key, char c)
{
    key_of(w, key);
    fputc(c, stdout);
    if (w->depth < 15)
        w->depth++;
    w->first[w->depth] = true;
}

void cli_jw_obj(struct cli_jw *w, const char *key) { open(w, key, '{'); }
void cli_jw_arr(struct cli_jw *w, const char *key) { open(w, key, '['); }

static void close_(struct cli_jw *w, char c)
{
    if (w->depth > 0)
        w->depth--;
    fputc(c, stdout);
}

void cli_jw_end_obj(struct cli_jw *w) { close_(w, '}'); }
void cli_jw_end_arr(struct cli_jw *w) { close_(w, ']'); }

void cli_jw_num(struct cli_jw *w, const char *key, bool have, double v)
{
    key_of(w, key);
    if (have)
        cli_json_number(stdout, v);
    else
        fputs("null", stdout);
}

void cli_jw_int(struct cli_jw *w, const char *key, bool have, int64_t v)
{
    key_of(w, key);
    if (have)
        printf("%lld", (long long)v);
    else
        fputs("null", stdout);
}

void cli_jw_uint(struct cli_jw *w, const char *key, bool have, uint64_t v)
{
    key_of(w, key);
    if (have)
        printf("%llu", (unsigned long long)v);
    else
        fputs("null", stdout);
}

void cli_jw_bool(struct cli_jw *w, const char *key, bool have, bool v)
{
    key_of(w, key);
    fputs(!have ? "null" : v ? "true" : "false", stdout);
}

void cli_jw_str(struct cli_jw *w, const char *key, bool have, const char *v)
{
    key_of(w, key);
    if (have && v)
        cli_json_string(stdout, v, strlen(v));
    else
        fputs("null", stdout);
}

void cli_jw_done(struct cli_jw *w)
{
    (void)w;
    fputc('\n', stdout);
}
