/* rscp live --watch (and rscp demo): readings on a fixed schedule over one
 * connection; after a connection loss, reconnecting with backoff and
 * reporting the gap; Ctrl-C ends the watch cleanly. */
#include "cli.h"

#include "rscp/api.h"
#include "rscp/clock.h"
#include "rscp/error.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define RECONNECT_INITIAL_MS 500u
#define RECONNECT_MAX_MS 30000u

static volatile sig_atomic_t g_stop;   /* the signal that stops the watch, 0: none */
static volatile sig_atomic_t g_in_io;  /* inside a blocking network call           */

static void on_stop(int sig)
{
    g_stop = sig;
    /* A request may wait up to its timeout: end now. Readings are flushed
     * as they are printed, so nothing is lost. */
    if (g_in_io)
        _exit(128 + sig);
}

static void catch_stop_signals(bool on)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on ? on_stop : SIG_DFL;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

/* Sleep until the monotonic time at_ms, or until a stop signal. */
static void sleep_until(int64_t at_ms)
{
    while (!g_stop) {
        int64_t left = at_ms - rscp_monotonic_ms();
        if (left <= 0)
            return;
        struct timespec ts = {(time_t)(left / 1000), (long)(left % 1000) * 1000000L};
        if (nanosleep(&ts, NULL) != 0 && errno != EINTR)
            return;
    }
}

static void format_gap(int64_t ms, char *buf, size_t cap)
{
    if (ms < 60000)
        snprintf(buf, cap, "%.1f s", (double)ms / 1000.0);
    else
        snprintf(buf, cap, "%lld min %lld s", (long long)(ms / 60000), (long long)(ms % 60000 / 1000));
}

struct watch {
    rscp_client *c;
    bool json;
    bool redraw;        /* a terminal: each table replaces the last */
    int64_t interval_ms; /* 0: one reading */
    long count;          /* 0: no limit */
    long taken;          /* readings printed */
    int64_t t0;          /* monotonic ms of the schedule's start */
    int64_t last_ok;     /* monotonic ms of the last reading */
    int rc;              /* sticky status of the readings: 0, 1 or 6 */
    char gap_note[160];  /* the last outage, shown under the table */
};

/* One request and its output. Returns 0; CLI_EXIT_PROTOCOL after a message
 * for a reply that does not parse or holds none of the values asked for
 * (the connection stays usable); or the negative library error of the
 * exchange (the connection is lost). */
static int take_reading(struct watch *w)
{
    struct rscp_builder b;
    struct rscp_frame reply;
    int e = rscp_client_request_begin(w->c, &b);
    if (e == 0)
        e = cli_live_request(&b);
    if (e == 0) {
        g_in_io = 1;
        e = rscp_client_request_send(w->c, &b, &reply);
        g_in_io = 0;
    }
    if (e < 0)
        return e;
    struct cli_live_reading r;
    int prc = cli_live_parse(&reply, &r);
    if (prc != 0) {
        w->rc = CLI_EXIT_PROTOCOL;
        return CLI_EXIT_PROTOCOL;
    }
    if (w->redraw)
        fputs("\033[H\033[2J", stdout);
    else if (!w->json && w->taken > 0)
        putchar('\n');
    cli_live_print(&r, w->json);
    if (w->redraw && w->gap_note[0])
        printf("\n  %s\n", w->gap_note);
    fflush(stdout);
    if (r.live.device_errors) {
        cli_report_device_errors(&reply);
        if (w->rc == 0)
            w->rc = CLI_EXIT_DEVICE;
    }
    w->taken++;
    w->last_ok = rscp_monotonic_ms();
    return 0;
}

/* After a lost connection: reconnect with backoff (the first attempt at
 * once) and take the reading that was due, until a reading came through or
 * a stop signal. Every failure is reported and retried, a refused
 * authentication and a silent close after it too: the same settings worked
 * on the first connection (a device that accepts no more connections
 * closes like one with another key). Returns 0 once connected again, or
 * 128 + the signal. */
static int recover(struct watch *w, int err)
{
    int64_t lost_at = rscp_monotonic_ms();
    int64_t prev_ok = w->last_ok;
    cli_error("connection lost: %s; reconnecting", cli_client_error(w->c, err));
    struct rscp_backoff bo;
    rscp_backoff_init(&bo, RECONNECT_INITIAL_MS, RECONNECT_MAX_MS, (uint64_t)lost_at ^ (uint64_t)getpid());
    for (unsigned attempt = 0; !g_stop; attempt++) {
        if (attempt > 0) {
            uint32_t d = rscp_backoff_next(&bo);
            cli_error("next attempt in %.1f s", (double)d / 1000.0);
            sleep_until(rscp_monotonic_ms() + d);
            if (g_stop)
                break;
        }
        g_in_io = 1;
        int rc = rscp_client_connect(w->c);
        g_in_io = 0;
        if (rc < 0) {
            cli_error("reconnect failed: %s", cli_client_error(w->c, rc));
            continue;
        }
        rc = take_reading(w);
        if (rc < 0) {
            cli_error("reconnected, but the request failed: %s", cli_client_error(w->c, rc));
            continue;
        }
        if (rc > 0) /* connected; the reply was unusable (reported) */
            return 0;
        /* Slots between the last reading before the loss and this one. */
        long missed = (long)((w->last_ok - w->t0) / w->interval_ms - (prev_ok - w->t0) / w->interval_ms) - 1;
        if (missed < 0 || prev_ok == 0)
            missed = 0;
        char gap[48];
        format_gap(w->last_ok - (prev_ok ? prev_ok : lost_at), gap, sizeof gap);
        snprintf(w->gap_note, sizeof w->gap_note, "last gap: %s, no reading for %s (%ld missed)", rscp_strerror(err),
                 gap, missed);
        cli_error("reconnected: no reading for %s (%ld reading%s missed)", gap, missed, missed == 1 ? "" : "s");
        return 0;
    }
    return 128 + g_stop;
}

int cli_live_run(rscp_client *c, bool json, double watch, long count)
{
    struct watch w;
    memset(&w, 0, sizeof w);
    w.c = c;
    w.json = json;
    w.interval_ms = watch > 0 ? (int64_t)(watch * 1000.0 + 0.5) : 0;
    if (w.interval_ms == 0 && watch > 0)
        w.interval_ms = 1;
    w.count = count;
    if (w.interval_ms == 0) {
        int e = take_reading(&w);
        if (e < 0) {
            cli_error("request failed: %s", cli_client_error(c, e));
            return cli_exit_for_error(e);
        }
        return e ? e : w.rc;
    }
    const char *term = getenv("TERM");
    w.redraw = !json && isatty(STDOUT_FILENO) && term && strcmp(term, "dumb") != 0;
    g_stop = 0;
    catch_stop_signals(true);
    int rc = 0;
    int64_t t0 = rscp_monotonic_ms();
    w.t0 = t0;
    for (long slot = 0; !g_stop;) {
        int e = take_reading(&w);
        if (e < 0 && !g_stop) {
            rc = recover(&w, e);
            if (rc)
                break;
        }
        if (count > 0 && w.taken >= count)
            break;
        /* The next slot on the schedule t0 + k * interval, skipping those
         * that a slow reading or an outage overran. */
        int64_t now = rscp_monotonic_ms();
        long due = (long)((now - t0) / w.interval_ms) + 1;
        slot = due > slot + 1 ? due : slot + 1;
        sleep_until(t0 + slot * w.interval_ms);
    }
    catch_stop_signals(false);
    /* Stopped by a signal: 128 + its number, as a shell reports it. */
    if (g_stop)
        return 128 + g_stop;
    return rc ? rc : w.rc;
}
