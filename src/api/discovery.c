/* Discovery: one probe per possible unit in one frame, and the plant's
 * shape from the reply. */
#include "rscp/plant.h"

#include <string.h>

#include "api/fields.h"
#include "rscp/tag_ids.h"
#include "rscp/types.h"

/* One kind of unit: its request and reply tags, the probes, its maximum. */
struct unit_kind {
    uint32_t req_tag, data_tag, index_tag;
    bool index_uchar8;
    unsigned max;
    uint32_t probes[3];
    size_t n_probes;
};

enum { K_BAT, K_PVI, K_PM, K_WB, K_DCDC, K_COUNT };

static const struct unit_kind kinds[K_COUNT] = {
    {RSCP_TAG_BAT_REQ_DATA, RSCP_TAG_BAT_DATA, RSCP_TAG_BAT_INDEX, false, RSCP_BAT_MAX_STRINGS,
     {RSCP_TAG_BAT_REQ_DCB_COUNT}, 1},
    {RSCP_TAG_PVI_REQ_DATA, RSCP_TAG_PVI_DATA, RSCP_TAG_PVI_INDEX, false, RSCP_PVI_MAX_INVERTERS,
     {RSCP_TAG_PVI_REQ_USED_STRING_COUNT, RSCP_TAG_PVI_REQ_DC_MAX_STRING_COUNT, RSCP_TAG_PVI_REQ_TEMPERATURE_COUNT},
     3},
    {RSCP_TAG_PM_REQ_DATA, RSCP_TAG_PM_DATA, RSCP_TAG_PM_INDEX, false, RSCP_PM_MAX_METERS,
     {RSCP_TAG_PM_REQ_TYPE, RSCP_TAG_PM_REQ_ACTIVE_PHASES}, 2},
    {RSCP_TAG_WB_REQ_DATA, RSCP_TAG_WB_DATA, RSCP_TAG_WB_INDEX, true, RSCP_WB_MAX_WALLBOXES,
     {RSCP_TAG_WB_REQ_DEVICE_STATE, RSCP_TAG_WB_REQ_EXTERN_DATA_ALG}, 2},
    {RSCP_TAG_DCDC_REQ_DATA, RSCP_TAG_DCDC_DATA, RSCP_TAG_DCDC_INDEX, false, RSCP_DCDC_MAX_CONVERTERS,
     {RSCP_TAG_DCDC_REQ_DEVICE_STATE}, 1},
};

int rscp_plant_request(struct rscp_builder *b)
{
    if (!b)
        return RSCP_ERR_ARG;
    for (int k = 0; k < K_COUNT; k++) {
        const struct unit_kind *u = &kinds[k];
        for (unsigned i = 0; i < u->max; i++) {
            rscp_put_container_open(b, u->req_tag);
            if (u->index_uchar8)
                rscp_put_uchar8(b, u->index_tag, (uint8_t)i);
            else
                rscp_put_uint16(b, u->index_tag, (uint16_t)i);
            for (size_t j = 0; j < u->n_probes; j++)
                rscp_put_none(b, u->probes[j]);
            rscp_put_container_close(b);
        }
    }
    return rscp_builder_error(b);
}

/* What one probed container said. */
struct probe {
    uint32_t values; /* children that are neither the index nor an error */
    bool have_dcb, have_used, have_max, have_temps, have_type, disconnected;
    uint64_t dcb, used, max, temps, type;
};

/* DEVICE_STATE containers: DEVICE_CONNECTED false marks the unit absent. */
static void read_device_state(const struct rscp_block *c, uint32_t connected_tag, struct probe *p,
                              uint32_t *errors)
{
    struct rscp_iter it;
    struct rscp_block blk;
    rscp_block_children(c, &it);
    while (rscp_iter_next(&it, &blk) == 1) {
        int64_t v;
        if (blk.type == RSCP_TYPE_ERROR)
            (*errors)++;
        else if (blk.tag == connected_tag && rscp_block_get_int(&blk, &v) == 0 && v == 0)
            p->disconnected = true;
    }
}

/* A child that says something: not an ERROR block, and for a container
 * at least one child that is not an ERROR block. */
static bool has_value(const struct rscp_block *blk)
{
    if (blk->type == RSCP_TYPE_ERROR)
        return false;
    if (blk->type != RSCP_TYPE_CONTAINER)
        return true;
    struct rscp_iter it;
    struct rscp_block child;
    rscp_block_children(blk, &it);
    while (rscp_iter_next(&it, &child) == 1)
        if (child.type != RSCP_TYPE_ERROR)
            return true;
    return false;
}

struct plant_ctx {
    int kind;
    struct rscp_plant *out;
};

static int probe_unit(void *ctx, uint64_t index, const struct rscp_block *c)
{
    struct plant_ctx *x = ctx;
    const struct unit_kind *u = &kinds[x->kind];
    struct rscp_plant *out = x->out;
    struct probe p;
    memset(&p, 0, sizeof p);
    struct rscp_iter it;
    struct rscp_block blk;
    int rc;
    rscp_block_children(c, &it);
    while ((rc = rscp_iter_next(&it, &blk)) == 1) {
        if (blk.type == RSCP_TYPE_ERROR) {
            out->device_errors++;
            continue;
        }
        if (blk.tag == u->index_tag)
            continue;
        if (has_value(&blk))
            p.values++;
        uint64_t v = 0;
        bool num = rscp_block_get_uint(&blk, &v) == 0;
        switch (blk.tag) {
        case RSCP_TAG_BAT_DCB_COUNT: p.have_dcb = num, p.dcb = v; break;
        case RSCP_TAG_PVI_USED_STRING_COUNT: p.have_used = num, p.used = v; break;
        case RSCP_TAG_PVI_DC_MAX_STRING_COUNT: p.have_max = num, p.max = v; break;
        case RSCP_TAG_PVI_TEMPERATURE_COUNT: p.have_temps = num, p.temps = v; break;
        case RSCP_TAG_PM_TYPE: p.have_type = num, p.type = v; break;
        case RSCP_TAG_WB_DEVICE_STATE:
            if (blk.type == RSCP_TYPE_CONTAINER)
                read_device_state(&blk, RSCP_TAG_WB_DEVICE_CONNECTED, &p, &out->device_errors);
            break;
        default: break;
        }
    }
    if (rc < 0)
        return rc;
    if (index >= u->max || p.values == 0 || p.disconnected)
        return 0;
    uint32_t bit = 1u << index;
    switch (x->kind) {
    case K_BAT:
        out->batteries |= bit;
        if (p.have_dcb)
            out->dcb_count[index] = (uint16_t)(p.dcb > UINT16_MAX ? UINT16_MAX : p.dcb);
        break;
    case K_PVI: {
        out->inverters |= bit;
        uint64_t t = p.have_used ? p.used : p.have_max ? p.max : 0;
        out->trackers[index] = (uint8_t)(t > UINT8_MAX ? UINT8_MAX : t);
        if (p.have_temps)
            out->temperatures[index] = (uint8_t)(p.temps > UINT8_MAX ? UINT8_MAX : p.temps);
        break;
    }
    case K_PM:
        out->meters |= bit;
        if (p.have_type && p.type <= INT32_MAX)
            out->meter_type[index] = (int32_t)p.type;
        break;
    case K_WB: out->wallboxes |= bit; break;
    default: out->dcdcs |= bit; break;
    }
    return 0;
}

static uint32_t bits(uint32_t m)
{
    uint32_t n = 0;
    for (; m; m &= m - 1u)
        n++;
    return n;
}

int rscp_plant_parse(const struct rscp_frame *f, struct rscp_plant *out)
{
    if (!f || !out)
        return RSCP_ERR_ARG;
    memset(out, 0, sizeof *out);
    for (unsigned i = 0; i < RSCP_PM_MAX_METERS; i++)
        out->meter_type[i] = -1;
    out->root_meter = -1;
    for (int k = 0; k < K_COUNT; k++) {
        struct plant_ctx x = {k, out};
        int rc = rscp__each_unit(f, kinds[k].data_tag, kinds[k].index_tag, probe_unit, &x, &out->device_errors);
        if (rc < 0)
            return rc;
    }
    out->n_batteries = bits(out->batteries);
    out->n_inverters = bits(out->inverters);
    out->n_meters = bits(out->meters);
    out->n_wallboxes = bits(out->wallboxes);
    out->n_dcdcs = bits(out->dcdcs);
    for (unsigned i = 0; i < RSCP_PM_MAX_METERS && out->root_meter < 0; i++)
        if (out->meter_type[i] == RSCP_PM_TYPE_ROOT)
            out->root_meter = (int32_t)i;
    if (out->root_meter < 0 && (out->meters & 0x01u))
        out->root_meter = 0;
    if (out->root_meter < 0 && (out->meters & 0x40u))
        out->root_meter = 6;
    return 0;
}

int rscp_plant_units_request(struct rscp_builder *b, const struct rscp_plant *plant, unsigned what)
{
    if (!b || !plant || !(what & RSCP_PLANT_REQ_ALL))
        return RSCP_ERR_ARG;
    for (unsigned i = 0; i < RSCP_BAT_MAX_STRINGS; i++) {
        if (!((plant->batteries >> i) & 1u))
            continue;
        if (what & RSCP_PLANT_REQ_BATTERIES)
            rscp_battery_request(b, i);
        unsigned dcbs = plant->dcb_count[i] < RSCP_DCB_MAX ? plant->dcb_count[i] : RSCP_DCB_MAX;
        if ((what & RSCP_PLANT_REQ_DCBS) && dcbs > 0)
            rscp_dcb_request(b, i, dcbs, RSCP_DCB_REQ_ALL);
    }
    for (unsigned i = 0; i < RSCP_PVI_MAX_INVERTERS && (what & RSCP_PLANT_REQ_PVI); i++) {
        if (!((plant->inverters >> i) & 1u))
            continue;
        unsigned t = plant->trackers[i] < RSCP_PVI_MAX_TRACKERS ? plant->trackers[i] : RSCP_PVI_MAX_TRACKERS;
        unsigned s = plant->temperatures[i] < RSCP_PVI_MAX_TEMPERATURES ? plant->temperatures[i]
                                                                        : RSCP_PVI_MAX_TEMPERATURES;
        rscp_pvi_request(b, i, t, s);
    }
    for (unsigned i = 0; i < RSCP_PM_MAX_METERS && (what & RSCP_PLANT_REQ_METERS); i++)
        if ((plant->meters >> i) & 1u)
            rscp_pm_request(b, i);
    for (unsigned i = 0; i < RSCP_WB_MAX_WALLBOXES && (what & RSCP_PLANT_REQ_WALLBOXES); i++)
        if ((plant->wallboxes >> i) & 1u)
            rscp_wallbox_request(b, i, RSCP_WB_REQ_ALL);
    return rscp_builder_error(b);
}
