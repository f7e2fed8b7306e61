/* rscp-bridge: the Prometheus text exposition (see metrics.h): the stream's
 * phases (the per-site fixed families, the per-value families of
 * metrics_values.c, the EMS status bits, the bridge's counters), each a
 * cursor that resumes where the last chunk ended, and the one-buffer
 * bridge_metrics_render() on top of it. */
#include "metrics_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rscp/dump.h"
#include "config.h"
#include "rscp/ems.h"

void mout_line(struct mout *o, const char *fmt, ...)
{
    char tmp[MOUT_LINE_MAX];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    size_t k = (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1;
    if (o->len + k <= o->cap) { /* always, when the unit was started with room */
        memcpy(o->buf + o->len, tmp, k);
        o->len += k;
    }
}

const char *mout_label(const char *v, char *buf, size_t cap)
{
    size_t k = 0;
    for (const char *p = v ? v : ""; *p && k + 3 < cap; p++) {
        if (*p == '\\' || *p == '"') {
            buf[k++] = '\\';
            buf[k++] = *p;
        } else if (*p == '\n') {
            buf[k++] = '\\';
            buf[k++] = 'n';
        } else {
            buf[k++] = *p;
        }
    }
    buf[k] = '\0';
    return buf;
}

void mout_family(struct mout *o, const char *name, const char *type, const char *help)
{
    mout_line(o, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A sample value as text: whole numbers (most values: watts, counters)
 * without going through the shortest-round-trip search, which a scrape of
 * many sites otherwise spends most of its time in. */
bool mout_value(double v, char *buf)
{
    if (v > -1e15 && v < 1e15 && v == (double)(long long)v) {
        char tmp[24];
        size_t k = 0;
        long long x = (long long)v;
        unsigned long long u = x < 0 ? (unsigned long long)-x : (unsigned long long)x;
        do {
            tmp[k++] = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        size_t n = 0;
        if (x < 0)
            buf[n++] = '-';
        while (k)
            buf[n++] = tmp[--k];
        buf[n] = '\0';
        return true;
    }
    return rscp_format_double64(v, buf);
}

struct live_metric {
    const char *name, *help;
    uint32_t bit;
    int field;   /* which value of struct rscp_live */
    double divisor; /* percent to ratio: 100 */
};

enum { F_PV, F_BAT, F_GRID, F_HOME, F_WB, F_WB_SOLAR, F_ADD, F_SOC, F_AUT, F_SELF };

static const struct live_metric live_metrics[] = {
    {"rscp_pv_power_watts", "Solar production.", RSCP_LIVE_PV, F_PV, 1},
    {"rscp_battery_power_watts", "Battery power, positive while charging.", RSCP_LIVE_BAT, F_BAT, 1},
    {"rscp_grid_power_watts", "Grid power, positive for import.", RSCP_LIVE_GRID, F_GRID, 1},
    {"rscp_house_power_watts", "House consumption.", RSCP_LIVE_HOME, F_HOME, 1},
    {"rscp_wallbox_power_watts", "All wallboxes.", RSCP_LIVE_WB_ALL, F_WB, 1},
    {"rscp_wallbox_solar_power_watts", "The wallboxes' solar share.", RSCP_LIVE_WB_SOLAR, F_WB_SOLAR, 1},
    {"rscp_additional_power_watts", "Additional producer's output.", RSCP_LIVE_ADD, F_ADD, 1},
    {"rscp_battery_soc_ratio", "Battery state of charge (0..1).", RSCP_LIVE_SOC, F_SOC, 100},
    {"rscp_autarky_ratio", "Autarky (0..1).", RSCP_LIVE_AUTARKY, F_AUT, 100},
    {"rscp_self_consumption_ratio", "Self-consumption (0..1).", RSCP_LIVE_SELF_CONSUMPTION, F_SELF, 100},
};

static double live_value(const struct rscp_live *l, int field)
{
    switch (field) {
    case F_PV: return (double)l->pv;
    case F_BAT: return (double)l->bat;
    case F_GRID: return (double)l->grid;
    case F_HOME: return (double)l->home;
    case F_WB: return (double)l->wb_all;
    case F_WB_SOLAR: return (double)l->wb_solar;
    case F_ADD: return (double)l->add;
    case F_SOC: return l->soc;
    case F_AUT: return l->autarky;
    default: return l->self_consumption;
    }
}


void metrics_live_each(const struct rscp_live *l, void (*add)(void *ctx, const char *family, const char *help,
                                                               double value), void *ctx)
{
    for (size_t k = 0; k < sizeof live_metrics / sizeof live_metrics[0]; k++) {
        const struct live_metric *lm = &live_metrics[k];
        if (l->present & lm->bit)
            add(ctx, lm->name, lm->help, live_value(l, lm->field) / lm->divisor);
    }
}

/* ---- the stream ------------------------------------------------------- */

/* The families every site has a sample of (or may lack: poll duration,
 * last success), in page order. */
enum { X_UP, X_POLL, X_LAST, X_POLLS, X_FAIL, X_RECON, X_COUNT };

static const struct {
    const char *name, *type, *help;
} fixed[X_COUNT] = {
    {"rscp_up", "gauge", "1 when the last poll of the site succeeded."},
    {"rscp_poll_duration_seconds", "gauge", "Duration of the last poll."},
    {"rscp_last_success_timestamp_seconds", "gauge", "Unix time of the last successful poll."},
    {"rscp_polls_total", "counter", "Polls started."},
    {"rscp_poll_failures_total", "counter", "Polls that failed."},
    {"rscp_reconnects_total", "counter", "Connections made again after a loss."},
};

static bool fixed_value(int k, const struct bridge_site_metrics *s, double *v)
{
    switch (k) {
    case X_UP: *v = s->up ? 1 : 0; return true;
    case X_POLL: *v = s->poll_seconds; return s->poll_seconds >= 0;
    case X_LAST: *v = s->last_success; return s->last_success > 0;
    case X_POLLS: *v = (double)s->polls; return true;
    case X_FAIL: *v = (double)s->failures; return true;
    default: *v = (double)s->reconnects; return true;
    }
}

enum { P_FIXED, P_VALUES, P_EMS, P_TOTALS, P_DONE };

struct bridge_metrics_stream {
    struct bridge_metrics_source src;
    int phase;
    int k;          /* P_FIXED: the family; P_TOTALS: the counter  */
    size_t site;    /* P_FIXED, P_EMS: the next site               */
    uint32_t bit;   /* P_EMS: the next bit of that site (0: none)  */
    bool header;    /* the current family's HELP/TYPE is written   */
    bool aborted;
    struct mvalues mv;
};

size_t bridge_metrics_stream_mem(size_t max_samples)
{
    return sizeof(struct bridge_metrics_stream) + mvalues_mem(max_samples);
}

struct bridge_metrics_stream *bridge_metrics_stream_new(const struct bridge_metrics_source *src, size_t max_samples)
{
    if (!src || !src->count || !src->site)
        return NULL;
    struct bridge_metrics_stream *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->src = *src;
    if (!mvalues_init(&s->mv, max_samples)) {
        free(s);
        return NULL;
    }
    return s;
}

void bridge_metrics_stream_free(struct bridge_metrics_stream *s)
{
    if (!s)
        return;
    mvalues_free(&s->mv);
    free(s);
}

static void site_of(const struct bridge_metrics_stream *s, size_t i, struct bridge_site_metrics *out)
{
    memset(out, 0, sizeof *out);
    s->src.site(s->src.ctx, i, out);
}

static bool write_fixed(struct bridge_metrics_stream *s, size_t n, struct mout *o)
{
    for (; s->k < X_COUNT; s->k++, s->site = 0, s->header = false) {
        if (!s->header) {
            if (!mout_room(o))
                return false;
            mout_family(o, fixed[s->k].name, fixed[s->k].type, fixed[s->k].help);
            s->header = true;
        }
        for (; s->site < n; s->site++) {
            if (!mout_room(o))
                return false;
            struct bridge_site_metrics sm;
            site_of(s, s->site, &sm);
            double v;
            char l[200], num[RSCP_NUMBER_BUF];
            if (fixed_value(s->k, &sm, &v) && rscp_format_double64(v, num))
                mout_line(o, "%s{site=\"%s\"} %s\n", fixed[s->k].name, mout_label(sm.site, l, sizeof l), num);
        }
    }
    return true;
}

/* The EMS status of a site: the snapshot's live part (when its group is
 * exported), else the live reading. */
static const struct rscp_live *status_of(const struct bridge_site_metrics *sm)
{
    const struct rscp_live *l = !sm->snap ? sm->live
                               : (sm->snap->have & BRIDGE_HAVE_LIVE) && (sm->groups & BRIDGE_GROUP_LIVE)
                                   ? &sm->snap->live
                                   : NULL;
    return l && (l->present & RSCP_LIVE_STATUS) ? l : NULL;
}

static bool write_ems(struct bridge_metrics_stream *s, size_t n, struct mout *o)
{
    if (!s->header) {
        if (!mout_room(o))
            return false;
        mout_family(o, "rscp_ems_status", "gauge", "EMS.STATUS bits of the energy management, 1 when set.");
        s->header = true;
        s->site = 0;
        s->bit = 1;
    }
    for (; s->site < n; s->site++, s->bit = 1) {
        struct bridge_site_metrics sm;
        site_of(s, s->site, &sm);
        const struct rscp_live *l = status_of(&sm);
        if (!l)
            continue;
        char lb[200];
        mout_label(sm.site, lb, sizeof lb);
        for (; s->bit & RSCP_EMS_STATUS_KNOWN; s->bit <<= 1) {
            if (!mout_room(o))
                return false;
            mout_line(o, "rscp_ems_status{site=\"%s\",bit=\"%s\"} %d\n", lb, rscp_ems_status_bit_id(s->bit),
                      (l->status & s->bit) ? 1 : 0);
        }
    }
    return true;
}

static bool write_totals(struct bridge_metrics_stream *s, struct mout *o)
{
    static const struct {
        const char *name, *help;
    } t[3] = {
        {"rscp_bridge_mqtt_messages_total", "MQTT messages published by the bridge."},
        {"rscp_bridge_commands_total", "Commands answered by the bridge."},
        {"rscp_bridge_http_requests_total", "HTTP requests served by the bridge."},
    };
    const uint64_t v[3] = {s->src.mqtt_messages, s->src.commands, s->src.http_requests};
    for (; s->k < 3; s->k++) {
        if (!mout_room(o))
            return false;
        mout_family(o, t[s->k].name, "counter", t[s->k].help);
        mout_line(o, "%s %llu\n", t[s->k].name, (unsigned long long)v[s->k]);
    }
    return true;
}

long bridge_metrics_stream_next(struct bridge_metrics_stream *s, char *buf, size_t cap)
{
    if (!s || s->aborted || !buf || cap < BRIDGE_METRICS_CHUNK_MIN)
        return -1;
    /* Asked anew for every chunk: between two chunks the daemon's loop ran
     * (polls, reloads), so nothing of the sites is kept but indexes. */
    size_t n = s->src.count(s->src.ctx);
    if (n == SIZE_MAX) {
        s->aborted = true;
        return -1;
    }
    struct mout o = {buf, cap, 0};
    while (s->phase != P_DONE) {
        bool done;
        switch (s->phase) {
        case P_FIXED: done = write_fixed(s, n, &o); break;
        case P_VALUES: done = mvalues_write(&s->mv, &s->src, n, &o); break;
        case P_EMS: done = write_ems(s, n, &o); break;
        default: done = write_totals(s, &o); break;
        }
        if (!done)
            break;
        s->phase++;
        s->k = 0;
        s->site = 0;
        s->header = false;
    }
    return (long)o.len;
}

/* ---- one buffer --------------------------------------------------------- */

static size_t array_count(void *ctx)
{
    return ((const struct bridge_metrics *)ctx)->nsites;
}

static void array_site(void *ctx, size_t i, struct bridge_site_metrics *out)
{
    *out = ((const struct bridge_metrics *)ctx)->sites[i];
}

size_t bridge_metrics_render(const struct bridge_metrics *m, char *buf, size_t cap)
{
    struct bridge_metrics_source src = {(void *)m,        array_count, array_site,
                                        m->mqtt_messages, m->commands, m->http_requests};
    struct bridge_metrics_stream *s = bridge_metrics_stream_new(&src, SIZE_MAX);
    enum { CHUNK = 64u << 10 };
    char *chunk = s ? malloc(CHUNK) : NULL;
    size_t len = 0, need = 0;
    bool full = false;
    long r;
    while (chunk && (r = bridge_metrics_stream_next(s, chunk, CHUNK)) > 0) {
        need += (size_t)r;
        /* Whole lines while they fit (a family's HELP and TYPE both or
         * neither, as they are written together). */
        for (size_t a = 0; !full && a < (size_t)r;) {
            const char *nl = memchr(chunk + a, '\n', (size_t)r - a);
            if (strncmp(chunk + a, "# HELP ", 7) == 0 && nl + 1 < chunk + r)
                nl = memchr(nl + 1, '\n', (size_t)(chunk + r - (nl + 1)));
            size_t k = (size_t)(nl - (chunk + a)) + 1;
            if (len + k > cap) {
                full = true;
                break;
            }
            memcpy(buf + len, chunk + a, k);
            len += k;
            a += k;
        }
    }
    free(chunk);
    bridge_metrics_stream_free(s);
    if (len < cap)
        buf[len] = '\0';
    return full ? need : len;
}
