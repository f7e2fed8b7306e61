/* librscp: the power settings (charge/discharge limits, weather-regulated
 * charge, power save) and the system specs they are checked against. Pure
 * codec functions, like rscp/api.h.
 *
 * Reading:  EMS.REQ_GET_POWER_SETTINGS -> EMS.GET_POWER_SETTINGS container
 *           EMS.REQ_GET_SYS_SPECS      -> EMS.GET_SYS_SPECS container of
 *           EMS.SYS_SPEC { SYS_SPEC_INDEX, SYS_SPEC_NAME, SYS_SPEC_VALUE_INT }
 *           (the one reply whose tag is not the request's with bit 23).
 * Writing:  EMS.REQ_SET_POWER_SETTINGS { POWER_LIMITS_USED, MAX_CHARGE_POWER,
 *           MAX_DISCHARGE_POWER, DISCHARGE_START_POWER, POWERSAVE_ENABLED,
 *           WEATHER_REGULATED_CHARGE_ENABLED } -> EMS.SET_POWER_SETTINGS
 *           with one CHAR8 result (EMS.RES_*) per value sent.
 * Devices change the limits only when POWER_LIMITS_USED travels with them,
 * and a value left out may be reset, so a change is a read-modify-write:
 * rscp_power_settings_set_request() takes the current settings and re-sends
 * every value it does not change, but for POWER_LIMITS_USED, which a new
 * limit turns on (a limit stored with the limits off does nothing). */
#ifndef RSCP_SETTINGS_H
#define RSCP_SETTINGS_H

#include "rscp/builder.h"
#include "rscp/common.h"
#include "rscp/frame.h"

/* ---- power settings ------------------------------------------------------ */

/* Bits of struct rscp_power_settings.present and of
 * struct rscp_power_settings_change.set. */
#define RSCP_PS_LIMITS_USED 0x01u      /* power limits in force              */
#define RSCP_PS_MAX_CHARGE 0x02u       /* charge limit, W                     */
#define RSCP_PS_MAX_DISCHARGE 0x04u    /* discharge limit, W                  */
#define RSCP_PS_DISCHARGE_START 0x08u  /* discharge starts above this load, W */
#define RSCP_PS_POWER_SAVE 0x10u       /* power save mode                     */
#define RSCP_PS_WEATHER 0x20u          /* weather-regulated charge            */
#define RSCP_PS_FORECAST_MODE 0x40u    /* EMS.WEATHER_FORECAST_MODE (read only) */
#define RSCP_PS_WRITABLE 0x3Fu

struct rscp_power_settings {
    bool limits_used;          /* EMS.POWER_LIMITS_USED                 */
    uint32_t max_charge;       /* EMS.MAX_CHARGE_POWER, W               */
    uint32_t max_discharge;    /* EMS.MAX_DISCHARGE_POWER, W            */
    uint32_t discharge_start;  /* EMS.DISCHARGE_START_POWER, W          */
    bool power_save;           /* EMS.POWERSAVE_ENABLED                 */
    bool weather_regulated;    /* EMS.WEATHER_REGULATED_CHARGE_ENABLED  */
    int32_t forecast_mode;     /* EMS.WEATHER_FORECAST_MODE             */
    uint32_t present;          /* RSCP_PS_* bits of the fields set      */
    uint32_t device_errors;    /* ERROR blocks in the reply container   */
};

/* A change: the fields whose RSCP_PS_* bit is in `set` are written, every
 * other writable value is re-sent as read. */
struct rscp_power_settings_change {
    uint32_t set;
    bool limits_used;
    uint32_t max_charge;
    uint32_t max_discharge;
    uint32_t discharge_start;
    bool power_save;
    bool weather_regulated;
};

/* The device's CHAR8 result of one written value. */
enum rscp_setting_result {
    RSCP_SETTING_APPLIED = 0,           /* applied                                   */
    RSCP_SETTING_BELOW_RECOMMENDED = 1, /* applied, but below the recommended minimum */
    RSCP_SETTING_OUT_OF_RANGE = -1,     /* refused: out of range                      */
    RSCP_SETTING_NOT_POSSIBLE = -2      /* refused: not possible now                  */
};

/* Results of a power-settings write, per value sent. */
struct rscp_power_settings_result {
    int8_t limits_used, max_charge, max_discharge, discharge_start, power_save, weather_regulated;
    uint32_t present;       /* RSCP_PS_* bits of the results the device gave */
    uint32_t device_errors; /* ERROR blocks in the reply container           */
};

/* ---- system specs -------------------------------------------------------- */

/* The specs the devices are known to report, by their names on the wire
 * (rscp_sys_spec_name()). */
enum rscp_sys_spec {
    RSCP_SPEC_HYBRID_MODE_SUPPORTED,       /* "hybridModeSupported"          */
    RSCP_SPEC_INSTALLED_BATTERY_CAPACITY,  /* "installedBatteryCapacity", Wh */
    RSCP_SPEC_MAX_AC_POWER,                /* "maxAcPower", W                */
    RSCP_SPEC_MAX_BAT_CHARGE_POWER,        /* "maxBatChargePower", W         */
    RSCP_SPEC_MAX_BAT_DISCHARGE_POWER,     /* "maxBatDischargPower" (sic), W */
    RSCP_SPEC_MAX_CHARGE_POWER,            /* "maxChargePower", W            */
    RSCP_SPEC_MAX_DISCHARGE_POWER,         /* "maxDischargePower", W         */
    RSCP_SPEC_MAX_FBC_CHARGE_POWER,        /* "maxFbcChargePower", W         */
    RSCP_SPEC_MAX_FBC_DISCHARGE_POWER,     /* "maxFbcDischargePower", W      */
    RSCP_SPEC_MAX_PV_POWER,                /* "maxPvPower", W (installed PV)  */
    RSCP_SPEC_MAX_START_CHARGE_POWER,      /* "maxStartChargePower", W       */
    RSCP_SPEC_MAX_START_DISCHARGE_POWER,   /* "maxStartDischargePower", W    */
    RSCP_SPEC_MIN_START_CHARGE_POWER,      /* "minStartChargePower", W       */
    RSCP_SPEC_MIN_START_DISCHARGE_POWER,   /* "minStartDischargePower", W    */
    RSCP_SPEC_RECOMMENDED_MIN_CHARGE,      /* "recommendedMinChargeLimit", W */
    RSCP_SPEC_RECOMMENDED_MIN_DISCHARGE,   /* "recommendedMinDischargeLimit", W */
    RSCP_SPEC_START_CHARGE_DEFAULT,        /* "startChargeDefault", W        */
    RSCP_SPEC_START_DISCHARGE_DEFAULT,     /* "startDischargeDefault", W     */
    RSCP_SPEC_COUNT
};

struct rscp_sys_specs {
    int64_t value[RSCP_SPEC_COUNT]; /* by enum rscp_sys_spec                    */
    uint32_t present;               /* bit (1u << spec) for each value set     */
    uint32_t unknown;               /* SYS_SPEC entries with another name      */
    uint32_t device_errors;         /* ERROR blocks in the reply container     */
};

/* Which limit a change breaks, as found by rscp_power_settings_check(). */
struct rscp_limit_violation {
    uint32_t field;  /* the RSCP_PS_* bit of the value             */
    const char *name;/* its name: "max_charge", "max_discharge", "discharge_start" */
    int64_t value;   /* the value asked for                        */
    int64_t min;     /* the allowed range, inclusive               */
    int64_t max;
    int spec;        /* the enum rscp_sys_spec giving max, or -1   */
};

RSCP_BEGIN_DECLS

/* Write EMS.REQ_GET_POWER_SETTINGS. Returns 0 or the builder's error. */
RSCP_API int rscp_power_settings_request(struct rscp_builder *b);

/* Read the reply: the EMS.GET_POWER_SETTINGS container of f into *out
 * (zeroed first; integers of any width). Returns 0; RSCP_ERR_DEVICE with
 * *device_error (may be NULL) when the container is an ERROR block;
 * RSCP_ERR_NOT_FOUND when f has none; RSCP_ERR_TYPE when it is not a
 * container; or a structure error. */
RSCP_API int rscp_power_settings_parse(const struct rscp_frame *f, struct rscp_power_settings *out,
                                       uint32_t *device_error);

/* Check a change against the system specs before anything is sent: the
 * charge limit within 0..maxChargePower, the discharge limit within
 * 0..maxDischargePower, the discharge start within 0..maxStartDischargePower
 * (each bound only where specs has it; RSCP_SET_POWER_MAX_W of rscp/ems.h
 * otherwise). specs may be NULL (only that bound). Returns 0, or
 * RSCP_ERR_RANGE with *violation (may be NULL) naming the value and range. */
RSCP_API int rscp_power_settings_check(const struct rscp_power_settings_change *change,
                                       const struct rscp_sys_specs *specs,
                                       struct rscp_limit_violation *violation);

/* Write EMS.REQ_SET_POWER_SETTINGS for a change of the current settings
 * (from rscp_power_settings_parse()): the changed values, and every other
 * writable value current has, re-sent. A change of any of the three limits
 * sends POWER_LIMITS_USED and all three limits; POWER_LIMITS_USED is then
 * true (a new limit turns the limits on, also when they were off) unless
 * the change sets RSCP_PS_LIMITS_USED itself (to store limits while
 * leaving them off, set it with limits_used false). The change is checked with
 * rscp_power_settings_check() first. Returns 0; RSCP_ERR_ARG (NULL b,
 * current or change, no RSCP_PS_WRITABLE bit in change->set, or a limit
 * to re-send that current lacks); RSCP_ERR_RANGE with *violation (may be
 * NULL) set; or the builder's error. Nothing is written on error, but for
 * the builder's own. */
RSCP_API int rscp_power_settings_set_request(struct rscp_builder *b, const struct rscp_power_settings *current,
                                             const struct rscp_power_settings_change *change,
                                             const struct rscp_sys_specs *specs,
                                             struct rscp_limit_violation *violation);

/* Read the reply to a write: the EMS.SET_POWER_SETTINGS container's
 * results (CHAR8, any integer width). Same returns as
 * rscp_power_settings_parse(). */
RSCP_API int rscp_power_settings_result_parse(const struct rscp_frame *f, struct rscp_power_settings_result *out,
                                              uint32_t *device_error);

/* Name of a result code ("applied", "applied below the recommended limit",
 * "out of range", "not possible now"), or NULL for another code. */
RSCP_API const char *rscp_setting_result_name(int code);

/* Write EMS.REQ_GET_SYS_SPECS. Returns 0 or the builder's error. */
RSCP_API int rscp_sys_specs_request(struct rscp_builder *b);

/* Read the reply: each EMS.SYS_SPEC of EMS.GET_SYS_SPECS by its name into
 * *out (zeroed first); integer values of any width, names compared exactly.
 * Entries with other names are counted in out->unknown, entries without a
 * name or an integer value are skipped. Same returns as
 * rscp_power_settings_parse(). */
RSCP_API int rscp_sys_specs_parse(const struct rscp_frame *f, struct rscp_sys_specs *out, uint32_t *device_error);

/* The wire name of a spec ("maxChargePower"), or NULL. */
RSCP_API const char *rscp_sys_spec_name(int spec);

/* The value of a spec: 0 and *value, RSCP_ERR_NOT_FOUND when specs lacks it,
 * RSCP_ERR_ARG for a bad spec or NULL argument. */
RSCP_API int rscp_sys_spec_get(const struct rscp_sys_specs *specs, int spec, int64_t *value);

RSCP_END_DECLS

#endif
