/* The bridge's set/ commands with JSON payloads (bridge/command.h): every
 * command kind's JSON form gives exactly the command of its plain form, and
 * bad JSON is refused with a reason that names the member and the problem. */
#include "command.h"
#include "harness.h"
#include "rscp/ems.h"

#include <string.h>

static char err[256];

static void check_str(const char *got, const char *want, int line)
{
    if (strcmp(got, want) != 0)
        fprintf(stderr, "  got  '%s'\n  want '%s'\n", got, want);
    th_check(strcmp(got, want) == 0, __FILE__, line, "message");
}
#define CHECK_STR(got, want) check_str((got), (want), __LINE__)

static int parse(const char *topic, const char *payload, struct bridge_command *c)
{
    err[0] = '\0';
    return bridge_command_parse(topic, payload, strlen(payload), c, err, sizeof err);
}

/* topic, plain payload, JSON payload of the same command */
static const struct {
    const char *topic, *plain, *json;
} pairs[] = {
    {"power_mode", "auto", "{\"mode\":\"auto\"}"},
    {"power_mode", "auto", "\"auto\""},
    {"power_mode", "idle:60", "{\"mode\":\"idle\",\"cycles\":60}"},
    {"power_mode", "idle:0", " { \"cycles\" : 0 , \"mode\" : \"idle\" }\n"},
    {"power_mode", "charge:2000:60", "{\"mode\":\"charge\",\"power\":2000,\"cycles\":60}"},
    {"power_mode", "charge:2000:60", "\"charge:2000:60\""},
    {"power_mode", "discharge:1:0", "{\"cycles\":0,\"power\":1,\"mode\":\"discharge\"}"},
    {"power_mode", "grid_charge:1000000:100000", "{\"mode\":\"grid_charge\",\"power\":1000000,\"cycles\":100000}"},
    {"manual_charge", "5000", "5000"},
    {"weather_regulation", "true", "true"},
    {"power_save", "false", "false"},
    {"power_limits", "1", "true"},
    {"max_charge_power", "4500", "4500"},
    {"max_discharge_power", "0", "0"},
    {"discharge_start_power", "65", " 65\n"},
    {"reserve/energy", "3000", "3000"},
    {"reserve/percent", "20", "20"},
    {"idle_period", "monday:charge:true:00:00-06:00",
     "{\"day\":\"monday\",\"mode\":\"charge\",\"active\":true,\"start\":\"00:00\",\"end\":\"06:00\"}"},
    {"idle_period", "today:discharge:false:7:5-23:59",
     "{\"end\":\"23:59\",\"start\":\"07:05\",\"active\":false,\"mode\":\"discharge\",\"day\":\"today\"}"},
    {"idle_period", "sunday:charge:on:10:00-11:00", "\"sunday:charge:on:10:00-11:00\""},
    {"wallbox/sun_mode", "on", "true"},
    {"wallbox/max_current", "16", "16"},
    {"wallbox/number_phases", "3", "3"},
    {"wallbox/suspended", "0", "false"},
    {"wallbox/toggle", "true", "true"},
    {"request/day", "2024-02-29", "\"2024-02-29\""},
};

static void test_same_command(void)
{
    bool kinds[BRIDGE_CMD_HISTORY_DAY + 1] = {false};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        struct bridge_command a, b;
        memset(&a, 0x5a, sizeof a);
        memset(&b, 0xa5, sizeof b);
        int ra = parse(pairs[i].topic, pairs[i].plain, &a);
        if (ra != 0)
            fprintf(stderr, "  %s '%s': %s\n", pairs[i].topic, pairs[i].plain, err);
        int rb = parse(pairs[i].topic, pairs[i].json, &b);
        if (rb != 0)
            fprintf(stderr, "  %s '%s': %s\n", pairs[i].topic, pairs[i].json, err);
        CHECK_INT(ra, 0);
        CHECK_INT(rb, 0);
        if (!bridge_command_equal(&a, &b)) {
            fprintf(stderr, "  %s: '%s' and '%s' differ\n", pairs[i].topic, pairs[i].plain, pairs[i].json);
            FAIL("the JSON form gives another command");
        }
        if (a.kind > 0 && a.kind <= BRIDGE_CMD_HISTORY_DAY)
            kinds[a.kind] = true;
    }
    /* The table covers every command kind. */
    for (int k = BRIDGE_CMD_POWER_MODE; k <= BRIDGE_CMD_HISTORY_DAY; k++) {
        if (!kinds[k])
            fprintf(stderr, "  no JSON pair for %s\n", bridge_command_topic(k));
        CHECK(kinds[k]);
    }
}

/* topic, JSON payload, what the reason must contain */
static const struct {
    const char *topic, *json, *want;
} refusals[] = {
    /* members */
    {"power_mode", "{\"mode\":\"charge\",\"power\":2000,\"cycles\":60,\"boost\":1}",
     "unknown member \"boost\" (power_mode takes mode, power and cycles)"},
    {"power_mode", "{\"power\":2000,\"cycles\":60}", "\"mode\" is missing"},
    {"power_mode", "{\"mode\":\"charge\",\"cycles\":60}", "\"power\" is missing"},
    {"power_mode", "{\"mode\":\"charge\",\"power\":2000}", "\"cycles\" is missing"},
    {"power_mode", "{\"mode\":\"idle\"}", "\"cycles\" is missing"},
    {"power_mode", "{\"mode\":\"auto\",\"cycles\":5}", "mode auto takes no \"cycles\""},
    {"power_mode", "{\"mode\":\"idle\",\"power\":5,\"cycles\":5}", "mode idle takes no \"power\""},
    {"power_mode", "{\"mode\":\"boost\"}", "\"mode\" must be auto, idle, charge, discharge or grid_charge"},
    {"power_mode", "{\"mode\":\"charge\\u0000\",\"power\":1,\"cycles\":1}", "\"mode\" must be auto, idle"},
    {"power_mode", "{\"mode\":1}", "\"mode\" must be a string (auto, idle, charge, discharge or grid_charge), not a number"},
    {"power_mode", "{\"mode\":\"charge\",\"power\":\"2000\",\"cycles\":60}",
     "\"power\" must be a whole number in 1..1000000, not a string"},
    {"power_mode", "{\"mode\":\"charge\",\"power\":0,\"cycles\":60}", "\"power\" must be a whole number in 1..1000000"},
    {"power_mode", "{\"mode\":\"charge\",\"power\":1000001,\"cycles\":60}", "\"power\" must be a whole number in 1..1000000"},
    {"power_mode", "{\"mode\":\"charge\",\"power\":-5,\"cycles\":60}", "\"power\" must be a whole number"},
    {"power_mode", "{\"mode\":\"charge\",\"power\":2000.5,\"cycles\":60}", "\"power\" must be a whole number"},
    {"power_mode", "{\"mode\":\"charge\",\"power\":2e3,\"cycles\":60}", "\"power\" must be a whole number"},
    {"power_mode", "{\"mode\":\"charge\",\"power\":99999999999999999999999,\"cycles\":60}", "\"power\" must be"},
    {"power_mode", "{\"mode\":\"charge\",\"power\":2000,\"cycles\":100001}", "\"cycles\" must be a whole number in 0..100000"},
    {"power_mode", "{\"mode\":\"charge\",\"power\":2000,\"cycles\":null}", "\"cycles\" must be a whole number in 0..100000, not null"},
    {"power_mode", "{\"mode\":\"auto\",\"\\u0001\":1}", "unknown member \"?\""},
    {"idle_period", "{\"day\":\"monday\",\"mode\":\"charge\",\"active\":true,\"start\":\"00:00\"}", "\"end\" is missing"},
    {"idle_period", "{\"day\":\"mondy\",\"mode\":\"charge\",\"active\":true,\"start\":\"00:00\",\"end\":\"06:00\"}",
     "\"day\" must be monday..sunday or today"},
    {"idle_period", "{\"day\":0,\"mode\":\"charge\",\"active\":true,\"start\":\"00:00\",\"end\":\"06:00\"}",
     "\"day\" must be a string (monday..sunday or today), not a number"},
    {"idle_period", "{\"day\":\"monday\",\"mode\":\"both\",\"active\":true,\"start\":\"00:00\",\"end\":\"06:00\"}",
     "\"mode\" must be charge or discharge"},
    {"idle_period", "{\"day\":\"monday\",\"mode\":\"charge\",\"active\":\"true\",\"start\":\"00:00\",\"end\":\"06:00\"}",
     "\"active\" must be true or false, not a string"},
    {"idle_period", "{\"day\":\"monday\",\"mode\":\"charge\",\"active\":true,\"start\":\"24:00\",\"end\":\"06:00\"}",
     "\"start\": the hour must be a whole number in 0..23"},
    {"idle_period", "{\"day\":\"monday\",\"mode\":\"charge\",\"active\":true,\"start\":\"00:00\",\"end\":\"06:60\"}",
     "\"end\": the minute must be a whole number in 0..59"},
    {"idle_period", "{\"day\":\"monday\",\"mode\":\"charge\",\"active\":true,\"start\":\"00:00-\",\"end\":\"06:00\"}",
     "\"start\": expected HH:MM"},
    {"idle_period", "{\"day\":\"monday\",\"mode\":\"charge\",\"active\":true,\"start\":600,\"end\":\"06:00\"}",
     "\"start\" must be a string (HH:MM), not a number"},
    {"idle_period", "{\"day\":\"monday\",\"mode\":\"charge\",\"active\":true,\"start\":\"07:00\",\"end\":\"06:00\"}",
     "the start must be before the end"},
    {"idle_period", "{\"day\":\"monday\",\"mode\":\"charge\",\"active\":true,\"start\":\"00:00\",\"end\":\"06:00\",\"x\":1}",
     "unknown member \"x\" (idle_period takes day, mode, active, start and end)"},
    /* JSON syntax: the parser's position and problem */
    {"power_mode", "{\"mode\":\"auto\"} x", "invalid JSON (line 1, column 17: unexpected data after the JSON value)"},
    {"power_mode", "{\"mode\":\"auto\",}", "invalid JSON (line 1, column 16:"},
    {"power_mode", "{\"mode\":\"auto\",\"mode\":\"auto\"}", "invalid JSON (line 1, column"},
    {"power_mode", "{\"mode\":'auto'}", "invalid JSON"},
    {"power_mode", "\"auto", "invalid JSON"},
    {"power_mode", "\"\\u00e9\"", "the mode must be auto"},
    {"request/day", "\"\xff\"", "invalid JSON"},
    /* types by topic */
    {"power_mode", "[\"auto\"]", "expected an object or a string, not an array"},
    {"idle_period", "[]", "expected an object or a string, not an array"},
    {"request/day", "{\"day\":\"2024-01-01\"}", "expected a string \"YYYY-MM-DD\", not an object"},
    {"request/day", "\"2023-02-29\"", "2023 is no leap year"},
    {"request/day", "\"\"", "the string is empty"},
    {"max_charge_power", "\"2000\"", "for max_charge_power: expected a number in W (without quotes), not a string"},
    {"reserve/energy", "{\"wh\":3000}", "expected a number in Wh (without quotes), not an object"},
    {"reserve/percent", "[20]", "expected a number in % (without quotes), not an array"},
    {"wallbox/number_phases", "\"3\"", "expected a number (without quotes), not a string"},
    {"weather_regulation", "\"true\"", "expected true or false (without quotes), not a string"},
    {"wallbox/toggle", "{}", "expected true (without quotes), not an object"},
};

static void test_refused(void)
{
    for (size_t i = 0; i < sizeof refusals / sizeof refusals[0]; i++) {
        struct bridge_command c;
        memset(&c, 0x5a, sizeof c);
        CHECK_INT(parse(refusals[i].topic, refusals[i].json, &c), -1);
        if (!strstr(err, refusals[i].want)) {
            fprintf(stderr, "  %s '%s': message '%s' lacks '%s'\n", refusals[i].topic, refusals[i].json, err,
                    refusals[i].want);
            FAIL("reason");
        }
        if (strncmp(err, "bad payload ", 12) != 0 || !strstr(err, refusals[i].topic))
            FAIL("a reason without the topic");
        CHECK_INT(c.kind, 0);
    }
}

/* The reason quotes a short JSON payload, and names the member also when the
 * payload is too long to be quoted. */
static void test_messages(void)
{
    struct bridge_command c;
    CHECK_INT(parse("power_mode", "{\"mode\":\"charge\",\"power\":0,\"cycles\":1}", &c), -1);
    CHECK_STR(err, "bad payload '{\"mode\":\"charge\",\"power\":0,\"cycles\":1}' for power_mode: \"power\" must be a "
                   "whole number in 1..1000000");
    CHECK_INT(parse("idle_period",
                    "{\"day\":\"monday\",\"mode\":\"charge\",\"active\":true,\"start\":\"00:00\",\"end\":\"24:00\"}",
                    &c),
              -1);
    CHECK_STR(err, "bad payload for idle_period: \"end\": the hour must be a whole number in 0..23");
    /* Nesting is refused by type, however deep (the parser bounds depth). */
    char deep[200];
    size_t n = 0;
    n += (size_t)snprintf(deep + n, sizeof deep - n, "{\"mode\":");
    for (int i = 0; i < 40; i++)
        deep[n++] = '[';
    for (int i = 0; i < 40; i++)
        deep[n++] = ']';
    deep[n++] = '}';
    deep[n] = '\0';
    CHECK_INT(parse("power_mode", deep, &c), -1);
    CHECK(strstr(err, "\"mode\" must be a string") != NULL);
}

int main(void)
{
    test_same_command();
    test_refused();
    test_messages();
    return th_finish();
}
