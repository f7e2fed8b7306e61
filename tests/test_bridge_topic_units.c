/* The bridge's topic table without a simulator: nothing from an empty
 * snapshot, the unit names ("battery" or "battery/<n>", the root meter,
 * wallboxes and trackers by index, battery modules beyond one request),
 * and the payload text (decimals, no "-0", true/false, control characters
 * replaced, the length contract). */
#include "harness.h"

#include "config.h"
#include "snapshot.h"
#include "topics.h"
#include "topics_collect.h"

#include "rscp/api.h"
#include "rscp/plant.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static struct values vals;

static void test_empty(void)
{
    static struct bridge_snapshot s;
    memset(&s, 0, sizeof s);
    vals.n = 0;
    CHECK_INT(bridge_topics_each(&s, BRIDGE_GROUP_ALL, collect, &vals), 0);
    CHECK_INT(vals.n, 0);
    CHECK_INT(bridge_topics_each(NULL, BRIDGE_GROUP_ALL, collect, &vals), 0);
    /* units flagged without the part's HAVE bit: nothing either */
    s.bat_ok = 1;
    s.bat[0].present = RSCP_BAT_ALL;
    s.live.present = RSCP_LIVE_ALL;
    CHECK_INT(bridge_topics_each(&s, BRIDGE_GROUP_ALL, collect, &vals), 0);
}

/* Unit names: the plant's count decides "battery" or "battery/<n>" (a
 * string missing one cycle keeps its siblings' names); without the plant
 * the units read decide, and the root meter is the first that says ROOT. */
static void test_unit_names(void)
{
    static struct bridge_snapshot s;
    memset(&s, 0, sizeof s);
    s.have = BRIDGE_HAVE_PLANT | BRIDGE_HAVE_BATTERY | BRIDGE_HAVE_METERS | BRIDGE_HAVE_WALLBOX | BRIDGE_HAVE_PV;
    s.plant.batteries = 0x3;
    s.plant.n_batteries = 2;
    s.plant.root_meter = 6;
    s.bat_ok = 0x2; /* string 0 missed this cycle */
    s.bat[1].voltage = 52.5;
    s.bat[1].present = RSCP_BAT_VOLTAGE;
    s.pm_ok = (1u << 0) | (1u << 6);
    s.pm[0].power[0] = 11;
    s.pm[6].power[0] = 66;
    s.pm[0].present = s.pm[6].present = RSCP_PM_POWER_L1 | RSCP_PM_TYPE;
    s.pm[0].type = s.pm[6].type = RSCP_PM_TYPE_ROOT;
    s.wb_ok = 0x5;
    s.wb[0].present = s.wb[2].present = RSCP_WB_SOC;
    s.wb[0].soc = 40;
    s.wb[2].soc = 60;
    s.pvi_ok = 0x1;
    s.pvi[0].temperature_present = 0x2;
    s.pvi[0].temperature[1] = 41.5;
    vals.n = 0;
    bridge_topics_each(&s, BRIDGE_GROUP_ALL, collect, &vals);
    expect_num(&vals, "battery/2/voltage", 52.5);
    CHECK(find(&vals, "battery/voltage") == NULL);
    expect_num(&vals, "pm/power/L1", 66); /* the plant's root */
    expect_num(&vals, "pm/0/power/L1", 11);
    expect_num(&vals, "wallbox/1/soc", 40);
    expect_num(&vals, "wallbox/3/soc", 60);
    expect_num(&vals, "pvi/temperature/2", 41.5);
    const struct got *g = find(&vals, "pm/0/power/L1");
    CHECK(g && g->unit == 0 && g->meta && strcmp(g->meta->component, "pm") == 0);
    g = find(&vals, "wallbox/3/soc");
    CHECK(g && g->unit == 2);

    /* Without the plant: the first meter saying ROOT is "pm". */
    s.have &= ~BRIDGE_HAVE_PLANT;
    s.bat_ok = 0x1;
    s.bat[0] = s.bat[1];
    s.wb_ok = 0x4;
    vals.n = 0;
    bridge_topics_each(&s, BRIDGE_GROUP_ALL, collect, &vals);
    expect_num(&vals, "battery/voltage", 52.5);
    expect_num(&vals, "pm/power/L1", 11);
    expect_num(&vals, "pm/6/power/L1", 66);
    expect_num(&vals, "wallbox/soc", 60);
    CHECK(find(&vals, "system/battery_count") == NULL);

    /* A string of more modules than one request asks for: the site keeps
     * RSCP_DCB_MAX of them, and only those are read (ASan sees the rest). */
    memset(&s, 0, sizeof s);
    s.have = BRIDGE_HAVE_PLANT | BRIDGE_HAVE_DCB;
    s.plant.batteries = 1;
    s.plant.n_batteries = 1;
    s.plant.dcb_count[0] = RSCP_DCB_MAX + 4;
    s.dcb[0] = calloc(RSCP_DCB_MAX, sizeof(struct rscp_dcb));
    CHECK(s.dcb[0] != NULL);
    if (!s.dcb[0])
        return;
    s.dcb_ok[0] = UINT32_MAX;
    for (unsigned k = 0; k < RSCP_DCB_MAX; k++) {
        s.dcb[0][k].present = RSCP_DCB_SOC;
        s.dcb[0][k].soc = 50 + k;
    }
    vals.n = 0;
    CHECK_INT(bridge_topics_each(&s, BRIDGE_GROUP_DCB, collect, &vals), RSCP_DCB_MAX);
    char t[BRIDGE_TOPIC_SUFFIX_MAX];
    snprintf(t, sizeof t, "battery/dcb/%u/soc", RSCP_DCB_MAX);
    expect_num(&vals, t, 50 + RSCP_DCB_MAX - 1);
    free(s.dcb[0]);
}

static size_t payload_of(int kind, double x, int decimals, const char *text, char *buf, size_t cap)
{
    struct bridge_value v;
    memset(&v, 0, sizeof v);
    v.kind = kind;
    v.number = x;
    v.decimals = decimals;
    v.flag = x != 0;
    v.text = text;
    return bridge_value_payload(&v, buf, cap);
}

static void test_payloads(void)
{
    char b[BRIDGE_PAYLOAD_TEXT_MAX];
    CHECK_INT(payload_of(BRIDGE_VAL_NUMBER, 1234, 0, NULL, b, sizeof b), 4);
    CHECK(strcmp(b, "1234") == 0);
    payload_of(BRIDGE_VAL_NUMBER, 57.25, 1, NULL, b, sizeof b);
    CHECK(strcmp(b, "57.2") == 0 || strcmp(b, "57.3") == 0);
    payload_of(BRIDGE_VAL_NUMBER, -42, 0, NULL, b, sizeof b);
    CHECK(strcmp(b, "-42") == 0);
    payload_of(BRIDGE_VAL_NUMBER, -0.001, 2, NULL, b, sizeof b);
    CHECK(strcmp(b, "0.00") == 0); /* no "-0.00" */
    payload_of(BRIDGE_VAL_NUMBER, -0.0, 0, NULL, b, sizeof b);
    CHECK(strcmp(b, "0") == 0);
    payload_of(BRIDGE_VAL_NUMBER, 12.3456, 3, NULL, b, sizeof b);
    CHECK(strcmp(b, "12.346") == 0);
    size_t n = payload_of(BRIDGE_VAL_NUMBER, 1e300, 2, NULL, b, sizeof b);
    CHECK(n < 32 && strtod(b, NULL) == 1e300); /* huge values stay short */
    payload_of(BRIDGE_VAL_BOOL, 1, 0, NULL, b, sizeof b);
    CHECK(strcmp(b, "true") == 0);
    payload_of(BRIDGE_VAL_BOOL, 0, 0, NULL, b, sizeof b);
    CHECK(strcmp(b, "false") == 0);
    payload_of(BRIDGE_VAL_STRING, 0, 0, "S10\n_2024\t\x7f:", b, sizeof b);
    CHECK(strcmp(b, "S10?_2024?" "?:") == 0);
    /* the length contract: the length needed, cut and NUL-terminated */
    char small[5];
    CHECK_INT(payload_of(BRIDGE_VAL_STRING, 0, 0, "S10-123456", small, sizeof small), 10);
    CHECK(strcmp(small, "S10-") == 0);
    CHECK_INT(payload_of(BRIDGE_VAL_NUMBER, 123456, 0, NULL, small, sizeof small), 6);
    CHECK(strcmp(small, "1234") == 0);
    CHECK_INT(payload_of(BRIDGE_VAL_BOOL, 0, 0, NULL, NULL, 0), 5);
    CHECK_INT(bridge_value_payload(NULL, b, sizeof b), 0);
    CHECK(b[0] == '\0');
}

int main(void)
{
    test_payloads();
    test_empty();
    test_unit_names();
    return th_finish();
}
