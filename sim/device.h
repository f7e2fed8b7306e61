/* The simulated device as a whole: its model (model.h), its identity
 * (serial number, MAC address), the plant's shape beyond the model and
 * the history database it answers from. Below the request handlers. */
#ifndef SIM_DEVICE_H
#define SIM_DEVICE_H

#include "history.h"
#include "model.h"

#include <stdbool.h>
#include <stdint.h>

#define SIM_MAX_METERS 8u      /* power meters (PM.INDEX 0..7) */
#define SIM_MAX_WALLBOXES 8u   /* wallboxes (WB.INDEX 0..7)    */

/* PM.TYPE values (as python-e3dc names them). */
#define SIM_PM_TYPE_ROOT 1u
#define SIM_PM_TYPE_ADDITIONAL 2u
#define SIM_PM_TYPE_ADD_PRODUCTION 3u
#define SIM_PM_TYPE_ADD_CONSUMPTION 4u

/* One power meter: where it answers and what it measures (root: the grid,
 * its power + import / - export, its energy counter the import; additional
 * production: the additional producer; additional consumption: a quarter
 * of the house load; additional: nothing). */
struct sim_meter {
    uint8_t index, type;
};

/* The settings of a wallbox after the first (WB.INDEX 1..): what
 * WB.REQ_SET_EXTERN, REQ_SET_MIN_CHARGE_CURRENT and REQ_SET_AUTO_PHASE_-
 * SWITCH_ENABLED change, as the model's ctl.wb_* for wallbox 0. */
struct sim_wallbox {
    bool sun_mode, suspended;
    uint8_t current_a, phases, min_current_a;
    bool auto_phase;
};

/* The whole simulated device: model plus identity. */
struct sim_device {
    struct sim_model model;
    unsigned pm_root_index;     /* index of the root power meter (0 or 6)   */
    unsigned pm_add_index;      /* index of the additional producer's meter */
    struct sim_meter meters[SIM_MAX_METERS];
    unsigned n_meters;
    unsigned dcdcs;             /* DC/DC converters (DCDC.INDEX 0..): one per battery string */
    unsigned wallboxes;         /* WB.INDEX 0..wallboxes-1 answer (0: none). Wallbox 0
                                   is the model's (its car, model.ctl.wb_*); the
                                   others have settings of their own (wb_more[i-1])
                                   and no car: they draw nothing               */
    struct sim_wallbox wb_more[SIM_MAX_WALLBOXES - 1];
    uint64_t writes;            /* requests that change the plant, received
                                   (whatever their answer): SET_POWER, the
                                   power settings, idle periods, reserve,
                                   manual charge, WB.REQ_SET_EXTERN ...   */
    bool refuse_writes;         /* a fault for clients' tests: every write
                                   is refused as a device refuses it (see
                                   handler.c), nothing is applied          */
    char serial[24];            /* INFO.SERIAL_NUMBER                       */
    char mac[18];               /* INFO.MAC_ADDRESS                         */
    int64_t history_first_day;  /* the database's first local day           */
    struct sim_history_store *history_store; /* may be NULL; not owned     */
    /* Working memory of DB replies, last and not written by
     * sim_device_init(): history_work is zeroed at the first DB request
     * (history_work_ready), so a device never asked for history (most of
     * a fleet) does not touch these 60 KB. */
    bool history_work_ready;
    struct sim_history_work history_work;    /* days computed per request   */
    struct sim_energy history[SIM_HISTORY_MAX_INTERVALS]; /* scratch for DB replies */
};

/* Number d as site `site` of a fleet whose first site is a device of seed
 * base_seed: the 12 digits of its serial number and the last 3 bytes of
 * its MAC address are those of base_seed plus site (modulo 10^12 and
 * 2^24), so the sites of one fleet have distinct serial numbers. Site 0 is
 * the identity sim_device_init() gives a device of seed base_seed. */
void sim_device_set_site(struct sim_device *d, uint64_t base_seed, unsigned site);

/* The local day a device started at `start` keeps history from: 1 January
 * of the year before (so this year and the last are complete). */
int64_t sim_history_first_day(const struct sim_config *c, double start);

/* Set up a device whose model starts at UTC time `start` (see
 * sim_model_init). pm_root_index is where the root meter answers. History
 * starts at sim_history_first_day(); days are computed per request until
 * the caller sets history_store (a store for the same configuration). */
void sim_device_init(struct sim_device *d, const struct sim_config *c, double start, unsigned pm_root_index);

/* Replace the device's power meters by m[0..n) (n <= SIM_MAX_METERS;
 * indexes distinct, below SIM_MAX_METERS; one of type ROOT). */
void sim_device_set_meters(struct sim_device *d, const struct sim_meter *m, unsigned n);

/* Give the device n wallboxes (1..SIM_MAX_WALLBOXES; the model needs
 * cfg.wallbox for the first): the others start with the first's initial
 * settings (sun mode, 16 A, 3 phases, 6 A least, no automatic switch). */
void sim_device_set_wallboxes(struct sim_device *d, unsigned n);

/* The meter that answers at `index`, or NULL. */
const struct sim_meter *sim_device_meter(const struct sim_device *d, uint64_t index);

#endif
