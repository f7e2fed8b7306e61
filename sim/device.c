/* The simulated device: model, identity, history start. */
#include "device.h"

#include "noise.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- device identity ------------------------------------------------------ */

void sim_device_init(struct sim_device *d, const struct sim_config *c, double start, unsigned pm_root_index)
{
    memset(d, 0, sizeof *d);
    sim_model_init(&d->model, c, start);
    d->pm_root_index = pm_root_index;
    d->history_first_day = sim_history_first_day(c, start);
    d->pm_add_index = pm_root_index == 1 ? 2 : 1;
    uint64_t h = sim_mix64(c->seed ^ 0x5E5E5E5Eull);
    snprintf(d->serial, sizeof d->serial, "S10-%012llu", (unsigned long long)(h % 1000000000000ull));
    snprintf(d->mac, sizeof d->mac, "00:1d:7a:%02x:%02x:%02x", (unsigned)((h >> 40) & 0xFF),
             (unsigned)((h >> 48) & 0xFF), (unsigned)((h >> 56) & 0xFF));
}

int64_t sim_history_first_day(const struct sim_config *c, double start)
{
    int64_t y;
    unsigned m, dd;
    sim_civil_from_days(sim_local_day(&c->tz, (int64_t)floor(start)), &y, &m, &dd);
    return sim_days_from_civil(y - 1, 1, 1);
}
