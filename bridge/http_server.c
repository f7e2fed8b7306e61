/* rscp-bridge: the HTTP endpoint's listening socket, accept and poll
 * integration (see http_server.h; one connection is http_server_conn.c). */
#include "http_server_internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct bridge_http_limits bridge_http_limits_default(void)
{
    struct bridge_http_limits l = {
        BRIDGE_HTTP_MAX_CONNS, BRIDGE_HTTP_HEAD_MAX, BRIDGE_HTTP_HEAD_TIMEOUT_MS, BRIDGE_HTTP_WRITE_TIMEOUT_MS,
        BRIDGE_HTTP_LINGER_MS, BRIDGE_HTTP_MAX_RESPONSE, BRIDGE_HTTP_MAX_RESPONSE_TOTAL, BRIDGE_HTTP_WRITE_CHUNK,
    };
    return l;
}

static bool limits_ok(const struct bridge_http_limits *l)
{
    return l->max_conns >= 1 && l->max_conns <= 65536 && l->head_max >= 64 && l->head_max <= (1u << 20) &&
           l->head_timeout_ms >= 1 && l->write_timeout_ms >= 1 && l->linger_ms >= 0 && l->max_response >= 1 &&
           l->max_response_total >= l->max_response && l->write_chunk >= 1;
}

int bridge_http_set_limits(struct bridge_http_server *s, const struct bridge_http_limits *l)
{
    if (!s || !l || !limits_ok(l))
        return -1;
    s->lim = *l;
    return 0;
}

static int set_flags(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) != 0)
        return -1;
    int fdfl = fcntl(fd, F_GETFD);
    if (fdfl < 0 || fcntl(fd, F_SETFD, fdfl | FD_CLOEXEC) != 0)
        return -1;
    return 0;
}

static void seterr(char *err, size_t errcap, const char *host, bool v6, uint16_t port, const char *why)
{
    if (err && errcap > 0)
        snprintf(err, errcap, "cannot listen on %s%.64s%s:%u: %s", v6 ? "[" : "", host, v6 ? "]" : "",
                 (unsigned)port, why);
}

int bridge_http_new(struct bridge_http_server **out, const char *host, uint16_t port, bridge_http_handler h,
                    void *ctx, char *err, size_t errcap)
{
    if (err && errcap > 0)
        err[0] = '\0';
    if (!out)
        return -1;
    *out = NULL;
    if (!host || !h) {
        seterr(err, errcap, host ? host : "(none)", false, port, "no address or no handler");
        return -1;
    }
    /* The literal, without the brackets of "[::1]". */
    char lit[INET6_ADDRSTRLEN + 2];
    size_t hn = strlen(host);
    if (hn >= 2 && host[0] == '[' && host[hn - 1] == ']') {
        host++;
        hn -= 2;
    }
    if (hn >= sizeof lit) {
        seterr(err, errcap, host, false, port, "not an IP address (an IPv4 or IPv6 literal, or localhost)");
        return -1;
    }
    memcpy(lit, host, hn);
    lit[hn] = '\0';
    if (strcmp(lit, "localhost") == 0)
        strcpy(lit, "127.0.0.1");

    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    socklen_t slen;
    bool v6 = false;
    struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
    if (inet_pton(AF_INET, lit, &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET;
        a4->sin_port = htons(port);
        slen = sizeof *a4;
    } else if (inet_pton(AF_INET6, lit, &a6->sin6_addr) == 1) {
        v6 = true;
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons(port);
        slen = sizeof *a6;
    } else {
        seterr(err, errcap, lit, false, port, "not an IP address (an IPv4 or IPv6 literal, or localhost)");
        return -1;
    }

    int fd = socket(ss.ss_family, SOCK_STREAM, 0);
    if (fd < 0) {
        seterr(err, errcap, lit, v6, port, strerror(errno));
        return -1;
    }
    int one = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 || set_flags(fd) != 0 ||
        bind(fd, (struct sockaddr *)&ss, slen) != 0 || listen(fd, 128) != 0) {
        seterr(err, errcap, lit, v6, port, strerror(errno));
        close(fd);
        return -1;
    }
    struct sockaddr_storage got;
    socklen_t glen = sizeof got;
    if (getsockname(fd, (struct sockaddr *)&got, &glen) != 0) {
        seterr(err, errcap, lit, v6, port, strerror(errno));
        close(fd);
        return -1;
    }
    struct bridge_http_server *s = calloc(1, sizeof *s);
    if (!s) {
        seterr(err, errcap, lit, v6, port, "out of memory");
        close(fd);
        return -1;
    }
    s->lfd = fd;
    s->port = ntohs(got.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&got)->sin6_port
                                              : ((struct sockaddr_in *)&got)->sin_port);
    s->handler = h;
    s->ctx = ctx;
    s->lim = bridge_http_limits_default();
    *out = s;
    return 0;
}

uint16_t bridge_http_port(const struct bridge_http_server *s)
{
    return s ? s->port : 0;
}

size_t bridge_http_max_fds(const struct bridge_http_server *s)
{
    if (!s)
        return 0;
    size_t n = s->lim.max_conns > s->nconns ? s->lim.max_conns : s->nconns;
    return 1 + n;
}

size_t bridge_http_pollfds(const struct bridge_http_server *s, struct pollfd *fds, size_t cap)
{
    size_t k = 0;
    if (!s || !fds)
        return 0;
    if (!s->accept_paused && k < cap) {
        fds[k].fd = s->lfd;
        fds[k].events = POLLIN;
        fds[k].revents = 0;
        k++;
    }
    for (size_t i = 0; i < s->nconns && k < cap; i++) {
        fds[k].fd = s->conns[i]->fd;
        fds[k].events = http_conn_events(s->conns[i]);
        fds[k].revents = 0;
        k++;
    }
    return k;
}

/* Close and remove conns[i] (the order of the others is kept). */
static void drop(struct bridge_http_server *s, size_t i)
{
    http_conn_free(s, s->conns[i]);
    memmove(&s->conns[i], &s->conns[i + 1], (s->nconns - i - 1) * sizeof s->conns[0]);
    s->nconns--;
}

static size_t find(const struct bridge_http_server *s, int fd, size_t hint)
{
    if (hint < s->nconns && s->conns[hint]->fd == fd)
        return hint;
    for (size_t i = 0; i < s->nconns; i++)
        if (s->conns[i]->fd == fd)
            return i;
    return SIZE_MAX;
}

/* Room for one more connection: grows the array; at max_conns closes the
 * oldest one still reading its head. False: every one is being answered. */
static bool make_room(struct bridge_http_server *s)
{
    if (s->nconns >= s->lim.max_conns) {
        size_t i = 0;
        while (i < s->nconns && s->conns[i]->state != HC_HEAD)
            i++;
        if (i == s->nconns)
            return false;
        s->st.rejected++;
        drop(s, i);
        if (s->nconns >= s->lim.max_conns) /* max_conns was lowered: not below it */
            return false;
    }
    if (s->nconns == s->capconns) {
        size_t cap = s->capconns ? 2 * s->capconns : 8;
        struct http_conn **p = realloc(s->conns, cap * sizeof *p);
        if (!p)
            return false;
        s->conns = p;
        s->capconns = cap;
    }
    return true;
}

static void accept_some(struct bridge_http_server *s, int64_t now_ms)
{
    for (unsigned k = 0; k < BRIDGE_HTTP_ACCEPT_BATCH; k++) {
        int fd = accept(s->lfd, NULL, NULL);
        if (fd < 0) {
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                s->accept_paused = true;
                s->accept_resume = now_ms + BRIDGE_HTTP_ACCEPT_PAUSE_MS;
            }
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            return; /* EAGAIN: no more waiting, or a pause */
        }
        s->st.accepted++;
        if (set_flags(fd) != 0) {
            close(fd);
            continue;
        }
        if (!make_room(s)) {
            s->st.rejected++;
            http_send_once(fd, 503, "too many connections");
            close(fd);
            continue;
        }
        struct http_conn *c = http_conn_new(s, fd, now_ms);
        if (!c) {
            s->st.rejected++;
            http_send_once(fd, 503, "out of memory");
            close(fd);
            continue;
        }
        s->conns[s->nconns++] = c;
    }
}

void bridge_http_process(struct bridge_http_server *s, const struct pollfd *fds, size_t n, int64_t now_ms)
{
    if (!s)
        return;
    bool listen_ready = false;
    for (size_t i = 0; fds && i < n; i++) {
        if (fds[i].revents == 0)
            continue;
        if (fds[i].fd == s->lfd) {
            listen_ready = true;
            continue;
        }
        size_t j = find(s, fds[i].fd, i > 0 ? i - 1 : 0);
        if (j == SIZE_MAX)
            continue;
        if (!http_conn_event(s, s->conns[j], fds[i].revents, now_ms))
            drop(s, j);
    }
    for (size_t i = 0; i < s->nconns;) {
        if (now_ms >= s->conns[i]->deadline && !http_conn_expire(s, s->conns[i]))
            drop(s, i);
        else
            i++;
    }
    if (s->accept_paused && now_ms >= s->accept_resume)
        s->accept_paused = false;
    if (listen_ready && !s->accept_paused)
        accept_some(s, now_ms);
    s->st.open = s->nconns;
}

int64_t bridge_http_next_deadline(const struct bridge_http_server *s)
{
    if (!s)
        return -1;
    int64_t d = s->accept_paused ? s->accept_resume : -1;
    for (size_t i = 0; i < s->nconns; i++)
        if (d < 0 || s->conns[i]->deadline < d)
            d = s->conns[i]->deadline;
    return d;
}

void bridge_http_stats(const struct bridge_http_server *s, struct bridge_http_stats *out)
{
    if (!out)
        return;
    memset(out, 0, sizeof *out);
    if (s) {
        *out = s->st;
        out->open = s->nconns;
    }
}

void bridge_http_free(struct bridge_http_server *s)
{
    if (!s)
        return;
    while (s->nconns > 0)
        drop(s, s->nconns - 1);
    free(s->conns);
    if (s->lfd >= 0)
        close(s->lfd);
    free(s);
}
