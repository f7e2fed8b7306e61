/* Connection settings of the rscp tool: command line, environment, config
 * file and prompt; connecting; mapping library errors to exit codes. */
#include "cli.h"

#include "rscp/error.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

static void wipe_free(char *s)
{
    if (!s)
        return;
    volatile char *p = s;
    while (*p)
        *p++ = 0;
    free(s);
}

static void wipe_n(void *p, size_t n)
{
    volatile unsigned char *v = p;
    while (n--)
        *v++ = 0;
}

static char *dup_or_die(const char *s)
{
    char *d = strdup(s);
    if (!d) {
        cli_error("out of memory");
        exit(CLI_EXIT_PROTOCOL);
    }
    return d;
}

static void set_str(char **dst, const char *s)
{
    wipe_free(*dst);
    *dst = dup_or_die(s);
}

static int parse_port(const char *s, unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || end == s || *end || v > 65535 || s[0] == '-')
        return -1;
    *out = (unsigned)v;
    return 0;
}

static int parse_timeout(const char *s, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v <= 0 || v > 86400000L)
        return -1;
    *out = (int)v;
    return 0;
}

int cli_conn_option(struct cli_conn *c, const char *cmd, int id, const char *arg)
{
    switch (id) {
    case OPT_HOST: set_str(&c->host, arg); return 0;
    case OPT_USER: set_str(&c->user, arg); return 0;
    case OPT_CONFIG: set_str(&c->config_path, arg); return 0;
    case OPT_PASSWORD:
        cli_warn("--password on the command line is visible to other users; "
                 "prefer RSCP_PASSWORD or the config file");
        set_str(&c->password, arg);
        return 0;
    case OPT_KEY:
        cli_warn("--key on the command line is visible to other users; "
                 "prefer RSCP_KEY or the config file");
        set_str(&c->key, arg);
        return 0;
    case OPT_PORT:
        if (parse_port(arg, &c->port) != 0 || c->port == 0)
            return cli_usage_error(cmd, "bad --port '%s' (1..65535)", arg);
        return 0;
    case OPT_TIMEOUT:
        if (parse_timeout(arg, &c->timeout_ms) != 0)
            return cli_usage_error(cmd, "bad --timeout '%s' (milliseconds, > 0)", arg);
        return 0;
    default: return cli_usage_error(cmd, "internal: unknown connection option");
    }
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
    /* Optional quotes around the value. */
    if (n >= 2 && ((s[0] == '"' && s[n - 1] == '"') || (s[0] == '\'' && s[n - 1] == '\''))) {
        s[n - 1] = '\0';
        s++;
    }
    return s;
}

/* Default config path: $XDG_CONFIG_HOME/rscp/config or ~/.config/rscp/config. */
static char *default_config_path(void)
{
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    char buf[4096];
    if (xdg && *xdg)
        snprintf(buf, sizeof buf, "%s/rscp/config", xdg);
    else if (home && *home)
        snprintf(buf, sizeof buf, "%s/.config/rscp/config", home);
    else
        return NULL;
    return dup_or_die(buf);
}

#define CONFIG_MAX_SIZE (1u << 20) /* bytes of a config file */

/* The whole file f into a malloc'd, NUL-terminated buffer, growing by
 * copies whose old buffers are wiped (the file holds secrets). Returns NULL
 * after a message. */
static char *slurp_secret_file(FILE *f, const char *path, size_t *len)
{
    size_t cap = 1024, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            cli_error("out of memory reading %s", path);
            return NULL;
        }
        size_t k = fread(buf + n, 1, cap - n - 1, f);
        n += k;
        if (n > CONFIG_MAX_SIZE) {
            cli_error("config file %s is larger than %u KiB", path, CONFIG_MAX_SIZE >> 10);
            break;
        }
        if (k == 0) {
            if (ferror(f)) {
                cli_error("cannot read config file %s: %s", path, strerror(errno));
                break;
            }
            buf[n] = '\0';
            *len = n;
            return buf;
        }
        if (n + 1 == cap) {
            char *nb = malloc(cap * 2);
            if (nb)
                memcpy(nb, buf, n);
            wipe_n(buf, cap);
            free(buf);
            buf = nb;
            cap *= 2;
        }
    }
    wipe_n(buf, cap);
    free(buf);
    return NULL;
}

/* Read key = value lines (of any length); fill only fields still unset. */
static int read_config(struct cli_conn *c, const char *path, bool explicit_path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        if (explicit_path) {
            cli_error("cannot open config file %s: %s", path, strerror(errno));
            return CLI_EXIT_USAGE;
        }
        return 0;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && (st.st_mode & (S_IRGRP | S_IROTH | S_IWGRP | S_IWOTH)))
        cli_warn("config file %s is accessible by group/others; run: chmod 600 %s", path, path);
    size_t len = 0;
    char *text = slurp_secret_file(f, path, &len);
    fclose(f);
    if (!text)
        return CLI_EXIT_USAGE;
    unsigned lineno = 0;
    int rc = 0;
    for (char *line = text; rc == 0 && line < text + len;) {
        char *nl = memchr(line, '\n', (size_t)(text + len - line));
        char *next = nl ? nl + 1 : text + len;
        if (nl)
            *nl = '\0';
        lineno++;
        if (strlen(line) != (size_t)((nl ? nl : text + len) - line)) {
            cli_error("%s:%u: a NUL byte in the line", path, lineno);
            rc = CLI_EXIT_USAGE;
            break;
        }
        char *s = trim(line);
        line = next;
        if (*s == '\0' || *s == '#' || *s == ';')
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            cli_error("%s:%u: expected 'key = value'", path, lineno);
            rc = CLI_EXIT_USAGE;
            break;
        }
        *eq = '\0';
        char *key = trim(s);
        char *val = trim(eq + 1);
        if (strcmp(key, "host") == 0) {
            if (!c->host)
                c->host = dup_or_die(val);
        } else if (strcmp(key, "user") == 0) {
            if (!c->user)
                c->user = dup_or_die(val);
        } else if (strcmp(key, "password") == 0) {
            if (!c->password)
                c->password = dup_or_die(val);
        } else if (strcmp(key, "key") == 0) {
            if (!c->key)
                c->key = dup_or_die(val);
        } else if (strcmp(key, "port") == 0) {
            unsigned p;
            if (parse_port(val, &p) != 0 || p == 0) {
                cli_error("%s:%u: bad port (1..65535)", path, lineno);
                rc = CLI_EXIT_USAGE;
                break;
            }
            if (!c->port)
                c->port = p;
        } else if (strcmp(key, "timeout") == 0) {
            int t;
            if (parse_timeout(val, &t) != 0) {
                cli_error("%s:%u: bad timeout (milliseconds, > 0)", path, lineno);
                rc = CLI_EXIT_USAGE;
                break;
            }
            if (!c->timeout_ms)
                c->timeout_ms = t;
        } else {
            char shown[64];
            cli_printable(key, strlen(key), shown, sizeof shown);
            cli_warn("%s:%u: unknown key '%s' ignored", path, lineno, shown);
        }
    }
    /* The text holds secrets. */
    wipe_n(text, len);
    free(text);
    return rc;
}

static char *prompt_secret(const char *what)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDERR_FILENO))
        return NULL;
    struct termios old, quiet;
    if (tcgetattr(STDIN_FILENO, &old) != 0)
        return NULL;
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    fprintf(stderr, "%s: ", what);
    fflush(stderr);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    char buf[512];
    char *got = fgets(buf, sizeof buf, stdin);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    fputc('\n', stderr);
    if (!got)
        return NULL;
    buf[strcspn(buf, "\r\n")] = '\0';
    char *d = dup_or_die(buf);
    memset(buf, 0, sizeof buf);
    return d;
}

int cli_conn_resolve(struct cli_conn *c, const char *cmd)
{
    const char *e;
    if (!c->host && (e = getenv("RSCP_HOST")) && *e)
        c->host = dup_or_die(e);
    if (!c->user && (e = getenv("RSCP_USER")) && *e)
        c->user = dup_or_die(e);
    if (!c->password && (e = getenv("RSCP_PASSWORD")))
        c->password = dup_or_die(e);
    if (!c->key && (e = getenv("RSCP_KEY")))
        c->key = dup_or_die(e);
    if (!c->port && (e = getenv("RSCP_PORT")) && *e) {
        if (parse_port(e, &c->port) != 0 || c->port == 0)
            return cli_usage_error(cmd, "bad RSCP_PORT '%s' (1..65535)", e);
    }
    if (!c->timeout_ms && (e = getenv("RSCP_TIMEOUT")) && *e) {
        if (parse_timeout(e, &c->timeout_ms) != 0)
            return cli_usage_error(cmd, "bad RSCP_TIMEOUT '%s' (milliseconds, > 0)", e);
    }
    bool explicit_path = c->config_path != NULL;
    if (!c->config_path && (e = getenv("RSCP_CONFIG")) && *e) {
        c->config_path = dup_or_die(e);
        explicit_path = true;
    }
    if (!c->config_path)
        c->config_path = default_config_path();
    if (c->config_path) {
        int rc = read_config(c, c->config_path, explicit_path);
        if (rc)
            return rc;
    }
    if (!c->host)
        return cli_usage_error(cmd, "no device given: use --host, RSCP_HOST or the config file");
    if (!c->user)
        return cli_usage_error(cmd, "no user given: use --user, RSCP_USER or the config file");
    if (!c->password && !(c->password = prompt_secret("Portal password")))
        return cli_usage_error(cmd, "no password given: use RSCP_PASSWORD or the config file");
    if (!c->key && !(c->key = prompt_secret("RSCP key")))
        return cli_usage_error(cmd, "no RSCP key given: use RSCP_KEY or the config file");
    return 0;
}

void cli_conn_free(struct cli_conn *c)
{
    wipe_free(c->host);
    wipe_free(c->user);
    wipe_free(c->password);
    wipe_free(c->key);
    wipe_free(c->config_path);
    memset(c, 0, sizeof *c);
}

int cli_exit_for_error(int err)
{
    switch (err) {
    case RSCP_OK: return CLI_EXIT_OK;
    case RSCP_ERR_DEVICE: return CLI_EXIT_DEVICE;
    case RSCP_ERR_RESOLVE:
    case RSCP_ERR_CONNECT:
    case RSCP_ERR_CLOSED:
    case RSCP_ERR_IO:
    case RSCP_ERR_NOT_CONNECTED: return CLI_EXIT_CONN;
    case RSCP_ERR_AUTH:
    case RSCP_ERR_KEY: return CLI_EXIT_AUTH;
    case RSCP_ERR_TIMEOUT: return CLI_EXIT_TIMEOUT;
    default: return CLI_EXIT_PROTOCOL;
    }
}

const char *cli_client_error(const rscp_client *c, int err)
{
    /* The client's detail starts with the message of its error code. */
    const char *detail = c ? rscp_client_errstr(c) : NULL;
    return detail && *detail ? detail : rscp_strerror(err);
}

int cli_connect(struct cli_conn *c, rscp_client **out)
{
    struct rscp_client_config cfg;
    rscp_client_config_init(&cfg);
    /* "[2001:db8::1]" as in URLs: the address without the brackets. */
    char host[256];
    size_t hl = strlen(c->host);
    if (hl >= 2 && hl < sizeof host && c->host[0] == '[' && c->host[hl - 1] == ']') {
        memcpy(host, c->host + 1, hl - 2);
        host[hl - 2] = '\0';
        cfg.host = host;
    } else {
        cfg.host = c->host;
    }
    cfg.port = (uint16_t)(c->port ? c->port : RSCP_DEFAULT_PORT);
    cfg.user = c->user;
    cfg.password = c->password;
    cfg.key = c->key;
    if (c->timeout_ms) {
        cfg.connect_timeout_ms = c->timeout_ms;
        cfg.io_timeout_ms = c->timeout_ms;
    }
    rscp_client *cl = NULL;
    int rc = rscp_client_new(&cl, &cfg);
    if (rc < 0) {
        cli_error("cannot create client: %s", rscp_strerror(rc));
        return rc == RSCP_ERR_ARG ? CLI_EXIT_USAGE : CLI_EXIT_PROTOCOL;
    }
    rc = rscp_client_connect(cl);
    if (rc < 0) {
        cli_error("%s", cli_client_error(cl, rc));
        rscp_client_free(cl);
        return cli_exit_for_error(rc);
    }
    *out = cl;
    return 0;
}

int cli_request(rscp_client *c, int (*fill)(void *ctx, struct rscp_builder *b), void *ctx,
                struct rscp_frame *reply)
{
    struct rscp_builder b;
    int rc = rscp_client_request_begin(c, &b);
    if (rc == 0)
        rc = fill(ctx, &b);
    if (rc < 0) {
        cli_error("cannot build the request: %s", rscp_strerror(rc));
        return CLI_EXIT_USAGE;
    }
    rc = rscp_client_request_send(c, &b, reply);
    if (rc < 0) {
        cli_error("request failed: %s", cli_client_error(c, rc));
        return cli_exit_for_error(rc);
    }
    return 0;
}
