/* Power settings and system specs (rscp/settings.h): parsing hand-made
 * replies (device errors, other integer widths, missing values), the
 * read-modify-write request, the checks against the specs, the results. */
#include "harness.h"
#include "reply_testlib.h"
#include "rscp/error.h"
#include "rscp/settings.h"
#include "rscp/tag_ids.h"
#include "rscp/types.h"

#include <stdlib.h>
#include <string.h>

#include "rscp/tags.h"

/* A GET_POWER_SETTINGS reply as the simulator and devices send it. */
static void put_settings(struct rscp_builder *b, bool limits, uint32_t chg, uint32_t dis, uint32_t start)
{
    rscp_put_container_open(b, RSCP_TAG_EMS_GET_POWER_SETTINGS);
    rscp_put_bool(b, RSCP_TAG_EMS_POWER_LIMITS_USED, limits);
    rscp_put_uint32(b, RSCP_TAG_EMS_MAX_CHARGE_POWER, chg);
    rscp_put_uint32(b, RSCP_TAG_EMS_MAX_DISCHARGE_POWER, dis);
    rscp_put_uint32(b, RSCP_TAG_EMS_DISCHARGE_START_POWER, start);
    rscp_put_bool(b, RSCP_TAG_EMS_POWERSAVE_ENABLED, true);
    rscp_put_bool(b, RSCP_TAG_EMS_WEATHER_REGULATED_CHARGE_ENABLED, false);
    rscp_put_int32(b, RSCP_TAG_EMS_WEATHER_FORECAST_MODE, 1);
    rscp_put_container_close(b);
}

static void test_parse(void)
{
    uint8_t buf[256];
    struct rscp_builder b;
    struct rscp_frame f;
    struct rscp_power_settings ps;
    uint32_t code = 0;

    CHECK_INT(rscp_power_settings_request(NULL), RSCP_ERR_ARG);
    blocks_begin(&b, buf, sizeof buf);
    CHECK_INT(rscp_power_settings_request(&b), 0);
    size_t n = blocks_end(&b);
    size_t want_len;
    uint8_t *want = th_unhex("8b000001 00 0000", &want_len);
    CHECK_MEM(buf, n, want, want_len);
    free(want);

    reply_begin(&b, buf, sizeof buf);
    put_settings(&b, true, 4500, 4600, 65);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_power_settings_parse(&f, &ps, &code), 0);
    CHECK_INT(ps.present, RSCP_PS_WRITABLE | RSCP_PS_FORECAST_MODE);
    CHECK(ps.limits_used);
    CHECK_INT(ps.max_charge, 4500);
    CHECK_INT(ps.max_discharge, 4600);
    CHECK_INT(ps.discharge_start, 65);
    CHECK(ps.power_save);
    CHECK(!ps.weather_regulated);
    CHECK_INT(ps.forecast_mode, 1);
    CHECK_INT(ps.device_errors, 0);

    /* Other integer widths, an ERROR inside, an unknown tag, a value of a
     * wrong type (absent, not an error), a limit beyond UINT32. */
    reply_begin(&b, buf, sizeof buf);
    rscp_put_container_open(&b, RSCP_TAG_EMS_GET_POWER_SETTINGS);
    rscp_put_uchar8(&b, RSCP_TAG_EMS_POWER_LIMITS_USED, 1);
    rscp_put_uint16(&b, RSCP_TAG_EMS_MAX_CHARGE_POWER, 3000);
    rscp_put_int64(&b, RSCP_TAG_EMS_MAX_DISCHARGE_POWER, 2000);
    rscp_put_uint64(&b, RSCP_TAG_EMS_DISCHARGE_START_POWER, 1ull << 40);
    rscp_put_error(&b, RSCP_TAG_EMS_POWERSAVE_ENABLED, 3);
    rscp_put_cstr(&b, RSCP_TAG_EMS_WEATHER_REGULATED_CHARGE_ENABLED, "yes");
    rscp_put_int32(&b, 0x01009999, 5);
    rscp_put_container_close(&b);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_power_settings_parse(&f, &ps, NULL), 0);
    CHECK_INT(ps.present, RSCP_PS_LIMITS_USED | RSCP_PS_MAX_CHARGE | RSCP_PS_MAX_DISCHARGE);
    CHECK_INT(ps.max_charge, 3000);
    CHECK_INT(ps.max_discharge, 2000);
    CHECK_INT(ps.device_errors, 1);

    /* The container as an ERROR, missing, or not a container. */
    reply_begin(&b, buf, sizeof buf);
    rscp_put_error(&b, RSCP_TAG_EMS_GET_POWER_SETTINGS, 2);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_power_settings_parse(&f, &ps, &code), RSCP_ERR_DEVICE);
    CHECK_INT(code, 2);
    CHECK_INT(ps.present, 0);
    reply_begin(&b, buf, sizeof buf);
    rscp_put_int32(&b, RSCP_TAG_EMS_POWER_PV, 1);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_power_settings_parse(&f, &ps, NULL), RSCP_ERR_NOT_FOUND);
    reply_begin(&b, buf, sizeof buf);
    rscp_put_int32(&b, RSCP_TAG_EMS_GET_POWER_SETTINGS, 1);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_power_settings_parse(&f, &ps, NULL), RSCP_ERR_TYPE);
}

/* The specs the simulator sends (an S10 E with 13.8 kWh). */
static void put_specs(struct rscp_builder *b)
{
    static const struct {
        const char *name;
        int32_t value;
    } specs[] = {
        {"hybridModeSupported", 1},       {"installedBatteryCapacity", 13800},
        {"maxAcPower", 12000},            {"maxBatChargePower", 6000},
        {"maxBatDischargPower", 6000},    {"maxChargePower", 4500},
        {"maxDischargePower", 4600},      {"maxPvPower", 12000},
        {"maxStartDischargePower", 1000}, {"minStartDischargePower", 50},
        {"someFutureSpec", 5},            {"recommendedMinChargeLimit", 300},
    };
    rscp_put_container_open(b, RSCP_TAG_EMS_GET_SYS_SPECS);
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
        rscp_put_container_open(b, RSCP_TAG_EMS_SYS_SPEC);
        rscp_put_int32(b, RSCP_TAG_EMS_SYS_SPEC_INDEX, (int32_t)i);
        rscp_put_cstr(b, RSCP_TAG_EMS_SYS_SPEC_NAME, specs[i].name);
        if (i == 3)
            rscp_put_uint16(b, RSCP_TAG_EMS_SYS_SPEC_VALUE_INT, (uint16_t)specs[i].value);
        else
            rscp_put_int32(b, RSCP_TAG_EMS_SYS_SPEC_VALUE_INT, specs[i].value);
        rscp_put_container_close(b);
    }
    /* An entry without a value and one with a string value: skipped. */
    rscp_put_container_open(b, RSCP_TAG_EMS_SYS_SPEC);
    rscp_put_cstr(b, RSCP_TAG_EMS_SYS_SPEC_NAME, "minStartChargePower");
    rscp_put_container_close(b);
    rscp_put_container_open(b, RSCP_TAG_EMS_SYS_SPEC);
    rscp_put_cstr(b, RSCP_TAG_EMS_SYS_SPEC_NAME, "startChargeDefault");
    rscp_put_cstr(b, RSCP_TAG_EMS_SYS_SPEC_VALUE_STRING, "100");
    rscp_put_container_close(b);
    rscp_put_error(b, RSCP_TAG_EMS_SYS_SPEC, 1);
    rscp_put_container_close(b);
}

static void test_specs(struct rscp_sys_specs *specs)
{
    uint8_t buf[1024];
    struct rscp_builder b;
    struct rscp_frame f;
    int64_t v = 0;

    blocks_begin(&b, buf, sizeof buf);
    CHECK_INT(rscp_sys_specs_request(&b), 0);
    struct rscp_block blk = blocks_at(buf, blocks_end(&b), (const uint32_t[]){RSCP_TAG_EMS_REQ_GET_SYS_SPECS}, 1);
    CHECK_INT(blk.type, RSCP_TYPE_NONE);

    reply_begin(&b, buf, sizeof buf);
    put_specs(&b);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_sys_specs_parse(&f, specs, NULL), 0);
    CHECK_INT(specs->unknown, 1);
    CHECK_INT(specs->device_errors, 1);
    CHECK_INT(rscp_sys_spec_get(specs, RSCP_SPEC_MAX_CHARGE_POWER, &v), 0);
    CHECK_INT(v, 4500);
    CHECK_INT(rscp_sys_spec_get(specs, RSCP_SPEC_MAX_BAT_CHARGE_POWER, &v), 0);
    CHECK_INT(v, 6000);
    CHECK_INT(rscp_sys_spec_get(specs, RSCP_SPEC_MAX_BAT_DISCHARGE_POWER, &v), 0);
    CHECK_INT(v, 6000);
    CHECK_INT(rscp_sys_spec_get(specs, RSCP_SPEC_INSTALLED_BATTERY_CAPACITY, &v), 0);
    CHECK_INT(v, 13800);
    CHECK_INT(rscp_sys_spec_get(specs, RSCP_SPEC_MIN_START_CHARGE_POWER, &v), RSCP_ERR_NOT_FOUND);
    CHECK_INT(rscp_sys_spec_get(specs, RSCP_SPEC_START_CHARGE_DEFAULT, &v), RSCP_ERR_NOT_FOUND);
    CHECK_INT(rscp_sys_spec_get(specs, RSCP_SPEC_COUNT, &v), RSCP_ERR_ARG);
    CHECK_INT(rscp_sys_spec_get(specs, -1, &v), RSCP_ERR_ARG);
    CHECK_INT(__builtin_popcount(specs->present), 11);

    /* Names: every spec has one, all distinct, the typo of the wire kept. */
    for (int i = 0; i < RSCP_SPEC_COUNT; i++) {
        CHECK(rscp_sys_spec_name(i) != NULL);
        for (int j = i + 1; j < RSCP_SPEC_COUNT; j++)
            CHECK(strcmp(rscp_sys_spec_name(i), rscp_sys_spec_name(j)) != 0);
    }
    CHECK(strcmp(rscp_sys_spec_name(RSCP_SPEC_MAX_BAT_DISCHARGE_POWER), "maxBatDischargPower") == 0);
    CHECK(rscp_sys_spec_name(RSCP_SPEC_COUNT) == NULL);

    /* Errors of the container. */
    struct rscp_sys_specs other;
    uint32_t code = 0;
    reply_begin(&b, buf, sizeof buf);
    rscp_put_error(&b, RSCP_TAG_EMS_GET_SYS_SPECS, 5);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_sys_specs_parse(&f, &other, &code), RSCP_ERR_DEVICE);
    CHECK_INT(code, 5);
    /* The request's tag with bit 23 is not the answer's. */
    reply_begin(&b, buf, sizeof buf);
    rscp_put_container_open(&b, RSCP_TAG_EMS_REQ_GET_SYS_SPECS | 0x00800000u);
    rscp_put_container_close(&b);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_sys_specs_parse(&f, &other, NULL), RSCP_ERR_NOT_FOUND);
}

static void test_check(const struct rscp_sys_specs *specs)
{
    struct rscp_power_settings_change c = {0};
    struct rscp_limit_violation v;
    memset(&v, 0, sizeof v);

    c.set = RSCP_PS_MAX_CHARGE;
    c.max_charge = 4500;
    CHECK_INT(rscp_power_settings_check(&c, specs, &v), 0);
    c.max_charge = 4501;
    CHECK_INT(rscp_power_settings_check(&c, specs, &v), RSCP_ERR_RANGE);
    CHECK_INT(v.field, RSCP_PS_MAX_CHARGE);
    CHECK(strcmp(v.name, "max_charge") == 0);
    CHECK_INT(v.value, 4501);
    CHECK_INT(v.min, 0);
    CHECK_INT(v.max, 4500);
    CHECK_INT(v.spec, RSCP_SPEC_MAX_CHARGE_POWER);
    /* Without specs only the library's own bound applies. */
    CHECK_INT(rscp_power_settings_check(&c, NULL, &v), 0);
    c.max_charge = 2000000;
    CHECK_INT(rscp_power_settings_check(&c, NULL, &v), RSCP_ERR_RANGE);
    CHECK_INT(v.spec, -1);

    c = (struct rscp_power_settings_change){.set = RSCP_PS_MAX_DISCHARGE, .max_discharge = 4601};
    CHECK_INT(rscp_power_settings_check(&c, specs, &v), RSCP_ERR_RANGE);
    CHECK_INT(v.max, 4600);
    c = (struct rscp_power_settings_change){.set = RSCP_PS_DISCHARGE_START, .discharge_start = 49};
    CHECK_INT(rscp_power_settings_check(&c, specs, &v), RSCP_ERR_RANGE);
    CHECK_INT(v.min, 50);
    CHECK_INT(v.max, 1000);
    c.discharge_start = 1000;
    CHECK_INT(rscp_power_settings_check(&c, specs, NULL), 0);
    /* Unchanged values are not checked. */
    c = (struct rscp_power_settings_change){.set = RSCP_PS_WEATHER, .max_charge = 999999};
    CHECK_INT(rscp_power_settings_check(&c, specs, &v), 0);
}

/* The values of a SET_POWER_SETTINGS request, read back; absent ones -1. */
struct sent {
    int64_t limits_used, max_charge, max_discharge, discharge_start, power_save, weather;
    size_t count;
};

static struct sent read_sent(const uint8_t *buf, size_t n)
{
    struct sent s = {-1, -1, -1, -1, -1, -1, 0};
    struct rscp_block c = blocks_at(buf, n, (const uint32_t[]){RSCP_TAG_EMS_REQ_SET_POWER_SETTINGS}, 1);
    struct rscp_iter it;
    struct rscp_block blk;
    CHECK_INT(rscp_block_children(&c, &it), 0);
    while (rscp_iter_next(&it, &blk) == 1) {
        int64_t v = -2;
        CHECK_INT(rscp_block_get_int(&blk, &v), 0);
        /* Each with the dictionary's type. */
        CHECK_INT(blk.type, rscp_tag_type(blk.tag));
        s.count++;
        switch (blk.tag) {
        case RSCP_TAG_EMS_POWER_LIMITS_USED: s.limits_used = v; break;
        case RSCP_TAG_EMS_MAX_CHARGE_POWER: s.max_charge = v; break;
        case RSCP_TAG_EMS_MAX_DISCHARGE_POWER: s.max_discharge = v; break;
        case RSCP_TAG_EMS_DISCHARGE_START_POWER: s.discharge_start = v; break;
        case RSCP_TAG_EMS_POWERSAVE_ENABLED: s.power_save = v; break;
        case RSCP_TAG_EMS_WEATHER_REGULATED_CHARGE_ENABLED: s.weather = v; break;
        default: FAIL("unexpected tag in SET_POWER_SETTINGS"); break;
        }
    }
    return s;
}

static void test_set_request(const struct rscp_sys_specs *specs)
{
    uint8_t buf[256];
    struct rscp_builder b;
    struct rscp_power_settings cur = {.limits_used = true,
                                      .max_charge = 4500,
                                      .max_discharge = 4600,
                                      .discharge_start = 65,
                                      .power_save = true,
                                      .weather_regulated = false,
                                      .present = RSCP_PS_WRITABLE};
    struct rscp_power_settings_change c = {.set = RSCP_PS_MAX_CHARGE, .max_charge = 3000};
    struct rscp_limit_violation v;

    /* A new charge limit: the limits travel together, the rest re-sent. */
    blocks_begin(&b, buf, sizeof buf);
    CHECK_INT(rscp_power_settings_set_request(&b, &cur, &c, specs, &v), 0);
    struct sent s = read_sent(buf, blocks_end(&b));
    CHECK_INT(s.count, 6);
    CHECK_INT(s.limits_used, 1);
    CHECK_INT(s.max_charge, 3000);
    CHECK_INT(s.max_discharge, 4600);
    CHECK_INT(s.discharge_start, 65);
    CHECK_INT(s.power_save, 1);
    CHECK_INT(s.weather, 0);

    /* Limits off. */
    c = (struct rscp_power_settings_change){.set = RSCP_PS_LIMITS_USED, .limits_used = false};
    blocks_begin(&b, buf, sizeof buf);
    CHECK_INT(rscp_power_settings_set_request(&b, &cur, &c, specs, &v), 0);
    s = read_sent(buf, blocks_end(&b));
    CHECK_INT(s.limits_used, 0);
    CHECK_INT(s.max_charge, 4500);

    /* Limits off as read: a new limit turns them on, so that it applies;
     * the other limits are re-sent as read. */
    struct rscp_power_settings off = cur;
    off.limits_used = false;
    c = (struct rscp_power_settings_change){.set = RSCP_PS_MAX_CHARGE, .max_charge = 1200};
    blocks_begin(&b, buf, sizeof buf);
    CHECK_INT(rscp_power_settings_set_request(&b, &off, &c, specs, &v), 0);
    s = read_sent(buf, blocks_end(&b));
    CHECK_INT(s.limits_used, 1);
    CHECK_INT(s.max_charge, 1200);
    CHECK_INT(s.max_discharge, 4600);
    CHECK_INT(s.discharge_start, 65);
    c = (struct rscp_power_settings_change){.set = RSCP_PS_DISCHARGE_START, .discharge_start = 80};
    blocks_begin(&b, buf, sizeof buf);
    CHECK_INT(rscp_power_settings_set_request(&b, &off, &c, specs, &v), 0);
    s = read_sent(buf, blocks_end(&b));
    CHECK_INT(s.limits_used, 1);
    CHECK_INT(s.discharge_start, 80);
    /* ... unless the change says otherwise: a limit stored, limits left off. */
    c = (struct rscp_power_settings_change){
        .set = RSCP_PS_MAX_CHARGE | RSCP_PS_LIMITS_USED, .max_charge = 1200, .limits_used = false};
    blocks_begin(&b, buf, sizeof buf);
    CHECK_INT(rscp_power_settings_set_request(&b, &off, &c, specs, &v), 0);
    s = read_sent(buf, blocks_end(&b));
    CHECK_INT(s.limits_used, 0);
    CHECK_INT(s.max_charge, 1200);
    /* A change of power save alone re-sends POWER_LIMITS_USED as read. */
    c = (struct rscp_power_settings_change){.set = RSCP_PS_POWER_SAVE, .power_save = false};
    blocks_begin(&b, buf, sizeof buf);
    CHECK_INT(rscp_power_settings_set_request(&b, &off, &c, specs, &v), 0);
    s = read_sent(buf, blocks_end(&b));
    CHECK_INT(s.limits_used, 0);
    CHECK_INT(s.power_save, 0);

    /* Weather on: the limits as read are re-sent too. */
    c = (struct rscp_power_settings_change){.set = RSCP_PS_WEATHER, .weather_regulated = true};
    blocks_begin(&b, buf, sizeof buf);
    CHECK_INT(rscp_power_settings_set_request(&b, &cur, &c, specs, &v), 0);
    s = read_sent(buf, blocks_end(&b));
    CHECK_INT(s.weather, 1);
    CHECK_INT(s.max_discharge, 4600);
    CHECK_INT(s.count, 6);

    /* A device that reported no limits: a weather change sends only what
     * it has; a limit change cannot be completed. */
    struct rscp_power_settings partial = {.weather_regulated = false, .present = RSCP_PS_WEATHER};
    blocks_begin(&b, buf, sizeof buf);
    CHECK_INT(rscp_power_settings_set_request(&b, &partial, &c, specs, &v), 0);
    s = read_sent(buf, blocks_end(&b));
    CHECK_INT(s.count, 1);
    CHECK_INT(s.weather, 1);
    c = (struct rscp_power_settings_change){.set = RSCP_PS_MAX_CHARGE, .max_charge = 100};
    blocks_begin(&b, buf, sizeof buf);
    CHECK_INT(rscp_power_settings_set_request(&b, &partial, &c, specs, &v), RSCP_ERR_ARG);
    /* All four limits given in the change: complete without the read. */
    c = (struct rscp_power_settings_change){.set = RSCP_PS_LIMITS_USED | RSCP_PS_MAX_CHARGE | RSCP_PS_MAX_DISCHARGE |
                                                   RSCP_PS_DISCHARGE_START,
                                            .limits_used = true,
                                            .max_charge = 100,
                                            .max_discharge = 200,
                                            .discharge_start = 60};
    CHECK_INT(rscp_power_settings_set_request(&b, &partial, &c, specs, &v), 0);
    s = read_sent(buf, blocks_end(&b));
    CHECK_INT(s.count, 5);
    CHECK_INT(s.max_discharge, 200);

    /* Out of range: an error naming the value, nothing written. */
    c = (struct rscp_power_settings_change){.set = RSCP_PS_MAX_DISCHARGE, .max_discharge = 9000};
    blocks_begin(&b, buf, sizeof buf);
    CHECK_INT(rscp_power_settings_set_request(&b, &cur, &c, specs, &v), RSCP_ERR_RANGE);
    CHECK(strcmp(v.name, "max_discharge") == 0);
    CHECK_INT(v.max, 4600);
    CHECK_INT(blocks_end(&b), 0);
    /* No writable bit, NULL arguments. */
    c = (struct rscp_power_settings_change){.set = RSCP_PS_FORECAST_MODE};
    CHECK_INT(rscp_power_settings_set_request(&b, &cur, &c, specs, &v), RSCP_ERR_ARG);
    CHECK_INT(rscp_power_settings_set_request(&b, NULL, &c, specs, &v), RSCP_ERR_ARG);
    CHECK_INT(rscp_power_settings_set_request(NULL, &cur, &c, specs, &v), RSCP_ERR_ARG);
}

static void test_results(void)
{
    uint8_t buf[256];
    struct rscp_builder b;
    struct rscp_frame f;
    struct rscp_power_settings_result r;

    reply_begin(&b, buf, sizeof buf);
    rscp_put_container_open(&b, RSCP_TAG_EMS_SET_POWER_SETTINGS);
    rscp_put_char8(&b, RSCP_TAG_EMS_RES_POWER_LIMITS_USED, 0);
    rscp_put_char8(&b, RSCP_TAG_EMS_RES_MAX_CHARGE_POWER, 1);
    rscp_put_char8(&b, RSCP_TAG_EMS_RES_MAX_DISCHARGE_POWER, -1);
    rscp_put_int32(&b, RSCP_TAG_EMS_RES_DISCHARGE_START_POWER, -2);
    rscp_put_int32(&b, RSCP_TAG_EMS_RES_POWERSAVE_ENABLED, 1000); /* beyond CHAR8: absent */
    rscp_put_error(&b, RSCP_TAG_EMS_RES_WEATHER_REGULATED_CHARGE_ENABLED, 1);
    rscp_put_container_close(&b);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_power_settings_result_parse(&f, &r, NULL), 0);
    CHECK_INT(r.present, RSCP_PS_LIMITS_USED | RSCP_PS_MAX_CHARGE | RSCP_PS_MAX_DISCHARGE | RSCP_PS_DISCHARGE_START);
    CHECK_INT(r.limits_used, RSCP_SETTING_APPLIED);
    CHECK_INT(r.max_charge, RSCP_SETTING_BELOW_RECOMMENDED);
    CHECK_INT(r.max_discharge, RSCP_SETTING_OUT_OF_RANGE);
    CHECK_INT(r.discharge_start, RSCP_SETTING_NOT_POSSIBLE);
    CHECK_INT(r.device_errors, 1);

    CHECK(strcmp(rscp_setting_result_name(0), "applied") == 0);
    CHECK(strcmp(rscp_setting_result_name(1), "applied below the recommended limit") == 0);
    CHECK(strcmp(rscp_setting_result_name(-1), "out of range") == 0);
    CHECK(strcmp(rscp_setting_result_name(-2), "not possible now") == 0);
    CHECK(rscp_setting_result_name(2) == NULL);
    CHECK(rscp_setting_result_name(-3) == NULL);

    uint32_t code = 0;
    reply_begin(&b, buf, sizeof buf);
    rscp_put_error(&b, RSCP_TAG_EMS_SET_POWER_SETTINGS, 2);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_power_settings_result_parse(&f, &r, &code), RSCP_ERR_DEVICE);
    CHECK_INT(code, 2);
}

int main(void)
{
    struct rscp_sys_specs specs;
    test_parse();
    test_specs(&specs);
    test_check(&specs);
    test_set_request(&specs);
    test_results();
    return th_finish();
}
