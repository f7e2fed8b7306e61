/* The bridge's Prometheus exposition (bridge/metrics.h): the families and
 * samples for sites with and without readings, values the site did not
 * give left out, whole lines only when the buffer is short, and the text
 * through `promtool check metrics` (Debian package prometheus; make check
 * installs it). */
#include "harness.h"
#include "config.h"
#include "metrics.h"
#include "topics.h"

#include "rscp/dump.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- a small topic table for this test until bridge/topics.c exists */
#ifndef RSCP_BRIDGE_TOPIC_TABLE

static const struct bridge_topic_meta m_pv = {"Solar power", "W", "power", "measurement", NULL,
                                               "rscp_pv_power_watts", 1, 0, BRIDGE_GROUP_LIVE, false};
static const struct bridge_topic_meta m_soc = {"Battery SOC", "%", "battery", "measurement", NULL,
                                                "rscp_battery_soc_ratio", 0.01, 0, BRIDGE_GROUP_LIVE, false};
static const struct bridge_topic_meta m_bat_v = {"Battery voltage", "V", "voltage", "measurement", "battery",
                                                  "rscp_battery_voltage_volts", 1, 0, BRIDGE_GROUP_BATTERY, false};
static const struct bridge_topic_meta m_trk = {"PV tracker power", "W", "power", "measurement", "pvi",
                                                "rscp_pv_tracker_power_watts", 1, 0, BRIDGE_GROUP_PV, false};
static const struct bridge_topic_meta m_pm = {"Meter power", "W", "power", "measurement", "pm",
                                               "rscp_meter_power_watts", 1, 0, BRIDGE_GROUP_METERS, false};
static const struct bridge_topic_meta m_wb_e = {"Wallbox energy total", "Wh", "energy", "total_increasing",
                                                 "wallbox", "rscp_wallbox_energy_joules_total", 3600, 0,
                                                 BRIDGE_GROUP_WALLBOX, false};
static const struct bridge_topic_meta m_weather = {"Weather regulation", NULL, NULL, NULL, NULL,
                                                    "rscp_weather_regulation_enabled", 1, 0, BRIDGE_GROUP_SETTINGS,
                                                    false};
static const struct bridge_topic_meta m_none = {"Not exported", "W", "power", "measurement", NULL, NULL, 1, 0,
                                                 BRIDGE_GROUP_LIVE, false};
static const struct bridge_topic_meta m_sw = {"Software release", NULL, NULL, NULL, NULL, "rscp_software", 1, 0,
                                               BRIDGE_GROUP_LIVE, true};

static size_t stub_n;
static void stub(bridge_value_fn fn, void *ctx, const char *topic, int kind, double v, int unit,
                 const struct bridge_topic_meta *m)
{
    struct bridge_value val;
    memset(&val, 0, sizeof val);
    snprintf(val.topic, sizeof val.topic, "%s", topic);
    val.kind = kind;
    val.number = v;
    val.flag = v != 0;
    val.text = "S10_2024";
    val.decimals = 2;
    val.unit_index = unit;
    val.meta = m;
    fn(ctx, &val);
    stub_n++;
}

size_t bridge_topics_each(const struct bridge_snapshot *s, uint32_t groups, bridge_value_fn fn, void *ctx)
{
    stub_n = 0;
    char t[BRIDGE_TOPIC_SUFFIX_MAX];
    if ((groups & BRIDGE_GROUP_LIVE) && (s->have & BRIDGE_HAVE_LIVE)) {
        stub(fn, ctx, "solar/power", BRIDGE_VAL_NUMBER, (double)s->live.pv, -1, &m_pv);
        stub(fn, ctx, "battery/soc", BRIDGE_VAL_NUMBER, s->live.soc, -1, &m_soc);
        stub(fn, ctx, "home/power", BRIDGE_VAL_NUMBER, (double)s->live.home, -1, &m_none);
        stub(fn, ctx, "system/software", BRIDGE_VAL_STRING, 0, -1, &m_sw);
    }
    for (unsigned i = 0; (groups & BRIDGE_GROUP_BATTERY) && i < RSCP_BAT_MAX_STRINGS; i++)
        if (s->bat_ok & (1u << i)) {
            snprintf(t, sizeof t, "battery/%u/voltage", i + 1);
            stub(fn, ctx, t, BRIDGE_VAL_NUMBER, s->bat[i].voltage, (int)i, &m_bat_v);
        }
    if ((groups & BRIDGE_GROUP_PV) && (s->pvi_ok & 1u))
        for (unsigned k = 0; k < 2; k++) {
            snprintf(t, sizeof t, "pvi/power/string_%u", k + 1);
            stub(fn, ctx, t, BRIDGE_VAL_NUMBER, 1000.0 * (k + 1), 0, &m_trk);
        }
    for (unsigned i = 0; (groups & BRIDGE_GROUP_METERS) && i < RSCP_PM_MAX_METERS; i++)
        if (s->pm_ok & (1u << i))
            for (unsigned p = 0; p < 3; p++) {
                snprintf(t, sizeof t, "pm_%u/power/L%u", i, p + 1);
                stub(fn, ctx, t, BRIDGE_VAL_NUMBER, s->pm[i].power[p], (int)i, &m_pm);
            }
    if ((groups & BRIDGE_GROUP_WALLBOX) && (s->wb_ok & 1u))
        stub(fn, ctx, "wallbox/energy/total", BRIDGE_VAL_NUMBER, s->wb[0].energy_all, 0, &m_wb_e);
    if ((groups & BRIDGE_GROUP_SETTINGS) && (s->have & BRIDGE_HAVE_SETTINGS))
        stub(fn, ctx, "ems/weather_regulation", BRIDGE_VAL_BOOL, s->settings.weather_regulated, -1, &m_weather);
    return stub_n;
}
#endif

static void test_render(void)
{
    struct rscp_live live = {0};
    live.pv = 2300;
    live.bat = -42;
    live.grid = -2027;
    live.home = 673;
    live.soc = 57.5;
    live.autarky = 100;
    live.status = 0x11;
    live.present = RSCP_LIVE_PV | RSCP_LIVE_BAT | RSCP_LIVE_GRID | RSCP_LIVE_HOME | RSCP_LIVE_SOC |
                   RSCP_LIVE_AUTARKY | RSCP_LIVE_STATUS;
    struct bridge_site_metrics sites[2] = {
        {"home", true, 0.012, 1782037800.5, 10, 1, 2, &live, NULL, 0},
        {"cabin \"2\"", false, -1, 0, 3, 3, 0, NULL, NULL, 0},
    };
    struct bridge_metrics m = {sites, 2, 123, 4, 0};
    static char buf[16384];
    size_t n = bridge_metrics_render(&m, buf, sizeof buf);
    CHECK(n > 0 && n < sizeof buf);
    CHECK_INT(strlen(buf), n);
    CHECK(strstr(buf, "# TYPE rscp_up gauge\n") != NULL);
    CHECK(strstr(buf, "rscp_up{site=\"home\"} 1\n") != NULL);
    CHECK(strstr(buf, "rscp_up{site=\"cabin \\\"2\\\"\"} 0\n") != NULL);
    CHECK(strstr(buf, "rscp_pv_power_watts{site=\"home\"} 2300\n") != NULL);
    CHECK(strstr(buf, "rscp_battery_power_watts{site=\"home\"} -42\n") != NULL);
    CHECK(strstr(buf, "rscp_battery_soc_ratio{site=\"home\"} 0.575\n") != NULL);
    CHECK(strstr(buf, "rscp_last_success_timestamp_seconds{site=\"home\"} 1782037800.5\n") != NULL);
    CHECK(strstr(buf, "rscp_autarky_ratio{site=\"home\"} 1\n") != NULL);
    CHECK(strstr(buf, "# TYPE rscp_polls_total counter\n") != NULL);
    CHECK(strstr(buf, "rscp_poll_failures_total{site=\"cabin \\\"2\\\"\"} 3\n") != NULL);
    CHECK(strstr(buf, "rscp_ems_status{site=\"home\",bit=\"charge_locked\"} 1\n") != NULL);
    CHECK(strstr(buf, "rscp_ems_status{site=\"home\",bit=\"feed_in_limited\"} 1\n") != NULL);
    CHECK(strstr(buf, "rscp_ems_status{site=\"home\",bit=\"discharge_locked\"} 0\n") != NULL);
    CHECK(strstr(buf, "rscp_bridge_mqtt_messages_total 123\n") != NULL);
    /* Not given: no sample (neither the values of the site without a
     * reading, nor the wallbox the reading lacks, nor a poll never made). */
    CHECK(strstr(buf, "rscp_pv_power_watts{site=\"cabin") == NULL);
    CHECK(strstr(buf, "rscp_wallbox_power_watts{") == NULL);
    CHECK(strstr(buf, "rscp_poll_duration_seconds{site=\"cabin") == NULL);
    CHECK(strstr(buf, "rscp_last_success_timestamp_seconds{site=\"cabin") == NULL);
    CHECK(strstr(buf, "nan") == NULL && strstr(buf, "inf") == NULL);

    /* Short buffers: whole lines only, the needed length returned. */
    char small[100];
    size_t need = bridge_metrics_render(&m, small, sizeof small);
    CHECK_INT(need, n);
    CHECK(strlen(small) < sizeof small);
    CHECK(small[strlen(small) - 1] == '\n');
    CHECK(memcmp(small, buf, strlen(small)) == 0);

    /* promtool agrees with the format and the naming conventions. */
    char path[] = "/tmp/rscp_metricsXXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    CHECK(write(fd, buf, n) == (ssize_t)n);
    close(fd);
    if (system("command -v promtool >/dev/null 2>&1") != 0) {
        FAIL("promtool not found: install Debian package prometheus (make check does)");
    } else {
        char cmd[256];
        snprintf(cmd, sizeof cmd, "promtool check metrics < %s", path);
        int rc = system(cmd);
        if (rc != 0)
            fprintf(stderr, "  promtool check metrics failed (%d) on:\n%s\n", rc, buf);
        CHECK_INT(rc, 0);
    }
    unlink(path);

    /* No sites at all is still a valid exposition. */
    struct bridge_metrics none = {NULL, 0, 0, 0, 0};
    n = bridge_metrics_render(&none, buf, sizeof buf);
    CHECK(strstr(buf, "rscp_bridge_commands_total 0\n") != NULL);
}

/* Every line "name{labels} value" of text whose name is family. */
static bool grouped(const char *text, const char *family)
{
    /* the family's TYPE once, and its samples only in one run of lines */
    char type[160];
    snprintf(type, sizeof type, "# TYPE %s ", family);
    const char *first = strstr(text, type);
    if (!first || strstr(first + 1, type))
        return false;
    size_t fl = strlen(family);
    bool in = false, done = false;
    for (const char *p = text; *p;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        bool mine = n > fl && strncmp(p, family, fl) == 0 && p[fl] == '{';
        bool comment = p[0] == '#';
        if (mine && done)
            return false;
        if (mine)
            in = true;
        else if (in && !comment)
            done = true;
        p += n + (e ? 1 : 0);
    }
    return in;
}

/* Every value of the table with a metric has its sample for site "home"
 * (value * scale, true/false as 1/0), and its family is grouped once. */
struct expect {
    const char *text;
    size_t values, missing;
};

static bool has_sample(const char *text, const char *family, const char *num)
{
    char head[200], tail[80];
    snprintf(head, sizeof head, "%s{site=\"home\"", family);
    snprintf(tail, sizeof tail, " %s\n", num);
    for (const char *p = strstr(text, head); p; p = strstr(p + 1, head)) {
        if (p != text && p[-1] != '\n')
            continue;
        const char *e = strchr(p, '\n');
        const char *sp = e ? e : p + strlen(p);
        while (sp > p && sp[-1] != ' ')
            sp--;
        if (e && sp > p && strncmp(sp - 1, tail, strlen(tail)) == 0)
            return true;
    }
    return false;
}

static void expect_value(void *ctx, const struct bridge_value *v)
{
    struct expect *x = ctx;
    if (!v->meta || !v->meta->metric || v->kind == BRIDGE_VAL_STRING)
        return;
    double scale = v->meta->metric_scale != 0 ? v->meta->metric_scale : 1;
    double want = v->kind == BRIDGE_VAL_BOOL ? (v->flag ? 1 : 0) : v->number * scale;
    char num[RSCP_NUMBER_BUF];
    CHECK(rscp_format_double64(want, num));
    x->values++;
    if (!has_sample(x->text, v->meta->metric, num) || !grouped(x->text, v->meta->metric)) {
        fprintf(stderr, "  %s: no grouped sample %s{site=\"home\"...} %s\n", v->topic, v->meta->metric, num);
        x->missing++;
    }
}

static void test_snapshots(void)
{
    static struct bridge_snapshot a, b;
    memset(&a, 0, sizeof a);
    a.have = BRIDGE_HAVE_LIVE | BRIDGE_HAVE_BATTERY | BRIDGE_HAVE_PV | BRIDGE_HAVE_METERS | BRIDGE_HAVE_WALLBOX |
             BRIDGE_HAVE_SETTINGS;
    a.live.pv = 4100;
    a.live.soc = 81;
    a.live.home = 700;
    a.live.status = 0x04;
    a.live.present = RSCP_LIVE_PV | RSCP_LIVE_SOC | RSCP_LIVE_HOME | RSCP_LIVE_STATUS;
    a.bat_ok = 0x3;
    a.bat[0].voltage = 51.25;
    a.bat[1].voltage = 52.5;
    a.pvi_ok = 1;
    a.pm_ok = (1u << 0) | (1u << 6);
    a.pm[0].power[0] = -120.5;
    a.pm[0].power[1] = 30;
    a.pm[0].power[2] = 0;
    a.pm[6].power[0] = 5;
    a.wb_ok = 1;
    a.wb[0].energy_all = 123456.5;
    a.settings.weather_regulated = true;
    b = a;
    b.live.pv = 0;
    b.bat_ok = 0x1;
    b.wb_ok = 0;
    struct bridge_site_metrics sites[3] = {
        {"home", true, 0.02, 1782037800, 5, 0, 0, NULL, &a, BRIDGE_GROUP_ALL},
        {"old", true, 0.02, 1782037800, 5, 0, 0, &a.live, NULL, 0},
        {"barn", true, 0.03, 1782037801, 6, 1, 1, NULL, &b, BRIDGE_GROUP_ALL & ~BRIDGE_GROUP_SETTINGS},
    };
    struct bridge_metrics m = {sites, 3, 10, 2, 7};
    static char buf[32768];
    size_t n = bridge_metrics_render(&m, buf, sizeof buf);
    CHECK(n > 0 && n < sizeof buf);

    /* Every value against the snapshot, whatever the table. */
    struct expect x = {buf, 0, 0};
    bridge_topics_each(&a, BRIDGE_GROUP_ALL, expect_value, &x);
    CHECK(x.values > 0);
    CHECK_INT(x.missing, 0);
    CHECK(strstr(buf, "rscp_bridge_http_requests_total 7\n") != NULL);
#ifndef RSCP_BRIDGE_TOPIC_TABLE /* the labels of this test's table */
    /* The values as the snapshot has them, scaled, with their labels. */
    CHECK(strstr(buf, "rscp_pv_power_watts{site=\"home\"} 4100\n") != NULL);
    CHECK(strstr(buf, "rscp_pv_power_watts{site=\"old\"} 4100\n") != NULL);
    CHECK(strstr(buf, "rscp_pv_power_watts{site=\"barn\"} 0\n") != NULL);
    CHECK(strstr(buf, "rscp_battery_soc_ratio{site=\"home\"} 0.81\n") != NULL);
    CHECK(strstr(buf, "rscp_battery_voltage_volts{site=\"home\",battery=\"0\"} 51.25\n") != NULL);
    CHECK(strstr(buf, "rscp_battery_voltage_volts{site=\"home\",battery=\"1\"} 52.5\n") != NULL);
    CHECK(strstr(buf, "rscp_battery_voltage_volts{site=\"barn\",battery=\"1\"}") == NULL);
    CHECK(strstr(buf, "rscp_pv_tracker_power_watts{site=\"home\",inverter=\"0\",tracker=\"2\"} 2000\n") != NULL);
    CHECK(strstr(buf, "rscp_meter_power_watts{site=\"home\",meter=\"0\",phase=\"L1\"} -120.5\n") != NULL);
    CHECK(strstr(buf, "rscp_meter_power_watts{site=\"home\",meter=\"6\",phase=\"L1\"} 5\n") != NULL);
    CHECK(strstr(buf, "# TYPE rscp_wallbox_energy_joules_total counter\n") != NULL);
    CHECK(strstr(buf, "rscp_wallbox_energy_joules_total{site=\"home\",wallbox=\"0\"} 444443400\n") != NULL);
    CHECK(strstr(buf, "# TYPE rscp_meter_power_watts gauge\n") != NULL);
    CHECK(strstr(buf, "rscp_weather_regulation_enabled{site=\"home\"} 1\n") != NULL);
    CHECK(strstr(buf, "rscp_weather_regulation_enabled{site=\"barn\"}") == NULL); /* group off */
    CHECK(strstr(buf, "# HELP rscp_battery_voltage_volts Battery voltage\n") != NULL);
    CHECK(strstr(buf, "rscp_ems_status{site=\"home\",bit=\"emergency_power_available\"} 1\n") != NULL ||
          strstr(buf, "rscp_ems_status{site=\"home\",bit=") != NULL);
    CHECK(strstr(buf, "rscp_software") == NULL); /* strings are no samples */
    CHECK(strstr(buf, "Not exported") == NULL);  /* no metric in the meta */
    CHECK(strstr(buf, "rscp_bridge_http_requests_total 7\n") != NULL);
    static const char *families[] = {"rscp_pv_power_watts", "rscp_battery_voltage_volts", "rscp_meter_power_watts",
                                     "rscp_pv_tracker_power_watts", "rscp_battery_soc_ratio", "rscp_ems_status",
                                     "rscp_up"};
    for (size_t i = 0; i < sizeof families / sizeof families[0]; i++) {
        if (!grouped(buf, families[i]))
            fprintf(stderr, "  family %s not grouped once\n", families[i]);
        CHECK(grouped(buf, families[i]));
    }

#endif
    char path[] = "/tmp/rscp_metricsXXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    CHECK(write(fd, buf, n) == (ssize_t)n);
    close(fd);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "promtool check metrics < %s", path);
    int rc = system(cmd);
    if (rc != 0)
        fprintf(stderr, "  promtool check metrics failed (%d) on:\n%s\n", rc, buf);
    CHECK_INT(rc, 0);
    unlink(path);
}

/* ---- the streamed page ------------------------------------------------- */

/* A source over an array whose list "changes" (count SIZE_MAX) after
 * abort_after chunks (0: never). */
struct test_src {
    const struct bridge_metrics *m;
    size_t calls, abort_after;
};

static size_t test_count(void *ctx)
{
    struct test_src *t = ctx;
    t->calls++;
    return t->abort_after && t->calls > t->abort_after ? SIZE_MAX : t->m->nsites;
}

static void test_site(void *ctx, size_t i, struct bridge_site_metrics *out)
{
    struct test_src *t = ctx;
    *out = t->m->sites[i];
}

/* The whole page through a stream of max samples per batch and chunks of
 * cap bytes, into out (NUL-terminated); its length, or SIZE_MAX when a
 * chunk broke the rules (too long, not whole lines, -1). */
static size_t stream_all(struct test_src *t, size_t max, size_t cap, char *out, size_t outcap)
{
    struct bridge_metrics_source src = {t, test_count, test_site, t->m->mqtt_messages, t->m->commands,
                                        t->m->http_requests};
    struct bridge_metrics_stream *s = bridge_metrics_stream_new(&src, max);
    CHECK(s != NULL);
    char *chunk = malloc(cap);
    size_t len = 0;
    long r;
    while (s && chunk && (r = bridge_metrics_stream_next(s, chunk, cap)) != 0) {
        if (r < 0 || (size_t)r > cap || chunk[r - 1] != '\n' || len + (size_t)r >= outcap) {
            len = SIZE_MAX;
            break;
        }
        memcpy(out + len, chunk, (size_t)r);
        len += (size_t)r;
    }
    if (len != SIZE_MAX)
        out[len] = '\0';
    free(chunk);
    bridge_metrics_stream_free(s);
    return len;
}

static void test_stream(void)
{
    /* Forty sites whose units differ, so that families first appear at
     * different sites (a meter only from site 7 on, a second battery only
     * at every third), some without a snapshot, one name to escape. */
    enum { N = 40 };
    static struct bridge_snapshot snaps[N];
    static struct rscp_live lives[N];
    static char names[N][24];
    static struct bridge_site_metrics sites[N];
    for (size_t i = 0; i < N; i++) {
        struct bridge_snapshot *a = &snaps[i];
        memset(a, 0, sizeof *a);
        a->have = BRIDGE_HAVE_LIVE | BRIDGE_HAVE_BATTERY | BRIDGE_HAVE_PV | BRIDGE_HAVE_METERS |
                  BRIDGE_HAVE_WALLBOX | BRIDGE_HAVE_SETTINGS;
        a->live.pv = (int32_t)(1000 + i);
        a->live.soc = 0.5 * (double)i;
        a->live.home = 700;
        a->live.status = (uint32_t)i;
        a->live.present = RSCP_LIVE_PV | RSCP_LIVE_SOC | RSCP_LIVE_HOME | RSCP_LIVE_STATUS;
        a->bat_ok = i % 3 == 0 ? 0x3 : 0x1;
        a->bat[0].voltage = 51.25 + (double)i;
        a->bat[1].voltage = 52.5;
        a->pvi_ok = 1;
        a->pm_ok = i >= 7 ? 0x41 : 0;
        a->pm[0].power[0] = -120.5;
        a->pm[6].power[0] = (double)i;
        a->pm[0].present = a->pm[6].present = RSCP_PM_POWER_L1 | RSCP_PM_POWER_L2 | RSCP_PM_POWER_L3;
        a->pm[6].power[2] = 230.5;
        a->wb_ok = i % 2;
        a->wb[0].energy_all = 123456.5;
        a->settings.weather_regulated = i % 5 == 0;
        lives[i] = a->live;
        snprintf(names[i], sizeof names[i], i == 3 ? "s\"%zu\"" : "s%03zu", i);
        struct bridge_site_metrics sm = {names[i], i % 4 != 1, 0.01 * (double)i, i % 6 ? 1782037800.0 + (double)i : 0,
                                         i, i / 3, i / 7, &lives[i], i % 9 == 4 ? NULL : a, BRIDGE_GROUP_ALL};
        if (i % 11 == 10)
            sm.groups &= ~BRIDGE_GROUP_SETTINGS;
        sites[i] = sm;
    }
    struct bridge_metrics m = {sites, N, 10, 2, 7};
    static char whole[1 << 18], part[1 << 18];
    size_t n = bridge_metrics_render(&m, whole, sizeof whole);
    CHECK(n > 0 && n < sizeof whole);
    CHECK(strstr(whole, "rscp_pv_power_watts{site=\"s039\"} 1039\n") != NULL);
    /* Six samples a site from site 7 on: a family split inside a site. */
    CHECK(strstr(whole, "{site=\"s007\",meter=\"6\",phase=\"L3\"} 230.5\n") != NULL);

    /* Any batch size and chunk size gives the same page as one pass: the
     * small batches split the families (16 samples: fewer than a family
     * of forty sites, written a run at a time), the small chunks the runs. */
    static const size_t maxes[] = {16, 17, 18, 19, 20, 21, 23, 29, 31, 40, 64, 100, 1000};
    static const size_t caps[] = {BRIDGE_METRICS_CHUNK_MIN, 3001, 65536};
    for (size_t a = 0; a < sizeof maxes / sizeof maxes[0]; a++) {
        for (size_t b = 0; b < sizeof caps / sizeof caps[0]; b++) {
            struct test_src t = {&m, 0, 0};
            size_t k = stream_all(&t, maxes[a], caps[b], part, sizeof part);
            bool same = k == n && memcmp(part, whole, n) == 0;
            if (!same) {
                size_t d = 0;
                while (d < n && d < k && part[d] == whole[d])
                    d++;
                fprintf(stderr, "  max %zu cap %zu: %zu bytes, not the %zu of one pass; from byte %zu:\n%.300s\n",
                        maxes[a], caps[b], k, n, d, k == SIZE_MAX ? "" : part + (d > 80 ? d - 80 : 0));
            }
            CHECK(same);
            if (caps[b] == BRIDGE_METRICS_CHUNK_MIN)
                CHECK(t.calls > n / BRIDGE_METRICS_CHUNK_MIN); /* really in chunks */
        }
    }

    /* A site list that changes in the middle: the page ends unfinished
     * (-1, and -1 again), never a half line or a repeated family. */
    struct test_src t = {&m, 0, 3};
    struct bridge_metrics_source src = {&t, test_count, test_site, 0, 0, 0};
    struct bridge_metrics_stream *s = bridge_metrics_stream_new(&src, 16);
    char chunk[BRIDGE_METRICS_CHUNK_MIN];
    for (int i = 0; i < 3; i++)
        CHECK(bridge_metrics_stream_next(s, chunk, sizeof chunk) > 0);
    CHECK(bridge_metrics_stream_next(s, chunk, sizeof chunk) == -1);
    CHECK(bridge_metrics_stream_next(s, chunk, sizeof chunk) == -1);
    CHECK(bridge_metrics_stream_next(s, chunk, 100) == -1); /* below the minimum */
    bridge_metrics_stream_free(s);
}

int main(void)
{
    test_stream();
    test_render();
    test_snapshots();
    return th_finish();
}
