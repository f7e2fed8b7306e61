/* Battery strings and DCB modules (rscp/battery.h): requests checked
 * block by block, parses against hand-made reply frames with device
 * errors, missing values, other integer widths, several strings in one
 * frame and truncation at the maxima. */
#include "plant_testlib.h"
#include "rscp/battery.h"

#include <math.h>

static void test_battery_request(void)
{
    static struct pt_frame p;
    pt_blocks_begin(&p);
    CHECK_INT(rscp_battery_request(&p.b, 2), 0);
    size_t n = pt_blocks_end(&p);
    struct rscp_block c, idx;
    CHECK_INT(rscp_find(p.buf, n, RSCP_TAG_BAT_REQ_DATA, &c), 0);
    CHECK_INT(rscp_block_find(&c, RSCP_TAG_BAT_INDEX, &idx), 0);
    CHECK_INT(idx.type, RSCP_TYPE_UINT16);
    uint16_t v = 99;
    CHECK_INT(rscp_block_get_uint16(&idx, &v), 0);
    CHECK_INT(v, 2);
    /* every sub-request is a NONE block of the BAT namespace */
    struct rscp_iter it;
    struct rscp_block blk;
    int subs = 0;
    rscp_block_children(&c, &it);
    while (rscp_iter_next(&it, &blk) == 1) {
        if (blk.tag == RSCP_TAG_BAT_INDEX)
            continue;
        CHECK_INT(blk.type, RSCP_TYPE_NONE);
        CHECK_INT(blk.tag >> 24, 0x03);
        CHECK_INT(blk.tag & RSCP_TAG_RESPONSE_BIT, 0);
        subs++;
    }
    CHECK_INT(subs, 24);
    CHECK_INT(pt_count_tag(p.buf, n, RSCP_TAG_BAT_REQ_RSOC_REAL), 1);
    CHECK_INT(pt_count_tag(p.buf, n, RSCP_TAG_BAT_REQ_ASOC), 1);
    CHECK_INT(pt_count_tag(p.buf, n, RSCP_TAG_BAT_REQ_FCC), 1);

    pt_blocks_begin(&p);
    CHECK_INT(rscp_battery_request(&p.b, RSCP_BAT_MAX_STRINGS), RSCP_ERR_RANGE);
    CHECK_INT(rscp_battery_request(NULL, 0), RSCP_ERR_ARG);
    uint8_t small[20];
    struct rscp_builder b;
    rscp_builder_init(&b, small, sizeof small);
    CHECK_INT(rscp_battery_request(&b, 0), RSCP_ERR_NOSPACE);
}

/* A full string answer, with the integer widths varied. */
static void put_string_values(struct pt_frame *p, float soc)
{
    struct rscp_builder *b = &p->b;
    rscp_put_float32(b, RSCP_TAG_BAT_RSOC, soc);
    rscp_put_float32(b, RSCP_TAG_BAT_RSOC_REAL, soc + 1.5f);
    rscp_put_float32(b, RSCP_TAG_BAT_MODULE_VOLTAGE, 50.0f);
    rscp_put_float32(b, RSCP_TAG_BAT_CURRENT, -20.0f);
    rscp_put_uint16(b, RSCP_TAG_BAT_CHARGE_CYCLES, 412);      /* UINT32 in the tag list */
    rscp_put_uchar8(b, RSCP_TAG_BAT_STATUS_CODE, 3);          /* UINT32 in the tag list */
    rscp_put_error(b, RSCP_TAG_BAT_ERROR_CODE, PT_ERR_NOT_AVAILABLE);
    rscp_put_float32(b, RSCP_TAG_BAT_MIN_DCB_CELL_TEMPERATURE, 21.5f);
    rscp_put_double64(b, RSCP_TAG_BAT_MAX_DCB_CELL_TEMPERATURE, 27.25);
    rscp_put_float32(b, RSCP_TAG_BAT_FCC, 180.0f);
    rscp_put_float32(b, RSCP_TAG_BAT_RC, 90.0f);
    rscp_put_float32(b, RSCP_TAG_BAT_DESIGN_CAPACITY, 200.0f);
    rscp_put_float32(b, RSCP_TAG_BAT_USABLE_CAPACITY, 170.0f);
    rscp_put_float32(b, RSCP_TAG_BAT_USABLE_REMAINING_CAPACITY, 85.0f);
    rscp_put_float32(b, RSCP_TAG_BAT_ASOC, 96.0f);
    rscp_put_uint32(b, RSCP_TAG_BAT_DCB_COUNT, 3);            /* UCHAR8 in the tag list */
    rscp_put_float32(b, RSCP_TAG_BAT_MIN_DCB_CELL_VOLTAGE, 3.51f);
    rscp_put_float32(b, RSCP_TAG_BAT_MAX_DCB_CELL_VOLTAGE, 3.55f);
    rscp_put_cstr(b, RSCP_TAG_BAT_DEVICE_NAME, "BAT_HV_S10_WITH_A_VERY_LONG_NAME_INDEED");
    rscp_put_cstr(b, RSCP_TAG_BAT_TRAINING_MODE, "not a number"); /* wrong type: skipped */
    rscp_put_int32(b, 0x038FFFF0u, 5);                        /* unknown tag: ignored */
}

static void test_battery_parse(void)
{
    static struct pt_frame p;
    pt_begin(&p);
    rscp_put_int32(&p.b, RSCP_TAG_EMS_POWER_PV, 4000); /* another request's answer */
    pt_unit(&p, RSCP_TAG_BAT_DATA, RSCP_TAG_BAT_INDEX, 0);
    put_string_values(&p, 55.0f);
    rscp_put_container_close(&p.b);
    rscp_put_error(&p.b, RSCP_TAG_BAT_DATA, PT_ERR_NOT_AVAILABLE); /* string 1: absent */
    /* string 2 with its index as UCHAR8 and a different SOC */
    rscp_put_container_open(&p.b, RSCP_TAG_BAT_DATA);
    rscp_put_uchar8(&p.b, RSCP_TAG_BAT_INDEX, 2);
    rscp_put_float32(&p.b, RSCP_TAG_BAT_RSOC, 12.0f);
    rscp_put_container_close(&p.b);
    const struct rscp_frame *f = pt_end(&p);

    struct rscp_battery bat;
    CHECK_INT(rscp_battery_parse(f, 0, &bat), 0);
    CHECK_INT(bat.index, 0);
    uint32_t want = RSCP_BAT_ALL & ~(RSCP_BAT_ERROR_CODE | RSCP_BAT_TRAINING_MODE | RSCP_BAT_TERMINAL_VOLTAGE |
                                     RSCP_BAT_MAX_CHARGE_CURRENT | RSCP_BAT_MAX_DISCHARGE_CURRENT |
                                     RSCP_BAT_EOD_VOLTAGE);
    CHECK_INT(bat.present, want);
    CHECK_INT(bat.device_errors, 1);
    CHECK(bat.rsoc == 55.0);
    CHECK(bat.rsoc_real == 56.5);
    CHECK(bat.voltage == 50.0);
    CHECK(bat.current == -20.0);
    CHECK(bat.power == -1000.0);
    CHECK_INT(bat.cycles, 412);
    CHECK_INT(bat.status_code, 3);
    CHECK_INT(bat.error_code, 0);
    CHECK(bat.temp_min == 21.5);
    CHECK(bat.temp_max == 27.25);
    CHECK(bat.fcc == 180.0 && bat.rc == 90.0 && bat.design_capacity == 200.0);
    CHECK(bat.usable_capacity == 170.0 && bat.usable_remaining == 85.0);
    CHECK(bat.soh == 96.0);
    CHECK_INT(bat.dcb_count, 3);
    CHECK(fabs(bat.cell_v_min - 3.51) < 1e-6 && fabs(bat.cell_v_max - 3.55) < 1e-6);
    CHECK_INT(strlen(bat.device_name), RSCP_BAT_NAME_MAX - 1);
    CHECK(strncmp(bat.device_name, "BAT_HV_S10_WITH", 15) == 0);

    /* string 1 answered with an ERROR block: absent */
    CHECK_INT(rscp_battery_parse(f, 1, &bat), RSCP_ERR_NOT_FOUND);
    CHECK_INT(bat.present, 0);
    /* string 2: its own values only; no power without voltage */
    CHECK_INT(rscp_battery_parse(f, 2, &bat), 0);
    CHECK_INT(bat.present, RSCP_BAT_RSOC);
    CHECK(bat.rsoc == 12.0);
    /* string 3: no answer at all */
    CHECK_INT(rscp_battery_parse(f, 3, &bat), RSCP_ERR_NOT_FOUND);
    CHECK_INT(rscp_battery_parse(NULL, 0, &bat), RSCP_ERR_ARG);
    CHECK_INT(rscp_battery_parse(f, 0, NULL), RSCP_ERR_ARG);

    /* A string split over two containers is merged. */
    pt_begin(&p);
    pt_unit(&p, RSCP_TAG_BAT_DATA, RSCP_TAG_BAT_INDEX, 1);
    rscp_put_float32(&p.b, RSCP_TAG_BAT_MODULE_VOLTAGE, 48.0f);
    rscp_put_container_close(&p.b);
    pt_unit(&p, RSCP_TAG_BAT_DATA, RSCP_TAG_BAT_INDEX, 1);
    rscp_put_float32(&p.b, RSCP_TAG_BAT_CURRENT, 10.0f);
    rscp_put_container_close(&p.b);
    f = pt_end(&p);
    CHECK_INT(rscp_battery_parse(f, 1, &bat), 0);
    CHECK_INT(bat.present, RSCP_BAT_VOLTAGE | RSCP_BAT_CURRENT | RSCP_BAT_POWER);
    CHECK(bat.power == 480.0);

    /* A broken block structure inside BAT.DATA is an error. */
    uint8_t bad[] = {0x00, 0x00, 0x84, 0x03, 0x0E, 0x09, 0x00, /* BAT.DATA, 9 bytes */
                     0x01, 0x00, 0x04, 0x03, 0x05, 0x09, 0x00, 0x00, 0x00};
    struct rscp_frame fb = {0, 0, false, bad, (uint16_t)sizeof bad};
    CHECK(rscp_battery_parse(&fb, 0, &bat) < 0);
}

static void test_dcb_request(void)
{
    static struct pt_frame p;
    pt_blocks_begin(&p);
    CHECK_INT(rscp_dcb_request(&p.b, 1, 3, RSCP_DCB_REQ_ALL), 0);
    size_t n = pt_blocks_end(&p);
    struct rscp_block c;
    CHECK_INT(rscp_find(p.buf, n, RSCP_TAG_BAT_REQ_DATA, &c), 0);
    CHECK_INT(pt_count_tag(p.buf, n, RSCP_TAG_BAT_REQ_DCB_INFO), 3);
    CHECK_INT(pt_count_tag(p.buf, n, RSCP_TAG_BAT_REQ_DCB_ALL_CELL_VOLTAGES), 3);
    CHECK_INT(pt_count_tag(p.buf, n, RSCP_TAG_BAT_REQ_DCB_ALL_CELL_TEMPERATURES), 3);
    /* the module number travels as the UINT16 value, in order from 0 */
    struct rscp_iter it;
    struct rscp_block blk;
    unsigned k = 0;
    rscp_block_children(&c, &it);
    while (rscp_iter_next(&it, &blk) == 1) {
        if (blk.tag != RSCP_TAG_BAT_REQ_DCB_INFO)
            continue;
        uint16_t v;
        CHECK_INT(rscp_block_get_uint16(&blk, &v), 0);
        CHECK_INT(v, k);
        k++;
    }
    CHECK_INT(k, 3);

    pt_blocks_begin(&p);
    CHECK_INT(rscp_dcb_request(&p.b, 0, 1, RSCP_DCB_REQ_INFO), 0);
    n = pt_blocks_end(&p);
    CHECK_INT(pt_count_tag(p.buf, n, RSCP_TAG_BAT_REQ_DCB_INFO), 1);
    CHECK_INT(pt_count_tag(p.buf, n, RSCP_TAG_BAT_REQ_DCB_ALL_CELL_VOLTAGES), 0);

    pt_blocks_begin(&p);
    CHECK_INT(rscp_dcb_request(&p.b, 0, 0, RSCP_DCB_REQ_ALL), RSCP_ERR_RANGE);
    CHECK_INT(rscp_dcb_request(&p.b, 0, RSCP_DCB_MAX + 1, RSCP_DCB_REQ_ALL), RSCP_ERR_RANGE);
    CHECK_INT(rscp_dcb_request(&p.b, RSCP_BAT_MAX_STRINGS, 1, RSCP_DCB_REQ_ALL), RSCP_ERR_RANGE);
    CHECK_INT(rscp_dcb_request(&p.b, 0, 1, 0x8), RSCP_ERR_ARG);
    /* the largest request fits a frame */
    static uint8_t big[4096];
    struct rscp_builder b;
    rscp_builder_init(&b, big, sizeof big);
    CHECK_INT(rscp_dcb_request(&b, 3, RSCP_DCB_MAX, RSCP_DCB_REQ_ALL), 0);
}

static void put_dcb_info(struct pt_frame *p, unsigned k, bool with_index)
{
    rscp_put_container_open(&p->b, RSCP_TAG_BAT_DCB_INFO);
    if (with_index)
        rscp_put_uint16(&p->b, RSCP_TAG_BAT_DCB_INDEX, (uint16_t)k);
    rscp_put_float32(&p->b, RSCP_TAG_BAT_DCB_SOC, 50.0f + (float)k);
    rscp_put_float32(&p->b, RSCP_TAG_BAT_DCB_SOH, 97.0f);
    rscp_put_float32(&p->b, RSCP_TAG_BAT_DCB_VOLTAGE, 52.0f);
    rscp_put_float32(&p->b, RSCP_TAG_BAT_DCB_CURRENT, -6.5f);
    rscp_put_uint16(&p->b, RSCP_TAG_BAT_DCB_CYCLE_COUNT, (uint16_t)(300 + k)); /* UINT32 in the list */
    rscp_put_uint32(&p->b, RSCP_TAG_BAT_DCB_NR_SERIES_CELL, 14);
    rscp_put_uchar8(&p->b, RSCP_TAG_BAT_DCB_NR_SENSOR, 4);
    rscp_put_error(&p->b, RSCP_TAG_BAT_DCB_WARNING, PT_ERR_NOT_AVAILABLE);
    rscp_put_container_close(&p->b);
}

static void test_dcb_parse(void)
{
    static struct pt_frame p;
    pt_begin(&p);
    pt_unit(&p, RSCP_TAG_BAT_DATA, RSCP_TAG_BAT_INDEX, 0);
    /* module 0 and 1 with DCB_INDEX; module 2 refused */
    put_dcb_info(&p, 0, true);
    put_dcb_info(&p, 1, true);
    rscp_put_error(&p.b, RSCP_TAG_BAT_DCB_INFO, PT_ERR_OUT_OF_BOUNDS);
    /* cell voltages without DCB_INDEX (by position): module 0 flat, with
     * 40 values (more than stored); module 1 nested one level down */
    rscp_put_container_open(&p.b, RSCP_TAG_BAT_DCB_ALL_CELL_VOLTAGES);
    for (unsigned i = 0; i < 40; i++)
        rscp_put_float32(&p.b, RSCP_TAG_BAT_DCB_CELL_VOLTAGE, 3.0f + 0.01f * (float)i);
    rscp_put_container_close(&p.b);
    rscp_put_container_open(&p.b, RSCP_TAG_BAT_DCB_ALL_CELL_VOLTAGES);
    rscp_put_container_open(&p.b, RSCP_TAG_BAT_DATA);
    rscp_put_float32(&p.b, RSCP_TAG_BAT_DCB_CELL_VOLTAGE, 3.3f);
    rscp_put_float32(&p.b, RSCP_TAG_BAT_DCB_CELL_VOLTAGE, 3.4f);
    rscp_put_container_close(&p.b);
    rscp_put_container_close(&p.b);
    /* cell temperatures for module 1 only, with its DCB_INDEX */
    rscp_put_container_open(&p.b, RSCP_TAG_BAT_DCB_ALL_CELL_TEMPERATURES);
    rscp_put_uint16(&p.b, RSCP_TAG_BAT_DCB_INDEX, 1);
    rscp_put_float32(&p.b, RSCP_TAG_BAT_DCB_CELL_TEMPERATURE, 20.0f);
    rscp_put_float32(&p.b, RSCP_TAG_BAT_DCB_CELL_TEMPERATURE, 26.0f);
    rscp_put_uchar8(&p.b, RSCP_TAG_BAT_DCB_CELL_TEMPERATURE, 23); /* an integer width */
    rscp_put_container_close(&p.b);
    rscp_put_container_close(&p.b);
    /* string 1: 20 sensors, more than stored */
    pt_unit(&p, RSCP_TAG_BAT_DATA, RSCP_TAG_BAT_INDEX, 1);
    rscp_put_container_open(&p.b, RSCP_TAG_BAT_DCB_ALL_CELL_TEMPERATURES);
    rscp_put_uint16(&p.b, RSCP_TAG_BAT_DCB_INDEX, 0);
    for (unsigned i = 0; i < 20; i++)
        rscp_put_float32(&p.b, RSCP_TAG_BAT_DCB_CELL_TEMPERATURE, (float)i);
    rscp_put_container_close(&p.b);
    rscp_put_container_close(&p.b);
    const struct rscp_frame *f = pt_end(&p);

    static struct rscp_dcb d;
    CHECK_INT(rscp_dcb_parse(f, 0, 0, &d), 0);
    CHECK_INT(d.bat_index, 0);
    CHECK_INT(d.index, 0);
    CHECK(d.soc == 50.0 && d.soh == 97.0 && d.voltage == 52.0 && d.current == -6.5);
    CHECK_INT(d.cycles, 300);
    CHECK_INT(d.series_cells, 14);
    CHECK_INT(d.sensors, 4);
    CHECK_INT(d.device_errors, 1); /* the WARNING error */
    CHECK(!(d.present & RSCP_DCB_WARNING));
    CHECK(d.present & RSCP_DCB_CELL_VOLTAGES);
    CHECK(!(d.present & (RSCP_DCB_CELL_TEMPERATURES | RSCP_DCB_TEMPERATURE)));
    CHECK_INT(d.n_cell_voltages, 40);
    CHECK(fabs(d.cell_voltage[0] - 3.0) < 1e-6);
    CHECK(fabs(d.cell_voltage[RSCP_DCB_MAX_CELLS - 1] - (3.0 + 0.01 * (RSCP_DCB_MAX_CELLS - 1))) < 1e-5);

    CHECK_INT(rscp_dcb_parse(f, 0, 1, &d), 0);
    CHECK(d.soc == 51.0);
    CHECK_INT(d.cycles, 301);
    CHECK_INT(d.n_cell_voltages, 2);
    CHECK(fabs(d.cell_voltage[1] - 3.4) < 1e-6);
    CHECK_INT(d.n_cell_temperatures, 3);
    CHECK(d.present & RSCP_DCB_TEMPERATURE);
    CHECK(d.temp_min == 20.0 && d.temp_max == 26.0 && d.temp_mean == 23.0);

    /* module 2: refused (OUT_OF_BOUNDS), counted, absent */
    CHECK_INT(rscp_dcb_parse(f, 0, 2, &d), RSCP_ERR_NOT_FOUND);
    CHECK_INT(d.device_errors, 1);
    CHECK_INT(d.present, 0);
    CHECK_INT(rscp_dcb_parse(f, 0, 3, &d), RSCP_ERR_NOT_FOUND);
    CHECK_INT(d.device_errors, 0);

    /* string 1, module 0: sensors truncated at the maximum, summary over the stored */
    CHECK_INT(rscp_dcb_parse(f, 1, 0, &d), 0);
    CHECK_INT(d.n_cell_temperatures, 20);
    CHECK(d.cell_temperature[RSCP_DCB_MAX_SENSORS - 1] == (double)(RSCP_DCB_MAX_SENSORS - 1));
    CHECK(d.temp_max == (double)(RSCP_DCB_MAX_SENSORS - 1));
    CHECK_INT(d.present, RSCP_DCB_CELL_TEMPERATURES | RSCP_DCB_TEMPERATURE);
    /* no string 2 */
    CHECK_INT(rscp_dcb_parse(f, 2, 0, &d), RSCP_ERR_NOT_FOUND);
    CHECK_INT(rscp_dcb_parse(f, 0, 0, NULL), RSCP_ERR_ARG);
}

int main(void)
{
    test_battery_request();
    test_battery_parse();
    test_dcb_request();
    test_dcb_parse();
    return th_finish();
}
