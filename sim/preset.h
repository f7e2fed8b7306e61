/* Plant shapes as presets (`rscp sim --model NAME`): the configuration of
 * the model and the power meters of the device, so that clients meet the
 * shapes real installations have (the root meter at 0 or at 6, gaps in the
 * meter indexes, one or several battery strings and trackers). */
#ifndef SIM_PRESET_H
#define SIM_PRESET_H

#include "device.h"
#include "model.h"

struct sim_preset {
    const char *name;
    const char *summary;             /* one line for --help                   */
    unsigned batteries, trackers, dcbs;
    double pv_peak_w;
    double string_capacity_wh;       /* per battery string                    */
    double string_power_w;           /* max charge = max discharge, per string */
    double add_peak_w;               /* additional producer, 0: none          */
    bool wallbox;
    struct sim_meter meters[SIM_MAX_METERS];
    unsigned n_meters;
};

/* The preset named `name`, or NULL. */
const struct sim_preset *sim_preset_find(const char *name);

/* The i-th preset (0..), NULL past the last. */
const struct sim_preset *sim_preset_at(unsigned i);

/* Set the plant fields of *c from p, per string (the caller multiplies
 * capacity and power by the strings, as for --batteries). */
void sim_preset_apply(const struct sim_preset *p, struct sim_config *c);

#endif
