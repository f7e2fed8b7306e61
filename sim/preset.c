/* The plant presets. */
#include "preset.h"

#include <string.h>

static const struct sim_preset presets[] = {
    {"s10e", "S10 E: root meter 0, 2 trackers, 1 battery string, wallbox (default)", 1, 2, 6, 9800.0, 13800.0,
     6000.0, 1800.0, true, {{0, SIM_PM_TYPE_ROOT}, {1, SIM_PM_TYPE_ADD_PRODUCTION}}, 2},
    {"s10mini", "S10 mini: root meter 6, 1 tracker, 1 small string, no wallbox", 1, 1, 3, 4500.0, 6500.0, 3000.0,
     0.0, false, {{6, SIM_PM_TYPE_ROOT}}, 1},
    {"s10pro", "larger plant: 2 strings, 3 trackers, meters 0 1 3 6, wallbox", 2, 3, 6, 15000.0, 13800.0,
     6000.0, 1800.0, true,
     {{0, SIM_PM_TYPE_ROOT}, {1, SIM_PM_TYPE_ADD_PRODUCTION}, {3, SIM_PM_TYPE_ADD_CONSUMPTION},
      {6, SIM_PM_TYPE_ADDITIONAL}},
     4},
};

const struct sim_preset *sim_preset_find(const char *name)
{
    for (size_t i = 0; name && i < sizeof presets / sizeof presets[0]; i++)
        if (strcmp(presets[i].name, name) == 0)
            return &presets[i];
    return NULL;
}

const struct sim_preset *sim_preset_at(unsigned i)
{
    return i < sizeof presets / sizeof presets[0] ? &presets[i] : NULL;
}

void sim_preset_apply(const struct sim_preset *p, struct sim_config *c)
{
    c->batteries = p->batteries;
    c->trackers = p->trackers;
    c->dcbs = p->dcbs;
    c->pv_peak_w = p->pv_peak_w;
    c->bat_capacity_wh = p->string_capacity_wh;
    c->bat_max_charge_w = p->string_power_w;
    c->bat_max_discharge_w = p->string_power_w;
    c->add_peak_w = p->add_peak_w;
    c->wallbox = p->wallbox;
}
