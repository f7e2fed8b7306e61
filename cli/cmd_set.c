/* rscp set: the power limits, weather-regulated charge, power save, the
 * emergency reserve and the idle periods. Every value is checked before
 * anything is sent (syntax before connecting, ranges against the device's
 * system specs after reading them), written, read back and shown as
 * before -> after. */
#include "plant_cli.h"

#include "json_parse.h"
#include "rscp/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void help(void)
{
    fputs("Usage: rscp set limits [--charge W] [--discharge W] [--discharge-start W]\n"
          "       rscp set limits --off\n"
          "       rscp set weather on|off\n"
          "       rscp set powersave on|off\n"
          "       rscp set reserve PERCENT%|ENERGYWh\n"
          "       rscp set idle-periods FILE|-\n"
          "\n"
          "Change a setting: the current settings and the system specs are read\n"
          "first, the new value is checked against them (nothing is sent when it\n"
          "is out of range), the change is written (the power settings by\n"
          "read-modify-write: values not changed are re-sent as read), read back\n"
          "and shown as before -> after.\n"
          "  limits        turn the power limits on with new charge/discharge limits\n"
          "                and discharge start (W, kW; each within the system specs;\n"
          "                those not given stay), or --off\n"
          "  weather       weather-regulated charge\n"
          "  powersave     power save mode\n"
          "  reserve       emergency-power reserve: 0..100 % or 0..max Wh (kWh)\n"
          "  idle-periods  the idle periods from a file in the JSON form 'rscp\n"
          "                idle-periods --json' prints (\"enabled\" optional; a\n"
          "                window 00:00-00:00 clears the slot of its day and type)\n"
          "\n"
          "Options:\n"
          "      --charge W           charge limit\n"
          "      --discharge W        discharge limit\n"
          "      --discharge-start W  discharge only above this house load\n"
          "      --off                power limits off\n"
          "  -j, --json   {\"setting\", \"before\": {...}, \"after\": {...}}\n"
          "  plus the connection options of 'rscp --help'.\n"
          "\n"
          "Exit status: 0 ok; 1 the device refused the change (its reason named);\n"
          "2 usage or a value out of range (nothing sent); 3 connection;\n"
          "4 authentication; 5 timeout; 6 protocol; 7 the device answered success\n"
          "but the value read back did not change (ignored by the device).\n",
          stdout);
}

enum { OPT_CHARGE = 100, OPT_DISCHARGE, OPT_DSTART, OPT_OFF };

static const struct cli_optdef set_opts[] = {
    CLI_OPT_HELP,
    CLI_OPT_JSON,
    CLI_OPTS_CONN,
    {"charge", 0, true, OPT_CHARGE},
    {"discharge", 0, true, OPT_DISCHARGE},
    {"discharge-start", 0, true, OPT_DSTART},
    {"off", 0, false, OPT_OFF},
    CLI_OPT_END,
};

enum what { SET_LIMITS, SET_WEATHER, SET_POWERSAVE, SET_RESERVE, SET_IDLE };

struct set_args {
    enum what what;
    const char *cmd;
    bool json;
    struct rscp_power_settings_change change;
    bool have_value;
    double reserve;
    bool reserve_wh;
    struct rscp_idle_period periods[RSCP_IDLE_PERIODS_MAX];
    size_t n_periods;
    bool have_enable, enable;
};

/* ---- idle periods from JSON ---------------------------------------------------- */

static int parse_hhmm(const struct json_value *j, uint8_t *h, uint8_t *m)
{
    if (!j || j->kind != JSON_STRING || j->len != 5 || j->str[2] != ':')
        return -1;
    for (int k = 0; k < 5; k++)
        if (k != 2 && (j->str[k] < '0' || j->str[k] > '9'))
            return -1;
    unsigned hh = (unsigned)(j->str[0] - '0') * 10 + (unsigned)(j->str[1] - '0');
    unsigned mm = (unsigned)(j->str[3] - '0') * 10 + (unsigned)(j->str[4] - '0');
    if (hh > 23 || mm > 59)
        return -1;
    *h = (uint8_t)hh;
    *m = (uint8_t)mm;
    return 0;
}

static int read_periods(struct set_args *a, const char *path)
{
    char *text = NULL;
    size_t len = 0;
    int rc = cli_read_json_input(path, &text, &len);
    if (rc)
        return rc;
    struct json_value *root = NULL;
    char err[200];
    if (json_parse(text, len, &root, err, sizeof err) != 0) {
        free(text);
        return cli_usage_error(a->cmd, "%s: %s", path, err);
    }
    free(text);
    const struct json_value *en = json_get(root, "enabled");
    const struct json_value *list = json_get(root, "periods");
    if (root->kind != JSON_OBJECT || !list || list->kind != JSON_ARRAY)
        rc = cli_usage_error(a->cmd, "%s: expected {\"enabled\": true|false, \"periods\": [...]}", path);
    else if (en && en->kind != JSON_BOOL)
        rc = cli_usage_error(a->cmd, "%s: \"enabled\" must be true or false", path);
    else if (list->n == 0 || list->n > RSCP_IDLE_PERIODS_MAX)
        rc = cli_usage_error(a->cmd, "%s: %zu periods (allowed: 1..%u)", path, list->n, RSCP_IDLE_PERIODS_MAX);
    if (rc == 0 && en) {
        a->have_enable = true;
        a->enable = en->boolean;
    }
    for (size_t k = 0; rc == 0 && k < list->n; k++) {
        const struct json_value *p = list->items[k];
        struct rscp_idle_period *q = &a->periods[a->n_periods];
        const struct json_value *type = json_get(p, "type"), *day = json_get(p, "day");
        const struct json_value *act = json_get(p, "active");
        int d;
        if (p->kind != JSON_OBJECT)
            rc = cli_usage_error(a->cmd, "%s: period %zu is not an object", path, k);
        else if (!type || type->kind != JSON_STRING ||
                 (strcmp(type->str, "charge") != 0 && strcmp(type->str, "discharge") != 0))
            rc = cli_usage_error(a->cmd, "%s: period %zu: \"type\" must be \"charge\" or \"discharge\"", path, k);
        else if (!day || day->kind != JSON_STRING || rscp_idle_day_lookup(day->str, &d) != 0)
            rc = cli_usage_error(a->cmd, "%s: period %zu: \"day\" must be a weekday (monday..sunday)", path, k);
        else if (act && act->kind != JSON_BOOL)
            rc = cli_usage_error(a->cmd, "%s: period %zu: \"active\" must be true or false", path, k);
        else if (parse_hhmm(json_get(p, "start"), &q->start_hour, &q->start_minute) != 0)
            rc = cli_usage_error(a->cmd, "%s: period %zu: \"start\" must be \"HH:MM\" (00:00..23:59)", path, k);
        else if (parse_hhmm(json_get(p, "end"), &q->end_hour, &q->end_minute) != 0)
            rc = cli_usage_error(a->cmd, "%s: period %zu: \"end\" must be \"HH:MM\" (00:00..23:59)", path, k);
        if (rc)
            break;
        q->type = type->str[0] == 'c' ? RSCP_IDLE_CHARGE : RSCP_IDLE_DISCHARGE;
        q->day = (uint8_t)d;
        q->active = act ? act->boolean : true;
        /* 00:00-00:00 is the empty window of an unused slot: sent as
         * given, it clears the slot (rscp_idle_period_check() accepts it). */
        const char *why = NULL;
        if (rscp_idle_period_check(q, &why) != 0)
            rc = cli_usage_error(a->cmd, "%s: period %zu: %s", path, k, why ? why : "out of range");
        a->n_periods++;
    }
    json_free(root);
    return rc;
}

/* ---- the command line ------------------------------------------------------------ */

static int take_arg(struct set_args *a, int id, const char *arg)
{
    int64_t n;
    int rc = 0;
    struct rscp_power_settings_change *ch = &a->change;
    switch (id) {
    case OPT_CHARGE:
    case OPT_DISCHARGE:
    case OPT_DSTART: {
        if (a->what != SET_LIMITS)
            return cli_usage_error(a->cmd, "--charge, --discharge and --discharge-start belong to 'set limits'");
        const char *name = id == OPT_CHARGE ? "--charge" : id == OPT_DISCHARGE ? "--discharge" : "--discharge-start";
        rc = cli_parse_quantity(a->cmd, name, arg, cli_units_w, 0, RSCP_SET_POWER_MAX_W, &n);
        if (rc)
            return rc;
        ch->set |= RSCP_PS_LIMITS_USED;
        ch->limits_used = true;
        if (id == OPT_CHARGE) {
            ch->set |= RSCP_PS_MAX_CHARGE;
            ch->max_charge = (uint32_t)n;
        } else if (id == OPT_DISCHARGE) {
            ch->set |= RSCP_PS_MAX_DISCHARGE;
            ch->max_discharge = (uint32_t)n;
        } else {
            ch->set |= RSCP_PS_DISCHARGE_START;
            ch->discharge_start = (uint32_t)n;
        }
        return 0;
    }
    case OPT_OFF:
        if (a->what != SET_LIMITS)
            return cli_usage_error(a->cmd, "--off belongs to 'set limits'");
        a->have_value = true;
        return 0;
    case 0: break;
    default: return cli_usage_error(a->cmd, "unexpected option");
    }
    /* a positional value */
    if (a->what == SET_LIMITS)
        return cli_usage_error(a->cmd, "unexpected argument '%s' (use --charge, --discharge, --off)", arg);
    if (a->have_value)
        return cli_usage_error(a->cmd, "unexpected argument '%s'", arg);
    a->have_value = true;
    bool on;
    switch (a->what) {
    case SET_WEATHER:
    case SET_POWERSAVE:
        rc = cli_parse_onoff(a->cmd, "value", arg, &on);
        if (rc == 0 && a->what == SET_WEATHER) {
            ch->set = RSCP_PS_WEATHER;
            ch->weather_regulated = on;
        } else if (rc == 0) {
            ch->set = RSCP_PS_POWER_SAVE;
            ch->power_save = on;
        }
        return rc;
    case SET_RESERVE: {
        size_t len = strlen(arg);
        if (len > 1 && arg[len - 1] == '%') {
            static const struct cli_unit pct[] = {{"%", 1}, {NULL, 0}};
            rc = cli_parse_quantity(a->cmd, "reserve", arg, pct, 0, 100, &n);
            a->reserve = (double)n;
            a->reserve_wh = false;
        } else {
            static const struct cli_unit wh[] = {{"Wh", 1}, {"kWh", 1000}, {"%", 1}, {NULL, 0}};
            rc = cli_parse_quantity(a->cmd, "reserve", arg, wh, 0, RSCP_MANUAL_CHARGE_MAX_WH, &n);
            a->reserve = (double)n;
            a->reserve_wh = true;
        }
        return rc;
    }
    case SET_IDLE: return read_periods(a, arg);
    default: return CLI_EXIT_USAGE;
    }
}

/* ---- power settings ------------------------------------------------------------ */

struct ps_write {
    const struct rscp_power_settings *current;
    const struct rscp_power_settings_change *change;
    const struct rscp_sys_specs *specs;
};

static int fill_ps(void *ctx, struct rscp_builder *b)
{
    const struct ps_write *w = ctx;
    return rscp_power_settings_set_request(b, w->current, w->change, w->specs, NULL);
}

static const char *option_of(uint32_t field)
{
    switch (field) {
    case RSCP_PS_MAX_CHARGE: return "--charge";
    case RSCP_PS_MAX_DISCHARGE: return "--discharge";
    case RSCP_PS_DISCHARGE_START: return "--discharge-start";
    default: return "value";
    }
}

static void ps_json(struct cli_jw *w, const char *key, const struct rscp_power_settings *s)
{
    uint32_t p = s->present;
    cli_jw_obj(w, key);
    cli_jw_bool(w, "limits_used", p & RSCP_PS_LIMITS_USED, s->limits_used);
    cli_jw_uint(w, "max_charge", p & RSCP_PS_MAX_CHARGE, s->max_charge);
    cli_jw_uint(w, "max_discharge", p & RSCP_PS_MAX_DISCHARGE, s->max_discharge);
    cli_jw_uint(w, "discharge_start", p & RSCP_PS_DISCHARGE_START, s->discharge_start);
    cli_jw_bool(w, "weather_regulated", p & RSCP_PS_WEATHER, s->weather_regulated);
    cli_jw_bool(w, "power_save", p & RSCP_PS_POWER_SAVE, s->power_save);
    cli_jw_end_obj(w);
}

/* One setting before -> after, for people. */
static void ps_line(const char *label, bool have_b, bool have_a, long long b, long long a, bool onoff, const char *unit)
{
    char x[32], y[32];
    if (onoff) {
        snprintf(x, sizeof x, "%s", !have_b ? "n/a" : b ? "on" : "off");
        snprintf(y, sizeof y, "%s", !have_a ? "n/a" : a ? "on" : "off");
    } else {
        snprintf(x, sizeof x, have_b ? "%lld %s" : "n/a", b, unit);
        snprintf(y, sizeof y, have_a ? "%lld %s" : "n/a", a, unit);
    }
    printf("  %-24s %s -> %s%s\n", label, x, y, strcmp(x, y) ? "" : " (unchanged)");
}

static bool ps_reached(const struct rscp_power_settings *s, const struct rscp_power_settings_change *c)
{
    uint32_t p = s->present, k = c->set;
    if ((k & RSCP_PS_LIMITS_USED) && (!(p & RSCP_PS_LIMITS_USED) || s->limits_used != c->limits_used))
        return false;
    if ((k & RSCP_PS_MAX_CHARGE) && (!(p & RSCP_PS_MAX_CHARGE) || s->max_charge != c->max_charge))
        return false;
    if ((k & RSCP_PS_MAX_DISCHARGE) && (!(p & RSCP_PS_MAX_DISCHARGE) || s->max_discharge != c->max_discharge))
        return false;
    if ((k & RSCP_PS_DISCHARGE_START) && (!(p & RSCP_PS_DISCHARGE_START) || s->discharge_start != c->discharge_start))
        return false;
    if ((k & RSCP_PS_POWER_SAVE) && (!(p & RSCP_PS_POWER_SAVE) || s->power_save != c->power_save))
        return false;
    if ((k & RSCP_PS_WEATHER) && (!(p & RSCP_PS_WEATHER) || s->weather_regulated != c->weather_regulated))
        return false;
    return true;
}

/* The device's results: a refused value ends the command with exit 1. */
static int ps_results(const struct rscp_frame *reply)
{
    struct rscp_power_settings_result r;
    uint32_t derr = 0;
    int prc = rscp_power_settings_result_parse(reply, &r, &derr);
    if (prc == RSCP_ERR_DEVICE) {
        cli_error("the device refused the power settings: %s", cli_device_error_text(derr));
        return CLI_EXIT_DEVICE;
    }
    if (prc < 0)
        return cli_write_reply_failed(reply, prc, "the power settings");
    const struct {
        uint32_t bit;
        const char *name;
        int8_t code;
    } res[] = {{RSCP_PS_LIMITS_USED, "limits_used", r.limits_used},
               {RSCP_PS_MAX_CHARGE, "max_charge", r.max_charge},
               {RSCP_PS_MAX_DISCHARGE, "max_discharge", r.max_discharge},
               {RSCP_PS_DISCHARGE_START, "discharge_start", r.discharge_start},
               {RSCP_PS_POWER_SAVE, "power_save", r.power_save},
               {RSCP_PS_WEATHER, "weather_regulated", r.weather_regulated}};
    int rc = 0;
    for (size_t k = 0; k < sizeof res / sizeof res[0]; k++) {
        if (!(r.present & res[k].bit))
            continue;
        const char *name = rscp_setting_result_name(res[k].code);
        if (res[k].code < 0) {
            cli_error("the device refused %s: %s (result %d)", res[k].name, name ? name : "unknown result",
                      res[k].code);
            rc = CLI_EXIT_DEVICE;
        } else if (res[k].code > 0) {
            cli_warn("%s: %s", res[k].name, name ? name : "unknown result");
        }
    }
    return rc;
}

static int do_power_settings(rscp_client *c, struct set_args *a, struct cli_plant_view *v)
{
    if (!(v->have & CLI_PR_SETTINGS)) {
        cli_error("the device did not answer the power settings: nothing sent");
        return CLI_EXIT_DEVICE;
    }
    struct rscp_limit_violation viol;
    const struct rscp_sys_specs *specs = (v->have & CLI_PR_SPECS) ? &v->specs : NULL;
    if (rscp_power_settings_check(&a->change, specs, &viol) != 0) {
        const char *spec = viol.spec >= 0 ? rscp_sys_spec_name(viol.spec) : NULL;
        return cli_usage_error(a->cmd, "%s %lld W is out of range (allowed: %lld..%lld W%s%s%s); nothing sent",
                               option_of(viol.field), (long long)viol.value, (long long)viol.min,
                               (long long)viol.max, spec ? ", " : "", spec ? spec : "", spec ? " of the device" : "");
    }
    struct rscp_power_settings before = v->settings;
    struct ps_write w = {&before, &a->change, specs};
    struct rscp_frame reply;
    int rc = cli_request(c, fill_ps, &w, &reply);
    if (rc == 0)
        rc = ps_results(&reply);
    struct cli_plant_view *after = rc == 0 ? calloc(1, sizeof *after) : NULL;
    if (rc == 0 && !after) {
        cli_error("out of memory");
        rc = CLI_EXIT_PROTOCOL;
    }
    if (rc == 0)
        rc = cli_plant_read(c, 0, CLI_PR_SETTINGS, after);
    if (rc == 0 && !(after->have & CLI_PR_SETTINGS)) {
        cli_error("the power settings could not be read back");
        rc = CLI_EXIT_DEVICE;
    }
    if (rc == 0) {
        const struct rscp_power_settings *s = &after->settings;
        if (a->json) {
            struct cli_jw j;
            cli_jw_init(&j);
            cli_jw_obj(&j, NULL);
            cli_jw_str(&j, "setting", true, a->what == SET_LIMITS ? "limits" : a->what == SET_WEATHER ? "weather" : "powersave");
            ps_json(&j, "before", &before);
            ps_json(&j, "after", s);
            cli_jw_end_obj(&j);
            cli_jw_done(&j);
        } else {
            uint32_t bp = before.present, ap = s->present;
            if (a->what == SET_LIMITS) {
                ps_line("Power limits", bp & RSCP_PS_LIMITS_USED, ap & RSCP_PS_LIMITS_USED, before.limits_used,
                        s->limits_used, true, "");
                ps_line("Max charge", bp & RSCP_PS_MAX_CHARGE, ap & RSCP_PS_MAX_CHARGE, before.max_charge,
                        s->max_charge, false, "W");
                ps_line("Max discharge", bp & RSCP_PS_MAX_DISCHARGE, ap & RSCP_PS_MAX_DISCHARGE, before.max_discharge,
                        s->max_discharge, false, "W");
                ps_line("Discharge start", bp & RSCP_PS_DISCHARGE_START, ap & RSCP_PS_DISCHARGE_START,
                        before.discharge_start, s->discharge_start, false, "W");
            } else if (a->what == SET_WEATHER) {
                ps_line("Weather-regulated charge", bp & RSCP_PS_WEATHER, ap & RSCP_PS_WEATHER,
                        before.weather_regulated, s->weather_regulated, true, "");
            } else {
                ps_line("Power save", bp & RSCP_PS_POWER_SAVE, ap & RSCP_PS_POWER_SAVE, before.power_save,
                        s->power_save, true, "");
            }
        }
        if (!ps_reached(s, &a->change)) {
            cli_error("the device answered success but the settings read back did not change (ignored by the device)");
            rc = CLI_EXIT_IGNORED;
        }
    }
    free(after);
    return rc;
}

/* ---- reserve ---------------------------------------------------------------------- */

struct ep_write {
    double value;
    bool as_wh;
    double max_wh;
};

static int fill_ep(void *ctx, struct rscp_builder *b)
{
    const struct ep_write *w = ctx;
    return rscp_ep_reserve_set_request(b, w->value, w->as_wh, w->max_wh);
}

static void ep_json(struct cli_jw *w, const char *key, const struct rscp_ep_reserve *r)
{
    cli_jw_obj(w, key);
    cli_jw_num(w, "percent", r->present & RSCP_EP_PERCENT, r->percent);
    cli_jw_num(w, "energy_wh", r->present & RSCP_EP_ENERGY, r->energy_wh);
    cli_jw_num(w, "max_wh", r->present & RSCP_EP_MAX, r->max_wh);
    cli_jw_end_obj(w);
}

static void ep_text(const struct rscp_ep_reserve *r, char *buf, size_t cap)
{
    char p[32] = "n/a", e[32] = "n/a";
    if (r->present & RSCP_EP_PERCENT)
        snprintf(p, sizeof p, "%.1f %%", r->percent);
    if (r->present & RSCP_EP_ENERGY)
        snprintf(e, sizeof e, "%.0f Wh", r->energy_wh);
    snprintf(buf, cap, "%s / %s", p, e);
}

static int do_reserve(rscp_client *c, struct set_args *a, struct cli_plant_view *v)
{
    if (!(v->have & CLI_PR_RESERVE)) {
        cli_error("the device did not answer the emergency reserve (SE.REQ_EP_RESERVE): nothing sent");
        return CLI_EXIT_DEVICE;
    }
    const struct rscp_ep_reserve before = v->reserve;
    double max = (before.present & RSCP_EP_MAX) ? before.max_wh : 0;
    if (a->reserve_wh && max > 0 && a->reserve > max)
        return cli_usage_error(a->cmd, "reserve %.0f Wh is out of range (allowed: 0..%.0f Wh, the device's maximum); nothing sent",
                               a->reserve, max);
    struct ep_write w = {a->reserve, a->reserve_wh, max};
    struct rscp_frame reply;
    int rc = cli_request(c, fill_ep, &w, &reply);
    uint32_t derr = 0;
    int prc = rc ? 0 : rscp_ep_reserve_set_parse(&reply, &derr);
    if (rc == 0 && prc == RSCP_ERR_DEVICE) {
        cli_error("the device refused the reserve: %s", cli_device_error_text(derr));
        rc = CLI_EXIT_DEVICE;
    } else if (rc == 0 && prc < 0) {
        rc = cli_write_reply_failed(&reply, prc, "the reserve");
    }
    struct cli_plant_view *after = rc == 0 ? calloc(1, sizeof *after) : NULL;
    if (rc == 0 && !after)
        rc = CLI_EXIT_PROTOCOL;
    if (rc == 0)
        rc = cli_plant_read(c, 0, CLI_PR_RESERVE, after);
    if (rc == 0 && !(after->have & CLI_PR_RESERVE)) {
        cli_error("the reserve could not be read back");
        rc = CLI_EXIT_DEVICE;
    }
    if (rc == 0) {
        const struct rscp_ep_reserve *r = &after->reserve;
        if (a->json) {
            struct cli_jw j;
            cli_jw_init(&j);
            cli_jw_obj(&j, NULL);
            cli_jw_str(&j, "setting", true, "reserve");
            ep_json(&j, "before", &before);
            ep_json(&j, "after", r);
            cli_jw_end_obj(&j);
            cli_jw_done(&j);
        } else {
            char x[64], y[64];
            ep_text(&before, x, sizeof x);
            ep_text(r, y, sizeof y);
            printf("  %-24s %s -> %s\n", "Emergency reserve", x, y);
        }
        bool ok = a->reserve_wh ? (r->present & RSCP_EP_ENERGY) && fabs(r->energy_wh - a->reserve) < 1.0
                                : (r->present & RSCP_EP_PERCENT) && fabs(r->percent - a->reserve) < 0.5;
        if (!ok) {
            cli_error("the device answered success but the reserve read back did not change (ignored by the device)");
            rc = CLI_EXIT_IGNORED;
        }
    }
    free(after);
    return rc;
}

/* ---- idle periods -------------------------------------------------------------------- */

static int fill_idle(void *ctx, struct rscp_builder *b)
{
    const struct set_args *a = ctx;
    int rc = rscp_idle_periods_set_request(b, a->periods, a->n_periods, NULL);
    if (rc == 0 && a->have_enable)
        rc = rscp_idle_periods_enable_request(b, a->enable);
    return rc;
}

/* Whether every period sent reads back (matched by weekday and type: the
 * device keeps one slot of each). */
static bool idle_equal(const struct rscp_idle_periods *got, const struct set_args *a)
{
    if (a->have_enable && (!got->enabled_present || got->enabled != a->enable))
        return false;
    for (size_t k = 0; k < a->n_periods; k++) {
        const struct rscp_idle_period *y = &a->periods[k];
        bool found = false;
        for (size_t i = 0; i < got->count && !found; i++) {
            const struct rscp_idle_period *x = &got->period[i];
            found = x->type == y->type && x->day == y->day && x->active == y->active &&
                    x->start_hour == y->start_hour && x->start_minute == y->start_minute &&
                    x->end_hour == y->end_hour && x->end_minute == y->end_minute;
        }
        if (!found)
            return false;
    }
    return true;
}

static int do_idle(rscp_client *c, struct set_args *a, struct cli_plant_view *v)
{
    struct rscp_frame reply;
    int rc = cli_request(c, fill_idle, a, &reply);
    uint32_t derr = 0;
    int64_t result = 0;
    int prc = rc ? 0 : rscp_idle_periods_set_parse(&reply, &result, &derr);
    if (rc == 0 && prc == RSCP_ERR_DEVICE) {
        cli_error("the device refused the idle periods: %s", cli_device_error_text(derr));
        rc = CLI_EXIT_DEVICE;
    } else if (rc == 0 && prc < 0) {
        rc = cli_write_reply_failed(&reply, prc, "the idle periods");
    }
    struct cli_plant_view *after = rc == 0 ? calloc(1, sizeof *after) : NULL;
    if (rc == 0 && !after)
        rc = CLI_EXIT_PROTOCOL;
    if (rc == 0)
        rc = cli_plant_read(c, 0, CLI_PR_IDLE, after);
    if (rc == 0) {
        if (a->json) {
            struct cli_jw j;
            cli_jw_init(&j);
            cli_jw_obj(&j, NULL);
            cli_jw_str(&j, "setting", true, "idle-periods");
            cli_jw_int(&j, "result", true, result);
            cli_jw_obj(&j, "before");
            cli_print_idle(&j, v, true);
            cli_jw_end_obj(&j);
            cli_jw_obj(&j, "after");
            cli_print_idle(&j, after, true);
            cli_jw_end_obj(&j);
            cli_jw_end_obj(&j);
            cli_jw_done(&j);
        } else {
            printf("Before:\n");
            cli_print_idle(NULL, v, false);
            printf("After:\n");
            cli_print_idle(NULL, after, false);
        }
        if (!(after->have & CLI_PR_IDLE)) {
            cli_error("the idle periods could not be read back");
            rc = CLI_EXIT_DEVICE;
        } else if (!idle_equal(&after->idle, a)) {
            cli_error("the idle periods read back differ from those sent (ignored by the device; result %lld)",
                      (long long)result);
            rc = CLI_EXIT_IGNORED;
        }
    }
    free(after);
    return rc;
}

/* ---- the command ---------------------------------------------------------------------- */

int cli_cmd_set(int argc, char **argv)
{
    static const struct {
        const char *name;
        enum what what;
    } subs[] = {{"limits", SET_LIMITS},     {"weather", SET_WEATHER},   {"powersave", SET_POWERSAVE},
                {"reserve", SET_RESERVE},   {"idle-periods", SET_IDLE}};
    for (int k = 1; k < argc; k++)
        if (strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0) {
            help();
            return CLI_EXIT_OK;
        }
    int k = cli_plant_first_positional(argc, argv);
    if (k < 0)
        return cli_usage_error("set", "what to set? limits, weather, powersave, reserve or idle-periods");
    struct set_args *a = calloc(1, sizeof *a);
    if (!a) {
        cli_error("out of memory");
        return CLI_EXIT_PROTOCOL;
    }
    size_t s = 0;
    while (s < sizeof subs / sizeof subs[0] && strcmp(subs[s].name, argv[k]) != 0)
        s++;
    if (s == sizeof subs / sizeof subs[0]) {
        free(a);
        return cli_usage_error("set", "unknown setting '%s' (limits, weather, powersave, reserve, idle-periods)",
                               argv[k]);
    }
    a->what = subs[s].what;
    char cmd[32];
    snprintf(cmd, sizeof cmd, "set %s", subs[s].name);
    a->cmd = cmd;
    memmove(argv + k, argv + k + 1, sizeof *argv * (size_t)(argc - k));
    argc--;

    struct cli_opts o;
    cli_opts_init(&o, cmd, argc, argv);
    struct cli_conn conn = {0};
    int id, rc = 0;
    while (rc == 0 && (id = cli_opts_next(&o, set_opts)) != -1) {
        switch (id) {
        case CLI_OPT_BAD: rc = CLI_EXIT_USAGE; break;
        case OPT_JSON: a->json = true; break;
        case OPT_HOST: case OPT_PORT: case OPT_USER: case OPT_PASSWORD: case OPT_KEY: case OPT_TIMEOUT:
        case OPT_CONFIG: rc = cli_conn_option(&conn, cmd, id, o.arg); break;
        default: rc = take_arg(a, id, o.arg); break;
        }
    }
    if (rc == 0 && a->what == SET_LIMITS) {
        if (a->have_value && a->change.set)
            rc = cli_usage_error(cmd, "--off excludes --charge, --discharge and --discharge-start");
        else if (a->have_value) {
            a->change.set = RSCP_PS_LIMITS_USED;
            a->change.limits_used = false;
        } else if (!a->change.set)
            rc = cli_usage_error(cmd, "give --charge, --discharge, --discharge-start or --off");
    } else if (rc == 0 && !a->have_value) {
        rc = cli_usage_error(cmd, a->what == SET_RESERVE ? "give the reserve as PERCENT%% or ENERGYWh"
                                  : a->what == SET_IDLE  ? "give the file of periods (or - for stdin)"
                                                         : "give on or off");
    }
    rscp_client *c = NULL;
    struct cli_plant_view *v = NULL;
    unsigned extra = a->what == SET_RESERVE ? CLI_PR_RESERVE : a->what == SET_IDLE ? CLI_PR_IDLE
                                                                                   : CLI_PR_SETTINGS | CLI_PR_SPECS;
    if (rc == 0)
        rc = cli_plant_connect_read(&conn, cmd, 0, extra, &c, &v);
    if (rc == 0)
        rc = a->what == SET_RESERVE ? do_reserve(c, a, v) : a->what == SET_IDLE ? do_idle(c, a, v)
                                                                                : do_power_settings(c, a, v);
    free(v);
    free(a);
    rscp_client_free(c);
    cli_conn_free(&conn);
    return rc;
}
