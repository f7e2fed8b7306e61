/* rscp-bridge: the Prometheus text exposition of the sites' state. Pure:
 * structs in, text out (the HTTP endpoint serves what this writes).
 *
 * Conventions (prometheus.io naming): base units in the names (_watts,
 * _seconds), fractions as _ratio (0..1, not percent), counters ending in
 * _total, one `site` label per plant. Families:
 *   rscp_up                                 1 when the last poll succeeded
 *   rscp_poll_duration_seconds              the last poll's round trips
 *   rscp_last_success_timestamp_seconds     Unix time of the last good poll
 *   rscp_polls_total, rscp_poll_failures_total, rscp_reconnects_total
 *   rscp_pv_power_watts, rscp_battery_power_watts (+ charging),
 *   rscp_grid_power_watts (+ import), rscp_house_power_watts,
 *   rscp_wallbox_power_watts, rscp_wallbox_solar_power_watts,
 *   rscp_additional_power_watts
 *   rscp_battery_soc_ratio, rscp_autarky_ratio, rscp_self_consumption_ratio
 *   rscp_ems_status{bit="charge_locked",...}  0/1 per EMS.STATUS bit
 *   rscp_bridge_mqtt_messages_total, rscp_bridge_commands_total,
 *   rscp_bridge_http_requests_total
 * and, for a site with a snapshot, every value of the topic table
 * (topics.h) whose meta names a `metric` family: value * metric_scale
 * (true/false as 1/0), TYPE counter for families ending in _total (the
 * table's monotonic energy counters, in joules: `promtool check metrics`
 * refuses _watt_hours_total, "use base unit seconds instead of hours", so
 * Wh counters are rscp_..._joules_total with metric_scale 3600), gauge
 * otherwise, HELP from the
 * meta's label. Labels: `site`, the unit's index for component values
 * (battery="0", inverter="0", meter="6", wallbox="0"), and from the
 * topic: tracker ("string_2" -> "2"), phase ("L1"), dcb (module number
 * after "dcb/") and sensor (number after "temperature/"). Every family
 * appears once with its HELP and TYPE and all its samples (site order).
 * A site with a snapshot takes its live values from the table, not from
 * the fixed rscp_*_power_watts list above (used for `live` without a
 * snapshot).
 * A value the site did not give is left out (no sample), never 0. */
#ifndef RSCP_BRIDGE_METRICS_H
#define RSCP_BRIDGE_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rscp/api.h"
#include "snapshot.h"

/* What the exposition shows of one site. */
struct bridge_site_metrics {
    const char *site;              /* its name: the `site` label           */
    bool up;
    double poll_seconds;           /* < 0: no poll yet                    */
    double last_success;           /* Unix seconds; <= 0: never           */
    uint64_t polls, failures, reconnects;
    const struct rscp_live *live;  /* NULL: no reading yet (read only when
                                      snap is NULL)                        */
    const struct bridge_snapshot *snap; /* NULL: none yet; else its values */
    uint32_t groups;               /* BRIDGE_GROUP_* of snap to export     */
};

struct bridge_metrics {
    const struct bridge_site_metrics *sites;
    size_t nsites;
    uint64_t mqtt_messages;        /* published by the bridge             */
    uint64_t commands;             /* set/ commands answered              */
    uint64_t http_requests;        /* HTTP requests served                */
};

/* Write the exposition of m into buf[0..cap). Returns the length written
 * (without a NUL, which is added when there is room), or the length the
 * whole text needs when it is larger than cap (nothing is cut in the middle
 * of a line: the text then ends at the last whole line). The stream below
 * in one pass: the samples of the snapshots are sorted in a heap array of
 * about 64 bytes per value, freed before returning; when it cannot be had,
 * the table's families are left out (the rest is still written).
 * Thread-safe (no state). */
size_t bridge_metrics_render(const struct bridge_metrics *m, char *buf, size_t cap);

/* ---- the streamed exposition -------------------------------------------
 * The same text a chunk at a time, for a page too large to hold (a
 * thousand sites: ~12 MB): memory bounded by max_samples, whatever the
 * number of sites. The sites are asked for again at every chunk, never kept
 * between chunks but as indexes; the per-value families take one walk of
 * all sites' values per batch of max_samples samples (metrics_values.c). */

/* Where a stream takes the sites from. */
struct bridge_metrics_source {
    void *ctx;
    /* The number of sites now, or SIZE_MAX when the list is no longer the
     * one the page began with (a reload): the page then ends unfinished. */
    size_t (*count)(void *ctx);
    /* Site i (< count) as it is now, into *out; its pointers are read only
     * until the chunk being written is complete. */
    void (*site)(void *ctx, size_t i, struct bridge_site_metrics *out);
    uint64_t mqtt_messages, commands, http_requests; /* the bridge's counters */
};

#define BRIDGE_METRICS_CHUNK_MIN 2048u /* cap of bridge_metrics_stream_next()  */
#define BRIDGE_METRICS_SAMPLES 16384u  /* max_samples of the HTTP endpoint: 512 KiB of samples a scrape */

struct bridge_metrics_stream;

/* A stream over src (copied), batches of at most max_samples samples (>= 16;
 * SIZE_MAX: all in one batch, as bridge_metrics_render()). NULL when out of
 * memory. */
struct bridge_metrics_stream *bridge_metrics_stream_new(const struct bridge_metrics_source *src, size_t max_samples);

/* The next whole lines of the page into buf[0..cap), cap >=
 * BRIDGE_METRICS_CHUNK_MIN. Returns their length (> 0), 0 when the page is
 * complete, -1 when it cannot be (the site list changed, or a bad cap). */
long bridge_metrics_stream_next(struct bridge_metrics_stream *s, char *buf, size_t cap);

/* The most bytes a stream of max_samples holds (for a memory budget). */
size_t bridge_metrics_stream_mem(size_t max_samples);

void bridge_metrics_stream_free(struct bridge_metrics_stream *s);

#endif
