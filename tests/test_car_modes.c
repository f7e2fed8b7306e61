/* The battery and the wallbox (rscp/car_modes.h): the read and set
 * requests, parses of hand-made replies (integer widths, BOOL, ERROR
 * blocks, values out of range, missing answers), the set answers and the
 * settings the device did not take. */
#include "harness.h"
#include "reply_testlib.h"
#include "rscp/car_modes.h"
#include "rscp/error.h"
#include "rscp/tag_ids.h"
#include "rscp/types.h"

#include <string.h>

static int count_tag(const uint8_t *buf, size_t n, uint32_t tag)
{
    struct rscp_iter it;
    struct rscp_block blk;
    int k = 0;
    rscp_iter_init(&it, buf, n);
    while (rscp_iter_next(&it, &blk) == 1)
        k += blk.tag == tag;
    return k;
}

static void test_request(void)
{
    uint8_t buf[128];
    struct rscp_builder b;
    blocks_begin(&b, buf, sizeof buf);
    CHECK_INT(rscp_car_modes_request(&b, RSCP_CM_ALL), 0);
    size_t n = blocks_end(&b);
    CHECK_INT(count_tag(buf, n, RSCP_TAG_EMS_REQ_BATTERY_TO_CAR_MODE), 1);
    CHECK_INT(count_tag(buf, n, RSCP_TAG_EMS_REQ_BATTERY_BEFORE_CAR_MODE), 1);
    CHECK_INT(count_tag(buf, n, RSCP_TAG_EMS_REQ_GET_WB_DISCHARGE_BAT_UNTIL), 1);
    CHECK_INT(count_tag(buf, n, RSCP_TAG_EMS_REQ_GET_WALLBOX_ENFORCE_POWER_ASSIGNMENT), 1);
    blocks_begin(&b, buf, sizeof buf);
    CHECK_INT(rscp_car_modes_request(&b, RSCP_CM_DISCHARGE_UNTIL), 0);
    n = blocks_end(&b);
    CHECK_INT(count_tag(buf, n, RSCP_TAG_EMS_REQ_GET_WB_DISCHARGE_BAT_UNTIL), 1);
    CHECK_INT(count_tag(buf, n, RSCP_TAG_EMS_REQ_BATTERY_TO_CAR_MODE), 0);
    CHECK_INT(rscp_car_modes_request(&b, 0), RSCP_ERR_ARG);
    CHECK_INT(rscp_car_modes_request(&b, 0x10), RSCP_ERR_ARG);
    CHECK_INT(rscp_car_modes_request(NULL, RSCP_CM_ALL), RSCP_ERR_ARG);
}

static void test_parse(void)
{
    uint8_t buf[256];
    struct rscp_builder b;
    struct rscp_frame f;
    struct rscp_car_modes m;

    reply_begin(&b, buf, sizeof buf);
    rscp_put_uchar8(&b, RSCP_TAG_EMS_BATTERY_TO_CAR_MODE, 1);
    rscp_put_uint16(&b, RSCP_TAG_EMS_BATTERY_BEFORE_CAR_MODE, 0); /* another width */
    rscp_put_uchar8(&b, RSCP_TAG_EMS_GET_WB_DISCHARGE_BAT_UNTIL, 35);
    rscp_put_bool(&b, RSCP_TAG_EMS_GET_WALLBOX_ENFORCE_POWER_ASSIGNMENT, true);
    reply_end(&b, buf, &f);
    memset(&m, 0xAA, sizeof m);
    CHECK_INT(rscp_car_modes_parse(&f, &m), 0);
    CHECK_INT(m.present, RSCP_CM_ALL);
    CHECK(m.battery_to_car && !m.battery_before_car && m.enforce_power);
    CHECK_INT(m.discharge_until, 35);
    CHECK_INT(m.device_errors, 0);

    /* An ERROR block and a value out of range: absent, counted. */
    reply_begin(&b, buf, sizeof buf);
    rscp_put_error(&b, RSCP_TAG_EMS_BATTERY_TO_CAR_MODE, 6);
    rscp_put_uchar8(&b, RSCP_TAG_EMS_GET_WB_DISCHARGE_BAT_UNTIL, 101);
    rscp_put_uchar8(&b, RSCP_TAG_EMS_BATTERY_BEFORE_CAR_MODE, 1);
    rscp_put_cstr(&b, RSCP_TAG_EMS_GET_WALLBOX_ENFORCE_POWER_ASSIGNMENT, "yes");
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_car_modes_parse(&f, &m), 0);
    CHECK_INT(m.present, RSCP_CM_BATTERY_BEFORE_CAR);
    CHECK(m.battery_before_car);
    CHECK_INT(m.device_errors, 3);

    /* None of them: not found. */
    reply_begin(&b, buf, sizeof buf);
    rscp_put_int32(&b, RSCP_TAG_EMS_POWER_PV, 1000);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_car_modes_parse(&f, &m), RSCP_ERR_NOT_FOUND);
    CHECK_INT(m.present, 0);
    CHECK_INT(rscp_car_modes_parse(NULL, &m), RSCP_ERR_ARG);
}

static void test_set(void)
{
    uint8_t buf[128];
    struct rscp_builder b;
    struct rscp_car_modes want;
    memset(&want, 0, sizeof want);
    want.battery_to_car = true;
    want.discharge_until = 40;
    want.enforce_power = true;
    blocks_begin(&b, buf, sizeof buf);
    CHECK_INT(rscp_car_modes_set_request(&b, RSCP_CM_BATTERY_TO_CAR | RSCP_CM_DISCHARGE_UNTIL | RSCP_CM_ENFORCE_POWER,
                                         &want),
              0);
    size_t n = blocks_end(&b);
    struct rscp_block blk;
    uint8_t u = 0;
    bool on = false;
    CHECK_INT(rscp_find(buf, n, RSCP_TAG_EMS_REQ_SET_BATTERY_TO_CAR_MODE, &blk), 0);
    CHECK_INT(blk.type, RSCP_TYPE_UCHAR8);
    CHECK_INT(rscp_block_get_uchar8(&blk, &u), 0);
    CHECK_INT(u, 1);
    CHECK_INT(rscp_find(buf, n, RSCP_TAG_EMS_REQ_SET_WB_DISCHARGE_BAT_UNTIL, &blk), 0);
    CHECK_INT(rscp_block_get_uchar8(&blk, &u), 0);
    CHECK_INT(u, 40);
    CHECK_INT(rscp_find(buf, n, RSCP_TAG_EMS_REQ_SET_WALLBOX_ENFORCE_POWER_ASSIGNMENT, &blk), 0);
    CHECK_INT(blk.type, RSCP_TYPE_BOOL);
    CHECK_INT(rscp_block_get_bool(&blk, &on), 0);
    CHECK(on);
    CHECK_INT(count_tag(buf, n, RSCP_TAG_EMS_REQ_SET_BATTERY_BEFORE_CAR_MODE), 0);

    want.discharge_until = 101;
    blocks_begin(&b, buf, sizeof buf);
    CHECK_INT(rscp_car_modes_set_request(&b, RSCP_CM_DISCHARGE_UNTIL, &want), RSCP_ERR_RANGE);
    CHECK_INT(rscp_car_modes_set_request(&b, 0, &want), RSCP_ERR_ARG);
    CHECK_INT(rscp_car_modes_set_request(&b, RSCP_CM_ALL, NULL), RSCP_ERR_ARG);
    CHECK_INT(blocks_end(&b), 0); /* nothing written */
}

static void test_set_answer(void)
{
    uint8_t buf[128];
    struct rscp_builder b;
    struct rscp_frame f;
    struct rscp_car_modes want, echo;
    uint32_t differs = 0xFF, code = 0;
    memset(&want, 0, sizeof want);
    want.battery_before_car = true;
    want.discharge_until = 50;

    reply_begin(&b, buf, sizeof buf);
    rscp_put_uchar8(&b, RSCP_TAG_EMS_SET_BATTERY_BEFORE_CAR_MODE, 1);
    rscp_put_uchar8(&b, RSCP_TAG_EMS_SET_WB_DISCHARGE_BAT_UNTIL, 50);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_car_modes_set_parse(&f, RSCP_CM_BATTERY_BEFORE_CAR | RSCP_CM_DISCHARGE_UNTIL, &want, &echo,
                                       &differs, &code),
              0);
    CHECK_INT(differs, 0);
    CHECK_INT(echo.present, RSCP_CM_BATTERY_BEFORE_CAR | RSCP_CM_DISCHARGE_UNTIL);
    CHECK_INT(echo.discharge_until, 50);
    /* one asked for is missing */
    CHECK_INT(rscp_car_modes_set_parse(&f, RSCP_CM_BATTERY_TO_CAR, &want, &echo, &differs, &code),
              RSCP_ERR_NOT_FOUND);

    /* Another value than asked: taken as not applied. */
    reply_begin(&b, buf, sizeof buf);
    rscp_put_uchar8(&b, RSCP_TAG_EMS_SET_WB_DISCHARGE_BAT_UNTIL, 20);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_car_modes_set_parse(&f, RSCP_CM_DISCHARGE_UNTIL, &want, &echo, &differs, &code), 0);
    CHECK_INT(differs, RSCP_CM_DISCHARGE_UNTIL);

    /* Refused. */
    reply_begin(&b, buf, sizeof buf);
    rscp_put_error(&b, RSCP_TAG_EMS_SET_WB_DISCHARGE_BAT_UNTIL, 5);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_car_modes_set_parse(&f, RSCP_CM_DISCHARGE_UNTIL, &want, &echo, &differs, &code), RSCP_ERR_DEVICE);
    CHECK_INT(code, 5);
    CHECK_INT(rscp_car_modes_set_parse(&f, 0, &want, &echo, &differs, &code), RSCP_ERR_ARG);
}

int main(void)
{
    test_request();
    test_parse();
    test_set();
    test_set_answer();
    return th_finish();
}
