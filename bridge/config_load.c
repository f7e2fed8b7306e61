/* rscp-bridge configuration: reading the files, refusing secrets that others
 * may read, the secrets kept in files of their own, and the checks of the
 * broker's TLS files. */
#include "config_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Read a whole regular file of at most max bytes into a malloc'd buffer.
 * With secret, a file that group or others may read is refused. */
static int read_file(const char *path, size_t max, bool secret, char **out, size_t *len, char *err, size_t errcap)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return cfg_fail(err, errcap, NULL, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return cfg_fail(err, errcap, NULL, "%s: not a regular file", path);
    }
    if ((uint64_t)st.st_size > max) {
        close(fd);
        return cfg_fail(err, errcap, NULL, "%s: larger than %zu bytes", path, max);
    }
    if (secret && (st.st_mode & 077)) {
        close(fd);
        return cfg_fail(err, errcap, NULL,
                        "%s holds secrets and others may read it (mode %04o): run chmod 600 '%s'", path,
                        (unsigned)(st.st_mode & 07777), path);
    }
    char *buf = malloc((size_t)st.st_size + 1);
    if (buf == NULL) {
        close(fd);
        return cfg_fail(err, errcap, NULL, "%s: out of memory", path);
    }
    size_t got = 0;
    while (got < (size_t)st.st_size) {
        ssize_t k = read(fd, buf + got, (size_t)st.st_size - got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    close(fd);
    buf[got] = '\0';
    *out = buf;
    *len = got;
    return 0;
}

static bool has_inline_secret(const struct bridge_config *c)
{
    if (c->mqtt.password)
        return true;
    for (size_t i = 0; i < c->nsites; i++)
        if (c->sites[i].password || c->sites[i].key)
            return true;
    return false;
}

/* The secret of a *_file key: the file's first line, which must not be
 * empty. */
static int read_secret(const char *path, char **dst, const char *what, char *err, size_t errcap)
{
    char *buf;
    size_t len;
    if (read_file(path, BRIDGE_SECRET_FILE_MAX, true, &buf, &len, err, errcap) != 0)
        return -1;
    size_t n = strcspn(buf, "\r\n");
    int rc = 0;
    if (n == 0 || memchr(buf, '\0', n))
        rc = cfg_fail(err, errcap, NULL, "%s (%s): empty first line", path, what);
    else if ((*dst = malloc(n + 1)) == NULL)
        rc = cfg_fail(err, errcap, NULL, "%s: out of memory", path);
    else {
        memcpy(*dst, buf, n);
        (*dst)[n] = '\0';
    }
    memset(buf, 0, len);
    free(buf);
    return rc;
}

/* A TLS file of [mqtt] (given by key `at` of configuration `file`): a
 * regular file this process can read; a private key (key) also one that
 * group and others may not access. libmosquitto reads the files only at
 * the first connect, so mistakes are caught here, also by --check-config
 * and a reload. */
static int check_tls_file(const char *path, struct bridge_key_at at, bool key, const char *file, char *err,
                          size_t errcap)
{
    /* "FILE:LINE: " ("FILE: " without a line) */
    const struct cfg_line where[1] = {{file, at.line, NULL, 0}};
    const char *name = at.key ? at.key : "tls file";
    /* O_NONBLOCK: a FIFO does not block the open. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return cfg_fail(err, errcap, where, "key '%s': '%s': cannot read it: %s", name, path, strerror(errno));
    struct stat st;
    int rc = 0;
    if (fstat(fd, &st) != 0)
        rc = cfg_fail(err, errcap, where, "key '%s': '%s': cannot read it: %s", name, path, strerror(errno));
    else if (!S_ISREG(st.st_mode))
        rc = cfg_fail(err, errcap, where, "key '%s': '%s' is not a regular file", name, path);
    else if (key && (st.st_mode & 077))
        rc = cfg_fail(err, errcap, where,
                      "key '%s': group or others may access the private key '%s' (mode %04o): run chmod 600 '%s'",
                      name, path, (unsigned)(st.st_mode & 07777), path);
    close(fd);
    return rc;
}

static int check_tls_files(const struct bridge_mqtt *m, const char *file, char *err, size_t errcap)
{
    if (!m->enabled)
        return 0;
    if (m->ca_file && check_tls_file(m->ca_file, m->ca_at, false, file, err, errcap) != 0)
        return -1;
    if (m->cert_file && check_tls_file(m->cert_file, m->cert_at, false, file, err, errcap) != 0)
        return -1;
    if (m->key_file && check_tls_file(m->key_file, m->key_at, true, file, err, errcap) != 0)
        return -1;
    return 0;
}

int bridge_config_load(const char *path, bool r2m, struct bridge_config *out, char *err, size_t errcap)
{
    char *text;
    size_t len;
    /* Read first without the mode check: whether it matters depends on
     * what the file holds. */
    if (read_file(path, BRIDGE_CONFIG_MAX_BYTES, false, &text, &len, err, errcap) != 0) {
        cfg_defaults(out);
        return -1;
    }
    int rc = r2m ? bridge_config_parse_rscp2mqtt(text, len, path, NULL, out, err, errcap)
                 : bridge_config_parse(text, len, path, out, err, errcap);
    memset(text, 0, len);
    free(text);
    if (rc != 0)
        return -1;
    struct stat st;
    if (has_inline_secret(out) && stat(path, &st) == 0 && (st.st_mode & 077)) {
        bridge_config_free(out);
        return cfg_fail(err, errcap, NULL,
                        "%s holds secrets and others may read it (mode %04o): run chmod 600 '%s', or move the "
                        "secrets to password_file/key_file",
                        path, (unsigned)(st.st_mode & 07777), path);
    }
    if (check_tls_files(&out->mqtt, path, err, errcap) != 0) {
        bridge_config_free(out);
        return -1;
    }
    if (out->mqtt.password_file &&
        read_secret(out->mqtt.password_file, &out->mqtt.password, "[mqtt] password_file", err, errcap) != 0)
        rc = -1;
    for (size_t i = 0; rc == 0 && i < out->nsites; i++) {
        struct bridge_site *s = &out->sites[i];
        if ((s->password_file && read_secret(s->password_file, &s->password, "password_file", err, errcap) != 0) ||
            (s->key_file && read_secret(s->key_file, &s->key, "key_file", err, errcap) != 0))
            rc = -1;
    }
    if (rc != 0)
        bridge_config_free(out);
    return rc;
}
