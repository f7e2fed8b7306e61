/* The simulated device: model, identity, history start. */
#include "device.h"

#include "noise.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* ---- device identity ------------------------------------------------------ */

void sim_device_init(struct sim_device *d, const struct sim_config *c, double start, unsigned pm_root_index)
{
    memset(d, 0, offsetof(struct sim_device, history_work)); /* the rest: see device.h */
    sim_model_init(&d->model, c, start);
    d->pm_root_index = pm_root_index;
    d->history_first_day = sim_history_first_day(c, start);
    d->pm_add_index = pm_root_index == 1 ? 2 : 1;
    d->meters[0].index = (uint8_t)pm_root_index;
    d->meters[0].type = SIM_PM_TYPE_ROOT;
    d->n_meters = 1;
    if (c->add_peak_w > 0.0) {
        d->meters[1].index = (uint8_t)d->pm_add_index;
        d->meters[1].type = SIM_PM_TYPE_ADD_PRODUCTION;
        d->n_meters = 2;
    }
    d->dcdcs = c->batteries;
    d->wallboxes = c->wallbox ? 1u : 0u;
    sim_device_set_site(d, c->seed, 0);
}

void sim_device_set_wallboxes(struct sim_device *d, unsigned n)
{
    d->wallboxes = n < SIM_MAX_WALLBOXES ? n : SIM_MAX_WALLBOXES;
    for (unsigned i = 0; i + 1 < SIM_MAX_WALLBOXES; i++) {
        struct sim_wallbox *w = &d->wb_more[i];
        w->sun_mode = true;
        w->suspended = false;
        w->current_a = 16;
        w->phases = 3;
        w->min_current_a = SIM_WB_MIN_CURRENT_A;
        w->auto_phase = false;
    }
}

void sim_device_set_site(struct sim_device *d, uint64_t base_seed, unsigned site)
{
    uint64_t h = sim_mix64(base_seed ^ 0x5E5E5E5Eull);
    unsigned long long digits = (unsigned long long)((h % 1000000000000ull + site) % 1000000000000ull);
    uint32_t nic = (uint32_t)((h >> 40) & 0xFFFFFFu);   /* bytes 3, 4, 5 of the MAC */
    nic = (((nic & 0xFFu) << 16) | (nic & 0xFF00u) | (nic >> 16)) + site; /* as one 24-bit number */
    snprintf(d->serial, sizeof d->serial, "S10-%012llu", digits);
    snprintf(d->mac, sizeof d->mac, "00:1d:7a:%02x:%02x:%02x", (unsigned)((nic >> 16) & 0xFFu),
             (unsigned)((nic >> 8) & 0xFFu), (unsigned)(nic & 0xFFu));
}

int64_t sim_history_first_day(const struct sim_config *c, double start)
{
    int64_t y;
    unsigned m, dd;
    sim_civil_from_days(sim_local_day(&c->tz, (int64_t)floor(start)), &y, &m, &dd);
    return sim_days_from_civil(y - 1, 1, 1);
}

void sim_device_set_meters(struct sim_device *d, const struct sim_meter *m, unsigned n)
{
    d->n_meters = n < SIM_MAX_METERS ? n : SIM_MAX_METERS;
    memcpy(d->meters, m, d->n_meters * sizeof m[0]);
    for (unsigned i = 0; i < d->n_meters; i++) {
        if (m[i].type == SIM_PM_TYPE_ROOT)
            d->pm_root_index = m[i].index;
        else if (m[i].type == SIM_PM_TYPE_ADD_PRODUCTION)
            d->pm_add_index = m[i].index;
    }
}

const struct sim_meter *sim_device_meter(const struct sim_device *d, uint64_t index)
{
    for (unsigned i = 0; i < d->n_meters; i++)
        if (d->meters[i].index == index)
            return &d->meters[i];
    return NULL;
}
