/* rscp-bridge: one site (plant) on the daemon's event loop.
 *
 * A site owns a non-blocking rscp_client and runs it through its life:
 *   down -> connecting (rscp_client_start) -> setup exchange (INFO, plant
 *   discovery, system specs in one frame) -> ready, and then, every
 *   interval, a poll cycle: live values, every present unit, the settings,
 *   reserve, idle periods and manual charge in one frame; the battery
 *   modules (DCB) and today's and yesterday's energies in a second frame at
 *   most once per BRIDGE_SLOW_EVERY_MS.
 * Between cycles it runs the queued commands (set/ topics), one exchange or
 * two each, and keeps a power-mode hold alive (rscp/power_hold.h).
 * Any failure (connect, authentication, timeout, a reply that cannot be
 * read) closes the connection, marks the site offline and retries with
 * exponential backoff and jitter; a site that is down never delays another.
 *
 * The daemon drives it: before each wait it asks bridge_site_fd() /
 * bridge_site_events(), after the wait it calls bridge_site_io() for the
 * site's descriptor, and bridge_site_timer() when bridge_site_next_deadline()
 * has passed (calling it early is harmless). What happens is reported
 * through the callbacks of struct bridge_site_events, from inside these
 * calls. Not thread-safe (one loop thread). */
#ifndef RSCP_BRIDGE_SITE_H
#define RSCP_BRIDGE_SITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "command.h"
#include "config.h"
#include "snapshot.h"

#define BRIDGE_SITE_QUEUE_MAX 16u         /* commands waiting per site; more: "busy" */
#define BRIDGE_SLOW_EVERY_MS 60000        /* DCBs and history re-read at most this often */
#define BRIDGE_BACKOFF_INITIAL_MS 1000u   /* first reconnect delay                    */
#define BRIDGE_BACKOFF_MAX_MS 60000u      /* longest reconnect delay                  */
#define BRIDGE_RESULT_TEXT_MAX 240u       /* reason text of a command result          */

struct bridge_site_rt;

/* The answer to one command; the daemon publishes it on the command's
 * result topic. */
struct bridge_cmd_result {
    uint64_t tag;          /* the caller's tag given to bridge_site_command() */
    int kind;              /* enum bridge_command_kind                         */
    unsigned wallbox;      /* the command's set/wallbox/<n>/...: n; 0 none     */
    bool ok;
    char error[BRIDGE_RESULT_TEXT_MAX]; /* reason when !ok ("site offline")    */
    char info[BRIDGE_RESULT_TEXT_MAX];  /* when ok: JSON members to add, without
                                           braces ("\"mirrored\":2000"), or "" */
};

/* Counters and times, for metrics and logs. */
struct bridge_site_stats {
    uint64_t polls;              /* cycles that succeeded                        */
    uint64_t failures;           /* cycles or connections that failed            */
    uint64_t reconnects;         /* connections started after the first          */
    uint64_t missed;             /* cycles that could not start on time          */
    uint64_t commands;           /* commands answered                            */
    double last_poll_seconds;    /* duration of the last good cycle; < 0: none   */
    int64_t last_success_unix_ms; /* wall clock of the last good cycle; 0: never */
};

struct bridge_site_events {
    /* A cycle succeeded: bridge_site_snapshot(s) holds its values. */
    void (*cycle)(void *ctx, struct bridge_site_rt *s);
    /* The site went online (first good cycle after a failure or at start) or
     * offline (why: the reason, no secrets). */
    void (*status)(void *ctx, struct bridge_site_rt *s, bool online, const char *why);
    /* A command's answer (exactly one per bridge_site_command() call that
     * returned 0). */
    void (*result)(void *ctx, struct bridge_site_rt *s, const struct bridge_cmd_result *r);
    /* The day asked for with set/request/day: its sums (energies in Wh). */
    void (*history_day)(void *ctx, struct bridge_site_rt *s, int year, int month, int day,
                        const struct rscp_history_values *v);
    void *ctx;
};

/* Create a site from its configuration (strings copied; the secrets are
 * wiped when the site is freed). seed varies the backoff jitter and the
 * hold's resend jitter; now_ms is the loop's monotonic clock: the first
 * connection starts at a point spread over one interval by the name's
 * hash, so that many sites do not connect at once. Returns NULL with a
 * reason in err[0..cap) on failure. */
struct bridge_site_rt *bridge_site_new(const struct bridge_site *cfg, const struct bridge_site_events *ev,
                                       uint64_t seed, int64_t now_ms, char *err, size_t errcap);

/* Close and free; NULL accepted. Commands still queued are answered
 * ("site removed") through the result callback first. */
void bridge_site_free(struct bridge_site_rt *s);

const char *bridge_site_name(const struct bridge_site_rt *s);

/* Whether cfg describes the same connection and behaviour as the site was
 * made with (for a configuration reload: unchanged sites keep running). */
bool bridge_site_same_config(const struct bridge_site_rt *s, const struct bridge_site *cfg);

/* The descriptor to watch (-1: none now) and the poll events (POLLIN,
 * POLLOUT) it needs. Query before every wait: it changes on reconnect. */
int bridge_site_fd(const struct bridge_site_rt *s);
short bridge_site_events(const struct bridge_site_rt *s);

/* The descriptor is ready with revents (POLLIN/POLLOUT/POLLERR/POLLHUP). */
void bridge_site_io(struct bridge_site_rt *s, short revents, int64_t now_ms);

/* Time has passed: start what is due (connection, cycle, command, hold
 * request) and fail exchanges past their deadline. */
void bridge_site_timer(struct bridge_site_rt *s, int64_t now_ms);

/* Monotonic ms when bridge_site_timer() should run next (INT64_MAX: never). */
int64_t bridge_site_next_deadline(const struct bridge_site_rt *s);

/* Queue a command; its answer comes later through the result callback
 * with `tag`. Returns 0 when queued; -1 with the reason in err when it is
 * answered at once instead ("site offline", "busy: 16 commands waiting");
 * the result callback is then not called. */
int bridge_site_command(struct bridge_site_rt *s, const struct bridge_command *cmd, uint64_t tag, char *err,
                        size_t errcap);

bool bridge_site_online(const struct bridge_site_rt *s);
/* Connections started so far: a new value means a new descriptor, even
 * when the kernel gave it the old number. */
uint64_t bridge_site_conn_id(const struct bridge_site_rt *s);
/* Whether the site has had its first good cycle or failure since it was
 * created (for --once). */
bool bridge_site_settled(const struct bridge_site_rt *s);
const struct bridge_snapshot *bridge_site_snapshot(const struct bridge_site_rt *s);
const struct bridge_site_stats *bridge_site_stats(const struct bridge_site_rt *s);
uint32_t bridge_site_groups(const struct bridge_site_rt *s);

/* ---- run-time changes and inspection (site_runtime.c): the bridge's own
 * commands (set/interval, set/requests/..., set/force, set/log/...,
 * set/health). A change lasts until the bridge stops; a reload that keeps
 * the site's configuration keeps it too. */

#define BRIDGE_SITE_ERRORS_KEPT 16u /* recent errors remembered per site */

/* Poll every interval_ms (1000..300000) from now on: the next cycle comes
 * at most interval_ms from now. Returns 0, or -1 when out of range. */
int bridge_site_set_interval(struct bridge_site_rt *s, unsigned interval_ms, int64_t now_ms);
unsigned bridge_site_interval_ms(const struct bridge_site_rt *s);

/* Poll the groups in `group` (BRIDGE_GROUP_* bits) or not, from the next
 * cycle on; a group switched off keeps its last values (not published
 * again while off). */
void bridge_site_set_groups(struct bridge_site_rt *s, uint32_t group, bool on);

/* Start the next cycle as soon as the site is free. */
void bridge_site_poll_soon(struct bridge_site_rt *s);

/* The site's recent errors, oldest first: fn(ctx, wall-clock ms, text)
 * for each (at most BRIDGE_SITE_ERRORS_KEPT: connection failures, failed
 * commands). Returns their number. */
size_t bridge_site_errors(const struct bridge_site_rt *s, void (*fn)(void *ctx, int64_t unix_ms, const char *text),
                          void *ctx);

/* One line of the site's internal state for the log ("online, ready,
 * interval 1000 ms, groups live,battery,..., queue 0, polls 12, ...");
 * no secrets (no user, password or key). */
void bridge_site_describe(const struct bridge_site_rt *s, int64_t now_ms, char *buf, size_t cap);

/* Hold the site in the loop for a stop: end a running power hold (the
 * closing AUTO is sent when the connection allows) and start nothing new.
 * bridge_site_idle() is true when nothing is in flight any more. */
void bridge_site_drain(struct bridge_site_rt *s, int64_t now_ms);
bool bridge_site_idle(const struct bridge_site_rt *s);

/* The shared request buffer of all sites (the loop has one thread, and a
 * request is copied into the client's buffer when submitted). */
#define BRIDGE_REQUEST_MAX 16384u

#endif
