/* rscp charge: a manual charge, with the check the device's own answer
 * cannot give: whether it started (from the state read before and after). */
#include "plant_cli.h"

#include "rscp/error.h"

#include <stdlib.h>

static void help(void)
{
    fputs("Usage: rscp charge WH [OPTIONS]\n"
          "\n"
          "Start a manual charge of WH (also kWh; at most the installed battery\n"
          "capacity of the system specs) from the grid. The device answers such a\n"
          "start with success even when it ignores it (it allows about one a day),\n"
          "so the manual charge state is read before and after the start and the\n"
          "result is \"started\" or \"ignored by the device\". A start the device\n"
          "took can be over by the time the state is read (\"started, already\n"
          "over\": a full battery, or a small energy); it still counts as the\n"
          "day's start.\n"
          "\n"
          "Options:\n"
          "  -j, --json   {\"requested_wh\", \"accepted\", \"started\": true|false|null,\n"
          "               \"before\": {\"active\", \"energy_wh\", \"start_counter\"},\n"
          "               \"after\": {...}}\n"
          "  plus the connection options of 'rscp --help'.\n"
          "\n"
          "Exit status: 0 started; 1 the device refused the start; 2 usage or a value\n"
          "out of range (nothing sent); 3 connection; 4 authentication; 5 timeout;\n"
          "6 protocol; 7 ignored by the device (or its state does not tell).\n",
          stdout);
}

static int fill_start(void *ctx, struct rscp_builder *b)
{
    return rscp_manual_charge_start_request(b, *(const uint32_t *)ctx);
}

static void mc_json(struct cli_jw *w, const char *key, const struct cli_plant_view *v)
{
    const struct rscp_manual_charge *m = &v->manual;
    uint32_t p = (v->have & CLI_PR_MANUAL) ? m->present : 0;
    cli_jw_obj(w, key);
    cli_jw_bool(w, "active", p & RSCP_MC_ACTIVE, m->active);
    cli_jw_num(w, "energy_wh", p & RSCP_MC_ENERGY, m->energy_wh);
    cli_jw_int(w, "start_counter", p & RSCP_MC_START_COUNTER, m->start_counter);
    cli_jw_end_obj(w);
}

static void mc_text(const struct cli_plant_view *v, char *buf, size_t cap)
{
    const struct rscp_manual_charge *m = &v->manual;
    uint32_t p = (v->have & CLI_PR_MANUAL) ? m->present : 0;
    if (!(p & RSCP_MC_ACTIVE)) {
        snprintf(buf, cap, "state n/a");
        return;
    }
    snprintf(buf, cap, "%s, %.0f Wh charged", m->active ? "active" : "not active",
             (p & RSCP_MC_ENERGY) ? m->energy_wh : 0.0);
}

int cli_cmd_charge(int argc, char **argv)
{
    struct cli_opts o;
    cli_opts_init(&o, "charge", argc, argv);
    static const struct cli_optdef opts[] = {CLI_OPT_HELP, CLI_OPT_JSON, CLI_OPTS_CONN, CLI_OPT_END};
    struct cli_conn conn = {0};
    bool json = false, have = false;
    int64_t wh = 0;
    int id, rc = 0;
    while (rc == 0 && (id = cli_opts_next(&o, opts)) != -1) {
        switch (id) {
        case CLI_OPT_BAD: rc = CLI_EXIT_USAGE; break;
        case OPT_HELP: help(); cli_conn_free(&conn); return CLI_EXIT_OK;
        case OPT_JSON: json = true; break;
        case 0:
            if (have)
                rc = cli_usage_error("charge", "unexpected argument '%s'", o.arg);
            else
                rc = cli_parse_quantity("charge", "energy", o.arg, cli_units_wh, 1, RSCP_MANUAL_CHARGE_MAX_WH, &wh);
            have = true;
            break;
        default: rc = cli_conn_option(&conn, "charge", id, o.arg); break;
        }
    }
    if (rc == 0 && !have)
        rc = cli_usage_error("charge", "give the energy to charge, e.g. 'rscp charge 2000Wh'");
    rscp_client *c = NULL;
    struct cli_plant_view *before = NULL, *after = calloc(1, sizeof *after);
    if (rc == 0 && !after)
        rc = CLI_EXIT_PROTOCOL;
    if (rc == 0)
        rc = cli_plant_connect_read(&conn, "charge", 0, CLI_PR_MANUAL | CLI_PR_SPECS, &c, &before);
    int64_t cap;
    if (rc == 0 && (before->have & CLI_PR_SPECS) &&
        rscp_sys_spec_get(&before->specs, RSCP_SPEC_INSTALLED_BATTERY_CAPACITY, &cap) == 0 && cap > 0 && wh > cap)
        rc = cli_usage_error("charge", "energy %lld Wh is out of range (allowed: 1..%lld Wh, installedBatteryCapacity of the device); nothing sent",
                             (long long)wh, (long long)cap);
    uint32_t w32 = (uint32_t)wh;
    struct rscp_frame reply;
    bool accepted = false;
    if (rc == 0)
        rc = cli_request(c, fill_start, &w32, &reply);
    if (rc == 0) {
        uint32_t derr = 0;
        int prc = rscp_manual_charge_start_parse(&reply, &accepted, &derr);
        if (prc == RSCP_ERR_DEVICE) {
            cli_error("the device refused the manual charge: %s", cli_device_error_text(derr));
            rc = CLI_EXIT_DEVICE;
        } else if (prc < 0) {
            rc = cli_write_reply_failed(&reply, prc, "the manual charge");
        } else if (!accepted) {
            cli_error("the device refused the manual charge (EMS.START_MANUAL_CHARGE false)");
            rc = CLI_EXIT_DEVICE;
        }
    }
    if (rc == 0)
        rc = cli_plant_read(c, 0, CLI_PR_MANUAL, after);
    if (rc == 0) {
        bool started = false;
        int src = (before->have & after->have & CLI_PR_MANUAL)
                      ? rscp_manual_charge_started(&before->manual, &after->manual, &started)
                      : RSCP_ERR_NOT_FOUND;
        if (json) {
            struct cli_jw w;
            cli_jw_init(&w);
            cli_jw_obj(&w, NULL);
            cli_jw_int(&w, "requested_wh", true, wh);
            cli_jw_bool(&w, "accepted", true, accepted);
            cli_jw_bool(&w, "started", src == 0, started);
            mc_json(&w, "before", before);
            mc_json(&w, "after", after);
            cli_jw_end_obj(&w);
            cli_jw_done(&w);
        } else {
            char x[64], y[64];
            mc_text(before, x, sizeof x);
            mc_text(after, y, sizeof y);
            bool over = started && (after->manual.present & RSCP_MC_ACTIVE) && !after->manual.active;
            printf("Manual charge of %lld Wh: %s (%s -> %s)\n", (long long)wh,
                   src != 0  ? "accepted, not known whether started"
                   : over    ? "started, already over"
                   : started ? "started"
                             : "ignored by the device",
                   x, y);
        }
        if (src != 0) {
            cli_error("the device does not report the manual charge state: whether it started is unknown");
            rc = CLI_EXIT_IGNORED;
        } else if (!started) {
            cli_error("the manual charge was ignored by the device (rate limit: about one start a day)");
            rc = CLI_EXIT_IGNORED;
        }
    }
    free(before);
    free(after);
    rscp_client_free(c);
    cli_conn_free(&conn);
    return rc;
}
