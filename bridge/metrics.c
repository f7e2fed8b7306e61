/* rscp-bridge: the Prometheus text exposition (see metrics.h). */
#include "metrics.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rscp/dump.h"
#include "rscp/ems.h"

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

    for (size_t k = 0; k < sizeof live_metrics / sizeof live_metrics[0]; k++) {
        const struct live_metric *lm = &live_metrics[k];
        family(&o, lm->name, "gauge", lm->help);
        for (size_t i = 0; i < n; i++) {
            const struct rscp_live *l = s[i].live;
            double v = l && (l->present & lm->bit) ? live_value(l, lm->field) / lm->divisor : NAN;
            if (isfinite(v))
                sample(&o, lm->name, s[i].site, v);
        }
    }

    family(&o, "rscp_ems_status", "gauge", "EMS.STATUS bits of the energy management, 1 when set.");
    for (size_t i = 0; i < n; i++) {
        const struct rscp_live *l = s[i].live;
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

    if (o.len < o.cap)
        o.buf[o.len] = '\0';
    return o.full ? o.need : o.len;
}
