/* Printing the plant's units and settings: tables for people, JSON members
 * for programs (inside the object the caller opened). */
#include "plant_cli.h"

#include <string.h>

static const char *na = "n/a";

/* "12.3 unit" or "n/a" into buf. */
static const char *fmt(char *buf, size_t cap, bool have, double v, int decimals, const char *unit)
{
    if (have)
        snprintf(buf, cap, "%.*f%s%s", decimals, v, unit[0] ? " " : "", unit);
    else
        snprintf(buf, cap, "%s", na);
    return buf;
}

/* ---- batteries --------------------------------------------------------------- */

static void dcb_json(struct cli_jw *w, const struct rscp_dcb *d)
{
    uint32_t p = d->present;
    cli_jw_obj(w, NULL);
    cli_jw_uint(w, "index", true, d->index);
    cli_jw_num(w, "soc", p & RSCP_DCB_SOC, d->soc);
    cli_jw_num(w, "soh", p & RSCP_DCB_SOH, d->soh);
    cli_jw_num(w, "voltage", p & RSCP_DCB_VOLTAGE, d->voltage);
    cli_jw_num(w, "current", p & RSCP_DCB_CURRENT, d->current);
    cli_jw_uint(w, "cycles", p & RSCP_DCB_CYCLES, d->cycles);
    cli_jw_num(w, "temp_min", p & RSCP_DCB_TEMPERATURE, d->temp_min);
    cli_jw_num(w, "temp_max", p & RSCP_DCB_TEMPERATURE, d->temp_max);
    cli_jw_uint(w, "serial_number", p & RSCP_DCB_SERIALNO, d->serialno);
    cli_jw_arr(w, "cells");
    uint32_t nv = d->n_cell_voltages < RSCP_DCB_MAX_CELLS ? d->n_cell_voltages : RSCP_DCB_MAX_CELLS;
    uint32_t nt = d->n_cell_temperatures < RSCP_DCB_MAX_SENSORS ? d->n_cell_temperatures : RSCP_DCB_MAX_SENSORS;
    uint32_t n = nv > nt ? nv : nt;
    for (uint32_t k = 0; k < n; k++) {
        cli_jw_obj(w, NULL);
        cli_jw_uint(w, "index", true, k);
        cli_jw_num(w, "voltage", k < nv, k < nv ? d->cell_voltage[k] : 0);
        cli_jw_num(w, "temperature", k < nt, k < nt ? d->cell_temperature[k] : 0);
        cli_jw_end_obj(w);
    }
    cli_jw_end_arr(w);
    cli_jw_uint(w, "device_errors", true, d->device_errors);
    cli_jw_end_obj(w);
}

static void bat_json(struct cli_jw *w, const struct cli_plant_view *v, unsigned i)
{
    const struct rscp_battery *b = &v->bat[i];
    uint32_t p = b->present;
    cli_jw_obj(w, NULL);
    cli_jw_uint(w, "index", true, i);
    cli_jw_str(w, "name", p & RSCP_BAT_DEVICE_NAME, b->device_name);
    cli_jw_num(w, "soc", p & RSCP_BAT_RSOC, b->rsoc);
    cli_jw_num(w, "soc_real", p & RSCP_BAT_RSOC_REAL, b->rsoc_real);
    cli_jw_num(w, "voltage", p & RSCP_BAT_VOLTAGE, b->voltage);
    cli_jw_num(w, "current", p & RSCP_BAT_CURRENT, b->current);
    cli_jw_num(w, "power", p & RSCP_BAT_POWER, b->power);
    cli_jw_uint(w, "cycles", p & RSCP_BAT_CYCLES, b->cycles);
    cli_jw_uint(w, "status_code", p & RSCP_BAT_STATUS_CODE, b->status_code);
    cli_jw_uint(w, "error_code", p & RSCP_BAT_ERROR_CODE, b->error_code);
    cli_jw_num(w, "temp_min", p & RSCP_BAT_TEMP_MIN, b->temp_min);
    cli_jw_num(w, "temp_max", p & RSCP_BAT_TEMP_MAX, b->temp_max);
    cli_jw_num(w, "full_charge_capacity_ah", p & RSCP_BAT_FCC, b->fcc);
    cli_jw_num(w, "remaining_capacity_ah", p & RSCP_BAT_RC, b->rc);
    cli_jw_num(w, "design_capacity_ah", p & RSCP_BAT_DESIGN_CAPACITY, b->design_capacity);
    cli_jw_num(w, "soh", p & RSCP_BAT_SOH, b->soh);
    cli_jw_uint(w, "dcb_count", p & RSCP_BAT_DCB_COUNT, b->dcb_count);
    cli_jw_arr(w, "dcbs");
    for (unsigned k = 0; k < v->n_dcb[i]; k++)
        dcb_json(w, &v->dcb[i][k]);
    cli_jw_end_arr(w);
    cli_jw_uint(w, "device_errors", true, b->device_errors);
    cli_jw_end_obj(w);
}

static void bat_table(const struct cli_plant_view *v, unsigned i, bool cells)
{
    const struct rscp_battery *b = &v->bat[i];
    uint32_t p = b->present;
    char a[40], c[40], d[40], e[40];
    printf("Battery %u%s%s\n", i, p & RSCP_BAT_DEVICE_NAME ? ": " : "", p & RSCP_BAT_DEVICE_NAME ? b->device_name : "");
    printf("  %-20s %s (real %s)\n", "State of charge", fmt(a, sizeof a, p & RSCP_BAT_RSOC, b->rsoc, 1, "%"),
           fmt(c, sizeof c, p & RSCP_BAT_RSOC_REAL, b->rsoc_real, 1, "%"));
    printf("  %-20s %s, %s, %s\n", "Voltage/current/power", fmt(a, sizeof a, p & RSCP_BAT_VOLTAGE, b->voltage, 1, "V"),
           fmt(c, sizeof c, p & RSCP_BAT_CURRENT, b->current, 2, "A"),
           fmt(d, sizeof d, p & RSCP_BAT_POWER, b->power, 0, "W"));
    printf("  %-20s %s .. %s\n", "Temperature", fmt(a, sizeof a, p & RSCP_BAT_TEMP_MIN, b->temp_min, 1, "C"),
           fmt(c, sizeof c, p & RSCP_BAT_TEMP_MAX, b->temp_max, 1, "C"));
    printf("  %-20s full %s, remaining %s, design %s\n", "Capacity", fmt(a, sizeof a, p & RSCP_BAT_FCC, b->fcc, 1, "Ah"),
           fmt(c, sizeof c, p & RSCP_BAT_RC, b->rc, 1, "Ah"),
           fmt(d, sizeof d, p & RSCP_BAT_DESIGN_CAPACITY, b->design_capacity, 1, "Ah"));
    printf("  %-20s %s, cycles %s\n", "State of health", fmt(a, sizeof a, p & RSCP_BAT_SOH, b->soh, 1, "%"),
           fmt(e, sizeof e, p & RSCP_BAT_CYCLES, (double)b->cycles, 0, ""));
    if (p & (RSCP_BAT_STATUS_CODE | RSCP_BAT_ERROR_CODE))
        printf("  %-20s status %llu, error %llu\n", "Codes", (unsigned long long)b->status_code,
               (unsigned long long)b->error_code);
    for (unsigned k = 0; k < v->n_dcb[i]; k++) {
        const struct rscp_dcb *m = &v->dcb[i][k];
        uint32_t q = m->present;
        char f1[40], f2[40], f3[40], f4[40], f5[40], f6[40], f7[40];
        printf("  DCB %-2u  SOC %s  SOH %s  %s  %s  %s..%s  cycles %s\n", k,
               fmt(f1, sizeof f1, q & RSCP_DCB_SOC, m->soc, 1, "%"), fmt(f2, sizeof f2, q & RSCP_DCB_SOH, m->soh, 1, "%"),
               fmt(f3, sizeof f3, q & RSCP_DCB_VOLTAGE, m->voltage, 2, "V"),
               fmt(f4, sizeof f4, q & RSCP_DCB_CURRENT, m->current, 2, "A"),
               fmt(f5, sizeof f5, q & RSCP_DCB_TEMPERATURE, m->temp_min, 1, ""),
               fmt(f6, sizeof f6, q & RSCP_DCB_TEMPERATURE, m->temp_max, 1, "C"),
               fmt(f7, sizeof f7, q & RSCP_DCB_CYCLES, (double)m->cycles, 0, ""));
        if (!cells)
            continue;
        uint32_t nv = m->n_cell_voltages < RSCP_DCB_MAX_CELLS ? m->n_cell_voltages : RSCP_DCB_MAX_CELLS;
        for (uint32_t n = 0; n < nv; n++)
            printf("%s%.3f%s", n % 8 == 0 ? "    cells V " : " ", m->cell_voltage[n], n % 8 == 7 || n + 1 == nv ? "\n" : "");
        uint32_t nt = m->n_cell_temperatures < RSCP_DCB_MAX_SENSORS ? m->n_cell_temperatures : RSCP_DCB_MAX_SENSORS;
        for (uint32_t n = 0; n < nt; n++)
            printf("%s%.1f%s", n % 8 == 0 ? "    cells C " : " ", m->cell_temperature[n], n % 8 == 7 || n + 1 == nt ? "\n" : "");
    }
}

void cli_print_batteries(struct cli_jw *w, const struct cli_plant_view *v, bool json, bool cells)
{
    if (json) {
        cli_jw_arr(w, "batteries");
        for (unsigned i = 0; i < RSCP_BAT_MAX_STRINGS; i++)
            if (v->plant.batteries & (1u << i))
                bat_json(w, v, i);
        cli_jw_end_arr(w);
        return;
    }
    if (!v->plant.batteries)
        printf("No battery found.\n");
    for (unsigned i = 0; i < RSCP_BAT_MAX_STRINGS; i++)
        if (v->plant.batteries & (1u << i))
            bat_table(v, i, cells);
}

/* ---- PV --------------------------------------------------------------------- */

void cli_print_trackers(struct cli_jw *w, const struct cli_plant_view *v, bool json)
{
    if (json) {
        cli_jw_arr(w, "inverters");
        for (unsigned i = 0; i < RSCP_PVI_MAX_INVERTERS; i++) {
            if (!(v->plant.inverters & (1u << i)))
                continue;
            const struct rscp_pvi *p = &v->pvi[i];
            cli_jw_obj(w, NULL);
            cli_jw_uint(w, "index", true, i);
            cli_jw_bool(w, "on_grid", p->present & RSCP_PVI_ON_GRID, p->on_grid);
            cli_jw_str(w, "state", p->present & RSCP_PVI_STATE, p->state);
            cli_jw_num(w, "frequency", p->present & RSCP_PVI_FREQUENCY, p->frequency);
            cli_jw_arr(w, "phases");
            for (unsigned k = 0; k < RSCP_PVI_MAX_PHASES; k++) {
                const struct rscp_pvi_phase *ph = &p->phase[k];
                cli_jw_obj(w, NULL);
                cli_jw_num(w, "power", ph->present & RSCP_PVI_POWER, ph->power);
                cli_jw_num(w, "voltage", ph->present & RSCP_PVI_VOLTAGE, ph->voltage);
                cli_jw_num(w, "current", ph->present & RSCP_PVI_CURRENT, ph->current);
                cli_jw_num(w, "energy", ph->present & RSCP_PVI_ENERGY, ph->energy);
                cli_jw_end_obj(w);
            }
            cli_jw_end_arr(w);
            cli_jw_arr(w, "temperatures");
            for (unsigned k = 0; k < RSCP_PVI_MAX_TEMPERATURES && k < p->n_temperatures; k++)
                cli_jw_num(w, NULL, p->temperature_present & (1u << k), p->temperature[k]);
            cli_jw_end_arr(w);
            cli_jw_uint(w, "device_errors", true, p->device_errors);
            cli_jw_end_obj(w);
        }
        cli_jw_end_arr(w);
        cli_jw_arr(w, "trackers");
        for (unsigned i = 0; i < RSCP_PVI_MAX_INVERTERS; i++) {
            if (!(v->plant.inverters & (1u << i)))
                continue;
            const struct rscp_pvi *p = &v->pvi[i];
            for (unsigned k = 0; k < RSCP_PVI_MAX_TRACKERS && k < p->n_trackers; k++) {
                const struct rscp_pvi_tracker *t = &p->tracker[k];
                cli_jw_obj(w, NULL);
                cli_jw_uint(w, "inverter", true, i);
                cli_jw_uint(w, "index", true, k);
                cli_jw_num(w, "power", t->present & RSCP_PVI_POWER, t->power);
                cli_jw_num(w, "voltage", t->present & RSCP_PVI_VOLTAGE, t->voltage);
                cli_jw_num(w, "current", t->present & RSCP_PVI_CURRENT, t->current);
                cli_jw_num(w, "energy", t->present & RSCP_PVI_ENERGY, t->energy);
                cli_jw_end_obj(w);
            }
        }
        cli_jw_end_arr(w);
        return;
    }
    if (!v->plant.inverters)
        printf("No PV inverter found.\n");
    char a[40], b[40], c[40], d[40];
    for (unsigned i = 0; i < RSCP_PVI_MAX_INVERTERS; i++) {
        if (!(v->plant.inverters & (1u << i)))
            continue;
        const struct rscp_pvi *p = &v->pvi[i];
        printf("PV inverter %u: %s, %s\n", i, p->present & RSCP_PVI_STATE ? p->state : "state n/a",
               !(p->present & RSCP_PVI_ON_GRID) ? "grid n/a" : p->on_grid ? "on grid" : "off grid");
        printf("  %-8s %10s %10s %10s %14s\n", "", "power", "voltage", "current", "energy");
        for (unsigned k = 0; k < RSCP_PVI_MAX_TRACKERS && k < p->n_trackers; k++) {
            const struct rscp_pvi_tracker *t = &p->tracker[k];
            printf("  tracker%u %10s %10s %10s %14s\n", k, fmt(a, sizeof a, t->present & RSCP_PVI_POWER, t->power, 0, "W"),
                   fmt(b, sizeof b, t->present & RSCP_PVI_VOLTAGE, t->voltage, 1, "V"),
                   fmt(c, sizeof c, t->present & RSCP_PVI_CURRENT, t->current, 2, "A"),
                   fmt(d, sizeof d, t->present & RSCP_PVI_ENERGY, t->energy, 0, "Wh"));
        }
        for (unsigned k = 0; k < RSCP_PVI_MAX_PHASES; k++) {
            const struct rscp_pvi_phase *t = &p->phase[k];
            if (!t->present)
                continue;
            printf("  AC L%u    %10s %10s %10s %14s\n", k + 1, fmt(a, sizeof a, t->present & RSCP_PVI_POWER, t->power, 0, "W"),
                   fmt(b, sizeof b, t->present & RSCP_PVI_VOLTAGE, t->voltage, 1, "V"),
                   fmt(c, sizeof c, t->present & RSCP_PVI_CURRENT, t->current, 2, "A"),
                   fmt(d, sizeof d, t->present & RSCP_PVI_ENERGY, t->energy, 0, "Wh"));
        }
        for (unsigned k = 0; k < RSCP_PVI_MAX_TEMPERATURES && k < p->n_temperatures; k++)
            if (p->temperature_present & (1u << k))
                printf("  temperature %u: %.1f C\n", k, p->temperature[k]);
    }
}

/* ---- meters ------------------------------------------------------------------- */

void cli_print_meters(struct cli_jw *w, const struct cli_plant_view *v, bool json)
{
    static const uint32_t pbit[3] = {RSCP_PM_POWER_L1, RSCP_PM_POWER_L2, RSCP_PM_POWER_L3};
    static const uint32_t vbit[3] = {RSCP_PM_VOLTAGE_L1, RSCP_PM_VOLTAGE_L2, RSCP_PM_VOLTAGE_L3};
    static const uint32_t ebit[3] = {RSCP_PM_ENERGY_L1, RSCP_PM_ENERGY_L2, RSCP_PM_ENERGY_L3};
    static const char *const pk[3] = {"power_l1", "power_l2", "power_l3"};
    static const char *const vk[3] = {"voltage_l1", "voltage_l2", "voltage_l3"};
    static const char *const ek[3] = {"energy_l1", "energy_l2", "energy_l3"};
    if (json) {
        cli_jw_arr(w, "meters");
        for (unsigned i = 0; i < RSCP_PM_MAX_METERS; i++) {
            if (!(v->plant.meters & (1u << i)))
                continue;
            const struct rscp_pm *m = &v->pm[i];
            cli_jw_obj(w, NULL);
            cli_jw_uint(w, "index", true, i);
            cli_jw_uint(w, "type", m->present & RSCP_PM_TYPE, m->type);
            cli_jw_str(w, "type_name", m->present & RSCP_PM_TYPE, rscp_pm_type_name(m->type));
            cli_jw_bool(w, "root", true, (int32_t)i == v->plant.root_meter);
            cli_jw_num(w, "power", m->present & RSCP_PM_POWER, m->power_total);
            for (unsigned k = 0; k < 3; k++)
                cli_jw_num(w, pk[k], m->present & pbit[k], m->power[k]);
            for (unsigned k = 0; k < 3; k++)
                cli_jw_num(w, vk[k], m->present & vbit[k], m->voltage[k]);
            for (unsigned k = 0; k < 3; k++)
                cli_jw_num(w, ek[k], m->present & ebit[k], m->energy[k]);
            cli_jw_uint(w, "active_phases", m->present & RSCP_PM_ACTIVE_PHASES, m->active_phases);
            cli_jw_uint(w, "device_errors", true, m->device_errors);
            cli_jw_end_obj(w);
        }
        cli_jw_end_arr(w);
        return;
    }
    if (!v->plant.meters) {
        printf("No power meter found.\n");
        return;
    }
    printf("  %-5s %-24s %9s %9s %9s %9s   %s\n", "meter", "type", "power", "L1", "L2", "L3", "voltage L1/L2/L3");
    char a[40], b[40], c[40], d[40], e[40], f[40], g[40];
    for (unsigned i = 0; i < RSCP_PM_MAX_METERS; i++) {
        if (!(v->plant.meters & (1u << i)))
            continue;
        const struct rscp_pm *m = &v->pm[i];
        char type[40];
        snprintf(type, sizeof type, "%s%s", m->present & RSCP_PM_TYPE ? rscp_pm_type_name(m->type) : na,
                 (int32_t)i == v->plant.root_meter ? " (root)" : "");
        printf("  %-5u %-24s %9s %9s %9s %9s   %s / %s / %s\n", i, type,
               fmt(a, sizeof a, m->present & RSCP_PM_POWER, m->power_total, 0, "W"),
               fmt(b, sizeof b, m->present & pbit[0], m->power[0], 0, "W"),
               fmt(c, sizeof c, m->present & pbit[1], m->power[1], 0, "W"),
               fmt(d, sizeof d, m->present & pbit[2], m->power[2], 0, "W"),
               fmt(e, sizeof e, m->present & vbit[0], m->voltage[0], 1, "V"),
               fmt(f, sizeof f, m->present & vbit[1], m->voltage[1], 1, "V"),
               fmt(g, sizeof g, m->present & vbit[2], m->voltage[2], 1, "V"));
    }
}

/* ---- wallboxes ----------------------------------------------------------------- */

void cli_print_wallboxes(struct cli_jw *w, const struct cli_plant_view *v, bool json)
{
    if (json) {
        cli_jw_arr(w, "wallboxes");
        for (unsigned i = 0; i < RSCP_WB_MAX_WALLBOXES; i++) {
            if (!(v->plant.wallboxes & (1u << i)))
                continue;
            const struct rscp_wallbox *b = &v->wb[i];
            uint32_t p = b->present;
            bool st = p & RSCP_WB_STATUS;
            cli_jw_obj(w, NULL);
            cli_jw_uint(w, "index", true, i);
            cli_jw_bool(w, "connected", p & RSCP_WB_CONNECTED, b->connected);
            cli_jw_bool(w, "plugged", st, b->plugged);
            cli_jw_bool(w, "locked", st, b->locked);
            cli_jw_bool(w, "charging", st, b->charging);
            cli_jw_bool(w, "suspended", st, b->suspended);
            cli_jw_str(w, "mode", st, b->sun_mode ? "sun" : "mixed");
            cli_jw_uint(w, "current", p & RSCP_WB_MAX_CURRENT, b->max_current);
            cli_jw_uint(w, "phases", p & RSCP_WB_PHASES_SET, b->phases);
            cli_jw_uint(w, "phases_in_use", p & RSCP_WB_ACTIVE_PHASES, b->phases_in_use);
            cli_jw_int(w, "min_current", p & RSCP_WB_MIN_CURRENT, b->min_current);
            cli_jw_int(w, "max_charge_current", p & RSCP_WB_MAX_CHARGE_CURRENT, b->max_charge_current);
            cli_jw_bool(w, "auto_phase_switch", p & RSCP_WB_AUTO_PHASE, b->auto_phase_switch);
            cli_jw_num(w, "power", p & RSCP_WB_POWER, b->power_total);
            cli_jw_num(w, "power_solar", p & RSCP_WB_POWER_SOLAR, b->power_solar);
            cli_jw_num(w, "power_l1", p & RSCP_WB_POWER_L1, b->power[0]);
            cli_jw_num(w, "power_l2", p & RSCP_WB_POWER_L2, b->power[1]);
            cli_jw_num(w, "power_l3", p & RSCP_WB_POWER_L3, b->power[2]);
            cli_jw_num(w, "energy_all", p & RSCP_WB_ENERGY_ALL, b->energy_all);
            cli_jw_num(w, "energy_solar", p & RSCP_WB_ENERGY_SOLAR, b->energy_solar);
            cli_jw_uint(w, "soc", p & RSCP_WB_SOC, b->soc);
            cli_jw_uint(w, "device_errors", true, b->device_errors);
            cli_jw_end_obj(w);
        }
        cli_jw_end_arr(w);
        return;
    }
    if (!v->plant.wallboxes) {
        printf("No wallbox found.\n");
        return;
    }
    char a[40], b2[40], c[40];
    for (unsigned i = 0; i < RSCP_WB_MAX_WALLBOXES; i++) {
        if (!(v->plant.wallboxes & (1u << i)))
            continue;
        const struct rscp_wallbox *b = &v->wb[i];
        uint32_t p = b->present;
        printf("Wallbox %u\n", i);
        if (p & RSCP_WB_STATUS)
            printf("  %-18s %s mode, %s%s%s%s\n", "State", b->sun_mode ? "sun" : "mixed",
                   b->plugged ? "car plugged in" : "no car", b->locked ? ", locked" : "",
                   b->charging ? ", charging" : "", b->suspended ? ", suspended" : "");
        else
            printf("  %-18s %s\n", "State", na);
        printf("  %-18s %s (allowed %s..%s)\n", "Current", fmt(a, sizeof a, p & RSCP_WB_MAX_CURRENT, b->max_current, 0, "A"),
               fmt(b2, sizeof b2, p & RSCP_WB_MIN_CURRENT, (double)b->min_current, 0, ""),
               fmt(c, sizeof c, p & RSCP_WB_MAX_CHARGE_CURRENT, (double)b->max_charge_current, 0, "A"));
        printf("  %-18s %s, in use %s%s\n", "Phases", fmt(a, sizeof a, p & RSCP_WB_PHASES_SET, (double)b->phases, 0, ""),
               fmt(b2, sizeof b2, p & RSCP_WB_ACTIVE_PHASES, b->phases_in_use, 0, ""),
               !(p & RSCP_WB_AUTO_PHASE) ? "" : b->auto_phase_switch ? ", switched automatically" : ", fixed");
        printf("  %-18s %s (solar %s)\n", "Power", fmt(a, sizeof a, p & RSCP_WB_POWER, b->power_total, 0, "W"),
               fmt(b2, sizeof b2, p & RSCP_WB_POWER_SOLAR, b->power_solar, 0, "W"));
        printf("  %-18s %s (solar %s)\n", "Energy", fmt(a, sizeof a, p & RSCP_WB_ENERGY_ALL, b->energy_all, 0, "Wh"),
               fmt(b2, sizeof b2, p & RSCP_WB_ENERGY_SOLAR, b->energy_solar, 0, "Wh"));
    }
}

/* ---- settings ------------------------------------------------------------------- */

void cli_print_settings(struct cli_jw *w, const struct cli_plant_view *v, bool json)
{
    const struct rscp_power_settings *s = &v->settings;
    bool hs = v->have & CLI_PR_SETTINGS;
    uint32_t p = hs ? s->present : 0;
    const struct rscp_ep_reserve *r = &v->reserve;
    uint32_t rp = (v->have & CLI_PR_RESERVE) ? r->present : 0;
    if (json) {
        cli_jw_bool(w, "limits_used", p & RSCP_PS_LIMITS_USED, s->limits_used);
        cli_jw_uint(w, "max_charge", p & RSCP_PS_MAX_CHARGE, s->max_charge);
        cli_jw_uint(w, "max_discharge", p & RSCP_PS_MAX_DISCHARGE, s->max_discharge);
        cli_jw_uint(w, "discharge_start", p & RSCP_PS_DISCHARGE_START, s->discharge_start);
        cli_jw_bool(w, "weather_regulated", p & RSCP_PS_WEATHER, s->weather_regulated);
        cli_jw_bool(w, "power_save", p & RSCP_PS_POWER_SAVE, s->power_save);
        cli_jw_num(w, "reserve_percent", rp & RSCP_EP_PERCENT, r->percent);
        cli_jw_num(w, "reserve_wh", rp & RSCP_EP_ENERGY, r->energy_wh);
        cli_jw_num(w, "reserve_max_wh", rp & RSCP_EP_MAX, r->max_wh);
        if (v->have & CLI_PR_SPECS) {
            cli_jw_obj(w, "specs");
            for (int k = 0; k < RSCP_SPEC_COUNT; k++)
                if (v->specs.present & (1u << k))
                    cli_jw_int(w, rscp_sys_spec_name(k), true, v->specs.value[k]);
            cli_jw_end_obj(w);
        } else {
            cli_jw_str(w, "specs", false, NULL);
        }
        return;
    }
    char a[40], b[40], c[40];
    if (!hs)
        printf("  %-24s %s\n", "Power settings", "not answered by the device");
    printf("  %-24s %s\n", "Power limits", !(p & RSCP_PS_LIMITS_USED) ? na : s->limits_used ? "on" : "off");
    printf("  %-24s %s\n", "Max charge", fmt(a, sizeof a, p & RSCP_PS_MAX_CHARGE, s->max_charge, 0, "W"));
    printf("  %-24s %s\n", "Max discharge", fmt(a, sizeof a, p & RSCP_PS_MAX_DISCHARGE, s->max_discharge, 0, "W"));
    printf("  %-24s %s\n", "Discharge start", fmt(a, sizeof a, p & RSCP_PS_DISCHARGE_START, s->discharge_start, 0, "W"));
    printf("  %-24s %s\n", "Weather-regulated charge", !(p & RSCP_PS_WEATHER) ? na : s->weather_regulated ? "on" : "off");
    printf("  %-24s %s\n", "Power save", !(p & RSCP_PS_POWER_SAVE) ? na : s->power_save ? "on" : "off");
    printf("  %-24s %s / %s (max %s)\n", "Emergency reserve", fmt(a, sizeof a, rp & RSCP_EP_PERCENT, r->percent, 1, "%"),
           fmt(b, sizeof b, rp & RSCP_EP_ENERGY, r->energy_wh, 0, "Wh"), fmt(c, sizeof c, rp & RSCP_EP_MAX, r->max_wh, 0, "Wh"));
    if (v->have & CLI_PR_SPECS) {
        printf("System specs:\n");
        for (int k = 0; k < RSCP_SPEC_COUNT; k++)
            if (v->specs.present & (1u << k))
                printf("  %-28s %lld\n", rscp_sys_spec_name(k), (long long)v->specs.value[k]);
    }
}

/* ---- idle periods ------------------------------------------------------------------ */

void cli_print_idle(struct cli_jw *w, const struct cli_plant_view *v, bool json)
{
    const struct rscp_idle_periods *ip = &v->idle;
    bool have = v->have & CLI_PR_IDLE;
    if (json) {
        cli_jw_bool(w, "enabled", have && ip->enabled_present, ip->enabled);
        cli_jw_arr(w, "periods");
        for (size_t k = 0; have && k < ip->count; k++) {
            const struct rscp_idle_period *p = &ip->period[k];
            char s[8], e[8];
            snprintf(s, sizeof s, "%02u:%02u", p->start_hour, p->start_minute);
            snprintf(e, sizeof e, "%02u:%02u", p->end_hour, p->end_minute);
            cli_jw_obj(w, NULL);
            cli_jw_str(w, "type", true, p->type == RSCP_IDLE_CHARGE ? "charge" : "discharge");
            cli_jw_str(w, "day", true, rscp_idle_day_name(p->day));
            cli_jw_bool(w, "active", true, p->active);
            cli_jw_str(w, "start", true, s);
            cli_jw_str(w, "end", true, e);
            cli_jw_end_obj(w);
        }
        cli_jw_end_arr(w);
        return;
    }
    if (!have) {
        printf("Idle periods: not answered by the device\n");
        return;
    }
    printf("Idle periods: %s\n", !ip->enabled_present ? "enable flag n/a" : ip->enabled ? "enabled" : "disabled");
    if (ip->count)
        printf("  %-10s %-10s %-7s %-5s %-5s\n", "day", "type", "active", "from", "to");
    for (size_t k = 0; k < ip->count; k++) {
        const struct rscp_idle_period *p = &ip->period[k];
        printf("  %-10s %-10s %-7s %02u:%02u %02u:%02u\n", rscp_idle_day_name(p->day),
               p->type == RSCP_IDLE_CHARGE ? "charge" : "discharge", p->active ? "yes" : "no", p->start_hour,
               p->start_minute, p->end_hour, p->end_minute);
    }
}
