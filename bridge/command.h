/* rscp-bridge: the commands that arrive on `<prefix>/set/...` topics, in
 * rscp2mqtt's payload syntax, parsed into typed commands. Pure: text in,
 * struct out; what a command does to a plant is the daemon's business.
 *
 * Topic (after "<prefix>/set/")   payload
 *   power_mode                    auto | idle:N | charge:W:N | discharge:W:N | grid_charge:W:N
 *                                 (N: poll cycles the mode is held; 0 means until told otherwise)
 *   manual_charge                 Wh
 *   weather_regulation            true | false (also on/off, 1/0)
 *   power_save                    true | false
 *   power_limits                  true | false
 *   max_charge_power              W
 *   max_discharge_power           W
 *   discharge_start_power         W
 *   reserve/energy                Wh
 *   reserve/percent               0..100
 *   idle_period                   DAY:charge|discharge:true|false:HH:MM-HH:MM
 *                                 (DAY monday..sunday or today)
 *   wallbox/sun_mode              true | false
 *   wallbox/max_current           1..32 (A)
 *   wallbox/number_phases         1 | 3
 *   wallbox/suspended             true | false
 *   wallbox/toggle                true   (suspend <-> resume)
 *   wallbox/min_current           1..32 (A; the wallbox's bounds are checked by the site)
 *   wallbox/auto_phase_switch     true | false
 *   wallbox/discharge_battery_to_car      true | false
 *   wallbox/charge_battery_before_car     true | false
 *   wallbox/discharge_battery_until       0..100 (%)
 *   wallbox/disable_battery_at_mix_mode   true | false
 *   wallbox/<n>/<cmd>             one wallbox of several: n 1..8 (WB.INDEX + 1,
 *                                 as in the value topics wallbox/<n>/...;
 *                                 decimal, no leading zero), cmd one of
 *                                 sun_mode, max_current, number_phases,
 *                                 suspended, toggle, min_current,
 *                                 auto_phase_switch, payload as above.
 *                                 wallbox/<cmd> is the first wallbox that
 *                                 answered (rscp2mqtt's form). The four
 *                                 battery-and-car settings are the site's
 *                                 (EMS), not one wallbox's: no <n> form.
 *   request/day                   YYYY-MM-DD
 * The bridge's own (they change or show the bridge, not the plant):
 *   force                         1 | true (publish every value again with the next cycle, now),
 *                                 or rscp2mqtt's regular expression of topics
 *                                 ("e3dc/battery/.*": those only; flag false,
 *                                 the pattern is the payload, checked by the daemon)
 *   interval                      1..300 (s: the site's poll interval from now on)
 *   requests/pm|pvi|dcb|history|ems   true | false (poll that group or not)
 *   log/errors | log/cache | health   1 | true (write to the log: the site's
 *                                 recent errors, every current topic and
 *                                 payload, the bridge's and the site's state)
 * rscp2mqtt's topics that rscp-bridge does not implement (soc_limiter,
 * limit/..., daily_values, statistic_values, raw_mode) are refused with a
 * reason that says what to use instead.
 * Numbers are plain decimal integers (no sign, no fraction, no exponent);
 * blanks around the payload are ignored.
 *
 * JSON is accepted too (RFC 8259, strict: common/json_parse.h). A payload
 * whose first byte (after blanks) is '{', '[' or '"' is JSON; any other is
 * plain, so a number (2000) or true/false is the same in both.
 *   - a JSON string on power_mode, idle_period and request/day holds the
 *     plain payload ("auto", "charge:2000:60", "2024-05-01");
 *   - an object with named members:
 *       power_mode   {"mode":"auto"}  {"mode":"idle","cycles":N}
 *                    {"mode":"charge"|"discharge"|"grid_charge","power":W,"cycles":N}
 *       idle_period  {"day":"monday".."sunday"|"today","mode":"charge"|"discharge",
 *                     "active":true|false,"start":"HH:MM","end":"HH:MM"}
 *     every member listed is required; power and cycles are JSON numbers
 *     (whole, in the plain syntax's ranges), active a JSON boolean;
 *   - the one-value topics take only the plain number or true/false: a
 *     JSON string ("2000"), object or array there is refused.
 * Unknown, missing and duplicate members, other JSON types, numbers out of
 * range and anything after the JSON value are refused with a reason that
 * names the member. A JSON payload gives exactly the command of its plain
 * form. */
#ifndef RSCP_BRIDGE_COMMAND_H
#define RSCP_BRIDGE_COMMAND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BRIDGE_PAYLOAD_MAX 256u        /* longer payloads are refused            */
#define BRIDGE_POWER_MAX_W 1000000u    /* bound of every power, W (rscp/ems.h)    */
#define BRIDGE_ENERGY_MAX_WH 1000000u  /* bound of every energy, Wh               */
#define BRIDGE_HOLD_MAX_CYCLES 100000u /* power_mode's N                          */

enum bridge_command_kind {
    BRIDGE_CMD_POWER_MODE = 1,  /* mode, watts, cycles            */
    BRIDGE_CMD_MANUAL_CHARGE,   /* value (Wh)                     */
    BRIDGE_CMD_WEATHER,         /* flag                           */
    BRIDGE_CMD_POWER_SAVE,      /* flag                           */
    BRIDGE_CMD_POWER_LIMITS,    /* flag                           */
    BRIDGE_CMD_MAX_CHARGE,      /* value (W)                      */
    BRIDGE_CMD_MAX_DISCHARGE,   /* value (W)                      */
    BRIDGE_CMD_DISCHARGE_START, /* value (W)                      */
    BRIDGE_CMD_RESERVE_WH,      /* value (Wh)                     */
    BRIDGE_CMD_RESERVE_PERCENT, /* value (%)                      */
    BRIDGE_CMD_IDLE_PERIOD,     /* idle (day -1: today)           */
    BRIDGE_CMD_WB_SUN_MODE,     /* flag                           */
    BRIDGE_CMD_WB_CURRENT,      /* value (A)                      */
    BRIDGE_CMD_WB_PHASES,       /* value (1 or 3)                 */
    BRIDGE_CMD_WB_SUSPENDED,    /* flag                           */
    BRIDGE_CMD_WB_TOGGLE,       /* (no value)                     */
    BRIDGE_CMD_HISTORY_DAY,     /* year, month, day               */
    BRIDGE_CMD_WB_MIN_CURRENT,  /* value (A)                      */
    BRIDGE_CMD_WB_AUTO_PHASE,   /* flag                           */
    BRIDGE_CMD_BAT_TO_CAR,      /* flag                           */
    BRIDGE_CMD_BAT_BEFORE_CAR,  /* flag                           */
    BRIDGE_CMD_BAT_UNTIL,       /* value (%)                      */
    BRIDGE_CMD_BAT_MIX_MODE,    /* flag (no battery charging in mixed mode) */
    BRIDGE_CMD_FORCE,           /* flag: true all, false a pattern (the payload) */
    BRIDGE_CMD_INTERVAL,        /* value (s)                      */
    BRIDGE_CMD_REQ_PM,          /* flag                           */
    BRIDGE_CMD_REQ_PVI,         /* flag                           */
    BRIDGE_CMD_REQ_DCB,         /* flag                           */
    BRIDGE_CMD_REQ_HISTORY,     /* flag                           */
    BRIDGE_CMD_REQ_EMS,         /* flag                           */
    BRIDGE_CMD_LOG_ERRORS,      /* (no value)                     */
    BRIDGE_CMD_LOG_CACHE,       /* (no value)                     */
    BRIDGE_CMD_HEALTH           /* (no value)                     */
};

/* The last kind (for loops over every kind). */
#define BRIDGE_CMD_LAST BRIDGE_CMD_HEALTH

/* Whether a command kind is the bridge's own (FORCE .. HEALTH): the daemon
 * runs it at once, it sends nothing to the device. */
bool bridge_command_internal(int kind);

struct bridge_command {
    int kind;                 /* enum bridge_command_kind              */
    int mode;                 /* POWER_MODE: enum rscp_power_mode value */
    uint32_t watts;           /* POWER_MODE                            */
    uint32_t cycles;          /* POWER_MODE: 0 until told otherwise     */
    uint32_t value;           /* the number of the value kinds          */
    bool flag;                /* the flag kinds                         */
    struct {
        int day;              /* 0 Monday .. 6 Sunday, -1 today          */
        bool discharge;       /* false: charge window                   */
        bool active;
        uint8_t start_hour, start_minute, end_hour, end_minute;
    } idle;
    int year, month, day;     /* HISTORY_DAY                            */
    unsigned wallbox;         /* the WB_* kinds of set/wallbox/<n>/...: n
                                 (WB.INDEX + 1, 1..BRIDGE_WALLBOX_MAX);
                                 0: set/wallbox/..., the first wallbox   */
};

#define BRIDGE_WALLBOX_MAX 8u /* n of set/wallbox/<n>/... (RSCP_WB_MAX_WALLBOXES) */

/* Whether a kind has the per-wallbox form set/wallbox/<n>/... (sun_mode,
 * max_current, number_phases, suspended, toggle, min_current,
 * auto_phase_switch). */
bool bridge_command_per_wallbox(int kind);

/* Parse a command: topic is what follows "<prefix>/set/" ("power_mode"),
 * payload[0..n) its payload (need not be NUL-terminated; not NULL, also
 * when n is 0). Returns 0 with *out, or -1 with a reason for the result
 * topic in err[0..errcap) ("bad payload 'charge:x:5' for power_mode: W
 * must be a whole number in 1..1000000", "unknown command topic
 * 'set/foo'"). A payload is quoted in the reason only when printable and
 * short. On error *out is zeroed. */
int bridge_command_parse(const char *topic, const char *payload, size_t n, struct bridge_command *out, char *err,
                         size_t errcap);

/* Whether a and b are the same command: every field a command kind uses
 * (kind, mode, watts, cycles, value, flag, the idle slot, the day). */
bool bridge_command_equal(const struct bridge_command *a, const struct bridge_command *b);

/* The topic of a command kind ("power_mode"), or NULL. */
const char *bridge_command_topic(int kind);

/* The topic of command kind with wallbox n (struct bridge_command's
 * wallbox: 0 none) after "<prefix>/set/", into buf[0..cap):
 * "wallbox/2/max_current" for n 2, else bridge_command_topic(kind).
 * Returns its length, or 0 for an unknown kind, an n out of range or a kind
 * without the per-wallbox form, or when it does not fit (buf then ""). */
size_t bridge_command_topic_of(int kind, unsigned wallbox, char *buf, size_t cap);

#endif
