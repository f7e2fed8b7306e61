/* Power meters (rscp/pm.h): the request, and parses of hand-made replies
 * with device errors, other integer widths, meters at gapped indexes. */
#include "plant_testlib.h"
#include "rscp/pm.h"

static void test_request(void)
{
    static struct pt_frame p;
    pt_blocks_begin(&p);
    CHECK_INT(rscp_pm_request(&p.b, 6), 0);
    size_t n = pt_blocks_end(&p);
    struct rscp_block c, idx;
    CHECK_INT(rscp_find(p.buf, n, RSCP_TAG_PM_REQ_DATA, &c), 0);
    CHECK_INT(rscp_block_find(&c, RSCP_TAG_PM_INDEX, &idx), 0);
    uint16_t v;
    CHECK_INT(rscp_block_get_uint16(&idx, &v), 0);
    CHECK_INT(v, 6);
    const uint32_t want[] = {RSCP_TAG_PM_REQ_TYPE,       RSCP_TAG_PM_REQ_POWER_L1,  RSCP_TAG_PM_REQ_POWER_L3,
                             RSCP_TAG_PM_REQ_VOLTAGE_L2, RSCP_TAG_PM_REQ_ENERGY_L1, RSCP_TAG_PM_REQ_ENERGY_L3,
                             RSCP_TAG_PM_REQ_ACTIVE_PHASES};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        CHECK_INT(pt_count_tag(p.buf, n, want[i]), 1);
    CHECK_INT(rscp_pm_request(&p.b, RSCP_PM_MAX_METERS), RSCP_ERR_RANGE);
    CHECK_INT(rscp_pm_request(NULL, 0), RSCP_ERR_ARG);
}

static void test_parse(void)
{
    static struct pt_frame p;
    pt_begin(&p);
    /* meter 6: the root, all phases */
    pt_unit(&p, RSCP_TAG_PM_DATA, RSCP_TAG_PM_INDEX, 6);
    rscp_put_uint16(&p.b, RSCP_TAG_PM_TYPE, RSCP_PM_TYPE_ROOT);
    rscp_put_double64(&p.b, RSCP_TAG_PM_POWER_L1, 100.0);
    rscp_put_double64(&p.b, RSCP_TAG_PM_POWER_L2, -250.5);
    rscp_put_int32(&p.b, RSCP_TAG_PM_POWER_L3, 40); /* DOUBLE64 in the list */
    rscp_put_float32(&p.b, RSCP_TAG_PM_VOLTAGE_L1, 231.0f);
    rscp_put_float32(&p.b, RSCP_TAG_PM_VOLTAGE_L2, 229.0f);
    rscp_put_float32(&p.b, RSCP_TAG_PM_VOLTAGE_L3, 230.0f);
    rscp_put_double64(&p.b, RSCP_TAG_PM_ENERGY_L1, 1.5e6);
    rscp_put_double64(&p.b, RSCP_TAG_PM_ENERGY_L2, 1.25e6);
    rscp_put_error(&p.b, RSCP_TAG_PM_ENERGY_L3, PT_ERR_NOT_AVAILABLE);
    rscp_put_uchar8(&p.b, RSCP_TAG_PM_ACTIVE_PHASES, 7);
    rscp_put_uint32(&p.b, RSCP_TAG_PM_DEVICE_ID, 0x2001);
    rscp_put_container_close(&p.b);
    /* meter 1: additional production, index as UINT32, one phase missing */
    rscp_put_container_open(&p.b, RSCP_TAG_PM_DATA);
    rscp_put_uint32(&p.b, RSCP_TAG_PM_INDEX, 1);
    rscp_put_uchar8(&p.b, RSCP_TAG_PM_TYPE, RSCP_PM_TYPE_ADDITIONAL_PRODUCTION);
    rscp_put_double64(&p.b, RSCP_TAG_PM_POWER_L1, -300.0);
    rscp_put_double64(&p.b, RSCP_TAG_PM_POWER_L2, -300.0);
    rscp_put_container_close(&p.b);
    rscp_put_error(&p.b, RSCP_TAG_PM_DATA, PT_ERR_OUT_OF_BOUNDS);
    const struct rscp_frame *f = pt_end(&p);

    struct rscp_pm pm;
    CHECK_INT(rscp_pm_parse(f, 6, &pm), 0);
    CHECK_INT(pm.index, 6);
    CHECK_INT(pm.type, RSCP_PM_TYPE_ROOT);
    CHECK(pm.power[0] == 100.0 && pm.power[1] == -250.5 && pm.power[2] == 40.0);
    CHECK(pm.present & RSCP_PM_POWER);
    CHECK(pm.power_total == 100.0 - 250.5 + 40.0);
    CHECK(pm.voltage[0] == 231.0 && pm.voltage[2] == 230.0);
    CHECK(pm.energy[0] == 1.5e6 && pm.energy[1] == 1.25e6);
    CHECK(!(pm.present & RSCP_PM_ENERGY_L3));
    CHECK_INT(pm.device_errors, 1);
    CHECK_INT(pm.active_phases, 7);
    CHECK_INT(pm.device_id, 0x2001);
    CHECK_INT(pm.present, RSCP_PM_ALL & ~(RSCP_PM_ENERGY_L3 | RSCP_PM_MODE | RSCP_PM_ERROR_CODE));

    CHECK_INT(rscp_pm_parse(f, 1, &pm), 0);
    CHECK_INT(pm.type, RSCP_PM_TYPE_ADDITIONAL_PRODUCTION);
    CHECK_INT(pm.present, RSCP_PM_TYPE | RSCP_PM_POWER_L1 | RSCP_PM_POWER_L2);
    CHECK_INT(pm.device_errors, 0);
    CHECK_INT(rscp_pm_parse(f, 0, &pm), RSCP_ERR_NOT_FOUND);
    CHECK_INT(rscp_pm_parse(f, 0, NULL), RSCP_ERR_ARG);

    CHECK(strcmp(rscp_pm_type_name(RSCP_PM_TYPE_ROOT), "root") == 0);
    CHECK(strcmp(rscp_pm_type_name(RSCP_PM_TYPE_FARM_ADDITIONAL), "farm additional") == 0);
    CHECK(strcmp(rscp_pm_type_name(9), "unknown") == 0);
    CHECK(strcmp(rscp_pm_type_name(UINT64_MAX), "unknown") == 0);
}

int main(void)
{
    test_request();
    test_parse();
    return th_finish();
}
