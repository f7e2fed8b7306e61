/* Fuzz target: the bridge's set/ command parser (bridge/command.h), both
 * payload syntaxes: rscp2mqtt's plain text and JSON (bridge/command_json.c
 * over common/json_parse.c).
 * Input: byte 0 below 0x80 picks the topic (of the known ones, or a junk
 * topic), the rest is the payload (exactly sized on the heap, no NUL after
 * it). Byte 0 with bit 7 set: the topic is "wallbox/" and the bytes up to
 * the first '\n' (the per-wallbox form "wallbox/<n>/<cmd>" and whatever
 * else), the payload what follows.
 * Invariants (abort() when broken): a failure zeroes the command and gives
 * a non-empty reason naming the topic; a success has the topic's kind and
 * every value within the documented bounds, and the command written back
 * in the plain syntax and (power_mode, idle_period) as a JSON object
 * parses to the same command. A command of a free-text topic is a
 * per-wallbox kind (or rscp2mqtt's wallbox/<cmd>, wallbox 0) with n in
 * 1..8, and its topic written back (bridge_command_topic_of) is the topic
 * it came from, byte for byte. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"

static void fail(const char *what)
{
    fprintf(stderr, "fuzz invariant broken: %s\n", what);
    abort();
}

static const char *const days[] = {"today", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
/* by enum rscp_power_mode value */
static const char *const modes[] = {"auto", "idle", "discharge", "charge", "grid_charge"};

/* The command c in the plain syntax (json false) or as a JSON object; 0
 * when c has no JSON object form. */
static size_t write_back(const struct bridge_command *c, bool json, char *b, size_t cap)
{
    int k = 0;
    switch (c->kind) {
    case BRIDGE_CMD_POWER_MODE:
        if (json && c->mode == 0)
            k = snprintf(b, cap, "{\"mode\":\"auto\"}");
        else if (json && c->mode == 1)
            k = snprintf(b, cap, "{\"cycles\":%u,\"mode\":\"idle\"}", c->cycles);
        else if (json)
            k = snprintf(b, cap, " {\"mode\":\"%s\", \"power\":%u, \"cycles\":%u}\n", modes[c->mode], c->watts,
                         c->cycles);
        else if (c->mode == 0)
            k = snprintf(b, cap, "auto");
        else if (c->mode == 1)
            k = snprintf(b, cap, "idle:%u", c->cycles);
        else
            k = snprintf(b, cap, "%s:%u:%u", modes[c->mode], c->watts, c->cycles);
        break;
    case BRIDGE_CMD_IDLE_PERIOD:
        k = snprintf(b, cap,
                     json ? "{\"day\":\"%s\",\"mode\":\"%s\",\"active\":%s,\"start\":\"%02u:%02u\",\"end\":\"%u:%u\"}"
                          : "%s:%s:%s:%02u:%02u-%u:%u",
                     days[c->idle.day + 1], c->idle.discharge ? "discharge" : "charge", c->idle.active ? "true" : "false",
                     c->idle.start_hour, c->idle.start_minute, c->idle.end_hour, c->idle.end_minute);
        break;
    case BRIDGE_CMD_HISTORY_DAY:
        k = snprintf(b, cap, json ? "\"%04d-%02d-%02d\"" : "%04d-%02d-%02d", c->year, c->month, c->day);
        break;
    case BRIDGE_CMD_WEATHER:
    case BRIDGE_CMD_POWER_SAVE:
    case BRIDGE_CMD_POWER_LIMITS:
    case BRIDGE_CMD_WB_SUN_MODE:
    case BRIDGE_CMD_WB_SUSPENDED:
    case BRIDGE_CMD_WB_TOGGLE:
    case BRIDGE_CMD_WB_AUTO_PHASE:
    case BRIDGE_CMD_BAT_TO_CAR:
    case BRIDGE_CMD_BAT_BEFORE_CAR:
    case BRIDGE_CMD_BAT_MIX_MODE:
        if (json)
            return 0;
        k = snprintf(b, cap, "%s", c->flag ? "true" : "false");
        break;
    default:
        if (json)
            return 0;
        k = snprintf(b, cap, "%u", c->value);
        break;
    }
    if (k <= 0 || (size_t)k >= cap)
        fail("write-back does not fit");
    return (size_t)k;
}

static void check_again(const char *topic, const struct bridge_command *c, bool json)
{
    char text[200], err[200];
    size_t n = write_back(c, json, text, sizeof text);
    if (n == 0)
        return;
    struct bridge_command again;
    if (bridge_command_parse(topic, text, n, &again, err, sizeof err) != 0) {
        fprintf(stderr, "'%s': %s\n", text, err);
        fail("a command written back is refused");
    }
    if (!bridge_command_equal(c, &again)) {
        fprintf(stderr, "'%s'\n", text);
        fail("a command written back parses to another command");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int kind = 1 + data[0] % (BRIDGE_CMD_HISTORY_DAY + 1); /* one past the last: junk */
    const char *topic = bridge_command_topic(kind);
    if (!topic)
        topic = "junk/topic";
    const uint8_t *rest = data + 1;
    size_t n = size - 1;
    char free_topic[80];
    bool free_text = (data[0] & 0x80) != 0;
    if (free_text) {
        const uint8_t *nl = memchr(rest, '\n', n);
        size_t tl = nl ? (size_t)(nl - rest) : n;
        if (tl > sizeof free_topic - 9)
            tl = sizeof free_topic - 9;
        memcpy(free_topic, "wallbox/", 8);
        memcpy(free_topic + 8, rest, tl);
        free_topic[8 + tl] = '\0';
        topic = free_topic;
        size_t used = nl ? (size_t)(nl - rest) + 1 : n;
        rest += used;
        n -= used;
    }
    char *payload = malloc(n ? n : 1);
    if (!payload)
        return 0;
    memcpy(payload, rest, n);
    struct bridge_command c;
    char err[200] = "";
    int rc = bridge_command_parse(topic, payload, n, &c, err, sizeof err);
    static const struct bridge_command zero;
    if (rc != 0) {
        /* A free-text topic is named when it is short and printable (others
         * are shown cut, with '?'). */
        bool plain = strlen(topic) <= 40;
        for (const char *p = topic; plain && *p; p++)
            plain = (unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f;
        if (err[0] == '\0' || memcmp(&c, &zero, sizeof c) != 0 || (plain && !strstr(err, topic)))
            fail("a failure without a reason naming its topic, or with a command left");
    } else if (free_text) {
        char back[80];
        if (c.wallbox > BRIDGE_WALLBOX_MAX || (c.wallbox > 0 && !bridge_command_per_wallbox(c.kind)))
            fail("a wallbox number out of range, or on a kind without the per-wallbox form");
        if (bridge_command_topic_of(c.kind, c.wallbox, back, sizeof back) == 0 || strcmp(back, topic) != 0) {
            fprintf(stderr, "'%s' -> '%s'\n", topic, back);
            fail("the topic written back is not the topic parsed");
        }
        check_again(topic, &c, false);
        check_again(topic, &c, true);
    } else {
        if (c.kind != kind || c.wallbox != 0)
            fail("another kind than the topic's");
        if (c.kind == BRIDGE_CMD_POWER_MODE &&
            (c.mode < 0 || c.mode > 4 || c.watts > BRIDGE_POWER_MAX_W || c.cycles > BRIDGE_HOLD_MAX_CYCLES ||
             ((c.mode >= 2) != (c.watts > 0))))
            fail("power mode out of bounds");
        if (c.kind == BRIDGE_CMD_IDLE_PERIOD &&
            (c.idle.day < -1 || c.idle.day > 6 || c.idle.start_hour > 23 || c.idle.end_hour > 23 ||
             c.idle.start_minute > 59 || c.idle.end_minute > 59 ||
             c.idle.start_hour * 60 + c.idle.start_minute >= c.idle.end_hour * 60 + c.idle.end_minute))
            fail("idle period out of bounds");
        if (c.kind == BRIDGE_CMD_RESERVE_PERCENT && c.value > 100)
            fail("percent out of bounds");
        if (c.kind == BRIDGE_CMD_WB_PHASES && c.value != 1 && c.value != 3)
            fail("phases");
        if (c.kind == BRIDGE_CMD_WB_CURRENT && (c.value < 1 || c.value > 32))
            fail("current");
        if (c.kind == BRIDGE_CMD_HISTORY_DAY && (c.month < 1 || c.month > 12 || c.day < 1 || c.day > 31))
            fail("date");
        check_again(topic, &c, false);
        check_again(topic, &c, true);
    }
    free(payload);
    return 0;
}
