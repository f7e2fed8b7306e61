/* rscp-bridge: a site's connection and schedule (see site.h). */
#include "site_internal.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hash.h"
#include "log.h"
#include "rscp/clock.h"
#include "rscp/ems.h"
#include "rscp/error.h"

uint8_t bridge_site_reqbuf[BRIDGE_REQUEST_MAX];

static uint64_t fnv1a(uint64_t h, const char *s)
{
    return bridge_fnv1a(h, s, s ? strlen(s) : 0) ^ 0xffu; /* separates "ab"+"c" from "a"+"bc" */
}

static uint64_t secrets_hash(const struct bridge_site *cfg)
{
    uint64_t h = fnv1a(BRIDGE_FNV_OFFSET, cfg->password);
    return fnv1a(h, cfg->key);
}

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct bridge_site_rt *bridge_site_new(const struct bridge_site *cfg, const struct bridge_site_events *ev,
                                       uint64_t seed, int64_t now_ms, char *err, size_t errcap)
{
    struct bridge_site_rt *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errcap, "site %s: out of memory", cfg->name);
        return NULL;
    }
    snprintf(s->name, sizeof s->name, "%s", cfg->name);
    s->host = strdup(cfg->host ? cfg->host : "");
    s->user = strdup(cfg->user ? cfg->user : "");
    s->port = cfg->port;
    s->secret_hash = secrets_hash(cfg);
    s->groups = cfg->groups;
    s->interval_ms = cfg->interval_ms;
    s->cfg_groups = cfg->groups;
    s->cfg_interval_ms = cfg->interval_ms;
    s->timeout_ms = cfg->timeout_ms;
    s->ev = *ev;
    s->stats.last_poll_seconds = -1;
    s->snap.hold.mode = 0;

    struct rscp_client_config cc;
    rscp_client_config_init(&cc);
    cc.host = cfg->host;
    cc.port = cfg->port;
    cc.user = cfg->user;
    cc.password = cfg->password;
    cc.key = cfg->key;
    /* A stalled site must turn offline within two intervals. */
    unsigned t = cfg->timeout_ms;
    if (t > 2 * cfg->interval_ms)
        t = 2 * cfg->interval_ms;
    cc.io_timeout_ms = (int)t;
    cc.connect_timeout_ms = (int)(t > 5000 ? t : 5000);
    int rc = (s->host && s->user) ? rscp_client_new(&s->client, &cc) : RSCP_ERR_NOMEM;
    if (rc == 0) {
        struct rscp_power_hold_config hc;
        rscp_power_hold_config_init(&hc);
        hc.seed = seed | 1u;
        /* The hold's requests ride on the cycles when they come often enough. */
        rc = rscp_power_hold_new(&s->hold, &hc);
    }
    if (rc != 0) {
        snprintf(err, errcap, "site %s: %s", cfg->name, rscp_strerror(rc));
        bridge_site_free(s);
        return NULL;
    }
    rscp_backoff_init(&s->backoff, BRIDGE_BACKOFF_INITIAL_MS, BRIDGE_BACKOFF_MAX_MS, seed);
    /* Spread the first connections of many sites over one interval. */
    uint64_t h = fnv1a(BRIDGE_FNV_OFFSET, cfg->name);
    s->next_attempt_ms = now_ms + (int64_t)(h % (cfg->interval_ms ? cfg->interval_ms : 1));
    s->phase = SITE_WAIT;
    s->stall_deadline_ms = INT64_MAX;
    return s;
}

void bridge_site_free(struct bridge_site_rt *s)
{
    if (!s)
        return;
    while (s->q_len > 0)
        site_cmd_answer(s, false, "site removed from the configuration", NULL);
    rscp_client_free(s->client);
    rscp_power_hold_free(s->hold);
    free(s->errors);
    for (unsigned i = 0; i < RSCP_BAT_MAX_STRINGS; i++)
        free(s->snap.dcb[i]);
    free(s->host);
    free(s->user);
    free(s);
}

const char *bridge_site_name(const struct bridge_site_rt *s) { return s->name; }
bool bridge_site_online(const struct bridge_site_rt *s) { return s->online; }
const struct bridge_snapshot *bridge_site_snapshot(const struct bridge_site_rt *s) { return &s->snap; }
const struct bridge_site_stats *bridge_site_stats(const struct bridge_site_rt *s) { return &s->stats; }
uint32_t bridge_site_groups(const struct bridge_site_rt *s) { return s->groups; }
uint64_t bridge_site_conn_id(const struct bridge_site_rt *s) { return s->conn_id; }
bool bridge_site_settled(const struct bridge_site_rt *s) { return s->stats.polls > 0 || s->stats.failures > 0; }

bool bridge_site_same_config(const struct bridge_site_rt *s, const struct bridge_site *cfg)
{
    return strcmp(s->name, cfg->name) == 0 && strcmp(s->host, cfg->host ? cfg->host : "") == 0 &&
           strcmp(s->user, cfg->user ? cfg->user : "") == 0 && s->port == cfg->port &&
           s->secret_hash == secrets_hash(cfg) && s->cfg_groups == cfg->groups && s->cfg_interval_ms == cfg->interval_ms &&
           s->timeout_ms == cfg->timeout_ms;
}

int bridge_site_fd(const struct bridge_site_rt *s)
{
    if (s->phase != SITE_CONNECTING && s->phase != SITE_BUSY && s->phase != SITE_READY)
        return -1;
    return rscp_client_fd(s->client);
}

short bridge_site_events(const struct bridge_site_rt *s)
{
    if (bridge_site_fd(s) < 0)
        return 0;
    /* READY: watch for a close by the device (POLLIN gives an error then). */
    short ev = POLLIN;
    if (rscp_client_wants_write(s->client))
        ev |= POLLOUT;
    return ev;
}

static void set_online(struct bridge_site_rt *s, bool on, const char *why)
{
    if (s->online == on && s->ever_connected)
        return;
    bool first = !s->ever_connected;
    s->online = on;
    if (on)
        s->ever_connected = true;
    if (on || !first || why) {
        if (on)
            BRIDGE_INFO("site %s: online", s->name);
        else
            BRIDGE_WARN("site %s: offline: %s", s->name, why ? why : "not connected");
        if (s->ev.status)
            s->ev.status(s->ev.ctx, s, on, why);
    }
}

void site_fail(struct bridge_site_rt *s, const char *why, int64_t now_ms)
{
    char reason[300];
    snprintf(reason, sizeof reason, "%s", why);
    s->stats.failures++;
    site_note_error(s, "%s", reason);
    bool was_cmd = s->phase == SITE_BUSY && (s->xchg == XCHG_CMD || s->xchg == XCHG_CMD_READ ||
                                             s->xchg == XCHG_CMD_VERIFY);
    rscp_client_close(s->client);
    s->phase = s->draining ? SITE_STOPPED : SITE_WAIT;
    s->xchg = XCHG_NONE;
    s->hold_in_cycle = false;
    uint32_t delay = rscp_backoff_next(&s->backoff);
    s->next_attempt_ms = now_ms + delay;
    s->stall_deadline_ms = INT64_MAX;
    /* The snapshot's per-connection parts are read again after a reconnect. */
    s->snap.have &= ~(uint32_t)(BRIDGE_HAVE_PLANT | BRIDGE_HAVE_SPECS);
    set_online(s, false, reason);
    if (was_cmd && s->cmd_active) {
        char msg[BRIDGE_RESULT_TEXT_MAX];
        snprintf(msg, sizeof msg, "connection lost: %.200s", reason);
        site_cmd_answer(s, false, msg, NULL);
    }
    /* Commands still waiting cannot run while the site is down. */
    while (s->q_len > 0)
        site_cmd_answer(s, false, "site offline", NULL);
    BRIDGE_DEBUG("site %s: next attempt in %u ms", s->name, delay);
}

static const char *xchg_name(int x)
{
    static const char *const names[] = {"none", "setup", "cycle", "slow", "hold", "command read", "command",
                                        "command check"};
    return x >= 0 && x <= XCHG_CMD_VERIFY ? names[x] : "?";
}

int site_submit(struct bridge_site_rt *s, struct rscp_builder *b, int x, int64_t now_ms)
{
    size_t n = 0;
    int rc = rscp_builder_error(b);
    if (rc == 0)
        n = b->pos;
    if (rc == 0)
        rc = rscp_client_submit(s->client, b->buf, n);
    if (rc != 0) {
        char why[300];
        snprintf(why, sizeof why, "cannot send a request: %s", rscp_client_errstr(s->client));
        site_fail(s, why, now_ms);
        return -1;
    }
    s->phase = SITE_BUSY;
    s->xchg = x;
    if (bridge_log_level() >= BRIDGE_LOG_DEBUG)
        BRIDGE_DEBUG("site %s: request %s, %zu bytes", s->name, xchg_name(x), n);
    return 0;
}

static void start_connect(struct bridge_site_rt *s, int64_t now_ms)
{
    if (s->ever_connected || s->stats.failures > 0)
        s->stats.reconnects++;
    s->conn_id++;
    int rc = rscp_client_start(s->client);
    if (rc != 0) {
        char why[300];
        snprintf(why, sizeof why, "%s", rscp_client_errstr(s->client));
        site_fail(s, why, now_ms);
        return;
    }
    s->phase = SITE_CONNECTING;
}

/* Start the next exchange when one is due. */
static void start_next(struct bridge_site_rt *s, int64_t now_ms)
{
    if (s->phase != SITE_READY)
        return;
    struct rscp_builder b;
    rscp_builder_init(&b, bridge_site_reqbuf, sizeof bridge_site_reqbuf);
    if (!(s->snap.have & BRIDGE_HAVE_PLANT)) {
        site_setup_request(s, &b);
        site_submit(s, &b, XCHG_SETUP, now_ms);
        return;
    }
    if (s->draining) {
        if (rscp_power_hold_next(s->hold) <= now_ms && rscp_power_hold_put(s->hold, &b, now_ms) == 1)
            site_submit(s, &b, XCHG_HOLD, now_ms);
        else
            s->phase = SITE_STOPPED;
        return;
    }
    bool cycle_due = now_ms >= s->next_poll_ms || s->poll_now;
    /* Commands first, but a due cycle is not put off by a stream of them. */
    if (s->q_len > 0 && !(cycle_due && s->stats.polls > 0 && now_ms - s->next_poll_ms > (int64_t)s->interval_ms)) {
        site_cmd_start(s, now_ms);
        return;
    }
    if (cycle_due) {
        if (now_ms - s->next_poll_ms >= (int64_t)s->interval_ms && s->stats.polls > 0) {
            int64_t late = (now_ms - s->next_poll_ms) / (int64_t)s->interval_ms;
            s->stats.missed += (uint64_t)late;
            s->next_poll_ms += late * (int64_t)s->interval_ms;
        }
        s->cycle_was_due = now_ms >= s->next_poll_ms;
        s->poll_now = false;
        s->cycle_started_ms = now_ms;
        site_cycle_request(s, &b);
        s->hold_in_cycle = false;
        if (rscp_power_hold_next(s->hold) <= now_ms + (int64_t)s->interval_ms / 2) {
            int rc = rscp_power_hold_put(s->hold, &b, now_ms);
            s->hold_in_cycle = rc == 1;
        }
        site_submit(s, &b, XCHG_CYCLE, now_ms);
        return;
    }
    if (rscp_power_hold_next(s->hold) <= now_ms) {
        if (rscp_power_hold_put(s->hold, &b, now_ms) == 1)
            site_submit(s, &b, XCHG_HOLD, now_ms);
        return;
    }
    if (now_ms >= s->next_slow_ms && (s->groups & (BRIDGE_GROUP_DCB | BRIDGE_GROUP_HISTORY))) {
        if (site_slow_request(s, &b, now_ms) > 0) {
            site_submit(s, &b, XCHG_SLOW, now_ms);
            return;
        }
        s->next_slow_ms = now_ms + BRIDGE_SLOW_EVERY_MS;
    }
}

/* The hold as the topics show it: cycles_left counts the poll intervals
 * until its end, rounded up (a started hold shows at least 1), and 0 for a
 * hold without an end. */
static void update_hold_state(struct bridge_site_rt *s, int64_t now_ms)
{
    struct rscp_power_hold_status st;
    rscp_power_hold_status(s->hold, &st);
    s->snap.hold.cycles_left = 0;
    if (st.state == RSCP_HOLD_ACTIVE) {
        s->snap.hold.mode = st.mode;
        s->snap.hold.watts = st.watts;
        if (st.until_ms != INT64_MAX && s->interval_ms > 0) {
            int64_t left = st.until_ms > now_ms ? st.until_ms - now_ms : 0;
            int64_t n = (left + (int64_t)s->interval_ms - 1) / (int64_t)s->interval_ms;
            s->snap.hold.cycles_left = n < 1 ? 1u : n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
        }
    } else {
        s->snap.hold.mode = RSCP_POWER_AUTO;
        s->snap.hold.watts = 0;
    }
    s->snap.have |= BRIDGE_HAVE_HOLD;
}

static void exchange_done(struct bridge_site_rt *s, const struct rscp_frame *f, int64_t now_ms)
{
    char why[300] = "";
    int x = s->xchg;
    s->phase = SITE_READY;
    s->xchg = XCHG_NONE;
    switch (x) {
    case XCHG_SETUP:
        if (site_setup_parse(s, f, now_ms, why, sizeof why) != 0) {
            site_fail(s, why, now_ms);
            return;
        }
        if (s->next_poll_ms == 0 || s->next_poll_ms < now_ms)
            s->next_poll_ms = now_ms;
        s->next_slow_ms = now_ms;
        break;
    case XCHG_CYCLE: {
        if (s->hold_in_cycle) {
            int64_t mirrored = 0;
            if (rscp_power_hold_reply(s->hold, f, &mirrored) == RSCP_ERR_DEVICE)
                BRIDGE_WARN("site %s: the device refused the power mode", s->name);
        }
        s->hold_in_cycle = false;
        if (site_cycle_parse(s, f, why, sizeof why) != 0) {
            site_fail(s, why, now_ms);
            return;
        }
        update_hold_state(s, now_ms);
        s->stats.polls++;
        s->stats.last_poll_seconds = (double)(now_ms - s->cycle_started_ms) / 1000.0;
        s->stats.last_success_unix_ms = wall_ms();
        s->snap.taken_unix_ms = s->stats.last_success_unix_ms;
        /* A cycle run early (after a command) keeps the schedule. */
        if (s->cycle_was_due) {
            s->next_poll_ms += s->interval_ms;
            if (s->next_poll_ms <= now_ms - (int64_t)s->interval_ms)
                s->next_poll_ms = now_ms;
        }
        s->stall_deadline_ms = now_ms + 2 * (int64_t)s->interval_ms + (int64_t)s->timeout_ms;
        rscp_backoff_reset(&s->backoff);
        set_online(s, true, NULL);
        if (s->ev.cycle)
            s->ev.cycle(s->ev.ctx, s);
        break;
    }
    case XCHG_SLOW:
        site_slow_parse(s, f);
        s->next_slow_ms = now_ms + BRIDGE_SLOW_EVERY_MS;
        break;
    case XCHG_HOLD: {
        int64_t mirrored = 0;
        if (rscp_power_hold_reply(s->hold, f, &mirrored) == RSCP_ERR_DEVICE)
            BRIDGE_WARN("site %s: the device refused the power mode", s->name);
        update_hold_state(s, now_ms);
        break;
    }
    case XCHG_CMD_READ:
    case XCHG_CMD:
    case XCHG_CMD_VERIFY:
        s->xchg = x; /* site_cmd_reply() looks at it */
        site_cmd_reply(s, f, now_ms);
        if (s->phase == SITE_READY)
            s->xchg = XCHG_NONE;
        break;
    default:
        break;
    }
}

void bridge_site_io(struct bridge_site_rt *s, short revents, int64_t now_ms)
{
    if (s->phase != SITE_CONNECTING && s->phase != SITE_BUSY && s->phase != SITE_READY)
        return;
    int rc = 0;
    if (revents & POLLOUT) {
        rc = rscp_client_on_writable(s->client);
        if (rc < 0)
            goto failed;
    }
    if (revents & (POLLIN | POLLERR | POLLHUP)) {
        if (s->phase == SITE_READY) {
            /* Nothing is pending: any byte or a close is an error. */
            rc = rscp_client_on_readable(s->client);
            if (rc < 0)
                goto failed;
            return;
        }
        rc = rscp_client_on_readable(s->client);
        if (rc < 0)
            goto failed;
        if (rc == 1) {
            if (s->phase == SITE_CONNECTING) {
                BRIDGE_DEBUG("site %s: authenticated (level %d)", s->name, rscp_client_auth_level(s->client));
                s->phase = SITE_READY;
            } else {
                struct rscp_frame f;
                if (rscp_client_take_reply(s->client, &f) == 1)
                    exchange_done(s, &f, now_ms);
            }
            start_next(s, now_ms);
            /* A site waits most of its interval: its connection holds no
             * buffer meanwhile (a thousand sites, a few of them busy). */
            rscp_client_trim(s->client);
        }
    }
    return;
failed: {
        char why[300];
        snprintf(why, sizeof why, "%s", rscp_client_errstr(s->client));
        site_fail(s, why, now_ms);
    }
}

void bridge_site_timer(struct bridge_site_rt *s, int64_t now_ms)
{
    switch (s->phase) {
    case SITE_WAIT:
        if (now_ms >= s->next_attempt_ms && !s->draining)
            start_connect(s, now_ms);
        break;
    case SITE_CONNECTING:
    case SITE_BUSY: {
        int rc = rscp_client_on_timer(s->client, now_ms);
        if (rc < 0) {
            char why[300];
            snprintf(why, sizeof why, "%s", rscp_client_errstr(s->client));
            site_fail(s, why, now_ms);
        }
        break;
    }
    case SITE_READY:
        start_next(s, now_ms);
        break;
    default:
        break;
    }
    if (s->online && now_ms >= s->stall_deadline_ms) {
        /* Connected, yet no good cycle for two intervals: a stall. */
        site_fail(s, "no good poll for two intervals", now_ms);
    }
}

int64_t bridge_site_next_deadline(const struct bridge_site_rt *s)
{
    int64_t d = INT64_MAX;
    switch (s->phase) {
    case SITE_WAIT:
        d = s->draining ? INT64_MAX : s->next_attempt_ms;
        break;
    case SITE_CONNECTING:
    case SITE_BUSY: {
        int64_t c = rscp_client_next_deadline(s->client);
        if (c >= 0)
            d = c;
        break;
    }
    case SITE_READY: {
        if (s->q_len > 0 || s->poll_now || !(s->snap.have & BRIDGE_HAVE_PLANT))
            return 0;
        d = s->next_poll_ms;
        int64_t h = rscp_power_hold_next(s->hold);
        if (h < d)
            d = h;
        if ((s->groups & (BRIDGE_GROUP_DCB | BRIDGE_GROUP_HISTORY)) && s->next_slow_ms < d)
            d = s->next_slow_ms;
        if (s->draining)
            d = 0;
        break;
    }
    default:
        break;
    }
    if (s->online && s->stall_deadline_ms < d)
        d = s->stall_deadline_ms;
    return d;
}

int bridge_site_command(struct bridge_site_rt *s, const struct bridge_command *cmd, uint64_t tag, char *err,
                        size_t errcap)
{
    if (s->draining) {
        snprintf(err, errcap, "the bridge is stopping");
        return -1;
    }
    if (!s->online) {
        snprintf(err, errcap, "site offline");
        return -1;
    }
    if (s->q_len >= BRIDGE_SITE_QUEUE_MAX) {
        snprintf(err, errcap, "busy: %u commands waiting", BRIDGE_SITE_QUEUE_MAX);
        return -1;
    }
    struct site_cmd *q = &s->queue[(s->q_head + s->q_len) % BRIDGE_SITE_QUEUE_MAX];
    q->cmd = *cmd;
    q->tag = tag;
    q->wb = -1;
    q->fresh = false;
    s->q_len++;
    return 0;
}

void bridge_site_drain(struct bridge_site_rt *s, int64_t now_ms)
{
    (void)now_ms;
    s->draining = true;
    rscp_power_hold_stop(s->hold);
    site_cmd_refuse_waiting(s, "the bridge is stopping");
    if (s->phase == SITE_WAIT)
        s->phase = SITE_STOPPED;
}

bool bridge_site_idle(const struct bridge_site_rt *s)
{
    return s->phase == SITE_STOPPED || s->phase == SITE_WAIT ||
           (s->phase == SITE_READY && rscp_power_hold_next(s->hold) == INT64_MAX);
}
