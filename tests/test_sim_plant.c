/* The library's plant API against the simulator over loopback TCP, on
 * every plant shape (`--model`): discovery, then every unit's typed
 * request and parse in one frame with the live values, checked field by
 * field against a reference model built from the same configuration, and a
 * SET_POWER shared by the battery strings. The
 * simulator runs at a speed of 1e-9, so its model stays at the start
 * instant and the reference is exact. */
#include "harness.h"

#include "../sim/sim_all.inc"
#include "sim_testlib.h"

#include "rscp/api.h"
#include "rscp/client.h"
#include "rscp/error.h"
#include "rscp/control.h"
#include "rscp/ems.h"
#include "rscp/plant.h"
#include "rscp/settings.h"

#include <math.h>
#include <stdlib.h>

static bool near(double a, double b, double tol)
{
    if (fabs(a - b) <= tol)
        return true;
    fprintf(stderr, "  %.6g vs %.6g (tolerance %.3g)\n", a, b, tol);
    return false;
}

static struct sim_device ref; /* large: history scratch */

static void check_model(const char *name, double start)
{
    fprintf(stderr, "model %s\n", name);
    const struct sim_preset *p = sim_preset_find(name);
    CHECK(p != NULL);
    struct sim_spawn_options o;
    memset(&o, 0, sizeof o);
    o.seed = 7;
    o.model = name;
    o.start = start;
    o.speed = 1e-9;
    struct sim_config cfg;
    sim_config_from_options(&cfg, &o);
    sim_device_init(&ref, &cfg, start, 0);
    sim_device_set_meters(&ref, p->meters, p->n_meters);
    struct sim_flows f = sim_model_flows(&ref.model, 1.0);
    CHECK(f.pv > 0); /* a moment with sun: every tracker answers power */

    struct sim_handle *h;
    uint16_t port;
    CHECK_INT(sim_spawn(&o, &h, &port), 0);
    rscp_client *c = connect_sim(port);

    /* Discovery in one round trip. */
    struct rscp_builder b;
    struct rscp_frame fr;
    struct rscp_plant plant;
    CHECK_INT(rscp_client_request_begin(c, &b), 0);
    CHECK_INT(rscp_plant_request(&b), 0);
    CHECK_INT(rscp_client_request_send(c, &b, &fr), 0);
    CHECK_INT(rscp_plant_parse(&fr, &plant), 0);
    CHECK_INT(plant.n_batteries, cfg.batteries);
    CHECK_INT(plant.batteries, (1u << cfg.batteries) - 1u);
    for (unsigned i = 0; i < cfg.batteries; i++)
        CHECK_INT(plant.dcb_count[i], cfg.dcbs);
    CHECK_INT(plant.inverters, 1);
    CHECK_INT(plant.trackers[0], cfg.trackers);
    CHECK_INT(plant.temperatures[0], PVI_TEMPERATURE_SENSORS);
    uint32_t meters = 0;
    int root = -1;
    for (unsigned i = 0; i < p->n_meters; i++) {
        meters |= 1u << p->meters[i].index;
        CHECK_INT(plant.meter_type[p->meters[i].index], p->meters[i].type);
        if (p->meters[i].type == SIM_PM_TYPE_ROOT)
            root = p->meters[i].index;
    }
    CHECK_INT(plant.meters, meters);
    CHECK_INT(plant.root_meter, root);
    CHECK_INT(plant.wallboxes, cfg.wallbox ? 1u : 0u);
    CHECK_INT(plant.n_dcdcs, cfg.batteries);

    /* Every unit and the live values in one more frame. */
    CHECK_INT(rscp_client_request_begin(c, &b), 0);
    CHECK_INT(rscp_live_request(&b), 0);
    CHECK_INT(rscp_plant_units_request(&b, &plant, RSCP_PLANT_REQ_ALL), 0);
    CHECK_INT(rscp_client_request_send(c, &b, &fr), 0);
    struct rscp_live live;
    CHECK_INT(rscp_live_parse(&fr, &live), 0);
    CHECK_INT(live.pv, f.pv);
    CHECK_INT(live.bat, f.bat);
    CHECK_INT(live.grid, f.grid);
    CHECK_INT(live.wb_all, f.wb);
    CHECK_INT(live.status, f.status);

    double soc = sim_model_soc(&ref.model);
    for (unsigned i = 0; i < cfg.batteries; i++) {
        struct rscp_battery bat;
        CHECK_INT(rscp_battery_parse(&fr, i, &bat), 0);
        CHECK_INT(bat.device_errors, 0);
        CHECK(near(bat.rsoc, soc, 1e-3) && near(bat.rsoc_real, soc, 1e-3));
        CHECK_INT(bat.dcb_count, cfg.dcbs);
        CHECK_INT(bat.cycles, (uint64_t)sim_model_cycles(&ref.model));
        CHECK((bat.present & RSCP_BAT_POWER) != 0);
        CHECK(near(bat.power, (double)f.bat / (double)cfg.batteries, 1.0));
        double ah = cfg.bat_capacity_wh / (double)cfg.batteries / (CELL_NOMINAL_V * CELLS_SERIES * (double)cfg.dcbs);
        CHECK(near(bat.design_capacity, ah, 1e-3 * ah) && near(bat.usable_remaining, ah * soc / 100.0, 1e-3 * ah));
        CHECK((bat.present & (RSCP_BAT_FCC | RSCP_BAT_RC)) == (RSCP_BAT_FCC | RSCP_BAT_RC));
        CHECK(bat.fcc > bat.rc && bat.temp_max >= bat.temp_min && bat.cell_v_max > bat.cell_v_min);
        for (unsigned k = 0; k < cfg.dcbs; k++) {
            struct rscp_dcb d;
            CHECK_INT(rscp_dcb_parse(&fr, i, k, &d), 0);
            CHECK_INT(d.index, k);
            CHECK_INT(d.device_errors, 0);
            CHECK(near(d.soc, soc, 1e-3));
            CHECK_INT(d.series_cells, CELLS_SERIES);
            CHECK_INT(d.n_cell_voltages, CELLS_SERIES);
            CHECK_INT(d.n_cell_temperatures, DCB_SENSORS);
            CHECK_INT(d.sensors, DCB_SENSORS);
            double sum = 0;
            for (unsigned j = 0; j < CELLS_SERIES; j++) {
                CHECK(d.cell_voltage[j] > 3.0 && d.cell_voltage[j] < 4.3);
                sum += d.cell_voltage[j];
            }
            CHECK(near(sum, d.voltage, 0.06)); /* the cells add up to the module */
            CHECK(d.temp_min <= d.temp_mean && d.temp_mean <= d.temp_max);
        }
    }

    struct rscp_pvi pvi;
    CHECK_INT(rscp_pvi_parse(&fr, 0, &pvi), 0);
    CHECK_INT(pvi.device_errors, 0);
    CHECK_INT(pvi.used_trackers, cfg.trackers);
    CHECK_INT(pvi.n_trackers, cfg.trackers);
    CHECK_INT(pvi.temperature_count, PVI_TEMPERATURE_SENSORS);
    double dc = 0;
    for (unsigned k = 0; k < cfg.trackers; k++) {
        CHECK(pvi.tracker[k].power > 0 && pvi.tracker[k].voltage > 0);
        CHECK(near(pvi.tracker[k].current * pvi.tracker[k].voltage, pvi.tracker[k].power, 0.01 * pvi.tracker[k].power + 1));
        dc += pvi.tracker[k].power;
    }
    CHECK(near(dc, f.pv, cfg.trackers)); /* each tracker rounded to 1 W */
    CHECK(pvi.on_grid);
    double ac = 0;
    for (unsigned ph = 0; ph < 3; ph++) {
        CHECK(pvi.phase[ph].voltage > 220 && pvi.phase[ph].voltage < 240);
        ac += pvi.phase[ph].power;
    }
    CHECK(near(ac, ((double)f.pv - (double)f.bat) * 0.97, 0.01));
    CHECK(pvi.n_temperatures == PVI_TEMPERATURE_SENSORS && pvi.temperature_present == 0xFu);

    for (unsigned i = 0; i < p->n_meters; i++) {
        struct rscp_pm pm;
        CHECK_INT(rscp_pm_parse(&fr, p->meters[i].index, &pm), 0);
        CHECK_INT(pm.type, p->meters[i].type);
        CHECK_INT(pm.device_errors, 0);
        double want = p->meters[i].type == SIM_PM_TYPE_ROOT ? f.grid
                      : p->meters[i].type == SIM_PM_TYPE_ADD_PRODUCTION ? f.add
                      : p->meters[i].type == SIM_PM_TYPE_ADD_CONSUMPTION ? 0.25 * f.home : 0.0;
        CHECK(near(pm.power_total, want, 1e-6 + 1e-9 * fabs(want)));
        CHECK(pm.voltage[0] > 220 && pm.voltage[2] < 240);
    }

    if (cfg.wallbox) {
        struct rscp_wallbox wb;
        CHECK_INT(rscp_wallbox_parse(&fr, 0, &wb), 0);
        CHECK_INT(wb.device_errors, 0);
        CHECK(near(wb.power_total, f.wb, 1e-6));
        CHECK(near(wb.power_solar, f.wb_solar, 0.5));
        CHECK(wb.sun_mode && !wb.suspended && wb.connected);
        CHECK_INT(wb.plugged, ref.model.car_present);
        CHECK_INT(wb.charging, f.wb > 0);
        CHECK_INT(wb.max_current, 16);
        CHECK_INT(wb.phases, 3);
        CHECK_INT(wb.min_current, SIM_WB_MIN_CURRENT_A);
        CHECK_INT(wb.max_charge_current, SIM_WB_MAX_CURRENT_A);
    } else {
        /* No wallbox: a request for one is answered NOT_AVAILABLE. */
        CHECK_INT(rscp_client_request_begin(c, &b), 0);
        CHECK_INT(rscp_wallbox_request(&b, 0, RSCP_WB_REQ_ALL), 0);
        CHECK_INT(rscp_client_request_send(c, &b, &fr), 0);
        struct rscp_wallbox wb;
        CHECK(rscp_wallbox_parse(&fr, 0, &wb) < 0);
    }
    /* The settings, the system specs, the reserve, the idle periods and
     * the manual charge in one frame, each against the model. */
    CHECK_INT(rscp_client_request_begin(c, &b), 0);
    CHECK_INT(rscp_power_settings_request(&b), 0);
    CHECK_INT(rscp_sys_specs_request(&b), 0);
    CHECK_INT(rscp_ep_reserve_request(&b), 0);
    CHECK_INT(rscp_idle_periods_request(&b), 0);
    CHECK_INT(rscp_manual_charge_request(&b), 0);
    CHECK_INT(rscp_client_request_send(c, &b, &fr), 0);
    const struct sim_controls *ctl = &ref.model.ctl;
    struct rscp_power_settings ps;
    CHECK_INT(rscp_power_settings_parse(&fr, &ps, NULL), 0);
    CHECK_INT(ps.device_errors, 0);
    CHECK_INT(ps.limits_used, ctl->limits_used);
    CHECK_INT(ps.max_charge, ctl->max_charge_w);
    CHECK_INT(ps.max_discharge, ctl->max_discharge_w);
    CHECK_INT(ps.discharge_start, ctl->discharge_start_w);
    CHECK_INT(ps.power_save, ctl->powersave);
    CHECK_INT(ps.weather_regulated, ctl->weather_regulated);
    CHECK_INT(ps.max_charge, (uint32_t)cfg.bat_max_charge_w);
    struct rscp_sys_specs sp;
    CHECK_INT(rscp_sys_specs_parse(&fr, &sp, NULL), 0);
    int64_t v = 0;
    CHECK_INT(rscp_sys_spec_get(&sp, RSCP_SPEC_MAX_CHARGE_POWER, &v), 0);
    CHECK_INT(v, (int64_t)cfg.bat_max_charge_w);
    CHECK_INT(rscp_sys_spec_get(&sp, RSCP_SPEC_MAX_DISCHARGE_POWER, &v), 0);
    CHECK_INT(v, (int64_t)cfg.bat_max_discharge_w);
    CHECK_INT(rscp_sys_spec_get(&sp, RSCP_SPEC_INSTALLED_BATTERY_CAPACITY, &v), 0);
    CHECK_INT(v, (int64_t)cfg.bat_capacity_wh);
    struct rscp_ep_reserve ep;
    CHECK_INT(rscp_ep_reserve_parse(&fr, &ep, NULL), 0);
    CHECK(near(ep.energy_wh, ctl->ep_reserve_wh, 0.5) && near(ep.max_wh, cfg.bat_capacity_wh, 0.5));
    struct rscp_idle_periods ip;
    CHECK_INT(rscp_idle_periods_parse(&fr, &ip, NULL), 0);
    CHECK_INT(ip.count, SIM_IDLE_PERIODS_MAX);
    CHECK_INT(ip.skipped, 0);
    for (size_t i = 0; i < ip.count; i++) {
        const struct sim_idle_period *w = &ctl->idle[i];
        const struct rscp_idle_period *g = &ip.period[i];
        CHECK(g->type == w->type && g->day == w->day && g->active == w->active && g->start_hour == w->start_h &&
              g->start_minute == w->start_m && g->end_hour == w->end_h && g->end_minute == w->end_m);
    }
    struct rscp_manual_charge mc;
    CHECK_INT(rscp_manual_charge_parse(&fr, &mc, NULL), 0);
    CHECK_INT(mc.active, ctl->mc_active);
    CHECK_INT(mc.start_counter, ctl->mc_starts);

    /* A control on this shape: SET_POWER discharge 500 W, then the live
     * values and every string in the next frame (a frame's readings are
     * those from before its writes); the strings share it. Then auto. */
    CHECK(soc > 5.0);
    CHECK_INT(rscp_client_request_begin(c, &b), 0);
    CHECK_INT(rscp_set_power_request(&b, RSCP_POWER_DISCHARGE, 500), 0);
    CHECK_INT(rscp_client_request_send(c, &b, &fr), 0);
    int64_t mirrored = 0;
    CHECK_INT(rscp_set_power_parse(&fr, &mirrored, NULL), 0);
    CHECK_INT(mirrored, 500);
    CHECK_INT(rscp_client_request_begin(c, &b), 0);
    CHECK_INT(rscp_live_request(&b), 0);
    for (unsigned i = 0; i < cfg.batteries; i++)
        CHECK_INT(rscp_battery_request(&b, i), 0);
    CHECK_INT(rscp_client_request_send(c, &b, &fr), 0);
    CHECK_INT(rscp_live_parse(&fr, &live), 0);
    CHECK_INT(live.bat, -500);
    CHECK_INT(live.pv + live.add + live.grid, live.home + live.bat + live.wb_all);
    CHECK((live.status & RSCP_EMS_STATUS_CHARGE_LOCKED) != 0);
    double strings = 0;
    for (unsigned i = 0; i < cfg.batteries; i++) {
        struct rscp_battery bat;
        CHECK_INT(rscp_battery_parse(&fr, i, &bat), 0);
        CHECK(near(bat.power, -500.0 / (double)cfg.batteries, 1.0));
        strings += bat.power;
    }
    CHECK(near(strings, -500.0, 1.0));
    CHECK_INT(rscp_client_request_begin(c, &b), 0);
    CHECK_INT(rscp_set_power_request(&b, RSCP_POWER_AUTO, 0), 0);
    CHECK_INT(rscp_client_request_send(c, &b, &fr), 0);
    CHECK_INT(rscp_client_request_begin(c, &b), 0);
    CHECK_INT(rscp_live_request(&b), 0);
    CHECK_INT(rscp_client_request_send(c, &b, &fr), 0);
    CHECK_INT(rscp_live_parse(&fr, &live), 0);
    CHECK_INT(live.bat, f.bat);

    /* A battery string beyond the plant: absent. */
    CHECK_INT(rscp_client_request_begin(c, &b), 0);
    CHECK_INT(rscp_battery_request(&b, cfg.batteries), 0);
    CHECK_INT(rscp_client_request_send(c, &b, &fr), 0);
    struct rscp_battery none;
    CHECK(rscp_battery_parse(&fr, cfg.batteries, &none) < 0);

    rscp_client_free(c);
    sim_stop(h);
}

int main(void)
{
    struct sim_tz tz = {"Europe/Berlin", 3600, true};
    double noon = (double)sim_local_to_utc(&tz, sim_days_from_civil(2025, 6, 18) * 86400 + 12 * 3600 + 600);
    check_model("s10e", noon);
    check_model("s10mini", noon);
    check_model("s10pro", noon);
    return th_finish();
}
