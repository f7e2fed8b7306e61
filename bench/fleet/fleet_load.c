/* rscp_fleet_load: a stand-in for a bridge polling a fleet, to measure the
 * simulator side of the fleet bench (bench/fleet.sh).
 *
 *   rscp_fleet_load [--host H] --port BASE --sites N [--duration S]
 *                   [--interval-ms MS] [--pid PID]
 *
 * Opens one connection per site (ports BASE..BASE+N-1, credentials from
 * RSCP_USER / RSCP_PASSWORD / RSCP_KEY, else the simulator's defaults),
 * then every interval sends each site one frame asking for what a bridge
 * polls: the live values (rscp_live_request), battery string 0, PV
 * inverter 0 with 2 trackers, meters 0 and 1 and wallbox 0. All
 * connections are driven from one poll() loop; polls are spread evenly
 * over the interval. Prints `name value` lines: polls sent and answered,
 * failures, polls that were not answered before the next was due, and
 * with --pid the CPU share (utime + stime over wall time, % of one core)
 * and memory of that process over the run. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "rscp/rscp.h"

struct site {
    rscp_client *c;
    int64_t due;      /* monotonic ms of the next poll */
    bool waiting;     /* a poll is in flight */
};

static const char *env_or(const char *name, const char *dflt)
{
    const char *v = getenv(name);
    return v && *v ? v : dflt;
}

/* utime + stime of pid in clock ticks, or -1. */
static long long proc_ticks(long pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char buf[1024];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')'); /* the command name may hold blanks */
    if (!p)
        return -1;
    long long ut = 0, st = 0;
    /* fields after ")": state(3) ... utime(14) stime(15) */
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lld %lld", &ut, &st) != 2)
        return -1;
    return ut + st;
}

static double proc_status_mib(long pid, const char *field)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/status", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[256];
    double kib = -1;
    size_t len = strlen(field);
    while (fgets(line, sizeof line, f))
        if (strncmp(line, field, len) == 0 && line[len] == ':')
            kib = atof(line + len + 1);
    fclose(f);
    return kib < 0 ? -1 : kib / 1024.0;
}

static int build_request(uint8_t *buf, size_t cap, size_t *len)
{
    struct rscp_builder b;
    rscp_builder_init(&b, buf, cap);
    rscp_live_request(&b);
    rscp_battery_request(&b, 0);
    rscp_pvi_request(&b, 0, 2, 0);
    rscp_pm_request(&b, 0);
    rscp_pm_request(&b, 1);
    rscp_wallbox_request(&b, 0, RSCP_WB_REQ_ALL);
    return rscp_builder_finish(&b, len);
}

static int usage(void)
{
    fprintf(stderr, "usage: rscp_fleet_load [--host H] --port BASE --sites N [--duration S] [--interval-ms MS] "
                    "[--pid PID]\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *host = "127.0.0.1";
    long base = 0, n = 0, duration = 10, interval = 1000, pid = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *a = argv[i], *v = argv[i + 1];
        char *end;
        long x = strtol(v, &end, 10);
        if (strcmp(a, "--host") == 0) {
            host = v;
            continue;
        }
        if (*end || x < 0)
            return usage();
        if (strcmp(a, "--port") == 0) base = x;
        else if (strcmp(a, "--sites") == 0) n = x;
        else if (strcmp(a, "--duration") == 0) duration = x;
        else if (strcmp(a, "--interval-ms") == 0) interval = x;
        else if (strcmp(a, "--pid") == 0) pid = x;
        else return usage();
    }
    if (argc % 2 == 0 || base < 1 || n < 1 || n > 10000 || base + n - 1 > 65535 || interval < 10 || duration < 1)
        return usage();
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    uint8_t req[1024];
    size_t req_len;
    if (build_request(req, sizeof req, &req_len) != 0) {
        fprintf(stderr, "rscp_fleet_load: cannot build the request\n");
        return 1;
    }
    struct site *s = calloc((size_t)n, sizeof *s);
    struct pollfd *pfd = calloc((size_t)n, sizeof *pfd);
    unsigned *idx = calloc((size_t)n, sizeof *idx);
    if (!s || !pfd || !idx)
        return 1;
    struct rscp_client_config cfg;
    rscp_client_config_init(&cfg);
    cfg.host = host;
    cfg.user = env_or("RSCP_USER", "sim-user");
    cfg.password = env_or("RSCP_PASSWORD", "sim-password");
    cfg.key = env_or("RSCP_KEY", "sim-key");
    cfg.connect_timeout_ms = 20000;
    cfg.io_timeout_ms = 20000;
    for (long i = 0; i < n; i++) {
        cfg.port = (uint16_t)(base + i);
        if (rscp_client_new(&s[i].c, &cfg) != 0 || rscp_client_start(s[i].c) < 0) {
            fprintf(stderr, "rscp_fleet_load: site %ld: cannot start a connection\n", i);
            return 1;
        }
    }
    /* Connect and authenticate all, then poll. */
    unsigned long long sent = 0, answered = 0, failures = 0, late = 0;
    long long ticks1 = -1;
    int64_t t0 = -1, t_end = 0;
    long long ticks0 = 0;
    int64_t connect_deadline = rscp_monotonic_ms() + 30000;
    for (;;) {
        int64_t now = rscp_monotonic_ms();
        if (t0 < 0) {
            long ready = 0;
            for (long i = 0; i < n; i++) {
                int st = rscp_client_state(s[i].c);
                if (st == RSCP_CLIENT_FAILED) {
                    fprintf(stderr, "rscp_fleet_load: site %ld (port %ld): %s\n", i, base + i,
                            rscp_client_errstr(s[i].c));
                    return 1;
                }
                ready += st == RSCP_CLIENT_READY;
            }
            if (ready == n) {
                t0 = now;
                t_end = t0 + duration * 1000;
                ticks0 = pid ? proc_ticks(pid) : 0;
                for (long i = 0; i < n; i++)
                    s[i].due = t0 + interval * i / n; /* spread over the interval */
            } else if (now > connect_deadline) {
                fprintf(stderr, "rscp_fleet_load: %ld of %ld sites connected after 30 s\n", ready, n);
                return 1;
            }
        }
        bool over = t0 >= 0 && now >= t_end; /* no new polls; the last replies are awaited */
        if (over && ticks1 < 0)
            ticks1 = pid ? proc_ticks(pid) : 0;
        if (over) {
            long busy = 0;
            for (long i = 0; i < n; i++)
                busy += s[i].waiting;
            if (busy == 0 || now >= t_end + 10000)
                break;
        }
        int64_t wake = t0 >= 0 && !over ? t_end : now + 100;
        nfds_t k = 0;
        for (long i = 0; i < n; i++) {
            rscp_client *c = s[i].c;
            int st = rscp_client_state(c);
            if (t0 >= 0 && !over && now >= s[i].due) {
                if (s[i].waiting) {
                    late++; /* still waiting: this poll is skipped */
                } else if (st == RSCP_CLIENT_READY) {
                    if (rscp_client_submit(c, req, req_len) == 0) {
                        sent++;
                        s[i].waiting = true;
                    } else {
                        failures++;
                    }
                }
                s[i].due += interval;
                st = rscp_client_state(c);
            }
            if (t0 >= 0 && s[i].due < wake)
                wake = s[i].due;
            if (st == RSCP_CLIENT_FAILED) {
                failures++;
                s[i].waiting = false;
                if (rscp_client_start(c) < 0) /* reconnect */
                    continue;
                st = rscp_client_state(c);
            }
            if (st == RSCP_CLIENT_CONNECTING || st == RSCP_CLIENT_AUTHENTICATING || st == RSCP_CLIENT_BUSY) {
                pfd[k].fd = rscp_client_fd(c);
                pfd[k].events = (short)(POLLIN | (rscp_client_wants_write(c) ? POLLOUT : 0));
                pfd[k].revents = 0;
                idx[k++] = (unsigned)i;
            }
        }
        int64_t wait = wake - rscp_monotonic_ms();
        int r = poll(pfd, k, wait < 0 ? 0 : (int)wait);
        if (r < 0 && errno != EINTR) {
            perror("rscp_fleet_load: poll");
            return 1;
        }
        for (nfds_t j = 0; r > 0 && j < k; j++) {
            short ev = pfd[j].revents;
            struct site *x = &s[idx[j]];
            int rc = 0;
            if (ev & POLLOUT)
                rc = rscp_client_on_writable(x->c);
            if (rc >= 0 && (ev & (POLLIN | POLLERR | POLLHUP)))
                rc = rscp_client_on_readable(x->c);
            if (rc == 1 && x->waiting) {
                struct rscp_frame reply;
                if (rscp_client_take_reply(x->c, &reply) == 1)
                    answered++;
                x->waiting = false;
            }
        }
    }
    double wall = (double)(t_end - t0) / 1000.0; /* the polling time */
    printf("fleet_load_sites %ld\n", n);
    printf("fleet_load_seconds %.1f\n", wall);
    printf("fleet_load_polls_sent %llu\n", sent);
    printf("fleet_load_polls_answered %llu\n", answered);
    printf("fleet_load_polls_per_s %.1f\n", (double)answered / wall);
    printf("fleet_load_failures %llu\n", failures);
    printf("fleet_load_late %llu\n", late);
    printf("fleet_load_request_bytes %zu\n", req_len);
    if (pid) {
        double hz = (double)sysconf(_SC_CLK_TCK);
        if (ticks0 >= 0 && ticks1 >= 0)
            printf("fleet_sim_cpu_pct %.1f\n", (double)(ticks1 - ticks0) / hz / wall * 100.0);
        printf("fleet_sim_rss_mib %.1f\n", proc_status_mib(pid, "VmRSS"));
        printf("fleet_sim_hwm_mib %.1f\n", proc_status_mib(pid, "VmHWM"));
    }
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) == 0)
        printf("fleet_load_cpu_pct %.1f\n",
               ((double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
                (double)ru.ru_stime.tv_usec / 1e6) / wall * 100.0);
    for (long i = 0; i < n; i++)
        rscp_client_free(s[i].c);
    free(s);
    free(pfd);
    free(idx);
    return failures ? 1 : 0;
}
