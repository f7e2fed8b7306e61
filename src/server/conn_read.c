/* The request path of a server connection: decrypt, authenticate, hand
 * requests to the handler, build the reply; one request frame per turn.
 *
 * Behaviour towards a client (modelled on a device):
 * - A frame holding RSCP.REQ_AUTHENTICATION with credentials (at any time)
 *   authenticates: the reply is RSCP.AUTHENTICATION UCHAR8 level, or INT32
 *   0 when the credentials are wrong (or faults.refuse_auth); the level
 *   drops to 0 on failure, and the refusal goes through the policy of
 *   auth_guard.c (held back, counted). Without credentials it is a level
 *   query: the current level, nothing changes.
 * - Any other frame before a successful authentication is answered, block
 *   by block, with the response tag typed ERROR ACCESS_DENIED (an empty
 *   frame or one with more blocks than a reply holds gets
 *   RSCP.GENERAL_ERROR ACCESS_DENIED). The handler never sees it.
 * - A frame that does not decrypt to a valid frame (wrong key, bad magic,
 *   CRC, padding) closes the connection without a reply.
 * - After authentication every frame goes to the handler; a negative
 *   return closes the connection, a reply that the handler could not write
 *   becomes ERROR blocks (reply_fit.c). */
#include <errno.h>
#include <string.h>

#include "net/auth.h"
#include "net/sock.h"
#include "rscp/clock.h"
#include "rscp/error.h"
#include "rscp/value.h"
#include "server/server_internal.h"

#define ERROR_BLOCK_SIZE (RSCP_BLOCK_HEADER_SIZE + 4u)

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
        rscp_server__conn_close(conn); /* not reached: every reply is fitted first */
        return;
    }
    rscp_server__conn_queue(s, conn, len, after_auth, now);
}

static void put_level(struct rscp_builder *b, int level)
{
    if (level > 0)
        rscp_put_uchar8(b, RSCP_NET_TAG_AUTHENTICATION, (uint8_t)level);
    else
        rscp_put_int32(b, RSCP_NET_TAG_AUTHENTICATION, 0);
}

static void authenticate(rscp_server *s, struct rscp_server_conn *conn, const struct rscp_net_credentials *cr,
                         int64_t now)
{
    /* Evaluate both comparisons: the time does not tell which one failed. */
    int user_ok = rscp_server__secret_equal(cr->user, cr->user_len, s->user, strlen(s->user));
    int password_ok = rscp_server__secret_equal(cr->password, cr->password_len, s->password, strlen(s->password));
    bool ok = !s->faults.refuse_auth && user_ok && password_ok;
    conn->auth_level = ok ? s->auth_level : 0;
    if (ok) {
        conn->ever_authenticated = true;
        conn->auth_failures = 0;
        rscp_server__auth_accepted(s, conn);
    } else if (!s->faults.refuse_auth) {
        rscp_server__auth_refused(s, conn, now); /* before queueing: the refusal is held */
    }
    struct rscp_builder b;
    begin_reply(s, &b);
    put_level(&b, conn->auth_level);
    finish_reply(s, conn, &b, false, now);
}

static void level_query(rscp_server *s, struct rscp_server_conn *conn, int64_t now)
{
    struct rscp_builder b;
    begin_reply(s, &b);
    put_level(&b, conn->auth_level);
    finish_reply(s, conn, &b, false, now);
}

static void deny(rscp_server *s, struct rscp_server_conn *conn, const struct rscp_frame *f, int64_t now)
{
    struct rscp_builder b;
    struct rscp_iter it;
    struct rscp_block blk;
    size_t n = 0;
    rscp_frame_iter(f, &it);
    while (rscp_iter_next(&it, &blk) == 1)
        n++;
    begin_reply(s, &b);
    if (n == 0 || n * ERROR_BLOCK_SIZE > RSCP_MAX_DATA_LEN) {
        rscp_put_error(&b, RSCP_NET_TAG_GENERAL_ERROR, RSCP_NET_ERR_ACCESS_DENIED);
    } else {
        rscp_frame_iter(f, &it);
        while (rscp_iter_next(&it, &blk) == 1)
            rscp_put_error(&b, blk.tag | RSCP_TAG_RESPONSE_BIT, RSCP_NET_ERR_ACCESS_DENIED);
    }
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
        int err = rscp_builder_error(&b);
        if (err == 0 && b.depth)
            err = RSCP_ERR_STATE; /* a container left open */
        if (err == 0 && b.pos - b.data_start > RSCP_MAX_DATA_LEN)
            err = RSCP_ERR_VALUE_TOO_LONG;
        if (err == 0 && b.cap - b.pos < RSCP_CRC_SIZE)
            err = RSCP_ERR_NOSPACE;
        if (err != 0) {
            s->stats.oversized_replies++;
            rscp_server__reply_fit(s, &b, f, err);
        }
    }
    finish_reply(s, conn, &b, true, now);
}

/* Answer one frame. Returns true when it held credentials. */
static bool handle_frame(rscp_server *s, struct rscp_server_conn *conn, const struct rscp_frame *f, int64_t now)
{
    struct rscp_net_credentials cr;
    switch (rscp_net_find_auth_request(f, &cr)) {
    case RSCP_NET_AUTH_CREDENTIALS: authenticate(s, conn, &cr, now); return true;
    case RSCP_NET_AUTH_QUERY: level_query(s, conn, now); return false;
    default:
        if (conn->auth_level <= 0)
            deny(s, conn, f, now);
        else
            serve(s, conn, f, now);
        return false;
    }
}

bool rscp_server__conn_may_work(const rscp_server *s, struct rscp_server_conn *conn, int64_t now)
{
    if (conn->dead || conn->eof || conn->close_when_sent || conn->hold_until > now)
        return false;
    if (s->max_unsent && rscp_server__conn_unsent(conn) >= s->max_unsent)
        return false; /* backpressure: the client does not read its replies */
    if (conn->auth_level <= 0 && rscp_server__addr_next_try(s, conn) > now)
        return false; /* its address is penalised for refused authentications */
    return true;
}

/* Read what fits into the reader. Returns false when nothing new arrived. */
static bool receive(rscp_server *s, struct rscp_server_conn *conn, int64_t now)
{
    size_t pending = rscp_reader_pending(conn->reader);
    /* the reader takes this much: a complete frame is never pending here */
    size_t room = pending < RSCP_MAX_WIRE_SIZE ? RSCP_MAX_WIRE_SIZE - pending : 0;
    if (room > RSCP_SERVER_RECV_CHUNK)
        room = RSCP_SERVER_RECV_CHUNK;
    if (room == 0) {
        rscp_server__conn_close(conn);
        return false;
    }
    ssize_t k = rscp_net_recv(conn->fd, s->rbuf, room);
    if (k == 0) {
        conn->eof = true; /* answer what came, then close */
        return false;
    }
    if (k < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            rscp_server__conn_close(conn);
        return false;
    }
    conn->last_io = now;
    int took = rscp_reader_feed(conn->reader, s->rbuf, (size_t)k);
    if (took != (int)k) {
        if (took == RSCP_ERR_NOMEM)
            s->stats.alloc_failures++;
        rscp_server__conn_close(conn); /* wrong key, garbage or no memory: no reply */
        return false;
    }
    return true;
}

bool rscp_server__conn_turn(rscp_server *s, struct rscp_server_conn *conn, int64_t now, bool readable)
{
    rscp_server__conn_release(conn, now);
    if (!rscp_server__conn_may_work(s, conn, now))
        return false;
    struct rscp_frame f;
    int rc = conn->frame_ready ? rscp_reader_next(conn->reader, &f) : 0;
    if (rc == 0) {
        conn->frame_ready = false;
        if (!readable || !receive(s, conn, now))
            return false;
        rc = rscp_reader_next(conn->reader, &f);
    }
    if (rc < 0) {
        rscp_server__conn_close(conn);
        return false;
    }
    if (rc == 0)
        return false;
    conn->frame_ready = true; /* more may be buffered: looked at next turn */
    s->stats.requests++;
    bool auth = handle_frame(s, conn, &f, now);
    /* Memory follows the traffic: a large buffer, or one that held
     * credentials, is wiped and given back once nothing is pending. */
    if (!conn->dead && rscp_reader_pending(conn->reader) == 0 &&
        (auth || rscp_reader_capacity(conn->reader) > RSCP_SERVER_READER_KEEP))
        rscp_reader_trim(conn->reader);
    return !conn->dead;
}
