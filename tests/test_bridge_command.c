/* The bridge's set/ command parser (bridge/command.h): every command of
 * rscp2mqtt's syntax, and bad payloads refused with a reason that names the
 * topic and what was wrong. */
#include "command.h"
#include "harness.h"
#include "rscp/ems.h"

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
}

static void test_power_mode(void)
{
    CHECK_INT(parse("power_mode", "auto"), 0);
    CHECK_INT(cmd.kind, BRIDGE_CMD_POWER_MODE);
    CHECK_INT(cmd.mode, RSCP_POWER_AUTO);
    CHECK_INT(parse("power_mode", " idle:60\n"), 0);
    CHECK_INT(cmd.mode, RSCP_POWER_IDLE);
    CHECK_INT(cmd.cycles, 60);
    CHECK_INT(parse("power_mode", "charge:2000:60"), 0);
    CHECK_INT(cmd.mode, RSCP_POWER_CHARGE);
    CHECK_INT(cmd.watts, 2000);
    CHECK_INT(cmd.cycles, 60);
    CHECK_INT(parse("power_mode", "discharge:1:0"), 0);
    CHECK_INT(cmd.mode, RSCP_POWER_DISCHARGE);
    CHECK_INT(cmd.cycles, 0);
    CHECK_INT(parse("power_mode", "grid_charge:1000000:100000"), 0);
    CHECK_INT(cmd.mode, RSCP_POWER_GRID_CHARGE);

    refused("power_mode", "charge:0:5", "bad payload 'charge:0:5' for power_mode: W must be a whole number in 1..1000000");
    refused("power_mode", "charge:1000001:5", "W must be");
    refused("power_mode", "charge:-5:5", "W must be");
    refused("power_mode", "charge:2000", "expected ':N' after W");
    refused("power_mode", "charge:2000:", "N (the cycles");
    refused("power_mode", "charge:2000:60:1", "unexpected text after N");
    refused("power_mode", "charge:2e3:60", "W must be");
    refused("power_mode", "idle", "N (the cycles");
    refused("power_mode", "idle:x", "N must be");
    refused("power_mode", "auto:5", "auto takes nothing");
    refused("power_mode", "boost:5", "the mode must be auto, idle:N");
    refused("power_mode", "", "empty payload for power_mode");
    refused("power_mode", "charge:99999999999999999999:1", "W must be");
}

static void test_simple(void)
{
    CHECK_INT(parse("manual_charge", "5000"), 0);
    CHECK_INT(cmd.kind, BRIDGE_CMD_MANUAL_CHARGE);
    CHECK_INT(cmd.value, 5000);
    refused("manual_charge", "0", "the value in Wh must be a whole number in 1..1000000");
    refused("manual_charge", "12.5", "the value in Wh must be a whole number");
    CHECK_INT(parse("weather_regulation", "true"), 0);
    CHECK(cmd.flag);
    CHECK_INT(cmd.kind, BRIDGE_CMD_WEATHER);
    CHECK_INT(parse("power_limits", "0"), 0);
    CHECK(!cmd.flag);
    CHECK_INT(parse("power_save", "on"), 0);
    CHECK(cmd.flag);
    refused("power_limits", "yes please", "expected true or false");
    refused("power_limits", "true:1", "expected true or false");
    CHECK_INT(parse("max_charge_power", "4500"), 0);
    CHECK_INT(cmd.kind, BRIDGE_CMD_MAX_CHARGE);
    CHECK_INT(cmd.value, 4500);
    CHECK_INT(parse("max_discharge_power", "0"), 0);
    CHECK_INT(parse("discharge_start_power", "65"), 0);
    CHECK_INT(cmd.kind, BRIDGE_CMD_DISCHARGE_START);
    CHECK_INT(parse("reserve/energy", "2000"), 0);
    CHECK_INT(cmd.kind, BRIDGE_CMD_RESERVE_WH);
    CHECK_INT(parse("reserve/percent", "100"), 0);
    CHECK_INT(cmd.kind, BRIDGE_CMD_RESERVE_PERCENT);
    refused("reserve/percent", "101", "the value in % must be a whole number in 0..100");
    CHECK_INT(parse("wallbox/sun_mode", "false"), 0);
    CHECK_INT(cmd.kind, BRIDGE_CMD_WB_SUN_MODE);
    CHECK_INT(parse("wallbox/max_current", "16"), 0);
    CHECK_INT(cmd.value, 16);
    refused("wallbox/max_current", "33", "in A must be a whole number in 1..32");
    CHECK_INT(parse("wallbox/number_phases", "3"), 0);
    CHECK_INT(cmd.value, 3);
    refused("wallbox/number_phases", "2", "must be 1 or 3");
    CHECK_INT(parse("wallbox/suspended", "1"), 0);
    CHECK_INT(cmd.kind, BRIDGE_CMD_WB_SUSPENDED);
    CHECK_INT(parse("wallbox/toggle", "true"), 0);
    CHECK_INT(cmd.kind, BRIDGE_CMD_WB_TOGGLE);
    refused("wallbox/toggle", "false", "send true to toggle");
    /* rscp2mqtt's other wallbox topics. */
    CHECK_INT(parse("wallbox/min_current", "8"), 0);
    CHECK_INT(cmd.kind, BRIDGE_CMD_WB_MIN_CURRENT);
    CHECK_INT(cmd.value, 8);
    refused("wallbox/min_current", "0", "in A must be a whole number in 1..32");
    refused("wallbox/min_current", "7.5", "whole number");
    CHECK_INT(parse("wallbox/auto_phase_switch", "on"), 0);
    CHECK_INT(cmd.kind, BRIDGE_CMD_WB_AUTO_PHASE);
    CHECK(cmd.flag);
    refused("wallbox/auto_phase_switch", "3", "expected true or false");
    CHECK_INT(parse("wallbox/discharge_battery_to_car", "true"), 0);
    CHECK_INT(cmd.kind, BRIDGE_CMD_BAT_TO_CAR);
    CHECK(cmd.flag);
    CHECK_INT(parse("wallbox/charge_battery_before_car", "0"), 0);
    CHECK_INT(cmd.kind, BRIDGE_CMD_BAT_BEFORE_CAR);
    CHECK(!cmd.flag);
    CHECK_INT(parse("wallbox/discharge_battery_until", "0"), 0);
    CHECK_INT(cmd.kind, BRIDGE_CMD_BAT_UNTIL);
    CHECK_INT(parse("wallbox/discharge_battery_until", " 100 "), 0);
    CHECK_INT(cmd.value, 100);
    refused("wallbox/discharge_battery_until", "101", "the value in % must be a whole number in 0..100");
    refused("wallbox/discharge_battery_until", "\"50\"", "not a string");
    CHECK_INT(parse("wallbox/disable_battery_at_mix_mode", "false"), 0);
    CHECK_INT(cmd.kind, BRIDGE_CMD_BAT_MIX_MODE);
    refused("wallbox/disable_battery_at_mix_mode", "[true]", "not an array");
}

static void test_idle_and_day(void)
{
    CHECK_INT(parse("idle_period", "sunday:charge:true:00:00-23:59"), 0);
    CHECK_INT(cmd.kind, BRIDGE_CMD_IDLE_PERIOD);
    CHECK_INT(cmd.idle.day, 6);
    CHECK(!cmd.idle.discharge);
    CHECK(cmd.idle.active);
    CHECK_INT(cmd.idle.end_hour, 23);
    CHECK_INT(cmd.idle.end_minute, 59);
    CHECK_INT(parse("idle_period", "today:discharge:false:7:5-8:30"), 0);
    CHECK_INT(cmd.idle.day, -1);
    CHECK(cmd.idle.discharge && !cmd.idle.active);
    CHECK_INT(cmd.idle.start_hour, 7);
    CHECK_INT(cmd.idle.start_minute, 5);
    refused("idle_period", "sundy:charge:true:00:00-23:59", "the day must be monday..sunday or today");
    refused("idle_period", "monday:both:true:00:00-23:59", "the mode must be charge or discharge");
    refused("idle_period", "monday:charge:maybe:00:00-23:59", "expected true or false");
    refused("idle_period", "monday:charge:true:24:00-23:59", "the hour must be");
    refused("idle_period", "monday:charge:true:00:60-23:59", "the minute must be");
    refused("idle_period", "monday:charge:true:10:00-09:00", "the start must be before the end");
    refused("idle_period", "monday:charge:true:10:00", "expected HH:MM-HH:MM");
    refused("idle_period", "monday:charge:true:10:00-11:00x", "the minute must be");

    CHECK_INT(parse("request/day", "2023-12-31"), 0);
    CHECK_INT(cmd.kind, BRIDGE_CMD_HISTORY_DAY);
    CHECK_INT(cmd.year, 2023);
    CHECK_INT(cmd.month, 12);
    CHECK_INT(cmd.day, 31);
    CHECK_INT(parse("request/day", "2024-02-29"), 0);
    refused("request/day", "2023-02-29", "2023 is no leap year");
    refused("request/day", "2023-04-31", "the day must be");
    refused("request/day", "2023-13-01", "the month must be");
    refused("request/day", "23-12-31", "the year must be");
    refused("request/day", "2023-12-31T00", "the day must be");
    refused("request/day", "2023-12-31-", "expected YYYY-MM-DD");
}

static void test_other(void)
{
    refused("nosuch", "1", "unknown command topic 'set/nosuch'");
    refused("log/cachex", "1", "unknown command topic");
    refused("power_mode\x01", "auto", "unknown command topic 'set/power_mode?'");
    /* Unprintable or long payloads are not quoted. */
    refused("power_mode", "ch\x01rge:1:1", "bad payload for power_mode:");
    char longp[300];
    memset(longp, '9', sizeof longp - 1);
    longp[sizeof longp - 1] = '\0';
    refused("manual_charge", longp, "longer than 256 bytes");
    refused("manual_charge", "   ", "empty payload");
    /* Payloads need no NUL: a length is enough. */
    CHECK_INT(bridge_command_parse("manual_charge", "123456", 3, &cmd, err, sizeof err), 0);
    CHECK_INT(cmd.value, 123);
    CHECK_INT(bridge_command_parse("manual_charge", NULL, 0, &cmd, NULL, 0), -1);
    for (int k = BRIDGE_CMD_POWER_MODE; k <= BRIDGE_CMD_LAST; k++) {
        CHECK(bridge_command_topic(k) != NULL);
        CHECK(bridge_command_internal(k) == (k >= BRIDGE_CMD_FORCE));
    }
    CHECK(bridge_command_topic(BRIDGE_CMD_LAST + 1) == NULL);
    CHECK(bridge_command_topic(0) == NULL);
    CHECK(strcmp(bridge_command_topic(BRIDGE_CMD_RESERVE_PERCENT), "reserve/percent") == 0);
}

/* The bridge's own commands, and rscp2mqtt's features it does not have. */
static void test_bridge_own(void)
{
    CHECK_INT(parse("force", "1"), 0);
    CHECK_INT(cmd.kind, BRIDGE_CMD_FORCE);
    CHECK_INT(parse("force", "true"), 0);
    CHECK(cmd.flag);
    refused("force", "0", "send 1 or true to publish every value again, or a regular expression");
    CHECK_INT(parse("force", "e3dc/history/2021.*"), 0); /* rscp2mqtt's pattern: the daemon's to match */
    CHECK_INT(cmd.kind, BRIDGE_CMD_FORCE);
    CHECK(!cmd.flag);
    refused("log/errors", "yes", "send 1 or true to run it");
    CHECK_INT(parse("interval", "300"), 0);
    CHECK_INT(cmd.kind, BRIDGE_CMD_INTERVAL);
    CHECK_INT(cmd.value, 300);
    refused("interval", "0", "the value in s must be a whole number in 1..300");
    refused("interval", "301", "in 1..300");
    refused("interval", "fast", "whole number");
    static const struct {
        const char *topic;
        int kind;
    } req[] = {{"requests/pm", BRIDGE_CMD_REQ_PM},
               {"requests/pvi", BRIDGE_CMD_REQ_PVI},
               {"requests/dcb", BRIDGE_CMD_REQ_DCB},
               {"requests/history", BRIDGE_CMD_REQ_HISTORY},
               {"requests/ems", BRIDGE_CMD_REQ_EMS}};
    for (size_t i = 0; i < sizeof req / sizeof req[0]; i++) {
        CHECK_INT(parse(req[i].topic, "false"), 0);
        CHECK_INT(cmd.kind, req[i].kind);
        CHECK(!cmd.flag);
        refused(req[i].topic, "2", "expected true or false");
    }
    CHECK_INT(parse("log/errors", "1"), 0);
    CHECK_INT(cmd.kind, BRIDGE_CMD_LOG_ERRORS);
    CHECK_INT(parse("log/cache", "1"), 0);
    CHECK_INT(cmd.kind, BRIDGE_CMD_LOG_CACHE);
    CHECK_INT(parse("health", "true"), 0);
    CHECK_INT(cmd.kind, BRIDGE_CMD_HEALTH);
    refused("health", "\"1\"", "expected true (without quotes)");
    refused("soc_limiter", "true", "not supported by rscp-bridge: set/soc_limiter");
    refused("limit/discharge/soc", "50", "set/idle_period");
    refused("limit/discharge/by_home_power", "500", "set/discharge_start_power");
    refused("limit/discharge/durable", "true", "not supported by rscp-bridge");
    refused("limit/charge/soc", "80", "set/max_charge_power");
    refused("limit/charge/durable", "true", "not supported by rscp-bridge");
    refused("daily_values", "true", "set/request/day");
    refused("statistic_values", "true", "Prometheus");
    refused("raw_mode", "true", "rscp get");
}

int main(void)
{
    test_bridge_own();
    test_power_mode();
    test_simple();
    test_idle_and_day();
    test_other();
    return th_finish();
}
