/* rscp-bridge: the Prometheus text exposition (see metrics.h). */
#include "metrics.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rscp/dump.h"
#include "config.h"
#include "rscp/ems.h"
#include "topics.h"

/* Output with the needed length counted past the buffer's end; only whole
 * lines are kept. */
struct out {
    char *buf;
    size_t cap, len;    /* len: bytes kept                  */
    size_t need;        /* bytes the whole text takes       */
    bool full;          /* a line did not fit: keep no more */
};

static void line(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void line(struct out *o, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    size_t k = (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1;
    o->need += k;
    if (!o->full && o->len + k <= o->cap) {
        memcpy(o->buf + o->len, tmp, k);
        o->len += k;
    } else {
        o->full = true;
    }
}

/* A label value with \, " and newline escaped, into buf. */
static const char *label(const char *v, char *buf, size_t cap)
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

static void family(struct out *o, const char *name, const char *type, const char *help)
{
    line(o, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A sample with the shortest decimal that reads back as v (finite v only). */
static void sample(struct out *o, const char *name, const char *site, double v)
{
    char l[200], num[RSCP_NUMBER_BUF];
    if (rscp_format_double64(v, num))
        line(o, "%s{site=\"%s\"} %s\n", name, label(site, l, sizeof l), num);
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

/* ---- the per-value families ------------------------------------------ */

/* One sample of a per-value family. */
struct msample {
    const char *family, *help;
    double value;
    uint32_t site, seq;
    uint32_t fam;              /* index of the family in order of appearance */
    const char *unit_label;    /* "battery", "inverter", ... or NULL         */
    int16_t unit;              /* the unit's index                            */
    int16_t tracker, dcb, sensor; /* -1: none                                */
    char phase;                /* '1'..'3' or 0                               */
};

#define FAM_SLOTS 1024u /* distinct family name pointers remembered */

struct collect {
    struct msample *v;
    size_t n, cap;
    bool failed;
    uint32_t site;
    const char *fam_ptr[FAM_SLOTS]; /* open addressing on the pointer */
    uint32_t fam_idx[FAM_SLOTS];
    const char **names;             /* distinct names, by index       */
    uint32_t nnames, names_cap;
};

static uint32_t family_index(struct collect *c, const char *family)
{
    size_t h = ((uintptr_t)family >> 3) % FAM_SLOTS;
    for (size_t k = 0; k < FAM_SLOTS; k++, h = (h + 1) % FAM_SLOTS) {
        if (c->fam_ptr[h] == family)
            return c->fam_idx[h];
        if (c->fam_ptr[h])
            continue;
        uint32_t idx = UINT32_MAX;
        for (uint32_t i = 0; i < c->nnames; i++)
            if (strcmp(c->names[i], family) == 0)
                idx = i;
        if (idx == UINT32_MAX) {
            if (c->nnames == c->names_cap) {
                uint32_t cap = c->names_cap ? c->names_cap * 2 : 64;
                const char **nn = realloc(c->names, cap * sizeof *nn);
                if (!nn) {
                    c->failed = true;
                    return 0;
                }
                c->names = nn;
                c->names_cap = cap;
            }
            idx = c->nnames;
            c->names[c->nnames++] = family;
        }
        c->fam_ptr[h] = family;
        c->fam_idx[h] = idx;
        return idx;
    }
    c->failed = true; /* more distinct pointers than slots */
    return 0;
}

static struct msample *add_sample(struct collect *c, const char *family, const char *help, double value)
{
    if (c->failed || !isfinite(value))
        return NULL;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 256;
        struct msample *nv = realloc(c->v, cap * sizeof *nv);
        if (!nv) {
            c->failed = true;
            return NULL;
        }
        c->v = nv;
        c->cap = cap;
    }
    uint32_t fam = family_index(c, family);
    if (c->failed)
        return NULL;
    struct msample *m = &c->v[c->n];
    memset(m, 0, sizeof *m);
    m->family = family;
    m->help = help;
    m->value = value;
    m->site = c->site;
    m->seq = (uint32_t)c->n;
    m->fam = fam;
    m->unit = -1;
    m->tracker = m->dcb = m->sensor = -1;
    c->n++;
    return m;
}

/* A number that is a whole path segment at p (up to '/' or the end). */
static int16_t segment_number(const char *p)
{
    long v = 0;
    size_t k = 0;
    for (; p[k] >= '0' && p[k] <= '9' && k < 5; k++)
        v = v * 10 + (p[k] - '0');
    return k > 0 && (p[k] == '/' || p[k] == '\0') ? (int16_t)v : (int16_t)-1;
}

static const char *unit_label_of(const char *component)
{
    if (!component)
        return NULL;
    if (strcmp(component, "pvi") == 0)
        return "inverter";
    if (strcmp(component, "pm") == 0)
        return "meter";
    return component; /* "battery", "wallbox" */
}

static void on_value(void *ctx, const struct bridge_value *v)
{
    struct collect *c = ctx;
    const struct bridge_topic_meta *meta = v->meta;
    if (!meta || !meta->metric || v->kind == BRIDGE_VAL_STRING)
        return;
    double scale = meta->metric_scale != 0 ? meta->metric_scale : 1;
    double x = v->kind == BRIDGE_VAL_BOOL ? (v->flag ? 1 : 0) : v->number * scale;
    struct msample *m = add_sample(c, meta->metric, meta->label ? meta->label : v->topic, x);
    if (!m)
        return;
    if (meta->component && v->unit_index >= 0) {
        m->unit_label = unit_label_of(meta->component);
        m->unit = (int16_t)v->unit_index;
    }
    for (const char *p = v->topic; p; p = strchr(p, '/') ? strchr(p, '/') + 1 : NULL) {
        if (strncmp(p, "string_", 7) == 0 && segment_number(p + 7) >= 0)
            m->tracker = segment_number(p + 7);
        else if (p[0] == 'L' && p[1] >= '1' && p[1] <= '3' && (p[2] == '/' || p[2] == '\0'))
            m->phase = p[1];
        else if (strncmp(p, "dcb/", 4) == 0)
            m->dcb = segment_number(p + 4);
        else if (strncmp(p, "temperature/", 12) == 0)
            m->sensor = segment_number(p + 12);
    }
}

/* A sample value as text: whole numbers (most values: watts, counters)
 * without going through the shortest-round-trip search, which a scrape of
 * many sites otherwise spends most of its time in. */
static bool format_value(double v, char *buf)
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

static int sample_order(const void *a, const void *b)
{
    const struct msample *x = a, *y = b;
    if (x->fam != y->fam)
        return x->fam < y->fam ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void live_samples(struct collect *c, const struct rscp_live *l)
{
    for (size_t k = 0; k < sizeof live_metrics / sizeof live_metrics[0]; k++) {
        const struct live_metric *lm = &live_metrics[k];
        if (l->present & lm->bit)
            add_sample(c, lm->name, lm->help, live_value(l, lm->field) / lm->divisor);
    }
}

static void write_samples(struct out *o, const struct bridge_metrics *m, struct collect *c)
{
    if (c->n == 0)
        return;
    qsort(c->v, c->n, sizeof *c->v, sample_order);
    for (size_t i = 0; i < c->n; i++) {
        const struct msample *s = &c->v[i];
        if (i == 0 || c->v[i - 1].fam != s->fam)
            family(o, s->family, strlen(s->family) > 6 && strcmp(s->family + strlen(s->family) - 6, "_total") == 0
                                     ? "counter"
                                     : "gauge",
                   s->help);
        char lb[200], labels[400], num[RSCP_NUMBER_BUF];
        int n = snprintf(labels, sizeof labels, "site=\"%s\"", label(m->sites[s->site].site, lb, sizeof lb));
        if (s->unit_label && n >= 0 && (size_t)n < sizeof labels)
            n += snprintf(labels + n, sizeof labels - (size_t)n, ",%s=\"%d\"", s->unit_label, s->unit);
        if (s->tracker >= 0 && n >= 0 && (size_t)n < sizeof labels)
            n += snprintf(labels + n, sizeof labels - (size_t)n, ",tracker=\"%d\"", s->tracker);
        if (s->dcb >= 0 && n >= 0 && (size_t)n < sizeof labels)
            n += snprintf(labels + n, sizeof labels - (size_t)n, ",dcb=\"%d\"", s->dcb);
        if (s->sensor >= 0 && n >= 0 && (size_t)n < sizeof labels)
            n += snprintf(labels + n, sizeof labels - (size_t)n, ",sensor=\"%d\"", s->sensor);
        if (s->phase && n >= 0 && (size_t)n < sizeof labels)
            snprintf(labels + n, sizeof labels - (size_t)n, ",phase=\"L%c\"", s->phase);
        if (format_value(s->value, num))
            line(o, "%s{%s} %s\n", s->family, labels, num);
    }
}

size_t bridge_metrics_render(const struct bridge_metrics *m, char *buf, size_t cap)
{
    struct out o = {buf, cap, 0, 0, false};
    const struct bridge_site_metrics *s = m->sites;
    size_t n = m->nsites;

    family(&o, "rscp_up", "gauge", "1 when the last poll of the site succeeded.");
    for (size_t i = 0; i < n; i++)
        sample(&o, "rscp_up", s[i].site, s[i].up ? 1 : 0);
    family(&o, "rscp_poll_duration_seconds", "gauge", "Duration of the last poll.");
    for (size_t i = 0; i < n; i++)
        if (s[i].poll_seconds >= 0)
            sample(&o, "rscp_poll_duration_seconds", s[i].site, s[i].poll_seconds);
    family(&o, "rscp_last_success_timestamp_seconds", "gauge", "Unix time of the last successful poll.");
    for (size_t i = 0; i < n; i++)
        if (s[i].last_success > 0)
            sample(&o, "rscp_last_success_timestamp_seconds", s[i].site, s[i].last_success);
    family(&o, "rscp_polls_total", "counter", "Polls started.");
    for (size_t i = 0; i < n; i++)
        sample(&o, "rscp_polls_total", s[i].site, (double)s[i].polls);
    family(&o, "rscp_poll_failures_total", "counter", "Polls that failed.");
    for (size_t i = 0; i < n; i++)
        sample(&o, "rscp_poll_failures_total", s[i].site, (double)s[i].failures);
    family(&o, "rscp_reconnects_total", "counter", "Connections made again after a loss.");
    for (size_t i = 0; i < n; i++)
        sample(&o, "rscp_reconnects_total", s[i].site, (double)s[i].reconnects);

    /* The values: the table's families for snapshots, the fixed live list
     * otherwise, grouped by family. */
    struct collect *c = calloc(1, sizeof *c);
    if (c) {
        for (size_t i = 0; i < n && !c->failed; i++) {
            c->site = (uint32_t)i;
            if (s[i].snap)
                bridge_topics_each(s[i].snap, s[i].groups, on_value, c);
            else if (s[i].live)
                live_samples(c, s[i].live);
        }
        if (!c->failed)
            write_samples(&o, m, c);
        free(c->v);
        free(c->names);
        free(c);
    }

    family(&o, "rscp_ems_status", "gauge", "EMS.STATUS bits of the energy management, 1 when set.");
    for (size_t i = 0; i < n; i++) {
        const struct rscp_live *l = !s[i].snap ? s[i].live
                                   : (s[i].snap->have & BRIDGE_HAVE_LIVE) && (s[i].groups & BRIDGE_GROUP_LIVE)
                                       ? &s[i].snap->live
                                       : NULL;
        if (!l || !(l->present & RSCP_LIVE_STATUS))
            continue;
        char lb[200];
        label(s[i].site, lb, sizeof lb);
        for (uint32_t bit = 1; bit & RSCP_EMS_STATUS_KNOWN; bit <<= 1)
            line(&o, "rscp_ems_status{site=\"%s\",bit=\"%s\"} %d\n", lb, rscp_ems_status_bit_id(bit),
                 (l->status & bit) ? 1 : 0);
    }

    family(&o, "rscp_bridge_mqtt_messages_total", "counter", "MQTT messages published by the bridge.");
    line(&o, "rscp_bridge_mqtt_messages_total %llu\n", (unsigned long long)m->mqtt_messages);
    family(&o, "rscp_bridge_commands_total", "counter", "Commands answered by the bridge.");
    line(&o, "rscp_bridge_commands_total %llu\n", (unsigned long long)m->commands);
    family(&o, "rscp_bridge_http_requests_total", "counter", "HTTP requests served by the bridge.");
    line(&o, "rscp_bridge_http_requests_total %llu\n", (unsigned long long)m->http_requests);

    if (o.len < o.cap)
        o.buf[o.len] = '\0';
    return o.full ? o.need : o.len;
}
