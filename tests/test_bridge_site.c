/* The bridge's sites against simulators over loopback TCP, driven by a
 * poll() loop like the daemon's: a site goes online and its snapshot
 * matches the plant's shape; every kind of command gets exactly one answer
 * (applied, refused as out of range, ignored by the device, nothing to
 * change); the command's effect shows in the following cycles; a site
 * without a device is offline and answers commands "site offline" at once
 * without holding up the others; a device that stalls turns its site
 * offline within two intervals plus the timeout. */
#include "harness.h"

#include "../sim/sim_all.inc"

#include <poll.h>
#include <string.h>

#include "command.h"
#include "log.h"
#include "rscp/clock.h"
#include "rscp/ems.h"
#include "site.h"

#define MAX_RESULTS 64

struct rec {
    int cycles[4];
    int online[4], offline[4];
    struct bridge_cmd_result results[MAX_RESULTS];
    int nresults;
    int history_days;
    double history_pv;
};

static struct rec R;
static struct bridge_site_rt *sites[4];
static int nsites;

static int index_of(struct bridge_site_rt *s)
{
    for (int i = 0; i < nsites; i++)
        if (sites[i] == s)
            return i;
    return 0;
}

static void on_cycle(void *ctx, struct bridge_site_rt *s)
{
    (void)ctx;
    R.cycles[index_of(s)]++;
}

static void on_status(void *ctx, struct bridge_site_rt *s, bool online, const char *why)
{
    (void)ctx;
    (void)why;
    if (online)
        R.online[index_of(s)]++;
    else
        R.offline[index_of(s)]++;
}

static void on_result(void *ctx, struct bridge_site_rt *s, const struct bridge_cmd_result *r)
{
    (void)ctx;
    (void)s;
    if (R.nresults < MAX_RESULTS)
        R.results[R.nresults++] = *r;
}

static void on_history(void *ctx, struct bridge_site_rt *s, int y, int m, int d, const struct rscp_history_values *v)
{
    (void)ctx;
    (void)s;
    (void)y;
    (void)m;
    (void)d;
    R.history_days++;
    R.history_pv = v->pv;
}

/* Run the loop for ms, or until done() is true. Returns the longest time
 * one loop turn took (ms), to show that no site blocks the loop. */
static int64_t run(int64_t ms, bool (*done)(void))
{
    int64_t end = rscp_monotonic_ms() + ms, worst = 0;
    while (rscp_monotonic_ms() < end && !(done && done())) {
        struct pollfd fds[4];
        int map[4], n = 0;
        int64_t now = rscp_monotonic_ms(), next = end;
        for (int i = 0; i < nsites; i++) {
            int64_t d = bridge_site_next_deadline(sites[i]);
            if (d < next)
                next = d;
            int fd = bridge_site_fd(sites[i]);
            if (fd >= 0) {
                fds[n].fd = fd;
                fds[n].events = bridge_site_events(sites[i]);
                fds[n].revents = 0;
                map[n++] = i;
            }
        }
        int timeout = next <= now ? 0 : (int)(next - now);
        poll(fds, (nfds_t)n, timeout);
        int64_t t0 = rscp_monotonic_ms();
        for (int k = 0; k < n; k++)
            if (fds[k].revents)
                bridge_site_io(sites[map[k]], fds[k].revents, t0);
        for (int i = 0; i < nsites; i++)
            bridge_site_timer(sites[i], rscp_monotonic_ms());
        int64_t took = rscp_monotonic_ms() - t0;
        if (took > worst)
            worst = took;
    }
    return worst;
}

static int want_results;
static bool results_done(void) { return R.nresults >= want_results; }

static bool site0_online(void) { return R.online[0] > 0 && R.cycles[0] > 0; }

/* Send one command to site 0 and wait for its answer. */
static const struct bridge_cmd_result *command(const char *topic, const char *payload)
{
    struct bridge_command c;
    char err[256];
    if (bridge_command_parse(topic, payload, strlen(payload), &c, err, sizeof err) != 0) {
        fprintf(stderr, "parse %s %s: %s\n", topic, payload, err);
        CHECK(0);
        return NULL;
    }
    int before = R.nresults;
    static uint64_t tag = 100;
    tag++;
    int rc = bridge_site_command(sites[0], &c, tag, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "command %s refused at once: %s\n", topic, err);
        CHECK(0);
        return NULL;
    }
    want_results = before + 1;
    run(8000, results_done);
    CHECK_INT(R.nresults, before + 1);
    if (R.nresults != before + 1)
        return NULL;
    const struct bridge_cmd_result *r = &R.results[before];
    CHECK(r->tag == tag);
    if (!r->ok)
        fprintf(stderr, "  set/%s %s -> error: %s\n", topic, payload, r->error);
    else
        fprintf(stderr, "  set/%s %s -> ok {%s}\n", topic, payload, r->info);
    return r;
}

/* Wait for n more cycles of site 0. */
static int cycles_goal;
static bool cycles_done(void) { return R.cycles[0] >= cycles_goal; }
static void cycles(int n)
{
    cycles_goal = R.cycles[0] + n;
    run(10000, cycles_done);
    CHECK(R.cycles[0] >= cycles_goal);
}

static void site_cfg(struct bridge_site *c, const char *name, uint16_t port, unsigned interval_ms)
{
    memset(c, 0, sizeof *c);
    snprintf(c->name, sizeof c->name, "%s", name);
    c->host = (char *)"127.0.0.1";
    c->port = port;
    c->user = (char *)SIM_DEFAULT_USER;
    c->password = (char *)SIM_DEFAULT_PASSWORD;
    c->key = (char *)SIM_DEFAULT_KEY;
    c->interval_ms = interval_ms;
    c->timeout_ms = 2000;
    c->groups = BRIDGE_GROUP_ALL;
}

static int err_seen;
static bool err_ignored;
static int64_t err_last_ms;
static void on_error(void *ctx, int64_t unix_ms, const char *text)
{
    (void)ctx;
    CHECK(unix_ms >= err_last_ms); /* oldest first */
    err_last_ms = unix_ms;
    err_seen++;
    if (strstr(text, "set/manual_charge failed: ignored by the device"))
        err_ignored = true;
}

static bool result_ok(const struct bridge_cmd_result *r) { return r && r->ok; }
static bool result_err(const struct bridge_cmd_result *r, const char *part)
{
    return r && !r->ok && strstr(r->error, part) != NULL;
}

int main(void)
{
    bridge_log_set_level(getenv("BRIDGE_TEST_DEBUG") ? BRIDGE_LOG_DEBUG : BRIDGE_LOG_WARN);
    struct sim_tz tz = {"Europe/Berlin", 3600, true};
    int64_t day = sim_days_from_civil(2025, 6, 14);
    struct sim_spawn_options o;
    memset(&o, 0, sizeof o);
    o.seed = 5;
    o.model = "s10e";
    o.start = (double)sim_local_to_utc(&tz, day * 86400 + 12 * 3600); /* noon: PV */
    o.speed = 1;
    struct sim_handle *h, *h_stall;
    uint16_t port, port_stall;
    CHECK_INT(sim_spawn(&o, &h, &port), 0);
    struct sim_spawn_options os = o;
    os.faults.stall_after = 15000; /* the setup and a few cycles, then silence */
    CHECK_INT(sim_spawn(&os, &h_stall, &port_stall), 0);

    /* A port nobody listens on: bind one, note it, close it. */
    uint16_t dead_port = 1;
    {
        struct sim_handle *tmp;
        CHECK_INT(sim_spawn(&o, &tmp, &dead_port), 0);
        sim_stop(tmp);
    }

    struct bridge_site_events ev = {on_cycle, on_status, on_result, on_history, NULL};
    struct bridge_site c0, c1, c2;
    site_cfg(&c0, "home", port, 1000);
    site_cfg(&c1, "gone", dead_port, 1000);
    site_cfg(&c2, "stalls", port_stall, 1000);
    char err[256];
    int64_t now = rscp_monotonic_ms();
    sites[0] = bridge_site_new(&c0, &ev, 1, now, err, sizeof err);
    sites[1] = bridge_site_new(&c1, &ev, 2, now, err, sizeof err);
    sites[2] = bridge_site_new(&c2, &ev, 3, now, err, sizeof err);
    nsites = 3;
    CHECK(sites[0] && sites[1] && sites[2]);

    int64_t worst = run(6000, site0_online);
    CHECK(site0_online());
    fprintf(stderr, "online after the first cycle; longest loop turn %lld ms\n", (long long)worst);
    CHECK(worst < 200);
    CHECK(bridge_site_online(sites[0]));

    /* The snapshot has the s10e's shape and plausible values. */
    const struct bridge_snapshot *sn = bridge_site_snapshot(sites[0]);
    CHECK(sn->have & BRIDGE_HAVE_INFO);
    CHECK(sn->have & BRIDGE_HAVE_PLANT);
    CHECK(sn->have & BRIDGE_HAVE_LIVE);
    CHECK(sn->have & BRIDGE_HAVE_SETTINGS);
    CHECK(sn->have & BRIDGE_HAVE_RESERVE);
    CHECK(sn->have & BRIDGE_HAVE_MANUAL);
    CHECK(sn->info.serial[0] != 0);
    CHECK_INT(sn->plant.n_batteries, 1);
    CHECK(sn->bat_ok & 1u);
    CHECK(sn->pvi_ok & 1u);
    CHECK(sn->pm_ok != 0);
    CHECK(sn->wb_ok & 1u);
    CHECK(sn->live.present & RSCP_LIVE_SOC);
    CHECK(sn->live.soc >= 0 && sn->live.soc <= 100);
    CHECK(sn->live.pv > 0); /* noon in June */
    CHECK(fabs(sn->live.soc - sn->bat[0].rsoc) < 5);

    /* The slow exchange (DCBs, history) follows the first cycle. */
    cycles(2);
    CHECK(sn->have & BRIDGE_HAVE_TODAY);
    CHECK(sn->have & BRIDGE_HAVE_DCB);
    fprintf(stderr, "today pv %.0f home %.0f present %x; yesterday pv %.0f\n", sn->today.pv, sn->today.home, sn->today.present, sn->yesterday.pv);
    CHECK(sn->today.pv > 0);
    CHECK(sn->yesterday.pv > 0);

    /* Commands: applied, with their effect in the next cycles. */
    const struct bridge_cmd_result *r;
    r = command("power_mode", "discharge:2000:0");
    CHECK(result_ok(r) && strstr(r->info, "\"mirrored\":2000"));
    cycles(3);
    fprintf(stderr, "battery %lld W, soc %.1f\n", (long long)sn->live.bat, sn->live.soc);
    CHECK(sn->live.bat < -1500);
    CHECK(sn->hold.mode == RSCP_POWER_DISCHARGE);
    r = command("power_mode", "auto");
    CHECK(result_ok(r));
    cycles(2);
    CHECK(sn->hold.mode == RSCP_POWER_AUTO);

    r = command("reserve/percent", "20");
    CHECK(result_ok(r));
    cycles(1);
    CHECK(fabs(sn->reserve.percent - 20) < 0.01);

    r = command("max_charge_power", "1500");
    CHECK(result_ok(r));
    cycles(1);
    CHECK_INT(sn->settings.max_charge, 1500);
    r = command("max_charge_power", "999999");
    CHECK(result_err(r, "out of range"));
    r = command("weather_regulation", "true");
    CHECK(result_ok(r));
    cycles(1);
    CHECK(sn->settings.weather_regulated);

    r = command("wallbox/max_current", "13");
    CHECK(result_ok(r) && strstr(r->info, "\"changed\":true"));
    cycles(2);
    CHECK_INT(sn->wb[0].max_current, 13);
    r = command("wallbox/max_current", "13");
    CHECK(result_ok(r) && strstr(r->info, "\"changed\":false"));
    r = command("wallbox/max_current", "3");
    CHECK(result_err(r, "out of range"));

    r = command("idle_period", "monday:charge:true:10:00-11:00");
    CHECK(result_ok(r));
    cycles(1);
    bool found = false;
    for (size_t i = 0; i < sn->idle.count; i++)
        if (sn->idle.period[i].day == 0 && sn->idle.period[i].type == RSCP_IDLE_CHARGE &&
            sn->idle.period[i].active && sn->idle.period[i].start_hour == 10 && sn->idle.period[i].end_hour == 11)
            found = true;
    CHECK(found);

    r = command("manual_charge", "500");
    CHECK(result_ok(r) && strstr(r->info, "\"started\":true"));
    r = command("manual_charge", "500");
    CHECK(result_err(r, "ignored by the device"));

    r = command("request/day", "2025-06-13");
    CHECK(result_ok(r));
    CHECK_INT(R.history_days, 1);
    CHECK(R.history_pv > 0);

    /* Run-time changes (the bridge's own commands): every group off still
     * polls (the device must answer), the groups and the interval back. */
    bridge_site_set_groups(sites[0], BRIDGE_GROUP_ALL, false);
    CHECK_INT(bridge_site_groups(sites[0]), 0);
    uint64_t polls = bridge_site_stats(sites[0])->polls;
    cycles(2);
    CHECK(bridge_site_online(sites[0]));
    CHECK(bridge_site_stats(sites[0])->polls >= polls + 2);
    bridge_site_set_groups(sites[0], BRIDGE_GROUP_ALL, true);
    CHECK_INT(bridge_site_groups(sites[0]), BRIDGE_GROUP_ALL);
    CHECK(bridge_site_same_config(sites[0], &c0)); /* still the configured site */
    CHECK_INT(bridge_site_set_interval(sites[0], 999, rscp_monotonic_ms()), -1);
    CHECK_INT(bridge_site_set_interval(sites[0], 300001, rscp_monotonic_ms()), -1);
    CHECK_INT(bridge_site_set_interval(sites[0], 2000, rscp_monotonic_ms()), 0);
    cycles(1); /* the cycle due: then every 2 s */
    int64_t t0 = rscp_monotonic_ms();
    cycles(2);
    int64_t took = rscp_monotonic_ms() - t0;
    fprintf(stderr, "two cycles at a 2 s interval: %lld ms\n", (long long)took);
    CHECK(took > 3500 && took < 5000);
    CHECK_INT(bridge_site_interval_ms(sites[0]), 2000);
    CHECK(bridge_site_same_config(sites[0], &c0));
    CHECK_INT(bridge_site_set_interval(sites[0], 1000, rscp_monotonic_ms()), 0);
    char line[600];
    bridge_site_describe(sites[0], rscp_monotonic_ms(), line, sizeof line);
    fprintf(stderr, "describe: %s\n", line);
    CHECK(strstr(line, "online, ") == line && strstr(line, "interval 1000 ms") != NULL);
    CHECK(strstr(line, SIM_DEFAULT_PASSWORD) == NULL && strstr(line, SIM_DEFAULT_KEY) == NULL &&
          strstr(line, SIM_DEFAULT_USER) == NULL);

    /* The site without a device: offline, commands answered at once. */
    CHECK(!bridge_site_online(sites[1]));
    CHECK(R.offline[1] >= 1);
    CHECK(R.online[1] == 0);
    struct bridge_command pc;
    CHECK_INT(bridge_command_parse("power_save", "true", 4, &pc, err, sizeof err), 0);
    CHECK_INT(bridge_site_command(sites[1], &pc, 1, err, sizeof err), -1);
    CHECK(strstr(err, "offline") != NULL);
    CHECK(bridge_site_stats(sites[1])->failures >= 2); /* retried with backoff */
    /* Its recent errors: the failed connections, oldest first. */
    CHECK_INT(bridge_site_errors(sites[1], NULL, NULL), (int)(bridge_site_stats(sites[1])->failures > BRIDGE_SITE_ERRORS_KEPT
                                                              ? BRIDGE_SITE_ERRORS_KEPT
                                                              : bridge_site_stats(sites[1])->failures));
    err_seen = 0;
    bridge_site_errors(sites[0], on_error, NULL);
    CHECK(err_seen >= 1 && err_ignored); /* the second manual charge */

    /* The stalling device: online first, offline later. */
    CHECK(R.online[2] >= 1);
    CHECK(R.offline[2] >= 1);
    fprintf(stderr, "stalling site: %d online, %d offline; polls %llu\n", R.online[2], R.offline[2],
            (unsigned long long)bridge_site_stats(sites[2])->polls);

    /* Nothing was answered twice, nothing left unanswered. */
    CHECK_INT(R.nresults, (int)bridge_site_stats(sites[0])->commands);
    CHECK(bridge_site_stats(sites[0])->missed <= 2);

    for (int i = 0; i < nsites; i++)
        bridge_site_free(sites[i]);
    sim_stop(h);
    sim_stop(h_stall);
    return th_finish();
}
