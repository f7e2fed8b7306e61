/* Fuzz target: the bridge's set/ command parser (bridge/command.h).
 * Input: byte 0 picks the topic (of the known ones, or a junk topic), the
 * rest is the payload (exactly sized on the heap, no NUL after it).
 * Invariants (abort() when broken): a failure zeroes the command and gives
 * a non-empty reason naming the topic; a success has the topic's kind and
 * every value within the documented bounds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"

static void fail(const char *what)
{
    fprintf(stderr, "fuzz invariant broken: %s\n", what);
    abort();
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
    size_t n = size - 1;
    char *payload = malloc(n ? n : 1);
    if (!payload)
        return 0;
    memcpy(payload, data + 1, n);
    struct bridge_command c;
    char err[200] = "";
    int rc = bridge_command_parse(topic, payload, n, &c, err, sizeof err);
    static const struct bridge_command zero;
    if (rc != 0) {
        if (err[0] == '\0' || memcmp(&c, &zero, sizeof c) != 0 || !strstr(err, topic))
            fail("a failure without a reason naming its topic, or with a command left");
    } else {
        if (c.kind != kind)
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
    }
    free(payload);
    return 0;
}
