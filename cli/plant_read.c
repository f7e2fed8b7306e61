/* Reading the plant: discovery in one frame, then everything found (and the
 * settings asked for) in one more. */
#include "plant_cli.h"

#include "rscp/error.h"
#include "rscp/tags.h"

#include <stdlib.h>
#include <string.h>

static int fill_discovery(void *ctx, struct rscp_builder *b)
{
    (void)ctx;
    return rscp_plant_request(b);
}

struct units_ctx {
    const struct cli_plant_view *v;
    unsigned units, extra;
};

static int fill_units(void *ctx, struct rscp_builder *b)
{
    const struct units_ctx *u = ctx;
    int rc = 0;
    if (u->units)
        rc = rscp_plant_units_request(b, &u->v->plant, u->units);
    if (rc == 0 && (u->extra & CLI_PR_LIVE))
        rc = cli_live_request(b);
    if (rc == 0 && (u->extra & CLI_PR_SETTINGS))
        rc = rscp_power_settings_request(b);
    if (rc == 0 && (u->extra & CLI_PR_SPECS))
        rc = rscp_sys_specs_request(b);
    if (rc == 0 && (u->extra & CLI_PR_RESERVE))
        rc = rscp_ep_reserve_request(b);
    if (rc == 0 && (u->extra & CLI_PR_IDLE))
        rc = rscp_idle_periods_request(b);
    if (rc == 0 && (u->extra & CLI_PR_MANUAL))
        rc = rscp_manual_charge_request(b);
    return rc;
}

/* A parse result: 0 answered; device refusal or missing: not answered;
 * anything else: a malformed reply. */
static int take(int prc, unsigned bit, unsigned *have, const char *what)
{
    if (prc == 0) {
        *have |= bit;
        return 0;
    }
    if (prc == RSCP_ERR_DEVICE || prc == RSCP_ERR_NOT_FOUND)
        return 0;
    cli_error("malformed reply (%s): %s", what, rscp_strerror(prc));
    return CLI_EXIT_PROTOCOL;
}

static int parse_units(const struct rscp_frame *f, unsigned units, struct cli_plant_view *v)
{
    const struct rscp_plant *p = &v->plant;
    int prc = 0;
    for (unsigned i = 0; i < RSCP_BAT_MAX_STRINGS && prc >= 0; i++) {
        if (!(p->batteries & (1u << i)) || !(units & RSCP_PLANT_REQ_BATTERIES))
            continue;
        prc = rscp_battery_parse(f, i, &v->bat[i]);
        if (prc == RSCP_ERR_NOT_FOUND)
            prc = 0;
        unsigned n = p->dcb_count[i] < RSCP_DCB_MAX ? p->dcb_count[i] : RSCP_DCB_MAX;
        for (unsigned k = 0; k < n && prc >= 0 && (units & RSCP_PLANT_REQ_DCBS); k++) {
            prc = rscp_dcb_parse(f, i, k, &v->dcb[i][k]);
            if (prc == 0)
                v->n_dcb[i] = k + 1;
            else if (prc == RSCP_ERR_NOT_FOUND)
                prc = 0;
        }
    }
    for (unsigned i = 0; i < RSCP_PVI_MAX_INVERTERS && prc >= 0 && (units & RSCP_PLANT_REQ_PVI); i++)
        if (p->inverters & (1u << i)) {
            prc = rscp_pvi_parse(f, i, &v->pvi[i]);
            if (prc == RSCP_ERR_NOT_FOUND)
                prc = 0;
        }
    for (unsigned i = 0; i < RSCP_PM_MAX_METERS && prc >= 0 && (units & RSCP_PLANT_REQ_METERS); i++)
        if (p->meters & (1u << i)) {
            prc = rscp_pm_parse(f, i, &v->pm[i]);
            if (prc == RSCP_ERR_NOT_FOUND)
                prc = 0;
        }
    for (unsigned i = 0; i < RSCP_WB_MAX_WALLBOXES && prc >= 0 && (units & RSCP_PLANT_REQ_WALLBOXES); i++)
        if (p->wallboxes & (1u << i)) {
            prc = rscp_wallbox_parse(f, i, &v->wb[i]);
            if (prc == RSCP_ERR_NOT_FOUND)
                prc = 0;
        }
    if (prc < 0) {
        cli_error("malformed reply (units): %s", rscp_strerror(prc));
        return CLI_EXIT_PROTOCOL;
    }
    return 0;
}

int cli_plant_read(rscp_client *c, unsigned units, unsigned extra, struct cli_plant_view *v)
{
    struct rscp_frame reply;
    int rc = 0;
    if (units) {
        rc = cli_request(c, fill_discovery, NULL, &reply);
        if (rc)
            return rc;
        v->round_trips++;
        int prc = rscp_plant_parse(&reply, &v->plant);
        if (prc < 0) {
            cli_error("malformed discovery reply: %s", rscp_strerror(prc));
            return CLI_EXIT_PROTOCOL;
        }
        const struct rscp_plant *p = &v->plant;
        if (!p->n_batteries && !p->n_inverters && !p->n_meters && !p->n_wallboxes)
            units = 0; /* nothing to ask for */
    } else {
        memset(&v->plant, 0, sizeof v->plant);
        v->plant.root_meter = -1;
    }
    if (!units && !extra)
        return 0;
    struct units_ctx u = {v, units, extra};
    rc = cli_request(c, fill_units, &u, &reply);
    if (rc)
        return rc;
    v->round_trips++;
    if (units && (rc = parse_units(&reply, units, v)) != 0)
        return rc;
    if (extra & CLI_PR_LIVE) {
        if ((rc = cli_live_parse(&reply, &v->live)) != 0)
            return rc;
        v->have |= CLI_PR_LIVE;
    }
    if (!rc && (extra & CLI_PR_SETTINGS))
        rc = take(rscp_power_settings_parse(&reply, &v->settings, NULL), CLI_PR_SETTINGS, &v->have, "settings");
    if (!rc && (extra & CLI_PR_SPECS))
        rc = take(rscp_sys_specs_parse(&reply, &v->specs, NULL), CLI_PR_SPECS, &v->have, "system specs");
    if (!rc && (extra & CLI_PR_RESERVE))
        rc = take(rscp_ep_reserve_parse(&reply, &v->reserve, NULL), CLI_PR_RESERVE, &v->have, "reserve");
    if (!rc && (extra & CLI_PR_IDLE)) {
        rc = take(rscp_idle_periods_parse(&reply, &v->idle, NULL), CLI_PR_IDLE, &v->have, "idle periods");
        if (!rc && !v->idle.periods_present && !v->idle.enabled_present)
            v->have &= ~CLI_PR_IDLE;
    }
    if (!rc && (extra & CLI_PR_MANUAL))
        rc = take(rscp_manual_charge_parse(&reply, &v->manual, NULL), CLI_PR_MANUAL, &v->have, "manual charge");
    /* A subsystem asked for and not answered: the device's reasons (its
     * ERROR blocks, e.g. a busy device's GENERAL_ERROR AGAIN) on stderr. */
    if (!rc && (extra & ~v->have & ~CLI_PR_LIVE) && rscp_count_device_errors(reply.data, reply.data_len) > 0)
        cli_report_device_errors(&reply);
    return rc;
}

int cli_plant_connect_read(struct cli_conn *conn, const char *cmd, unsigned units, unsigned extra,
                           rscp_client **c, struct cli_plant_view **out)
{
    *out = NULL;
    struct cli_plant_view *v = calloc(1, sizeof *v);
    if (!v) {
        cli_error("out of memory");
        return CLI_EXIT_PROTOCOL;
    }
    int rc = cli_conn_resolve(conn, cmd);
    if (rc == 0)
        rc = cli_connect(conn, c);
    if (rc == 0)
        rc = cli_plant_read(*c, units, extra, v);
    if (rc) {
        free(v);
        return rc;
    }
    *out = v;
    return 0;
}

static const struct cli_optdef read_opts[] = {CLI_OPT_HELP, CLI_OPT_JSON, CLI_OPTS_CONN, CLI_OPT_END};

int cli_plant_opts(const char *cmd, int argc, char **argv, void (*help)(void), struct cli_conn *conn, bool *json)
{
    struct cli_opts o;
    cli_opts_init(&o, cmd, argc, argv);
    int id, rc = 0;
    while (rc == 0 && (id = cli_opts_next(&o, read_opts)) != -1) {
        switch (id) {
        case CLI_OPT_BAD: rc = CLI_EXIT_USAGE; break;
        case OPT_HELP: help(); return -1;
        case OPT_JSON: *json = true; break;
        case 0: rc = cli_usage_error(cmd, "unexpected argument '%s'", o.arg); break;
        default: rc = cli_conn_option(conn, cmd, id, o.arg); break;
        }
    }
    return rc;
}

int cli_plant_show(const char *cmd, int argc, char **argv, void (*help)(void), unsigned units, unsigned extra,
                   void (*print)(struct cli_jw *w, const struct cli_plant_view *v, bool json))
{
    struct cli_conn conn = {0};
    bool json = false;
    int rc = cli_plant_opts(cmd, argc, argv, help, &conn, &json);
    if (rc < 0) {
        cli_conn_free(&conn);
        return CLI_EXIT_OK;
    }
    rscp_client *c = NULL;
    struct cli_plant_view *v = NULL;
    if (rc == 0)
        rc = cli_plant_connect_read(&conn, cmd, units, extra, &c, &v);
    if (rc == 0) {
        struct cli_jw w;
        cli_jw_init(&w);
        if (json)
            cli_jw_obj(&w, NULL);
        print(&w, v, json);
        if (json) {
            cli_jw_end_obj(&w);
            cli_jw_done(&w);
        }
        if (extra && !(v->have & extra) && !units) {
            cli_error("the device answered none of the values asked for (see above)");
            rc = CLI_EXIT_DEVICE;
        }
    }
    free(v);
    rscp_client_free(c);
    cli_conn_free(&conn);
    return rc;
}

int cli_plant_first_positional(int argc, char **argv)
{
    static const char *const with_value[] = {"--host", "--port", "--user", "--password", "--key", "--timeout",
                                             "--config", "-H", "-p", "-u", "-t"};
    for (int k = 1; k < argc; k++) {
        const char *a = argv[k];
        if (strcmp(a, "--") == 0)
            return k + 1 < argc ? k + 1 : -1;
        if (a[0] != '-' || a[1] == '\0')
            return k;
        for (size_t i = 0; i < sizeof with_value / sizeof with_value[0]; i++)
            if (strcmp(a, with_value[i]) == 0) {
                k++;
                break;
            }
    }
    return -1;
}

const char *cli_device_error_text(uint32_t code)
{
    static char buf[96];
    const char *name = rscp_device_error_name(code);
    snprintf(buf, sizeof buf, "%s (0x%08x)", name ? name : "unknown error", (unsigned)code);
    return buf;
}
