/* Command-line option parsing and error messages of the rscp tool. */
#include "cli.h"

#include <stdarg.h>
#include <string.h>

void cli_opts_init(struct cli_opts *o, const char *cmd, int argc, char **argv)
{
    memset(o, 0, sizeof *o);
    o->argc = argc;
    o->argv = argv;
    o->i = 1;
    o->cmd = cmd;
}

static const struct cli_optdef *find_long(const struct cli_optdef *defs, const char *name, size_t n)
{
    for (; defs->name; defs++)
        if (strlen(defs->name) == n && strncmp(defs->name, name, n) == 0)
            return defs;
    return NULL;
}

static const struct cli_optdef *find_short(const struct cli_optdef *defs, char c)
{
    for (; defs->name; defs++)
        if (defs->short_name && defs->short_name == c)
            return defs;
    return NULL;
}

/* A bundle "-jh": hand out the pending short options one by one. */
static int next_short(struct cli_opts *o, const struct cli_optdef *defs)
{
    char c = o->shorts[0];
    memmove(o->shorts, o->shorts + 1, sizeof o->shorts - 1);
    const struct cli_optdef *d = find_short(defs, c);
    if (!d) {
        cli_usage_error(o->cmd, "unknown option -%c", c);
        return CLI_OPT_BAD;
    }
    o->arg = NULL;
    if (d->has_arg) {
        if (o->shorts[0] || o->i >= o->argc) {
            cli_usage_error(o->cmd, "option -%c needs a value", c);
            return CLI_OPT_BAD;
        }
        o->arg = o->argv[o->i++];
    }
    return d->id;
}

int cli_opts_next(struct cli_opts *o, const struct cli_optdef *defs)
{
    if (o->shorts[0])
        return next_short(o, defs);
    if (o->i >= o->argc)
        return -1;
    char *a = o->argv[o->i++];
    o->arg = a;
    if (o->only_pos || a[0] != '-' || a[1] == '\0')
        return 0;
    if (strcmp(a, "--") == 0) {
        o->only_pos = true;
        return cli_opts_next(o, defs);
    }
    if (a[1] == '-') {
        const char *name = a + 2;
        const char *eq = strchr(name, '=');
        size_t n = eq ? (size_t)(eq - name) : strlen(name);
        const struct cli_optdef *d = find_long(defs, name, n);
        if (!d) {
            cli_usage_error(o->cmd, "unknown option --%.*s", (int)n, name);
            return CLI_OPT_BAD;
        }
        if (!d->has_arg) {
            if (eq) {
                cli_usage_error(o->cmd, "option --%s takes no value", d->name);
                return CLI_OPT_BAD;
            }
            o->arg = NULL;
            return d->id;
        }
        if (eq) {
            o->arg = eq + 1;
        } else if (o->i < o->argc) {
            o->arg = o->argv[o->i++];
        } else {
            cli_usage_error(o->cmd, "option --%s needs a value", d->name);
            return CLI_OPT_BAD;
        }
        return d->id;
    }
    /* A negative number is a positional argument (e.g. a value). */
    if ((a[1] >= '0' && a[1] <= '9') || a[1] == '.')
        return 0;
    size_t n = strlen(a + 1);
    if (n >= sizeof o->shorts) {
        cli_usage_error(o->cmd, "unknown option %s", a);
        return CLI_OPT_BAD;
    }
    memcpy(o->shorts, a + 1, n + 1);
    return next_short(o, defs);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "rscp%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'rscp %s%s--help'.\n", cmd ? cmd : "", cmd ? " " : "");
    return CLI_EXIT_USAGE;
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    fputs("rscp: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void cli_warn(const char *fmt, ...)
{
    va_list ap;
    fputs("rscp: warning: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}
