/* The per-wallbox command topics of the bridge's set/ parser
 * (bridge/command.h): set/wallbox/<n>/<cmd> names wallbox n (1..8, as the
 * value topics wallbox/<n>/...), set/wallbox/<cmd> the first (wallbox 0 in
 * the command); a bad n, an unknown command and a site-wide setting under
 * a wallbox number are refused with a reason naming the topic; payloads
 * (plain and JSON) as on rscp2mqtt's topic; the topic written back from a
 * command is the topic it came from. */
#include "command.h"
#include "harness.h"

#include <string.h>

static struct bridge_command cmd;
static char err[256];

static int parse(const char *topic, const char *payload)
{
    err[0] = '\0';
    return bridge_command_parse(topic, payload, strlen(payload), &cmd, err, sizeof err);
}

static void refused(const char *topic, const char *payload, const char *want)
{
    CHECK_INT(parse(topic, payload), -1);
    if (!strstr(err, want)) {
        fprintf(stderr, "  %s '%s': message '%s' lacks '%s'\n", topic, payload, err, want);
        FAIL("reason");
    }
    CHECK_INT(cmd.kind, 0);
    CHECK_INT(cmd.wallbox, 0);
}

static const struct {
    const char *cmd, *payload;
    int kind;
} per_wb[] = {
    {"sun_mode", "false", BRIDGE_CMD_WB_SUN_MODE},     {"max_current", "13", BRIDGE_CMD_WB_CURRENT},
    {"number_phases", "1", BRIDGE_CMD_WB_PHASES},      {"suspended", "on", BRIDGE_CMD_WB_SUSPENDED},
    {"toggle", "true", BRIDGE_CMD_WB_TOGGLE},          {"min_current", "7", BRIDGE_CMD_WB_MIN_CURRENT},
    {"auto_phase_switch", "1", BRIDGE_CMD_WB_AUTO_PHASE},
};
#define N_PER_WB (sizeof per_wb / sizeof per_wb[0])

static void test_numbered(void)
{
    char topic[64], legacy[64];
    for (unsigned n = 1; n <= BRIDGE_WALLBOX_MAX; n++) {
        for (size_t i = 0; i < N_PER_WB; i++) {
            snprintf(topic, sizeof topic, "wallbox/%u/%s", n, per_wb[i].cmd);
            snprintf(legacy, sizeof legacy, "wallbox/%s", per_wb[i].cmd);
            CHECK_INT(parse(topic, per_wb[i].payload), 0);
            CHECK_INT(cmd.kind, per_wb[i].kind);
            CHECK_INT(cmd.wallbox, n);
            struct bridge_command numbered = cmd;
            /* The same command as rscp2mqtt's topic, but for wallbox n. */
            CHECK_INT(parse(legacy, per_wb[i].payload), 0);
            CHECK_INT(cmd.wallbox, 0);
            CHECK(!bridge_command_equal(&cmd, &numbered));
            cmd.wallbox = n;
            CHECK(bridge_command_equal(&cmd, &numbered));
            /* Written back: the topic it came from. */
            char back[64];
            CHECK_INT(bridge_command_topic_of(numbered.kind, n, back, sizeof back), strlen(topic));
            CHECK(strcmp(back, topic) == 0);
            CHECK_INT(bridge_command_topic_of(numbered.kind, 0, back, sizeof back), strlen(legacy));
            CHECK(strcmp(back, legacy) == 0);
        }
    }
    CHECK_INT(parse("wallbox/2/max_current", " 16\n"), 0);
    CHECK_INT(cmd.value, 16);
    CHECK_INT(parse("wallbox/8/sun_mode", "true"), 0);
    CHECK(cmd.flag);
    /* Exactly the seven kinds have the form. */
    int kinds = 0;
    for (int k = 0; k <= BRIDGE_CMD_LAST + 1; k++)
        kinds += bridge_command_per_wallbox(k);
    CHECK_INT(kinds, (int)N_PER_WB);
}

static void test_payloads(void)
{
    /* The payload's reason names the numbered topic. */
    refused("wallbox/2/max_current", "40",
            "bad payload '40' for wallbox/2/max_current: the value in A must be a whole number in 1..32");
    refused("wallbox/3/number_phases", "2", "bad payload '2' for wallbox/3/number_phases: the number of phases");
    refused("wallbox/2/toggle", "false", "for wallbox/2/toggle: send true to toggle");
    refused("wallbox/2/suspended", "maybe", "for wallbox/2/suspended: expected true or false");
    refused("wallbox/2/min_current", "", "empty payload for wallbox/2/min_current");
    /* JSON: the number or true/false itself; a string or object refused. */
    CHECK_INT(parse("wallbox/2/sun_mode", "true"), 0);
    refused("wallbox/2/max_current", "\"16\"", "wallbox/2/max_current");
    refused("wallbox/2/max_current", "{\"value\":16}", "wallbox/2/max_current");
    refused("wallbox/4/auto_phase_switch", "[true]", "wallbox/4/auto_phase_switch");
}

static void test_bad_topics(void)
{
    refused("wallbox/0/max_current", "16", "bad wallbox number '0' in set/wallbox/0/max_current: n must be 1..8");
    refused("wallbox/9/max_current", "16", "bad wallbox number '9' in set/wallbox/9/max_current: n must be 1..8");
    refused("wallbox/01/max_current", "16", "bad wallbox number '01' in set/wallbox/01/max_current");
    refused("wallbox/01/max_current", "16", "without a leading zero");
    refused("wallbox/10/sun_mode", "true", "bad wallbox number '10'");
    refused("wallbox/4294967297/sun_mode", "true", "bad wallbox number '4294967297'");
    refused("wallbox/x/max_current", "16", "bad wallbox number 'x' in set/wallbox/x/max_current");
    refused("wallbox//max_current", "16", "bad wallbox number '' in set/wallbox//max_current");
    refused("wallbox/-1/toggle", "true", "bad wallbox number '-1'");
    refused("wallbox/\x01/toggle", "true", "bad wallbox number '?' in set/wallbox/?/toggle");
    refused("wallbox/2", "16", "unknown command topic 'set/wallbox/2': set/wallbox/2/<cmd> takes sun_mode, "
                               "max_current, number_phases, suspended, toggle, min_current, auto_phase_switch");
    refused("wallbox/2/", "16", "unknown command topic 'set/wallbox/2/'");
    refused("wallbox/2/current", "16", "unknown command topic 'set/wallbox/2/current'");
    refused("wallbox/2/max_current/result", "16", "unknown command topic 'set/wallbox/2/max_current/result'");
    refused("wallbox/2/discharge_battery_to_car", "true",
            "set/wallbox/2/discharge_battery_to_car: discharge_battery_to_car is the site's setting (EMS), not one "
            "wallbox's: use set/wallbox/discharge_battery_to_car");
    refused("wallbox/1/discharge_battery_until", "50", "use set/wallbox/discharge_battery_until");
    /* Not a number nor a wallbox command: an unknown topic as before. */
    refused("wallbox/foo", "1", "unknown command topic 'set/wallbox/foo'");
    refused("wallbox/foo/bar", "1", "unknown command topic 'set/wallbox/foo/bar'");
    refused("wallboxes/2/max_current", "16", "unknown command topic 'set/wallboxes/2/max_current'");

    char buf[64];
    CHECK_INT(bridge_command_topic_of(BRIDGE_CMD_BAT_TO_CAR, 2, buf, sizeof buf), 0);
    CHECK(buf[0] == '\0');
    CHECK_INT(bridge_command_topic_of(BRIDGE_CMD_WB_CURRENT, 9, buf, sizeof buf), 0);
    CHECK_INT(bridge_command_topic_of(BRIDGE_CMD_POWER_MODE, 1, buf, sizeof buf), 0);
    CHECK_INT(bridge_command_topic_of(0, 0, buf, sizeof buf), 0);
    CHECK_INT(bridge_command_topic_of(BRIDGE_CMD_WB_CURRENT, 2, buf, 10), 0); /* does not fit */
    CHECK(buf[0] == '\0');
    CHECK_INT(bridge_command_topic_of(BRIDGE_CMD_POWER_MODE, 0, buf, sizeof buf), 10);
    CHECK(strcmp(buf, "power_mode") == 0);
}

int main(void)
{
    test_numbered();
    test_payloads();
    test_bad_topics();
    return th_finish();
}
