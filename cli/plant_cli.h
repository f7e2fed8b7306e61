/* The rscp tool's plant commands (status, battery, pv, meters, wallbox,
 * settings, idle-periods, set, power, charge): reading the plant in two
 * round trips, a small JSON writer, and the parsers of their arguments. */
#ifndef RSCP_CLI_PLANT_H
#define RSCP_CLI_PLANT_H

#include "cli.h"

#include "rscp/car_modes.h"
#include "rscp/control.h"
#include "rscp/ems.h"
#include "rscp/plant.h"
#include "rscp/settings.h"

/* ---- reading the plant ---------------------------------------------------- */

/* What cli_plant_read() asks for besides the units of `units`
 * (RSCP_PLANT_REQ_* bits; 0: no discovery at all). */
#define CLI_PR_LIVE 0x01u     /* the live summary (cli_live_request())       */
#define CLI_PR_SETTINGS 0x02u /* power settings                              */
#define CLI_PR_SPECS 0x04u    /* system specs                                */
#define CLI_PR_RESERVE 0x08u  /* emergency-power reserve                     */
#define CLI_PR_IDLE 0x10u     /* idle periods and their enable flag          */
#define CLI_PR_MANUAL 0x20u   /* manual charge state                         */

struct cli_plant_view {
    struct rscp_plant plant;
    struct rscp_battery bat[RSCP_BAT_MAX_STRINGS];
    struct rscp_dcb dcb[RSCP_BAT_MAX_STRINGS][RSCP_DCB_MAX];
    unsigned n_dcb[RSCP_BAT_MAX_STRINGS]; /* modules read per string        */
    struct rscp_pvi pvi[RSCP_PVI_MAX_INVERTERS];
    struct rscp_pm pm[RSCP_PM_MAX_METERS];
    struct rscp_wallbox wb[RSCP_WB_MAX_WALLBOXES];
    unsigned have;                        /* CLI_PR_* bits answered          */
    struct cli_live_reading live;
    struct rscp_power_settings settings;
    struct rscp_sys_specs specs;
    struct rscp_ep_reserve reserve;
    struct rscp_idle_periods idle;
    struct rscp_manual_charge manual;
    unsigned round_trips;                 /* request frames sent             */
};

/* Read the plant over c: with units != 0 a discovery frame first, then
 * one frame with the typed requests of every unit found (units:
 * RSCP_PLANT_REQ_* bits) and the extras (CLI_PR_* bits). A subsystem the
 * device answers with an ERROR block stays out of v->have. Returns 0, or
 * an exit code after a message. */
int cli_plant_read(rscp_client *c, unsigned units, unsigned extra, struct cli_plant_view *v);

/* Connect with the options of a parsed command line, then cli_plant_read()
 * into a heap view (*out, free() it). Returns 0 or an exit code. */
int cli_plant_connect_read(struct cli_conn *conn, const char *cmd, unsigned units, unsigned extra,
                           rscp_client **c, struct cli_plant_view **out);

/* Parse the common options (help, json, connection) of a read-only command
 * without positionals. Returns -1 after printing help (exit 0), 0, or an
 * exit code. */
int cli_plant_opts(const char *cmd, int argc, char **argv, void (*help)(void), struct cli_conn *conn, bool *json);

/* Index of the first positional argument of argv[1..argc) (skipping the
 * values of the connection options), or -1. */
int cli_plant_first_positional(int argc, char **argv);

/* A device error code as "NOT_AVAILABLE (0x06000001)" (static buffer). */
const char *cli_device_error_text(uint32_t code);

struct cli_jw;
/* A read-only command: its options, the read, then print() inside one JSON
 * object (json) or as tables. Returns the exit code. */
int cli_plant_show(const char *cmd, int argc, char **argv, void (*help)(void), unsigned units, unsigned extra,
                   void (*print)(struct cli_jw *w, const struct cli_plant_view *v, bool json));

/* ---- JSON writer ------------------------------------------------------------ */

/* Values separated by commas as objects and arrays nest; key NULL inside
 * an array. Output to stdout. */
struct cli_jw {
    int depth;
    bool first[16];
};
void cli_jw_init(struct cli_jw *w);
void cli_jw_obj(struct cli_jw *w, const char *key);  /* { */
void cli_jw_arr(struct cli_jw *w, const char *key);  /* [ */
void cli_jw_end_obj(struct cli_jw *w);                /* } */
void cli_jw_end_arr(struct cli_jw *w);                /* ] */
void cli_jw_num(struct cli_jw *w, const char *key, bool have, double v);
void cli_jw_int(struct cli_jw *w, const char *key, bool have, int64_t v);
void cli_jw_uint(struct cli_jw *w, const char *key, bool have, uint64_t v);
void cli_jw_bool(struct cli_jw *w, const char *key, bool have, bool v);
void cli_jw_str(struct cli_jw *w, const char *key, bool have, const char *v);
/* End of the document: a newline. */
void cli_jw_done(struct cli_jw *w);

/* ---- printing the units (plant_print.c) -------------------------------------- */

void cli_print_batteries(struct cli_jw *w, const struct cli_plant_view *v, bool json, bool cells);
void cli_print_trackers(struct cli_jw *w, const struct cli_plant_view *v, bool json);
void cli_print_meters(struct cli_jw *w, const struct cli_plant_view *v, bool json);
void cli_print_wallboxes(struct cli_jw *w, const struct cli_plant_view *v, bool json);
void cli_print_settings(struct cli_jw *w, const struct cli_plant_view *v, bool json);
void cli_print_idle(struct cli_jw *w, const struct cli_plant_view *v, bool json);

/* ---- arguments (plant_args.c) -------------------------------------------------- */

/* A quantity "NUMBER[UNIT]": units lists the accepted suffixes with their
 * factors (NULL name ends; an entry "" accepts a bare number). The value
 * must be an integer >= 0 after the factor and at most max. Returns 0 and
 * *out, or CLI_EXIT_USAGE after a message naming what and the range. */
struct cli_unit {
    const char *name;
    double factor;
};
extern const struct cli_unit cli_units_w[];  /* "", W, kW   */
extern const struct cli_unit cli_units_wh[]; /* "", Wh, kWh */
extern const struct cli_unit cli_units_a[];  /* "", A       */
extern const struct cli_unit cli_units_none[]; /* "": a bare number (an index) */
extern const struct cli_unit cli_units_pct[]; /* "", %       */
int cli_parse_quantity(const char *cmd, const char *what, const char *s, const struct cli_unit *units, int64_t min,
                       int64_t max, int64_t *out);

/* ---- rscp wallbox set: the settings beside SET_EXTERN (wallbox_extra.c) ------ */

/* Option ids of those settings (the command's other options are below 100). */
enum {
    CLI_WBX_MIN_CURRENT = 200, /* --min-current A              */
    CLI_WBX_AUTO_PHASE,        /* --auto-phase on|off          */
    CLI_WBX_TO_CAR,            /* --battery-to-car on|off      */
    CLI_WBX_BEFORE_CAR,        /* --battery-before-car on|off  */
    CLI_WBX_UNTIL,             /* --battery-until PCT          */
    CLI_WBX_ENFORCE            /* --enforce-power on|off       */
};
#define CLI_WBX_MIN 0x1u   /* bits of struct cli_wb_extra.set */
#define CLI_WBX_PHASE 0x2u

struct cli_wb_extra {
    uint32_t set;             /* CLI_WBX_MIN, CLI_WBX_PHASE           */
    unsigned min_a;
    bool auto_phase;
    uint32_t cm_set;          /* RSCP_CM_* bits                       */
    struct rscp_car_modes cm; /* their values                         */
};

/* Parse one of the options above into *x. Returns 0 or CLI_EXIT_USAGE. */
int cli_wb_extra_option(struct cli_wb_extra *x, int opt, const char *arg);
/* Check the minimum current against the wallbox's state (the charge
 * current it will have). Returns 0 or CLI_EXIT_USAGE after a message. */
int cli_wb_extra_check(const struct cli_wb_extra *x, const struct rscp_wallbox *state);
/* Send what *x sets in one frame and read each answer. Returns 0 or an
 * exit code after a message naming the refused setting. */
int cli_wb_extra_send(rscp_client *c, unsigned index, const struct cli_wb_extra *x);
/* Read the battery-and-car settings. Returns 0 or an exit code. */
int cli_wb_extra_read_modes(rscp_client *c, struct rscp_car_modes *out);
/* Whether the state read back has what *x asked for. */
bool cli_wb_extra_reached(const struct cli_wb_extra *x, const struct rscp_wallbox *w, const struct rscp_car_modes *m);
/* The battery-and-car settings as JSON members, or as text. */
void cli_wb_modes_json(struct cli_jw *w, const struct rscp_car_modes *m);
void cli_wb_modes_text(const struct rscp_car_modes *m, char *buf, size_t cap);

/* "on" / "off" (also true/false, 1/0). Returns 0 or CLI_EXIT_USAGE. */
int cli_parse_onoff(const char *cmd, const char *what, const char *s, bool *out);

/* A duration "90", "90s", "5m", "1h", "1h30m" (> 0, at most a week) in
 * ms. Returns 0 or CLI_EXIT_USAGE. */
int cli_parse_duration(const char *cmd, const char *what, const char *s, int64_t *ms);

#endif
