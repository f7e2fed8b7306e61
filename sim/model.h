/* The simulated home power plant: a pure device model.
 *
 * Exogenous inputs (sun, clouds, house load, the car's comings and goings)
 * are pure functions of (seed, time), so any instant can be evaluated
 * directly. The state (battery energy, the car's remaining need, energy
 * counters) is integrated by sim_model_step(). No clock and no I/O: time is
 * always a parameter (UTC seconds as double). Safe to use from several
 * threads at once on separate models: values that depend only on the day
 * (the sun's declination, the day's weather, the summer-time window) are
 * kept per thread, keyed by what they depend on.
 *
 * Sign conventions of struct sim_flows (all in W, integers so the balance
 * closes exactly):  pv + add + grid == home + bat + wb
 *   pv    DC power of the house's own PV generator (>= 0)
 *   add   AC power of the additional producer (>= 0; the device reports
 *         EMS.POWER_ADD negated, as real devices do)
 *   grid  > 0 import, < 0 export
 *   home  house consumption without the wallbox (>= 0)
 *   bat   > 0 charging, < 0 discharging
 *   wb    wallbox (car) power (>= 0); wb_solar is the part covered by PV */
#ifndef SIM_MODEL_H
#define SIM_MODEL_H

#include "civil.h"

#include <stdbool.h>
#include <stdint.h>

#define SIM_MAX_BATTERIES 4u
#define SIM_MAX_DCBS 8u      /* modules per battery string */
#define SIM_MAX_TRACKERS 4u

struct sim_config {
    uint64_t seed;
    double latitude_deg;      /* 50.0 (central Germany)                 */
    double longitude_deg;     /* 10.0                                   */
    struct sim_tz tz;         /* Europe/Berlin                          */
    double pv_peak_w;         /* 9800                                   */
    unsigned trackers;        /* 1..SIM_MAX_TRACKERS (2)                */
    double add_peak_w;        /* additional AC producer, 0 = none (1800) */
    unsigned batteries;       /* 1..SIM_MAX_BATTERIES (1)               */
    unsigned dcbs;            /* modules per battery, 1..SIM_MAX_DCBS (6) */
    double bat_capacity_wh;   /* usable, all strings together (13800)   */
    double bat_max_charge_w;  /* 6000                                   */
    double derate_share;      /* feed-in cap, share of pv_peak_w: 0.70;
                                 0: no cap                              */
    double bat_max_discharge_w; /* 6000                                 */
    double bat_efficiency;    /* one way, 0..1 (0.95)                   */
    double home_base_w;       /* standby load (180)                     */
    bool wallbox;             /* a wallbox with a car (true)            */
    double wb_min_w;          /* least charging power (1380: 6 A, 1 phase) */
    double wb_max_w;          /* 11000 (16 A, 3 phases)                 */
    double car_max_w;         /* the car's own charging limit, 0: none
                                 beyond the wallbox's (0)               */
};

/* Fill *c with the defaults above (seed 1). */
void sim_config_default(struct sim_config *c);

/* true when a and b describe the same plant (every field equal; the zone
 * names compared as strings). A new field of struct sim_config belongs
 * here too: the history cache relies on it. */
bool sim_config_same(const struct sim_config *a, const struct sim_config *b);

struct sim_flows {
    int32_t pv, add, grid, home, bat, wb, wb_solar;
    int32_t curtailed;            /* PV power held back by derating (W)   */
    uint8_t wb_phases_used;       /* phases the car charges on (0: none)  */
    uint32_t status;              /* EMS.STATUS bits (RSCP_EMS_STATUS_*)  */
};

/* Energy over some period, Wh. */
struct sim_energy {
    double pv, add, home, wb, wb_solar;
    double bat_in, bat_out;       /* into / out of the battery terminals */
    double grid_in, grid_out;     /* export (fed into the grid) / import,
                                     as DB.GRID_POWER_IN / _OUT          */
    double soc_time;              /* integral of SOC (0..1) dt, in s: average = soc_time / seconds */
    double seconds;
};

/* How long EMS.REQ_SET_POWER holds after the last request, simulated s.
 * The library's keep-alive resends every 10 s at most; users report that
 * devices fall back after about 10 s, the vendor's text says 30 s. */
#define SIM_SET_POWER_HOLD_S 12.0

/* A manual charge start less than this after the last accepted one is
 * ignored (and answered with success, as devices do), simulated s. */
#define SIM_MANUAL_CHARGE_INTERVAL_S 86400.0

/* The battery stops discharging this close above its floor (the
 * emergency reserve, else empty), Wh: so it never shows a discharge at 0 %;
 * it stops charging this close below full (no burst of power at 100 %).
 * A manual charge ends this close to its energy (or to full), and a start
 * on a battery this full is over at once. */
#define SIM_BAT_FLOOR_MARGIN_WH 1.0

/* Weather-regulated charge: before this local hour, charging is limited to
 * SIM_WEATHER_SHARE of the maximum charge power (the rest of a large
 * surplus goes to the grid in the morning, the battery fills at midday). */
#define SIM_WEATHER_UNTIL_H 12.0
#define SIM_WEATHER_SHARE 0.5

/* Power save: deficits below this are taken from the grid, the battery
 * stays in standby (W). */
#define SIM_POWERSAVE_MIN_W 200

#define SIM_IDLE_PERIODS_MAX 14u /* 7 days x charge and discharge */

/* One idle period (EMS.IDLE_PERIOD): charging (type 0) or discharging
 * (type 1) locked on `day` (0 Monday .. 6 Sunday) from start to end, device
 * local time. */
struct sim_idle_period {
    uint8_t type, day;
    bool active;
    uint8_t start_h, start_m, end_h, end_m;
};

/* Control inputs that requests can change. */
struct sim_controls {
    bool limits_used;             /* EMS power limits in force            */
    uint32_t max_charge_w, max_discharge_w, discharge_start_w;
    bool powersave, weather_regulated;
    bool battery_before_car;
    /* EMS.REQ_SET_POWER: in force until set_power_until (UTC s). */
    uint8_t set_power_mode;       /* 0 normal, 1 idle, 2 discharge, 3 charge, 4 grid charge */
    int32_t set_power_value;
    double set_power_until;
    /* Idle periods and their enable flag. */
    struct sim_idle_period idle[SIM_IDLE_PERIODS_MAX];
    unsigned n_idle;
    bool idle_enabled;
    /* Manual charge: charges from the grid until mc_charged_wh reaches
     * mc_target_wh. */
    bool mc_active;
    double mc_target_wh, mc_charged_wh;
    int64_t mc_starts;            /* accepted starts                      */
    double mc_last_start;         /* UTC s of the last accepted start; < 0 none */
    /* Emergency-power reserve: the battery is not discharged below it. */
    double ep_reserve_wh;
    /* Derating: feed-in capped at this share of the PV peak (0..1). */
    double derate_share;
    /* Wallbox (WB.REQ_SET_EXTERN). */
    bool wb_sun_mode, wb_suspended;
    uint8_t wb_current_a, wb_phases;
    /* WB.REQ_SET_MIN_CHARGE_CURRENT: the least current the car charges
     * with (SIM_WB_MIN_CURRENT_A..wb_current_a); WB.REQ_SET_AUTO_PHASE_-
     * SWITCH_ENABLED: in sun mode the wallbox charges on one phase when the
     * surplus is too small for three. */
    uint8_t wb_min_current_a;
    bool wb_auto_phase;
    /* EMS.REQ_SET_BATTERY_TO_CAR_MODE: the battery also discharges for the
     * car's power from the grid, while its SOC is above wb_discharge_until
     * (EMS.REQ_SET_WB_DISCHARGE_BAT_UNTIL, %); EMS.REQ_SET_WALLBOX_ENFORCE_-
     * POWER_ASSIGNMENT: in mixed mode the battery is not charged while the
     * car charges. */
    bool battery_to_car;
    uint8_t wb_discharge_until;
    bool wb_enforce_power;
};

/* The wallbox's current bounds, A (WB.MIN_CHARGE_CURRENT may be set
 * within them, WB.MAX_CHARGE_CURRENT is the upper one). */
#define SIM_WB_MIN_CURRENT_A 6
#define SIM_WB_MAX_CURRENT_A 16

struct sim_model {
    struct sim_config cfg;
    struct sim_controls ctl;
    double t;                     /* UTC seconds                          */
    double bat_wh;                /* stored energy, 0..cfg.bat_capacity_wh */
    double car_need_wh;           /* energy the plugged-in car still takes */
    bool car_present;
    struct sim_flows flows;       /* held during the last step            */
    int64_t day;                  /* local day number of `today`          */
    struct sim_energy today, yesterday, total;
    double bat_throughput_wh;     /* for the cycle counter                */
};

/* Clear-sky DC power of PV tracker k at t (W), before clouds. */
double sim_pv_clear_sky(const struct sim_config *c, unsigned k, double t);

/* Sun elevation in degrees at t (negative below the horizon). */
double sim_sun_elevation(const struct sim_config *c, double t);

/* Cloud transmission factor at t, 0.15..1. */
double sim_cloud_factor(const struct sim_config *c, double t);

/* DC power of tracker k at t (W, with clouds); k < cfg.trackers. */
double sim_pv_tracker_power(const struct sim_config *c, unsigned k, double t);

/* Total PV power at t (W). */
double sim_pv_power(const struct sim_config *c, double t);

/* The additional producer's power at t (W). */
double sim_add_power(const struct sim_config *c, double t);

/* House load at t (W), base + profile + appliance events. */
double sim_home_load(const struct sim_config *c, double t);

/* Whether the car is at home (plugged in) at t. */
bool sim_car_present(const struct sim_config *c, double t);

/* Energy (Wh) the car wants when it arrives on local day `day`. */
double sim_car_need_on_arrival(const struct sim_config *c, int64_t day);

/* Step used to integrate past days (history, the state at start), s. */
#define SIM_COARSE_STEP 300.0

/* Battery energy (Wh) at local midnight of `day` as the model defines it:
 * the seeded level sim_soc_anchor(day - 1) at the midnight before,
 * integrated over day-1 with SIM_COARSE_STEP steps. So each day is
 * reproducible on its own. */
double sim_soc_at_midnight(const struct sim_config *c, int64_t day);

/* The seeded battery energy (Wh) that the run of `day` starts from when it
 * gives sim_soc_at_midnight(day + 1). */
double sim_soc_anchor(const struct sim_config *c, int64_t day);

/* Start the model at UTC time t0 with bat_wh stored energy; the car state
 * is taken from the inputs. Controls are the defaults. */
void sim_model_init_at(struct sim_model *m, const struct sim_config *c, double t0, double bat_wh);

/* Start the model at t0 in the state the model defines for that instant:
 * sim_soc_at_midnight() of t0's local day, integrated up to t0. */
void sim_model_init(struct sim_model *m, const struct sim_config *c, double t0);

/* Flows at the current time for a step of dt seconds (limits depend on dt
 * so the battery never over- or under-runs). Does not change the state. */
struct sim_flows sim_model_flows(const struct sim_model *m, double dt);

/* The exogenous inputs of the flows at one instant: PV, the additional
 * producer and the house load (W), pure functions of (config, t). */
struct sim_inputs {
    int32_t pv, add, home;
};
void sim_inputs_at(const struct sim_config *c, double t, struct sim_inputs *in);

/* What a step needs to know about its end instant: whether the car is at
 * home, and the local day. */
struct sim_after {
    bool present;
    int64_t day;
};
void sim_after_at(const struct sim_config *c, double t, struct sim_after *a);

/* sim_model_flows() with the inputs at m->t given (from sim_inputs_at). */
struct sim_flows sim_model_flows_from(const struct sim_model *m, double dt, const struct sim_inputs *in);

/* Advance by dt > 0 seconds: flows are taken at the step's start and held
 * for the step; energies, SOC and counters integrate them. The day counters
 * roll over when t crosses local midnight (callers split steps there, see
 * sim_model_advance_to). *e (may be NULL) gets the step's energies added. */
void sim_model_step(struct sim_model *m, double dt, struct sim_energy *e);

/* sim_model_step() with the inputs at m->t and at m->t + dt given (from
 * sim_inputs_at and sim_after_at): the same result, bit for bit, so runs
 * over the same instants can share the inputs. */
void sim_model_step_from(struct sim_model *m, double dt, struct sim_energy *e, const struct sim_inputs *in,
                         const struct sim_after *after);

/* Advance to time t in steps of at most max_step seconds, never straddling
 * local midnight. No-op when t <= m->t. */
void sim_model_advance_to(struct sim_model *m, double t, double max_step);

/* The same, adding the energies of every step into *e (may be NULL). */
void sim_model_integrate(struct sim_model *m, double t, double max_step, struct sim_energy *e);

/* State of charge, 0..100 %. */
double sim_model_soc(const struct sim_model *m);

/* Full equivalent charge cycles so far (throughput / 2 / capacity), plus a
 * seeded history so a new device does not start at zero. */
double sim_model_cycles(const struct sim_model *m);

/* Autarky: share of the consumption (home + wallbox) not taken from the
 * grid, 0..100 % (100 when nothing is consumed). */
double sim_flows_autarky(const struct sim_flows *f);
double sim_energy_autarky(const struct sim_energy *e);

/* Self-consumption: share of the production (pv + add) not exported,
 * 0..100 % (0 when nothing is produced). */
double sim_flows_self_consumption(const struct sim_flows *f);
double sim_energy_self_consumption(const struct sim_energy *e);

/* Effective battery power limits now (W), with the user limits applied. */
double sim_model_max_charge(const struct sim_model *m);
double sim_model_max_discharge(const struct sim_model *m);

/* The floor the battery is not discharged below now, Wh. */
double sim_model_bat_floor(const struct sim_model *m);

/* Whether SET_POWER is in force at the model's time. */
bool sim_model_set_power_active(const struct sim_model *m);

/* Wallbox charging power bounds with the current controls (W). */
double sim_model_wb_min(const struct sim_model *m);
double sim_model_wb_max(const struct sim_model *m);

/* Add b into a. */
void sim_energy_add(struct sim_energy *a, const struct sim_energy *b);

#endif
