/* The client connection: one non-blocking state machine
 * (DISCONNECTED -> CONNECTING -> AUTHENTICATING -> READY <-> BUSY, any ->
 * FAILED). The event-loop entry points live here; the blocking calls in
 * client_blocking.c drive the same functions from their own poll() loop. */
#include "net/client_internal.h"

#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/auth.h"
#include "net/sock.h"
#include "rscp/clock.h"
#include "rscp/error.h"
#include "util/wipe.h"
#include "util/wiped_buf.h"

#define MAX_CREDENTIALS_LEN 60000u /* user + password must fit one frame */

void rscp_client_config_init(struct rscp_client_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->port = RSCP_DEFAULT_PORT;
    cfg->connect_timeout_ms = RSCP_DEFAULT_CONNECT_TIMEOUT_MS;
    cfg->io_timeout_ms = RSCP_DEFAULT_IO_TIMEOUT_MS;
    cfg->cipher_impl = RSCP_CIPHER_AUTO;
}

int rscp_client_new(rscp_client **out, const struct rscp_client_config *cfg)
{
    if (!out)
        return RSCP_ERR_ARG;
    *out = NULL;
    if (!cfg || !cfg->host || !cfg->host[0] || !cfg->user || !cfg->password || !cfg->key)
        return RSCP_ERR_ARG;
    if (strlen(cfg->user) + strlen(cfg->password) > MAX_CREDENTIALS_LEN)
        return RSCP_ERR_ARG;

    rscp_client *c = calloc(1, sizeof *c);
    if (!c)
        return RSCP_ERR_NOMEM;
    c->fd = -1;
    c->deadline = -1;
    c->port = cfg->port ? cfg->port : (uint16_t)RSCP_DEFAULT_PORT;
    c->connect_timeout_ms = cfg->connect_timeout_ms > 0 ? cfg->connect_timeout_ms : RSCP_DEFAULT_CONNECT_TIMEOUT_MS;
    c->io_timeout_ms = cfg->io_timeout_ms > 0 ? cfg->io_timeout_ms : RSCP_DEFAULT_IO_TIMEOUT_MS;
    c->host = rscp_net_strdup(cfg->host);
    c->user = rscp_net_strdup(cfg->user);
    c->password = rscp_net_strdup(cfg->password);
    int rc = RSCP_ERR_NOMEM;
    if (!c->host || !c->user || !c->password)
        goto fail;

    uint8_t key[RSCP_KEY_SIZE];
    rscp_key_derive(cfg->key, strlen(cfg->key), key);
    rc = rscp_cipher_new(&c->cipher, key, cfg->cipher_impl);
    rscp_util_wipe(key, sizeof key);
    if (rc != 0)
        goto fail;
    rc = rscp_reader_new_lazy(&c->reader);
    if (rc != 0)
        goto fail;
    rscp_reader_set_cipher(c->reader, c->cipher);
    *out = c;
    return 0;

fail:
    rscp_client_free(c);
    return rc;
}

/* Wipe what the send buffer ever held (an authentication frame holds the
 * password) and free it. */
static void release_sendbuf(rscp_client *c)
{
    rscp_util_wiped_release(&c->sendbuf, &c->send_cap, &c->send_used);
}

/* A send buffer of at least need bytes (at most RSCP_MAX_WIRE_SIZE), in
 * powers of two from RSCP_NET_SEND_MIN; what is queued is kept. 0 or
 * RSCP_ERR_NOMEM (nothing changed). */
static int reserve_sendbuf(rscp_client *c, size_t need)
{
    return rscp_util_wiped_reserve(&c->sendbuf, &c->send_cap, &c->send_used, c->send_len, need, RSCP_NET_SEND_MIN,
                                   RSCP_MAX_WIRE_SIZE);
}

/* The wire size of a frame with data_len bytes of blocks and a CRC. */
static size_t wire_size(size_t data_len)
{
    size_t n = RSCP_HEADER_SIZE + data_len + RSCP_CRC_SIZE;
    return (n + RSCP_CIPHER_BLOCK_SIZE - 1) / RSCP_CIPHER_BLOCK_SIZE * RSCP_CIPHER_BLOCK_SIZE;
}

void rscp_client_free(rscp_client *c)
{
    if (!c)
        return;
    rscp_client_close(c);
    rscp_reader_free(c->reader);
    rscp_cipher_free(c->cipher);
    release_sendbuf(c);
    free(c->host);
    rscp_net_free_secret(c->user);
    rscp_net_free_secret(c->password);
    free(c);
}

static void close_socket(rscp_client *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    if (c->ai_list)
        freeaddrinfo(c->ai_list);
    c->ai_list = c->ai_next = NULL;
    c->deadline = -1;
    c->send_len = c->send_off = 0;
    c->have_reply = false;
    c->building = false;
}

void rscp_client_close(rscp_client *c)
{
    if (!c)
        return;
    close_socket(c);
    c->state = RSCP_CLIENT_DISCONNECTED;
    c->auth_level = 0;
}

int rscp_client_auth_level(const rscp_client *c)
{
    return c && c->state != RSCP_CLIENT_FAILED && c->state != RSCP_CLIENT_DISCONNECTED ? c->auth_level : 0;
}

int rscp_client_state(const rscp_client *c)
{
    return c ? c->state : RSCP_CLIENT_DISCONNECTED;
}

const char *rscp_client_errstr(const rscp_client *c)
{
    if (!c)
        return "no client";
    return c->err;
}

int rscp_client_fd(const rscp_client *c)
{
    return c ? c->fd : -1;
}

static void vnote(rscp_client *c, int err, const char *fmt, va_list ap) RSCP_NET_PRINTF(3, 0);

static void vnote(rscp_client *c, int err, const char *fmt, va_list ap)
{
    int n = snprintf(c->err, sizeof c->err, "%s: ", rscp_strerror(err));
    if (n < 0 || (size_t)n >= sizeof c->err)
        return;
    vsnprintf(c->err + n, sizeof c->err - (size_t)n, fmt, ap);
}

int rscp_net_client_note(rscp_client *c, int err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vnote(c, err, fmt, ap);
    va_end(ap);
    return err;
}

int rscp_net_client_fail(rscp_client *c, int err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vnote(c, err, fmt, ap);
    va_end(ap);
    close_socket(c);
    c->state = RSCP_CLIENT_FAILED;
    c->auth_level = 0;
    return err;
}

/* ---- sending ------------------------------------------------------------ */

static bool authenticating(const rscp_client *c)
{
    return c->state == RSCP_CLIENT_AUTHENTICATING;
}

/* The peer ended the connection: how is "reset the connection" for a
 * reset, NULL for an orderly close (the error message already says
 * "closed"). */
static int closed_by_peer(rscp_client *c, const char *how)
{
    const char *sp = how ? " " : "";
    if (!how)
        how = "";
    /* A device closes at once, without a byte, on an authentication frame
     * it cannot decrypt (a wrong RSCP key) -- and so does one that accepts
     * no more connections. A close before the frame was sent, or after part
     * of the reply, is a broken connection. The message of each error code
     * (rscp_strerror) comes first in errstr: the detail adds only facts. */
    if (authenticating(c) && c->send_off < c->send_len)
        return rscp_net_client_fail(c, RSCP_ERR_CLOSED,
                                    "%s%s%s before the authentication frame was sent (%zu of %zu bytes); "
                                    "the device may accept no more connections",
                                    c->peer, sp, how, c->send_off, c->send_len);
    if (authenticating(c) && c->reply_bytes == 0)
        return rscp_net_client_fail(c, RSCP_ERR_KEY, "%s %s without a byte", c->peer,
                                    *how ? how : "closed the connection");
    if (authenticating(c))
        return rscp_net_client_fail(c, RSCP_ERR_CLOSED, "%s%s%s during authentication (%llu bytes of its reply received)",
                                    c->peer, sp, how, (unsigned long long)c->reply_bytes);
    return rscp_net_client_fail(c, RSCP_ERR_CLOSED, "%s%s%s (%llu bytes of the reply received)", c->peer, sp, how,
                                (unsigned long long)c->reply_bytes);
}

static int socket_error(rscp_client *c, const char *op, int e)
{
    if (e == ECONNRESET || e == EPIPE)
        return closed_by_peer(c, "reset the connection");
    char msg[96];
    return rscp_net_client_fail(c, RSCP_ERR_IO, "%s %s: %s", op, c->peer, rscp_net_strerror(e, msg, sizeof msg));
}

/* Write what is queued until done or the socket is full. */
static int flush(rscp_client *c)
{
    while (c->send_off < c->send_len) {
        ssize_t k = rscp_net_send(c->fd, c->sendbuf + c->send_off, c->send_len - c->send_off);
        if (k < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return 0;
            return socket_error(c, "send to", errno);
        }
        c->send_off += (size_t)k;
    }
    return 0;
}

static int seal_and_send(rscp_client *c, size_t frame_len)
{
    size_t wire_len;
    int rc = rscp_cipher_seal(c->cipher, c->sendbuf, frame_len, c->send_cap, &wire_len);
    if (wire_len > c->send_used)
        c->send_used = wire_len;
    if (rc != 0)
        return rscp_net_client_fail(c, rc, "cannot encrypt the request");
    c->send_len = wire_len;
    c->send_off = 0;
    c->reply_bytes = 0;
    return flush(c);
}

/* The connection is up: send the authentication frame. */
static int begin_auth(rscp_client *c)
{
    if (c->ai_list)
        freeaddrinfo(c->ai_list);
    c->ai_list = c->ai_next = NULL;
    c->state = RSCP_CLIENT_AUTHENTICATING;

    struct rscp_builder b;
    struct rscp_timestamp now = rscp_timestamp_now();
    size_t n = 0;
    /* A container with two strings. */
    size_t need = wire_size(3 * RSCP_BLOCK_HEADER_SIZE + strlen(c->user) + strlen(c->password));
    if (reserve_sendbuf(c, need) != 0)
        return rscp_net_client_fail(c, RSCP_ERR_NOMEM, "no memory for the authentication frame");
    rscp_builder_begin_frame(&b, c->sendbuf, c->send_cap, &now, true);
    rscp_net_put_auth_request(&b, c->user, c->password);
    int rc = rscp_builder_finish(&b, &n);
    if (n > c->send_used)
        c->send_used = n;
    if (rc != 0) {
        rscp_util_wipe(c->sendbuf, c->send_used);
        return rscp_net_client_fail(c, rc, "cannot build the authentication frame");
    }
    return seal_and_send(c, n);
}

/* ---- connecting --------------------------------------------------------- */

/* Try the addresses left in ai_next until one connects or is in progress. */
static int try_next_address(rscp_client *c)
{
    int last_errno = 0;
    while (c->ai_next) {
        struct addrinfo *ai = c->ai_next;
        c->ai_next = ai->ai_next;
        rscp_net_format_addr(ai->ai_addr, ai->ai_addrlen, c->peer, sizeof c->peer);
        int fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0) {
            last_errno = errno;
            continue;
        }
        if (rscp_net_prepare_fd(fd) != 0) {
            last_errno = errno;
            close(fd);
            continue;
        }
        rscp_net_nodelay(fd);
        c->fd = fd;
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
            return begin_auth(c);
        if (errno == EINPROGRESS || errno == EINTR) {
            c->state = RSCP_CLIENT_CONNECTING;
            return 0;
        }
        last_errno = errno;
        close(fd);
        c->fd = -1;
    }
    char msg[96];
    return rscp_net_client_fail(c, RSCP_ERR_CONNECT, "%s: %s", c->peer,
                                rscp_net_strerror(last_errno ? last_errno : ECONNREFUSED, msg, sizeof msg));
}

int rscp_client_start(rscp_client *c)
{
    if (!c)
        return RSCP_ERR_ARG;
    rscp_client_close(c);
    c->err[0] = '\0';
    rscp_cipher_reset(c->cipher);
    rscp_reader_reset(c->reader);
    c->deadline = rscp_monotonic_ms() + c->connect_timeout_ms;
    snprintf(c->peer, sizeof c->peer, "%s:%u", c->host, (unsigned)c->port);

    char port[8];
    snprintf(port, sizeof port, "%u", (unsigned)c->port);
    struct addrinfo hints;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    hints.ai_flags = AI_NUMERICSERV;
    int g = getaddrinfo(c->host, port, &hints, &c->ai_list);
    if (g != 0) {
        c->ai_list = NULL;
        char msg[96];
        const char *why = g == EAI_SYSTEM ? rscp_net_strerror(errno, msg, sizeof msg) : gai_strerror(g);
        return rscp_net_client_fail(c, RSCP_ERR_RESOLVE, "\"%s\": %s", c->host, why);
    }
    c->ai_next = c->ai_list;
    return try_next_address(c);
}

/* A non-blocking connect() finished: see whether it worked. */
static int finish_connect(rscp_client *c)
{
    int e = 0;
    socklen_t len = sizeof e;
    if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &e, &len) != 0)
        e = errno;
    if (e == 0)
        return begin_auth(c);
    close(c->fd);
    c->fd = -1;
    if (!c->ai_next) {
        char msg[96];
        return rscp_net_client_fail(c, RSCP_ERR_CONNECT, "%s: %s", c->peer, rscp_net_strerror(e, msg, sizeof msg));
    }
    return try_next_address(c);
}

/* ---- receiving ---------------------------------------------------------- */

static int reader_failed(rscp_client *c, int err)
{
    /* The reply arrived but is no valid frame: a protocol error, also
     * during authentication (a device with another key closes instead). */
    return rscp_net_client_fail(c, err, "%s from %s at stream offset %llu",
                                authenticating(c) ? "the authentication reply" : "the reply", c->peer,
                                (unsigned long long)rscp_reader_error_offset(c->reader));
}

/* One complete frame. Returns 1 when it completes the pending exchange. */
static int handle_frame(rscp_client *c, const struct rscp_frame *f)
{
    if (c->state == RSCP_CLIENT_AUTHENTICATING) {
        int level = 0;
        int rc = rscp_net_parse_auth_reply(f, &level);
        if (rc == RSCP_ERR_AUTH)
            return rscp_net_client_fail(c, rc, "by %s", c->peer);
        if (rc != 0)
            return rscp_net_client_fail(c, rc, "the authentication reply from %s holds no RSCP.AUTHENTICATION level",
                                        c->peer);
        c->auth_level = level;
        c->state = RSCP_CLIENT_READY;
        c->deadline = -1;
        return 1;
    }
    if (c->state == RSCP_CLIENT_BUSY) {
        c->reply = *f;
        c->have_reply = true;
        c->state = RSCP_CLIENT_READY;
        c->deadline = -1;
        return 1;
    }
    return rscp_net_client_fail(c, RSCP_ERR_PROTOCOL, "%s sent a frame while no request was pending", c->peer);
}

/* Feed buf[0..len) and take out frames. Returns 1 when the pending
 * exchange completed, 0 when more bytes are needed, or an error. */
static int consume(rscp_client *c, const uint8_t *buf, size_t len)
{
    size_t off = 0;
    while (off < len) {
        int k = rscp_reader_feed(c->reader, buf + off, len - off);
        if (k == RSCP_ERR_NOMEM)
            return rscp_net_client_fail(c, k, "no memory for the reply from %s", c->peer);
        if (k < 0)
            return reader_failed(c, k);
        off += (size_t)k;
        c->reply_bytes += (uint64_t)k;
        for (;;) {
            struct rscp_frame f;
            int rc = rscp_reader_next(c->reader, &f);
            if (rc < 0)
                return reader_failed(c, rc);
            if (rc == 0)
                break;
            rc = handle_frame(c, &f);
            if (rc < 0)
                return rc;
            /* RSCP is strictly request/response: nothing may follow. */
            if (off < len || rscp_reader_pending(c->reader) > 0)
                return rscp_net_client_fail(c, RSCP_ERR_PROTOCOL, "%s sent data after the reply", c->peer);
            return 1;
        }
    }
    return 0;
}

int rscp_client_on_readable(rscp_client *c)
{
    if (!c)
        return RSCP_ERR_ARG;
    switch (c->state) {
    case RSCP_CLIENT_CONNECTING:
        return finish_connect(c);
    case RSCP_CLIENT_DISCONNECTED:
    case RSCP_CLIENT_FAILED:
        return RSCP_ERR_NOT_CONNECTED;
    default:
        break;
    }
    uint8_t buf[RSCP_NET_RECV_CHUNK];
    for (;;) {
        ssize_t k = rscp_net_recv(c->fd, buf, sizeof buf);
        if (k == 0)
            return closed_by_peer(c, NULL);
        if (k < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return 0;
            return socket_error(c, "recv from", errno);
        }
        if (c->state == RSCP_CLIENT_READY)
            return rscp_net_client_fail(c, RSCP_ERR_PROTOCOL, "%s sent data while no request was pending", c->peer);
        int rc = consume(c, buf, (size_t)k);
        if (rc != 0)
            return rc;
    }
}

int rscp_client_on_writable(rscp_client *c)
{
    if (!c)
        return RSCP_ERR_ARG;
    switch (c->state) {
    case RSCP_CLIENT_CONNECTING:
        return finish_connect(c);
    case RSCP_CLIENT_AUTHENTICATING:
    case RSCP_CLIENT_BUSY:
        return flush(c);
    case RSCP_CLIENT_READY:
        return 0;
    default:
        return RSCP_ERR_NOT_CONNECTED;
    }
}

int rscp_client_on_timer(rscp_client *c, int64_t now_ms)
{
    if (!c)
        return RSCP_ERR_ARG;
    if (c->deadline < 0 || now_ms < c->deadline)
        return 0;
    switch (c->state) {
    case RSCP_CLIENT_CONNECTING:
        return rscp_net_client_fail(c, RSCP_ERR_TIMEOUT, "connect %s: no answer within %d ms", c->peer,
                                    c->connect_timeout_ms);
    case RSCP_CLIENT_AUTHENTICATING:
        return rscp_net_client_fail(c, RSCP_ERR_TIMEOUT,
                                    "%s sent no authentication reply within %d ms", c->peer,
                                    c->connect_timeout_ms);
    case RSCP_CLIENT_BUSY:
        return rscp_net_client_fail(c, RSCP_ERR_TIMEOUT, "%s: no complete reply within %d ms (%llu bytes received)",
                                    c->peer, c->io_timeout_ms, (unsigned long long)c->reply_bytes);
    default:
        return 0;
    }
}

bool rscp_client_wants_write(const rscp_client *c)
{
    if (!c)
        return false;
    if (c->state == RSCP_CLIENT_CONNECTING)
        return true;
    return (c->state == RSCP_CLIENT_AUTHENTICATING || c->state == RSCP_CLIENT_BUSY) && c->send_off < c->send_len;
}

int64_t rscp_client_next_deadline(const rscp_client *c)
{
    if (!c)
        return -1;
    switch (c->state) {
    case RSCP_CLIENT_CONNECTING:
    case RSCP_CLIENT_AUTHENTICATING:
    case RSCP_CLIENT_BUSY:
        return c->deadline;
    default:
        return -1;
    }
}

/* ---- requests ----------------------------------------------------------- */

static int check_ready(const rscp_client *c)
{
    switch (c->state) {
    case RSCP_CLIENT_READY:
        return c->building ? RSCP_ERR_STATE : 0;
    case RSCP_CLIENT_DISCONNECTED:
    case RSCP_CLIENT_FAILED:
        return RSCP_ERR_NOT_CONNECTED;
    default:
        return RSCP_ERR_STATE;
    }
}

int rscp_net_client_begin(rscp_client *c, struct rscp_builder *b, size_t data_len)
{
    int rc = check_ready(c);
    if (rc != 0)
        return rscp_net_client_note(c, rc, "a request needs an authenticated, idle connection");
    if (reserve_sendbuf(c, wire_size(data_len)) != 0)
        return rscp_net_client_note(c, RSCP_ERR_NOMEM, "no memory for the request frame");
    struct rscp_timestamp now = rscp_timestamp_now();
    c->have_reply = false;
    c->building = true;
    return rscp_builder_begin_frame(b, c->sendbuf, c->send_cap, &now, true);
}

int rscp_net_client_queue(rscp_client *c, struct rscp_builder *b)
{
    if (c->state != RSCP_CLIENT_READY || !c->building || b->buf != c->sendbuf)
        return rscp_net_client_note(c, c->state == RSCP_CLIENT_READY ? RSCP_ERR_STATE : check_ready(c),
                                    "no request was begun on this connection");
    c->building = false;
    size_t n = 0;
    int rc = rscp_builder_finish(b, &n);
    if (b->pos > c->send_used)
        c->send_used = b->pos <= c->send_cap ? b->pos : c->send_cap;
    if (rc != 0)
        return rscp_net_client_note(c, rc, "cannot build the request frame");
    c->state = RSCP_CLIENT_BUSY;
    c->deadline = rscp_monotonic_ms() + c->io_timeout_ms;
    return seal_and_send(c, n);
}

int rscp_client_submit(rscp_client *c, const void *blocks, size_t len)
{
    if (!c || (!blocks && len > 0))
        return RSCP_ERR_ARG;
    if (len > RSCP_MAX_DATA_LEN)
        return rscp_net_client_note(c, RSCP_ERR_VALUE_TOO_LONG, "%zu bytes of blocks do not fit one frame", len);
    struct rscp_builder b;
    int rc = rscp_net_client_begin(c, &b, len);
    if (rc != 0) {
        c->building = false;
        return rc;
    }
    struct rscp_iter it;
    struct rscp_block blk;
    rscp_iter_init(&it, blocks, len);
    while ((rc = rscp_iter_next(&it, &blk)) == 1)
        rscp_put_block(&b, &blk);
    if (rc < 0) {
        c->building = false;
        return rscp_net_client_note(c, RSCP_ERR_ARG, "request blocks are malformed at offset %zu (%s)",
                                    rscp_iter_offset(&it), rscp_strerror(rc));
    }
    return rscp_net_client_queue(c, &b);
}

int rscp_client_take_reply(rscp_client *c, struct rscp_frame *reply)
{
    if (!c || !reply)
        return RSCP_ERR_ARG;
    if (!c->have_reply)
        return 0;
    *reply = c->reply;
    c->have_reply = false;
    return 1;
}

void rscp_client_trim(rscp_client *c)
{
    if (!c || c->building)
        return;
    c->have_reply = false;
    rscp_reader_trim(c->reader);
    if (c->send_off >= c->send_len) {
        c->send_len = c->send_off = 0;
        release_sendbuf(c);
    }
}

size_t rscp_client_buffer_bytes(const rscp_client *c)
{
    return c ? c->send_cap + rscp_reader_capacity(c->reader) : 0;
}
