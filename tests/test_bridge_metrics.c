/* The bridge's Prometheus exposition (bridge/metrics.h): the families and
 * samples for sites with and without readings, values the site did not
 * give left out, whole lines only when the buffer is short, and the text
 * through `promtool check metrics` (Debian package prometheus; make check
 * installs it). */
#include "harness.h"
#include "metrics.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
        {"home", true, 0.012, 1782037800.5, 10, 1, 2, &live},
        {"cabin \"2\"", false, -1, 0, 3, 3, 0, NULL},
    };
    struct bridge_metrics m = {sites, 2, 123, 4};
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
    struct bridge_metrics none = {NULL, 0, 0, 0};
    n = bridge_metrics_render(&none, buf, sizeof buf);
    CHECK(strstr(buf, "rscp_bridge_commands_total 0\n") != NULL);
}

int main(void)
{
    test_render();
    return th_finish();
}
