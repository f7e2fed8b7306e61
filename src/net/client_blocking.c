/* Blocking calls: a small poll() loop over the one non-blocking state
 * machine of client.c, bounded by the state's CLOCK_MONOTONIC deadline. */
#include "net/client_internal.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>

#include "net/sock.h"
#include "rscp/clock.h"
#include "rscp/error.h"

/* Drive the state machine until done(c) or an error. */
static int run_until(rscp_client *c, bool (*done)(const rscp_client *))
{
    while (!done(c)) {
        int64_t now = rscp_monotonic_ms();
        int rc = rscp_client_on_timer(c, now);
        if (rc < 0)
            return rc;
        int64_t deadline = rscp_client_next_deadline(c);
        if (deadline < 0) /* nothing pending but not done: cannot happen */
            return rscp_net_client_fail(c, RSCP_ERR_STATE, "no exchange pending");
        int64_t wait = deadline - now;
        struct pollfd p;
        p.fd = rscp_client_fd(c);
        p.events = (short)(POLLIN | (rscp_client_wants_write(c) ? POLLOUT : 0));
        p.revents = 0;
        int n = poll(&p, 1, wait > INT_MAX ? INT_MAX : (int)wait);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            char msg[96];
            return rscp_net_client_fail(c, RSCP_ERR_IO, "poll: %s", rscp_net_strerror(errno, msg, sizeof msg));
        }
        if (n == 0)
            continue; /* the deadline is checked at the top */
        if (p.revents & (POLLOUT | POLLERR | POLLHUP | POLLNVAL)) {
            if (rscp_client_state(c) == RSCP_CLIENT_CONNECTING || (p.revents & POLLOUT)) {
                rc = rscp_client_on_writable(c);
                if (rc < 0)
                    return rc;
            }
        }
        if ((p.revents & (POLLIN | POLLERR | POLLHUP)) && rscp_client_state(c) != RSCP_CLIENT_CONNECTING &&
            p.fd == rscp_client_fd(c)) {
            rc = rscp_client_on_readable(c);
            if (rc < 0)
                return rc;
        }
    }
    return 0;
}

static bool is_connected(const rscp_client *c)
{
    return c->state == RSCP_CLIENT_READY;
}

static bool has_reply(const rscp_client *c)
{
    return c->have_reply;
}

int rscp_client_connect(rscp_client *c)
{
    int rc = rscp_client_start(c);
    if (rc < 0)
        return rc;
    return run_until(c, is_connected);
}

int rscp_client_request_begin(rscp_client *c, struct rscp_builder *b)
{
    if (!c || !b)
        return RSCP_ERR_ARG;
    return rscp_net_client_begin(c, b, RSCP_MAX_DATA_LEN);
}

int rscp_client_request_send(rscp_client *c, struct rscp_builder *b, struct rscp_frame *reply)
{
    if (!c || !b || !reply)
        return RSCP_ERR_ARG;
    int rc = rscp_net_client_queue(c, b);
    if (rc < 0)
        return rc;
    rc = run_until(c, has_reply);
    if (rc < 0)
        return rc;
    return rscp_client_take_reply(c, reply) == 1 ? 0 : RSCP_ERR_STATE;
}

int rscp_client_request(rscp_client *c, const void *blocks, size_t len, struct rscp_frame *reply)
{
    if (!c || !reply)
        return RSCP_ERR_ARG;
    int rc = rscp_client_submit(c, blocks, len);
    if (rc < 0)
        return rc;
    rc = run_until(c, has_reply);
    if (rc < 0)
        return rc;
    return rscp_client_take_reply(c, reply) == 1 ? 0 : RSCP_ERR_STATE;
}
