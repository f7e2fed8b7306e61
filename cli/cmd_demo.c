/* rscp demo: a simulator on a free loopback port, watched live over real
 * TCP with encryption and authentication. */
#include "cli.h"

#include "rscp/error.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

enum { OPT_WATCH = 100, OPT_ONCE, OPT_COUNT, OPT_SPEED, OPT_NOW, OPT_START, OPT_SEED };

static const struct cli_optdef demo_opts[] = {
    CLI_OPT_HELP,
    CLI_OPT_JSON,
    {"once", '1', false, OPT_ONCE},
    {"watch", 'w', true, OPT_WATCH},
    {"count", 'n', true, OPT_COUNT},
    {"speed", 0, true, OPT_SPEED},
    {"now", 0, false, OPT_NOW},
    {"start", 0, true, OPT_START},
    {"seed", 0, true, OPT_SEED},
    CLI_OPT_END,
};

/* The demo's scene: a sunny Sunday in May, late morning, the car at home.
 * The battery charges at its limit, the car takes what is left up to its
 * own limit and the rest is exported, so every flow shows at once (a test
 * checks that it still does). With the default 6 kW battery and a car
 * taking up to 11 kW the surplus never reaches the grid while both charge. */
#define DEMO_START "2026-05-03T11:20"
#define DEMO_SEED 15u
#define DEMO_SPEED 10.0
#define DEMO_BAT_CHARGE_W 3000.0 /* an S10 E charging at up to 3 kW       */
#define DEMO_CAR_W 3680.0        /* a plug-in hybrid: 16 A on one phase */

static void help(void)
{
    fputs("Usage: rscp demo [--once | --watch SECONDS [--count N]] [--json]\n"
          "                 [--now | --start TIME] [--seed N] [--speed X]\n"
          "\n"
          "Start the built-in simulator on a free loopback port and run 'rscp live'\n"
          "against it over TCP, with Rijndael-256 encryption and authentication,\n"
          "exactly as against a device. Stop with Ctrl-C.\n"
          "By default the simulated clock starts at " DEMO_START " (Europe/Berlin) on a\n"
          "sunny day and runs 10 times faster than real time: the sun produces, the\n"
          "battery charges (at up to 3 kW), a car charges (at up to 3.7 kW) and the\n"
          "rest is exported, and the values move between readings.\n"
          "\n"
          "Options:\n"
          "  -1, --once           one reading, then exit\n"
          "  -w, --watch SECONDS  interval between readings (default 2)\n"
          "  -n, --count N        stop after N readings\n"
          "  -j, --json           JSON lines as 'rscp live --json'\n"
          "      --now            simulate the present moment (the wall clock)\n"
          "      --start TIME     simulated start, as 'rscp sim --start'\n"
          "                       (default " DEMO_START ")\n"
          "      --seed N         seed of the weather, load and car (default 15)\n"
          "      --speed X        simulated seconds per real second (default 10)\n"
          "  -h, --help           this help\n"
          "\n"
          "Exit status as 'rscp live'.\n",
          stdout);
}

int cli_cmd_demo(int argc, char **argv)
{
    struct cli_opts o;
    cli_opts_init(&o, "demo", argc, argv);
    bool json = false, once = false, now = false;
    double watch = 2.0, speed = DEMO_SPEED, start = 0.0;
    const char *start_s = NULL;
    unsigned long long seed = DEMO_SEED;
    long count = 0;
    int id;
    while ((id = cli_opts_next(&o, demo_opts)) != -1) {
        char *end;
        switch (id) {
        case CLI_OPT_BAD: return CLI_EXIT_USAGE;
        case OPT_HELP: help(); return CLI_EXIT_OK;
        case OPT_JSON: json = true; break;
        case OPT_ONCE: once = true; break;
        case OPT_NOW: now = true; break;
        case OPT_WATCH:
            if (cli_parse_seconds(o.arg, &watch) != 0)
                return cli_usage_error("demo", "bad --watch '%s' (seconds > 0)", o.arg);
            break;
        case OPT_COUNT:
            errno = 0;
            count = strtol(o.arg, &end, 10);
            if (errno || *end || end == o.arg || count <= 0)
                return cli_usage_error("demo", "bad --count '%s' (readings, > 0)", o.arg);
            break;
        case OPT_SPEED:
            errno = 0;
            speed = strtod(o.arg, &end);
            if (errno || *end || end == o.arg || !(speed > 0) || speed > 1e6)
                return cli_usage_error("demo", "bad --speed '%s' (simulated seconds per second, > 0, <= 1000000)", o.arg);
            break;
        case OPT_START:
            if (!sim_parse_start(o.arg, &start))
                return cli_usage_error("demo", "bad --start '%s' (Unix seconds, YYYY-MM-DD[THH:MM[:SS]][Z] or now)",
                                       o.arg);
            start_s = o.arg;
            break;
        case OPT_SEED:
            errno = 0;
            seed = strtoull(o.arg, &end, 10);
            if (errno || *end || end == o.arg || o.arg[0] == '-')
                return cli_usage_error("demo", "bad --seed '%s' (an unsigned number)", o.arg);
            break;
        case 0: return cli_usage_error("demo", "unexpected argument '%s'", o.arg);
        default: break;
        }
    }
    if (now && start_s)
        return cli_usage_error("demo", "--now and --start exclude each other");
    if (!now && !start_s && !sim_parse_start(DEMO_START, &start))
        return CLI_EXIT_PROTOCOL; /* the constant above parses */
    if (once && count)
        return cli_usage_error("demo", "--once and --count exclude each other");
    struct sim_spawn_options so;
    memset(&so, 0, sizeof so);
    so.speed = speed;
    so.seed = seed;
    so.start = start; /* 0: now */
    so.bat_max_charge_w = DEMO_BAT_CHARGE_W;
    so.car_max_w = DEMO_CAR_W;
    struct sim_handle *sim = NULL;
    uint16_t port = 0;
    int rc = sim_spawn(&so, &sim, &port);
    if (rc < 0) {
        cli_error("cannot start the simulator: %s", rscp_strerror(rc));
        return cli_exit_for_error(rc);
    }
    if (!json)
        printf("Simulator listening on 127.0.0.1:%u (user %s); connecting with encryption.\n\n", (unsigned)port,
               SIM_DEFAULT_USER);
    fflush(stdout);
    /* The same code path as against a device: strings are copied by the
     * client, so the demo credentials can live here. */
    struct cli_conn conn = {0};
    conn.host = strdup("127.0.0.1");
    conn.user = strdup(SIM_DEFAULT_USER);
    conn.password = strdup(SIM_DEFAULT_PASSWORD);
    conn.key = strdup(SIM_DEFAULT_KEY);
    conn.port = port;
    rscp_client *c = NULL;
    if (!conn.host || !conn.user || !conn.password || !conn.key) {
        cli_error("out of memory");
        rc = CLI_EXIT_PROTOCOL;
    } else {
        rc = cli_connect(&conn, &c);
    }
    if (rc == 0)
        rc = cli_live_run(c, json, once ? 0 : watch, once ? 1 : count);
    rscp_client_free(c);
    cli_conn_free(&conn);
    sim_stop(sim);
    return rc;
}
