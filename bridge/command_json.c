/* rscp-bridge: the set/ commands' JSON payloads (see command.h), read by the
 * programs' strict JSON parser (common/json_parse.h) into the same command
 * as the plain payload. */
#include "command_internal.h"

#include <stdio.h>
#include <string.h>

#include "json_parse.h"
#include "rscp/ems.h"

/* A JSON type with its article, for messages: "a string", "null". */
static const char *a_kind(enum json_kind k)
{
    switch (k) {
    case JSON_NULL: return "null";
    case JSON_BOOL: return "a boolean";
    case JSON_NUMBER: return "a number";
    case JSON_STRING: return "a string";
    case JSON_ARRAY: return "an array";
    case JSON_OBJECT: return "an object";
    }
    return "?";
}

/* A member's key as it may be shown in a message: printable ASCII without
 * quotes, at most 32 bytes; otherwise "?". */
static const char *shown_key(const char *k)
{
    size_t n = strlen(k);
    if (n == 0 || n > 32)
        return "?";
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)k[i] < 0x20 || (unsigned char)k[i] >= 0x7f || k[i] == '"' || k[i] == '\'' ||
            k[i] == '\\')
            return "?";
    return k;
}

/* Every member of obj is one of names (NULL-terminated); takes lists them
 * for the message. */
static int known_members(struct pl *s, const struct json_value *obj, const char *const *names, const char *takes)
{
    for (size_t i = 0; i < obj->n; i++) {
        bool known = false;
        for (const char *const *k = names; *k && !known; k++)
            known = strcmp(obj->keys[i], *k) == 0;
        if (!known)
            return cmd_bad(s, "unknown member \"%s\" (%s takes %s)", shown_key(obj->keys[i]), s->topic, takes);
    }
    return 0;
}

static const struct json_value *required(struct pl *s, const struct json_value *obj, const char *key)
{
    const struct json_value *v = json_get(obj, key);
    if (!v)
        cmd_bad(s, "\"%s\" is missing", key);
    return v;
}

/* A whole number min..max. */
static int member_number(struct pl *s, const struct json_value *v, const char *key, uint32_t min, uint32_t max,
                         uint32_t *out)
{
    uint64_t u;
    if (v->kind != JSON_NUMBER)
        return cmd_bad(s, "\"%s\" must be a whole number in %u..%u, not %s", key, min, max, a_kind(v->kind));
    if (json_u64(v, &u) != 0 || u < min || u > max)
        return cmd_bad(s, "\"%s\" must be a whole number in %u..%u", key, min, max);
    *out = (uint32_t)u;
    return 0;
}

static int member_string(struct pl *s, const struct json_value *v, const char *key, const char *what)
{
    if (v->kind != JSON_STRING)
        return cmd_bad(s, "\"%s\" must be a string (%s), not %s", key, what, a_kind(v->kind));
    return 0;
}

static int power_mode(struct pl *s, const struct json_value *o, struct bridge_command *c)
{
    static const char *const names[] = {"mode", "power", "cycles", NULL};
    static const char modes[] = "auto, idle, charge, discharge or grid_charge";
    if (known_members(s, o, names, "mode, power and cycles") != 0)
        return -1;
    const struct json_value *mode = required(s, o, "mode");
    if (!mode || member_string(s, mode, "mode", modes) != 0)
        return -1;
    c->mode = cmd_power_mode_of(mode->str, mode->len);
    if (c->mode < 0) {
        c->mode = 0;
        return cmd_bad(s, "\"mode\" must be %s", modes);
    }
    const struct json_value *power = json_get(o, "power"), *cycles = json_get(o, "cycles");
    if (c->mode == RSCP_POWER_AUTO) {
        if (power || cycles)
            return cmd_bad(s, "mode auto takes no \"%s\"", power ? "power" : "cycles");
        return 0;
    }
    if (c->mode == RSCP_POWER_IDLE) {
        if (power)
            return cmd_bad(s, "mode idle takes no \"power\"");
    } else {
        if (!(power = required(s, o, "power")) || member_number(s, power, "power", 1, BRIDGE_POWER_MAX_W, &c->watts) != 0)
            return -1;
    }
    if (!(cycles = required(s, o, "cycles")))
        return -1;
    return member_number(s, cycles, "cycles", 0, BRIDGE_HOLD_MAX_CYCLES, &c->cycles);
}

/* "start" or "end": a string HH:MM read by the plain syntax's reader. */
static int member_clock(struct pl *s, const struct json_value *o, const char *key, uint8_t *h, uint8_t *m)
{
    const struct json_value *v = required(s, o, key);
    if (!v || member_string(s, v, key, "HH:MM") != 0)
        return -1;
    struct pl sub = *s;
    sub.p = v->str;
    sub.end = v->str + v->len;
    sub.member = key;
    return cmd_clock(&sub, h, m);
}

static int idle_period(struct pl *s, const struct json_value *o, struct bridge_command *c)
{
    static const char *const names[] = {"day", "mode", "active", "start", "end", NULL};
    static const char days[] = "monday..sunday or today";
    if (known_members(s, o, names, "day, mode, active, start and end") != 0)
        return -1;
    const struct json_value *day = required(s, o, "day");
    if (!day || member_string(s, day, "day", days) != 0)
        return -1;
    if ((c->idle.day = cmd_day_of(day->str, day->len)) == -2)
        return cmd_bad(s, "\"day\" must be %s", days);
    const struct json_value *mode = required(s, o, "mode");
    if (!mode || member_string(s, mode, "mode", "charge or discharge") != 0)
        return -1;
    bool charge = mode->len == 6 && memcmp(mode->str, "charge", 6) == 0;
    c->idle.discharge = mode->len == 9 && memcmp(mode->str, "discharge", 9) == 0;
    if (!charge && !c->idle.discharge)
        return cmd_bad(s, "\"mode\" must be charge or discharge");
    const struct json_value *active = required(s, o, "active");
    if (!active)
        return -1;
    if (active->kind != JSON_BOOL)
        return cmd_bad(s, "\"active\" must be true or false, not %s", a_kind(active->kind));
    c->idle.active = active->boolean;
    if (member_clock(s, o, "start", &c->idle.start_hour, &c->idle.start_minute) != 0 ||
        member_clock(s, o, "end", &c->idle.end_hour, &c->idle.end_minute) != 0)
        return -1;
    return cmd_idle_order(s, c);
}

/* What a topic with one value takes, for the message that refuses another
 * JSON type. */
static const char *one_value(const struct cmd_simple *d, char *buf, size_t cap)
{
    if (d->what == 'f')
        return "true or false";
    if (d->what == 't' || d->what == 'r')
        return "true";
    snprintf(buf, cap, "a number%s%s", d->unit ? " in " : "", d->unit ? d->unit : "");
    return buf;
}

static int value(struct pl *s, const struct cmd_simple *d, const struct json_value *v, struct bridge_command *c)
{
    char buf[40];
    /* A string on the topics whose plain payload is text is that text. */
    if (v->kind == JSON_STRING && !d) {
        struct pl sub = *s;
        sub.p = v->str;
        sub.end = v->str + v->len;
        if (v->len == 0)
            return cmd_bad(s, "the string is empty");
        return cmd_plain(&sub, d, c);
    }
    if (v->kind == JSON_OBJECT && c->kind == BRIDGE_CMD_POWER_MODE)
        return power_mode(s, v, c);
    if (v->kind == JSON_OBJECT && c->kind == BRIDGE_CMD_IDLE_PERIOD)
        return idle_period(s, v, c);
    if (d)
        return cmd_bad(s, "expected %s (without quotes), not %s", one_value(d, buf, sizeof buf), a_kind(v->kind));
    if (c->kind == BRIDGE_CMD_HISTORY_DAY)
        return cmd_bad(s, "expected a string \"YYYY-MM-DD\", not %s", a_kind(v->kind));
    return cmd_bad(s, "expected an object or a string, not %s", a_kind(v->kind));
}

int cmd_json(struct pl *s, const struct cmd_simple *d, struct bridge_command *out)
{
    struct json_value *v;
    char why[120];
    if (json_parse(s->p, (size_t)(s->end - s->p), &v, why, sizeof why) != 0)
        return cmd_bad(s, "invalid JSON (%s)", why);
    int rc = value(s, d, v, out);
    json_free(v);
    return rc;
}
