/* rscp-bridge: the units' values of the topic table (topics.h): battery
 * strings, their DCB modules, PV inverters, power meters and wallboxes.
 *
 * Naming (rscp2mqtt's where it has one): a plant with one battery string
 * publishes it under "battery/...", with several under "battery/<n>/..."
 * (n = BAT.INDEX + 1); likewise "pvi/..." or "pvi/<n>/...", and
 * "wallbox/..." or "wallbox/<n>/...". How many units a plant has comes
 * from the discovery (plant) when the snapshot has it, else from the
 * units read, so that names stay put while a unit misses a cycle. DCB
 * modules are "<battery>/dcb/<k>/..." (k = module + 1), trackers
 * "string_<k>", temperature sensors "temperature/<k>" (1-based, as
 * rscp2mqtt). The root (grid) meter is "pm/...", every other meter
 * "pm/<index>/..." with its device index (meter index sets have gaps);
 * its three phases' energy is "pm/<index>/energy/total", as "pm/1/energy"
 * would meet rscp2mqtt's "pm_1/energy" (the DB's day energy of external
 * meter 1) in Home Assistant's object ids, which turn '/' into '_'. */
#include <stdio.h>
#include <string.h>

#include "rscp/pm.h"
#include "topics_internal.h"

static unsigned bits(uint32_t m)
{
    unsigned n = 0;
    for (; m; m &= m - 1)
        n++;
    return n;
}

/* How many units of a kind the plant has. */
static unsigned unit_count(const struct bridge_snapshot *s, uint32_t plant_mask, uint32_t ok_mask)
{
    unsigned n = (s->have & BRIDGE_HAVE_PLANT) ? bits(plant_mask) : 0;
    return n > 0 ? n : bits(ok_mask);
}

/* "<base>" for a plant with one unit, "<base>/<i+1>" otherwise. */
static void unit_prefix(char *buf, size_t cap, const char *base, unsigned count, unsigned i)
{
    if (count > 1)
        snprintf(buf, cap, "%s/%u", base, i + 1);
    else
        snprintf(buf, cap, "%s", base);
}

/* ---- battery strings ---------------------------------------------------- */

#define G_BAT BRIDGE_GROUP_BATTERY
#define BAT_META(name, label, unit, dc, sc, metric, scale, diag) \
    TOPIC_META(name, label, unit, dc, sc, "battery", metric, scale, G_BAT, diag)
BAT_META(m_b_soc, "Battery string SOC", "%", "battery", "measurement", "rscp_battery_string_soc_ratio", 0.01, false);
BAT_META(m_b_rsoc_real, "Battery real SOC", "%", "battery", "measurement", "rscp_battery_real_soc_ratio", 0.01, false);
BAT_META(m_b_voltage, "Battery voltage", "V", "voltage", "measurement", "rscp_battery_voltage_volts", 1, false);
BAT_META(m_b_current, "Battery current", "A", "current", "measurement", "rscp_battery_current_amperes", 1, false);
BAT_META(m_b_cycles, "Battery charge cycles", NULL, NULL, "total_increasing", "rscp_battery_charge_cycles_total", 1,
         true);
BAT_META(m_b_status, "Battery status code", NULL, NULL, NULL, NULL, 1, true);
BAT_META(m_b_error, "Battery error code", NULL, NULL, NULL, NULL, 1, true);
BAT_META(m_b_tmax, "Battery temperature max", "°C", "temperature", "measurement",
         "rscp_battery_temperature_max_celsius", 1, false);
BAT_META(m_b_tmin, "Battery temperature min", "°C", "temperature", "measurement",
         "rscp_battery_temperature_min_celsius", 1, false);
BAT_META(m_b_fcc, "Battery full charge capacity", "Ah", NULL, "measurement", NULL, 1,
         true);
BAT_META(m_b_rc, "Battery remaining capacity", "Ah", NULL, "measurement", NULL, 1,
         false);
BAT_META(m_b_design, "Battery design capacity", "Ah", NULL, NULL, NULL, 1, true);
BAT_META(m_b_usable, "Battery usable capacity", "Ah", NULL, "measurement", NULL, 1, true);
BAT_META(m_b_usable_rem, "Battery usable remaining capacity", "Ah", NULL, "measurement",
         NULL, 1, false);
BAT_META(m_b_soh, "Battery SOH", "%", NULL, "measurement", "rscp_battery_soh_ratio", 0.01, true);
BAT_META(m_b_dcbs, "Battery module count", NULL, NULL, NULL, NULL, 1, true);
BAT_META(m_b_cell_min, "Battery cell voltage min", "V", "voltage", "measurement",
         "rscp_battery_cell_voltage_min_volts", 1, false);
BAT_META(m_b_cell_max, "Battery cell voltage max", "V", "voltage", "measurement",
         "rscp_battery_cell_voltage_max_volts", 1, false);
BAT_META(m_b_terminal, "Battery terminal voltage", "V", "voltage", "measurement", "rscp_battery_terminal_volts", 1,
         false);
BAT_META(m_b_max_charge, "Battery max charge current", "A", "current", "measurement", NULL, 1, true);
BAT_META(m_b_max_discharge, "Battery max discharge current", "A", "current", "measurement", NULL, 1, true);
BAT_META(m_b_eod, "Battery end-of-discharge voltage", "V", "voltage", "measurement", NULL, 1, true);
BAT_META(m_b_training, "Battery training mode", NULL, NULL, NULL, NULL, 1, true);
BAT_META(m_b_name, "Battery name", NULL, NULL, NULL, NULL, 1, true);

void topics_batteries(struct topics_run *r)
{
    const struct bridge_snapshot *s = r->s;
    if (!topics_wants(r, G_BAT, BRIDGE_HAVE_BATTERY))
        return;
    unsigned count = unit_count(s, s->plant.batteries, s->bat_ok);
    for (unsigned i = 0; i < RSCP_BAT_MAX_STRINGS; i++) {
        if (!(s->bat_ok & (1u << i)))
            continue;
        const struct rscp_battery *b = &s->bat[i];
        uint32_t p = b->present;
        int u = (int)i;
        char x[32];
        unit_prefix(x, sizeof x, "battery", count, i);
        if (p & RSCP_BAT_RSOC)
            topics_num(r, &m_b_soc, u, 1, b->rsoc, "%s/soc_float", x);
        if (p & RSCP_BAT_RSOC_REAL)
            topics_num(r, &m_b_rsoc_real, u, 1, b->rsoc_real, "%s/rsoc_real", x);
        if (p & RSCP_BAT_VOLTAGE)
            topics_num(r, &m_b_voltage, u, 2, b->voltage, "%s/voltage", x);
        if (p & RSCP_BAT_CURRENT)
            topics_num(r, &m_b_current, u, 2, b->current, "%s/current", x);
        if (p & RSCP_BAT_CYCLES)
            topics_num(r, &m_b_cycles, u, 0, (double)b->cycles, "%s/cycles", x);
        if (p & RSCP_BAT_STATUS_CODE)
            topics_num(r, &m_b_status, u, 0, (double)b->status_code, "%s/status", x);
        if (p & RSCP_BAT_ERROR_CODE)
            topics_num(r, &m_b_error, u, 0, (double)b->error_code, "%s/error", x);
        if (p & RSCP_BAT_TEMP_MAX)
            topics_num(r, &m_b_tmax, u, 1, b->temp_max, "%s/temperature/max", x);
        if (p & RSCP_BAT_TEMP_MIN)
            topics_num(r, &m_b_tmin, u, 1, b->temp_min, "%s/temperature/min", x);
        if (p & RSCP_BAT_FCC)
            topics_num(r, &m_b_fcc, u, 2, b->fcc, "%s/full_charge_capacity", x);
        if (p & RSCP_BAT_RC)
            topics_num(r, &m_b_rc, u, 2, b->rc, "%s/remaining_capacity", x);
        if (p & RSCP_BAT_DESIGN_CAPACITY)
            topics_num(r, &m_b_design, u, 2, b->design_capacity, "%s/design_capacity", x);
        if (p & RSCP_BAT_USABLE_CAPACITY)
            topics_num(r, &m_b_usable, u, 2, b->usable_capacity, "%s/usable_capacity", x);
        if (p & RSCP_BAT_USABLE_REMAINING)
            topics_num(r, &m_b_usable_rem, u, 2, b->usable_remaining, "%s/usable_remaining_capacity", x);
        if (p & RSCP_BAT_SOH)
            topics_num(r, &m_b_soh, u, 1, b->soh, "%s/soh", x);
        if (p & RSCP_BAT_DCB_COUNT)
            topics_num(r, &m_b_dcbs, u, 0, (double)b->dcb_count, "%s/dcb/count", x);
        if (p & RSCP_BAT_CELL_V_MIN)
            topics_num(r, &m_b_cell_min, u, 3, b->cell_v_min, "%s/cell_voltage/min", x);
        if (p & RSCP_BAT_CELL_V_MAX)
            topics_num(r, &m_b_cell_max, u, 3, b->cell_v_max, "%s/cell_voltage/max", x);
        if (p & RSCP_BAT_TERMINAL_VOLTAGE)
            topics_num(r, &m_b_terminal, u, 2, b->terminal_voltage, "%s/terminal_voltage", x);
        if (p & RSCP_BAT_MAX_CHARGE_CURRENT)
            topics_num(r, &m_b_max_charge, u, 2, b->max_charge_current, "%s/max_charge_current", x);
        if (p & RSCP_BAT_MAX_DISCHARGE_CURRENT)
            topics_num(r, &m_b_max_discharge, u, 2, b->max_discharge_current, "%s/max_discharge_current", x);
        if (p & RSCP_BAT_EOD_VOLTAGE)
            topics_num(r, &m_b_eod, u, 2, b->eod_voltage, "%s/eod_voltage", x);
        if (p & RSCP_BAT_TRAINING_MODE)
            topics_num(r, &m_b_training, u, 0, (double)b->training_mode, "%s/training", x);
        if (p & RSCP_BAT_DEVICE_NAME)
            topics_str(r, &m_b_name, u, b->device_name, "%s/name", x);
    }
}

/* ---- DCB modules -------------------------------------------------------- */

#define G_DCB BRIDGE_GROUP_DCB
#define DCB_META(name, label, unit, dc, sc, metric, scale, diag) \
    TOPIC_META(name, label, unit, dc, sc, "battery", metric, scale, G_DCB, diag)
DCB_META(m_d_soc, "Module SOC", "%", "battery", "measurement", "rscp_dcb_soc_ratio", 0.01, false);
DCB_META(m_d_soh, "Module SOH", "%", NULL, "measurement", "rscp_dcb_soh_ratio", 0.01, true);
DCB_META(m_d_voltage, "Module voltage", "V", "voltage", "measurement", "rscp_dcb_voltage_volts", 1, false);
DCB_META(m_d_current, "Module current", "A", "current", "measurement", "rscp_dcb_current_amperes", 1, false);
DCB_META(m_d_cycles, "Module charge cycles", NULL, NULL, "total_increasing", "rscp_dcb_charge_cycles_total", 1, true);
DCB_META(m_d_fcc, "Module full charge capacity", "Ah", NULL, "measurement", NULL, 1,
         true);
DCB_META(m_d_rc, "Module remaining capacity", "Ah", NULL, "measurement", NULL, 1, false);
DCB_META(m_d_design_c, "Module design capacity", "Ah", NULL, NULL, NULL, 1, true);
DCB_META(m_d_design_v, "Module design voltage", "V", "voltage", "measurement", NULL, 1, true);
DCB_META(m_d_max_v, "Module max charge voltage", "V", "voltage", "measurement", NULL, 1, true);
DCB_META(m_d_eod, "Module end-of-discharge voltage", "V", "voltage", "measurement", NULL, 1, true);
DCB_META(m_d_max_c, "Module max charge current", "A", "current", "measurement", NULL, 1, true);
DCB_META(m_d_max_d, "Module max discharge current", "A", "current", "measurement", NULL, 1, true);
DCB_META(m_d_series, "Module series cells", NULL, NULL, NULL, NULL, 1, true);
DCB_META(m_d_parallel, "Module parallel cells", NULL, NULL, NULL, NULL, 1, true);
DCB_META(m_d_sensors, "Module sensors", NULL, NULL, NULL, NULL, 1, true);
DCB_META(m_d_status, "Module status", NULL, NULL, NULL, NULL, 1, true);
DCB_META(m_d_warning, "Module warning", NULL, NULL, NULL, NULL, 1, true);
DCB_META(m_d_alarm, "Module alarm", NULL, NULL, NULL, NULL, 1, true);
DCB_META(m_d_error, "Module error", NULL, NULL, NULL, NULL, 1, true);
DCB_META(m_d_serial, "Module serial number", NULL, NULL, NULL, NULL, 1, true);
DCB_META(m_d_tmin, "Module cell temperature min", "°C", "temperature", "measurement",
         "rscp_dcb_cell_temperature_min_celsius", 1, false);
DCB_META(m_d_tmax, "Module cell temperature max", "°C", "temperature", "measurement",
         "rscp_dcb_cell_temperature_max_celsius", 1, false);
DCB_META(m_d_tmean, "Module cell temperature mean", "°C", "temperature", "measurement",
         "rscp_dcb_cell_temperature_mean_celsius", 1, false);
/* The cells (up to 32 voltages and 16 temperatures per module) change in
 * the last digit every cycle: deadbands of 2 mV and 0.5 °C. */
static const struct bridge_topic_meta m_d_cell_v = {"Cell voltage", "V", "voltage", "measurement", "battery", NULL,
                                                    1, 0.002, G_DCB, false};
static const struct bridge_topic_meta m_d_cell_t = {"Cell temperature", "°C", "temperature", "measurement",
                                                    "battery", NULL, 1, 0.5, G_DCB, false};

static void dcb_values(struct topics_run *r, const struct rscp_dcb *d, int u, const char *x)
{
    uint32_t p = d->present;
    if (p & RSCP_DCB_SOC)
        topics_num(r, &m_d_soc, u, 1, d->soc, "%s/soc", x);
    if (p & RSCP_DCB_SOH)
        topics_num(r, &m_d_soh, u, 1, d->soh, "%s/soh", x);
    if (p & RSCP_DCB_VOLTAGE)
        topics_num(r, &m_d_voltage, u, 2, d->voltage, "%s/voltage", x);
    if (p & RSCP_DCB_CURRENT)
        topics_num(r, &m_d_current, u, 2, d->current, "%s/current", x);
    if (p & RSCP_DCB_CYCLES)
        topics_num(r, &m_d_cycles, u, 0, (double)d->cycles, "%s/cycles", x);
    if (p & RSCP_DCB_FULL_CHARGE_CAPACITY)
        topics_num(r, &m_d_fcc, u, 2, d->full_charge_capacity, "%s/full_charge_capacity", x);
    if (p & RSCP_DCB_REMAINING_CAPACITY)
        topics_num(r, &m_d_rc, u, 2, d->remaining_capacity, "%s/remaining_capacity", x);
    if (p & RSCP_DCB_DESIGN_CAPACITY)
        topics_num(r, &m_d_design_c, u, 2, d->design_capacity, "%s/design_capacity", x);
    if (p & RSCP_DCB_DESIGN_VOLTAGE)
        topics_num(r, &m_d_design_v, u, 2, d->design_voltage, "%s/design_voltage", x);
    if (p & RSCP_DCB_MAX_CHARGE_VOLTAGE)
        topics_num(r, &m_d_max_v, u, 2, d->max_charge_voltage, "%s/max_charge_voltage", x);
    if (p & RSCP_DCB_END_OF_DISCHARGE)
        topics_num(r, &m_d_eod, u, 2, d->end_of_discharge, "%s/end_of_discharge", x);
    if (p & RSCP_DCB_MAX_CHARGE_CURRENT)
        topics_num(r, &m_d_max_c, u, 2, d->max_charge_current, "%s/max_charge_current", x);
    if (p & RSCP_DCB_MAX_DISCHARGE_CURRENT)
        topics_num(r, &m_d_max_d, u, 2, d->max_discharge_current, "%s/max_discharge_current", x);
    if (p & RSCP_DCB_SERIES_CELLS)
        topics_num(r, &m_d_series, u, 0, (double)d->series_cells, "%s/nr_series_cell", x);
    if (p & RSCP_DCB_PARALLEL_CELLS)
        topics_num(r, &m_d_parallel, u, 0, (double)d->parallel_cells, "%s/nr_parallel_cell", x);
    if (p & RSCP_DCB_SENSORS)
        topics_num(r, &m_d_sensors, u, 0, (double)d->sensors, "%s/nr_sensor", x);
    if (p & RSCP_DCB_STATUS)
        topics_num(r, &m_d_status, u, 0, (double)d->status, "%s/status", x);
    if (p & RSCP_DCB_WARNING)
        topics_num(r, &m_d_warning, u, 0, (double)d->warning, "%s/warning", x);
    if (p & RSCP_DCB_ALARM)
        topics_num(r, &m_d_alarm, u, 0, (double)d->alarm, "%s/alarm", x);
    if (p & RSCP_DCB_ERROR)
        topics_num(r, &m_d_error, u, 0, (double)d->error, "%s/error", x);
    if (p & RSCP_DCB_SERIALNO) {
        char serial[24];
        snprintf(serial, sizeof serial, "%llu", (unsigned long long)d->serialno);
        topics_str(r, &m_d_serial, u, serial, "%s/serial_number", x);
    }
    if (p & RSCP_DCB_TEMPERATURE) {
        topics_num(r, &m_d_tmin, u, 1, d->temp_min, "%s/cell_temperature/min", x);
        topics_num(r, &m_d_tmax, u, 1, d->temp_max, "%s/cell_temperature/max", x);
        topics_num(r, &m_d_tmean, u, 1, d->temp_mean, "%s/cell_temperature/mean", x);
    }
    if (p & RSCP_DCB_CELL_VOLTAGES) {
        uint32_t n = d->n_cell_voltages < RSCP_DCB_MAX_CELLS ? d->n_cell_voltages : RSCP_DCB_MAX_CELLS;
        for (uint32_t c = 0; c < n; c++)
            topics_num(r, &m_d_cell_v, u, 3, d->cell_voltage[c], "%s/cell_voltage/%u", x, c + 1);
    }
    if (p & RSCP_DCB_CELL_TEMPERATURES) {
        uint32_t n = d->n_cell_temperatures < RSCP_DCB_MAX_SENSORS ? d->n_cell_temperatures : RSCP_DCB_MAX_SENSORS;
        for (uint32_t c = 0; c < n; c++)
            topics_num(r, &m_d_cell_t, u, 1, d->cell_temperature[c], "%s/cell_temperature/%u", x, c + 1);
    }
}

void topics_dcbs(struct topics_run *r)
{
    const struct bridge_snapshot *s = r->s;
    /* dcb[i] holds plant.dcb_count[i] entries, at most RSCP_DCB_MAX (what
     * one request asks for): the plant is needed. */
    if (!topics_wants(r, G_DCB, BRIDGE_HAVE_DCB) || !(s->have & BRIDGE_HAVE_PLANT))
        return;
    unsigned count = unit_count(s, s->plant.batteries, s->bat_ok);
    for (unsigned i = 0; i < RSCP_BAT_MAX_STRINGS; i++) {
        if (!s->dcb[i])
            continue;
        unsigned n = s->plant.dcb_count[i] < RSCP_DCB_MAX ? s->plant.dcb_count[i] : RSCP_DCB_MAX;
        char x[48], base[32];
        unit_prefix(base, sizeof base, "battery", count, i);
        for (unsigned k = 0; k < n; k++) {
            if (!(s->dcb_ok[i] & (1u << k)))
                continue;
            snprintf(x, sizeof x, "%s/dcb/%u", base, k + 1);
            dcb_values(r, &s->dcb[i][k], (int)i, x);
        }
    }
}

/* ---- PV inverters ------------------------------------------------------- */

#define G_PV BRIDGE_GROUP_PV
#define PV_META(name, label, unit, dc, sc, metric, diag) \
    TOPIC_META(name, label, unit, dc, sc, "pvi", metric, 1, G_PV, diag)
#define PV_ENERGY_META(name, label, metric) \
    TOPIC_META(name, label, "Wh", "energy", "total_increasing", "pvi", metric, 3600, G_PV, false)
PV_META(m_p_trk_p, "PV string power", "W", "power", "measurement", "rscp_pv_tracker_power_watts", false);
PV_META(m_p_trk_v, "PV string voltage", "V", "voltage", "measurement", "rscp_pv_tracker_voltage_volts", false);
PV_META(m_p_trk_i, "PV string current", "A", "current", "measurement", "rscp_pv_tracker_current_amperes", false);
PV_ENERGY_META(m_p_trk_e, "PV string energy", "rscp_pv_tracker_energy_joules_total");
PV_META(m_p_ph_p, "Inverter power", "W", "power", "measurement", "rscp_pv_phase_power_watts", false);
PV_META(m_p_ph_v, "Inverter voltage", "V", "voltage", "measurement", "rscp_pv_phase_voltage_volts", false);
PV_META(m_p_ph_i, "Inverter current", "A", "current", "measurement", "rscp_pv_phase_current_amperes", false);
PV_ENERGY_META(m_p_ph_e, "Inverter energy", "rscp_pv_phase_energy_joules_total");
PV_META(m_p_temp, "Inverter temperature", "°C", "temperature", "measurement", "rscp_pv_temperature_celsius", false);
PV_META(m_p_on_grid, "Inverter on grid", NULL, NULL, NULL, "rscp_pv_on_grid", false);
PV_META(m_p_state, "Inverter state", NULL, NULL, NULL, NULL, true);
PV_META(m_p_used, "Inverter strings used", NULL, NULL, NULL, NULL, true);
PV_META(m_p_max_trk, "Inverter strings max", NULL, NULL, NULL, NULL, true);
PV_META(m_p_phases, "Inverter phases", NULL, NULL, NULL, NULL, true);
PV_META(m_p_temps, "Inverter temperature sensors", NULL, NULL, NULL, NULL, true);
PV_META(m_p_type, "Inverter type", NULL, NULL, NULL, NULL, true);
PV_META(m_p_freq, "Inverter frequency", "Hz", "frequency", "measurement", "rscp_pv_frequency_hertz", false);

static void inverter_values(struct topics_run *r, const struct rscp_pvi *v, int u, const char *x)
{
    uint32_t nt = v->n_trackers < RSCP_PVI_MAX_TRACKERS ? v->n_trackers : RSCP_PVI_MAX_TRACKERS;
    for (uint32_t k = 0; k < nt; k++) {
        const struct rscp_pvi_tracker *t = &v->tracker[k];
        if (t->present & RSCP_PVI_POWER)
            topics_num(r, &m_p_trk_p, u, 0, t->power, "%s/power/string_%u", x, k + 1);
        if (t->present & RSCP_PVI_VOLTAGE)
            topics_num(r, &m_p_trk_v, u, 1, t->voltage, "%s/voltage/string_%u", x, k + 1);
        if (t->present & RSCP_PVI_CURRENT)
            topics_num(r, &m_p_trk_i, u, 2, t->current, "%s/current/string_%u", x, k + 1);
        if (t->present & RSCP_PVI_ENERGY)
            topics_num(r, &m_p_trk_e, u, 0, t->energy, "%s/energy_all/string_%u", x, k + 1);
    }
    for (unsigned k = 0; k < RSCP_PVI_MAX_PHASES; k++) {
        const struct rscp_pvi_phase *ph = &v->phase[k];
        if (ph->present & RSCP_PVI_POWER)
            topics_num(r, &m_p_ph_p, u, 0, ph->power, "%s/power/L%u", x, k + 1);
        if (ph->present & RSCP_PVI_VOLTAGE)
            topics_num(r, &m_p_ph_v, u, 1, ph->voltage, "%s/voltage/L%u", x, k + 1);
        if (ph->present & RSCP_PVI_CURRENT)
            topics_num(r, &m_p_ph_i, u, 2, ph->current, "%s/current/L%u", x, k + 1);
        if (ph->present & RSCP_PVI_ENERGY)
            topics_num(r, &m_p_ph_e, u, 0, ph->energy, "%s/energy_all/L%u", x, k + 1);
    }
    for (unsigned k = 0; k < RSCP_PVI_MAX_TEMPERATURES; k++)
        if (v->temperature_present & (1u << k))
            topics_num(r, &m_p_temp, u, 1, v->temperature[k], "%s/temperature/%u", x, k + 1);
    uint32_t p = v->present;
    if (p & RSCP_PVI_ON_GRID)
        topics_bool(r, &m_p_on_grid, u, v->on_grid, "%s/on_grid", x);
    if (p & RSCP_PVI_STATE)
        topics_str(r, &m_p_state, u, v->state, "%s/state", x);
    if (p & RSCP_PVI_USED_TRACKERS)
        topics_num(r, &m_p_used, u, 0, (double)v->used_trackers, "%s/used_string_count", x);
    if (p & RSCP_PVI_MAX_TRACKER_COUNT)
        topics_num(r, &m_p_max_trk, u, 0, (double)v->max_trackers, "%s/max_string_count", x);
    if (p & RSCP_PVI_PHASE_COUNT)
        topics_num(r, &m_p_phases, u, 0, (double)v->phase_count, "%s/phase_count", x);
    if (p & RSCP_PVI_TEMPERATURE_COUNT)
        topics_num(r, &m_p_temps, u, 0, (double)v->temperature_count, "%s/temperature/count", x);
    if (p & RSCP_PVI_TYPE)
        topics_num(r, &m_p_type, u, 0, (double)v->type, "%s/type", x);
    if (p & RSCP_PVI_FREQUENCY)
        topics_num(r, &m_p_freq, u, 2, v->frequency, "%s/frequency", x);
}

void topics_inverters(struct topics_run *r)
{
    const struct bridge_snapshot *s = r->s;
    if (!topics_wants(r, G_PV, BRIDGE_HAVE_PV))
        return;
    unsigned count = unit_count(s, s->plant.inverters, s->pvi_ok);
    for (unsigned i = 0; i < RSCP_PVI_MAX_INVERTERS; i++) {
        if (!(s->pvi_ok & (1u << i)))
            continue;
        char x[32];
        unit_prefix(x, sizeof x, "pvi", count, i);
        inverter_values(r, &s->pvi[i], (int)i, x);
    }
}

/* ---- power meters ------------------------------------------------------- */

#define G_PM BRIDGE_GROUP_METERS
#define PM_META(name, label, unit, dc, sc, metric, scale, diag) \
    TOPIC_META(name, label, unit, dc, sc, "pm", metric, scale, G_PM, diag)
PM_META(m_m_power, "Meter power", "W", "power", "measurement", "rscp_meter_sum_power_watts", 1, false);
PM_META(m_m_power_l, "Meter phase power", "W", "power", "measurement", "rscp_meter_power_watts", 1, false);
PM_META(m_m_volt_l, "Meter phase voltage", "V", "voltage", "measurement", "rscp_meter_voltage_volts", 1, false);
PM_META(m_m_energy, "Meter energy", "kWh", "energy", "total_increasing", "rscp_meter_sum_energy_joules_total",
        3.6e6, false);
PM_META(m_m_energy_l, "Meter phase energy", "kWh", "energy", "total_increasing",
        "rscp_meter_energy_joules_total", 3.6e6, false);
PM_META(m_m_active, "Meter phase active", NULL, NULL, NULL, NULL, 1, true);
PM_META(m_m_type, "Meter type", NULL, NULL, NULL, NULL, 1, true);
PM_META(m_m_mode, "Meter mode", NULL, NULL, NULL, NULL, 1, true);
PM_META(m_m_error, "Meter error code", NULL, NULL, NULL, NULL, 1, true);
PM_META(m_m_device, "Meter device id", NULL, NULL, NULL, NULL, 1, true);

static void meter_values(struct topics_run *r, const struct rscp_pm *m, int u, const char *x, bool root)
{
    uint32_t p = m->present;
    if (p & RSCP_PM_POWER)
        topics_num(r, &m_m_power, u, 0, m->power_total, "%s/power", x);
    static const uint32_t pw[3] = {RSCP_PM_POWER_L1, RSCP_PM_POWER_L2, RSCP_PM_POWER_L3};
    static const uint32_t vo[3] = {RSCP_PM_VOLTAGE_L1, RSCP_PM_VOLTAGE_L2, RSCP_PM_VOLTAGE_L3};
    static const uint32_t en[3] = {RSCP_PM_ENERGY_L1, RSCP_PM_ENERGY_L2, RSCP_PM_ENERGY_L3};
    for (unsigned k = 0; k < RSCP_PM_PHASES; k++)
        if (p & pw[k])
            topics_num(r, &m_m_power_l, u, 0, m->power[k], "%s/power/L%u", x, k + 1);
    for (unsigned k = 0; k < RSCP_PM_PHASES; k++)
        if (p & vo[k])
            topics_num(r, &m_m_volt_l, u, 1, m->voltage[k], "%s/voltage/L%u", x, k + 1);
    if ((p & (en[0] | en[1] | en[2])) == (en[0] | en[1] | en[2]))
        topics_num(r, &m_m_energy, u, 2, (m->energy[0] + m->energy[1] + m->energy[2]) / 1000,
                   root ? "%s/energy" : "%s/energy/total", x);
    for (unsigned k = 0; k < RSCP_PM_PHASES; k++)
        if (p & en[k])
            topics_num(r, &m_m_energy_l, u, 2, m->energy[k] / 1000, "%s/energy/L%u", x, k + 1);
    if (p & RSCP_PM_ACTIVE_PHASES)
        for (unsigned k = 0; k < RSCP_PM_PHASES; k++)
            topics_bool(r, &m_m_active, u, (m->active_phases >> k) & 1u, "%s/active_phases/L%u", x, k + 1);
    if (p & RSCP_PM_TYPE)
        topics_num(r, &m_m_type, u, 0, (double)m->type, "%s/type", x);
    if (p & RSCP_PM_MODE)
        topics_num(r, &m_m_mode, u, 0, (double)m->mode, "%s/mode", x);
    if (p & RSCP_PM_ERROR_CODE)
        topics_num(r, &m_m_error, u, 0, (double)m->error_code, "%s/error", x);
    if (p & RSCP_PM_DEVICE_ID)
        topics_num(r, &m_m_device, u, 0, (double)m->device_id, "%s/device_id", x);
}

void topics_meters(struct topics_run *r)
{
    const struct bridge_snapshot *s = r->s;
    if (!topics_wants(r, G_PM, BRIDGE_HAVE_METERS))
        return;
    bool root_named = false;
    for (unsigned i = 0; i < RSCP_PM_MAX_METERS; i++) {
        if (!(s->pm_ok & (1u << i)))
            continue;
        const struct rscp_pm *m = &s->pm[i];
        bool root = (s->have & BRIDGE_HAVE_PLANT) ? s->plant.root_meter == (int32_t)i
                                                  : (m->present & RSCP_PM_TYPE) && m->type == RSCP_PM_TYPE_ROOT;
        char x[32];
        root = root && !root_named;
        if (root) {
            snprintf(x, sizeof x, "pm");
            root_named = true;
        } else {
            snprintf(x, sizeof x, "pm/%u", i);
        }
        meter_values(r, m, (int)i, x, root);
    }
}

/* ---- wallboxes ---------------------------------------------------------- */

#define G_WB BRIDGE_GROUP_WALLBOX
#define WB_META(name, label, unit, dc, sc, metric, diag) \
    TOPIC_META(name, label, unit, dc, sc, "wallbox", metric, 1, G_WB, diag)
#define WB_ENERGY_META(name, label, metric) \
    TOPIC_META(name, label, "Wh", "energy", "total_increasing", "wallbox", metric, 3600, G_WB, false)
WB_META(m_w_power, "Wallbox charge power", "W", "power", "measurement", "rscp_wallbox_charge_power_watts", false);
WB_META(m_w_solar, "Wallbox charge solar power", "W", "power", "measurement", "rscp_wallbox_charge_solar_power_watts",
        false);
WB_META(m_w_power_l, "Wallbox phase power", "W", "power", "measurement", "rscp_wallbox_phase_power_watts", false);
WB_ENERGY_META(m_w_energy_l, "Wallbox phase energy", "rscp_wallbox_phase_energy_joules_total");
WB_ENERGY_META(m_w_energy, "Wallbox energy total", "rscp_wallbox_energy_joules_total");
WB_ENERGY_META(m_w_energy_s, "Wallbox energy solar", "rscp_wallbox_solar_energy_joules_total");
WB_META(m_w_phase_on, "Wallbox phase active", NULL, NULL, NULL, NULL, false);
WB_META(m_w_phases, "Wallbox phases", NULL, NULL, NULL, NULL, false);
WB_META(m_w_min_i, "Wallbox min current", "A", "current", "measurement", NULL, true);
WB_META(m_w_max_charge_i, "Wallbox max charge current", "A", "current", "measurement", NULL, true);
WB_META(m_w_max_i, "Wallbox max current", "A", "current", "measurement", "rscp_wallbox_max_current_amperes", false);
WB_META(m_w_status, "Wallbox status", NULL, NULL, NULL, NULL, true);
WB_META(m_w_plugged, "Wallbox plugged", NULL, "plug", NULL, "rscp_wallbox_plugged", false);
WB_META(m_w_locked, "Wallbox locked", NULL, NULL, NULL, NULL, false);
WB_META(m_w_charging, "Wallbox charging", NULL, "battery_charging", NULL, "rscp_wallbox_charging", false);
WB_META(m_w_suspended, "Wallbox suspended", NULL, NULL, NULL, NULL, false);
WB_META(m_w_sun, "Wallbox sun mode", NULL, NULL, NULL, NULL, false);
WB_META(m_w_soc, "Wallbox SOC", "%", "battery", "measurement", NULL, false);
WB_META(m_w_key, "Wallbox key state", NULL, NULL, NULL, NULL, true);
WB_META(m_w_connected, "Wallbox connected", NULL, "connectivity", NULL, NULL, true);
WB_META(m_w_working, "Wallbox working", NULL, "running", NULL, NULL, true);
WB_META(m_w_service, "Wallbox in service", NULL, NULL, NULL, NULL, true);
WB_META(m_w_index, "Wallbox index", NULL, NULL, NULL, NULL, true);
WB_META(m_w_auto_phase, "Wallbox auto phase switch", NULL, NULL, NULL, NULL, false);
/* The battery and the car: EMS settings of the plant (unit -1). */
TOPIC_META(m_c_to_car, "Battery to car", NULL, NULL, NULL, NULL, NULL, 1, G_WB, false);
TOPIC_META(m_c_before_car, "Battery before car", NULL, NULL, NULL, NULL, NULL, 1, G_WB, false);
TOPIC_META(m_c_until, "Battery to car until SOC", "%", "battery", "measurement", NULL, NULL, 1, G_WB, false);
TOPIC_META(m_c_mix, "No battery charging in mixed mode", NULL, NULL, NULL, NULL, NULL, 1, G_WB, false);

static void wallbox_values(struct topics_run *r, const struct rscp_wallbox *w, int u, const char *x)
{
    uint32_t p = w->present;
    static const uint32_t pw[3] = {RSCP_WB_POWER_L1, RSCP_WB_POWER_L2, RSCP_WB_POWER_L3};
    static const uint32_t en[3] = {RSCP_WB_ENERGY_L1, RSCP_WB_ENERGY_L2, RSCP_WB_ENERGY_L3};
    topics_num(r, &m_w_index, u, 0, w->index, "%s/index", x);
    if (p & RSCP_WB_POWER)
        topics_num(r, &m_w_power, u, 0, w->power_total, "%s/power", x);
    if (p & RSCP_WB_POWER_SOLAR)
        topics_num(r, &m_w_solar, u, 0, w->power_solar, "%s/power_solar", x);
    for (unsigned k = 0; k < RSCP_WB_PHASES; k++)
        if (p & pw[k])
            topics_num(r, &m_w_power_l, u, 0, w->power[k], "%s/power/L%u", x, k + 1);
    for (unsigned k = 0; k < RSCP_WB_PHASES; k++)
        if (p & en[k])
            topics_num(r, &m_w_energy_l, u, 0, w->energy[k], "%s/energy/L%u", x, k + 1);
    if (p & RSCP_WB_ENERGY_ALL)
        topics_num(r, &m_w_energy, u, 0, w->energy_all, "%s/energy/total", x);
    if (p & RSCP_WB_ENERGY_SOLAR)
        topics_num(r, &m_w_energy_s, u, 0, w->energy_solar, "%s/energy/solar", x);
    if (p & RSCP_WB_ACTIVE_PHASES)
        for (unsigned k = 0; k < RSCP_WB_PHASES; k++)
            topics_bool(r, &m_w_phase_on, u, (w->active_phases >> k) & 1u, "%s/phases/L%u", x, k + 1);
    if (p & RSCP_WB_PHASES_SET)
        topics_num(r, &m_w_phases, u, 0, (double)w->phases, "%s/number_phases", x);
    if (p & RSCP_WB_MIN_CURRENT)
        topics_num(r, &m_w_min_i, u, 0, (double)w->min_current, "%s/min_current", x);
    if (p & RSCP_WB_MAX_CHARGE_CURRENT)
        topics_num(r, &m_w_max_charge_i, u, 0, (double)w->max_charge_current, "%s/max_charge_current", x);
    if (p & RSCP_WB_MAX_CURRENT)
        topics_num(r, &m_w_max_i, u, 0, w->max_current, "%s/max_current", x);
    if (p & RSCP_WB_STATUS) {
        topics_num(r, &m_w_status, u, 0, w->status, "%s/status", x);
        topics_bool(r, &m_w_plugged, u, w->plugged, "%s/plugged", x);
        topics_bool(r, &m_w_locked, u, w->locked, "%s/locked", x);
        topics_bool(r, &m_w_charging, u, w->charging, "%s/charging", x);
        topics_bool(r, &m_w_suspended, u, w->suspended, "%s/suspended", x);
        topics_bool(r, &m_w_sun, u, w->sun_mode, "%s/sun_mode", x);
    }
    if (p & RSCP_WB_SOC)
        topics_num(r, &m_w_soc, u, 0, (double)w->soc, "%s/soc", x);
    if (p & RSCP_WB_KEY_STATE)
        topics_bool(r, &m_w_key, u, w->key_state != 0, "%s/key_state", x);
    if (p & RSCP_WB_CONNECTED)
        topics_bool(r, &m_w_connected, u, w->connected, "%s/connected", x);
    if (p & RSCP_WB_WORKING)
        topics_bool(r, &m_w_working, u, w->working, "%s/working", x);
    if (p & RSCP_WB_IN_SERVICE)
        topics_bool(r, &m_w_service, u, w->in_service, "%s/in_service", x);
    if (p & RSCP_WB_AUTO_PHASE)
        topics_bool(r, &m_w_auto_phase, u, w->auto_phase_switch, "%s/auto_phase_switch", x);
}

/* rscp2mqtt's names: wallbox/discharge_battery_to_car, .../charge_battery_-
 * before_car, .../discharge_battery_until, .../disable_battery_at_mix_mode. */
static void car_mode_values(struct topics_run *r)
{
    const struct rscp_car_modes *c = &r->s->car_modes;
    if (c->present & RSCP_CM_BATTERY_TO_CAR)
        topics_bool(r, &m_c_to_car, -1, c->battery_to_car, "wallbox/discharge_battery_to_car");
    if (c->present & RSCP_CM_BATTERY_BEFORE_CAR)
        topics_bool(r, &m_c_before_car, -1, c->battery_before_car, "wallbox/charge_battery_before_car");
    if (c->present & RSCP_CM_DISCHARGE_UNTIL)
        topics_num(r, &m_c_until, -1, 0, c->discharge_until, "wallbox/discharge_battery_until");
    if (c->present & RSCP_CM_ENFORCE_POWER)
        topics_bool(r, &m_c_mix, -1, c->enforce_power, "wallbox/disable_battery_at_mix_mode");
}

void topics_wallboxes(struct topics_run *r)
{
    const struct bridge_snapshot *s = r->s;
    if (!topics_wants(r, G_WB, BRIDGE_HAVE_WALLBOX))
        return;
    unsigned count = unit_count(s, s->plant.wallboxes, s->wb_ok);
    for (unsigned i = 0; i < RSCP_WB_MAX_WALLBOXES; i++) {
        if (!(s->wb_ok & (1u << i)))
            continue;
        char x[32];
        unit_prefix(x, sizeof x, "wallbox", count, i);
        wallbox_values(r, &s->wb[i], (int)i, x);
    }
    if (s->have & BRIDGE_HAVE_CAR_MODES)
        car_mode_values(r);
}
