/* The PV inverter (rscp/pvi.h): the request's indexed sub-requests, and
 * parses of hand-made replies with device errors, missing values, other
 * integer widths, several inverters and truncation at the maxima. */
#include "plant_testlib.h"
#include "rscp/pvi.h"

#include <math.h>

/* The UCHAR8 values of every sub-request tag t in c, in order. */
static int values_of(const struct rscp_block *c, uint32_t t, unsigned *vals, int cap)
{
    struct rscp_iter it;
    struct rscp_block blk;
    int n = 0;
    rscp_block_children(c, &it);
    while (rscp_iter_next(&it, &blk) == 1) {
        uint8_t v;
        if (blk.tag != t)
            continue;
        CHECK_INT(rscp_block_get_uchar8(&blk, &v), 0);
        if (n < cap)
            vals[n] = v;
        n++;
    }
    return n;
}

static void test_request(void)
{
    static struct pt_frame p;
    pt_blocks_begin(&p);
    CHECK_INT(rscp_pvi_request(&p.b, 1, 2, 3), 0);
    size_t n = pt_blocks_end(&p);
    struct rscp_block c, idx;
    CHECK_INT(rscp_find(p.buf, n, RSCP_TAG_PVI_REQ_DATA, &c), 0);
    CHECK_INT(rscp_block_find(&c, RSCP_TAG_PVI_INDEX, &idx), 0);
    CHECK_INT(idx.type, RSCP_TYPE_UINT16);
    unsigned v[8];
    CHECK_INT(values_of(&c, RSCP_TAG_PVI_REQ_DC_POWER, v, 8), 2);
    CHECK(v[0] == 0 && v[1] == 1);
    CHECK_INT(values_of(&c, RSCP_TAG_PVI_REQ_DC_VOLTAGE, v, 8), 2);
    CHECK_INT(values_of(&c, RSCP_TAG_PVI_REQ_DC_CURRENT, v, 8), 2);
    CHECK_INT(values_of(&c, RSCP_TAG_PVI_REQ_AC_POWER, v, 8), 3);
    CHECK(v[0] == 0 && v[1] == 1 && v[2] == 2);
    CHECK_INT(values_of(&c, RSCP_TAG_PVI_REQ_AC_VOLTAGE, v, 8), 3);
    CHECK_INT(values_of(&c, RSCP_TAG_PVI_REQ_TEMPERATURE, v, 8), 3);
    CHECK(v[2] == 2);
    CHECK_INT(values_of(&c, RSCP_TAG_PVI_REQ_AC_FREQUENCY, v, 8), 1);
    CHECK_INT(pt_count_tag(p.buf, n, RSCP_TAG_PVI_REQ_ON_GRID), 1);
    CHECK_INT(pt_count_tag(p.buf, n, RSCP_TAG_PVI_REQ_USED_STRING_COUNT), 1);

    pt_blocks_begin(&p);
    CHECK_INT(rscp_pvi_request(&p.b, 0, 0, 0), 0); /* no trackers: phases still asked */
    n = pt_blocks_end(&p);
    CHECK_INT(pt_count_tag(p.buf, n, RSCP_TAG_PVI_REQ_DC_POWER), 0);
    CHECK_INT(pt_count_tag(p.buf, n, RSCP_TAG_PVI_REQ_AC_CURRENT), 3);
    pt_blocks_begin(&p);
    CHECK_INT(rscp_pvi_request(&p.b, RSCP_PVI_MAX_INVERTERS, 1, 0), RSCP_ERR_RANGE);
    CHECK_INT(rscp_pvi_request(&p.b, 0, RSCP_PVI_MAX_TRACKERS + 1, 0), RSCP_ERR_RANGE);
    CHECK_INT(rscp_pvi_request(&p.b, 0, 1, RSCP_PVI_MAX_TEMPERATURES + 1), RSCP_ERR_RANGE);
    CHECK_INT(rscp_pvi_request(NULL, 0, 1, 1), RSCP_ERR_ARG);
    uint8_t small[60];
    struct rscp_builder b;
    rscp_builder_init(&b, small, sizeof small);
    CHECK_INT(rscp_pvi_request(&b, 0, 2, 0), RSCP_ERR_NOSPACE);
    static uint8_t big[4096];
    rscp_builder_init(&b, big, sizeof big);
    CHECK_INT(rscp_pvi_request(&b, 3, RSCP_PVI_MAX_TRACKERS, RSCP_PVI_MAX_TEMPERATURES), 0);
}

static void test_parse(void)
{
    static struct pt_frame p;
    pt_begin(&p);
    rscp_put_error(&p.b, RSCP_TAG_PVI_DATA, PT_ERR_NOT_AVAILABLE); /* some other index */
    pt_unit(&p, RSCP_TAG_PVI_DATA, RSCP_TAG_PVI_INDEX, 0);
    rscp_put_bool(&p.b, RSCP_TAG_PVI_ON_GRID, true);
    rscp_put_cstr(&p.b, RSCP_TAG_PVI_STATE, "Running");
    rscp_put_uchar8(&p.b, RSCP_TAG_PVI_USED_STRING_COUNT, 2);
    rscp_put_uint32(&p.b, RSCP_TAG_PVI_DC_MAX_STRING_COUNT, 3); /* UCHAR8 in the list */
    rscp_put_error(&p.b, RSCP_TAG_PVI_TEMPERATURE_COUNT, PT_ERR_NOT_AVAILABLE);
    pt_indexed(&p, RSCP_TAG_PVI_DC_POWER, RSCP_TAG_PVI_INDEX, RSCP_TAG_PVI_VALUE, 0, 2100.0f);
    pt_indexed(&p, RSCP_TAG_PVI_DC_POWER, RSCP_TAG_PVI_INDEX, RSCP_TAG_PVI_VALUE, 1, 1900.0f);
    pt_indexed(&p, RSCP_TAG_PVI_DC_VOLTAGE, RSCP_TAG_PVI_INDEX, RSCP_TAG_PVI_VALUE, 0, 420.0f);
    pt_indexed(&p, RSCP_TAG_PVI_DC_CURRENT, RSCP_TAG_PVI_INDEX, RSCP_TAG_PVI_VALUE, 0, 5.0f);
    /* tracker 1's voltage refused inside its container */
    rscp_put_container_open(&p.b, RSCP_TAG_PVI_DC_VOLTAGE);
    rscp_put_uint16(&p.b, RSCP_TAG_PVI_INDEX, 1);
    rscp_put_error(&p.b, RSCP_TAG_PVI_VALUE, PT_ERR_OUT_OF_BOUNDS);
    rscp_put_container_close(&p.b);
    /* tracker 1's current as an integer, index as UCHAR8, value first */
    rscp_put_container_open(&p.b, RSCP_TAG_PVI_DC_CURRENT);
    rscp_put_int16(&p.b, RSCP_TAG_PVI_VALUE, 4);
    rscp_put_uchar8(&p.b, RSCP_TAG_PVI_INDEX, 1);
    rscp_put_container_close(&p.b);
    /* a tracker beyond the maximum: counted, not stored */
    pt_indexed(&p, RSCP_TAG_PVI_DC_POWER, RSCP_TAG_PVI_INDEX, RSCP_TAG_PVI_VALUE, RSCP_PVI_MAX_TRACKERS + 1, 7.0f);
    for (unsigned k = 0; k < 3; k++) {
        pt_indexed(&p, RSCP_TAG_PVI_AC_POWER, RSCP_TAG_PVI_INDEX, RSCP_TAG_PVI_VALUE, k, 1000.0f + (float)k);
        pt_indexed(&p, RSCP_TAG_PVI_AC_VOLTAGE, RSCP_TAG_PVI_INDEX, RSCP_TAG_PVI_VALUE, k, 230.0f);
    }
    pt_indexed(&p, RSCP_TAG_PVI_AC_CURRENT, RSCP_TAG_PVI_INDEX, RSCP_TAG_PVI_VALUE, 2, 4.5f);
    pt_indexed(&p, RSCP_TAG_PVI_AC_POWER, RSCP_TAG_PVI_INDEX, RSCP_TAG_PVI_VALUE, 3, 1.0f); /* no phase 4 */
    pt_indexed(&p, RSCP_TAG_PVI_AC_FREQUENCY, RSCP_TAG_PVI_INDEX, RSCP_TAG_PVI_VALUE, 0, 50.0f);
    pt_indexed(&p, RSCP_TAG_PVI_TEMPERATURE, RSCP_TAG_PVI_INDEX, RSCP_TAG_PVI_VALUE, 0, 35.5f);
    pt_indexed(&p, RSCP_TAG_PVI_TEMPERATURE, RSCP_TAG_PVI_INDEX, RSCP_TAG_PVI_VALUE, 2, 40.0f);
    pt_indexed(&p, RSCP_TAG_PVI_TEMPERATURE, RSCP_TAG_PVI_INDEX, RSCP_TAG_PVI_VALUE, 20, 1.0f);
    /* an indexed container without its value: ignored */
    rscp_put_container_open(&p.b, RSCP_TAG_PVI_DC_POWER);
    rscp_put_uint16(&p.b, RSCP_TAG_PVI_INDEX, 2);
    rscp_put_container_close(&p.b);
    rscp_put_error(&p.b, RSCP_TAG_PVI_AC_ENERGY_ALL, PT_ERR_NOT_AVAILABLE);
    rscp_put_container_close(&p.b);
    /* inverter 1 */
    pt_unit(&p, RSCP_TAG_PVI_DATA, RSCP_TAG_PVI_INDEX, 1);
    rscp_put_bool(&p.b, RSCP_TAG_PVI_ON_GRID, false);
    rscp_put_container_close(&p.b);
    const struct rscp_frame *f = pt_end(&p);

    static struct rscp_pvi pv;
    CHECK_INT(rscp_pvi_parse(f, 0, &pv), 0);
    CHECK_INT(pv.index, 0);
    CHECK(pv.on_grid);
    CHECK(strcmp(pv.state, "Running") == 0);
    CHECK_INT(pv.present, RSCP_PVI_ON_GRID | RSCP_PVI_STATE | RSCP_PVI_USED_TRACKERS | RSCP_PVI_MAX_TRACKER_COUNT |
                              RSCP_PVI_FREQUENCY);
    CHECK_INT(pv.used_trackers, 2);
    CHECK_INT(pv.max_trackers, 3);
    CHECK_INT(pv.device_errors, 3); /* TEMPERATURE_COUNT, tracker 1 voltage, AC_ENERGY_ALL */
    CHECK(pv.tracker[0].power == 2100.0 && pv.tracker[0].voltage == 420.0 && pv.tracker[0].current == 5.0);
    CHECK_INT(pv.tracker[0].present, RSCP_PVI_POWER | RSCP_PVI_VOLTAGE | RSCP_PVI_CURRENT);
    CHECK(pv.tracker[1].power == 1900.0 && pv.tracker[1].current == 4.0);
    CHECK_INT(pv.tracker[1].present, RSCP_PVI_POWER | RSCP_PVI_CURRENT);
    CHECK_INT(pv.tracker[2].present, 0);
    CHECK_INT(pv.n_trackers, RSCP_PVI_MAX_TRACKERS + 2);
    for (unsigned k = 0; k < 3; k++) {
        CHECK(pv.phase[k].power == 1000.0 + k);
        CHECK(pv.phase[k].voltage == 230.0);
    }
    CHECK_INT(pv.phase[2].present, RSCP_PVI_POWER | RSCP_PVI_VOLTAGE | RSCP_PVI_CURRENT);
    CHECK(pv.phase[2].current == 4.5);
    CHECK(pv.frequency == 50.0);
    CHECK_INT(pv.temperature_present, 0x5);
    CHECK(pv.temperature[0] == 35.5 && pv.temperature[2] == 40.0);
    CHECK_INT(pv.n_temperatures, 21);

    CHECK_INT(rscp_pvi_parse(f, 1, &pv), 0);
    CHECK_INT(pv.present, RSCP_PVI_ON_GRID);
    CHECK(!pv.on_grid);
    CHECK_INT(pv.n_trackers, 0);
    CHECK_INT(rscp_pvi_parse(f, 2, &pv), RSCP_ERR_NOT_FOUND);
    CHECK_INT(rscp_pvi_parse(NULL, 0, &pv), RSCP_ERR_ARG);

    /* A broken indexed container is a structure error. */
    uint8_t bad[] = {0x00, 0x00, 0x84, 0x02, 0x0E, 0x16, 0x00,                   /* PVI.DATA, 22 bytes */
                     0x01, 0x00, 0x04, 0x02, 0x05, 0x02, 0x00, 0x00, 0x00,       /* PVI.INDEX 0 */
                     0x01, 0xC0, 0x8D, 0x02, 0x0E, 0x06, 0x00,                   /* DC_POWER, 6 bytes */
                     0x01, 0x00, 0x04, 0x02, 0x05, 0x09};                        /* cut child */
    struct rscp_frame fb = {0, 0, false, bad, (uint16_t)sizeof bad};
    CHECK(rscp_pvi_parse(&fb, 0, &pv) < 0);
}

int main(void)
{
    test_request();
    test_parse();
    return th_finish();
}
