/* The simulated device as a whole: its model (model.h), its identity
 * (serial number, MAC address), the plant's shape beyond the model and
 * the history database it answers from. Below the request handlers. */
#ifndef SIM_DEVICE_H
#define SIM_DEVICE_H

#include "history.h"
#include "model.h"

#include <stdint.h>

/* The whole simulated device: model plus identity. */
struct sim_device {
    struct sim_model model;
    unsigned pm_root_index;     /* index of the root power meter (0 or 6)   */
    unsigned pm_add_index;      /* index of the additional producer's meter */
    char serial[24];            /* INFO.SERIAL_NUMBER                       */
    char mac[18];               /* INFO.MAC_ADDRESS                         */
    struct sim_energy history[SIM_HISTORY_MAX_INTERVALS]; /* scratch for DB replies */
    int64_t history_first_day;  /* the database's first local day           */
    struct sim_history_store *history_store; /* may be NULL; not owned     */
    struct sim_history_work history_work;    /* days computed per request   */
};

/* The local day a device started at `start` keeps history from: 1 January
 * of the year before (so this year and the last are complete). */
int64_t sim_history_first_day(const struct sim_config *c, double start);

/* Set up a device whose model starts at UTC time `start` (see
 * sim_model_init). pm_root_index is where the root meter answers. History
 * starts at sim_history_first_day(); days are computed per request until
 * the caller sets history_store (a store for the same configuration). */
void sim_device_init(struct sim_device *d, const struct sim_config *c, double start, unsigned pm_root_index);

#endif
