/* rscp power: hold a SET_POWER mode in the foreground (the library's power
 * hold on the monotonic clock) until --for is over or Ctrl-C, then return
 * the device to auto exactly once. Each request frame also reads the live
 * summary, so the effect shows while the mode is held. */
#include "plant_cli.h"

#include "rscp/error.h"
#include "rscp/power_hold.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void help(void)
{
    fputs("Usage: rscp power auto|idle|charge W|discharge W|grid-charge W\n"
          "                  [--for DURATION] [--interval MS] [OPTIONS]\n"
          "\n"
          "Override the energy management with EMS.REQ_SET_POWER and keep the mode\n"
          "in force in the foreground: the request is resent before the device\n"
          "falls back (every --interval minus a random jitter), each reply's\n"
          "mirrored value is checked, and one line per request shows the battery\n"
          "and grid power read in the same frame. At the end of DURATION or on\n"
          "Ctrl-C the device is returned to auto by exactly one request. 'auto'\n"
          "alone sends that one request. W (also kW) is checked against the\n"
          "system specs (maxChargePower, maxDischargePower) before anything is sent.\n"
          "  idle         the battery neither charges nor discharges\n"
          "  charge W     charge with W (from PV surplus)\n"
          "  discharge W  discharge with W\n"
          "  grid-charge W  charge with W, from the grid too\n"
          "\n"
          "Options:\n"
          "      --for DURATION  hold this long (90, 90s, 5m, 1h30m; default: until\n"
          "                      Ctrl-C)\n"
          "      --interval MS   longest resend period, 1000..10000 (default 7000)\n"
          "  -j, --json   one object per request: {\"time\", \"mode\", \"watts\", \"mirrored\",\n"
          "               \"battery\", \"grid\", \"soc\", \"closing\"}\n"
          "  plus the connection options of 'rscp --help'.\n"
          "\n"
          "Exit status: 0 ok; 1 the device refused the request; 2 usage or a value\n"
          "out of range (nothing sent); 3 connection; 4 authentication; 5 timeout;\n"
          "6 protocol; 130 stopped by Ctrl-C after auto was sent (143: SIGTERM).\n",
          stdout);
}

enum { OPT_FOR = 100, OPT_INTERVAL };

static const struct cli_optdef power_opts[] = {
    CLI_OPT_HELP, CLI_OPT_JSON, CLI_OPTS_CONN, {"for", 0, true, OPT_FOR}, {"interval", 0, true, OPT_INTERVAL},
    CLI_OPT_END,
};

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
    stop_signal = sig;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct hold_ctx {
    rscp_power_hold *h;
    int64_t now;
    int written;
};

static int fill_hold(void *ctx, struct rscp_builder *b)
{
    struct hold_ctx *x = ctx;
    x->written = rscp_power_hold_put(x->h, b, x->now);
    if (x->written < 0)
        return x->written;
    return cli_live_request(b);
}

static void report(bool json, int mode, int32_t watts, bool closing, bool have_m, int64_t mirrored,
                   const struct cli_live_reading *r)
{
    const struct rscp_live *l = &r->live;
    char t[64];
    cli_format_time(l->time.seconds, 0, t, sizeof t);
    if (json) {
        struct cli_jw w;
        cli_jw_init(&w);
        cli_jw_obj(&w, NULL);
        cli_jw_str(&w, "time", true, t);
        cli_jw_str(&w, "mode", true, rscp_power_mode_name(mode));
        cli_jw_int(&w, "watts", true, watts);
        cli_jw_int(&w, "mirrored", have_m, mirrored);
        cli_jw_int(&w, "battery", l->present & RSCP_LIVE_BAT, l->bat);
        cli_jw_int(&w, "grid", l->present & RSCP_LIVE_GRID, l->grid);
        cli_jw_num(&w, "soc", l->present & RSCP_LIVE_SOC, l->soc);
        cli_jw_bool(&w, "closing", true, closing);
        cli_jw_end_obj(&w);
        cli_jw_done(&w);
    } else {
        char bat[32] = "n/a", grid[32] = "n/a", soc[32] = "n/a", mir[32] = "n/a";
        if (l->present & RSCP_LIVE_BAT)
            snprintf(bat, sizeof bat, "%+lld W", (long long)l->bat);
        if (l->present & RSCP_LIVE_GRID)
            snprintf(grid, sizeof grid, "%+lld W", (long long)l->grid);
        if (l->present & RSCP_LIVE_SOC)
            snprintf(soc, sizeof soc, "%.1f %%", l->soc);
        if (have_m)
            snprintf(mir, sizeof mir, "%lld", (long long)mirrored);
        printf("%s  %-11s %5ld W  mirrored %-6s battery %-9s grid %-9s SOC %s%s\n", t, rscp_power_mode_name(mode),
               (long)watts, mir, bat, grid, soc, closing ? "  (back to auto)" : "");
    }
    fflush(stdout);
}

/* Sleep until `until` (monotonic ms) or a signal. */
static void wait_until(int64_t until)
{
    while (!stop_signal) {
        int64_t now = now_ms();
        if (until <= now)
            return;
        int64_t d = until - now;
        if (d > 100)
            d = 100;
        struct timespec ts = {0, (long)d * 1000000L};
        nanosleep(&ts, NULL);
    }
}

static int check_specs(rscp_client *c, int mode, int32_t watts)
{
    struct cli_plant_view *v = calloc(1, sizeof *v);
    if (!v)
        return CLI_EXIT_PROTOCOL;
    int rc = cli_plant_read(c, 0, CLI_PR_SPECS, v);
    if (rc == 0 && (v->have & CLI_PR_SPECS)) {
        int spec = mode == RSCP_POWER_DISCHARGE ? RSCP_SPEC_MAX_DISCHARGE_POWER : RSCP_SPEC_MAX_CHARGE_POWER;
        int64_t max;
        if (rscp_sys_spec_get(&v->specs, spec, &max) == 0 && watts > max)
            rc = cli_usage_error("power", "%s %ld W is out of range (allowed: 1..%lld W, %s of the device); nothing sent",
                                 rscp_power_mode_name(mode), (long)watts, (long long)max, rscp_sys_spec_name(spec));
    }
    free(v);
    return rc;
}

int cli_cmd_power(int argc, char **argv)
{
    struct cli_opts o;
    cli_opts_init(&o, "power", argc, argv);
    struct cli_conn conn = {0};
    bool json = false, have_mode = false, have_watts = false;
    int mode = RSCP_POWER_AUTO;
    int64_t watts = 0, duration = 0, interval = RSCP_POWER_HOLD_DEFAULT_INTERVAL_MS;
    int id, rc = 0;
    while (rc == 0 && (id = cli_opts_next(&o, power_opts)) != -1) {
        switch (id) {
        case CLI_OPT_BAD: rc = CLI_EXIT_USAGE; break;
        case OPT_HELP: help(); cli_conn_free(&conn); return CLI_EXIT_OK;
        case OPT_JSON: json = true; break;
        case OPT_FOR: rc = cli_parse_duration("power", "--for", o.arg, &duration); break;
        case OPT_INTERVAL:
            rc = cli_parse_quantity("power", "--interval", o.arg, (const struct cli_unit[]){{"", 1}, {"ms", 1}, {NULL, 0}},
                                    1000, RSCP_POWER_HOLD_MAX_INTERVAL_MS, &interval);
            break;
        case 0:
            if (!have_mode) {
                if (rscp_power_mode_lookup(o.arg, &mode) != 0)
                    rc = cli_usage_error("power", "unknown mode '%s' (auto, idle, charge, discharge, grid-charge)", o.arg);
                have_mode = true;
            } else if (!have_watts && mode != RSCP_POWER_AUTO && mode != RSCP_POWER_IDLE) {
                rc = cli_parse_quantity("power", rscp_power_mode_name(mode), o.arg, cli_units_w, 1, RSCP_SET_POWER_MAX_W,
                                        &watts);
                have_watts = true;
            } else {
                rc = cli_usage_error("power", "unexpected argument '%s'", o.arg);
            }
            break;
        default: rc = cli_conn_option(&conn, "power", id, o.arg); break;
        }
    }
    if (rc == 0 && !have_mode)
        rc = cli_usage_error("power", "give a mode: auto, idle, charge W, discharge W or grid-charge W");
    if (rc == 0 && !have_watts && mode != RSCP_POWER_AUTO && mode != RSCP_POWER_IDLE)
        rc = cli_usage_error("power", "%s needs the power in W", rscp_power_mode_name(mode));
    if (rc == 0 && mode == RSCP_POWER_AUTO && duration)
        rc = cli_usage_error("power", "--for does not go with auto");
    struct rscp_power_hold_config cfg;
    rscp_power_hold_config_init(&cfg);
    cfg.interval_ms = (uint32_t)interval;
    if (cfg.jitter_ms > cfg.interval_ms / 2)
        cfg.jitter_ms = cfg.interval_ms / 4;
    cfg.seed = (uint64_t)now_ms();
    rscp_client *c = NULL;
    rscp_power_hold *h = NULL;
    if (rc == 0)
        rc = cli_conn_resolve(&conn, "power");
    if (rc == 0)
        rc = cli_connect(&conn, &c);
    if (rc == 0 && mode != RSCP_POWER_AUTO && mode != RSCP_POWER_IDLE)
        rc = check_specs(c, mode, (int32_t)watts);
    if (rc == 0 && rscp_power_hold_new(&h, &cfg) != 0) {
        cli_error("cannot create the power hold");
        rc = CLI_EXIT_PROTOCOL;
    }
    if (rc == 0 && rscp_power_hold_start(h, mode, (int32_t)watts, now_ms(), duration) != 0) {
        cli_error("cannot start the power hold");
        rc = CLI_EXIT_PROTOCOL;
    }
    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    stop_signal = 0;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    bool stopped = false;
    while (rc == 0) {
        if (stop_signal && !stopped) {
            rscp_power_hold_stop(h);
            stopped = true;
        }
        int64_t next = rscp_power_hold_next(h);
        if (next == INT64_MAX)
            break;
        wait_until(next);
        if (stop_signal && !stopped)
            continue; /* stop first: the next request is the closing auto */
        struct rscp_power_hold_status before;
        rscp_power_hold_status(h, &before);
        struct hold_ctx x = {h, now_ms(), 0};
        struct rscp_frame reply;
        rc = cli_request(c, fill_hold, &x, &reply);
        if (rc)
            break;
        if (x.written != 1)
            continue;
        struct rscp_power_hold_status after;
        rscp_power_hold_status(h, &after);
        bool closing = after.state == RSCP_HOLD_OFF;
        int m = closing ? RSCP_POWER_AUTO : after.mode;
        int32_t w = closing ? 0 : after.watts;
        int64_t mirrored = 0;
        int prc = rscp_power_hold_reply(h, &reply, &mirrored);
        struct cli_live_reading r;
        if (cli_live_parse(&reply, &r) != 0)
            memset(&r, 0, sizeof r);
        report(json, m, w, closing, prc == 0 || prc == 1, mirrored, &r);
        if (prc == 1)
            cli_warn("the device mirrors %lld, not %ld: it applies less (hardware limit) or has not taken the mode",
                     (long long)mirrored, (long)w);
        else if (prc == RSCP_ERR_DEVICE ||
                 (prc == RSCP_ERR_NOT_FOUND && rscp_count_device_errors(reply.data, reply.data_len) > 0)) {
            /* an ERROR for SET_POWER, or ERROR blocks in place of the
             * answer (a busy device's GENERAL_ERROR AGAIN): refused */
            cli_error("the device refused SET_POWER %s:", rscp_power_mode_name(m));
            cli_report_device_errors(&reply);
            rc = CLI_EXIT_DEVICE;
            if (!closing) { /* back to auto once, then stop */
                rscp_power_hold_stop(h);
                x.now = now_ms();
                if (cli_request(c, fill_hold, &x, &reply) == 0 && x.written == 1 && cli_live_parse(&reply, &r) == 0)
                    report(json, RSCP_POWER_AUTO, 0, true, false, 0, &r);
            }
        } else if (prc < 0) {
            cli_error("malformed reply to SET_POWER: %s", rscp_strerror(prc));
            rc = CLI_EXIT_PROTOCOL;
        }
        (void)before;
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    if (rc == 0 && stop_signal)
        rc = 128 + (int)stop_signal;
    rscp_power_hold_free(h);
    rscp_client_free(c);
    cli_conn_free(&conn);
    return rc;
}
