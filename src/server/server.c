/* The server object: listening socket, the connection table and the one
 * poll() loop that serves them all. */
#define _GNU_SOURCE 1 /* POLLRDHUP (Linux): a peer that hung up while not being read */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/sock.h"
#include "rscp/clock.h"
#include "rscp/error.h"
#include "server/server_internal.h"
#include "util/wipe.h"

#define DEFAULT_AUTH_LEVEL 10
#define ACCEPT_PAUSE_MS 100 /* after running out of descriptors or memory */

/* Detail of the last failed rscp_server_new() in this thread. */
static _Thread_local char new_error[256];

void rscp_server_config_init(struct rscp_server_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->auth_level = DEFAULT_AUTH_LEVEL;
    cfg->max_clients = RSCP_SERVER_DEFAULT_MAX_CLIENTS;
    cfg->auth_timeout_ms = RSCP_SERVER_DEFAULT_AUTH_TIMEOUT_MS;
    cfg->idle_timeout_ms = RSCP_SERVER_DEFAULT_IDLE_TIMEOUT_MS;
    cfg->auth_delay_ms = RSCP_SERVER_DEFAULT_AUTH_DELAY_MS;
    cfg->auth_delay_max_ms = RSCP_SERVER_DEFAULT_AUTH_DELAY_MAX_MS;
    cfg->max_auth_failures = RSCP_SERVER_DEFAULT_MAX_AUTH_FAILURES;
    cfg->max_unsent = RSCP_SERVER_DEFAULT_MAX_UNSENT;
}

static void set_err(char *buf, size_t cap, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void set_err(char *buf, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, cap, fmt, ap);
    va_end(ap);
}

static bool reserve_slot(rscp_server *s);

static int listen_on(rscp_server *s, const char *host, uint16_t port)
{
    char portstr[8];
    snprintf(portstr, sizeof portstr, "%u", (unsigned)port);
    struct addrinfo hints, *list = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    int g = getaddrinfo(host, portstr, &hints, &list);
    if (g != 0) {
        set_err(new_error, sizeof new_error, "resolve \"%s\": %s", host, gai_strerror(g));
        return RSCP_ERR_RESOLVE;
    }
    char msg[96] = "no address";
    char addr[64] = "";
    for (struct addrinfo *ai = list; ai; ai = ai->ai_next) {
        rscp_net_format_addr(ai->ai_addr, ai->ai_addrlen, addr, sizeof addr);
        int fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0) {
            rscp_net_strerror(errno, msg, sizeof msg);
            continue;
        }
        int one = 1;
        (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (rscp_net_prepare_fd(fd) != 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 ||
            listen(fd, SOMAXCONN) != 0) {
            rscp_net_strerror(errno, msg, sizeof msg);
            close(fd);
            continue;
        }
        struct sockaddr_storage ss;
        socklen_t len = sizeof ss;
        if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0) {
            if (ss.ss_family == AF_INET6)
                s->port = ntohs(((struct sockaddr_in6 *)(void *)&ss)->sin6_port);
            else
                s->port = ntohs(((struct sockaddr_in *)(void *)&ss)->sin_port);
        }
        s->lfd = fd;
        freeaddrinfo(list);
        return 0;
    }
    freeaddrinfo(list);
    set_err(new_error, sizeof new_error, "listen on %s: %s", addr[0] ? addr : host, msg);
    return RSCP_ERR_IO;
}

int rscp_server_new(rscp_server **out, const struct rscp_server_config *cfg)
{
    new_error[0] = '\0';
    if (!out)
        return RSCP_ERR_ARG;
    *out = NULL;
    if (!cfg || !cfg->user || !cfg->password || !cfg->key || !cfg->handler || cfg->auth_level < 0 ||
        cfg->auth_level > 255) {
        set_err(new_error, sizeof new_error, "server configuration needs user, password, key and handler");
        return RSCP_ERR_ARG;
    }
    rscp_server *s = calloc(1, sizeof *s);
    if (!s)
        return RSCP_ERR_NOMEM;
    s->lfd = -1;
    s->auth_level = cfg->auth_level ? cfg->auth_level : DEFAULT_AUTH_LEVEL;
    s->max_clients = cfg->max_clients ? cfg->max_clients : RSCP_SERVER_DEFAULT_MAX_CLIENTS;
    s->auth_timeout_ms = cfg->auth_timeout_ms > 0 ? cfg->auth_timeout_ms : 0;
    s->idle_timeout_ms = cfg->idle_timeout_ms > 0 ? cfg->idle_timeout_ms : 0;
    s->auth_delay_ms = cfg->auth_delay_ms;
    s->auth_delay_max_ms = cfg->auth_delay_max_ms > cfg->auth_delay_ms ? cfg->auth_delay_max_ms : cfg->auth_delay_ms;
    s->max_auth_failures = cfg->max_auth_failures;
    s->max_unsent = cfg->max_unsent;
    s->handler = cfg->handler;
    s->handler_ctx = cfg->handler_ctx;
    s->faults = cfg->faults;
    s->now = cfg->now;
    s->now_ctx = cfg->now_ctx;
    rscp_key_derive(cfg->key, strlen(cfg->key), s->key);
    s->user = rscp_net_strdup(cfg->user);
    s->password = rscp_net_strdup(cfg->password);
    s->rbuf = malloc(RSCP_SERVER_RECV_CHUNK);
    s->scratch = malloc(RSCP_MAX_WIRE_SIZE);
    int rc = RSCP_ERR_NOMEM;
    if (!s->user || !s->password || !s->rbuf || !s->scratch || !reserve_slot(s))
        goto fail;
    rc = listen_on(s, cfg->bind_host ? cfg->bind_host : "127.0.0.1", cfg->port);
    if (rc != 0)
        goto fail;
    *out = s;
    return 0;
fail:
    rscp_server_free(s);
    return rc;
}

static void conn_free(struct rscp_server_conn *conn)
{
    rscp_server__conn_close(conn);
    rscp_reader_free(conn->reader);
    rscp_cipher_free(conn->cipher);
    free(conn->out);
    free(conn);
}

void rscp_server_free(rscp_server *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nconns; i++)
        conn_free(s->conns[i]);
    free(s->conns);
    free(s->pfds);
    if (s->lfd >= 0)
        close(s->lfd);
    rscp_util_wipe(s->key, sizeof s->key);
    rscp_net_free_secret(s->user);
    rscp_net_free_secret(s->password);
    free(s->rbuf);
    free(s->scratch);
    free(s->fit);
    free(s);
}

uint16_t rscp_server_port(const rscp_server *s)
{
    return s ? s->port : 0;
}

unsigned rscp_server_clients(const rscp_server *s)
{
    return s ? (unsigned)s->nconns : 0;
}

void rscp_server_get_stats(const rscp_server *s, struct rscp_server_stats *out)
{
    if (!out)
        return;
    if (s)
        *out = s->stats;
    else
        memset(out, 0, sizeof *out);
}

const char *rscp_server_errstr(const rscp_server *s)
{
    return s ? s->err : new_error;
}

/* ---- accepting ------------------------------------------------------------ */

/* Room for one more connection in the table and in the poll array, so
 * that a poll round never allocates. */
static bool reserve_slot(rscp_server *s)
{
    if (s->nconns < s->conns_cap)
        return true;
    size_t cap = s->conns_cap ? s->conns_cap * 2 : 16;
    struct pollfd *p = realloc(s->pfds, (cap + 1) * sizeof *p);
    if (!p)
        return false;
    s->pfds = p;
    struct rscp_server_conn **c = realloc(s->conns, cap * sizeof *c);
    if (!c)
        return false;
    s->conns = c;
    s->conns_cap = cap;
    return true;
}

static struct rscp_server_conn *conn_new(rscp_server *s, int fd, const struct sockaddr *sa, socklen_t salen,
                                         int64_t now)
{
    if (!reserve_slot(s))
        return NULL;
    struct rscp_server_conn *conn = calloc(1, sizeof *conn);
    if (!conn)
        return NULL;
    conn->fd = fd;
    if (rscp_reader_new_lazy(&conn->reader) != 0 ||
        rscp_cipher_new(&conn->cipher, s->key, RSCP_CIPHER_AUTO) != 0) {
        conn->fd = -1; /* the caller closes fd */
        conn_free(conn);
        return NULL;
    }
    rscp_reader_set_cipher(conn->reader, conn->cipher);
    rscp_net_format_addr(sa, salen, conn->peer, sizeof conn->peer);
    rscp_server__addr_key(sa, conn->addr_key);
    conn->addr_slot = RSCP_SERVER_ADDR_SLOTS;
    conn->id = ++s->next_id;
    conn->accepted_at = now;
    conn->last_io = now;
    s->conns[s->nconns++] = conn;
    return conn;
}

/* Drop closed connections from the table. */
static void compact(rscp_server *s)
{
    size_t j = 0;
    for (size_t i = 0; i < s->nconns; i++) {
        if (s->conns[i]->dead)
            conn_free(s->conns[i]);
        else
            s->conns[j++] = s->conns[i];
    }
    s->nconns = j;
}

/* At max_clients: close the oldest connection that never authenticated.
 * Returns false when every connection is authenticated. */
static bool make_room(rscp_server *s)
{
    struct rscp_server_conn *victim = NULL;
    for (size_t i = 0; i < s->nconns; i++) {
        struct rscp_server_conn *c = s->conns[i];
        if (!c->dead && !c->ever_authenticated && (!victim || c->accepted_at < victim->accepted_at ||
                                                   (c->accepted_at == victim->accepted_at && c->id < victim->id)))
            victim = c;
    }
    if (!victim)
        return false;
    rscp_server__conn_close(victim);
    s->stats.evicted++;
    compact(s);
    return true;
}

/* Accept pending connections (a bounded number per round). At max_clients
 * a new client replaces the oldest unauthenticated one; when all are
 * authenticated it is accepted and closed at once, so it sees a closed
 * connection rather than a hang. */
static void accept_some(rscp_server *s, int64_t now)
{
    for (int n = 0; n < RSCP_SERVER_ACCEPTS_PER_ROUND; n++) {
        struct sockaddr_storage ss;
        socklen_t len = sizeof ss;
        int fd = accept(s->lfd, (struct sockaddr *)&ss, &len);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                char msg[96];
                set_err(s->err, sizeof s->err, "accept: %s", rscp_net_strerror(errno, msg, sizeof msg));
                s->accept_paused_until = now + ACCEPT_PAUSE_MS;
            }
            return;
        }
        if (rscp_net_prepare_fd(fd) != 0) {
            close(fd);
            continue;
        }
        size_t live = 0;
        for (size_t i = 0; i < s->nconns; i++)
            live += !s->conns[i]->dead;
        if (live >= s->max_clients && !make_room(s)) {
            s->stats.rejected_full++;
            close(fd);
            continue;
        }
        rscp_net_nodelay(fd);
        if (!conn_new(s, fd, (struct sockaddr *)&ss, len, now)) {
            set_err(s->err, sizeof s->err, "accept: out of memory");
            s->stats.alloc_failures++;
            close(fd);
            continue;
        }
        s->stats.accepted++;
    }
}

/* ---- the poll loop -------------------------------------------------------- */

static int64_t min_wait(int64_t wait, int64_t candidate)
{
    if (candidate < 0)
        candidate = 0;
    return wait < 0 || candidate < wait ? candidate : wait;
}

/* The time at which conn's deadline (authentication or idle) passes, or
 * -1 without one. */
static int64_t deadline(const rscp_server *s, const struct rscp_server_conn *conn)
{
    int64_t d = -1;
    if (s->auth_timeout_ms > 0 && !conn->ever_authenticated)
        d = conn->accepted_at + s->auth_timeout_ms;
    if (s->idle_timeout_ms > 0) {
        int64_t idle = conn->last_io + s->idle_timeout_ms;
        if (d < 0 || idle < d)
            d = idle;
    }
    return d;
}

/* Close connections past their deadline. */
static void enforce_deadlines(rscp_server *s, int64_t now)
{
    if (s->auth_timeout_ms <= 0 && s->idle_timeout_ms <= 0)
        return;
    for (size_t i = 0; i < s->nconns; i++) {
        struct rscp_server_conn *conn = s->conns[i];
        if (conn->dead)
            continue;
        if (s->auth_timeout_ms > 0 && !conn->ever_authenticated && now - conn->accepted_at >= s->auth_timeout_ms) {
            s->stats.auth_timeouts++;
            rscp_server__conn_close(conn);
        } else if (s->idle_timeout_ms > 0 && now - conn->last_io >= s->idle_timeout_ms) {
            s->stats.idle_timeouts++;
            rscp_server__conn_close(conn);
        }
    }
}

/* How long poll() may sleep: 0 with work buffered, else the caller's limit
 * cut by pending delays, held refusals, penalties and deadlines. */
static int poll_timeout(const rscp_server *s, int timeout_ms, int64_t now, bool work)
{
    if (work)
        return 0;
    int64_t wait = timeout_ms < 0 ? -1 : timeout_ms;
    if (s->accept_paused_until > now)
        wait = min_wait(wait, s->accept_paused_until - now);
    for (size_t i = 0; i < s->nconns; i++) {
        struct rscp_server_conn *conn = s->conns[i];
        if (!conn->stalled && conn->out_off < conn->flush_len && conn->ready_at > now)
            wait = min_wait(wait, conn->ready_at - now);
        if (conn->hold_until > now)
            wait = min_wait(wait, conn->hold_until - now);
        if (conn->auth_level <= 0) {
            int64_t t = rscp_server__addr_next_try(s, conn);
            if (t > now)
                wait = min_wait(wait, t - now);
        }
        int64_t d = deadline(s, conn);
        if (d >= 0)
            wait = min_wait(wait, d - now);
    }
    return wait > 1000000000 ? 1000000000 : (int)wait;
}

#ifdef POLLRDHUP
#define RDHUP POLLRDHUP
#else
#define RDHUP 0
#endif

/* conn is not served only because of the authentication policy. */
static bool waits_for_auth(const rscp_server *s, struct rscp_server_conn *conn, int64_t now)
{
    return !conn->dead && !conn->ever_authenticated &&
           (conn->hold_until > now || rscp_server__addr_next_try(s, conn) > now);
}

int rscp_server_run_once(rscp_server *s, int timeout_ms)
{
    if (!s)
        return RSCP_ERR_ARG;
    int64_t now = rscp_monotonic_ms();
    size_t polled = s->nconns; /* the poll array has room: see reserve_slot() */
    bool work = false;
    s->pfds[0].fd = s->accept_paused_until > now ? -1 : s->lfd;
    s->pfds[0].events = POLLIN;
    s->pfds[0].revents = 0;
    for (size_t i = 0; i < polled; i++) {
        struct rscp_server_conn *conn = s->conns[i];
        short ev = 0;
        if (rscp_server__conn_may_work(s, conn, now)) {
            if (conn->frame_ready)
                work = true; /* a frame may be buffered: no sleeping */
            else
                ev |= POLLIN;
        } else if (waits_for_auth(s, conn, now)) {
            ev |= RDHUP; /* see below */
        }
        if (rscp_server__conn_wants_write(conn, now))
            ev |= POLLOUT;
        s->pfds[i + 1].fd = conn->fd;
        s->pfds[i + 1].events = ev;
        s->pfds[i + 1].revents = 0;
    }
    int n = poll(s->pfds, (nfds_t)(polled + 1), poll_timeout(s, timeout_ms, now, work));
    if (n < 0) {
        if (errno == EINTR || errno == ENOMEM || errno == EAGAIN)
            return 0; /* transient: the next round tries again */
        char msg[96];
        set_err(s->err, sizeof s->err, "poll: %s", rscp_net_strerror(errno, msg, sizeof msg));
        return RSCP_ERR_IO;
    }
    now = rscp_monotonic_ms();
    /* One turn per connection: at most one request frame each, starting
     * one further every round so that no connection always goes first. */
    size_t first = polled ? (size_t)(s->rounds++ % polled) : 0;
    for (size_t k = 0; k < polled; k++) {
        size_t i = (first + k) % polled;
        struct rscp_server_conn *conn = s->conns[i];
        short re = s->pfds[i + 1].revents;
        if (conn->dead)
            continue;
        if (re & POLLNVAL) {
            rscp_server__conn_close(conn);
            continue;
        }
        bool readable = (re & (POLLIN | POLLHUP | POLLERR)) != 0;
        if (conn->frame_ready || readable)
            rscp_server__conn_turn(s, conn, now, readable);
        /* A hung-up peer that is not being read would wake every poll. One
         * that hung up while its authentication waits (held refusal,
         * penalised address) gets no answer: a guess whose answer nobody
         * reads is not worth evaluating. */
        if (!conn->dead && (re & (POLLHUP | POLLERR | RDHUP)) && !rscp_server__conn_may_work(s, conn, now))
            rscp_server__conn_close(conn);
    }
    if (s->pfds[0].revents & POLLIN)
        accept_some(s, now);
    /* Write what is ready: fresh replies, expired delays, released refusals. */
    for (size_t i = 0; i < s->nconns; i++) {
        struct rscp_server_conn *conn = s->conns[i];
        if (!conn->dead)
            rscp_server__conn_write(s, conn, now);
    }
    enforce_deadlines(s, now);
    compact(s);
    return 0;
}

int rscp_server_run(rscp_server *s, volatile int *stop)
{
    if (!s || !stop)
        return RSCP_ERR_ARG;
    while (!*stop) {
        int rc = rscp_server_run_once(s, 100);
        if (rc < 0)
            return rc;
    }
    return 0;
}
