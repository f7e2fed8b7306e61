/* The request path of a server connection: decrypt, authenticate, hand
 * requests to the handler, build the reply.
 *
 * Behaviour towards a client (modelled on a device):
 * - A frame holding RSCP.REQ_AUTHENTICATION (at any time) authenticates:
 *   the reply is RSCP.AUTHENTICATION UCHAR8 level, or INT32 0 when the
 *   credentials are wrong (or faults.refuse_auth); the connection stays
 *   open either way and the level drops to 0 on failure.
 * - Any other frame before a successful authentication is answered, block
 *   by block, with the response tag typed ERROR ACCESS_DENIED (an empty
 *   frame gets RSCP.GENERAL_ERROR ACCESS_DENIED). The handler never sees it.
 * - A frame that does not decrypt to a valid frame (wrong key, bad magic,
 *   CRC, padding) closes the connection without a reply.
 * - After authentication every frame goes to the handler; a negative
 *   return, or a reply that does not fit one frame, closes the connection. */
#include <errno.h>
#include <string.h>

#include "net/auth.h"
#include "net/sock.h"
#include "rscp/clock.h"
#include "rscp/value.h"
#include "server/server_internal.h"

/* The header time of the next reply: the configured clock or the real one. */
static struct rscp_timestamp reply_time(rscp_server *s)
{
    if (!s->now)
        return rscp_timestamp_now();
    struct rscp_timestamp t = s->now(s->now_ctx);
    if (t.nanoseconds >= 1000000000u) {
        t.seconds += (int64_t)(t.nanoseconds / 1000000000u);
        t.nanoseconds %= 1000000000u;
    }
    return t;
}

static void begin_reply(rscp_server *s, struct rscp_builder *b)
{
    struct rscp_timestamp now = reply_time(s);
    rscp_builder_begin_frame(b, s->scratch, RSCP_MAX_WIRE_SIZE, &now, true);
}

static void finish_reply(rscp_server *s, struct rscp_server_conn *conn, struct rscp_builder *b, bool after_auth,
                         int64_t now)
{
    size_t len = 0;
    if (rscp_builder_finish(b, &len) != 0) {
        rscp_server__conn_close(conn);
        return;
    }
    rscp_server__conn_queue(s, conn, len, after_auth, now);
}

static void authenticate(rscp_server *s, struct rscp_server_conn *conn, const char *user, size_t user_len,
                         const char *password, size_t password_len, int64_t now)
{
    bool ok = !s->faults.refuse_auth;
    /* Evaluate both comparisons: the time does not tell which one failed. */
    int user_ok = rscp_net_equal(user, user_len, s->user, strlen(s->user));
    int password_ok = rscp_net_equal(password, password_len, s->password, strlen(s->password));
    ok = ok && user_ok && password_ok;
    conn->auth_level = ok ? s->auth_level : 0;

    struct rscp_builder b;
    begin_reply(s, &b);
    if (ok)
        rscp_put_uchar8(&b, RSCP_NET_TAG_AUTHENTICATION, (uint8_t)s->auth_level);
    else
        rscp_put_int32(&b, RSCP_NET_TAG_AUTHENTICATION, 0);
    finish_reply(s, conn, &b, false, now);
}

static void deny(rscp_server *s, struct rscp_server_conn *conn, const struct rscp_frame *f, int64_t now)
{
    struct rscp_builder b;
    struct rscp_iter it;
    struct rscp_block blk;
    unsigned n = 0;
    begin_reply(s, &b);
    rscp_frame_iter(f, &it);
    while (rscp_iter_next(&it, &blk) == 1) {
        rscp_put_error(&b, blk.tag | RSCP_TAG_RESPONSE_BIT, RSCP_NET_ERR_ACCESS_DENIED);
        n++;
    }
    if (n == 0)
        rscp_put_error(&b, RSCP_NET_TAG_GENERAL_ERROR, RSCP_NET_ERR_ACCESS_DENIED);
    finish_reply(s, conn, &b, false, now);
}

static void serve(rscp_server *s, struct rscp_server_conn *conn, const struct rscp_frame *f, int64_t now)
{
    const struct rscp_server_faults *fx = &s->faults;
    conn->requests++;
    if (fx->reset) {
        rscp_server__conn_reset(conn);
        return;
    }
    struct rscp_builder b;
    begin_reply(s, &b);
    if (fx->busy_every && conn->requests % fx->busy_every == 0) {
        rscp_put_error(&b, RSCP_NET_TAG_GENERAL_ERROR, RSCP_NET_ERR_AGAIN);
    } else {
        struct rscp_session_info info = {conn->id, conn->auth_level, conn->peer};
        if (s->handler(s->handler_ctx, &info, f, &b) < 0) {
            rscp_server__conn_close(conn);
            return;
        }
    }
    finish_reply(s, conn, &b, true, now);
}

static void handle_frame(rscp_server *s, struct rscp_server_conn *conn, const struct rscp_frame *f, int64_t now)
{
    const char *user, *password;
    size_t user_len, password_len;
    if (rscp_net_find_auth_request(f, &user, &user_len, &password, &password_len))
        authenticate(s, conn, user, user_len, password, password_len, now);
    else if (conn->auth_level <= 0)
        deny(s, conn, f, now);
    else
        serve(s, conn, f, now);
}

/* Feed bytes to the reader and answer every complete frame. */
static void feed(rscp_server *s, struct rscp_server_conn *conn, const uint8_t *p, size_t n, int64_t now)
{
    size_t off = 0;
    while (off < n) {
        int k = rscp_reader_feed(conn->reader, p + off, n - off);
        if (k < 0) {
            rscp_server__conn_close(conn); /* wrong key or garbage: no reply */
            return;
        }
        off += (size_t)k;
        for (;;) {
            struct rscp_frame f;
            int rc = rscp_reader_next(conn->reader, &f);
            if (rc < 0) {
                rscp_server__conn_close(conn);
                return;
            }
            if (rc == 0)
                break;
            handle_frame(s, conn, &f, now);
            if (conn->dead)
                return;
        }
    }
}

void rscp_server__conn_read(rscp_server *s, struct rscp_server_conn *conn, int64_t now)
{
    for (int i = 0; i < RSCP_SERVER_READS_PER_ROUND && !conn->dead; i++) {
        if (conn->out_len - conn->out_off > RSCP_SERVER_OUT_LIMIT)
            return; /* the client does not read its replies: stop reading its requests */
        ssize_t k = rscp_net_recv(conn->fd, s->rbuf, RSCP_SERVER_RECV_CHUNK);
        if (k == 0) {
            rscp_server__conn_close(conn);
            return;
        }
        if (k < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                rscp_server__conn_close(conn);
            return;
        }
        conn->last_rx = now;
        feed(s, conn, s->rbuf, (size_t)k, now);
    }
}
