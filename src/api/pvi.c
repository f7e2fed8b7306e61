/* The PV inverter (PVI.REQ_DATA / PVI.DATA): trackers, phases, sensors. */
#include "rscp/pvi.h"

#include <string.h>

#include "api/fields.h"
#include "rscp/tag_ids.h"
#include "rscp/types.h"

#define P(tag, kind, member, bit) RSCP__FIELD(tag, kind, struct rscp_pvi, member, bit)

static const struct rscp__field pvi_fields[] = {
    P(RSCP_TAG_PVI_ON_GRID, RSCP__F_BOOL, on_grid, RSCP_PVI_ON_GRID),
    RSCP__FIELD_STR(RSCP_TAG_PVI_STATE, struct rscp_pvi, state, RSCP_PVI_STATE),
    P(RSCP_TAG_PVI_USED_STRING_COUNT, RSCP__F_UINT, used_trackers, RSCP_PVI_USED_TRACKERS),
    P(RSCP_TAG_PVI_DC_MAX_STRING_COUNT, RSCP__F_UINT, max_trackers, RSCP_PVI_MAX_TRACKER_COUNT),
    P(RSCP_TAG_PVI_AC_MAX_PHASE_COUNT, RSCP__F_UINT, phase_count, RSCP_PVI_PHASE_COUNT),
    P(RSCP_TAG_PVI_TEMPERATURE_COUNT, RSCP__F_UINT, temperature_count, RSCP_PVI_TEMPERATURE_COUNT),
    P(RSCP_TAG_PVI_TYPE, RSCP__F_UINT, type, RSCP_PVI_TYPE),
};
#undef P

static const uint32_t pvi_scalar_requests[] = {
    RSCP_TAG_PVI_REQ_ON_GRID,
    RSCP_TAG_PVI_REQ_STATE,
    RSCP_TAG_PVI_REQ_USED_STRING_COUNT,
    RSCP_TAG_PVI_REQ_DC_MAX_STRING_COUNT,
    RSCP_TAG_PVI_REQ_AC_MAX_PHASE_COUNT,
    RSCP_TAG_PVI_REQ_TEMPERATURE_COUNT,
    RSCP_TAG_PVI_REQ_TYPE,
};

static const uint32_t tracker_requests[] = {
    RSCP_TAG_PVI_REQ_DC_POWER,
    RSCP_TAG_PVI_REQ_DC_VOLTAGE,
    RSCP_TAG_PVI_REQ_DC_CURRENT,
    RSCP_TAG_PVI_REQ_DC_STRING_ENERGY_ALL,
};

static const uint32_t phase_requests[] = {
    RSCP_TAG_PVI_REQ_AC_POWER,
    RSCP_TAG_PVI_REQ_AC_VOLTAGE,
    RSCP_TAG_PVI_REQ_AC_CURRENT,
    RSCP_TAG_PVI_REQ_AC_ENERGY_ALL,
};

int rscp_pvi_request(struct rscp_builder *b, unsigned index, unsigned trackers, unsigned temperatures)
{
    if (!b)
        return RSCP_ERR_ARG;
    if (index >= RSCP_PVI_MAX_INVERTERS || trackers > RSCP_PVI_MAX_TRACKERS ||
        temperatures > RSCP_PVI_MAX_TEMPERATURES)
        return RSCP_ERR_RANGE;
    rscp_put_container_open(b, RSCP_TAG_PVI_REQ_DATA);
    rscp_put_uint16(b, RSCP_TAG_PVI_INDEX, (uint16_t)index);
    for (size_t i = 0; i < RSCP__COUNT(pvi_scalar_requests); i++)
        rscp_put_none(b, pvi_scalar_requests[i]);
    rscp_put_uchar8(b, RSCP_TAG_PVI_REQ_AC_FREQUENCY, 0);
    for (unsigned k = 0; k < trackers; k++)
        for (size_t i = 0; i < RSCP__COUNT(tracker_requests); i++)
            rscp_put_uchar8(b, tracker_requests[i], (uint8_t)k);
    for (unsigned k = 0; k < RSCP_PVI_MAX_PHASES; k++)
        for (size_t i = 0; i < RSCP__COUNT(phase_requests); i++)
            rscp_put_uchar8(b, phase_requests[i], (uint8_t)k);
    for (unsigned k = 0; k < temperatures; k++)
        rscp_put_uchar8(b, RSCP_TAG_PVI_REQ_TEMPERATURE, (uint8_t)k);
    rscp_put_container_close(b);
    return rscp_builder_error(b);
}

/* Indexed answers: container tag -> which array, which member, which bit. */
enum { IX_TRACKER, IX_PHASE, IX_TEMPERATURE, IX_FREQUENCY };

struct indexed {
    uint32_t tag;
    uint8_t array;
    uint8_t member; /* 0 power, 1 voltage, 2 current, 3 energy */
};

static const struct indexed pvi_indexed[] = {
    {RSCP_TAG_PVI_DC_POWER, IX_TRACKER, 0},       {RSCP_TAG_PVI_DC_VOLTAGE, IX_TRACKER, 1},
    {RSCP_TAG_PVI_DC_CURRENT, IX_TRACKER, 2},     {RSCP_TAG_PVI_DC_STRING_ENERGY_ALL, IX_TRACKER, 3},
    {RSCP_TAG_PVI_AC_POWER, IX_PHASE, 0},         {RSCP_TAG_PVI_AC_VOLTAGE, IX_PHASE, 1},
    {RSCP_TAG_PVI_AC_CURRENT, IX_PHASE, 2},       {RSCP_TAG_PVI_AC_ENERGY_ALL, IX_PHASE, 3},
    {RSCP_TAG_PVI_TEMPERATURE, IX_TEMPERATURE, 0}, {RSCP_TAG_PVI_AC_FREQUENCY, IX_FREQUENCY, 0},
};

static const uint32_t member_bit[4] = {RSCP_PVI_POWER, RSCP_PVI_VOLTAGE, RSCP_PVI_CURRENT, RSCP_PVI_ENERGY};

/* Store v as member m of a tracker or phase (same layout of values). */
static void put_member(double *power, double *voltage, double *current, double *energy, uint32_t *present,
                       unsigned m, double v)
{
    double *dst[4] = {power, voltage, current, energy};
    *dst[m] = v;
    *present |= member_bit[m];
}

static void count_up(uint32_t *n, uint64_t k)
{
    if (k < UINT32_MAX && *n < (uint32_t)k + 1u)
        *n = (uint32_t)k + 1u;
}

struct pvi_ctx {
    uint64_t index;
    struct rscp_pvi *out;
    bool found;
};

static int pvi_other(void *ctx, const struct rscp_block *blk)
{
    struct rscp_pvi *out = ctx;
    const struct indexed *ix = NULL;
    for (size_t i = 0; i < RSCP__COUNT(pvi_indexed); i++)
        if (pvi_indexed[i].tag == blk->tag)
            ix = &pvi_indexed[i];
    if (!ix || blk->type != RSCP_TYPE_CONTAINER)
        return 0;
    uint64_t k;
    double v;
    int rc = rscp__indexed_number(blk, RSCP_TAG_PVI_INDEX, RSCP_TAG_PVI_VALUE, &k, &v, &out->device_errors);
    if (rc == RSCP_ERR_TRUNCATED || rc == RSCP_ERR_BLOCK_OVERRUN)
        return rc;
    if (rc != 0)
        return 0;
    switch (ix->array) {
    case IX_TRACKER:
        count_up(&out->n_trackers, k);
        if (k < RSCP_PVI_MAX_TRACKERS) {
            struct rscp_pvi_tracker *t = &out->tracker[k];
            put_member(&t->power, &t->voltage, &t->current, &t->energy, &t->present, ix->member, v);
        }
        break;
    case IX_PHASE:
        if (k < RSCP_PVI_MAX_PHASES) {
            struct rscp_pvi_phase *p = &out->phase[k];
            put_member(&p->power, &p->voltage, &p->current, &p->energy, &p->present, ix->member, v);
        }
        break;
    case IX_TEMPERATURE:
        count_up(&out->n_temperatures, k);
        if (k < RSCP_PVI_MAX_TEMPERATURES) {
            out->temperature[k] = v;
            out->temperature_present |= 1u << k;
        }
        break;
    default:
        if (k == 0) {
            out->frequency = v;
            out->present |= RSCP_PVI_FREQUENCY;
        }
        break;
    }
    return 0;
}

static int pvi_unit(void *ctx, uint64_t index, const struct rscp_block *c)
{
    struct pvi_ctx *x = ctx;
    if (index != x->index)
        return 0;
    x->found = true;
    return rscp__fields_fill(c, pvi_fields, RSCP__COUNT(pvi_fields), x->out, &x->out->present,
                             &x->out->device_errors, pvi_other, x->out);
}

int rscp_pvi_parse(const struct rscp_frame *f, unsigned index, struct rscp_pvi *out)
{
    if (!f || !out)
        return RSCP_ERR_ARG;
    memset(out, 0, sizeof *out);
    out->index = (uint16_t)index;
    struct pvi_ctx x = {index, out, false};
    int rc = rscp__each_unit(f, RSCP_TAG_PVI_DATA, RSCP_TAG_PVI_INDEX, pvi_unit, &x, NULL);
    if (rc < 0)
        return rc;
    return x.found ? 0 : RSCP_ERR_NOT_FOUND;
}
