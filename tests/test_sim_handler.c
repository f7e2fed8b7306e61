/* The simulator's request handler, fed request blocks built with the
 * builder (no network): reply tags, types against the dictionary
 * (data/tags.tsv), device error codes (sim_tags.h's against data/errors.tsv),
 * index containers, DB history, settings, a manual charge on a full
 * battery. Random requests: test_sim_random.c. */
#include "harness.h"

#include "../sim/sim_all.inc"

#include "rscp/builder.h"
#include "rscp/control.h"
#include "rscp/ems.h"
#include "rscp/error.h"
#include "rscp/tags.h"
#include "rscp/value.h"

#include <math.h>
#include <stdlib.h>

static uint8_t req_buf[4096];
static uint8_t reply_buf[70000];
static size_t reply_len;
static struct sim_device *dev;
static double now_t;

static struct rscp_builder req;

static void begin(void)
{
    rscp_builder_init(&req, req_buf, sizeof req_buf);
}

/* Send the built request; the reply's blocks are in reply_buf[0..reply_len). */
static int send_req(void)
{
    size_t n;
    CHECK_INT(rscp_builder_finish(&req, &n), 0);
    struct rscp_builder out;
    rscp_builder_init(&out, reply_buf, sizeof reply_buf);
    int rc = sim_handle(dev, now_t, 10, req_buf, n, &out);
    if (rc == 0)
        rc = rscp_builder_finish(&out, &reply_len);
    return rc;
}

static struct rscp_block top(uint32_t tag)
{
    struct rscp_block b;
    memset(&b, 0, sizeof b);
    CHECK_INT(rscp_find(reply_buf, reply_len, tag, &b), 0);
    return b;
}

static uint32_t error_of(const struct rscp_block *b)
{
    uint32_t code = 0;
    if (rscp_block_get_error(b, &code) != 0)
        return 0;
    return code;
}

/* Reply types that differ from tags.tsv on purpose (it lists NONE). */
static bool type_exception(uint32_t tag, uint8_t type)
{
    return (tag == SIM_RESP(RSCP_TAG_EMS_REQ_POWER_WB_ALL) && type == RSCP_TYPE_INT32) ||
           (tag == SIM_RESP(RSCP_TAG_EMS_REQ_POWER_WB_SOLAR) && type == RSCP_TYPE_INT32) ||
           (tag == RSCP_TAG_PVI_VALUE && type == RSCP_TYPE_FLOAT32) ||
           (tag == RSCP_TAG_BAT_RC && type == RSCP_TYPE_FLOAT32) ||
           (tag == RSCP_TAG_BAT_FCC && type == RSCP_TYPE_FLOAT32) ||
           (tag == RSCP_TAG_PVI_USED_STRING_COUNT && type == RSCP_TYPE_UCHAR8) ||
           (tag == RSCP_TAG_PVI_TEMPERATURE_COUNT && type == RSCP_TYPE_UCHAR8) ||
           (tag == RSCP_TAG_SE_SET_EP_RESERVE && type == RSCP_TYPE_CONTAINER) ||
           (tag == RSCP_TAG_BAT_DCB_ALL_CELL_VOLTAGES && type == RSCP_TYPE_CONTAINER) ||
           (tag == RSCP_TAG_BAT_DCB_ALL_CELL_TEMPERATURES && type == RSCP_TYPE_CONTAINER);
}

static unsigned type_mismatches, blocks_seen;

/* Every block (recursively) has the dictionary's type, or is an ERROR. */
static void check_types(const uint8_t *p, size_t n, int depth)
{
    struct rscp_iter it;
    struct rscp_block b;
    rscp_iter_init(&it, p, n);
    int r;
    while ((r = rscp_iter_next(&it, &b)) == 1) {
        blocks_seen++;
        CHECK_INT(rscp_block_check(&b), 0);
        int want = rscp_tag_type(b.tag);
        if (b.type != RSCP_TYPE_ERROR && want >= 0 && want != b.type && !type_exception(b.tag, b.type)) {
            fprintf(stderr, "type mismatch: %s (0x%08X) is %d, dictionary says %d\n", rscp_tag_name(b.tag),
                    (unsigned)b.tag, b.type, want);
            type_mismatches++;
        }
        if (b.type != RSCP_TYPE_ERROR && want < 0 && !type_exception(b.tag, b.type))
            fprintf(stderr, "not in the dictionary: 0x%08X\n", (unsigned)b.tag);
        CHECK(want >= 0 || b.type == RSCP_TYPE_ERROR || type_exception(b.tag, b.type)); /* reply tags typed */
        if (depth == 0)
            CHECK(rscp_tag_is_response(b.tag));
        if (b.type == RSCP_TYPE_CONTAINER)
            check_types(b.value, b.length, depth + 1);
    }
    CHECK_INT(r, 0);
}

static int32_t get_i32(uint32_t tag)
{
    struct rscp_block b = top(tag);
    int64_t v = 0;
    CHECK_INT(rscp_block_get_int(&b, &v), 0);
    return (int32_t)v;
}

static void test_ems(void)
{
    static const uint32_t simple[] = {
        RSCP_TAG_EMS_REQ_POWER_PV, RSCP_TAG_EMS_REQ_POWER_BAT, RSCP_TAG_EMS_REQ_POWER_HOME, RSCP_TAG_EMS_REQ_POWER_GRID,
        RSCP_TAG_EMS_REQ_POWER_ADD, RSCP_TAG_EMS_REQ_POWER_WB_ALL, RSCP_TAG_EMS_REQ_POWER_WB_SOLAR, RSCP_TAG_EMS_REQ_AUTARKY,
        RSCP_TAG_EMS_REQ_SELF_CONSUMPTION, RSCP_TAG_EMS_REQ_BAT_SOC, RSCP_TAG_EMS_REQ_COUPLING_MODE, RSCP_TAG_EMS_REQ_MODE,
        RSCP_TAG_EMS_REQ_STATUS, RSCP_TAG_EMS_REQ_BALANCED_PHASES, RSCP_TAG_EMS_REQ_INSTALLED_PEAK_POWER,
        RSCP_TAG_EMS_REQ_DERATE_AT_PERCENT_VALUE, RSCP_TAG_EMS_REQ_DERATE_AT_POWER_VALUE, RSCP_TAG_EMS_REQ_EXT_SRC_AVAILABLE,
        RSCP_TAG_EMS_REQ_USED_CHARGE_LIMIT, RSCP_TAG_EMS_REQ_BAT_CHARGE_LIMIT, RSCP_TAG_EMS_REQ_DCDC_CHARGE_LIMIT,
        RSCP_TAG_EMS_REQ_USER_CHARGE_LIMIT, RSCP_TAG_EMS_REQ_USED_DISCHARGE_LIMIT, RSCP_TAG_EMS_REQ_BAT_DISCHARGE_LIMIT,
        RSCP_TAG_EMS_REQ_DCDC_DISCHARGE_LIMIT, RSCP_TAG_EMS_REQ_USER_DISCHARGE_LIMIT,
        RSCP_TAG_EMS_REQ_REMAINING_BAT_CHARGE_POWER, RSCP_TAG_EMS_REQ_REMAINING_BAT_DISCHARGE_POWER,
        RSCP_TAG_EMS_REQ_EMERGENCY_POWER_STATUS, RSCP_TAG_EMS_REQ_BATTERY_TO_CAR_MODE,
        RSCP_TAG_EMS_REQ_BATTERY_BEFORE_CAR_MODE, RSCP_TAG_EMS_REQ_GET_POWER_SETTINGS, RSCP_TAG_EMS_REQ_GET_SYS_SPECS,
        RSCP_TAG_INFO_REQ_SERIAL_NUMBER, RSCP_TAG_INFO_REQ_PRODUCTION_DATE, RSCP_TAG_INFO_REQ_MAC_ADDRESS,
        RSCP_TAG_INFO_REQ_IP_ADDRESS, RSCP_TAG_INFO_REQ_SUBNET_MASK, RSCP_TAG_INFO_REQ_GATEWAY, RSCP_TAG_INFO_REQ_DNS,
        RSCP_TAG_INFO_REQ_DHCP_STATUS, RSCP_TAG_INFO_REQ_SW_RELEASE, RSCP_TAG_INFO_REQ_TIME, RSCP_TAG_INFO_REQ_UTC_TIME,
        RSCP_TAG_INFO_REQ_TIME_ZONE, RSCP_TAG_INFO_REQ_A35_SERIAL_NUMBER, RSCP_TAG_INFO_REQ_MODULES_SW_VERSIONS,
        RSCP_TAG_INFO_REQ_GUI_TARGET, RSCP_TAG_RSCP_REQ_USER_LEVEL,
    };
    /* Many instants over two days, one request frame each. */
    for (int k = 0; k < 48; k++) {
        now_t += 1800.0;
        begin();
        for (size_t i = 0; i < sizeof simple / sizeof simple[0]; i++)
            rscp_put_none(&req, simple[i]);
        CHECK_INT(send_req(), 0);
        check_types(reply_buf, reply_len, 0);
        /* One reply per request, in order, none an error. */
        struct rscp_iter it;
        struct rscp_block b;
        rscp_iter_init(&it, reply_buf, reply_len);
        for (size_t i = 0; i < sizeof simple / sizeof simple[0]; i++) {
            CHECK_INT(rscp_iter_next(&it, &b), 1);
            uint32_t want = simple[i] == RSCP_TAG_EMS_REQ_GET_SYS_SPECS ? (uint32_t)RSCP_TAG_EMS_GET_SYS_SPECS
                                                                  : SIM_RESP(simple[i]);
            CHECK_INT(b.tag, want);
            CHECK(b.type != RSCP_TYPE_ERROR);
        }
        CHECK_INT(rscp_iter_next(&it, &b), 0);
        /* The wire values close the balance: PV - ADD + GRID = HOME + BAT + WB. */
        int32_t pv = get_i32(SIM_RESP(RSCP_TAG_EMS_REQ_POWER_PV)), add = get_i32(SIM_RESP(RSCP_TAG_EMS_REQ_POWER_ADD));
        int32_t grid = get_i32(SIM_RESP(RSCP_TAG_EMS_REQ_POWER_GRID)), home = get_i32(SIM_RESP(RSCP_TAG_EMS_REQ_POWER_HOME));
        int32_t bat = get_i32(SIM_RESP(RSCP_TAG_EMS_REQ_POWER_BAT)), wb = get_i32(SIM_RESP(RSCP_TAG_EMS_REQ_POWER_WB_ALL));
        CHECK_INT(pv - add + grid, home + bat + wb);
        CHECK(add <= 0);
        struct rscp_block soc = top(SIM_RESP(RSCP_TAG_EMS_REQ_BAT_SOC));
        uint8_t s = 255;
        CHECK_INT(rscp_block_get_uchar8(&soc, &s), 0);
        CHECK(s <= 100);
        float aut = -1;
        struct rscp_block ab = top(SIM_RESP(RSCP_TAG_EMS_REQ_AUTARKY));
        CHECK_INT(rscp_block_get_float32(&ab, &aut), 0);
        CHECK(aut >= 0.0f && aut <= 100.0f);
    }
    /* UTC time is the simulated time; local time is 2 h ahead in June. */
    struct rscp_block b = top(SIM_RESP(RSCP_TAG_INFO_REQ_UTC_TIME));
    struct rscp_timestamp ts;
    CHECK_INT(rscp_block_get_timestamp(&b, &ts), 0);
    CHECK(llabs(ts.seconds - (int64_t)now_t) <= 1);
    b = top(SIM_RESP(RSCP_TAG_INFO_REQ_TIME));
    struct rscp_timestamp lt;
    CHECK_INT(rscp_block_get_timestamp(&b, &lt), 0);
    CHECK_INT(lt.seconds - ts.seconds, 7200);
    b = top(SIM_RESP(RSCP_TAG_RSCP_REQ_USER_LEVEL));
    uint8_t level = 0;
    CHECK_INT(rscp_block_get_uchar8(&b, &level), 0);
    CHECK_INT(level, 10);
}

static void test_errors(void)
{
    begin();
    rscp_put_none(&req, 0x01000999u);             /* unknown EMS tag              */
    rscp_put_none(&req, 0x7A000001u);             /* unknown namespace            */
    rscp_put_none(&req, RSCP_TAG_BAT_REQ_RSOC);        /* sub-request outside BAT.DATA */
    rscp_put_uchar8(&req, RSCP_TAG_PVI_REQ_DC_POWER, 0); /* outside PVI.DATA           */
    rscp_put_none(&req, RSCP_TAG_PM_REQ_POWER_L1);     /* outside PM.DATA              */
    rscp_put_none(&req, RSCP_TAG_DB_REQ_HISTORY_TIME_START); /* outside a history request */
    rscp_put_none(&req, RSCP_TAG_BAT_REQ_DATA);        /* index container as NONE      */
    rscp_put_int32(&req, RSCP_TAG_EMS_REQ_SET_POWER, 5); /* not a container            */
    rscp_put_none(&req, RSCP_TAG_EMS_REQ_GET_IDLE_PERIODS_2); /* known, not served     */
    CHECK_INT(send_req(), 0);
    CHECK_INT(error_of(&(struct rscp_block){0}), 0);
    struct rscp_block b = top(0x01800999u);
    CHECK_INT(error_of(&b), SIM_ERR_UNKNOWN_TAG);
    b = top(0x7A800001u);
    CHECK_INT(error_of(&b), SIM_ERR_UNKNOWN_TAG);
    b = top(RSCP_TAG_EMS_GET_IDLE_PERIODS_2);
    CHECK_INT(error_of(&b), SIM_ERR_NOT_AVAILABLE);
    b = top(SIM_RESP(RSCP_TAG_BAT_REQ_RSOC));
    CHECK_INT(error_of(&b), SIM_ERR_FORMAT);
    b = top(SIM_RESP(RSCP_TAG_PVI_REQ_DC_POWER));
    CHECK_INT(error_of(&b), SIM_ERR_FORMAT);
    b = top(SIM_RESP(RSCP_TAG_PM_REQ_POWER_L1));
    CHECK_INT(error_of(&b), SIM_ERR_FORMAT);
    b = top(SIM_RESP(RSCP_TAG_DB_REQ_HISTORY_TIME_START));
    CHECK_INT(error_of(&b), SIM_ERR_FORMAT);
    b = top(SIM_RESP(RSCP_TAG_BAT_REQ_DATA));
    CHECK_INT(error_of(&b), SIM_ERR_FORMAT);
    b = top(SIM_RESP(RSCP_TAG_EMS_REQ_SET_POWER));
    CHECK_INT(error_of(&b), SIM_ERR_FORMAT);
    check_types(reply_buf, reply_len, 0);

    /* Truncated request data: answered as far as it parses, no crash. */
    static const uint8_t cut[] = {0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00};
    uint8_t *g = th_guard_copy(cut, sizeof cut);
    struct rscp_builder out;
    rscp_builder_init(&out, reply_buf, sizeof reply_buf);
    CHECK_INT(sim_handle(dev, now_t, 10, g, sizeof cut, &out), 0);
    CHECK_INT(rscp_builder_finish(&out, &reply_len), 0);
    b = top(SIM_RESP(RSCP_TAG_EMS_REQ_POWER_PV));
    th_guard_free(g, sizeof cut);

    /* A reply that does not fit is the builder's error, not an overflow. */
    begin();
    rscp_put_none(&req, RSCP_TAG_EMS_REQ_GET_SYS_SPECS);
    size_t n;
    CHECK_INT(rscp_builder_finish(&req, &n), 0);
    for (size_t cap = 0; cap < 64; cap += 7) {
        uint8_t *small = malloc(cap + 1);
        rscp_builder_init(&out, small, cap);
        CHECK_INT(sim_handle(dev, now_t, 10, req_buf, n, &out), RSCP_ERR_NOSPACE);
        free(small);
    }
}

/* Find the n-th child with a tag inside a container. */
static bool child(const struct rscp_block *c, uint32_t tag, unsigned nth, struct rscp_block *out)
{
    struct rscp_iter it;
    if (rscp_block_children(c, &it) != 0)
        return false;
    while (rscp_iter_next(&it, out) == 1)
        if (out->tag == tag && nth-- == 0)
            return true;
    return false;
}

static void test_bat(void)
{
    begin();
    rscp_put_container_open(&req, RSCP_TAG_BAT_REQ_DATA);
    rscp_put_uint16(&req, RSCP_TAG_BAT_INDEX, 0);
    for (size_t i = 0; i < sizeof bat_subs / sizeof bat_subs[0]; i++)
        if (bat_subs[i] == RSCP_TAG_BAT_REQ_DCB_INFO || bat_subs[i] == RSCP_TAG_BAT_REQ_DCB_ALL_CELL_VOLTAGES ||
            bat_subs[i] == RSCP_TAG_BAT_REQ_DCB_ALL_CELL_TEMPERATURES)
            rscp_put_uint16(&req, bat_subs[i], 2); /* the module number as the value */
        else
            rscp_put_none(&req, bat_subs[i]);
    rscp_put_uint16(&req, RSCP_TAG_BAT_REQ_DCB_INFO, 6);  /* only 0..5 exist */
    rscp_put_uint16(&req, RSCP_TAG_BAT_REQ_DCB_INFO, 0);
    rscp_put_none(&req, 0x03000777u);               /* unknown inside the container */
    rscp_put_container_close(&req);
    rscp_put_container_open(&req, RSCP_TAG_BAT_REQ_DATA); /* no index */
    rscp_put_none(&req, RSCP_TAG_BAT_REQ_RSOC);
    rscp_put_container_close(&req);
    rscp_put_container_open(&req, RSCP_TAG_BAT_REQ_DATA); /* no such battery */
    rscp_put_uint16(&req, RSCP_TAG_BAT_INDEX, 3);
    rscp_put_none(&req, RSCP_TAG_BAT_REQ_RSOC);
    rscp_put_container_close(&req);
    CHECK_INT(send_req(), 0);
    check_types(reply_buf, reply_len, 0);

    struct rscp_iter it;
    struct rscp_block data, b, v;
    rscp_iter_init(&it, reply_buf, reply_len);
    CHECK_INT(rscp_iter_next(&it, &data), 1);
    CHECK_INT(data.tag, SIM_RESP(RSCP_TAG_BAT_REQ_DATA));
    CHECK_INT(data.type, RSCP_TYPE_CONTAINER);
    uint16_t idx = 99;
    CHECK(child(&data, RSCP_TAG_BAT_INDEX, 0, &b) && rscp_block_get_uint16(&b, &idx) == 0 && idx == 0);
    for (size_t i = 0; i < sizeof bat_subs / sizeof bat_subs[0]; i++) {
        CHECK(child(&data, SIM_RESP(bat_subs[i]), 0, &b));
        CHECK(b.type != RSCP_TYPE_ERROR);
    }
    /* RSOC equals the EMS SOC; the DCB count is 6. */
    float rsoc = -1;
    CHECK(child(&data, SIM_RESP(RSCP_TAG_BAT_REQ_RSOC), 0, &b) && rscp_block_get_float32(&b, &rsoc) == 0);
    CHECK(fabs(rsoc - sim_model_soc(&dev->model)) < 1e-3);
    uint8_t count = 0;
    CHECK(child(&data, SIM_RESP(RSCP_TAG_BAT_REQ_DCB_COUNT), 0, &b) && rscp_block_get_uchar8(&b, &count) == 0);
    CHECK_INT(count, 6);
    /* DCB 2 answers with its index; DCB 6 is out of bounds; DCB 0 follows. */
    uint16_t dcb = 99;
    CHECK(child(&data, SIM_RESP(RSCP_TAG_BAT_REQ_DCB_INFO), 0, &b));
    CHECK(child(&b, RSCP_TAG_BAT_DCB_INDEX, 0, &v) && rscp_block_get_uint16(&v, &dcb) == 0 && dcb == 2);
    CHECK(child(&b, RSCP_TAG_BAT_DCB_SOC, 0, &v) && child(&b, RSCP_TAG_BAT_DCB_SOH, 0, &v));
    CHECK(child(&b, RSCP_TAG_BAT_DCB_SERIALNO, 0, &v) && child(&b, RSCP_TAG_BAT_DCB_CYCLE_COUNT, 0, &v));
    CHECK(child(&data, SIM_RESP(RSCP_TAG_BAT_REQ_DCB_INFO), 1, &b));
    CHECK_INT(error_of(&b), SIM_ERR_OUT_OF_BOUNDS);
    CHECK(child(&data, SIM_RESP(RSCP_TAG_BAT_REQ_DCB_INFO), 2, &b));
    CHECK(child(&b, RSCP_TAG_BAT_DCB_INDEX, 0, &v) && rscp_block_get_uint16(&v, &dcb) == 0 && dcb == 0);
    CHECK(child(&data, 0x03800777u, 0, &b));
    CHECK_INT(error_of(&b), SIM_ERR_UNKNOWN_TAG);

    CHECK_INT(rscp_iter_next(&it, &b), 1);
    CHECK_INT(b.tag, SIM_RESP(RSCP_TAG_BAT_REQ_DATA));
    CHECK_INT(error_of(&b), SIM_ERR_NOT_AVAILABLE);
    CHECK_INT(rscp_iter_next(&it, &b), 1);
    CHECK_INT(error_of(&b), SIM_ERR_NOT_AVAILABLE);
    CHECK_INT(rscp_iter_next(&it, &b), 0);
}

static void test_pvi(void)
{
    now_t = (double)sim_local_to_utc(&dev->model.cfg.tz, sim_days_from_civil(2024, 7, 3) * 86400 + 13 * 3600);
    begin();
    rscp_put_container_open(&req, RSCP_TAG_PVI_REQ_DATA);
    rscp_put_uint16(&req, RSCP_TAG_PVI_INDEX, 0);
    for (size_t i = 0; i < sizeof pvi_subs / sizeof pvi_subs[0]; i++)
        rscp_put_uchar8(&req, pvi_subs[i], 1); /* tracker, phase or sensor 1 */
    rscp_put_uchar8(&req, RSCP_TAG_PVI_REQ_DC_POWER, 0);
    rscp_put_uchar8(&req, RSCP_TAG_PVI_REQ_DC_POWER, 2); /* two trackers only */
    rscp_put_uchar8(&req, RSCP_TAG_PVI_REQ_AC_POWER, 3); /* three phases only */
    rscp_put_none(&req, RSCP_TAG_PVI_REQ_DC_VOLTAGE);    /* tracker missing */
    rscp_put_container_close(&req);
    rscp_put_container_open(&req, RSCP_TAG_PVI_REQ_DATA);
    rscp_put_uint16(&req, RSCP_TAG_PVI_INDEX, 1);
    rscp_put_none(&req, RSCP_TAG_PVI_REQ_ON_GRID);
    rscp_put_container_close(&req);
    CHECK_INT(send_req(), 0);
    check_types(reply_buf, reply_len, 0);
    struct rscp_block data = top(SIM_RESP(RSCP_TAG_PVI_REQ_DATA)), b, v;
    CHECK_INT(data.type, RSCP_TYPE_CONTAINER);
    for (size_t i = 0; i < sizeof pvi_subs / sizeof pvi_subs[0]; i++) {
        CHECK(child(&data, SIM_RESP(pvi_subs[i]), 0, &b));
        CHECK(b.type != RSCP_TYPE_ERROR);
    }
    /* DC power per tracker: index as sent, the two add up to EMS.POWER_PV. */
    double sum = 0;
    for (unsigned k = 0; k < 2; k++) {
        CHECK(child(&data, SIM_RESP(RSCP_TAG_PVI_REQ_DC_POWER), k, &b));
        uint16_t idx = 9;
        float p = -1;
        CHECK(child(&b, RSCP_TAG_PVI_INDEX, 0, &v) && rscp_block_get_uint16(&v, &idx) == 0);
        CHECK_INT(idx, k == 0 ? 1 : 0);
        CHECK(child(&b, RSCP_TAG_PVI_VALUE, 0, &v) && rscp_block_get_float32(&v, &p) == 0);
        CHECK(p >= 0.0f);
        sum += p;
    }
    double pv = (double)sim_model_flows(&dev->model, 1.0).pv;
    CHECK(fabs(sum - pv) <= 2.0);
    CHECK(child(&data, SIM_RESP(RSCP_TAG_PVI_REQ_DC_POWER), 2, &b));
    CHECK_INT(error_of(&b), SIM_ERR_OUT_OF_BOUNDS);
    CHECK(child(&data, SIM_RESP(RSCP_TAG_PVI_REQ_AC_POWER), 1, &b));
    CHECK_INT(error_of(&b), SIM_ERR_OUT_OF_BOUNDS);
    CHECK(child(&data, SIM_RESP(RSCP_TAG_PVI_REQ_DC_VOLTAGE), 1, &b));
    CHECK_INT(error_of(&b), SIM_ERR_FORMAT);
    struct rscp_iter it;
    rscp_iter_init(&it, reply_buf, reply_len);
    CHECK_INT(rscp_iter_next(&it, &b), 1);
    CHECK_INT(rscp_iter_next(&it, &b), 1);
    CHECK_INT(error_of(&b), SIM_ERR_NOT_AVAILABLE);
}

static void pm_request(unsigned index)
{
    rscp_put_container_open(&req, RSCP_TAG_PM_REQ_DATA);
    rscp_put_uint16(&req, RSCP_TAG_PM_INDEX, (uint16_t)index);
    for (size_t i = 0; i < sizeof pm_subs / sizeof pm_subs[0]; i++)
        rscp_put_none(&req, pm_subs[i]);
    rscp_put_container_close(&req);
}

static void test_pm(unsigned root)
{
    /* Probe every index like a client discovering meters. */
    begin();
    for (unsigned i = 0; i < 8; i++)
        pm_request(i);
    CHECK_INT(send_req(), 0);
    check_types(reply_buf, reply_len, 0);
    struct rscp_iter it;
    struct rscp_block data, b;
    rscp_iter_init(&it, reply_buf, reply_len);
    unsigned found = 0;
    for (unsigned i = 0; i < 8; i++) {
        CHECK_INT(rscp_iter_next(&it, &data), 1);
        CHECK_INT(data.tag, SIM_RESP(RSCP_TAG_PM_REQ_DATA));
        if (data.type == RSCP_TYPE_ERROR) {
            CHECK_INT(error_of(&data), SIM_ERR_NOT_AVAILABLE);
            continue;
        }
        found++;
        uint16_t type = 0;
        CHECK(child(&data, SIM_RESP(RSCP_TAG_PM_REQ_TYPE), 0, &b) && rscp_block_get_uint16(&b, &type) == 0);
        CHECK(i == root ? type == 1 : type == 3);
        if (i != root)
            continue;
        /* The root meter's phases add up to EMS.POWER_GRID. */
        double p = 0, l;
        for (unsigned k = 0; k < 3; k++) {
            CHECK(child(&data, SIM_RESP(RSCP_TAG_PM_REQ_POWER_L1 + k), 0, &b) &&
                  rscp_block_get_double64(&b, &l) == 0);
            p += l;
        }
        CHECK(fabs(p - (double)sim_model_flows(&dev->model, 1.0).grid) < 1e-6);
        uint8_t phases = 0;
        CHECK(child(&data, SIM_RESP(RSCP_TAG_PM_REQ_ACTIVE_PHASES), 0, &b) && rscp_block_get_uchar8(&b, &phases) == 0);
        CHECK_INT(phases, 7);
    }
    CHECK_INT(found, 2); /* the root and the additional producer's meter */
}

/* The root meter's (index 0) energy counter (the sum of its phases, Wh)
 * and EMS.POWER_GRID (W, + import / - export) at now_t. */
static double root_energy(int32_t *grid)
{
    begin();
    rscp_put_none(&req, RSCP_TAG_EMS_REQ_POWER_GRID);
    rscp_put_container_open(&req, RSCP_TAG_PM_REQ_DATA);
    rscp_put_uint16(&req, RSCP_TAG_PM_INDEX, 0);
    for (unsigned k = 0; k < 3; k++)
        rscp_put_none(&req, RSCP_TAG_PM_REQ_ENERGY_L1 + k);
    rscp_put_container_close(&req);
    CHECK_INT(send_req(), 0);
    *grid = get_i32(RSCP_TAG_EMS_POWER_GRID);
    struct rscp_block data = top(SIM_RESP(RSCP_TAG_PM_REQ_DATA)), b;
    double e = 0, l = 0;
    for (unsigned k = 0; k < 3; k++) {
        CHECK(child(&data, SIM_RESP(RSCP_TAG_PM_REQ_ENERGY_L1 + k), 0, &b) && rscp_block_get_double64(&b, &l) == 0);
        e += l;
    }
    return e;
}

/* The root meter's energy counter counts the import only: it stands still
 * while the plant feeds in, and grows by the imported energy while it
 * draws. Windows of 5 minutes sampled every 10 s, searched for in steps of
 * 30 minutes over two days from `start` (local time), on a device of its
 * own; *seen_export, *seen_import: such a window was found. */
static void root_meter_windows(const struct sim_config *c, int64_t start, bool *seen_export, bool *seen_import)
{
    struct sim_device *keep = dev;
    double keep_t = now_t;
    dev = malloc(sizeof *dev);
    CHECK(dev != NULL);
    if (!dev) {
        dev = keep;
        return;
    }
    now_t = (double)sim_local_to_utc(&c->tz, start);
    sim_device_init(dev, c, now_t, 0);
    bool seen_e = false, seen_i = false;
    for (int w = 0; w < 96 && !(seen_e && seen_i); w++) {
        now_t += 1800;
        int32_t grid;
        double e0 = root_energy(&grid), drawn = 0;
        int sign = grid > 0 ? 1 : grid < 0 ? -1 : 0;
        bool same = sign != 0;
        for (int s = 0; s < 30 && same; s++) {
            now_t += 10;
            root_energy(&grid);
            same = (grid > 0 ? 1 : grid < 0 ? -1 : 0) == sign;
            drawn += grid > 0 ? grid * 10.0 / 3600.0 : 0.0;
        }
        int32_t g_end;
        double e1 = root_energy(&g_end);
        if (!same)
            continue;
        if (sign < 0 && !seen_e) {
            seen_e = true;
            CHECK(e1 == e0); /* exporting: no import */
            if (e1 != e0)
                printf("root meter counted %.3f Wh while feeding in\n", e1 - e0);
        } else if (sign > 0 && !seen_i) {
            seen_i = true;
            CHECK(drawn > 1.0 && fabs((e1 - e0) - drawn) <= 0.1 * drawn);
            if (!(fabs((e1 - e0) - drawn) <= 0.1 * drawn))
                printf("root meter counted %.3f Wh while %.3f Wh were drawn\n", e1 - e0, drawn);
        }
    }
    *seen_export |= seen_e;
    *seen_import |= seen_i;
    free(dev);
    dev = keep;
    now_t = keep_t;
}

/* A June day feeds in at noon; a December night draws from the grid. */
static void test_root_meter_energy(const struct sim_config *c)
{
    bool seen_export = false, seen_import = false;
    root_meter_windows(c, sim_days_from_civil(2024, 6, 21) * 86400 + 10 * 3600, &seen_export, &seen_import);
    root_meter_windows(c, sim_days_from_civil(2024, 12, 20) * 86400 + 12 * 3600, &seen_export, &seen_import);
    CHECK(seen_export);
    CHECK(seen_import);
}

static void put_history(uint32_t tag, double start, double interval, double span, bool as_timestamp)
{
    rscp_put_container_open(&req, tag);
    if (as_timestamp) {
        rscp_put_timestamp(&req, RSCP_TAG_DB_REQ_HISTORY_TIME_START, (int64_t)start, 0);
        rscp_put_timestamp(&req, RSCP_TAG_DB_REQ_HISTORY_TIME_INTERVAL, (int64_t)interval, 0);
        rscp_put_timestamp(&req, RSCP_TAG_DB_REQ_HISTORY_TIME_SPAN, (int64_t)span, 0);
    } else {
        rscp_put_uint64(&req, RSCP_TAG_DB_REQ_HISTORY_TIME_START, (uint64_t)start);
        rscp_put_uint64(&req, RSCP_TAG_DB_REQ_HISTORY_TIME_INTERVAL, (uint64_t)interval);
        rscp_put_uint64(&req, RSCP_TAG_DB_REQ_HISTORY_TIME_SPAN, (uint64_t)span);
    }
    rscp_put_container_close(&req);
}

static float field(const struct rscp_block *c, uint32_t tag)
{
    struct rscp_block b;
    float v = -1;
    CHECK(child(c, tag, 0, &b) && rscp_block_get_float32(&b, &v) == 0);
    return v;
}

static void test_history(void)
{
    /* 21 June 2024, the device-local day, asked for on 1 July. */
    double local_midnight = (double)(sim_days_from_civil(2024, 6, 21) * 86400);
    now_t = (double)sim_local_to_utc(&dev->model.cfg.tz, sim_days_from_civil(2024, 7, 1) * 86400 + 9 * 3600);
    begin();
    put_history(RSCP_TAG_DB_REQ_HISTORY_DATA_DAY, local_midnight, 900, 86400, true);
    CHECK_INT(send_req(), 0);
    check_types(reply_buf, reply_len, 0);
    struct rscp_block day = top(SIM_RESP(RSCP_TAG_DB_REQ_HISTORY_DATA_DAY)), sumc, vc;
    CHECK_INT(day.type, RSCP_TYPE_CONTAINER);
    CHECK(child(&day, RSCP_TAG_DB_SUM_CONTAINER, 0, &sumc));
    unsigned n = 0;
    double pv = 0, grid_in = 0, cons = 0;
    while (child(&day, RSCP_TAG_DB_VALUE_CONTAINER, n, &vc)) {
        CHECK(field(&vc, RSCP_TAG_DB_GRAPH_INDEX) == (float)n);
        pv += field(&vc, RSCP_TAG_DB_DC_POWER);
        grid_in += field(&vc, RSCP_TAG_DB_GRID_POWER_IN);
        cons += field(&vc, RSCP_TAG_DB_CONSUMPTION);
        /* Each interval balances with GRID_POWER_IN the export and
         * GRID_POWER_OUT the import. */
        double supply = (double)field(&vc, RSCP_TAG_DB_DC_POWER) + field(&vc, RSCP_TAG_DB_PM_0_POWER) +
                        field(&vc, RSCP_TAG_DB_PM_1_POWER) + field(&vc, RSCP_TAG_DB_GRID_POWER_OUT) +
                        field(&vc, RSCP_TAG_DB_BAT_POWER_OUT);
        double use = (double)field(&vc, RSCP_TAG_DB_CONSUMPTION) + field(&vc, RSCP_TAG_DB_GRID_POWER_IN) +
                     field(&vc, RSCP_TAG_DB_BAT_POWER_IN);
        CHECK(fabs(supply - use) <= 1e-5 * supply + 0.01);
        float level = field(&vc, RSCP_TAG_DB_BAT_CHARGE_LEVEL), aut = field(&vc, RSCP_TAG_DB_AUTARKY);
        CHECK(level >= 0.0f && level <= 100.0f && aut >= 0.0f && aut <= 100.0f);
        n++;
    }
    CHECK_INT(n, 96);
    /* 12:00-12:15 on this June day the plant only feeds in: export. */
    CHECK(child(&day, RSCP_TAG_DB_VALUE_CONTAINER, 48, &vc));
    CHECK(field(&vc, RSCP_TAG_DB_GRID_POWER_IN) > 100.0f && field(&vc, RSCP_TAG_DB_GRID_POWER_OUT) == 0.0f);
    CHECK(field(&vc, RSCP_TAG_DB_DC_POWER) > field(&vc, RSCP_TAG_DB_CONSUMPTION) + 100.0f);
    CHECK(fabs(pv - field(&sumc, RSCP_TAG_DB_DC_POWER)) <= 1e-4 * pv + 1);
    CHECK(fabs(grid_in - field(&sumc, RSCP_TAG_DB_GRID_POWER_IN)) <= 1e-4 * grid_in + 1);
    CHECK(fabs(cons - field(&sumc, RSCP_TAG_DB_CONSUMPTION)) <= 1e-4 * cons + 1);
    /* The same day from the model: start is local midnight in UTC. */
    static struct sim_energy iv[96];
    struct sim_energy sum;
    double utc_midnight = (double)sim_local_to_utc(&dev->model.cfg.tz, (int64_t)local_midnight);
    CHECK_INT(utc_midnight, local_midnight - 7200);
    sim_history_compute(&dev->model.cfg, now_t, utc_midnight, 900, 96, iv, &sum);
    CHECK(fabs(field(&sumc, RSCP_TAG_DB_DC_POWER) - (float)sum.pv) <= 1.0f);
    CHECK(sum.pv > 1000.0);
    float before = field(&sumc, RSCP_TAG_DB_DC_POWER);

    /* UINT64 seconds and a too-small interval (raised to 900 s) give the same. */
    begin();
    put_history(RSCP_TAG_DB_REQ_HISTORY_DATA_DAY, local_midnight, 60, 86400, false);
    CHECK_INT(send_req(), 0);
    day = top(SIM_RESP(RSCP_TAG_DB_REQ_HISTORY_DATA_DAY));
    CHECK(child(&day, RSCP_TAG_DB_SUM_CONTAINER, 0, &sumc));
    CHECK(field(&sumc, RSCP_TAG_DB_DC_POWER) == before);
    CHECK(child(&day, RSCP_TAG_DB_VALUE_CONTAINER, 95, &vc) && !child(&day, RSCP_TAG_DB_VALUE_CONTAINER, 96, &vc));

    /* A week of days; a year of days; too many intervals; missing fields. */
    begin();
    put_history(RSCP_TAG_DB_REQ_HISTORY_DATA_WEEK, local_midnight - 2 * 86400, 86400, 7 * 86400, true);
    CHECK_INT(send_req(), 0);
    check_types(reply_buf, reply_len, 0);
    struct rscp_block week = top(SIM_RESP(RSCP_TAG_DB_REQ_HISTORY_DATA_WEEK));
    CHECK(child(&week, RSCP_TAG_DB_VALUE_CONTAINER, 2, &vc));
    CHECK(fabs(field(&vc, RSCP_TAG_DB_DC_POWER) - before) <= 1e-4f * before);
    CHECK(child(&week, RSCP_TAG_DB_VALUE_CONTAINER, 6, &vc) && !child(&week, RSCP_TAG_DB_VALUE_CONTAINER, 7, &vc));

    begin();
    put_history(RSCP_TAG_DB_REQ_HISTORY_DATA_YEAR, (double)(sim_days_from_civil(2023, 7, 1) * 86400), 86400,
                365 * 86400.0, true);
    CHECK_INT(send_req(), 0);
    struct rscp_block year = top(SIM_RESP(RSCP_TAG_DB_REQ_HISTORY_DATA_YEAR));
    CHECK(child(&year, RSCP_TAG_DB_VALUE_CONTAINER, 364, &vc));
    CHECK(field(&vc, RSCP_TAG_DB_DC_POWER) > 0.0f);

    begin();
    put_history(RSCP_TAG_DB_REQ_HISTORY_DATA_MONTH, local_midnight, 900, 31 * 86400.0, true);
    rscp_put_container_open(&req, RSCP_TAG_DB_REQ_HISTORY_DATA_DAY);
    rscp_put_timestamp(&req, RSCP_TAG_DB_REQ_HISTORY_TIME_START, (int64_t)local_midnight, 0);
    rscp_put_container_close(&req);
    CHECK_INT(send_req(), 0);
    struct rscp_block b = top(SIM_RESP(RSCP_TAG_DB_REQ_HISTORY_DATA_MONTH));
    CHECK_INT(error_of(&b), SIM_ERR_UNEXPECTED);
    b = top(SIM_RESP(RSCP_TAG_DB_REQ_HISTORY_DATA_DAY));
    CHECK_INT(error_of(&b), SIM_ERR_FORMAT);

    /* The database starts on 1 January of the year before the start
     * (2023-01-01): a week across it has empty days before it. */
    CHECK_INT(dev->history_first_day, sim_days_from_civil(2023, 1, 1));
    begin();
    put_history(RSCP_TAG_DB_REQ_HISTORY_DATA_WEEK, (double)(sim_days_from_civil(2022, 12, 28) * 86400), 86400,
                7 * 86400, true);
    CHECK_INT(send_req(), 0);
    week = top(SIM_RESP(RSCP_TAG_DB_REQ_HISTORY_DATA_WEEK));
    CHECK(child(&week, RSCP_TAG_DB_VALUE_CONTAINER, 3, &vc));
    CHECK(field(&vc, RSCP_TAG_DB_CONSUMPTION) == 0.0f && field(&vc, RSCP_TAG_DB_DC_POWER) == 0.0f);
    CHECK(child(&week, RSCP_TAG_DB_VALUE_CONTAINER, 4, &vc));
    CHECK(field(&vc, RSCP_TAG_DB_CONSUMPTION) > 1000.0f);

    begin(); /* 300 intervals of 3 days: more than SIM_HISTORY_MAX_SPAN in all */
    put_history(RSCP_TAG_DB_REQ_HISTORY_DATA_YEAR, local_midnight - 900 * 86400.0, 3 * 86400, 900 * 86400.0, true);
    CHECK_INT(send_req(), 0);
    b = top(SIM_RESP(RSCP_TAG_DB_REQ_HISTORY_DATA_YEAR));
    CHECK_INT(error_of(&b), SIM_ERR_UNEXPECTED);
}

static void test_settings(void)
{
    now_t = (double)sim_local_to_utc(&dev->model.cfg.tz, sim_days_from_civil(2024, 7, 4) * 86400 + 12 * 3600);
    /* SET_POWER mirrors the value; charging from the grid at 1500 W. */
    begin();
    rscp_put_container_open(&req, RSCP_TAG_EMS_REQ_SET_POWER);
    rscp_put_uchar8(&req, RSCP_TAG_EMS_REQ_SET_POWER_MODE, 4);
    rscp_put_int32(&req, RSCP_TAG_EMS_REQ_SET_POWER_VALUE, 1500);
    rscp_put_container_close(&req);
    CHECK_INT(send_req(), 0);
    check_types(reply_buf, reply_len, 0);
    CHECK_INT(get_i32(SIM_RESP(RSCP_TAG_EMS_REQ_SET_POWER)), 1500);
    now_t += 5;
    begin();
    rscp_put_none(&req, RSCP_TAG_EMS_REQ_POWER_BAT);
    rscp_put_none(&req, RSCP_TAG_EMS_REQ_STATUS);
    CHECK_INT(send_req(), 0);
    int32_t bat = get_i32(SIM_RESP(RSCP_TAG_EMS_REQ_POWER_BAT));
    CHECK(bat == 1500 || (bat >= 0 && sim_model_soc(&dev->model) > 99.0));
    CHECK((uint32_t)get_i32(SIM_RESP(RSCP_TAG_EMS_REQ_STATUS)) & RSCP_EMS_STATUS_DISCHARGE_LOCKED);
    now_t += SIM_SET_POWER_HOLD_S - 5.0 - 0.5; /* still held just before the hold ends */
    begin();
    rscp_put_none(&req, RSCP_TAG_EMS_REQ_STATUS);
    CHECK_INT(send_req(), 0);
    CHECK((uint32_t)get_i32(SIM_RESP(RSCP_TAG_EMS_REQ_STATUS)) & RSCP_EMS_STATUS_DISCHARGE_LOCKED);
    now_t += 1.0; /* not resent: back to normal */
    begin();
    rscp_put_none(&req, RSCP_TAG_EMS_REQ_STATUS);
    CHECK_INT(send_req(), 0);
    CHECK(((uint32_t)get_i32(SIM_RESP(RSCP_TAG_EMS_REQ_STATUS)) & RSCP_EMS_STATUS_DISCHARGE_LOCKED) == 0);

    /* SET_POWER_SETTINGS: applied, below recommended, out of range. */
    begin();
    rscp_put_container_open(&req, RSCP_TAG_EMS_REQ_SET_POWER_SETTINGS);
    rscp_put_bool(&req, RSCP_TAG_EMS_POWER_LIMITS_USED, true);
    rscp_put_uint32(&req, RSCP_TAG_EMS_MAX_CHARGE_POWER, 2000);
    rscp_put_uint32(&req, RSCP_TAG_EMS_MAX_DISCHARGE_POWER, 100);
    rscp_put_uint32(&req, RSCP_TAG_EMS_DISCHARGE_START_POWER, 999999);
    rscp_put_container_close(&req);
    rscp_put_none(&req, RSCP_TAG_EMS_REQ_GET_POWER_SETTINGS);
    CHECK_INT(send_req(), 0);
    check_types(reply_buf, reply_len, 0);
    struct rscp_block res = top(SIM_RESP(RSCP_TAG_EMS_REQ_SET_POWER_SETTINGS)), b;
    int8_t code = 9;
    CHECK(child(&res, RSCP_TAG_EMS_RES_POWER_LIMITS_USED, 0, &b) && rscp_block_get_char8(&b, &code) == 0 && code == 0);
    CHECK(child(&res, RSCP_TAG_EMS_RES_MAX_CHARGE_POWER, 0, &b) && rscp_block_get_char8(&b, &code) == 0 && code == 0);
    CHECK(child(&res, RSCP_TAG_EMS_RES_MAX_DISCHARGE_POWER, 0, &b) && rscp_block_get_char8(&b, &code) == 0 &&
          code == 1);
    CHECK(child(&res, RSCP_TAG_EMS_RES_DISCHARGE_START_POWER, 0, &b) && rscp_block_get_char8(&b, &code) == 0 &&
          code == -1);
    struct rscp_block get = top(SIM_RESP(RSCP_TAG_EMS_REQ_GET_POWER_SETTINGS));
    uint32_t v = 0;
    bool used = false;
    CHECK(child(&get, RSCP_TAG_EMS_POWER_LIMITS_USED, 0, &b) && rscp_block_get_bool(&b, &used) == 0 && used);
    CHECK(child(&get, RSCP_TAG_EMS_MAX_CHARGE_POWER, 0, &b) && rscp_block_get_uint32(&b, &v) == 0 && v == 2000);
    CHECK(child(&get, RSCP_TAG_EMS_MAX_DISCHARGE_POWER, 0, &b) && rscp_block_get_uint32(&b, &v) == 0 && v == 100);
    CHECK(child(&get, RSCP_TAG_EMS_DISCHARGE_START_POWER, 0, &b) && rscp_block_get_uint32(&b, &v) == 0 && v == 65);
    /* The limit is in force. */
    begin();
    rscp_put_none(&req, RSCP_TAG_EMS_REQ_USED_CHARGE_LIMIT);
    CHECK_INT(send_req(), 0);
    CHECK_INT(get_i32(SIM_RESP(RSCP_TAG_EMS_REQ_USED_CHARGE_LIMIT)), 2000);

    /* System specs: the reply id is EMS.GET_SYS_SPECS (0x01800098). */
    begin();
    rscp_put_none(&req, RSCP_TAG_EMS_REQ_GET_SYS_SPECS);
    CHECK_INT(send_req(), 0);
    struct rscp_block specs = top(0x01800098u), spec;
    CHECK(child(&specs, RSCP_TAG_EMS_SYS_SPEC, 0, &spec));
    CHECK(child(&spec, RSCP_TAG_EMS_SYS_SPEC_NAME, 0, &b) && child(&spec, RSCP_TAG_EMS_SYS_SPEC_VALUE_INT, 0, &b));
}

/* One frame: a manual charge start of wh and the state after it, read by
 * the library; the state before is that of a fresh device. */
static struct rscp_manual_charge start_and_read(uint32_t wh, bool *started)
{
    struct rscp_manual_charge before, after;
    begin();
    CHECK_INT(rscp_manual_charge_request(&req), 0);
    CHECK_INT(send_req(), 0);
    struct rscp_frame f = {0, 0, false, reply_buf, (uint16_t)reply_len};
    CHECK_INT(rscp_manual_charge_parse(&f, &before, NULL), 0);
    begin();
    CHECK_INT(rscp_manual_charge_start_request(&req, wh), 0);
    CHECK_INT(rscp_manual_charge_request(&req), 0);
    CHECK_INT(send_req(), 0);
    f.data_len = (uint16_t)reply_len;
    bool accepted = false;
    CHECK_INT(rscp_manual_charge_start_parse(&f, &accepted, NULL), 0);
    CHECK(accepted);
    CHECK_INT(rscp_manual_charge_parse(&f, &after, NULL), 0);
    CHECK_INT(rscp_manual_charge_started(&before, &after, started), 0);
    return after;
}

/* A manual charge start on a full battery is taken (counted, the day's
 * start used) and over at once, in the same frame; the library calls it
 * started. On a battery with room it is active. */
static void test_manual_charge_full(void)
{
    struct sim_config c;
    sim_config_default(&c);
    now_t = (double)sim_local_to_utc(&c.tz, sim_days_from_civil(2024, 6, 21) * 86400 + 13 * 3600);
    sim_device_init(dev, &c, now_t, 0);
    dev->model.bat_wh = c.bat_capacity_wh;
    bool started = false;
    struct rscp_manual_charge m = start_and_read(2000, &started);
    CHECK(started);
    CHECK(!m.active && m.start_counter == 1 && m.energy_wh == 0.0);
    now_t += 1.0;
    m = start_and_read(2000, &started); /* within the rate limit: ignored */
    CHECK(!started && m.start_counter == 1);

    sim_device_init(dev, &c, now_t, 0);
    dev->model.bat_wh = 0.5 * c.bat_capacity_wh;
    m = start_and_read(2000, &started);
    CHECK(started && m.active && m.start_counter == 1);
}

/* The device error codes of sim_tags.h are those of the dictionary
 * (data/errors.tsv), by name. */
static void test_error_codes(void)
{
    static const struct {
        uint32_t code;
        const char *name;
    } codes[] = {
        {SIM_ERR_NOT_HANDLED, "NOT_HANDLED"},     {SIM_ERR_ACCESS_DENIED, "ACCESS_DENIED"},
        {SIM_ERR_FORMAT, "FORMAT"},               {SIM_ERR_AGAIN, "AGAIN"},
        {SIM_ERR_OUT_OF_BOUNDS, "OUT_OF_BOUNDS"}, {SIM_ERR_NOT_AVAILABLE, "NOT_AVAILABLE"},
        {SIM_ERR_UNKNOWN_TAG, "UNKNOWN_TAG"},     {SIM_ERR_ALREADY_IN_USE, "ALREADY_IN_USE"},
        {SIM_ERR_UNEXPECTED, "UNEXPECTED"},
    };
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        const char *name = rscp_device_error_name(codes[i].code);
        if (!name || strcmp(name, codes[i].name) != 0)
            fprintf(stderr, "SIM_ERR_%s is %u, which the dictionary names %s\n", codes[i].name,
                    (unsigned)codes[i].code, name ? name : "(nothing)");
        CHECK(name && strcmp(name, codes[i].name) == 0);
    }
}

/* WB.REQ_DATA of wallbox `wb` with the three writes; reply in reply_buf. */
static void wb_writes(unsigned wb)
{
    static const uint8_t mixed_10a[6] = {2, 10, 0, 1, 1, 0};
    begin();
    rscp_put_container_open(&req, RSCP_TAG_WB_REQ_DATA);
    rscp_put_uchar8(&req, RSCP_TAG_WB_INDEX, (uint8_t)wb);
    rscp_put_container_open(&req, RSCP_TAG_WB_REQ_SET_EXTERN);
    rscp_put_uchar8(&req, RSCP_TAG_WB_EXTERN_DATA_LEN, 6);
    rscp_put_bytes(&req, RSCP_TAG_WB_EXTERN_DATA, mixed_10a, sizeof mixed_10a);
    rscp_put_container_close(&req);
    rscp_put_uchar8(&req, RSCP_TAG_WB_REQ_SET_MIN_CHARGE_CURRENT, 8);
    rscp_put_bool(&req, RSCP_TAG_WB_REQ_SET_AUTO_PHASE_SWITCH_ENABLED, true);
    rscp_put_uchar8(&req, RSCP_TAG_WB_REQ_EXTERN_DATA_ALG, 0);
    rscp_put_container_close(&req);
    CHECK_INT(send_req(), 0);
}

/* Writes to a wallbox the device lacks (index 1 of one; index 0 of a plant
 * without one): NOT_AVAILABLE, each counted as received, none applied;
 * reads are no writes. Then the same to the one there is: applied. */
static void test_wb_absent(const struct sim_config *c)
{
    struct sim_config none = *c;
    none.wallbox = false;
    for (unsigned k = 0; k < 2; k++) {
        sim_device_init(dev, k == 0 ? c : &none, now_t, 0);
        unsigned absent = k == 0 ? 1u : 0u;
        struct sim_wallbox before = wb_get(dev, 0);
        uint64_t w0 = dev->writes;
        wb_writes(absent);
        struct rscp_block blk = top(RSCP_TAG_WB_DATA);
        CHECK(blk.type == RSCP_TYPE_ERROR && error_of(&blk) == SIM_ERR_NOT_AVAILABLE);
        CHECK_INT(dev->writes - w0, 3);
        struct sim_wallbox after = wb_get(dev, 0);
        CHECK(memcmp(&before, &after, sizeof before) == 0);
        begin();
        rscp_put_container_open(&req, RSCP_TAG_WB_REQ_DATA);
        rscp_put_uchar8(&req, RSCP_TAG_WB_INDEX, (uint8_t)absent);
        rscp_put_uchar8(&req, RSCP_TAG_WB_REQ_EXTERN_DATA_ALG, 0);
        rscp_put_container_close(&req);
        CHECK_INT(send_req(), 0);
        CHECK_INT(dev->writes - w0, 3);
    }
    sim_device_init(dev, c, now_t, 0);
    wb_writes(0);
    CHECK_INT(dev->writes, 3);
    struct sim_wallbox w = wb_get(dev, 0);
    CHECK(!w.sun_mode && w.current_a == 10 && w.min_current_a == 8 && w.auto_phase);
}

int main(void)
{
    struct sim_config c;
    sim_config_default(&c);
    c.seed = 99;
    dev = malloc(sizeof *dev);
    now_t = (double)sim_local_to_utc(&c.tz, sim_days_from_civil(2024, 6, 21) * 86400 + 6 * 3600);
    sim_device_init(dev, &c, now_t, 0);

    test_error_codes();
    test_ems();
    test_errors();
    test_bat();
    test_pvi();
    test_pm(0);
    test_root_meter_energy(&c);
    sim_device_init(dev, &c, now_t, 6);
    test_pm(6);
    test_history();
    test_settings();
    test_manual_charge_full();
    test_wb_absent(&c);
    CHECK_INT(type_mismatches, 0);
    CHECK(blocks_seen > 1000);
    free(dev);
    return th_finish();
}
