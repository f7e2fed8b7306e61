/* Keeping a SET_POWER mode alive: a state machine on the caller's clock. */
#include "rscp/power_hold.h"

#include <stdlib.h>

#include "rscp/ems.h"
#include "rscp/error.h"

struct rscp_power_hold {
    struct rscp_power_hold_config cfg;
    uint64_t rng;          /* xorshift64 state of the jitter */
    int state;
    int mode;
    int32_t watts;
    int64_t until_ms;      /* INT64_MAX: until stopped */
    int64_t next_ms;       /* INT64_MAX: nothing due */
    bool written;          /* a request was written */
    int32_t last_sent;     /* the value of the last request written */
    uint32_t sent, replies, mismatches, device_errors;
    int64_t last_mirrored;
};

void rscp_power_hold_config_init(struct rscp_power_hold_config *cfg)
{
    if (!cfg)
        return;
    cfg->interval_ms = RSCP_POWER_HOLD_DEFAULT_INTERVAL_MS;
    cfg->jitter_ms = RSCP_POWER_HOLD_DEFAULT_JITTER_MS;
    cfg->seed = 1;
}

int rscp_power_hold_new(rscp_power_hold **out, const struct rscp_power_hold_config *cfg)
{
    if (!out)
        return RSCP_ERR_ARG;
    *out = NULL;
    struct rscp_power_hold_config c;
    rscp_power_hold_config_init(&c);
    if (cfg)
        c = *cfg;
    if (c.interval_ms == 0 || c.interval_ms > RSCP_POWER_HOLD_MAX_INTERVAL_MS || c.jitter_ms > c.interval_ms / 2)
        return RSCP_ERR_ARG;
    rscp_power_hold *h = calloc(1, sizeof *h);
    if (!h)
        return RSCP_ERR_NOMEM;
    h->cfg = c;
    h->rng = c.seed != 0 ? c.seed : 0x9E3779B97F4A7C15u; /* xorshift needs a non-zero state */
    h->state = RSCP_HOLD_OFF;
    h->until_ms = INT64_MAX;
    h->next_ms = INT64_MAX;
    *out = h;
    return 0;
}

void rscp_power_hold_free(rscp_power_hold *h)
{
    free(h);
}

/* The next resend period: interval minus 0..jitter ms. */
static int64_t period(rscp_power_hold *h)
{
    uint64_t x = h->rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    h->rng = x;
    uint64_t jitter = h->cfg.jitter_ms > 0 ? x % ((uint64_t)h->cfg.jitter_ms + 1) : 0;
    return (int64_t)h->cfg.interval_ms - (int64_t)jitter;
}

static bool mode_valid(int mode, int32_t watts)
{
    bool needs_power = mode != RSCP_POWER_AUTO && mode != RSCP_POWER_IDLE;
    return needs_power ? watts >= 1 && watts <= RSCP_SET_POWER_MAX_W : watts == 0;
}

int rscp_power_hold_start(rscp_power_hold *h, int mode, int32_t watts, int64_t now_ms, int64_t duration_ms)
{
    if (!h || mode < RSCP_POWER_AUTO || mode > RSCP_POWER_GRID_CHARGE || duration_ms < 0)
        return RSCP_ERR_ARG;
    if (!mode_valid(mode, watts))
        return RSCP_ERR_RANGE;
    if (mode == RSCP_POWER_AUTO) {
        h->state = RSCP_HOLD_ENDING;
        h->next_ms = INT64_MIN; /* due at any time */
        return 0;
    }
    h->state = RSCP_HOLD_ACTIVE;
    h->mode = mode;
    h->watts = watts;
    h->until_ms = duration_ms > 0 && now_ms <= INT64_MAX - duration_ms ? now_ms + duration_ms : INT64_MAX;
    h->next_ms = now_ms;
    return 0;
}

void rscp_power_hold_stop(rscp_power_hold *h)
{
    if (!h || h->state != RSCP_HOLD_ACTIVE)
        return;
    h->state = RSCP_HOLD_ENDING;
    h->next_ms = INT64_MIN; /* due at any time */
}

int64_t rscp_power_hold_next(const rscp_power_hold *h)
{
    if (!h || h->state == RSCP_HOLD_OFF)
        return INT64_MAX;
    if (h->state == RSCP_HOLD_ACTIVE && h->until_ms < h->next_ms)
        return h->until_ms;
    return h->next_ms;
}

int rscp_power_hold_put(rscp_power_hold *h, struct rscp_builder *b, int64_t now_ms)
{
    if (!h || !b)
        return RSCP_ERR_ARG;
    if (h->state == RSCP_HOLD_OFF || now_ms < rscp_power_hold_next(h))
        return 0;
    bool closing = h->state == RSCP_HOLD_ENDING || now_ms >= h->until_ms;
    int mode = closing ? RSCP_POWER_AUTO : h->mode;
    int32_t watts = closing ? 0 : h->watts;
    int rc = rscp_set_power_request(b, mode, watts);
    if (rc != 0)
        return rc;
    h->written = true;
    h->last_sent = watts;
    h->sent++;
    if (closing) {
        h->state = RSCP_HOLD_OFF;
        h->next_ms = INT64_MAX;
        h->until_ms = INT64_MAX;
    } else {
        int64_t p = period(h);
        h->next_ms = now_ms <= INT64_MAX - p ? now_ms + p : INT64_MAX;
    }
    return 1;
}

int rscp_power_hold_reply(rscp_power_hold *h, const struct rscp_frame *reply, int64_t *mirrored)
{
    if (!h || !reply)
        return RSCP_ERR_ARG;
    if (!h->written)
        return RSCP_ERR_STATE;
    int64_t v = 0;
    int rc = rscp_set_power_parse(reply, &v, NULL);
    if (rc == RSCP_ERR_DEVICE)
        h->device_errors++;
    if (rc != 0)
        return rc;
    h->replies++;
    h->last_mirrored = v;
    if (mirrored)
        *mirrored = v;
    if (v != h->last_sent) {
        h->mismatches++;
        return 1;
    }
    return 0;
}

void rscp_power_hold_status(const rscp_power_hold *h, struct rscp_power_hold_status *st)
{
    if (!h || !st)
        return;
    st->state = h->state;
    st->mode = h->state == RSCP_HOLD_ACTIVE ? h->mode : RSCP_POWER_AUTO;
    st->watts = h->state == RSCP_HOLD_ACTIVE ? h->watts : 0;
    st->until_ms = h->until_ms;
    st->next_ms = rscp_power_hold_next(h);
    st->sent = h->sent;
    st->replies = h->replies;
    st->mismatches = h->mismatches;
    st->device_errors = h->device_errors;
    st->last_mirrored = h->last_mirrored;
}
