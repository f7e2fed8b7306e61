/* The reply path of a server connection, where the test faults live:
 * drop / corrupt a frame, delay, coalesce, chunk, stall, close, reset.
 * Also where a held refusal is released and a connection that is done
 * (end of input, too many refusals) closes once its replies are out. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/sock.h"
#include "rscp/types.h"
#include "server/server_internal.h"

void rscp_server__conn_close(struct rscp_server_conn *conn)
{
    if (conn->fd >= 0)
        close(conn->fd);
    conn->fd = -1;
    conn->dead = true;
}

void rscp_server__conn_reset(struct rscp_server_conn *conn)
{
    if (conn->fd >= 0) {
        struct linger lg = {1, 0};
        (void)setsockopt(conn->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    }
    rscp_server__conn_close(conn);
}

static bool reserve(struct rscp_server_conn *conn, size_t extra)
{
    if (conn->out_cap - conn->out_len >= extra)
        return true;
    size_t cap = conn->out_cap ? conn->out_cap : 256;
    while (cap - conn->out_len < extra)
        cap *= 2;
    uint8_t *p = realloc(conn->out, cap);
    if (!p)
        return false;
    conn->out = p;
    conn->out_cap = cap;
    return true;
}

void rscp_server__conn_queue(rscp_server *s, struct rscp_server_conn *conn, size_t len, bool after_auth,
                             int64_t now)
{
    const struct rscp_server_faults *fx = &s->faults;
    if (after_auth) {
        conn->replies++;
        if (fx->drop_frame && conn->replies == fx->drop_frame)
            return; /* never sealed: the IV chain stays in step */
        if (fx->corrupt_crc && len >= RSCP_HEADER_SIZE + RSCP_CRC_SIZE)
            s->scratch[len - 1] ^= 0x01u; /* the CRC is the last field */
    }
    size_t wire = 0;
    if (rscp_cipher_seal(conn->cipher, s->scratch, len, RSCP_MAX_WIRE_SIZE, &wire) != 0 || !reserve(conn, wire)) {
        s->stats.alloc_failures++;
        rscp_server__conn_close(conn);
        return;
    }
    memcpy(conn->out + conn->out_len, s->scratch, wire);
    conn->out_len += wire;
    if (after_auth && fx->coalesce > 1)
        conn->held++;
    if (conn->hold_until > now) {
        /* a refusal held back: released by rscp_server__conn_write() */
    } else if (!after_auth || conn->held == 0 || conn->held >= fx->coalesce) {
        conn->flush_len = conn->out_len;
        conn->held = 0;
    }
    if (fx->delay_ms)
        conn->ready_at = now + (int64_t)fx->delay_ms;
    size_t unsent = rscp_server__conn_unsent(conn);
    if (unsent > s->stats.max_unsent_seen)
        s->stats.max_unsent_seen = unsent;
}

size_t rscp_server__conn_unsent(const struct rscp_server_conn *conn)
{
    return conn->out_len - conn->out_off;
}

/* All written: free a large buffer (memory follows the traffic). */
static void drained(struct rscp_server_conn *conn)
{
    conn->out_off = conn->out_len = conn->flush_len = 0;
    if (conn->out_cap > RSCP_SERVER_OUT_KEEP) {
        free(conn->out);
        conn->out = NULL;
        conn->out_cap = 0;
    }
}

void rscp_server__conn_release(struct rscp_server_conn *conn, int64_t now)
{
    if (conn->hold_until && conn->hold_until <= now) {
        conn->hold_until = 0;
        conn->flush_len = conn->out_len;
        conn->held = 0;
    }
}

bool rscp_server__conn_wants_write(const struct rscp_server_conn *conn, int64_t now)
{
    return !conn->dead && !conn->stalled && conn->out_off < conn->flush_len && now >= conn->ready_at;
}

static size_t min_size(size_t a, uint64_t b)
{
    return (uint64_t)a < b ? a : (size_t)b;
}

void rscp_server__conn_write(rscp_server *s, struct rscp_server_conn *conn, int64_t now)
{
    const struct rscp_server_faults *fx = &s->faults;
    rscp_server__conn_release(conn, now);
    while (rscp_server__conn_wants_write(conn, now)) {
        size_t n = conn->flush_len - conn->out_off;
        if (fx->chunk)
            n = min_size(n, fx->chunk);
        if (fx->stall_after)
            n = min_size(n, fx->stall_after - conn->sent);
        if (fx->close_after)
            n = min_size(n, fx->close_after - conn->sent);
        ssize_t k = rscp_net_send(conn->fd, conn->out + conn->out_off, n);
        if (k < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                rscp_server__conn_close(conn);
            return;
        }
        conn->out_off += (size_t)k;
        conn->sent += (uint64_t)k;
        conn->last_io = now;
        if (fx->close_after && conn->sent >= fx->close_after) {
            rscp_server__conn_close(conn);
            return;
        }
        if (fx->stall_after && conn->sent >= fx->stall_after)
            conn->stalled = true;
        if (conn->out_off == conn->out_len)
            drained(conn);
        if (fx->chunk)
            break; /* one chunk per poll round: the peer sees each piece */
    }
    if (!conn->dead && (conn->eof || conn->close_when_sent) && conn->hold_until == 0 &&
        (rscp_server__conn_unsent(conn) == 0 || conn->stalled))
        rscp_server__conn_close(conn);
}
