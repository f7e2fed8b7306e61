/* rscp wallbox set: the settings beside WB.REQ_SET_EXTERN (plant_cli.h):
 * the wallbox's minimum current and automatic phase switch
 * (rscp/wallbox_control.h) and how the battery and the car share power
 * (rscp/car_modes.h). Checked before anything is sent, sent in one frame,
 * each answer read (a refusal named), read back by the caller. */
#include "plant_cli.h"

#include "rscp/error.h"
#include "rscp/wallbox_control.h"

#include <string.h>

int cli_wb_extra_option(struct cli_wb_extra *x, int opt, const char *arg)
{
    const char *cmd = "wallbox set";
    int64_t n = 0;
    bool on = false;
    int rc;
    switch (opt) {
    case CLI_WBX_MIN_CURRENT:
        rc = cli_parse_quantity(cmd, "--min-current", arg, cli_units_a, 1, 255, &n);
        if (rc == 0) {
            x->set |= CLI_WBX_MIN;
            x->min_a = (unsigned)n;
        }
        return rc;
    case CLI_WBX_AUTO_PHASE:
        rc = cli_parse_onoff(cmd, "--auto-phase", arg, &on);
        if (rc == 0) {
            x->set |= CLI_WBX_PHASE;
            x->auto_phase = on;
        }
        return rc;
    case CLI_WBX_TO_CAR:
    case CLI_WBX_BEFORE_CAR:
    case CLI_WBX_ENFORCE:
        rc = cli_parse_onoff(cmd,
                             opt == CLI_WBX_TO_CAR       ? "--battery-to-car"
                             : opt == CLI_WBX_BEFORE_CAR ? "--battery-before-car"
                                                         : "--enforce-power",
                             arg, &on);
        if (rc != 0)
            return rc;
        if (opt == CLI_WBX_TO_CAR) {
            x->cm_set |= RSCP_CM_BATTERY_TO_CAR;
            x->cm.battery_to_car = on;
        } else if (opt == CLI_WBX_BEFORE_CAR) {
            x->cm_set |= RSCP_CM_BATTERY_BEFORE_CAR;
            x->cm.battery_before_car = on;
        } else {
            x->cm_set |= RSCP_CM_ENFORCE_POWER;
            x->cm.enforce_power = on;
        }
        return 0;
    case CLI_WBX_UNTIL:
        rc = cli_parse_quantity(cmd, "--battery-until", arg, cli_units_pct, 0, 100, &n);
        if (rc == 0) {
            x->cm_set |= RSCP_CM_DISCHARGE_UNTIL;
            x->cm.discharge_until = (uint8_t)n;
        }
        return rc;
    default: return CLI_EXIT_USAGE;
    }
}

int cli_wb_extra_check(const struct cli_wb_extra *x, const struct rscp_wallbox *state)
{
    if (!(x->set & CLI_WBX_MIN))
        return 0;
    struct rscp_wallbox_refusal why;
    if (rscp_wallbox_min_current_check(state, x->min_a, &why) == 0)
        return 0;
    return cli_usage_error("wallbox set", "--min-current %lld A is out of range (allowed: %lld..%lld A: at least %u A, at "
                           "most the wallbox's max charge current and the charge current set)",
                           (long long)why.value, (long long)why.min, (long long)why.max, RSCP_WB_CURRENT_MIN_A);
}

struct extra_req {
    unsigned index;
    const struct cli_wb_extra *x;
};

static int fill_extra(void *ctx, struct rscp_builder *b)
{
    const struct extra_req *r = ctx;
    int rc = 0;
    if (r->x->set & CLI_WBX_MIN)
        rc = rscp_wallbox_min_current_request(b, r->index, NULL, r->x->min_a, NULL);
    if (rc == 0 && (r->x->set & CLI_WBX_PHASE))
        rc = rscp_wallbox_auto_phase_request(b, r->index, r->x->auto_phase);
    if (rc == 0 && r->x->cm_set)
        rc = rscp_car_modes_set_request(b, r->x->cm_set, &r->x->cm);
    return rc;
}

/* A refusal or an unreadable answer of one part: the exit code after a
 * message, or 0. */
static int part_failed(const struct rscp_frame *reply, int prc, uint32_t derr, const char *what)
{
    if (prc == 0)
        return 0;
    if (prc == RSCP_ERR_DEVICE) {
        cli_error("the device refused %s: %s", what, cli_device_error_text(derr));
        return CLI_EXIT_DEVICE;
    }
    return cli_write_reply_failed(reply, prc, what);
}

int cli_wb_extra_send(rscp_client *c, unsigned index, const struct cli_wb_extra *x)
{
    if (!x->set && !x->cm_set)
        return 0;
    struct extra_req r = {index, x};
    struct rscp_frame reply;
    int rc = cli_request(c, fill_extra, &r, &reply);
    /* Each answer parsed before its device error is read: in one call's
     * arguments the order would be unspecified. */
    uint32_t derr = 0;
    int prc;
    if (rc == 0 && (x->set & CLI_WBX_MIN)) {
        prc = rscp_wallbox_min_current_parse(&reply, index, NULL, &derr);
        rc = part_failed(&reply, prc, derr, "the minimum current");
    }
    if (rc == 0 && (x->set & CLI_WBX_PHASE)) {
        prc = rscp_wallbox_auto_phase_parse(&reply, index, NULL, &derr);
        rc = part_failed(&reply, prc, derr, "the automatic phase switch");
    }
    if (rc == 0 && x->cm_set) {
        struct rscp_car_modes echo;
        uint32_t differs = 0;
        prc = rscp_car_modes_set_parse(&reply, x->cm_set, &x->cm, &echo, &differs, &derr);
        rc = part_failed(&reply, prc, derr, "the battery-and-car setting");
    }
    return rc;
}

static int fill_modes(void *ctx, struct rscp_builder *b)
{
    (void)ctx;
    return rscp_car_modes_request(b, RSCP_CM_ALL);
}

int cli_wb_extra_read_modes(rscp_client *c, struct rscp_car_modes *out)
{
    struct rscp_frame reply;
    int rc = cli_request(c, fill_modes, NULL, &reply);
    if (rc != 0)
        return rc;
    if (rscp_car_modes_parse(&reply, out) != 0) {
        cli_error("the battery-and-car settings could not be read");
        return CLI_EXIT_PROTOCOL;
    }
    return 0;
}

bool cli_wb_extra_reached(const struct cli_wb_extra *x, const struct rscp_wallbox *w, const struct rscp_car_modes *m)
{
    if ((x->set & CLI_WBX_MIN) && (!(w->present & RSCP_WB_MIN_CURRENT) || w->min_current != (int64_t)x->min_a))
        return false;
    if ((x->set & CLI_WBX_PHASE) && (!(w->present & RSCP_WB_AUTO_PHASE) || w->auto_phase_switch != x->auto_phase))
        return false;
    if ((x->cm_set & m->present) != x->cm_set)
        return false;
    return (!(x->cm_set & RSCP_CM_BATTERY_TO_CAR) || m->battery_to_car == x->cm.battery_to_car) &&
           (!(x->cm_set & RSCP_CM_BATTERY_BEFORE_CAR) || m->battery_before_car == x->cm.battery_before_car) &&
           (!(x->cm_set & RSCP_CM_DISCHARGE_UNTIL) || m->discharge_until == x->cm.discharge_until) &&
           (!(x->cm_set & RSCP_CM_ENFORCE_POWER) || m->enforce_power == x->cm.enforce_power);
}

void cli_wb_modes_json(struct cli_jw *w, const struct rscp_car_modes *m)
{
    cli_jw_bool(w, "battery_to_car", m->present & RSCP_CM_BATTERY_TO_CAR, m->battery_to_car);
    cli_jw_bool(w, "battery_before_car", m->present & RSCP_CM_BATTERY_BEFORE_CAR, m->battery_before_car);
    cli_jw_uint(w, "battery_until", m->present & RSCP_CM_DISCHARGE_UNTIL, m->discharge_until);
    cli_jw_bool(w, "enforce_power", m->present & RSCP_CM_ENFORCE_POWER, m->enforce_power);
}

void cli_wb_modes_text(const struct rscp_car_modes *m, char *buf, size_t cap)
{
    char until[16] = "?";
    if (m->present & RSCP_CM_DISCHARGE_UNTIL)
        snprintf(until, sizeof until, "%u %%", m->discharge_until);
    snprintf(buf, cap, "battery to car %s (until %s), battery before car %s, power enforced in mixed mode %s",
             !(m->present & RSCP_CM_BATTERY_TO_CAR) ? "?" : m->battery_to_car ? "on" : "off", until,
             !(m->present & RSCP_CM_BATTERY_BEFORE_CAR) ? "?" : m->battery_before_car ? "on" : "off",
             !(m->present & RSCP_CM_ENFORCE_POWER) ? "?" : m->enforce_power ? "on" : "off");
}
