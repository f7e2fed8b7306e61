/* Wallbox control: the WB.REQ_SET_EXTERN bytes from a wanted end state and
 * the state read before, so that toggles are sent only where needed. */
#include "rscp/wallbox_control.h"

#include "api/fields.h"
#include "api/reply.h"
#include "rscp/api.h"
#include "rscp/error.h"
#include "rscp/tag_ids.h"
#include "rscp/types.h"
#include "rscp/value.h"

int rscp_wallbox_target_check(const struct rscp_wallbox *state, const struct rscp_wallbox_target *want,
                              struct rscp_wallbox_refusal *why)
{
    if (!state || !want)
        return RSCP_ERR_ARG;
    struct rscp_wallbox_refusal r = {0, 0, 0, 0};
    if (want->set & RSCP_WBT_CURRENT) {
        int64_t min = RSCP_WB_CURRENT_MIN_A, max = RSCP_WB_CURRENT_MAX_A;
        if ((state->present & RSCP_WB_MIN_CURRENT) && state->min_current > 0 && state->min_current <= max)
            min = state->min_current;
        if ((state->present & RSCP_WB_MAX_CHARGE_CURRENT) && state->max_charge_current >= min &&
            state->max_charge_current <= 255)
            max = state->max_charge_current;
        if (want->current_a < min || want->current_a > max)
            r = (struct rscp_wallbox_refusal){RSCP_WBT_CURRENT, want->current_a, min, max};
    }
    if (r.field == 0 && (want->set & RSCP_WBT_PHASES) && want->phases != 1 && want->phases != 3)
        r = (struct rscp_wallbox_refusal){RSCP_WBT_PHASES, want->phases, 1, 3};
    if (r.field == 0)
        return 0;
    if (why)
        *why = r;
    return RSCP_ERR_RANGE;
}

int rscp_wallbox_set_request(struct rscp_builder *b, unsigned index, const struct rscp_wallbox *state,
                             const struct rscp_wallbox_target *want, uint32_t *changed,
                             struct rscp_wallbox_refusal *why)
{
    if (!b || !state || !want || (want->set & RSCP_WBT_ALL) == 0 || index >= RSCP_WB_MAX_WALLBOXES)
        return RSCP_ERR_ARG;
    int rc = rscp_wallbox_target_check(state, want, why);
    if (rc != 0)
        return rc;

    bool have_status = (state->present & RSCP_WB_STATUS) != 0;
    bool have_current = (state->present & RSCP_WB_MAX_CURRENT) != 0;
    /* The value bytes always travel: from the target, else from the state. */
    if ((!(want->set & RSCP_WBT_MODE) && !have_status) || (!(want->set & RSCP_WBT_CURRENT) && !have_current))
        return RSCP_ERR_NOT_FOUND;
    /* A toggle goes 1 <-> 3: from any other count its effect is unknown. */
    if ((want->set & RSCP_WBT_PHASES) &&
        (!(state->present & RSCP_WB_PHASES_SET) || (state->phases != 1 && state->phases != 3)))
        return RSCP_ERR_NOT_FOUND;
    if ((want->set & RSCP_WBT_SUSPENDED) && !have_status)
        return RSCP_ERR_NOT_FOUND;

    bool sun = want->set & RSCP_WBT_MODE ? want->sun_mode : state->sun_mode;
    uint8_t current = want->set & RSCP_WBT_CURRENT ? want->current_a : state->max_current;
    uint32_t diff = 0;
    if ((want->set & RSCP_WBT_MODE) && (!have_status || want->sun_mode != state->sun_mode))
        diff |= RSCP_WBT_MODE;
    if ((want->set & RSCP_WBT_CURRENT) && (!have_current || want->current_a != state->max_current))
        diff |= RSCP_WBT_CURRENT;
    if ((want->set & RSCP_WBT_PHASES) && want->phases != state->phases)
        diff |= RSCP_WBT_PHASES;
    if ((want->set & RSCP_WBT_SUSPENDED) && want->suspended != state->suspended)
        diff |= RSCP_WBT_SUSPENDED;
    if (changed)
        *changed = diff;
    if (diff == 0)
        return 0;

    uint8_t ext[RSCP_WB_EXTERN_SET_LEN] = {0};
    ext[0] = sun ? 1 : 2;
    ext[1] = current;
    ext[3] = diff & RSCP_WBT_PHASES ? 1 : 0;
    ext[4] = diff & RSCP_WBT_SUSPENDED ? 1 : 0;
    rscp_put_container_open(b, RSCP_TAG_WB_REQ_DATA);
    rscp_put_uchar8(b, RSCP_TAG_WB_INDEX, (uint8_t)index);
    rscp_put_container_open(b, RSCP_TAG_WB_REQ_SET_EXTERN);
    rscp_put_uchar8(b, RSCP_TAG_WB_EXTERN_DATA_LEN, (uint8_t)sizeof ext);
    rscp_put_bytes(b, RSCP_TAG_WB_EXTERN_DATA, ext, sizeof ext);
    rscp_put_container_close(b);
    rscp_put_container_close(b);
    rc = rscp_builder_error(b);
    return rc != 0 ? rc : 1;
}

/* The child `tag` of wallbox `index`'s WB.DATA in f: every WB.DATA of that
 * index is looked in (a frame with one WB.REQ_DATA per setting has one
 * WB.DATA per setting). */
static int wb_answer(const struct rscp_frame *f, unsigned index, uint32_t tag, struct rscp_block *out,
                     uint32_t *device_error)
{
    if (!f)
        return RSCP_ERR_ARG;
    struct rscp_iter it;
    struct rscp_block blk;
    bool unit = false, refused = false;
    uint32_t code = 0;
    int rc;
    rscp_iter_init(&it, f->data, f->data_len);
    while ((rc = rscp_iter_next(&it, &blk)) == 1) {
        if (blk.tag != RSCP_TAG_WB_DATA)
            continue;
        if (blk.type == RSCP_TYPE_ERROR) {
            /* A device that has no such wallbox answers WB.DATA as an ERROR. */
            if (!refused)
                (void)rscp_block_get_error(&blk, &code);
            refused = true;
            continue;
        }
        uint64_t k = 0;
        if (blk.type != RSCP_TYPE_CONTAINER || rscp__container_index(&blk, RSCP_TAG_WB_INDEX, &k) != 0 || k != index)
            continue;
        unit = true;
        int crc = rscp__child_find(&blk, tag, out, device_error);
        if (crc != RSCP_ERR_NOT_FOUND)
            return crc;
    }
    if (rc < 0)
        return rc;
    if (!unit && refused) {
        if (device_error)
            *device_error = code;
        return RSCP_ERR_DEVICE;
    }
    return RSCP_ERR_NOT_FOUND;
}

int rscp_wallbox_set_parse(const struct rscp_frame *f, unsigned index, uint32_t *device_error)
{
    struct rscp_block blk;
    return wb_answer(f, index, RSCP_TAG_WB_SET_EXTERN, &blk, device_error);
}

int rscp_wallbox_min_current_check(const struct rscp_wallbox *state, unsigned amps, struct rscp_wallbox_refusal *why)
{
    int64_t min = RSCP_WB_CURRENT_MIN_A, max = RSCP_WB_CURRENT_MAX_A;
    if (state && (state->present & RSCP_WB_MAX_CHARGE_CURRENT) && state->max_charge_current >= min &&
        state->max_charge_current <= 255)
        max = state->max_charge_current;
    if (state && (state->present & RSCP_WB_MAX_CURRENT) && state->max_current >= min && state->max_current < max)
        max = state->max_current;
    if ((int64_t)amps >= min && (int64_t)amps <= max)
        return 0;
    if (why)
        *why = (struct rscp_wallbox_refusal){RSCP_WBT_MIN_CURRENT, (int64_t)amps, min, max};
    return RSCP_ERR_RANGE;
}

int rscp_wallbox_min_current_request(struct rscp_builder *b, unsigned index, const struct rscp_wallbox *state,
                                     unsigned amps, struct rscp_wallbox_refusal *why)
{
    if (!b || index >= RSCP_WB_MAX_WALLBOXES)
        return RSCP_ERR_ARG;
    int rc = rscp_wallbox_min_current_check(state, amps, why);
    if (rc != 0)
        return rc;
    rscp_put_container_open(b, RSCP_TAG_WB_REQ_DATA);
    rscp_put_uchar8(b, RSCP_TAG_WB_INDEX, (uint8_t)index);
    rscp_put_uchar8(b, RSCP_TAG_WB_REQ_SET_MIN_CHARGE_CURRENT, (uint8_t)amps);
    rscp_put_container_close(b);
    return rscp_builder_error(b);
}

/* The integer answer `tag` of wallbox index's WB.DATA (see wb_answer). */
static int wb_int_answer(const struct rscp_frame *f, unsigned index, uint32_t tag, int64_t *v,
                         uint32_t *device_error)
{
    struct rscp_block blk;
    int rc = wb_answer(f, index, tag, &blk, device_error);
    return rc == 0 ? rscp_block_get_int(&blk, v) : rc;
}

int rscp_wallbox_min_current_parse(const struct rscp_frame *f, unsigned index, int64_t *amps, uint32_t *device_error)
{
    int64_t v = 0;
    int rc = wb_int_answer(f, index, RSCP_TAG_WB_SET_MIN_CHARGE_CURRENT, &v, device_error);
    if (rc == 0 && amps)
        *amps = v;
    return rc;
}

int rscp_wallbox_auto_phase_request(struct rscp_builder *b, unsigned index, bool on)
{
    if (!b || index >= RSCP_WB_MAX_WALLBOXES)
        return RSCP_ERR_ARG;
    rscp_put_container_open(b, RSCP_TAG_WB_REQ_DATA);
    rscp_put_uchar8(b, RSCP_TAG_WB_INDEX, (uint8_t)index);
    rscp_put_bool(b, RSCP_TAG_WB_REQ_SET_AUTO_PHASE_SWITCH_ENABLED, on);
    rscp_put_container_close(b);
    return rscp_builder_error(b);
}

int rscp_wallbox_auto_phase_parse(const struct rscp_frame *f, unsigned index, bool *on, uint32_t *device_error)
{
    int64_t v = 0;
    int rc = wb_int_answer(f, index, RSCP_TAG_WB_SET_AUTO_PHASE_SWITCH_ENABLED, &v, device_error);
    if (rc == 0 && on)
        *on = v != 0;
    return rc;
}
