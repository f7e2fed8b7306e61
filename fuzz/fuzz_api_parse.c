/* Fuzz target: the typed reply parsers of the API (src/api) on arbitrary
 * frame data: rscp_live_parse, rscp_info_parse with rscp_info_utc_offset,
 * rscp_history_parse for every range with rscp_history_values_parse,
 * rscp_index_parse / rscp_index_find, rscp_count_device_errors; the plant
 * parsers rscp_plant_parse, rscp_battery_parse, rscp_dcb_parse,
 * rscp_pvi_parse, rscp_pm_parse, rscp_wallbox_parse (for indexes chosen by
 * byte 8 and the maxima around them); and the request writers
 * round-tripped through them.
 *
 * Input: bytes 0..7 the frame's seconds (LE), byte 8 the history row
 * capacity, byte 9 the index request's type and bytes 10..13 its index,
 * then the frame data (exactly sized on the heap).
 * Invariants (abort() when broken): the parsers report a structure error
 * only for data that rscp_validate refuses; present bits stay within their
 * masks; strings stay NUL-terminated in their arrays; the UTC offset is a
 * multiple of 15 minutes within a day; rows beyond the capacity are never
 * written; on well-formed data the device-error count equals the ERROR
 * blocks a walk finds; a container found by rscp_index_find holds the
 * index asked for; plant parsers return only 0 or NOT_FOUND on
 * well-formed data, their present bits and unit masks stay within their
 * masks and maxima, counts agree with masks, the root meter is a present
 * meter, stored counts never exceed the arrays, decoded wallbox flags
 * agree with the status byte; every plant request validates, also the
 * follow-up request for every unit a parse found. */
#include "fuzz_walk.h"

#include "rscp/api.h"
#include "rscp/plant.h"
#include "util/bytes.h"

#define HEAD 14u

static void check_info(const struct rscp_info *in)
{
    const char *s[] = {in->serial, in->production_date, in->sw_release, in->mac, in->ip, in->time_zone};
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
        if (memchr(s[i], '\0', RSCP_INFO_STR_MAX) == NULL)
            fuzz_fail("info string not NUL-terminated");
    if (in->present & ~RSCP_INFO_ALL)
        fuzz_fail("info present bits");
    int32_t off;
    int rc = rscp_info_utc_offset(in, &off);
    if (rc == 0 && (off % 900 != 0 || off > 86400 || off < -86400))
        fuzz_fail("UTC offset");
    if (rc != 0 && rc != RSCP_ERR_NOT_FOUND && rc != RSCP_ERR_RANGE)
        fuzz_fail("UTC offset error code");
}

static void check_history(const struct rscp_frame *f, uint8_t cap, bool valid)
{
    for (int range = -1; range <= 4; range++) {
        struct rscp_history_values sum;
        /* Exactly cap rows (at least one byte) on the heap. */
        struct rscp_history_values *rows = cap ? malloc(cap * sizeof *rows) : NULL;
        size_t n = 0;
        uint32_t dev = 0;
        int rc = rscp_history_parse(f, range, &sum, rows, cap, &n, &dev);
        if (range < 0 || range > 3) {
            if (rc != RSCP_ERR_ARG)
                fuzz_fail("history: a bad range accepted");
        } else if (rc == 0) {
            if (sum.present & ~0x1FFFu)
                fuzz_fail("history present bits");
            for (size_t i = 0; i < n && i < cap; i++)
                if (rows[i].present & ~0x1FFFu)
                    fuzz_fail("history row present bits");
        } else if (rc != RSCP_ERR_DEVICE && rc != RSCP_ERR_NOT_FOUND && rc != RSCP_ERR_TYPE && valid) {
            fuzz_fail("history: structure error on well-formed data");
        }
        free(rows);
    }
}

/* Every top-level container: its values as history values, its first
 * child as an index that rscp_index_find must find again. */
static void check_containers(const struct rscp_frame *f, bool valid)
{
    struct rscp_iter it;
    struct rscp_block blk;
    rscp_frame_iter(f, &it);
    while (rscp_iter_next(&it, &blk) == 1) {
        struct rscp_history_values v;
        int rc = rscp_history_values_parse(&blk, &v);
        if (rc == 0 && (v.present & ~0x1FFFu))
            fuzz_fail("values present bits");
        if (blk.type != RSCP_TYPE_CONTAINER)
            continue;
        struct rscp_iter ci;
        struct rscp_block first;
        if (rscp_block_children(&blk, &ci) != 0 || rscp_iter_next(&ci, &first) != 1)
            continue;
        uint64_t idx;
        if (rscp_index_parse(&blk, first.tag, &idx) != 0)
            continue;
        struct rscp_block found;
        rc = rscp_index_find(f, blk.tag, first.tag, idx, &found);
        if (rc == 0) {
            uint64_t got;
            if (rscp_index_parse(&found, first.tag, &got) != 0 || got != idx || found.tag != blk.tag)
                fuzz_fail("index_find returned another container");
        } else if (valid) {
            fuzz_fail("index_find missed a container it walked past");
        }
    }
}

static int count_errors(const uint8_t *p, size_t n)
{
    struct rscp_walk w;
    struct rscp_block b;
    int k = 0, rc;
    rscp_walk_init(&w, p, n);
    while ((rc = rscp_walk_next(&w, &b)) == 1)
        if (b.type == RSCP_TYPE_ERROR)
            k++;
    return rc < 0 ? rc : k;
}

/* The request writers against the parsers. */
static void check_requests(const uint8_t *head)
{
    static uint8_t buf[4096];
    struct rscp_builder b;
    size_t n;
    int type = head[9] % 16;
    uint64_t index = rscp_load32_le(head + 10);
    uint32_t sub[2] = {0x03000001u, 0x03000002u};
    rscp_builder_init(&b, buf, sizeof buf);
    int rc = rscp_index_request(&b, 0x03040000u, 0x03040001u, type == 15 ? -1 : type, index, sub, 2);
    if (rc != 0)
        return;
    if (rscp_builder_finish(&b, &n) != 0)
        fuzz_fail("index request did not finish");
    struct rscp_frame f = {0, 0, false, buf, (uint16_t)n};
    struct rscp_block found;
    if (rscp_index_find(&f, 0x03040000u, 0x03040001u, index, &found) != 0)
        fuzz_fail("index request not found again");

    rscp_builder_init(&b, buf, sizeof buf);
    int range = head[9] % 4;
    if (rscp_history_request(&b, range, (int64_t)rscp_load64_le(head), (uint32_t)index | 1u, 900) != 0 ||
        rscp_builder_finish(&b, &n) != 0 || rscp_validate(buf, n, NULL, NULL) != 0)
        fuzz_fail("history request");
}

static bool plant_rc_ok(int rc, bool valid)
{
    return rc == 0 || rc == RSCP_ERR_NOT_FOUND || (!valid && rc < 0);
}

static unsigned popcount32(uint32_t m)
{
    unsigned n = 0;
    for (; m; m &= m - 1u)
        n++;
    return n;
}

static void check_plant(const struct rscp_frame *f, bool valid)
{
    struct rscp_plant pl;
    int rc = rscp_plant_parse(f, &pl);
    if (rc != 0 && (valid || rc > 0))
        fuzz_fail("plant: error on well-formed data");
    if (rc != 0)
        return;
    /* the follow-up request for what was found validates */
    static uint8_t buf[65535];
    struct rscp_builder b;
    size_t n;
    rscp_builder_init(&b, buf, sizeof buf);
    if (rscp_plant_units_request(&b, &pl, RSCP_PLANT_REQ_ALL) != 0 || rscp_builder_finish(&b, &n) != 0 ||
        rscp_validate(buf, n, NULL, NULL) != 0)
        fuzz_fail("plant: units request");
    if ((pl.batteries >> RSCP_BAT_MAX_STRINGS) || (pl.inverters >> RSCP_PVI_MAX_INVERTERS) ||
        (pl.meters >> RSCP_PM_MAX_METERS) || (pl.wallboxes >> RSCP_WB_MAX_WALLBOXES) ||
        (pl.dcdcs >> RSCP_DCDC_MAX_CONVERTERS))
        fuzz_fail("plant: a unit beyond its maximum");
    if (pl.n_batteries != popcount32(pl.batteries) || pl.n_inverters != popcount32(pl.inverters) ||
        pl.n_meters != popcount32(pl.meters) || pl.n_wallboxes != popcount32(pl.wallboxes) ||
        pl.n_dcdcs != popcount32(pl.dcdcs))
        fuzz_fail("plant: counts differ from the masks");
    if (pl.root_meter < -1 || pl.root_meter >= (int32_t)RSCP_PM_MAX_METERS ||
        (pl.root_meter >= 0 && !((pl.meters >> pl.root_meter) & 1u)))
        fuzz_fail("plant: root meter not a present meter");
    for (unsigned i = 0; i < RSCP_PM_MAX_METERS; i++)
        if (!((pl.meters >> i) & 1u) && pl.meter_type[i] != -1)
            fuzz_fail("plant: a type for an absent meter");
    for (unsigned i = 0; i < RSCP_BAT_MAX_STRINGS; i++)
        if (!((pl.batteries >> i) & 1u) && pl.dcb_count[i] != 0)
            fuzz_fail("plant: a DCB count for an absent string");
}

static void check_units(const struct rscp_frame *f, bool valid, uint8_t pick)
{
    /* The index chosen by the input, and the ones around the maxima. */
    unsigned idx[3] = {pick % 8u, 0, pick % 2u ? 3u : 6u};
    for (int i = 0; i < 3; i++) {
        unsigned k = idx[i];
        struct rscp_battery bat;
        int rc = rscp_battery_parse(f, k, &bat);
        if (!plant_rc_ok(rc, valid) || (bat.present & ~RSCP_BAT_ALL) ||
            memchr(bat.device_name, '\0', sizeof bat.device_name) == NULL)
            fuzz_fail("battery parse");
        if (rc == 0 && (bat.present & RSCP_BAT_POWER) && !(bat.present & RSCP_BAT_VOLTAGE))
            fuzz_fail("battery power without voltage");

        struct rscp_dcb *dcb = malloc(sizeof *dcb);
        if (dcb) {
            rc = rscp_dcb_parse(f, k % RSCP_BAT_MAX_STRINGS, (pick >> 3) % 4u, dcb);
            if (!plant_rc_ok(rc, valid) || (dcb->present & ~RSCP_DCB_ALL))
                fuzz_fail("dcb parse");
            if (rc == 0 && (dcb->present & RSCP_DCB_TEMPERATURE) && dcb->n_cell_temperatures == 0)
                fuzz_fail("dcb temperature without cells");
            free(dcb);
        }

        struct rscp_pvi *pv = malloc(sizeof *pv);
        if (pv) {
            rc = rscp_pvi_parse(f, k, pv);
            if (!plant_rc_ok(rc, valid) || (pv->present & ~RSCP_PVI_ALL) ||
                (pv->temperature_present >> RSCP_PVI_MAX_TEMPERATURES) ||
                memchr(pv->state, '\0', sizeof pv->state) == NULL)
                fuzz_fail("pvi parse");
            for (unsigned t = 0; t < RSCP_PVI_MAX_TRACKERS; t++)
                if ((pv->tracker[t].present & ~0xFu) || (pv->tracker[t].present && pv->n_trackers <= t))
                    fuzz_fail("pvi tracker");
            free(pv);
        }

        struct rscp_pm pm;
        rc = rscp_pm_parse(f, k, &pm);
        if (!plant_rc_ok(rc, valid) || (pm.present & ~RSCP_PM_ALL))
            fuzz_fail("pm parse");

        struct rscp_wallbox wb;
        rc = rscp_wallbox_parse(f, k, &wb);
        if (!plant_rc_ok(rc, valid) || (wb.present & ~RSCP_WB_ALL) || wb.phases_in_use > 3)
            fuzz_fail("wallbox parse");
        if (rc == 0 && (wb.present & RSCP_WB_STATUS) &&
            (wb.sun_mode != ((wb.status & RSCP_WB_ALG_SUN_MODE) != 0) ||
             wb.suspended != ((wb.status & RSCP_WB_ALG_SUSPENDED) != 0) || wb.alg_len < 4))
            fuzz_fail("wallbox status decoding");
    }
}

/* Every plant request into one frame's worth of blocks, which must
 * validate and fit. */
static void check_plant_requests(const uint8_t *head)
{
    static uint8_t buf[65535];
    struct rscp_builder b;
    size_t n;
    unsigned k = head[9];
    rscp_builder_init(&b, buf, sizeof buf);
    int rc = rscp_plant_request(&b);
    rc |= rscp_battery_request(&b, k % RSCP_BAT_MAX_STRINGS);
    rc |= rscp_dcb_request(&b, k % RSCP_BAT_MAX_STRINGS, 1u + k % RSCP_DCB_MAX, 1u + head[10] % 7u);
    rc |= rscp_pvi_request(&b, k % RSCP_PVI_MAX_INVERTERS, head[11] % (RSCP_PVI_MAX_TRACKERS + 1u),
                           head[12] % (RSCP_PVI_MAX_TEMPERATURES + 1u));
    rc |= rscp_pm_request(&b, k % RSCP_PM_MAX_METERS);
    rc |= rscp_wallbox_request(&b, k % RSCP_WB_MAX_WALLBOXES, 1u + head[13] % 15u);
    if (rc != 0 || rscp_builder_finish(&b, &n) != 0 || rscp_validate(buf, n, NULL, NULL) != 0)
        fuzz_fail("plant requests");
    /* Out-of-range arguments are refused, not written. */
    rscp_builder_init(&b, buf, sizeof buf);
    if (rscp_battery_request(&b, RSCP_BAT_MAX_STRINGS + k) != RSCP_ERR_RANGE ||
        rscp_pvi_request(&b, 0, RSCP_PVI_MAX_TRACKERS + 1u + k, 0) != RSCP_ERR_RANGE ||
        rscp_builder_finish(&b, &n) != 0 || n != 0)
        fuzz_fail("plant request ranges");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < HEAD || size - HEAD > 0xFFFFu)
        return 0;
    size_t len = size - HEAD;
    uint8_t *copy = malloc(len ? len : 1);
    if (!copy)
        return 0;
    memcpy(copy, data + HEAD, len);
    struct rscp_frame f = {(int64_t)rscp_load64_le(data), 0, false, copy, (uint16_t)len};
    bool valid = rscp_validate(copy, len, NULL, NULL) == 0;

    struct rscp_live live;
    int rc = rscp_live_parse(&f, &live);
    if (rc < 0 && valid)
        fuzz_fail("live: structure error on well-formed data");
    if (live.present & ~RSCP_LIVE_ALL)
        fuzz_fail("live present bits");
    if (live.time.seconds != f.seconds)
        fuzz_fail("live time");

    struct rscp_info info;
    rc = rscp_info_parse(&f, &info);
    if (rc < 0 && valid)
        fuzz_fail("info: structure error on well-formed data");
    check_info(&info);

    check_history(&f, data[8], valid);
    check_containers(&f, valid);

    int k = rscp_count_device_errors(copy, len);
    if (valid && k != count_errors(copy, len))
        fuzz_fail("device error count differs from a walk");
    if (!valid && k >= 0 && count_errors(copy, len) >= 0 && k != count_errors(copy, len))
        fuzz_fail("device error count differs from a walk");

    check_requests(data);
    check_plant(&f, valid);
    check_units(&f, valid, data[8]);
    check_plant_requests(data);
    free(copy);
    return 0;
}
