/* rscp-bridge: running a site's commands (set/ topics) as exchanges with
 * the device, and answering each exactly once. A command that needs the
 * current state (settings, idle periods, manual charge, wallbox) uses the
 * last cycle's copy, or reads it first when the cycle did not have it.
 * The wallbox commands' write and reply are in site_wallbox.c. */
#include "site_internal.h"

#include <stdio.h>
#include <string.h>

#include "log.h"
#include "rscp/clock.h"
#include "rscp/ems.h"
#include "rscp/error.h"
#include "rscp/tags.h"
#include "rscp/car_modes.h"

/* Read steps before a command: one per command. */
#define NEED_SETTINGS 1
#define NEED_IDLE 2
#define NEED_MANUAL 3
#define NEED_WALLBOX 4

static struct site_cmd *head(struct bridge_site_rt *s) { return &s->queue[s->q_head]; }

/* Answer the queued command q (one of s->queue), which the caller then
 * drops from the queue. */
static void answer(struct bridge_site_rt *s, const struct site_cmd *q, bool ok, const char *error, const char *info)
{
    struct bridge_cmd_result r;
    memset(&r, 0, sizeof r);
    r.tag = q->tag;
    r.kind = q->cmd.kind;
    r.wallbox = q->cmd.wallbox;
    r.ok = ok;
    if (!ok)
        snprintf(r.error, sizeof r.error, "%s", error ? error : "failed");
    else if (info)
        snprintf(r.info, sizeof r.info, "%s", info);
    s->stats.commands++;
    char topic[64];
    bridge_command_topic_of(r.kind, r.wallbox, topic, sizeof topic);
    if (ok)
        BRIDGE_INFO("site %s: set/%s done", s->name, topic);
    else {
        BRIDGE_WARN("site %s: set/%s failed: %s", s->name, topic, r.error);
        site_note_error(s, "set/%s failed: %s", topic, r.error);
    }
    if (s->ev.result)
        s->ev.result(s->ev.ctx, s, &r);
}

void site_cmd_answer(struct bridge_site_rt *s, bool ok, const char *error, const char *info)
{
    if (s->q_len == 0)
        return;
    struct site_cmd q = *head(s);
    s->q_head = (s->q_head + 1) % BRIDGE_SITE_QUEUE_MAX;
    s->q_len--;
    s->cmd_active = false;
    answer(s, &q, ok, error, info);
}

void site_cmd_refuse_waiting(struct bridge_site_rt *s, const char *error)
{
    unsigned keep = s->cmd_active ? 1u : 0u;
    while (s->q_len > keep) {
        struct site_cmd q = s->queue[(s->q_head + s->q_len - 1) % BRIDGE_SITE_QUEUE_MAX];
        s->q_len--;
        answer(s, &q, false, error, NULL);
    }
}

/* The device's error (by its name) or a parse failure, as the command's
 * answer. */
void site_cmd_dev_error(struct bridge_site_rt *s, const char *what, int rc, uint32_t derr)
{
    char msg[BRIDGE_RESULT_TEXT_MAX];
    const char *name = rc == RSCP_ERR_DEVICE ? rscp_device_error_name(derr) : NULL;
    if (rc == RSCP_ERR_DEVICE && name)
        snprintf(msg, sizeof msg, "the device refused %s: %s (0x%08x)", what, name, (unsigned)derr);
    else if (rc == RSCP_ERR_DEVICE)
        snprintf(msg, sizeof msg, "the device refused %s (error 0x%08x)", what, (unsigned)derr);
    else
        snprintf(msg, sizeof msg, "no usable answer to %s: %s", what, rscp_strerror(rc));
    site_cmd_answer(s, false, msg, NULL);
}

static int need_of(const struct bridge_command *c)
{
    switch (c->kind) {
    case BRIDGE_CMD_WEATHER:
    case BRIDGE_CMD_POWER_SAVE:
    case BRIDGE_CMD_POWER_LIMITS:
    case BRIDGE_CMD_MAX_CHARGE:
    case BRIDGE_CMD_MAX_DISCHARGE:
    case BRIDGE_CMD_DISCHARGE_START:
        return NEED_SETTINGS;
    case BRIDGE_CMD_IDLE_PERIOD:
        return NEED_IDLE;
    case BRIDGE_CMD_MANUAL_CHARGE:
        return NEED_MANUAL;
    default:
        return bridge_command_per_wallbox(c->kind) ? NEED_WALLBOX : 0;
    }
}

/* The state a command changes, read just before it: a read-modify-write
 * (the power settings re-sent whole, idle periods, the wallbox's toggles)
 * must start from the device's state now, not the last cycle's, or a
 * command sent right after another would undo it. Reads it from the
 * reply into the snapshot; whether the part the command needs was there. */
static bool read_need(struct bridge_site_rt *s, const struct site_cmd *q, int need, const struct rscp_frame *f)
{
    struct bridge_snapshot *sn = &s->snap;
    uint32_t derr = 0;
    switch (need) {
    case NEED_SETTINGS:
        if (rscp_power_settings_parse(f, &sn->settings, &derr) != 0)
            return false;
        sn->have |= BRIDGE_HAVE_SETTINGS;
        return true;
    case NEED_IDLE:
        if (rscp_idle_periods_parse(f, &sn->idle, &derr) != 0)
            return false;
        sn->have |= BRIDGE_HAVE_IDLE;
        return sn->idle.periods_present;
    case NEED_MANUAL:
        if (rscp_manual_charge_parse(f, &sn->manual_charge, &derr) != 0)
            return false;
        sn->have |= BRIDGE_HAVE_MANUAL;
        return true;
    case NEED_WALLBOX: {
        struct rscp_wallbox w;
        if (q->wb < 0 || rscp_wallbox_parse(f, (unsigned)q->wb, &w) != 0 ||
            !(w.present & RSCP_WB_STATUS))
            return false;
        sn->wb[q->wb] = w;
        return true;
    }
    default:
        return true;
    }
}

static int settings_change(const struct bridge_command *c, struct rscp_power_settings_change *ch)
{
    memset(ch, 0, sizeof *ch);
    switch (c->kind) {
    case BRIDGE_CMD_WEATHER:
        ch->set = RSCP_PS_WEATHER;
        ch->weather_regulated = c->flag;
        break;
    case BRIDGE_CMD_POWER_SAVE:
        ch->set = RSCP_PS_POWER_SAVE;
        ch->power_save = c->flag;
        break;
    case BRIDGE_CMD_POWER_LIMITS:
        ch->set = RSCP_PS_LIMITS_USED;
        ch->limits_used = c->flag;
        break;
    case BRIDGE_CMD_MAX_CHARGE:
        ch->set = RSCP_PS_MAX_CHARGE;
        ch->max_charge = c->value;
        break;
    case BRIDGE_CMD_MAX_DISCHARGE:
        ch->set = RSCP_PS_MAX_DISCHARGE;
        ch->max_discharge = c->value;
        break;
    case BRIDGE_CMD_DISCHARGE_START:
        ch->set = RSCP_PS_DISCHARGE_START;
        ch->discharge_start = c->value;
        break;
    default:
        return -1;
    }
    return 0;
}

static int put_power_mode(struct bridge_site_rt *s, struct rscp_builder *b, const struct bridge_command *c,
                          int64_t now_ms, char *err, size_t cap)
{
    int32_t watts = (int32_t)c->watts;
    if (c->mode == RSCP_POWER_AUTO || c->mode == RSCP_POWER_IDLE)
        watts = 0;
    int spec = -1;
    if (c->mode == RSCP_POWER_CHARGE || c->mode == RSCP_POWER_GRID_CHARGE)
        spec = RSCP_SPEC_MAX_BAT_CHARGE_POWER;
    else if (c->mode == RSCP_POWER_DISCHARGE)
        spec = RSCP_SPEC_MAX_BAT_DISCHARGE_POWER;
    int64_t max = 0;
    if (spec >= 0 && (s->snap.have & BRIDGE_HAVE_SPECS) && rscp_sys_spec_get(&s->snap.specs, spec, &max) == 0 &&
        max > 0 && watts > max) {
        snprintf(err, cap, "out of range: %d W is above the device's %s of %lld W", (int)watts,
                 rscp_sys_spec_name(spec), (long long)max);
        return -1;
    }
    int64_t duration = (int64_t)c->cycles * (int64_t)s->interval_ms;
    int rc = rscp_power_hold_start(s->hold, c->mode, watts, now_ms, c->mode == RSCP_POWER_AUTO ? 0 : duration);
    if (rc != 0) {
        snprintf(err, cap, "out of range: %s", rscp_strerror(rc));
        return -1;
    }
    if (rscp_power_hold_put(s->hold, b, now_ms) != 1) {
        snprintf(err, cap, "cannot build the request");
        return -1;
    }
    return 0;
}

static int put_idle(struct bridge_site_rt *s, struct rscp_builder *b, const struct bridge_command *c, char *err,
                    size_t cap)
{
    struct rscp_idle_period list[RSCP_IDLE_PERIODS_MAX];
    size_t n = 0;
    /* Unused slots (00:00-00:00) are not sent back. */
    for (size_t k = 0; k < s->snap.idle.count && k < RSCP_IDLE_PERIODS_MAX; k++) {
        const struct rscp_idle_period *q = &s->snap.idle.period[k];
        if (q->start_hour == 0 && q->start_minute == 0 && q->end_hour == 0 && q->end_minute == 0)
            continue;
        list[n++] = *q;
    }
    int day = c->idle.day;
    if (day < 0) {
        int y, m, d;
        site_local_date(site_device_local_now(s, rscp_monotonic_ms()), &y, &m, &d, &day);
    }
    struct rscp_idle_period p;
    memset(&p, 0, sizeof p);
    p.type = c->idle.discharge ? RSCP_IDLE_DISCHARGE : RSCP_IDLE_CHARGE;
    p.day = (uint8_t)day;
    p.active = c->idle.active;
    p.start_hour = c->idle.start_hour;
    p.start_minute = c->idle.start_minute;
    p.end_hour = c->idle.end_hour;
    p.end_minute = c->idle.end_minute;
    const char *what = NULL;
    if (rscp_idle_period_check(&p, &what) != 0) {
        snprintf(err, cap, "out of range: the idle period's %s", what ? what : "time");
        return -1;
    }
    size_t i = 0;
    while (i < n && !(list[i].day == p.day && list[i].type == p.type))
        i++;
    if (i == n) {
        if (n >= RSCP_IDLE_PERIODS_MAX) {
            snprintf(err, cap, "the device already has %zu idle periods", n);
            return -1;
        }
        n++;
    }
    list[i] = p;
    size_t bad = 0;
    if (rscp_idle_periods_set_request(b, list, n, &bad) != 0) {
        snprintf(err, cap, "the device's idle period %zu is not valid; not sent", bad);
        return -1;
    }
    return 0;
}

/* The car-mode setting of a command (RSCP_CM_* bit) with its value in
 * *want; 0 for other commands. */
static uint32_t car_mode_of(const struct bridge_command *c, struct rscp_car_modes *want)
{
    memset(want, 0, sizeof *want);
    switch (c->kind) {
    case BRIDGE_CMD_BAT_TO_CAR: want->battery_to_car = c->flag; return RSCP_CM_BATTERY_TO_CAR;
    case BRIDGE_CMD_BAT_BEFORE_CAR: want->battery_before_car = c->flag; return RSCP_CM_BATTERY_BEFORE_CAR;
    case BRIDGE_CMD_BAT_UNTIL: want->discharge_until = (uint8_t)(c->value > 100 ? 101 : c->value); return RSCP_CM_DISCHARGE_UNTIL;
    case BRIDGE_CMD_BAT_MIX_MODE: want->enforce_power = c->flag; return RSCP_CM_ENFORCE_POWER;
    default: return 0;
    }
}

/* Build the write of command c into b. Returns 1 when built, 0 when the
 * command was answered (nothing to send), -1 with err for a refusal. */
static int put_command(struct bridge_site_rt *s, struct rscp_builder *b, const struct bridge_command *c,
                       int64_t now_ms, char *err, size_t cap)
{
    if (bridge_command_per_wallbox(c->kind))
        return site_wallbox_put(s, b, head(s), err, cap);
    switch (c->kind) {
    case BRIDGE_CMD_POWER_MODE:
        return put_power_mode(s, b, c, now_ms, err, cap) == 0 ? 1 : -1;
    case BRIDGE_CMD_MANUAL_CHARGE:
        if (c->value == 0 || c->value > RSCP_MANUAL_CHARGE_MAX_WH) {
            snprintf(err, cap, "out of range: 1..%u Wh", (unsigned)RSCP_MANUAL_CHARGE_MAX_WH);
            return -1;
        }
        s->mc_before = s->snap.manual_charge;
        return rscp_manual_charge_start_request(b, c->value) == 0 ? 1 : -1;
    case BRIDGE_CMD_WEATHER:
    case BRIDGE_CMD_POWER_SAVE:
    case BRIDGE_CMD_POWER_LIMITS:
    case BRIDGE_CMD_MAX_CHARGE:
    case BRIDGE_CMD_MAX_DISCHARGE:
    case BRIDGE_CMD_DISCHARGE_START: {
        struct rscp_power_settings_change ch;
        struct rscp_limit_violation v;
        memset(&v, 0, sizeof v);
        settings_change(c, &ch);
        int rc = rscp_power_settings_set_request(b, &s->snap.settings, &ch,
                                                 (s->snap.have & BRIDGE_HAVE_SPECS) ? &s->snap.specs : NULL, &v);
        if (rc == RSCP_ERR_RANGE) {
            snprintf(err, cap, "out of range: %s %lld W, allowed %lld..%lld W", v.name ? v.name : "value",
                     (long long)v.value, (long long)v.min, (long long)v.max);
            return -1;
        }
        if (rc != 0) {
            snprintf(err, cap, "cannot write the setting: %s", rscp_strerror(rc));
            return -1;
        }
        return 1;
    }
    case BRIDGE_CMD_RESERVE_WH:
    case BRIDGE_CMD_RESERVE_PERCENT: {
        bool wh = c->kind == BRIDGE_CMD_RESERVE_WH;
        double max = (s->snap.have & BRIDGE_HAVE_RESERVE) && (s->snap.reserve.present & RSCP_EP_MAX)
                         ? s->snap.reserve.max_wh
                         : 0;
        if (wh && max > 0 && (double)c->value > max) {
            snprintf(err, cap, "out of range: %u Wh is above the device's maximum reserve of %.0f Wh",
                     (unsigned)c->value, max);
            return -1;
        }
        if (!wh && c->value > 100) {
            snprintf(err, cap, "out of range: 0..100 %%");
            return -1;
        }
        return rscp_ep_reserve_set_request(b, (double)c->value, wh, max) == 0 ? 1 : -1;
    }
    case BRIDGE_CMD_IDLE_PERIOD:
        return put_idle(s, b, c, err, cap) == 0 ? 1 : -1;
    case BRIDGE_CMD_BAT_TO_CAR:
    case BRIDGE_CMD_BAT_BEFORE_CAR:
    case BRIDGE_CMD_BAT_UNTIL:
    case BRIDGE_CMD_BAT_MIX_MODE: {
        struct rscp_car_modes want;
        uint32_t bit = car_mode_of(c, &want);
        if (site_first_wallbox(s) < 0) {
            snprintf(err, cap, "the site has no wallbox");
            return -1;
        }
        int rc = rscp_car_modes_set_request(b, bit, &want);
        if (rc == RSCP_ERR_RANGE) {
            snprintf(err, cap, "out of range: 0..100 %%");
            return -1;
        }
        return rc == 0 ? 1 : -1;
    }
    case BRIDGE_CMD_HISTORY_DAY: {
        int64_t start = 0;
        if (rscp_history_start_of_date(c->year, c->month, c->day, &start) != 0) {
            snprintf(err, cap, "not a date: %04d-%02d-%02d", c->year, c->month, c->day);
            return -1;
        }
        return rscp_history_request(b, RSCP_HISTORY_DAY, start, 86400, 86400) == 0 ? 1 : -1;
    }
    default:
        snprintf(err, cap, "command not supported");
        return -1;
    }
}

void site_cmd_start(struct bridge_site_rt *s, int64_t now_ms)
{
    if (s->q_len == 0)
        return;
    struct site_cmd *q = head(s);
    struct rscp_builder b;
    rscp_builder_init(&b, bridge_site_reqbuf, sizeof bridge_site_reqbuf);
    int need = need_of(&q->cmd);
    char err[BRIDGE_RESULT_TEXT_MAX] = "";
    if (need && !q->fresh) {
        if (s->cmd_active) {
            /* Read once already, and the device did not say. */
            site_cmd_answer(s, false, "the device did not report the current state this command changes", NULL);
            return;
        }
        s->cmd_active = true;
        if (need == NEED_SETTINGS) {
            rscp_power_settings_request(&b);
        } else if (need == NEED_IDLE) {
            rscp_idle_periods_request(&b);
        } else if (need == NEED_MANUAL) {
            rscp_manual_charge_request(&b);
        } else {
            q->wb = site_wallbox_of(s, &q->cmd, err, sizeof err);
            if (q->wb < 0) {
                site_cmd_answer(s, false, err, NULL);
                return;
            }
            rscp_wallbox_request(&b, (unsigned)q->wb, RSCP_WB_REQ_ALL); /* the snapshot stays whole */
        }
        site_submit(s, &b, XCHG_CMD_READ, now_ms);
        return;
    }
    s->cmd_active = true;
    int rc = put_command(s, &b, &q->cmd, now_ms, err, sizeof err);
    if (rc < 0) {
        site_cmd_answer(s, false, err[0] ? err : "cannot build the request", NULL);
        return;
    }
    if (rc == 0)
        return;
    site_submit(s, &b, XCHG_CMD, now_ms);
}

static const char *mode_name(int mode)
{
    const char *n = rscp_power_mode_name(mode);
    return n ? n : "?";
}

static void settings_reply(struct bridge_site_rt *s, const struct rscp_frame *f)
{
    struct rscp_power_settings_result r;
    uint32_t derr = 0;
    int rc = rscp_power_settings_result_parse(f, &r, &derr);
    if (rc != 0) {
        site_cmd_dev_error(s, "the power settings", rc, derr);
        return;
    }
    struct {
        uint32_t bit;
        int8_t code;
        const char *name;
    } res[] = {{RSCP_PS_LIMITS_USED, r.limits_used, "power_limits"},
               {RSCP_PS_MAX_CHARGE, r.max_charge, "max_charge_power"},
               {RSCP_PS_MAX_DISCHARGE, r.max_discharge, "max_discharge_power"},
               {RSCP_PS_DISCHARGE_START, r.discharge_start, "discharge_start_power"},
               {RSCP_PS_POWER_SAVE, r.power_save, "power_save"},
               {RSCP_PS_WEATHER, r.weather_regulated, "weather_regulation"}};
    /* The setting the command changes is named first: the others are
     * re-sent with it (POWER_LIMITS_USED too) and refused alike. */
    struct rscp_power_settings_change ch;
    uint32_t mine = settings_change(&head(s)->cmd, &ch) == 0 ? ch.set : 0;
    for (size_t i = 0; i < 2 * (sizeof res / sizeof res[0]); i++) {
        size_t k = i % (sizeof res / sizeof res[0]);
        bool first_pass = i < sizeof res / sizeof res[0];
        if (first_pass != ((mine & res[k].bit) != 0))
            continue;
        if ((r.present & res[k].bit) && res[k].code < 0) {
            char msg[BRIDGE_RESULT_TEXT_MAX];
            const char *why = rscp_setting_result_name(res[k].code);
            snprintf(msg, sizeof msg, "the device refused %s: %s", res[k].name, why ? why : "unknown result");
            site_cmd_answer(s, false, msg, NULL);
            return;
        }
    }
    bool below = false;
    for (size_t i = 0; i < sizeof res / sizeof res[0]; i++)
        below = below || ((r.present & res[i].bit) && res[i].code == RSCP_SETTING_BELOW_RECOMMENDED);
    site_cmd_answer(s, true, NULL, below ? "\"note\":\"applied below the recommended limit\"" : NULL);
}

void site_cmd_reply(struct bridge_site_rt *s, const struct rscp_frame *f, int64_t now_ms)
{
    if (s->q_len == 0)
        return;
    struct site_cmd *q = head(s);
    const struct bridge_command *c = &q->cmd;
    uint32_t derr = 0;
    char info[BRIDGE_RESULT_TEXT_MAX];
    int rc;
    if (s->xchg == XCHG_CMD_READ) {
        q->fresh = read_need(s, q, need_of(c), f);
        site_cmd_start(s, now_ms); /* cmd_active is set: a miss answers */
        return;
    }
    s->poll_now = true;
    if (bridge_command_per_wallbox(c->kind)) {
        site_wallbox_reply(s, q, f);
        return;
    }
    switch (c->kind) {
    case BRIDGE_CMD_POWER_MODE: {
        int64_t mirrored = 0;
        rc = rscp_power_hold_reply(s->hold, f, &mirrored);
        if (rc < 0) {
            rscp_power_hold_stop(s->hold);
            site_cmd_dev_error(s, "the power mode", rc, 0);
            return;
        }
        snprintf(info, sizeof info, "\"mode\":\"%s\",\"watts\":%u,\"mirrored\":%lld", mode_name(c->mode),
                 (unsigned)(c->mode == RSCP_POWER_AUTO || c->mode == RSCP_POWER_IDLE ? 0 : c->watts),
                 (long long)mirrored);
        site_cmd_answer(s, true, NULL, info);
        return;
    }
    case BRIDGE_CMD_MANUAL_CHARGE:
        if (s->xchg == XCHG_CMD) {
            bool accepted = false;
            rc = rscp_manual_charge_start_parse(f, &accepted, &derr);
            if (rc != 0) {
                site_cmd_dev_error(s, "the manual charge", rc, derr);
                return;
            }
            if (!accepted) {
                site_cmd_answer(s, false, "the device refused the manual charge", NULL);
                return;
            }
            struct rscp_builder b;
            rscp_builder_init(&b, bridge_site_reqbuf, sizeof bridge_site_reqbuf);
            rscp_manual_charge_request(&b);
            site_submit(s, &b, XCHG_CMD_VERIFY, now_ms);
            return;
        } else {
            struct rscp_manual_charge after;
            rc = rscp_manual_charge_parse(f, &after, &derr);
            if (rc != 0) {
                site_cmd_dev_error(s, "the manual charge state", rc, derr);
                return;
            }
            s->snap.manual_charge = after;
            bool started = false;
            if (rscp_manual_charge_started(&s->mc_before, &after, &started) != 0) {
                site_cmd_answer(s, true, NULL, "\"started\":null");
                return;
            }
            if (!started) {
                site_cmd_answer(s, false,
                                "ignored by the device: it accepts about one manual charge a day", NULL);
                return;
            }
            snprintf(info, sizeof info, "\"started\":true,\"energy_wh\":%u", (unsigned)c->value);
            site_cmd_answer(s, true, NULL, info);
            return;
        }
    case BRIDGE_CMD_WEATHER:
    case BRIDGE_CMD_POWER_SAVE:
    case BRIDGE_CMD_POWER_LIMITS:
    case BRIDGE_CMD_MAX_CHARGE:
    case BRIDGE_CMD_MAX_DISCHARGE:
    case BRIDGE_CMD_DISCHARGE_START:
        s->snap.have &= ~(uint32_t)BRIDGE_HAVE_SETTINGS; /* re-read before the next change */
        settings_reply(s, f);
        return;
    case BRIDGE_CMD_RESERVE_WH:
    case BRIDGE_CMD_RESERVE_PERCENT:
        rc = rscp_ep_reserve_set_parse(f, &derr);
        if (rc != 0) {
            site_cmd_dev_error(s, "the reserve", rc, derr);
            return;
        }
        site_cmd_answer(s, true, NULL, NULL);
        return;
    case BRIDGE_CMD_IDLE_PERIOD: {
        int64_t result = 0;
        rc = rscp_idle_periods_set_parse(f, &result, &derr);
        s->snap.have &= ~(uint32_t)BRIDGE_HAVE_IDLE;
        if (rc != 0) {
            site_cmd_dev_error(s, "the idle periods", rc, derr);
            return;
        }
        if (result == 0) {
            site_cmd_answer(s, false, "the device did not apply the idle periods", NULL);
            return;
        }
        site_cmd_answer(s, true, NULL, NULL);
        return;
    }
    case BRIDGE_CMD_BAT_TO_CAR:
    case BRIDGE_CMD_BAT_BEFORE_CAR:
    case BRIDGE_CMD_BAT_UNTIL:
    case BRIDGE_CMD_BAT_MIX_MODE: {
        struct rscp_car_modes want, echo;
        uint32_t bit = car_mode_of(c, &want), differs = 0;
        rc = rscp_car_modes_set_parse(f, bit, &want, &echo, &differs, &derr);
        if (rc != 0) {
            site_cmd_dev_error(s, bridge_command_topic(c->kind), rc, derr);
            return;
        }
        if (differs) {
            snprintf(info, sizeof info, "the device did not apply %s", bridge_command_topic(c->kind));
            site_cmd_answer(s, false, info, NULL);
            return;
        }
        site_cmd_answer(s, true, NULL, NULL);
        return;
    }
    case BRIDGE_CMD_HISTORY_DAY: {
        struct rscp_history_values sum;
        size_t n = 0;
        rc = rscp_history_parse(f, RSCP_HISTORY_DAY, &sum, NULL, 0, &n, &derr);
        if (rc != 0) {
            site_cmd_dev_error(s, "the history request", rc, derr);
            return;
        }
        if (s->ev.history_day)
            s->ev.history_day(s->ev.ctx, s, c->year, c->month, c->day, &sum);
        snprintf(info, sizeof info, "\"date\":\"%04d-%02d-%02d\"", c->year, c->month, c->day);
        site_cmd_answer(s, true, NULL, info);
        return;
    }
    default:
        site_cmd_answer(s, false, "command not supported", NULL);
        return;
    }
}
