/* rscp-bridge: what the bridge's own commands change and show of a site
 * at run time (site.h): the poll interval, the polled groups, the next
 * cycle, the recent errors and a line of internal state. */
#include "site_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>


void site_note_error(struct bridge_site_rt *s, const char *fmt, ...)
{
    if (!s->errors && !(s->errors = calloc(BRIDGE_SITE_ERRORS_KEPT, sizeof *s->errors)))
        return; /* out of memory: the error is in the log only (its caller logs it) */
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    unsigned k = s->err_next % BRIDGE_SITE_ERRORS_KEPT;
    s->errors[k].unix_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->errors[k].text, sizeof s->errors[k].text, fmt, ap);
    va_end(ap);
    s->err_next = (k + 1) % BRIDGE_SITE_ERRORS_KEPT;
    if (s->err_count < BRIDGE_SITE_ERRORS_KEPT)
        s->err_count++;
}

size_t bridge_site_errors(const struct bridge_site_rt *s, void (*fn)(void *ctx, int64_t unix_ms, const char *text),
                          void *ctx)
{
    unsigned first = (s->err_next + BRIDGE_SITE_ERRORS_KEPT - s->err_count) % BRIDGE_SITE_ERRORS_KEPT;
    for (unsigned i = 0; i < s->err_count && fn; i++) {
        unsigned k = (first + i) % BRIDGE_SITE_ERRORS_KEPT;
        fn(ctx, s->errors[k].unix_ms, s->errors[k].text);
    }
    return s->err_count;
}

int bridge_site_set_interval(struct bridge_site_rt *s, unsigned interval_ms, int64_t now_ms)
{
    if (interval_ms < 1000 || interval_ms > 300000)
        return -1;
    s->interval_ms = interval_ms;
    /* A shorter interval takes effect now, a longer one after the cycle due. */
    if (s->next_poll_ms > now_ms + (int64_t)interval_ms)
        s->next_poll_ms = now_ms + (int64_t)interval_ms;
    return 0;
}

unsigned bridge_site_interval_ms(const struct bridge_site_rt *s) { return s->interval_ms; }

void bridge_site_set_groups(struct bridge_site_rt *s, uint32_t group, bool on)
{
    uint32_t before = s->groups;
    s->groups = on ? s->groups | group : s->groups & ~group;
    /* The modules' memory follows the DCB group (the plant is known once
     * the setup exchange is done). */
    if (((before ^ s->groups) & BRIDGE_GROUP_DCB) && (s->snap.have & BRIDGE_HAVE_PLANT)) {
        site_size_dcbs(s);
        if (!on)
            s->snap.have &= ~(uint32_t)BRIDGE_HAVE_DCB;
    }
}

void bridge_site_poll_soon(struct bridge_site_rt *s) { s->poll_now = true; }

static const char *phase_name(int phase)
{
    switch (phase) {
    case SITE_WAIT: return "waiting";
    case SITE_CONNECTING: return "connecting";
    case SITE_READY: return "ready";
    case SITE_BUSY: return "busy";
    case SITE_STOPPED: return "stopped";
    default: return "?";
    }
}

void bridge_site_describe(const struct bridge_site_rt *s, int64_t now_ms, char *buf, size_t cap)
{
    char groups[128];
    bridge_groups_format(s->groups, groups, sizeof groups);
    double since = s->stats.last_success_unix_ms > 0 ? (double)s->stats.last_success_unix_ms / 1000.0 : 0;
    int64_t next = s->phase == SITE_WAIT ? s->next_attempt_ms : s->next_poll_ms;
    snprintf(buf, cap,
             "%s, %s, device %s:%u, interval %u ms%s, groups %s%s, next %s in %lld ms, queue %u, polls %llu, "
             "failures %llu, reconnects %llu, missed %llu, commands %llu, last poll %.3f s, last success %.0f "
             "(unix s), errors kept %u",
             s->online ? "online" : "offline", phase_name(s->phase), s->host, (unsigned)s->port, s->interval_ms,
             s->interval_ms != s->cfg_interval_ms ? " (changed at run time)" : "", groups[0] ? groups : "none",
             s->groups != s->cfg_groups ? " (changed at run time)" : "",
             s->phase == SITE_WAIT ? "attempt" : "cycle", (long long)(next > now_ms ? next - now_ms : 0), s->q_len,
             (unsigned long long)s->stats.polls, (unsigned long long)s->stats.failures,
             (unsigned long long)s->stats.reconnects, (unsigned long long)s->stats.missed,
             (unsigned long long)s->stats.commands, s->stats.last_poll_seconds, since, s->err_count);
}
