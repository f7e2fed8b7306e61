/* rscp-bridge: parsing the set/ commands in rscp2mqtt's payload syntax; a
 * JSON payload goes to command_json.c. */
#include "command.h"
#include "command_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rscp/ems.h"

int cmd_bad(struct pl *s, const char *fmt, ...)
{
    char why[160];
    int k = s->member ? snprintf(why, sizeof why, "\"%s\": ", s->member) : 0;
    if (k < 0 || (size_t)k >= sizeof why)
        k = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why + k, sizeof why - (size_t)k, fmt, ap);
    va_end(ap);
    bool show = s->all_n <= 64;
    for (size_t i = 0; show && i < s->all_n; i++)
        show = (unsigned char)s->all[i] >= 0x20 && (unsigned char)s->all[i] < 0x7f && s->all[i] != '\'';
    if (show)
        snprintf(s->err, s->errcap, "bad payload '%.*s' for %s: %s", (int)s->all_n, s->all, s->topic, why);
    else
        snprintf(s->err, s->errcap, "bad payload for %s: %s", s->topic, why);
    return -1;
}

static bool at_end(const struct pl *s)
{
    return s->p == s->end;
}

/* A whole number min..max. */
static int number(struct pl *s, const char *what, uint32_t min, uint32_t max, uint32_t *out)
{
    uint64_t v = 0;
    const char *start = s->p;
    while (s->p < s->end && *s->p >= '0' && *s->p <= '9' && s->p - start < 10)
        v = v * 10 + (uint64_t)(*s->p++ - '0');
    /* A number ends at the end, or where a ':' or '-' separates the next field. */
    bool digits_end = s->p == s->end || *s->p == ':' || *s->p == '-';
    if (s->p == start || !digits_end || v < min || v > max)
        return cmd_bad(s, "%s must be a whole number in %u..%u", what, min, max);
    *out = (uint32_t)v;
    return 0;
}

static bool word_is(const char *p, size_t n, const char *w)
{
    return strlen(w) == n && memcmp(p, w, n) == 0;
}

/* The next field up to ':' (or the end); the ':' is consumed. */
static void field(struct pl *s, const char **f, size_t *n)
{
    const char *c = memchr(s->p, ':', (size_t)(s->end - s->p));
    *f = s->p;
    *n = (size_t)((c ? c : s->end) - s->p);
    s->p = c ? c + 1 : s->end;
}

static int flag_of(struct pl *s, const char *f, size_t n, bool *out)
{
    if (word_is(f, n, "true") || word_is(f, n, "on") || word_is(f, n, "1")) {
        *out = true;
        return 0;
    }
    if (word_is(f, n, "false") || word_is(f, n, "off") || word_is(f, n, "0")) {
        *out = false;
        return 0;
    }
    return cmd_bad(s, "expected true or false (on/off, 1/0)");
}

static int expect(struct pl *s, char c, const char *what)
{
    if (s->p < s->end && *s->p == c) {
        s->p++;
        return 0;
    }
    return cmd_bad(s, "%s", what);
}

int cmd_power_mode_of(const char *f, size_t n)
{
    static const struct {
        const char *name;
        int mode;
    } modes[] = {{"auto", RSCP_POWER_AUTO},
                 {"idle", RSCP_POWER_IDLE},
                 {"charge", RSCP_POWER_CHARGE},
                 {"discharge", RSCP_POWER_DISCHARGE},
                 {"grid_charge", RSCP_POWER_GRID_CHARGE}};
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
        if (word_is(f, n, modes[i].name))
            return modes[i].mode;
    return -1;
}

static int power_mode(struct pl *s, struct bridge_command *c)
{
    const char *f;
    size_t n;
    field(s, &f, &n);
    c->mode = cmd_power_mode_of(f, n);
    if (c->mode < 0) {
        c->mode = 0;
        return cmd_bad(s, "the mode must be auto, idle:N, charge:W:N, discharge:W:N or grid_charge:W:N");
    }
    if (c->mode == RSCP_POWER_AUTO)
        return at_end(s) ? 0 : cmd_bad(s, "auto takes nothing after it");
    if (c->mode != RSCP_POWER_IDLE &&
        (number(s, "W", 1, BRIDGE_POWER_MAX_W, &c->watts) != 0 || expect(s, ':', "expected ':N' after W") != 0))
        return -1;
    if (at_end(s))
        return cmd_bad(s, "N (the cycles to hold the mode) is missing");
    if (number(s, "N", 0, BRIDGE_HOLD_MAX_CYCLES, &c->cycles) != 0)
        return -1;
    return at_end(s) ? 0 : cmd_bad(s, "unexpected text after N");
}

static int clock_time(struct pl *s, uint8_t *h, uint8_t *m)
{
    uint32_t hv, mv;
    if (number(s, "the hour", 0, 23, &hv) != 0 || expect(s, ':', "expected HH:MM") != 0 ||
        number(s, "the minute", 0, 59, &mv) != 0)
        return -1;
    *h = (uint8_t)hv;
    *m = (uint8_t)mv;
    return 0;
}

int cmd_clock(struct pl *s, uint8_t *h, uint8_t *m)
{
    if (clock_time(s, h, m) != 0)
        return -1;
    return at_end(s) ? 0 : cmd_bad(s, "expected HH:MM");
}

int cmd_day_of(const char *f, size_t n)
{
    static const char *const days[] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
    for (int i = 0; i < 7; i++)
        if (word_is(f, n, days[i]))
            return i;
    return word_is(f, n, "today") ? -1 : -2;
}

int cmd_idle_order(struct pl *s, const struct bridge_command *c)
{
    if (c->idle.start_hour * 60 + c->idle.start_minute >= c->idle.end_hour * 60 + c->idle.end_minute)
        return cmd_bad(s, "the start must be before the end");
    return 0;
}

static int idle_period(struct pl *s, struct bridge_command *c)
{
    const char *f;
    size_t n;
    field(s, &f, &n);
    c->idle.day = cmd_day_of(f, n);
    if (c->idle.day == -2)
        return cmd_bad(s, "the day must be monday..sunday or today");
    field(s, &f, &n);
    if (word_is(f, n, "charge") || word_is(f, n, "discharge"))
        c->idle.discharge = word_is(f, n, "discharge");
    else
        return cmd_bad(s, "the mode must be charge or discharge");
    field(s, &f, &n);
    if (flag_of(s, f, n, &c->idle.active) != 0)
        return -1;
    if (clock_time(s, &c->idle.start_hour, &c->idle.start_minute) != 0 ||
        expect(s, '-', "expected HH:MM-HH:MM") != 0 || clock_time(s, &c->idle.end_hour, &c->idle.end_minute) != 0)
        return -1;
    if (!at_end(s))
        return cmd_bad(s, "unexpected text after the end time");
    return cmd_idle_order(s, c);
}

static int history_day(struct pl *s, struct bridge_command *c)
{
    uint32_t y, m, d;
    static const uint8_t mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (number(s, "the year", 2000, 2999, &y) != 0 || expect(s, '-', "expected YYYY-MM-DD") != 0 ||
        number(s, "the month", 1, 12, &m) != 0 || expect(s, '-', "expected YYYY-MM-DD") != 0 ||
        number(s, "the day", 1, mdays[m - 1], &d) != 0)
        return -1;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m == 2 && d == 29 && !leap)
        return cmd_bad(s, "%u is no leap year", y);
    if (!at_end(s))
        return cmd_bad(s, "expected YYYY-MM-DD");
    c->year = (int)y;
    c->month = (int)m;
    c->day = (int)d;
    return 0;
}

static const struct cmd_simple simple_cmds[] = {
    {"manual_charge", BRIDGE_CMD_MANUAL_CHARGE, 'n', 1, BRIDGE_ENERGY_MAX_WH, "Wh"},
    {"weather_regulation", BRIDGE_CMD_WEATHER, 'f', 0, 0, NULL},
    {"power_save", BRIDGE_CMD_POWER_SAVE, 'f', 0, 0, NULL},
    {"power_limits", BRIDGE_CMD_POWER_LIMITS, 'f', 0, 0, NULL},
    {"max_charge_power", BRIDGE_CMD_MAX_CHARGE, 'n', 0, BRIDGE_POWER_MAX_W, "W"},
    {"max_discharge_power", BRIDGE_CMD_MAX_DISCHARGE, 'n', 0, BRIDGE_POWER_MAX_W, "W"},
    {"discharge_start_power", BRIDGE_CMD_DISCHARGE_START, 'n', 0, BRIDGE_POWER_MAX_W, "W"},
    {"reserve/energy", BRIDGE_CMD_RESERVE_WH, 'n', 0, BRIDGE_ENERGY_MAX_WH, "Wh"},
    {"reserve/percent", BRIDGE_CMD_RESERVE_PERCENT, 'n', 0, 100, "%"},
    {"wallbox/sun_mode", BRIDGE_CMD_WB_SUN_MODE, 'f', 0, 0, NULL},
    {"wallbox/max_current", BRIDGE_CMD_WB_CURRENT, 'n', 1, 32, "A"},
    {"wallbox/number_phases", BRIDGE_CMD_WB_PHASES, 'p', 1, 3, NULL},
    {"wallbox/suspended", BRIDGE_CMD_WB_SUSPENDED, 'f', 0, 0, NULL},
    {"wallbox/toggle", BRIDGE_CMD_WB_TOGGLE, 't', 0, 0, NULL},
    {"wallbox/min_current", BRIDGE_CMD_WB_MIN_CURRENT, 'n', 1, 32, "A"},
    {"wallbox/auto_phase_switch", BRIDGE_CMD_WB_AUTO_PHASE, 'f', 0, 0, NULL},
    {"wallbox/discharge_battery_to_car", BRIDGE_CMD_BAT_TO_CAR, 'f', 0, 0, NULL},
    {"wallbox/charge_battery_before_car", BRIDGE_CMD_BAT_BEFORE_CAR, 'f', 0, 0, NULL},
    {"wallbox/discharge_battery_until", BRIDGE_CMD_BAT_UNTIL, 'n', 0, 100, "%"},
    {"wallbox/disable_battery_at_mix_mode", BRIDGE_CMD_BAT_MIX_MODE, 'f', 0, 0, NULL},
    {"force", BRIDGE_CMD_FORCE, 'r', 0, 0, NULL},
    {"interval", BRIDGE_CMD_INTERVAL, 'n', 1, 300, "s"},
    {"requests/pm", BRIDGE_CMD_REQ_PM, 'f', 0, 0, NULL},
    {"requests/pvi", BRIDGE_CMD_REQ_PVI, 'f', 0, 0, NULL},
    {"requests/dcb", BRIDGE_CMD_REQ_DCB, 'f', 0, 0, NULL},
    {"requests/history", BRIDGE_CMD_REQ_HISTORY, 'f', 0, 0, NULL},
    {"requests/ems", BRIDGE_CMD_REQ_EMS, 'f', 0, 0, NULL},
    {"log/errors", BRIDGE_CMD_LOG_ERRORS, 'r', 0, 0, NULL},
    {"log/cache", BRIDGE_CMD_LOG_CACHE, 'r', 0, 0, NULL},
    {"health", BRIDGE_CMD_HEALTH, 'r', 0, 0, NULL},
};
#define NSIMPLE (sizeof simple_cmds / sizeof simple_cmds[0])

/* t[0..n) for a message into buf[0..cap): unprintable bytes as '?', cut
 * to cap - 1. */
static void show(const char *t, size_t n, char *buf, size_t cap)
{
    size_t k = n < cap - 1 ? n : cap - 1;
    for (size_t i = 0; i < k; i++)
        buf[i] = (unsigned char)t[i] < 0x20 || (unsigned char)t[i] >= 0x7f ? '?' : t[i];
    buf[k] = '\0';
}

/* The row of the one-value topic t[0..n), or NULL. */
static const struct cmd_simple *simple_of(const char *t, size_t n)
{
    for (size_t i = 0; i < NSIMPLE; i++)
        if (word_is(t, n, simple_cmds[i].topic))
            return &simple_cmds[i];
    return NULL;
}

bool bridge_command_per_wallbox(int kind)
{
    switch (kind) {
    case BRIDGE_CMD_WB_SUN_MODE:
    case BRIDGE_CMD_WB_CURRENT:
    case BRIDGE_CMD_WB_PHASES:
    case BRIDGE_CMD_WB_SUSPENDED:
    case BRIDGE_CMD_WB_TOGGLE:
    case BRIDGE_CMD_WB_MIN_CURRENT:
    case BRIDGE_CMD_WB_AUTO_PHASE:
        return true;
    default:
        return false;
    }
}

#define WB_COMMANDS "sun_mode, max_current, number_phases, suspended, toggle, min_current, auto_phase_switch"

/* The per-wallbox form "wallbox/<n>/<cmd>" (command.h). Returns 0 when
 * topic is not of that form (neither a number nor a wallbox command after
 * "wallbox/": rscp2mqtt's wallbox/<cmd> or an unknown topic), 1 with *d
 * and out->wallbox, or -1 with the reason in err. */
static int wallbox_topic(const char *topic, const struct cmd_simple **d, struct bridge_command *out, char *err,
                         size_t errcap)
{
    if (strncmp(topic, "wallbox/", 8) != 0)
        return 0;
    const char *num = topic + 8;
    const char *slash = strchr(num, '/');
    size_t nl = slash ? (size_t)(slash - num) : strlen(num);
    const char *cmd = slash ? slash + 1 : num + nl;
    bool digits = nl > 0;
    for (size_t i = 0; i < nl; i++)
        digits = digits && num[i] >= '0' && num[i] <= '9';
    /* The row of wallbox/<cmd>: "wallbox/" and cmd, compared in place. */
    const struct cmd_simple *row = NULL;
    for (size_t i = 0; i < NSIMPLE && !row && *cmd; i++)
        if (strncmp(simple_cmds[i].topic, "wallbox/", 8) == 0 && strcmp(simple_cmds[i].topic + 8, cmd) == 0)
            row = &simple_cmds[i];
    if (!digits && !row)
        return 0;
    char shown[72], n_shown[16];
    show(topic, strlen(topic), shown, sizeof shown);
    show(num, nl, n_shown, sizeof n_shown);
    if (!digits || num[0] == '0' || nl > 1) {
        snprintf(err, errcap,
                 "bad wallbox number '%s' in set/%s: n must be 1..%u, without a leading zero (the wallbox's "
                 "WB.INDEX + 1, as in the value topics wallbox/<n>/...)",
                 n_shown, shown, BRIDGE_WALLBOX_MAX);
        return -1;
    }
    unsigned n = (unsigned)(num[0] - '0');
    if (n > BRIDGE_WALLBOX_MAX) {
        snprintf(err, errcap, "bad wallbox number '%u' in set/%s: n must be 1..%u (the wallbox's WB.INDEX + 1)", n,
                 shown, BRIDGE_WALLBOX_MAX);
        return -1;
    }
    if (!row) {
        snprintf(err, errcap, "unknown command topic 'set/%s': set/wallbox/%u/<cmd> takes " WB_COMMANDS, shown, n);
        return -1;
    }
    if (!bridge_command_per_wallbox(row->kind)) {
        snprintf(err, errcap,
                 "set/%s: %s is the site's setting (EMS), not one wallbox's: use set/%s", shown, row->topic + 8,
                 row->topic);
        return -1;
    }
    *d = row;
    out->wallbox = n;
    return 1;
}

bool bridge_command_internal(int kind)
{
    return kind >= BRIDGE_CMD_FORCE && kind <= BRIDGE_CMD_HEALTH;
}

/* rscp2mqtt's own features that rscp-bridge does not have, each refused
 * with what to use instead. */
static const struct {
    const char *topic;
    const char *why;
} unsupported[] = {
    {"soc_limiter", "rscp2mqtt's SOC limiter (software in rscp2mqtt); limit the battery with set/max_charge_power, "
                    "set/max_discharge_power, set/idle_period or set/power_mode"},
    {"limit/discharge/soc", "rscp2mqtt's SOC limiter; to stop discharging use set/idle_period (discharge) or "
                            "set/power_mode idle:N, or keep energy back with set/reserve/percent"},
    {"limit/discharge/by_home_power", "rscp2mqtt's SOC limiter; use set/discharge_start_power (the home power "
                                      "below which the battery does not discharge)"},
    {"limit/discharge/durable", "rscp2mqtt's SOC limiter; the device's own settings (set/max_discharge_power, "
                                "set/idle_period, set/reserve/...) are durable"},
    {"limit/charge/soc", "rscp2mqtt's SOC limiter; to stop charging use set/idle_period (charge), set/power_mode "
                         "idle:N or set/max_charge_power"},
    {"limit/charge/durable", "rscp2mqtt's SOC limiter; the device's own settings (set/max_charge_power, "
                             "set/idle_period) are durable"},
    {"daily_values", "rscp2mqtt's daily historical values; rscp-bridge publishes today's and yesterday's energies "
                     "with the history group (set/requests/history) and any day with set/request/day"},
    {"statistic_values", "rscp2mqtt's statistic values; use the Prometheus metrics (/metrics) or the history "
                         "topics (set/request/day)"},
    {"raw_mode", "rscp2mqtt's raw data mode; read any tag with 'rscp get' (the rscp tool)"},
};
const char *bridge_command_topic(int kind)
{
    switch (kind) {
    case BRIDGE_CMD_POWER_MODE: return "power_mode";
    case BRIDGE_CMD_IDLE_PERIOD: return "idle_period";
    case BRIDGE_CMD_HISTORY_DAY: return "request/day";
    default: break;
    }
    for (size_t i = 0; i < NSIMPLE; i++)
        if (simple_cmds[i].kind == kind)
            return simple_cmds[i].topic;
    return NULL;
}

size_t bridge_command_topic_of(int kind, unsigned wallbox, char *buf, size_t cap)
{
    const char *t = bridge_command_topic(kind);
    int k = -1;
    if (t && wallbox == 0)
        k = snprintf(buf, cap, "%s", t);
    else if (t && wallbox <= BRIDGE_WALLBOX_MAX && bridge_command_per_wallbox(kind))
        k = snprintf(buf, cap, "wallbox/%u/%s", wallbox, t + 8);
    if (k > 0 && (size_t)k < cap)
        return (size_t)k;
    if (cap > 0)
        buf[0] = '\0';
    return 0;
}

static int simple(struct pl *s, const struct cmd_simple *d, struct bridge_command *c)
{
    if (d->what == 'n' || d->what == 'p') {
        char what[24];
        snprintf(what, sizeof what, "the value%s%s", d->unit ? " in " : "", d->unit ? d->unit : "");
        if (number(s, what, d->min, d->max, &c->value) != 0)
            return -1;
        if (d->what == 'p' && c->value != 1 && c->value != 3)
            return cmd_bad(s, "the number of phases must be 1 or 3");
        return at_end(s) ? 0 : cmd_bad(s, "expected a number only");
    }
    const char *f;
    size_t n;
    field(s, &f, &n);
    bool run = word_is(f, n, "1") || word_is(f, n, "true") || word_is(f, n, "on");
    if (d->kind == BRIDGE_CMD_FORCE && !run) {
        /* rscp2mqtt's form: a regular expression of the topics to publish
         * again (the daemon compiles it). Not "0"/"false": those are a
         * mistaken "off". */
        if (word_is(f, n, "0") || word_is(f, n, "false") || word_is(f, n, "off"))
            return cmd_bad(s, "send 1 or true to publish every value again, or a regular expression of topics");
        c->flag = false;
        return 0;
    }
    if (d->what == 'r' && !run)
        return cmd_bad(s, "send 1 or true to run it");
    if (!at_end(s) || memchr(f, ':', n))
        return cmd_bad(s, "expected true or false (on/off, 1/0)");
    if (flag_of(s, f, n, &c->flag) != 0)
        return -1;
    if (d->what == 't' && !c->flag)
        return cmd_bad(s, "send true to toggle");
    if (d->what == 'r' && !c->flag)
        return cmd_bad(s, "send 1 or true to run it");
    return 0;
}

int cmd_plain(struct pl *s, const struct cmd_simple *d, struct bridge_command *out)
{
    switch (out->kind) {
    case BRIDGE_CMD_POWER_MODE: return power_mode(s, out);
    case BRIDGE_CMD_IDLE_PERIOD: return idle_period(s, out);
    case BRIDGE_CMD_HISTORY_DAY: return history_day(s, out);
    default: return simple(s, d, out);
    }
}

static int parse(const char *topic, const char *payload, size_t n, struct bridge_command *out, char *err,
                 size_t errcap)
{
    char scratch[2];
    if (!err || errcap == 0) {
        err = scratch;
        errcap = sizeof scratch;
    }
    memset(out, 0, sizeof *out);
    if (!topic || !payload) {
        snprintf(err, errcap, "no topic or payload");
        return -1;
    }
    const struct cmd_simple *d = NULL;
    int rc;
    if (strcmp(topic, "power_mode") == 0) {
        out->kind = BRIDGE_CMD_POWER_MODE;
    } else if (strcmp(topic, "idle_period") == 0) {
        out->kind = BRIDGE_CMD_IDLE_PERIOD;
    } else if (strcmp(topic, "request/day") == 0) {
        out->kind = BRIDGE_CMD_HISTORY_DAY;
    } else if ((rc = wallbox_topic(topic, &d, out, err, errcap)) != 0) {
        if (rc < 0)
            return -1;
        out->kind = d->kind;
    } else {
        d = simple_of(topic, strlen(topic));
        for (size_t i = 0; i < sizeof unsupported / sizeof unsupported[0] && !d; i++)
            if (strcmp(topic, unsupported[i].topic) == 0) {
                snprintf(err, errcap, "not supported by rscp-bridge: set/%s is %s", topic, unsupported[i].why);
                return -1;
            }
        if (!d) {
            char shown[48];
            show(topic, strlen(topic), shown, sizeof shown);
            snprintf(err, errcap, "unknown command topic 'set/%s'", shown);
            return -1;
        }
        out->kind = d->kind;
    }
    if (n > BRIDGE_PAYLOAD_MAX) {
        snprintf(err, errcap, "payload for %s longer than %u bytes", topic, BRIDGE_PAYLOAD_MAX);
        return -1;
    }
    struct pl s = {.p = payload, .end = payload + n, .topic = topic, .err = err, .errcap = errcap};
    while (s.p < s.end && (*s.p == ' ' || *s.p == '\t' || *s.p == '\r' || *s.p == '\n'))
        s.p++;
    while (s.end > s.p && (s.end[-1] == ' ' || s.end[-1] == '\t' || s.end[-1] == '\r' || s.end[-1] == '\n'))
        s.end--;
    s.all = s.p;
    s.all_n = (size_t)(s.end - s.p);
    if (s.all_n == 0) {
        snprintf(err, errcap, "empty payload for %s", topic);
        return -1;
    }
    /* JSON is told apart by its first byte: an object, an array or a
     * string. A JSON number or true/false is the plain payload itself. */
    if (*s.p == '{' || *s.p == '[' || *s.p == '"')
        return cmd_json(&s, d, out);
    return cmd_plain(&s, d, out);
}

int bridge_command_parse(const char *topic, const char *payload, size_t n, struct bridge_command *out, char *err,
                         size_t errcap)
{
    int rc = parse(topic, payload, n, out, err, errcap);
    if (rc != 0)
        memset(out, 0, sizeof *out);
    return rc;
}

bool bridge_command_equal(const struct bridge_command *a, const struct bridge_command *b)
{
    return a->kind == b->kind && a->mode == b->mode && a->watts == b->watts && a->cycles == b->cycles &&
           a->value == b->value && a->flag == b->flag && a->idle.day == b->idle.day &&
           a->idle.discharge == b->idle.discharge && a->idle.active == b->idle.active &&
           a->idle.start_hour == b->idle.start_hour && a->idle.start_minute == b->idle.start_minute &&
           a->idle.end_hour == b->idle.end_hour && a->idle.end_minute == b->idle.end_minute &&
           a->year == b->year && a->month == b->month && a->day == b->day && a->wallbox == b->wallbox;
}
