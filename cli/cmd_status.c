/* rscp status: the whole plant in two request frames. */
#include "plant_cli.h"

static void help(void)
{
    fputs("Usage: rscp status [OPTIONS]\n"
          "\n"
          "The whole plant at once: the live summary, the batteries with their\n"
          "modules (the table without cells, the JSON with them), the PV trackers,\n"
          "the power meters, the wallboxes, the power settings, the emergency\n"
          "reserve and the idle-period switch. Two request frames: discovery, then\n"
          "one for everything found.\n"
          "\n"
          "Options:\n"
          "  -j, --json   {\"live\": the object of 'rscp live --json' without time fields\n"
          "               but \"time\", \"batteries\" (each with \"dcbs\",\n"
          "               each with \"cells\"), \"inverters\",\n"
          "               \"trackers\", \"meters\", \"wallboxes\" (as in 'rscp battery',\n"
          "               'pv', 'meters', 'wallbox'), \"settings\" (as in 'rscp\n"
          "               settings'), \"idle_periods_enabled\", \"round_trips\"}\n"
          "  plus the connection options of 'rscp --help'.\n"
          "\n"
          "Exit status: 0 ok; 2 usage; 3 connection; 4 authentication; 5 timeout;\n"
          "6 protocol.\n",
          stdout);
}

static void live_json(struct cli_jw *w, const struct cli_plant_view *v)
{
    const struct rscp_live *l = &v->live.live;
    char t[64];
    cli_format_time(l->time.seconds, l->time.nanoseconds, t, sizeof t);
    cli_jw_obj(w, "live");
    cli_jw_str(w, "time", true, t);
    cli_jw_int(w, "pv", l->present & RSCP_LIVE_PV, l->pv);
    cli_jw_int(w, "battery", l->present & RSCP_LIVE_BAT, l->bat);
    cli_jw_int(w, "grid", l->present & RSCP_LIVE_GRID, l->grid);
    cli_jw_int(w, "house", l->present & RSCP_LIVE_HOME, l->home);
    cli_jw_int(w, "wallbox_all", l->present & RSCP_LIVE_WB_ALL, l->wb_all);
    cli_jw_int(w, "wallbox_solar", l->present & RSCP_LIVE_WB_SOLAR, l->wb_solar);
    cli_jw_int(w, "additional", l->present & RSCP_LIVE_ADD, l->add);
    cli_jw_num(w, "soc", l->present & RSCP_LIVE_SOC, l->soc);
    cli_jw_num(w, "autarky", l->present & RSCP_LIVE_AUTARKY, l->autarky);
    cli_jw_num(w, "self_consumption", l->present & RSCP_LIVE_SELF_CONSUMPTION, l->self_consumption);
    cli_jw_uint(w, "status", l->present & RSCP_LIVE_STATUS, l->status);
    if (l->present & RSCP_LIVE_STATUS) {
        const char *ids[32];
        uint64_t rest;
        size_t n = cli_status_ids(l->status, ids, sizeof ids / sizeof ids[0], &rest);
        cli_jw_arr(w, "status_names");
        for (size_t i = 0; i < n; i++)
            cli_jw_str(w, NULL, true, ids[i]);
        if (rest) {
            char hex[24];
            snprintf(hex, sizeof hex, "0x%llx", (unsigned long long)rest);
            cli_jw_str(w, NULL, true, hex);
        }
        cli_jw_end_arr(w);
    } else {
        cli_jw_str(w, "status_names", false, NULL);
    }
    cli_jw_uint(w, "device_errors", true, l->device_errors);
    cli_jw_end_obj(w);
}

static void print(struct cli_jw *w, const struct cli_plant_view *cv, bool json)
{
    const struct cli_plant_view *v = cv;
    bool idle = (v->have & CLI_PR_IDLE) && v->idle.enabled_present;
    if (json) {
        live_json(w, v);
        cli_print_batteries(w, v, true, true);
        cli_print_trackers(w, v, true);
        cli_print_meters(w, v, true);
        cli_print_wallboxes(w, v, true);
        cli_jw_obj(w, "settings");
        cli_print_settings(w, v, true);
        cli_jw_end_obj(w);
        cli_jw_bool(w, "idle_periods_enabled", idle, v->idle.enabled);
        cli_jw_uint(w, "round_trips", true, v->round_trips);
        return;
    }
    printf("Plant: %u battery string%s, %u PV inverter%s, %u meter%s (root %d), %u wallbox%s\n\n",
           v->plant.n_batteries, v->plant.n_batteries == 1 ? "" : "s", v->plant.n_inverters,
           v->plant.n_inverters == 1 ? "" : "s", v->plant.n_meters, v->plant.n_meters == 1 ? "" : "s",
           (int)v->plant.root_meter, v->plant.n_wallboxes, v->plant.n_wallboxes == 1 ? "" : "es");
    cli_live_print(&v->live, false);
    printf("\n");
    cli_print_batteries(w, v, false, false);
    printf("\n");
    cli_print_trackers(w, v, false);
    printf("\nPower meters\n");
    cli_print_meters(w, v, false);
    printf("\n");
    cli_print_wallboxes(w, v, false);
    printf("\nSettings\n");
    cli_print_settings(w, v, false);
    printf("  %-24s %s\n", "Idle periods", !idle ? "n/a" : v->idle.enabled ? "enabled" : "disabled");
}

int cli_cmd_status(int argc, char **argv)
{
    return cli_plant_show("status", argc, argv, help, RSCP_PLANT_REQ_ALL,
                          CLI_PR_LIVE | CLI_PR_SETTINGS | CLI_PR_RESERVE | CLI_PR_IDLE, print);
}
