/* Wallboxes, the read side (rscp/wallbox.h): the request groups, and
 * parses of hand-made replies: EXTERN_DATA_ALG status bits, short byte
 * arrays, device errors, integer widths, device state. */
#include "plant_testlib.h"
#include "rscp/wallbox.h"

static void test_request(void)
{
    static struct pt_frame p;
    pt_blocks_begin(&p);
    CHECK_INT(rscp_wallbox_request(&p.b, 3, RSCP_WB_REQ_ALL), 0);
    size_t n = pt_blocks_end(&p);
    struct rscp_block c, idx;
    CHECK_INT(rscp_find(p.buf, n, RSCP_TAG_WB_REQ_DATA, &c), 0);
    CHECK_INT(rscp_block_find(&c, RSCP_TAG_WB_INDEX, &idx), 0);
    CHECK_INT(idx.type, RSCP_TYPE_UCHAR8); /* WB.INDEX is UCHAR8 */
    uint8_t v;
    CHECK_INT(rscp_block_get_uchar8(&idx, &v), 0);
    CHECK_INT(v, 3);
    CHECK_INT(pt_count_tag(p.buf, n, RSCP_TAG_WB_REQ_EXTERN_DATA_ALG), 1);
    CHECK_INT(pt_count_tag(p.buf, n, RSCP_TAG_WB_REQ_PM_POWER_L2), 1);
    CHECK_INT(pt_count_tag(p.buf, n, RSCP_TAG_WB_REQ_ENERGY_SOLAR), 1);
    CHECK_INT(pt_count_tag(p.buf, n, RSCP_TAG_WB_REQ_KEY_STATE), 1);
    CHECK_INT(pt_count_tag(p.buf, n, RSCP_TAG_WB_REQ_AUTO_PHASE_SWITCH_ENABLED), 1);

    pt_blocks_begin(&p);
    CHECK_INT(rscp_wallbox_request(&p.b, 0, RSCP_WB_REQ_STATE), 0);
    n = pt_blocks_end(&p);
    CHECK_INT(pt_count_tag(p.buf, n, RSCP_TAG_WB_REQ_EXTERN_DATA_ALG), 1);
    CHECK_INT(pt_count_tag(p.buf, n, RSCP_TAG_WB_REQ_NUMBER_PHASES), 1);
    CHECK_INT(pt_count_tag(p.buf, n, RSCP_TAG_WB_REQ_PM_POWER_L1), 0);
    CHECK_INT(pt_count_tag(p.buf, n, RSCP_TAG_WB_REQ_ENERGY_ALL), 0);

    CHECK_INT(rscp_wallbox_request(&p.b, RSCP_WB_MAX_WALLBOXES, RSCP_WB_REQ_ALL), RSCP_ERR_RANGE);
    CHECK_INT(rscp_wallbox_request(&p.b, 0, 0), RSCP_ERR_ARG);
    CHECK_INT(rscp_wallbox_request(&p.b, 0, 0x20), RSCP_ERR_ARG);

    pt_blocks_begin(&p);
    CHECK_INT(rscp_wallbox_request(&p.b, 0, RSCP_WB_REQ_PHASE_SWITCH), 0);
    n = pt_blocks_end(&p);
    CHECK_INT(pt_count_tag(p.buf, n, RSCP_TAG_WB_REQ_AUTO_PHASE_SWITCH_ENABLED), 1);
    CHECK_INT(pt_count_tag(p.buf, n, RSCP_TAG_WB_REQ_EXTERN_DATA_ALG), 0);
    CHECK_INT(rscp_wallbox_request(NULL, 0, RSCP_WB_REQ_ALL), RSCP_ERR_ARG);
}

static void put_extern(struct pt_frame *p, uint32_t tag, const uint8_t *bytes, size_t n)
{
    rscp_put_container_open(&p->b, tag);
    rscp_put_bytes(&p->b, RSCP_TAG_WB_EXTERN_DATA, bytes, n);
    rscp_put_uchar8(&p->b, RSCP_TAG_WB_EXTERN_DATA_LEN, (uint8_t)n);
    rscp_put_container_close(&p->b);
}

static void test_parse(void)
{
    static struct pt_frame p;
    pt_begin(&p);
    rscp_put_container_open(&p.b, RSCP_TAG_WB_DATA);
    rscp_put_uchar8(&p.b, RSCP_TAG_WB_INDEX, 0);
    /* byte 2: plugged | locked | charging | sun mode; byte 3: 16 A */
    const uint8_t alg[8] = {0, 3, 0x08 | 0x10 | 0x20 | 0x80, 16, 0, 0, 0, 0};
    put_extern(&p, RSCP_TAG_WB_EXTERN_DATA_ALG, alg, sizeof alg);
    const uint8_t sun[6] = {0xB8, 0x0B, 0, 0, 0, 0}; /* 3000 W */
    put_extern(&p, RSCP_TAG_WB_EXTERN_DATA_SUN, sun, sizeof sun);
    rscp_put_double64(&p.b, RSCP_TAG_WB_PM_POWER_L1, 3680.0);
    rscp_put_double64(&p.b, RSCP_TAG_WB_PM_POWER_L2, 3680.0);
    rscp_put_uint16(&p.b, RSCP_TAG_WB_PM_POWER_L3, 3600); /* DOUBLE64 in the list */
    rscp_put_double64(&p.b, RSCP_TAG_WB_PM_ENERGY_L1, 1000.0);
    rscp_put_error(&p.b, RSCP_TAG_WB_PM_ENERGY_L2, PT_ERR_NOT_AVAILABLE);
    rscp_put_uint32(&p.b, RSCP_TAG_WB_ENERGY_ALL, 123456);
    rscp_put_uint32(&p.b, RSCP_TAG_WB_ENERGY_SOLAR, 65432);
    rscp_put_uchar8(&p.b, RSCP_TAG_WB_PM_ACTIVE_PHASES, 0x7);
    rscp_put_uchar8(&p.b, RSCP_TAG_WB_NUMBER_PHASES, 3);
    rscp_put_uchar8(&p.b, RSCP_TAG_WB_MIN_CHARGE_CURRENT, 6); /* INT32 in the list */
    rscp_put_int32(&p.b, RSCP_TAG_WB_MAX_CHARGE_CURRENT, 32);
    rscp_put_uint16(&p.b, RSCP_TAG_WB_SOC, 80);
    rscp_put_uchar8(&p.b, RSCP_TAG_WB_AUTO_PHASE_SWITCH_ENABLED, 1); /* BOOL in the list */
    rscp_put_container_open(&p.b, RSCP_TAG_WB_DEVICE_STATE);
    rscp_put_bool(&p.b, RSCP_TAG_WB_DEVICE_CONNECTED, true);
    rscp_put_bool(&p.b, RSCP_TAG_WB_DEVICE_WORKING, true);
    rscp_put_error(&p.b, RSCP_TAG_WB_DEVICE_IN_SERVICE, PT_ERR_NOT_AVAILABLE);
    rscp_put_container_close(&p.b);
    rscp_put_container_close(&p.b);
    /* wallbox 1: suspended, mixed mode, a too-short ALG array, 1 phase */
    rscp_put_container_open(&p.b, RSCP_TAG_WB_DATA);
    rscp_put_uint16(&p.b, RSCP_TAG_WB_INDEX, 1); /* another index width */
    const uint8_t shortalg[3] = {0, 1, 0x40};
    put_extern(&p, RSCP_TAG_WB_EXTERN_DATA_ALG, shortalg, sizeof shortalg);
    rscp_put_uchar8(&p.b, RSCP_TAG_WB_PM_ACTIVE_PHASES, 0x1);
    rscp_put_uchar8(&p.b, RSCP_TAG_WB_NUMBER_PHASES, 1);
    rscp_put_error(&p.b, RSCP_TAG_WB_AUTO_PHASE_SWITCH_ENABLED, PT_ERR_NOT_AVAILABLE);
    rscp_put_container_close(&p.b);
    /* wallbox 2: suspended, mixed, 20 bytes of ALG (more than kept) */
    rscp_put_container_open(&p.b, RSCP_TAG_WB_DATA);
    rscp_put_uchar8(&p.b, RSCP_TAG_WB_INDEX, 2);
    uint8_t longalg[20];
    memset(longalg, 0xAA, sizeof longalg);
    longalg[2] = 0x40 | 0x08;
    longalg[3] = 10;
    put_extern(&p, RSCP_TAG_WB_EXTERN_DATA_ALG, longalg, sizeof longalg);
    rscp_put_container_close(&p.b);
    /* wallbox 3: a full ALG array, then a second, too short one: the
     * second replaces the first whole (found by fuzz_api_parse) */
    rscp_put_container_open(&p.b, RSCP_TAG_WB_DATA);
    rscp_put_uchar8(&p.b, RSCP_TAG_WB_INDEX, 3);
    put_extern(&p, RSCP_TAG_WB_EXTERN_DATA_ALG, alg, sizeof alg);
    put_extern(&p, RSCP_TAG_WB_EXTERN_DATA_ALG, shortalg, sizeof shortalg);
    rscp_put_container_close(&p.b);
    const struct rscp_frame *f = pt_end(&p);

    static struct rscp_wallbox wb;
    CHECK_INT(rscp_wallbox_parse(f, 0, &wb), 0);
    CHECK_INT(wb.index, 0);
    CHECK(wb.plugged && wb.locked && wb.charging && wb.sun_mode && !wb.suspended);
    CHECK_INT(wb.status, 0xB8);
    CHECK_INT(wb.max_current, 16);
    CHECK_INT(wb.alg_len, 8);
    CHECK_INT(wb.alg[1], 3);
    CHECK(wb.power_solar == 3000.0);
    CHECK(wb.power[0] == 3680.0 && wb.power[2] == 3600.0);
    CHECK(wb.power_total == 3680.0 + 3680.0 + 3600.0);
    CHECK(wb.energy[0] == 1000.0);
    CHECK(!(wb.present & RSCP_WB_ENERGY_L2));
    CHECK(wb.energy_all == 123456.0 && wb.energy_solar == 65432.0);
    CHECK_INT(wb.active_phases, 7);
    CHECK_INT(wb.phases_in_use, 3);
    CHECK_INT(wb.phases, 3);
    CHECK_INT(wb.min_current, 6);
    CHECK_INT(wb.max_charge_current, 32);
    CHECK_INT(wb.soc, 80);
    CHECK(wb.auto_phase_switch);
    CHECK(wb.connected && wb.working && !wb.in_service);
    CHECK_INT(wb.device_errors, 2);
    CHECK_INT(wb.present, RSCP_WB_ALL & ~(RSCP_WB_ENERGY_L2 | RSCP_WB_ENERGY_L3 | RSCP_WB_KEY_STATE |
                                         RSCP_WB_IN_SERVICE));

    CHECK_INT(rscp_wallbox_parse(f, 1, &wb), 0);
    CHECK_INT(wb.alg_len, 3);
    CHECK(!(wb.present & (RSCP_WB_STATUS | RSCP_WB_MAX_CURRENT)));
    CHECK(!wb.suspended); /* not decoded from a short array */
    CHECK_INT(wb.phases_in_use, 1);
    CHECK_INT(wb.phases, 1);
    CHECK(!(wb.present & RSCP_WB_AUTO_PHASE)); /* an ERROR block: absent, counted */
    CHECK_INT(wb.device_errors, 1);
    CHECK(!(wb.present & RSCP_WB_POWER));

    CHECK_INT(rscp_wallbox_parse(f, 2, &wb), 0);
    CHECK_INT(wb.alg_len, 20);
    CHECK(wb.suspended && wb.plugged && !wb.sun_mode && !wb.charging);
    CHECK_INT(wb.max_current, 10);
    CHECK_INT(wb.alg[RSCP_WB_EXTERN_MAX - 1], 0xAA);

    CHECK_INT(rscp_wallbox_parse(f, 3, &wb), 0);
    CHECK_INT(wb.alg_len, 3);
    CHECK(!(wb.present & (RSCP_WB_STATUS | RSCP_WB_MAX_CURRENT)));
    CHECK(!wb.sun_mode && !wb.plugged && !wb.charging && !wb.locked && !wb.suspended);
    CHECK_INT(wb.status, 0);
    CHECK_INT(wb.max_current, 0);

    CHECK_INT(rscp_wallbox_parse(f, 4, &wb), RSCP_ERR_NOT_FOUND);
    CHECK_INT(rscp_wallbox_parse(NULL, 0, &wb), RSCP_ERR_ARG);
}

int main(void)
{
    test_request();
    test_parse();
    return th_finish();
}
