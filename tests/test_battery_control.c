/* Manual charge, idle periods and the emergency-power reserve
 * (rscp/control.h): requests read back from their bytes, replies built by
 * hand with device errors, other integer widths and missing values. */
#include "harness.h"
#include "reply_testlib.h"
#include "rscp/control.h"
#include "rscp/error.h"
#include "rscp/tag_ids.h"
#include "rscp/types.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void test_manual_charge(void)
{
    uint8_t buf[256];
    struct rscp_builder b;
    struct rscp_frame f;

    blocks_begin(&b, buf, sizeof buf);
    CHECK_INT(rscp_manual_charge_start_request(&b, 2000), 0);
    size_t n = blocks_end(&b);
    size_t want_len;
    uint8_t *want = th_unhex("8f000001 07 0400 d0070000", &want_len); /* UINT32 2000 */
    CHECK_MEM(buf, n, want, want_len);
    free(want);
    blocks_begin(&b, buf, sizeof buf);
    CHECK_INT(rscp_manual_charge_start_request(&b, 0), RSCP_ERR_RANGE);
    CHECK_INT(rscp_manual_charge_start_request(&b, RSCP_MANUAL_CHARGE_MAX_WH + 1), RSCP_ERR_RANGE);
    CHECK_INT(blocks_end(&b), 0);

    bool accepted = false;
    uint32_t code = 0;
    reply_begin(&b, buf, sizeof buf);
    rscp_put_bool(&b, RSCP_TAG_EMS_START_MANUAL_CHARGE, true);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_manual_charge_start_parse(&f, &accepted, &code), 0);
    CHECK(accepted);
    reply_begin(&b, buf, sizeof buf);
    rscp_put_error(&b, RSCP_TAG_EMS_START_MANUAL_CHARGE, 2);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_manual_charge_start_parse(&f, &accepted, &code), RSCP_ERR_DEVICE);
    CHECK_INT(code, 2);

    /* The state, before and after starts that did and did not take. */
    struct rscp_manual_charge before, after;
    reply_begin(&b, buf, sizeof buf);
    rscp_put_container_open(&b, RSCP_TAG_EMS_GET_MANUAL_CHARGE);
    rscp_put_bool(&b, RSCP_TAG_EMS_MANUAL_CHARGE_ACTIVE, false);
    rscp_put_double64(&b, RSCP_TAG_EMS_MANUAL_CHARGE_ENERGY_COUNTER, 0.0);
    rscp_put_int64(&b, RSCP_TAG_EMS_MANUAL_CHARGE_START_COUNTER, 5);
    rscp_put_timestamp(&b, RSCP_TAG_EMS_MANUAL_CHARGE_LASTSTART, 1782000000, 0);
    rscp_put_container_close(&b);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_manual_charge_parse(&f, &before, NULL), 0);
    CHECK_INT(before.present, RSCP_MC_ACTIVE | RSCP_MC_ENERGY | RSCP_MC_START_COUNTER | RSCP_MC_LAST_START);
    CHECK(!before.active);
    CHECK_INT(before.start_counter, 5);
    CHECK_INT(before.last_start.seconds, 1782000000);

    reply_begin(&b, buf, sizeof buf);
    rscp_put_container_open(&b, RSCP_TAG_EMS_GET_MANUAL_CHARGE);
    rscp_put_uchar8(&b, RSCP_TAG_EMS_MANUAL_CHARGE_ACTIVE, 1);
    rscp_put_float32(&b, RSCP_TAG_EMS_MANUAL_CHARGE_ENERGY_COUNTER, 12.5f);
    rscp_put_uint32(&b, RSCP_TAG_EMS_MANUAL_CHARGE_START_COUNTER, 6);
    rscp_put_timestamp(&b, RSCP_TAG_EMS_MANUAL_CHARGE_LASTSTART, 1782037800, 0);
    rscp_put_container_close(&b);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_manual_charge_parse(&f, &after, NULL), 0);
    CHECK(after.active);
    CHECK(fabs(after.energy_wh - 12.5) < 1e-9);
    bool started = false;
    CHECK_INT(rscp_manual_charge_started(&before, &after, &started), 0);
    CHECK(started);
    /* Ignored: the device still answers the start with true, the state
     * does not move. */
    CHECK_INT(rscp_manual_charge_started(&before, &before, &started), 0);
    CHECK(!started);
    struct rscp_manual_charge same = after;
    CHECK_INT(rscp_manual_charge_started(&after, &same, &started), 0);
    CHECK(!started); /* a charge that was already running is not a new start */
    /* Only the last start moved (no counter on this device). */
    struct rscp_manual_charge b2 = before, a2 = after;
    b2.present &= ~RSCP_MC_START_COUNTER;
    a2.present &= ~RSCP_MC_START_COUNTER;
    CHECK_INT(rscp_manual_charge_started(&b2, &a2, &started), 0);
    CHECK(started);
    /* Taken but already over when read back (a full battery, a small
     * energy): the counter moved, so it started, though not active. */
    struct rscp_manual_charge ended = after;
    ended.active = false;
    ended.energy_wh = 0.0;
    CHECK_INT(rscp_manual_charge_started(&before, &ended, &started), 0);
    CHECK(started);
    /* Nothing to tell by. */
    a2.present = RSCP_MC_ACTIVE;
    CHECK_INT(rscp_manual_charge_started(&b2, &a2, &started), RSCP_ERR_NOT_FOUND);
    CHECK_INT(rscp_manual_charge_started(NULL, &a2, &started), RSCP_ERR_ARG);

    reply_begin(&b, buf, sizeof buf);
    rscp_put_error(&b, RSCP_TAG_EMS_GET_MANUAL_CHARGE, 6);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_manual_charge_parse(&f, &after, &code), RSCP_ERR_DEVICE);
    CHECK_INT(code, 6);
}

static void put_period(struct rscp_builder *b, uint8_t type, uint8_t day, bool active, uint8_t sh, uint8_t sm,
                       uint8_t eh, uint8_t em)
{
    rscp_put_container_open(b, RSCP_TAG_EMS_IDLE_PERIOD);
    rscp_put_uchar8(b, RSCP_TAG_EMS_IDLE_PERIOD_TYPE, type);
    rscp_put_uchar8(b, RSCP_TAG_EMS_IDLE_PERIOD_DAY, day);
    rscp_put_bool(b, RSCP_TAG_EMS_IDLE_PERIOD_ACTIVE, active);
    rscp_put_container_open(b, RSCP_TAG_EMS_IDLE_PERIOD_START);
    rscp_put_uchar8(b, RSCP_TAG_EMS_IDLE_PERIOD_HOUR, sh);
    rscp_put_uchar8(b, RSCP_TAG_EMS_IDLE_PERIOD_MINUTE, sm);
    rscp_put_container_close(b);
    rscp_put_container_open(b, RSCP_TAG_EMS_IDLE_PERIOD_END);
    rscp_put_uchar8(b, RSCP_TAG_EMS_IDLE_PERIOD_HOUR, eh);
    rscp_put_uchar8(b, RSCP_TAG_EMS_IDLE_PERIOD_MINUTE, em);
    rscp_put_container_close(b);
    rscp_put_container_close(b);
}

static void test_idle_periods(void)
{
    uint8_t buf[2048];
    struct rscp_builder b;
    struct rscp_frame f;
    struct rscp_idle_periods ip;
    uint32_t code = 0;

    blocks_begin(&b, buf, sizeof buf);
    CHECK_INT(rscp_idle_periods_request(&b), 0);
    size_t n = blocks_end(&b);
    blocks_at(buf, n, (const uint32_t[]){RSCP_TAG_EMS_REQ_GET_IDLE_PERIODS}, 1);
    blocks_at(buf, n, (const uint32_t[]){RSCP_TAG_EMS_REQ_GET_IDLE_PERIODS_ENABLE}, 1);

    /* 14 periods as a device sends them, plus one broken and one beyond. */
    reply_begin(&b, buf, sizeof buf);
    rscp_put_bool(&b, RSCP_TAG_EMS_GET_IDLE_PERIODS_ENABLE, true);
    rscp_put_container_open(&b, RSCP_TAG_EMS_GET_IDLE_PERIODS);
    for (uint8_t d = 0; d < 7; d++) {
        put_period(&b, 0, d, d == 6, 0, 0, 6, 30);
        put_period(&b, 1, d, false, 22, 15, 23, 59);
    }
    rscp_put_container_open(&b, RSCP_TAG_EMS_IDLE_PERIOD); /* no fields */
    rscp_put_container_close(&b);
    put_period(&b, 1, 6, true, 1, 0, 2, 0);
    rscp_put_error(&b, RSCP_TAG_EMS_IDLE_PERIOD, 3);
    rscp_put_container_close(&b);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_idle_periods_parse(&f, &ip, &code), 0);
    CHECK(ip.periods_present);
    CHECK(ip.enabled_present);
    CHECK(ip.enabled);
    CHECK_INT(ip.count, RSCP_IDLE_PERIODS_MAX);
    CHECK_INT(ip.reported, 16);
    CHECK_INT(ip.skipped, 1);
    CHECK_INT(ip.device_errors, 1);
    CHECK_INT(ip.period[0].type, RSCP_IDLE_CHARGE);
    CHECK_INT(ip.period[0].end_hour, 6);
    CHECK_INT(ip.period[0].end_minute, 30);
    CHECK_INT(ip.period[13].type, RSCP_IDLE_DISCHARGE);
    CHECK_INT(ip.period[13].day, 6);
    CHECK_INT(ip.period[13].start_hour, 22);
    CHECK_INT(ip.period[13].start_minute, 15);
    CHECK(ip.period[12].active);
    CHECK(!ip.period[11].active);

    /* Out-of-range fields and other widths. */
    reply_begin(&b, buf, sizeof buf);
    rscp_put_container_open(&b, RSCP_TAG_EMS_GET_IDLE_PERIODS);
    put_period(&b, 0, 7, true, 0, 0, 1, 0);  /* day 7 */
    put_period(&b, 2, 0, true, 0, 0, 1, 0);  /* type 2 */
    put_period(&b, 0, 0, true, 24, 0, 1, 0); /* hour 24 */
    put_period(&b, 0, 0, true, 0, 60, 1, 0); /* minute 60 */
    rscp_put_container_open(&b, RSCP_TAG_EMS_IDLE_PERIOD);
    rscp_put_uint32(&b, RSCP_TAG_EMS_IDLE_PERIOD_TYPE, 1);
    rscp_put_int16(&b, RSCP_TAG_EMS_IDLE_PERIOD_DAY, 2);
    rscp_put_uchar8(&b, RSCP_TAG_EMS_IDLE_PERIOD_ACTIVE, 1);
    rscp_put_container_open(&b, RSCP_TAG_EMS_IDLE_PERIOD_START);
    rscp_put_uint16(&b, RSCP_TAG_EMS_IDLE_PERIOD_HOUR, 8);
    rscp_put_uint16(&b, RSCP_TAG_EMS_IDLE_PERIOD_MINUTE, 5);
    rscp_put_container_close(&b);
    rscp_put_container_open(&b, RSCP_TAG_EMS_IDLE_PERIOD_END);
    rscp_put_uint16(&b, RSCP_TAG_EMS_IDLE_PERIOD_HOUR, 9);
    rscp_put_uint16(&b, RSCP_TAG_EMS_IDLE_PERIOD_MINUTE, 0);
    rscp_put_container_close(&b);
    rscp_put_container_close(&b);
    rscp_put_container_close(&b);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_idle_periods_parse(&f, &ip, NULL), 0);
    CHECK(!ip.enabled_present);
    CHECK_INT(ip.skipped, 4);
    CHECK_INT(ip.count, 1);
    CHECK_INT(ip.period[0].day, 2);
    CHECK_INT(ip.period[0].start_minute, 5);

    /* Only the flag; only an ERROR; nothing. */
    reply_begin(&b, buf, sizeof buf);
    rscp_put_bool(&b, RSCP_TAG_EMS_GET_IDLE_PERIODS_ENABLE, false);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_idle_periods_parse(&f, &ip, NULL), 0);
    CHECK(ip.enabled_present && !ip.enabled && !ip.periods_present);
    reply_begin(&b, buf, sizeof buf);
    rscp_put_error(&b, RSCP_TAG_EMS_GET_IDLE_PERIODS, 6);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_idle_periods_parse(&f, &ip, &code), RSCP_ERR_DEVICE);
    CHECK_INT(code, 6);
    reply_begin(&b, buf, sizeof buf);
    rscp_put_int32(&b, RSCP_TAG_EMS_POWER_PV, 1);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_idle_periods_parse(&f, &ip, NULL), RSCP_ERR_NOT_FOUND);
}

/* The answers to SET_IDLE_PERIODS and SET_IDLE_PERIODS_ENABLE in other
 * integer widths, as device errors, of a wrong type and missing. */
static void test_idle_periods_answers(void)
{
    uint8_t buf[128];
    struct rscp_builder b;
    struct rscp_frame f;
    int64_t result = -1;
    uint32_t code = 0;

    reply_begin(&b, buf, sizeof buf);
    rscp_put_uint16(&b, RSCP_TAG_EMS_SET_IDLE_PERIODS, 0);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_idle_periods_set_parse(&f, &result, &code), 0);
    CHECK_INT(result, 0);
    reply_begin(&b, buf, sizeof buf);
    rscp_put_int32(&b, RSCP_TAG_EMS_SET_IDLE_PERIODS, 200); /* as sent, not judged */
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_idle_periods_set_parse(&f, &result, NULL), 0);
    CHECK_INT(result, 200);
    reply_begin(&b, buf, sizeof buf);
    rscp_put_error(&b, RSCP_TAG_EMS_SET_IDLE_PERIODS, 5);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_idle_periods_set_parse(&f, &result, &code), RSCP_ERR_DEVICE);
    CHECK_INT(code, 5);
    reply_begin(&b, buf, sizeof buf);
    rscp_put_cstr(&b, RSCP_TAG_EMS_SET_IDLE_PERIODS, "ok");
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_idle_periods_set_parse(&f, &result, NULL), RSCP_ERR_TYPE);
    reply_begin(&b, buf, sizeof buf);
    rscp_put_bool(&b, RSCP_TAG_EMS_SET_IDLE_PERIODS_ENABLE, true); /* only the other answer */
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_idle_periods_set_parse(&f, &result, NULL), RSCP_ERR_NOT_FOUND);
    CHECK_INT(rscp_idle_periods_set_parse(NULL, &result, NULL), RSCP_ERR_ARG);
    CHECK_INT(rscp_idle_periods_set_parse(&f, NULL, NULL), RSCP_ERR_ARG);

    bool on = true;
    reply_begin(&b, buf, sizeof buf);
    rscp_put_uchar8(&b, RSCP_TAG_EMS_SET_IDLE_PERIODS_ENABLE, 0);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_idle_periods_enable_parse(&f, &on, NULL), 0);
    CHECK(!on);
    reply_begin(&b, buf, sizeof buf);
    rscp_put_uint32(&b, RSCP_TAG_EMS_SET_IDLE_PERIODS_ENABLE, 1);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_idle_periods_enable_parse(&f, &on, NULL), 0);
    CHECK(on);
    reply_begin(&b, buf, sizeof buf);
    rscp_put_error(&b, RSCP_TAG_EMS_SET_IDLE_PERIODS_ENABLE, 2);
    reply_end(&b, buf, &f);
    on = false;
    CHECK_INT(rscp_idle_periods_enable_parse(&f, &on, &code), RSCP_ERR_DEVICE);
    CHECK_INT(code, 2);
    CHECK(!on); /* untouched */
    reply_begin(&b, buf, sizeof buf);
    rscp_put_cstr(&b, RSCP_TAG_EMS_SET_IDLE_PERIODS_ENABLE, "yes");
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_idle_periods_enable_parse(&f, &on, NULL), RSCP_ERR_TYPE);
    reply_begin(&b, buf, sizeof buf);
    rscp_put_uchar8(&b, RSCP_TAG_EMS_SET_IDLE_PERIODS, 1);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_idle_periods_enable_parse(&f, &on, NULL), RSCP_ERR_NOT_FOUND);
    CHECK_INT(rscp_idle_periods_enable_parse(NULL, &on, NULL), RSCP_ERR_ARG);
}

static void test_idle_periods_set(void)
{
    uint8_t buf[2048];
    struct rscp_builder b;
    struct rscp_frame f;
    const char *what = NULL;
    size_t bad = 99;

    struct rscp_idle_period p[2] = {{RSCP_IDLE_DISCHARGE, 6, true, 0, 0, 23, 59}, {RSCP_IDLE_CHARGE, 0, false, 7, 30, 8, 0}};
    CHECK_INT(rscp_idle_period_check(&p[0], &what), 0);
    CHECK(what == NULL);
    struct rscp_idle_period q = p[0];
    q.day = 7;
    CHECK_INT(rscp_idle_period_check(&q, &what), RSCP_ERR_RANGE);
    CHECK(strcmp(what, "day") == 0);
    q = p[0];
    q.type = 2;
    CHECK_INT(rscp_idle_period_check(&q, &what), RSCP_ERR_RANGE);
    CHECK(strcmp(what, "type") == 0);
    q = p[0];
    q.start_minute = 60;
    CHECK_INT(rscp_idle_period_check(&q, &what), RSCP_ERR_RANGE);
    CHECK(strcmp(what, "start") == 0);
    q = p[0];
    q.end_hour = 24;
    CHECK_INT(rscp_idle_period_check(&q, &what), RSCP_ERR_RANGE);
    CHECK(strcmp(what, "end") == 0);
    q = p[1];
    q.end_hour = 7;
    q.end_minute = 30; /* equal to the start */
    CHECK_INT(rscp_idle_period_check(&q, &what), RSCP_ERR_RANGE);
    CHECK(strcmp(what, "start after end") == 0);
    /* 00:00-00:00 is the empty window devices use for unused slots: valid,
     * active or not; any other empty or reversed window is not. */
    q = (struct rscp_idle_period){RSCP_IDLE_CHARGE, 3, false, 0, 0, 0, 0};
    CHECK(rscp_idle_period_empty(&q));
    CHECK_INT(rscp_idle_period_check(&q, &what), 0);
    CHECK(what == NULL);
    q.active = true;
    CHECK_INT(rscp_idle_period_check(&q, &what), 0);
    q.end_minute = 1;
    CHECK(!rscp_idle_period_empty(&q));
    CHECK_INT(rscp_idle_period_check(&q, &what), 0);
    q = (struct rscp_idle_period){RSCP_IDLE_CHARGE, 3, false, 23, 0, 0, 0};
    CHECK_INT(rscp_idle_period_check(&q, &what), RSCP_ERR_RANGE);
    CHECK(strcmp(what, "start after end") == 0);
    q = (struct rscp_idle_period){RSCP_IDLE_CHARGE, 3, false, 12, 0, 12, 0};
    CHECK_INT(rscp_idle_period_check(&q, &what), RSCP_ERR_RANGE);
    q = (struct rscp_idle_period){RSCP_IDLE_CHARGE, 3, false, 0, 0, 0, 60};
    CHECK_INT(rscp_idle_period_check(&q, &what), RSCP_ERR_RANGE);
    CHECK(strcmp(what, "end") == 0);
    CHECK(!rscp_idle_period_empty(NULL));
    q = (struct rscp_idle_period){RSCP_IDLE_CHARGE, 3, false, 12, 0, 12, 0};

    blocks_begin(&b, buf, sizeof buf);
    CHECK_INT(rscp_idle_periods_set_request(&b, p, 2, &bad), 0);
    size_t n = blocks_end(&b);
    /* Read back through the parser of the GET answer: same layout. */
    struct rscp_block c = blocks_at(buf, n, (const uint32_t[]){RSCP_TAG_EMS_REQ_SET_IDLE_PERIODS}, 1);
    uint8_t frame[2048];
    reply_begin(&b, frame, sizeof frame);
    rscp_put_raw(&b, RSCP_TAG_EMS_GET_IDLE_PERIODS, RSCP_TYPE_CONTAINER, c.value, c.length);
    reply_end(&b, frame, &f);
    struct rscp_idle_periods ip;
    CHECK_INT(rscp_idle_periods_parse(&f, &ip, NULL), 0);
    CHECK_INT(ip.count, 2);
    CHECK_INT(ip.skipped, 0);
    CHECK(memcmp(&ip.period[0], &p[0], sizeof p[0]) == 0);
    CHECK(memcmp(&ip.period[1], &p[1], sizeof p[1]) == 0);

    /* all 14 slots, the unused ones as 00:00-00:00, in one request */
    struct rscp_idle_period all[RSCP_IDLE_PERIODS_MAX];
    for (size_t i = 0; i < RSCP_IDLE_PERIODS_MAX; i++)
        all[i] = (struct rscp_idle_period){(uint8_t)(i % 2), (uint8_t)(i / 2), false, 0, 0, 0, 0};
    all[13] = p[0];
    blocks_begin(&b, buf, sizeof buf);
    CHECK_INT(rscp_idle_periods_set_request(&b, all, RSCP_IDLE_PERIODS_MAX, &bad), 0);
    CHECK(blocks_end(&b) > 0);

    struct rscp_idle_period bads[3] = {p[0], p[1], q};
    blocks_begin(&b, buf, sizeof buf);
    CHECK_INT(rscp_idle_periods_set_request(&b, bads, 3, &bad), RSCP_ERR_RANGE);
    CHECK_INT(bad, 2);
    CHECK_INT(rscp_idle_periods_set_request(&b, p, 0, &bad), RSCP_ERR_ARG);
    CHECK_INT(rscp_idle_periods_set_request(&b, p, RSCP_IDLE_PERIODS_MAX + 1, &bad), RSCP_ERR_ARG);
    CHECK_INT(blocks_end(&b), 0);

    int64_t result = -1;
    reply_begin(&b, buf, sizeof buf);
    rscp_put_uchar8(&b, RSCP_TAG_EMS_SET_IDLE_PERIODS, 1);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_idle_periods_set_parse(&f, &result, NULL), 0);
    CHECK_INT(result, 1);

    bool on = false;
    blocks_begin(&b, buf, sizeof buf);
    CHECK_INT(rscp_idle_periods_enable_request(&b, true), 0);
    n = blocks_end(&b);
    size_t want_len;
    uint8_t *want = th_unhex("34000001 01 0100 01", &want_len);
    CHECK_MEM(buf, n, want, want_len);
    free(want);
    reply_begin(&b, buf, sizeof buf);
    rscp_put_bool(&b, RSCP_TAG_EMS_SET_IDLE_PERIODS_ENABLE, true);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_idle_periods_enable_parse(&f, &on, NULL), 0);
    CHECK(on);
    test_idle_periods_answers();

    int day = -1;
    CHECK(strcmp(rscp_idle_day_name(0), "monday") == 0);
    CHECK(strcmp(rscp_idle_day_name(6), "sunday") == 0);
    CHECK(rscp_idle_day_name(7) == NULL);
    CHECK_INT(rscp_idle_day_lookup("Sunday", &day), 0);
    CHECK_INT(day, 6);
    CHECK_INT(rscp_idle_day_lookup("wed", &day), 0);
    CHECK_INT(day, 2);
    CHECK_INT(rscp_idle_day_lookup("today", &day), RSCP_ERR_UNKNOWN_NAME);
    CHECK_INT(rscp_idle_day_lookup("mo", &day), RSCP_ERR_UNKNOWN_NAME);
}

static void test_reserve(void)
{
    uint8_t buf[256];
    struct rscp_builder b;
    struct rscp_frame f;
    struct rscp_ep_reserve r;
    uint32_t code = 0;

    blocks_begin(&b, buf, sizeof buf);
    CHECK_INT(rscp_ep_reserve_request(&b), 0);
    blocks_at(buf, blocks_end(&b), (const uint32_t[]){RSCP_TAG_SE_REQ_EP_RESERVE}, 1);

    reply_begin(&b, buf, sizeof buf);
    rscp_put_container_open(&b, RSCP_TAG_SE_EP_RESERVE);
    rscp_put_uchar8(&b, RSCP_TAG_SE_PARAM_INDEX, 0);
    rscp_put_float32(&b, RSCP_TAG_SE_PARAM_EP_RESERVE, 20.0f);
    rscp_put_float32(&b, RSCP_TAG_SE_PARAM_EP_RESERVE_W, 2760.0f);
    rscp_put_double64(&b, RSCP_TAG_SE_PARAM_EP_RESERVE_MAX_W, 13800.0);
    rscp_put_float32(&b, RSCP_TAG_SE_PARAM_LAST_SOC, NAN); /* not a number: absent */
    rscp_put_container_close(&b);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_ep_reserve_parse(&f, &r, NULL), 0);
    CHECK_INT(r.present, RSCP_EP_PERCENT | RSCP_EP_ENERGY | RSCP_EP_MAX);
    CHECK(r.percent == 20.0);
    CHECK(r.energy_wh == 2760.0);
    CHECK(r.max_wh == 13800.0);

    reply_begin(&b, buf, sizeof buf);
    rscp_put_error(&b, RSCP_TAG_SE_EP_RESERVE, 6);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_ep_reserve_parse(&f, &r, &code), RSCP_ERR_DEVICE);
    CHECK_INT(code, 6);

    /* Set as percent and as Wh: index 0 and the one value. */
    blocks_begin(&b, buf, sizeof buf);
    CHECK_INT(rscp_ep_reserve_set_request(&b, 25.0, false, 0), 0);
    size_t n = blocks_end(&b);
    size_t want_len;
    uint8_t *want = th_unhex("1000001b 0e 1300  0000041b 03 0100 00  2300041b 0a 0400 0000c841", &want_len);
    CHECK_MEM(buf, n, want, want_len);
    free(want);
    blocks_begin(&b, buf, sizeof buf);
    CHECK_INT(rscp_ep_reserve_set_request(&b, 3000.0, true, 13800.0), 0);
    n = blocks_end(&b);
    struct rscp_block blk = blocks_at(buf, n, (const uint32_t[]){RSCP_TAG_SE_REQ_SET_EP_RESERVE, RSCP_TAG_SE_PARAM_EP_RESERVE_W}, 2);
    float v = 0;
    CHECK_INT(rscp_block_get_float32(&blk, &v), 0);
    CHECK(v == 3000.0f);

    blocks_begin(&b, buf, sizeof buf);
    CHECK_INT(rscp_ep_reserve_set_request(&b, 100.5, false, 0), RSCP_ERR_RANGE);
    CHECK_INT(rscp_ep_reserve_set_request(&b, -1, false, 0), RSCP_ERR_RANGE);
    CHECK_INT(rscp_ep_reserve_set_request(&b, NAN, false, 0), RSCP_ERR_RANGE);
    CHECK_INT(rscp_ep_reserve_set_request(&b, INFINITY, true, 0), RSCP_ERR_RANGE);
    CHECK_INT(rscp_ep_reserve_set_request(&b, 13801, true, 13800.0), RSCP_ERR_RANGE);
    CHECK_INT(blocks_end(&b), 0);

    reply_begin(&b, buf, sizeof buf);
    rscp_put_container_open(&b, RSCP_TAG_SE_SET_EP_RESERVE);
    rscp_put_container_close(&b);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_ep_reserve_set_parse(&f, NULL), 0);
    reply_begin(&b, buf, sizeof buf);
    rscp_put_error(&b, RSCP_TAG_SE_SET_EP_RESERVE, 3);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_ep_reserve_set_parse(&f, &code), RSCP_ERR_DEVICE);
    CHECK_INT(code, 3);
}

int main(void)
{
    test_manual_charge();
    test_idle_periods();
    test_idle_periods_set();
    test_reserve();
    return th_finish();
}
