/* `rscp sim`: options, signals, and serving in the foreground. */
#include "runtime.h"
#include "sim.h"

#include "civil.h"
#include "fleet.h"
#include "preset.h"

#include "rscp/error.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#define EXIT_USAGE 2
#define EXIT_SOCKET 3

static volatile int g_stop;

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

static void usage(FILE *f)
{
    fputs("Usage: rscp sim [OPTIONS]\n"
          "\n"
          "Run a simulated E3/DC home power plant that answers RSCP: PV following the\n"
          "sun (9.8 kWp, clouds), a house load, a 13.8 kWh battery, grid, an additional\n"
          "producer and a wallbox with a car. Prints \"listening on HOST:PORT\" and\n"
          "serves until SIGINT or SIGTERM, then prints on stderr what it served\n"
          "(connections, requests, and writes: requests that change the plant).\n"
          "DB history covers 1 January of the year before the start up to the\n"
          "simulated now (computed in the background).\n"
          "\n"
          "Options:\n"
          "  -p, --port PORT      TCP port (RSCP_PORT; default 5033; 0: pick a free one\n"
          "                       and print it); with --sites the first of the range\n"
          "      --sites N        serve N independent plants, 1..1000, on ports PORT ..\n"
          "                       PORT+N-1 (default 1). Site i (0-based) has seed\n"
          "                       SEED+i and the serial number of SEED plus i; all\n"
          "                       share user, password, key, model and options;\n"
          "                       their history is computed when first asked for\n"
          "      --bind HOST      address to listen on (default 127.0.0.1)\n"
          "      --user USER      accepted user (RSCP_USER; default " SIM_DEFAULT_USER ")\n"
          "      --password PW    accepted password (RSCP_PASSWORD; default\n"
          "                       " SIM_DEFAULT_PASSWORD "; warns)\n"
          "      --key KEY        RSCP key (RSCP_KEY; default " SIM_DEFAULT_KEY "; warns)\n"
          "      --seed N         seed of the weather, load and car (default 1)\n"
          "      --speed X        simulated seconds per real second (default 1)\n"
          "      --start TIME     simulated start: Unix seconds,\n"
          "                       YYYY-MM-DD[THH:MM[:SS]][Z] (device-local time unless Z),\n"
          "                       or now (default)\n"
          "      --pm-index N     index of the root power meter, 0..15; devices use 0\n"
          "                       or 6 (default 0)\n"
          "      --batteries N    battery strings, 1..4 (default 1)\n"
          "      --trackers N     PV trackers, 1..4 (default 2)\n"
          "      --wallboxes N    wallboxes, 1..8, WB.INDEX 0..N-1 (default: the\n"
          "                       model's, one or none): the first has the car, each\n"
          "                       further one settings of its own and no car\n"
          "      --derate PCT     feed-in cap in percent of the PV peak, 0..100: PV\n"
          "                       above it is curtailed (default 70; 0: no cap)\n"
          "      --model NAME     plant shape (sets meters, strings, trackers, wallbox;\n"
          "                       --batteries, --trackers, --wallboxes still apply):\n"
          "                       s10e     root meter 0, 2 trackers, 1 string, wallbox\n"
          "                       s10mini  root meter 6, 1 tracker, 1 string, no wallbox\n"
          "                       s10pro   meters 0 1 3 6, 3 trackers, 2 strings, wallbox\n"
          "      --auth-timeout MS\n"
          "                       close a client not authenticated MS ms after\n"
          "                       connecting (default 10000; 0: never)\n"
          "      --idle-timeout MS\n"
          "                       close a client that sent and received nothing for\n"
          "                       MS ms (default 600000; 0: never)\n"
          "  -h, --help           this help\n"
          "\n"
          "Fault injection (for testing clients; counts are per connection):\n"
          "      --delay MS       wait before each reply\n"
          "      --stall-after N  stop sending after N bytes, keep the socket open\n"
          "      --close-after N  close the socket after sending N bytes\n"
          "      --reset          reset the connection instead of replying to a request\n"
          "      --chunk N        write replies in pieces of N bytes\n"
          "      --coalesce N     hold replies and send N frames in one write\n"
          "      --corrupt-crc    flip a CRC bit in every reply after authentication\n"
          "      --drop-frame N   do not send the N-th reply after authentication\n"
          "      --refuse-auth    refuse every authentication\n"
          "      --busy-every N   answer every N-th request with GENERAL_ERROR AGAIN\n"
          "      --refuse-writes  refuse every write and apply none: power settings\n"
          "                       results -2 (not possible now), START_MANUAL_CHARGE\n"
          "                       false, the others ERROR ACCESS_DENIED\n"
          "\n"
          "Secrets on the command line are visible to other users: prefer the\n"
          "environment.\n"
          "\n"
          "Exit status: 0 stopped by a signal; 2 usage; 3 cannot listen, or the server\n"
          "failed (with a message).\n",
          f);
}

/* "rscp sim: MSG 'ARG'" (ARG may be NULL) and a hint; returns EXIT_USAGE. */
static int usage_error(const char *msg, const char *arg)
{
    if (arg)
        fprintf(stderr, "rscp sim: %s '%s'\nTry 'rscp sim --help'.\n", msg, arg);
    else
        fprintf(stderr, "rscp sim: %s\nTry 'rscp sim --help'.\n", msg);
    return EXIT_USAGE;
}

static bool parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    if (!s || !*s || *s == '-' || *s == '+')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || *end || v > max)
        return false;
    *out = v;
    return true;
}

static bool parse_double(const char *s, double *out)
{
    if (!s || !*s)
        return false;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end || !isfinite(v))
        return false;
    *out = v;
    return true;
}

bool sim_parse_start(const char *s, double *out)
{
    struct sim_config cfg;
    sim_config_default(&cfg);
    const struct sim_tz *tz = &cfg.tz;
    if (strcmp(s, "now") == 0) {
        *out = 0.0;
        return true;
    }
    uint64_t secs;
    if (parse_u64(s, (uint64_t)1 << 40, &secs)) {
        *out = (double)secs;
        return true;
    }
    int y, mo, d, h = 0, mi = 0, sec = 0, n = 0;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3)
        return false;
    const char *p = s + n;
    if (*p == 'T' || *p == ' ') {
        int k = 0;
        if (sscanf(p + 1, "%2d:%2d%n", &h, &mi, &k) != 2)
            return false;
        p += 1 + k;
        if (*p == ':') {
            if (sscanf(p + 1, "%2d%n", &sec, &k) != 1)
                return false;
            p += 1 + k;
        }
    }
    bool utc = false;
    if (*p == 'Z') {
        utc = true;
        p++;
    }
    if (*p || y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60 ||
        h < 0 || mi < 0 || sec < 0)
        return false;
    int64_t t = sim_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + sec;
    *out = (double)(utc ? t : sim_local_to_utc(tz, t));
    return true;
}

enum opt_id {
    O_PORT = 1, O_BIND, O_USER, O_PASSWORD, O_KEY, O_SEED, O_SPEED, O_START, O_PM_INDEX, O_BATTERIES,
    O_TRACKERS, O_WALLBOXES, O_DERATE, O_MODEL, O_AUTH_TIMEOUT, O_IDLE_TIMEOUT, O_SITES,
    O_DELAY, O_STALL, O_CLOSE, O_RESET, O_CHUNK, O_COALESCE, O_CORRUPT, O_DROP, O_REFUSE, O_BUSY, O_REFUSE_WRITES,
    O_HELP
};

struct optdef {
    const char *name;
    int id;
    bool arg;
};

static const struct optdef opts[] = {
    {"port", O_PORT, true}, {"bind", O_BIND, true}, {"user", O_USER, true}, {"password", O_PASSWORD, true},
    {"key", O_KEY, true}, {"seed", O_SEED, true}, {"speed", O_SPEED, true}, {"start", O_START, true},
    {"pm-index", O_PM_INDEX, true}, {"batteries", O_BATTERIES, true}, {"trackers", O_TRACKERS, true},
    {"wallboxes", O_WALLBOXES, true}, {"derate", O_DERATE, true},
    {"model", O_MODEL, true}, {"sites", O_SITES, true},
    {"auth-timeout", O_AUTH_TIMEOUT, true}, {"idle-timeout", O_IDLE_TIMEOUT, true},
    {"delay", O_DELAY, true}, {"stall-after", O_STALL, true}, {"close-after", O_CLOSE, true},
    {"reset", O_RESET, false}, {"chunk", O_CHUNK, true}, {"coalesce", O_COALESCE, true},
    {"corrupt-crc", O_CORRUPT, false}, {"drop-frame", O_DROP, true}, {"refuse-auth", O_REFUSE, false},
    {"busy-every", O_BUSY, true}, {"refuse-writes", O_REFUSE_WRITES, false}, {"help", O_HELP, false},
};

/* Parse argv into *o. Returns -1 to go on, or an exit code. */
static int parse_options(int argc, char **argv, struct sim_spawn_options *o, uint16_t *port, const char **start_arg,
                         unsigned *sites)
{
    bool secret_on_command_line = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        }
        if (strcmp(a, "-p") == 0)
            a = "--port"; /* the short form the help shows */
        if (strncmp(a, "--", 2) != 0)
            return usage_error("unexpected argument", a);
        const char *name = a + 2;
        const char *eq = strchr(name, '=');
        size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
        const struct optdef *def = NULL;
        for (size_t k = 0; k < sizeof opts / sizeof opts[0]; k++)
            if (strlen(opts[k].name) == nlen && strncmp(opts[k].name, name, nlen) == 0)
                def = &opts[k];
        if (!def)
            return usage_error("unknown option", a);
        const char *val = NULL;
        if (def->arg) {
            if (eq)
                val = eq + 1;
            else if (i + 1 < argc)
                val = argv[++i];
            else
                return usage_error("missing value for option", a);
        } else if (eq) {
            return usage_error("no value allowed for option", a);
        }
        uint64_t u = 0;
        double dv = 0;
        switch (def->id) {
        case O_PORT:
            if (!parse_u64(val, 65535, &u))
                return usage_error("invalid port", val);
            *port = (uint16_t)u;
            break;
        case O_BIND: o->bind = val; break;
        case O_USER: o->user = val; break;
        case O_PASSWORD: o->password = val; secret_on_command_line = true; break;
        case O_KEY: o->key = val; secret_on_command_line = true; break;
        case O_SEED:
            if (!parse_u64(val, UINT64_MAX, &u))
                return usage_error("invalid seed", val);
            o->seed = u;
            break;
        case O_SPEED:
            if (!parse_double(val, &dv) || !(dv > 0.0) || dv > 1e7)
                return usage_error("invalid speed (a number above 0)", val);
            o->speed = dv;
            break;
        case O_START: *start_arg = val; break;
        case O_PM_INDEX:
            if (!parse_u64(val, 15, &u))
                return usage_error("invalid power meter index (0..15)", val);
            o->pm_root_index = (unsigned)u;
            break;
        case O_BATTERIES:
        case O_TRACKERS:
            if (!parse_u64(val, 4, &u) || u == 0)
                return usage_error("invalid count (1..4)", val);
            if (def->id == O_BATTERIES)
                o->batteries = (unsigned)u;
            else
                o->trackers = (unsigned)u;
            break;
        case O_WALLBOXES:
            if (!parse_u64(val, 8, &u) || u == 0)
                return usage_error("invalid number of wallboxes (1..8)", val);
            o->wallboxes = (unsigned)u;
            break;
        case O_DERATE:
            if (!parse_u64(val, 100, &u))
                return usage_error("invalid derating (0..100 percent of the PV peak; 0: no cap)", val);
            o->derate_percent = u == 0 ? -1.0 : (double)u;
            break;
        case O_SITES:
            if (!parse_u64(val, SIM_MAX_SITES, &u) || u == 0)
                return usage_error("invalid number of sites (1..1000)", val);
            *sites = (unsigned)u;
            break;
        case O_MODEL:
            if (!sim_preset_find(val))
                return usage_error("unknown model (s10e, s10mini, s10pro)", val);
            o->model = val;
            break;
        case O_AUTH_TIMEOUT:
        case O_IDLE_TIMEOUT:
            if (!parse_u64(val, INT32_MAX, &u))
                return usage_error("invalid timeout (milliseconds, 0: never)", val);
            if (def->id == O_AUTH_TIMEOUT)
                o->auth_timeout_ms = u ? (int)u : -1;
            else
                o->idle_timeout_ms = u ? (int)u : -1;
            break;
        case O_RESET: o->faults.reset = true; break;
        case O_CORRUPT: o->faults.corrupt_crc = true; break;
        case O_REFUSE: o->faults.refuse_auth = true; break;
        case O_REFUSE_WRITES: o->refuse_writes = true; break;
        case O_HELP: usage(stdout); return 0;
        default:
            if (!parse_u64(val, UINT32_MAX, &u))
                return usage_error("invalid number", val);
            /* 0 would silently turn the fault off (--delay 0 is harmless). */
            if (u == 0 && def->id != O_DELAY)
                return usage_error("this fault needs a count of at least 1", a);
            if (def->id == O_COALESCE && u < 2)
                return usage_error("--coalesce needs at least 2 frames", val);
            switch (def->id) {
            case O_DELAY: o->faults.delay_ms = (uint32_t)u; break;
            case O_STALL: o->faults.stall_after = (uint32_t)u; break;
            case O_CLOSE: o->faults.close_after = (uint32_t)u; break;
            case O_CHUNK: o->faults.chunk = (uint32_t)u; break;
            case O_COALESCE: o->faults.coalesce = (uint32_t)u; break;
            case O_DROP: o->faults.drop_frame = (uint32_t)u; break;
            default: o->faults.busy_every = (uint32_t)u; break;
            }
            break;
        }
    }
    if (secret_on_command_line)
        fprintf(stderr, "rscp sim: warning: a password or key on the command line is visible to other users; "
                        "prefer RSCP_PASSWORD / RSCP_KEY\n");
    return -1;
}

/* Descriptors a fleet of n sites needs: a listening socket each, one
 * per client (the bridge holds one per site), and a few for stdio. */
#define FD_RESERVE 16u

/* Raise the soft limit of open files to the hard one. Returns false (with
 * a message) when even the hard limit leaves no room to listen on n
 * ports; warns when it leaves less than one client per site. */
static bool raise_nofile(unsigned n)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return true; /* nothing known: the binds will tell */
    rlim_t before = rl.rlim_cur;
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
            rl.rlim_cur = before;
    }
    rlim_t listen_need = (rlim_t)n + FD_RESERVE, serve_need = 2 * (rlim_t)n + FD_RESERVE;
    char raised[64] = "";
    if (rl.rlim_cur != before)
        snprintf(raised, sizeof raised, " (raised from %llu)", (unsigned long long)before);
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < listen_need) {
        fprintf(stderr,
                "rscp sim: the limit of open files, %llu%s, is too low for %u sites: they need %llu to listen "
                "and %llu to serve one client each; raise the hard limit (ulimit -Hn, LimitNOFILE=)\n",
                (unsigned long long)rl.rlim_cur, raised, n, (unsigned long long)listen_need,
                (unsigned long long)serve_need);
        return false;
    }
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < serve_need)
        fprintf(stderr,
                "rscp sim: warning: the limit of open files, %llu%s, leaves less than one client per site "
                "(%u sites need %llu); raise the hard limit (ulimit -Hn)\n",
                (unsigned long long)rl.rlim_cur, raised, n, (unsigned long long)serve_need);
    else if (rl.rlim_cur == RLIM_INFINITY)
        fprintf(stderr, "rscp sim: open files: no limit\n");
    else
        fprintf(stderr, "rscp sim: open files: limit %llu%s, %llu needed for one client per site\n",
                (unsigned long long)rl.rlim_cur, raised, (unsigned long long)serve_need);
    return true;
}

/* `rscp sim --sites N` with N > 1: the fleet in the foreground, stopped by
 * SIGINT or SIGTERM (blocked in every thread and taken by sigwait()). */
static int serve_fleet(const struct sim_spawn_options *o, unsigned n)
{
    if (!raise_nofile(n))
        return EXIT_SOCKET;
    sigset_t stop_set;
    sigemptyset(&stop_set);
    sigaddset(&stop_set, SIGINT);
    sigaddset(&stop_set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_set, NULL); /* before the sites' threads exist */
    signal(SIGPIPE, SIG_IGN);

    struct sim_fleet *f;
    char err[300];
    int rc = sim_fleet_new(o, n, &f, err, sizeof err);
    if (rc < 0) {
        fprintf(stderr, "rscp sim: %s\n", err);
        return rc == RSCP_ERR_ARG ? EXIT_USAGE : EXIT_SOCKET;
    }
    rc = sim_fleet_start(f, err, sizeof err);
    if (rc < 0) {
        fprintf(stderr, "rscp sim: %s\n", err);
        sim_fleet_free(f);
        return EXIT_SOCKET;
    }
    const char *host = o->bind ? o->bind : "127.0.0.1";
    bool v6 = strchr(host, ':') != NULL;
    unsigned base = sim_fleet_base_port(f);
    printf("listening on %s%s%s:%u-%u (%u sites)\n", v6 ? "[" : "", host, v6 ? "]" : "", base, base + n - 1u, n);
    fflush(stdout);
    fprintf(stderr,
            "rscp sim: %u sites on ports %u..%u, model %s, seeds %" PRIu64 "..%" PRIu64 ", serial numbers %s..%s, "
            "speed %g, start %.0f; one user, password and key for all\n",
            n, base, base + n - 1u, o->model ? o->model : "default", o->seed, o->seed + (n - 1u),
            sim_fleet_serial(f, 0), sim_fleet_serial(f, n - 1u), sim_fleet_speed(f), sim_fleet_start_time(f));
    int sig = 0;
    while (sigwait(&stop_set, &sig) != 0)
        ;
    sim_fleet_free(f);
    return 0;
}

int sim_command(int argc, char **argv)
{
    struct sim_spawn_options o;
    memset(&o, 0, sizeof o);
    o.seed = 1;
    uint16_t port = 5033;
    const char *start_arg = NULL;
    o.user = getenv("RSCP_USER");
    o.password = getenv("RSCP_PASSWORD");
    o.key = getenv("RSCP_KEY");
    const char *env_port = getenv("RSCP_PORT");
    uint64_t u;
    if (env_port && *env_port) {
        if (!parse_u64(env_port, 65535, &u))
            return usage_error("invalid RSCP_PORT", env_port);
        port = (uint16_t)u;
    }
    unsigned sites = 1;
    int rc = parse_options(argc, argv, &o, &port, &start_arg, &sites);
    if (rc >= 0)
        return rc;
    if ((uint32_t)port + sites - 1u > 65535u) {
        char msg[96];
        snprintf(msg, sizeof msg, "%u sites from port %u need ports up to %u, above 65535", sites, (unsigned)port,
                 (unsigned)port + sites - 1u);
        return usage_error(msg, NULL);
    }
    o.port = port;
    if (start_arg && !sim_parse_start(start_arg, &o.start))
        return usage_error("invalid start time", start_arg);
    if (o.user && !*o.user)
        return usage_error("empty user name", NULL);
    if (sites > 1)
        return serve_fleet(&o, sites);

    struct sim_runtime *r;
    char err[200];
    rc = sim_runtime_new(&o, &r, err, sizeof err);
    if (rc < 0) {
        fprintf(stderr, "rscp sim: %s\n", err);
        return rc == RSCP_ERR_ARG ? EXIT_USAGE : EXIT_SOCKET;
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    const char *host = o.bind ? o.bind : "127.0.0.1";
    bool v6 = strchr(host, ':') != NULL; /* an IPv6 address: [::1]:5033 */
    printf("listening on %s%s%s:%u\n", v6 ? "[" : "", host, v6 ? "]" : "", (unsigned)rscp_server_port(r->server));
    fflush(stdout);
    fprintf(stderr, "rscp sim: model %s, seed %" PRIu64 ", speed %g, start %.0f, root meter at PM index %u\n",
            o.model ? o.model : "default", o.seed, r->clock.speed, r->clock.start, r->dev.pm_root_index);
    rc = rscp_server_run(r->server, &g_stop);
    if (rc < 0) /* only poll() itself failing; single clients never stop it */
        fprintf(stderr, "rscp sim: server stopped: %s (%s)\n", rscp_server_errstr(r->server), rscp_strerror(rc));
    struct rscp_server_stats st;
    rscp_server_get_stats(r->server, &st);
    fprintf(stderr, "rscp sim: stopped after %" PRIu64 " connections, %" PRIu64 " requests, %" PRIu64 " writes\n",
            st.accepted, st.requests, r->dev.writes);
    sim_runtime_free(r);
    return rc < 0 ? EXIT_SOCKET : 0;
}
