/* Discovery (rscp/plant.h) and several typed requests in one frame.
 * A small stand-in device answers the probe frame from a plant shape
 * (units present, DCB and tracker counts, meter types), with each way of
 * saying "absent" (an ERROR block, a container of errors, no answer), so
 * that request and parse are checked together on each shape: an S10 E
 * (root meter 0), an S10 mini (root meter 6), and a larger plant with
 * meters at 0, 1, 3, 6. */
#include "plant_testlib.h"
#include "rscp/api.h"
#include "rscp/plant.h"

enum absent_style { ABSENT_ERROR_BLOCK, ABSENT_ERROR_CHILDREN, ABSENT_NO_ANSWER };

struct shape {
    uint32_t bat, pvi, pm, wb, dcdc;      /* present indexes            */
    uint16_t dcb[RSCP_BAT_MAX_STRINGS];
    uint8_t used[RSCP_PVI_MAX_INVERTERS]; /* USED_STRING_COUNT; 0: refused */
    uint8_t max[RSCP_PVI_MAX_INVERTERS];  /* DC_MAX_STRING_COUNT          */
    int pm_type[RSCP_PM_MAX_METERS];      /* -1: PM.TYPE refused          */
    uint32_t wb_disconnected;             /* answer, but not connected    */
    enum absent_style absent;
};

static void answer_probe(struct rscp_builder *b, const struct shape *s, const struct rscp_block *req)
{
    uint32_t data = req->tag | RSCP_TAG_RESPONSE_BIT;
    struct rscp_block idx;
    uint64_t i = 0;
    struct rscp_iter it;
    rscp_block_children(req, &it);
    CHECK_INT(rscp_iter_next(&it, &idx), 1); /* the index comes first */
    CHECK_INT(rscp_block_get_uint(&idx, &i), 0);
    uint32_t mask = req->tag == RSCP_TAG_BAT_REQ_DATA   ? s->bat
                    : req->tag == RSCP_TAG_PVI_REQ_DATA ? s->pvi
                    : req->tag == RSCP_TAG_PM_REQ_DATA  ? s->pm
                    : req->tag == RSCP_TAG_WB_REQ_DATA  ? s->wb | s->wb_disconnected
                                                        : s->dcdc;
    bool present = (mask >> i) & 1u;
    if (!present && s->absent == ABSENT_NO_ANSWER)
        return;
    if (!present && s->absent == ABSENT_ERROR_BLOCK) {
        rscp_put_error(b, data, PT_ERR_NOT_AVAILABLE);
        return;
    }
    rscp_put_container_open(b, data);
    rscp_put_block(b, &idx);
    struct rscp_block sub;
    while (rscp_iter_next(&it, &sub) == 1) {
        uint32_t rt = sub.tag | RSCP_TAG_RESPONSE_BIT;
        if (!present) {
            rscp_put_error(b, rt, PT_ERR_OUT_OF_BOUNDS);
            continue;
        }
        switch (sub.tag) {
        case RSCP_TAG_BAT_REQ_DCB_COUNT: rscp_put_uchar8(b, rt, (uint8_t)s->dcb[i]); break;
        case RSCP_TAG_PVI_REQ_USED_STRING_COUNT:
            if (s->used[i])
                rscp_put_uchar8(b, rt, s->used[i]);
            else
                rscp_put_error(b, rt, PT_ERR_NOT_AVAILABLE);
            break;
        case RSCP_TAG_PVI_REQ_DC_MAX_STRING_COUNT: rscp_put_uchar8(b, rt, s->max[i]); break;
        case RSCP_TAG_PVI_REQ_TEMPERATURE_COUNT: rscp_put_uchar8(b, rt, 4); break;
        case RSCP_TAG_PM_REQ_ACTIVE_PHASES: rscp_put_uchar8(b, rt, 7); break;
        case RSCP_TAG_PM_REQ_TYPE:
            if (s->pm_type[i] >= 0)
                rscp_put_uint16(b, rt, (uint16_t)s->pm_type[i]);
            else
                rscp_put_error(b, rt, PT_ERR_NOT_AVAILABLE);
            break;
        case RSCP_TAG_WB_REQ_DEVICE_STATE:
        case RSCP_TAG_DCDC_REQ_DEVICE_STATE: {
            bool wb = sub.tag == RSCP_TAG_WB_REQ_DEVICE_STATE;
            rscp_put_container_open(b, rt);
            rscp_put_bool(b, wb ? RSCP_TAG_WB_DEVICE_CONNECTED : RSCP_TAG_DCDC_DEVICE_CONNECTED,
                          !(wb && ((s->wb_disconnected >> i) & 1u)));
            rscp_put_bool(b, wb ? RSCP_TAG_WB_DEVICE_WORKING : RSCP_TAG_DCDC_DEVICE_WORKING, true);
            rscp_put_container_close(b);
            break;
        }
        case RSCP_TAG_WB_REQ_EXTERN_DATA_ALG: {
            const uint8_t alg[8] = {0, 0, 0x80, 16, 0, 0, 0, 0};
            rscp_put_container_open(b, rt);
            rscp_put_bytes(b, RSCP_TAG_WB_EXTERN_DATA, alg, sizeof alg);
            rscp_put_container_close(b);
            break;
        }
        default: rscp_put_error(b, rt, 7); break; /* UNKNOWN_TAG */
        }
    }
    rscp_put_container_close(b);
}

/* Build the probe request, answer it from the shape, parse the answer. */
static void discover(const struct shape *s, struct rscp_plant *plant)
{
    static struct pt_frame req, rep;
    pt_begin(&req);
    CHECK_INT(rscp_plant_request(&req.b), 0);
    const struct rscp_frame *rf = pt_end(&req);
    pt_begin(&rep);
    struct rscp_iter it;
    struct rscp_block blk;
    rscp_frame_iter(rf, &it);
    while (rscp_iter_next(&it, &blk) == 1)
        answer_probe(&rep.b, s, &blk);
    CHECK_INT(rscp_plant_parse(pt_end(&rep), plant), 0);
}

static void test_request(void)
{
    static struct pt_frame p;
    pt_begin(&p);
    CHECK_INT(rscp_plant_request(&p.b), 0);
    const struct rscp_frame *f = pt_end(&p);
    CHECK(p.len < 1024); /* one small frame */
    CHECK_INT(pt_count_tag(f->data, f->data_len, RSCP_TAG_BAT_REQ_DATA), RSCP_BAT_MAX_STRINGS);
    CHECK_INT(pt_count_tag(f->data, f->data_len, RSCP_TAG_PVI_REQ_DATA), RSCP_PVI_MAX_INVERTERS);
    CHECK_INT(pt_count_tag(f->data, f->data_len, RSCP_TAG_PM_REQ_DATA), RSCP_PM_MAX_METERS);
    CHECK_INT(pt_count_tag(f->data, f->data_len, RSCP_TAG_WB_REQ_DATA), RSCP_WB_MAX_WALLBOXES);
    CHECK_INT(pt_count_tag(f->data, f->data_len, RSCP_TAG_DCDC_REQ_DATA), RSCP_DCDC_MAX_CONVERTERS);
    CHECK_INT(pt_count_tag(f->data, f->data_len, RSCP_TAG_BAT_REQ_DCB_COUNT), RSCP_BAT_MAX_STRINGS);
    CHECK_INT(pt_count_tag(f->data, f->data_len, RSCP_TAG_PM_REQ_TYPE), RSCP_PM_MAX_METERS);
    CHECK_INT(pt_count_tag(f->data, f->data_len, RSCP_TAG_PM_REQ_ACTIVE_PHASES), RSCP_PM_MAX_METERS);
    /* each probe holds its own index: 0..max-1, WB.INDEX as UCHAR8 */
    for (unsigned i = 0; i < RSCP_PM_MAX_METERS; i++) {
        struct rscp_block c;
        CHECK_INT(rscp_index_find(f, RSCP_TAG_PM_REQ_DATA, RSCP_TAG_PM_INDEX, i, &c), 0);
        CHECK_INT(rscp_index_find(f, RSCP_TAG_WB_REQ_DATA, RSCP_TAG_WB_INDEX, i, &c), 0);
        struct rscp_block idx;
        CHECK_INT(rscp_block_find(&c, RSCP_TAG_WB_INDEX, &idx), 0);
        CHECK_INT(idx.type, RSCP_TYPE_UCHAR8);
    }
    CHECK_INT(rscp_plant_request(NULL), RSCP_ERR_ARG);
    uint8_t small[100];
    struct rscp_builder b;
    rscp_builder_init(&b, small, sizeof small);
    CHECK_INT(rscp_plant_request(&b), RSCP_ERR_NOSPACE);
}

static void test_s10e(void)
{
    /* S10 E: one string of 3 modules, one inverter with 2 trackers, the
     * root meter at 0, a wallbox; absent units answered with ERROR blocks */
    struct shape s = {.bat = 0x1, .pvi = 0x1, .pm = 0x1, .wb = 0x1, .dcdc = 0x1,
                      .dcb = {3}, .used = {2}, .max = {3},
                      .pm_type = {RSCP_PM_TYPE_ROOT, -1, -1, -1, -1, -1, -1, -1},
                      .absent = ABSENT_ERROR_BLOCK};
    struct rscp_plant pl;
    discover(&s, &pl);
    CHECK_INT(pl.batteries, 0x1);
    CHECK_INT(pl.n_batteries, 1);
    CHECK_INT(pl.dcb_count[0], 3);
    CHECK_INT(pl.inverters, 0x1);
    CHECK_INT(pl.trackers[0], 2); /* used, not the maximum */
    CHECK_INT(pl.temperatures[0], 4);
    CHECK_INT(pl.meters, 0x1);
    CHECK_INT(pl.meter_type[0], RSCP_PM_TYPE_ROOT);
    CHECK_INT(pl.meter_type[1], -1);
    CHECK_INT(pl.root_meter, 0);
    CHECK_INT(pl.wallboxes, 0x1);
    CHECK_INT(pl.n_wallboxes, 1);
    CHECK_INT(pl.dcdcs, 0x1);
    /* one ERROR block per absent unit: 3 + 3 + 7 + 7 + 3 */
    CHECK_INT(pl.device_errors, 23);
}

static void test_mini(void)
{
    /* S10 mini: root meter at 6, nothing at 0; no used-tracker count (the
     * maximum is taken); no wallbox; absent units as containers of errors */
    struct shape s = {.bat = 0x1, .pvi = 0x1, .pm = 0x40, .dcb = {5}, .used = {0}, .max = {1},
                      .pm_type = {-1, -1, -1, -1, -1, -1, RSCP_PM_TYPE_ROOT, -1},
                      .absent = ABSENT_ERROR_CHILDREN};
    struct rscp_plant pl;
    discover(&s, &pl);
    CHECK_INT(pl.batteries, 0x1);
    CHECK_INT(pl.dcb_count[0], 5);
    CHECK_INT(pl.trackers[0], 1);
    CHECK_INT(pl.meters, 0x40);
    CHECK_INT(pl.root_meter, 6);
    CHECK_INT(pl.meter_type[6], RSCP_PM_TYPE_ROOT);
    CHECK_INT(pl.meter_type[0], -1);
    CHECK_INT(pl.wallboxes, 0);
    CHECK_INT(pl.dcdcs, 0);
    CHECK_INT(pl.n_meters, 1);
}

static void test_large(void)
{
    /* Two strings, two inverters, meters at 0, 1, 3, 6 with the root at 6,
     * wallboxes 0 and 2 (1 answers but is not connected); absent units
     * not answered at all */
    struct shape s = {.bat = 0x3, .pvi = 0x3, .pm = 0x4B, .wb = 0x5, .wb_disconnected = 0x2, .dcdc = 0x3,
                      .dcb = {4, 6}, .used = {3, 2}, .max = {3, 3},
                      .pm_type = {RSCP_PM_TYPE_ADDITIONAL, RSCP_PM_TYPE_ADDITIONAL_PRODUCTION, -1,
                                  RSCP_PM_TYPE_WALLBOX, -1, -1, RSCP_PM_TYPE_ROOT, -1},
                      .absent = ABSENT_NO_ANSWER};
    struct rscp_plant pl;
    discover(&s, &pl);
    CHECK_INT(pl.batteries, 0x3);
    CHECK_INT(pl.dcb_count[0], 4);
    CHECK_INT(pl.dcb_count[1], 6);
    CHECK_INT(pl.inverters, 0x3);
    CHECK_INT(pl.trackers[0], 3);
    CHECK_INT(pl.trackers[1], 2);
    CHECK_INT(pl.meters, 0x4B);
    CHECK_INT(pl.n_meters, 4);
    CHECK_INT(pl.meter_type[0], RSCP_PM_TYPE_ADDITIONAL);
    CHECK_INT(pl.meter_type[3], RSCP_PM_TYPE_WALLBOX);
    CHECK_INT(pl.root_meter, 6); /* by type, although 0 exists */
    CHECK_INT(pl.wallboxes, 0x5);
    CHECK_INT(pl.n_wallboxes, 2);
    CHECK_INT(pl.dcdcs, 0x3);
    CHECK_INT(pl.device_errors, 0);

    /* No meter says ROOT: 0 when present, else 6. */
    s.pm_type[6] = -1;
    discover(&s, &pl);
    CHECK_INT(pl.root_meter, 0);
    s.pm = 0x4A; /* 1, 3, 6 */
    discover(&s, &pl);
    CHECK_INT(pl.root_meter, 6);
    s.pm = 0x0A; /* 1, 3: no guess */
    discover(&s, &pl);
    CHECK_INT(pl.root_meter, -1);
    CHECK_INT(pl.meters, 0x0A);
}

static void test_odd_replies(void)
{
    static struct pt_frame p;
    pt_begin(&p);
    /* an index beyond the maximum, a container without index, an index
     * as UINT32, a duplicate answer, unrelated blocks */
    pt_unit(&p, RSCP_TAG_PM_DATA, RSCP_TAG_PM_INDEX, RSCP_PM_MAX_METERS + 1);
    rscp_put_uint16(&p.b, RSCP_TAG_PM_TYPE, RSCP_PM_TYPE_ROOT);
    rscp_put_container_close(&p.b);
    rscp_put_container_open(&p.b, RSCP_TAG_BAT_DATA);
    rscp_put_uchar8(&p.b, RSCP_TAG_BAT_DCB_COUNT, 9);
    rscp_put_container_close(&p.b);
    rscp_put_container_open(&p.b, RSCP_TAG_BAT_DATA);
    rscp_put_uint32(&p.b, RSCP_TAG_BAT_INDEX, 3);
    rscp_put_uint16(&p.b, RSCP_TAG_BAT_DCB_COUNT, 7);
    rscp_put_container_close(&p.b);
    rscp_put_container_open(&p.b, RSCP_TAG_BAT_DATA);
    rscp_put_uint32(&p.b, RSCP_TAG_BAT_INDEX, 3);
    rscp_put_cstr(&p.b, RSCP_TAG_BAT_DCB_COUNT, "seven"); /* a value, but no number */
    rscp_put_container_close(&p.b);
    /* a wallbox whose only answers are errors, one level down */
    rscp_put_container_open(&p.b, RSCP_TAG_WB_DATA);
    rscp_put_uchar8(&p.b, RSCP_TAG_WB_INDEX, 4);
    rscp_put_container_open(&p.b, RSCP_TAG_WB_DEVICE_STATE);
    rscp_put_error(&p.b, RSCP_TAG_WB_DEVICE_CONNECTED, PT_ERR_NOT_AVAILABLE);
    rscp_put_container_close(&p.b);
    rscp_put_error(&p.b, RSCP_TAG_WB_EXTERN_DATA_ALG, PT_ERR_NOT_AVAILABLE);
    rscp_put_container_close(&p.b);
    /* and one that answers its state */
    rscp_put_container_open(&p.b, RSCP_TAG_WB_DATA);
    rscp_put_uchar8(&p.b, RSCP_TAG_WB_INDEX, 5);
    rscp_put_container_open(&p.b, RSCP_TAG_WB_DEVICE_STATE);
    rscp_put_bool(&p.b, RSCP_TAG_WB_DEVICE_CONNECTED, true);
    rscp_put_container_close(&p.b);
    rscp_put_container_close(&p.b);
    rscp_put_int32(&p.b, RSCP_TAG_EMS_POWER_PV, 100);
    rscp_put_uint16(&p.b, RSCP_TAG_PM_DATA, 1); /* not a container */
    const struct rscp_frame *f = pt_end(&p);
    struct rscp_plant pl;
    CHECK_INT(rscp_plant_parse(f, &pl), 0);
    CHECK_INT(pl.meters, 0);
    CHECK_INT(pl.root_meter, -1);
    CHECK_INT(pl.batteries, 0x8);
    CHECK_INT(pl.dcb_count[3], 7);
    CHECK_INT(pl.wallboxes, 0x20);
    CHECK_INT(pl.device_errors, 2);
    CHECK_INT(rscp_plant_parse(NULL, &pl), RSCP_ERR_ARG);
    CHECK_INT(rscp_plant_parse(f, NULL), RSCP_ERR_ARG);

    /* a structure error inside a probed container */
    uint8_t bad[] = {0x00, 0x00, 0x84, 0x05, 0x0E, 0x05, 0x00, 0x01, 0x00, 0x04, 0x05, 0x05};
    struct rscp_frame fb = {0, 0, false, bad, (uint16_t)sizeof bad};
    CHECK(rscp_plant_parse(&fb, &pl) < 0);
}

/* Live + battery + PV + meter + wallbox requests in one frame, and each
 * parse picks its part out of the one reply. */
static void test_one_frame(void)
{
    static struct pt_frame req, rep;
    pt_begin(&req);
    CHECK_INT(rscp_live_request(&req.b), 0);
    CHECK_INT(rscp_battery_request(&req.b, 0), 0);
    CHECK_INT(rscp_dcb_request(&req.b, 0, 2, RSCP_DCB_REQ_INFO), 0);
    CHECK_INT(rscp_pvi_request(&req.b, 0, 2, 1), 0);
    CHECK_INT(rscp_pm_request(&req.b, 6), 0);
    CHECK_INT(rscp_wallbox_request(&req.b, 0, RSCP_WB_REQ_ALL), 0);
    const struct rscp_frame *rf = pt_end(&req);
    CHECK_INT(pt_count_tag(rf->data, rf->data_len, RSCP_TAG_BAT_REQ_DATA), 2);
    CHECK_INT(pt_count_tag(rf->data, rf->data_len, RSCP_TAG_EMS_REQ_POWER_PV), 1);

    pt_begin(&rep);
    rscp_put_int32(&rep.b, RSCP_TAG_EMS_POWER_PV, 4200);
    rscp_put_int32(&rep.b, RSCP_TAG_EMS_POWER_BAT, -800);
    pt_unit(&rep, RSCP_TAG_BAT_DATA, RSCP_TAG_BAT_INDEX, 0);
    rscp_put_float32(&rep.b, RSCP_TAG_BAT_RSOC, 64.0f);
    rscp_put_container_close(&rep.b);
    pt_unit(&rep, RSCP_TAG_BAT_DATA, RSCP_TAG_BAT_INDEX, 0);
    rscp_put_container_open(&rep.b, RSCP_TAG_BAT_DCB_INFO);
    rscp_put_float32(&rep.b, RSCP_TAG_BAT_DCB_SOC, 63.0f);
    rscp_put_container_close(&rep.b);
    rscp_put_container_open(&rep.b, RSCP_TAG_BAT_DCB_INFO);
    rscp_put_float32(&rep.b, RSCP_TAG_BAT_DCB_SOC, 65.0f);
    rscp_put_container_close(&rep.b);
    rscp_put_container_close(&rep.b);
    pt_unit(&rep, RSCP_TAG_PVI_DATA, RSCP_TAG_PVI_INDEX, 0);
    pt_indexed(&rep, RSCP_TAG_PVI_DC_POWER, RSCP_TAG_PVI_INDEX, RSCP_TAG_PVI_VALUE, 1, 2000.0f);
    rscp_put_container_close(&rep.b);
    pt_unit(&rep, RSCP_TAG_PM_DATA, RSCP_TAG_PM_INDEX, 6);
    rscp_put_double64(&rep.b, RSCP_TAG_PM_POWER_L1, -1200.0);
    rscp_put_container_close(&rep.b);
    rscp_put_container_open(&rep.b, RSCP_TAG_WB_DATA);
    rscp_put_uchar8(&rep.b, RSCP_TAG_WB_INDEX, 0);
    rscp_put_uint32(&rep.b, RSCP_TAG_WB_ENERGY_ALL, 5000);
    rscp_put_container_close(&rep.b);
    const struct rscp_frame *f = pt_end(&rep);

    struct rscp_live live;
    CHECK_INT(rscp_live_parse(f, &live), 0);
    CHECK_INT(live.pv, 4200);
    CHECK_INT(live.bat, -800);
    struct rscp_battery bat;
    CHECK_INT(rscp_battery_parse(f, 0, &bat), 0);
    CHECK(bat.rsoc == 64.0);
    CHECK_INT(bat.present, RSCP_BAT_RSOC);
    static struct rscp_dcb d;
    CHECK_INT(rscp_dcb_parse(f, 0, 1, &d), 0);
    CHECK(d.soc == 65.0);
    static struct rscp_pvi pv;
    CHECK_INT(rscp_pvi_parse(f, 0, &pv), 0);
    CHECK(pv.tracker[1].power == 2000.0);
    struct rscp_pm pm;
    CHECK_INT(rscp_pm_parse(f, 6, &pm), 0);
    CHECK(pm.power[0] == -1200.0);
    static struct rscp_wallbox wb;
    CHECK_INT(rscp_wallbox_parse(f, 0, &wb), 0);
    CHECK(wb.energy_all == 5000.0);
    CHECK_INT(wb.device_errors, 0);
}

/* The follow-up request for every present unit of a discovered plant. */
static void test_units_request(void)
{
    static struct pt_frame p;
    struct shape s = {.bat = 0x3, .pvi = 0x1, .pm = 0x41, .wb = 0x4, .dcb = {2, 30}, .used = {3}, .max = {3},
                      .pm_type = {RSCP_PM_TYPE_ADDITIONAL, -1, -1, -1, -1, -1, RSCP_PM_TYPE_ROOT, -1},
                      .absent = ABSENT_ERROR_BLOCK};
    struct rscp_plant pl;
    discover(&s, &pl);
    CHECK_INT(pl.dcb_count[1], 30);
    pt_blocks_begin(&p);
    CHECK_INT(rscp_plant_units_request(&p.b, &pl, RSCP_PLANT_REQ_ALL), 0);
    size_t n = pt_blocks_end(&p);
    CHECK_INT(pt_count_tag(p.buf, n, RSCP_TAG_BAT_REQ_DATA), 4); /* 2 strings + their DCB requests */
    CHECK_INT(pt_count_tag(p.buf, n, RSCP_TAG_BAT_REQ_DCB_INFO), 2 + RSCP_DCB_MAX); /* 30 capped */
    CHECK_INT(pt_count_tag(p.buf, n, RSCP_TAG_PVI_REQ_DATA), 1);
    CHECK_INT(pt_count_tag(p.buf, n, RSCP_TAG_PVI_REQ_DC_POWER), 3);
    CHECK_INT(pt_count_tag(p.buf, n, RSCP_TAG_PVI_REQ_TEMPERATURE), 4);
    CHECK_INT(pt_count_tag(p.buf, n, RSCP_TAG_PM_REQ_DATA), 2);
    CHECK_INT(pt_count_tag(p.buf, n, RSCP_TAG_WB_REQ_DATA), 1);
    struct rscp_block c;
    CHECK_INT(rscp_index_find(&(struct rscp_frame){0, 0, false, p.buf, (uint16_t)n}, RSCP_TAG_WB_REQ_DATA,
                              RSCP_TAG_WB_INDEX, 2, &c), 0);

    pt_blocks_begin(&p);
    CHECK_INT(rscp_plant_units_request(&p.b, &pl, RSCP_PLANT_REQ_METERS), 0);
    n = pt_blocks_end(&p);
    CHECK_INT(pt_count_tag(p.buf, n, RSCP_TAG_PM_REQ_DATA), 2);
    CHECK_INT(pt_count_tag(p.buf, n, RSCP_TAG_BAT_REQ_DATA), 0);

    /* A plant of the maxima: the size the header promises. */
    struct rscp_plant big;
    memset(&big, 0, sizeof big);
    big.batteries = 0xF, big.inverters = 0xF, big.meters = 0xFF, big.wallboxes = 0xFF;
    for (unsigned i = 0; i < RSCP_BAT_MAX_STRINGS; i++)
        big.dcb_count[i] = 255;
    for (unsigned i = 0; i < RSCP_PVI_MAX_INVERTERS; i++)
        big.trackers[i] = big.temperatures[i] = 255;
    pt_blocks_begin(&p);
    CHECK_INT(rscp_plant_units_request(&p.b, &big, RSCP_PLANT_REQ_ALL), 0);
    n = pt_blocks_end(&p);
    printf("units request of a plant of the maxima: %zu bytes\n", n);
    CHECK(n < 8192);

    CHECK_INT(rscp_plant_units_request(NULL, &pl, RSCP_PLANT_REQ_ALL), RSCP_ERR_ARG);
    CHECK_INT(rscp_plant_units_request(&p.b, NULL, RSCP_PLANT_REQ_ALL), RSCP_ERR_ARG);
    CHECK_INT(rscp_plant_units_request(&p.b, &pl, 0x20), RSCP_ERR_ARG);
}

int main(void)
{
    test_request();
    test_s10e();
    test_mini();
    test_large();
    test_odd_replies();
    test_one_frame();
    test_units_request();
    return th_finish();
}
