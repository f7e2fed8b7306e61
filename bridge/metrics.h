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
 *   rscp_bridge_mqtt_messages_total, rscp_bridge_commands_total
 * A value the site did not give is left out (no sample), never 0. */
#ifndef RSCP_BRIDGE_METRICS_H
#define RSCP_BRIDGE_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rscp/api.h"

/* What the exposition shows of one site. */
struct bridge_site_metrics {
    const char *site;              /* its name: the `site` label           */
    bool up;
    double poll_seconds;           /* < 0: no poll yet                    */
    double last_success;           /* Unix seconds; <= 0: never           */
    uint64_t polls, failures, reconnects;
    const struct rscp_live *live;  /* NULL: no reading yet                */
};

struct bridge_metrics {
    const struct bridge_site_metrics *sites;
    size_t nsites;
    uint64_t mqtt_messages;        /* published by the bridge             */
    uint64_t commands;             /* set/ commands answered              */
};

/* Write the exposition of m into buf[0..cap). Returns the length written
 * (without a NUL, which is added when there is room), or the length the
 * whole text needs when it is larger than cap (nothing is cut in the middle
 * of a line: the text then ends at the last whole line). */
size_t bridge_metrics_render(const struct bridge_metrics *m, char *buf, size_t cap);

#endif
