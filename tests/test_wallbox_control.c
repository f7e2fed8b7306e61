/* Wallbox control (rscp/wallbox_control.h): the WB.REQ_SET_EXTERN bytes for
 * wanted end states against read states; toggles only where the state
 * differs, so that a second call with the state after the first toggles
 * nothing; checks and refusals; the answer. The minimum current and the
 * automatic phase switch: requests, bounds, answers (hand-made frames). */
#include "harness.h"
#include "reply_testlib.h"
#include "rscp/error.h"
#include "rscp/tag_ids.h"
#include "rscp/types.h"
#include "rscp/wallbox_control.h"

#include <string.h>

/* A state as rscp_wallbox_parse() leaves it: sun mode, 16 A, 3 phases,
 * charging. */
static struct rscp_wallbox state_default(void)
{
    struct rscp_wallbox s;
    memset(&s, 0, sizeof s);
    s.present = RSCP_WB_STATUS | RSCP_WB_MAX_CURRENT | RSCP_WB_PHASES_SET | RSCP_WB_MIN_CURRENT |
                RSCP_WB_MAX_CHARGE_CURRENT;
    s.sun_mode = true;
    s.max_current = 16;
    s.phases = 3;
    s.suspended = false;
    s.min_current = 6;
    s.max_charge_current = 32;
    return s;
}

/* The six EXTERN_DATA bytes of a written request (and its index). */
static void read_ext(const uint8_t *buf, size_t n, unsigned index, uint8_t ext[6])
{
    struct rscp_block c = blocks_at(buf, n, (const uint32_t[]){RSCP_TAG_WB_REQ_DATA}, 1);
    struct rscp_block blk;
    uint8_t idx = 0xFF, len = 0;
    CHECK_INT(rscp_block_find(&c, RSCP_TAG_WB_INDEX, &blk), 0);
    CHECK_INT(rscp_block_get_uchar8(&blk, &idx), 0);
    CHECK_INT(idx, index);
    struct rscp_block set = blocks_at(buf, n, (const uint32_t[]){RSCP_TAG_WB_REQ_DATA, RSCP_TAG_WB_REQ_SET_EXTERN}, 2);
    CHECK_INT(rscp_block_find(&set, RSCP_TAG_WB_EXTERN_DATA_LEN, &blk), 0);
    CHECK_INT(rscp_block_get_uchar8(&blk, &len), 0);
    CHECK_INT(len, 6);
    const uint8_t *p = NULL;
    size_t plen = 0;
    CHECK_INT(rscp_block_find(&set, RSCP_TAG_WB_EXTERN_DATA, &blk), 0);
    CHECK_INT(blk.type, RSCP_TYPE_BYTEARRAY);
    CHECK_INT(rscp_block_get_bytes(&blk, &p, &plen), 0);
    CHECK_INT(plen, 6);
    memset(ext, 0xEE, 6);
    if (plen == 6)
        memcpy(ext, p, 6);
}

/* What the device does with a request: the state after it. */
static void apply(struct rscp_wallbox *s, const uint8_t ext[6])
{
    s->sun_mode = ext[0] == 1;
    s->max_current = ext[1];
    if (ext[3])
        s->phases = s->phases == 3 ? 1 : 3;
    if (ext[4])
        s->suspended = !s->suspended;
}

/* Take the wallbox to want; returns what the call returned and leaves the
 * state after the device applied the request. */
static int take(struct rscp_wallbox *s, const struct rscp_wallbox_target *want, uint32_t *changed)
{
    uint8_t buf[128], ext[6];
    struct rscp_builder b;
    blocks_begin(&b, buf, sizeof buf);
    int rc = rscp_wallbox_set_request(&b, 2, s, want, changed, NULL);
    size_t n = blocks_end(&b);
    if (rc == 1) {
        read_ext(buf, n, 2, ext);
        CHECK_INT(ext[2], 0);
        CHECK_INT(ext[5], 0);
        apply(s, ext);
    } else {
        CHECK_INT(n, 0);
    }
    return rc;
}

static void test_idempotent(void)
{
    struct rscp_wallbox s = state_default();
    uint32_t changed = 0;

    /* Mixed mode, 10 A, 1 phase, suspended: all four in one request. */
    struct rscp_wallbox_target want = {RSCP_WBT_ALL, false, 10, 1, true};
    CHECK_INT(take(&s, &want, &changed), 1);
    CHECK_INT(changed, RSCP_WBT_ALL);
    CHECK(!s.sun_mode);
    CHECK_INT(s.max_current, 10);
    CHECK_INT(s.phases, 1);
    CHECK(s.suspended);
    /* The same target again: nothing to send, nothing toggled back. */
    CHECK_INT(take(&s, &want, &changed), 0);
    CHECK_INT(changed, 0);
    CHECK_INT(s.phases, 1);
    CHECK(s.suspended);

    /* Only the phases: the toggle once; the mode and current bytes carry
     * the state's values, so nothing else moves. */
    want = (struct rscp_wallbox_target){.set = RSCP_WBT_PHASES, .phases = 3};
    CHECK_INT(take(&s, &want, &changed), 1);
    CHECK_INT(changed, RSCP_WBT_PHASES);
    CHECK_INT(s.phases, 3);
    CHECK(!s.sun_mode);
    CHECK_INT(s.max_current, 10);
    CHECK(s.suspended);
    CHECK_INT(take(&s, &want, &changed), 0);
    CHECK_INT(s.phases, 3);

    /* Resume: the suspend toggle once. */
    want = (struct rscp_wallbox_target){.set = RSCP_WBT_SUSPENDED, .suspended = false};
    CHECK_INT(take(&s, &want, &changed), 1);
    CHECK(!s.suspended);
    CHECK_INT(take(&s, &want, &changed), 0);
    CHECK(!s.suspended);

    /* Sun mode alone: a value byte, no toggle. */
    want = (struct rscp_wallbox_target){.set = RSCP_WBT_MODE, .sun_mode = true};
    uint8_t buf[128], ext[6];
    struct rscp_builder b;
    blocks_begin(&b, buf, sizeof buf);
    CHECK_INT(rscp_wallbox_set_request(&b, 0, &s, &want, &changed, NULL), 1);
    read_ext(buf, blocks_end(&b), 0, ext);
    const uint8_t want_ext[6] = {1, 10, 0, 0, 0, 0};
    CHECK_MEM(ext, 6, want_ext, 6);
    CHECK_INT(changed, RSCP_WBT_MODE);
}

static void test_checks(void)
{
    struct rscp_wallbox s = state_default();
    struct rscp_wallbox_refusal why;
    uint8_t buf[128];
    struct rscp_builder b;
    blocks_begin(&b, buf, sizeof buf);

    struct rscp_wallbox_target want = {.set = RSCP_WBT_CURRENT, .current_a = 33};
    CHECK_INT(rscp_wallbox_set_request(&b, 0, &s, &want, NULL, &why), RSCP_ERR_RANGE);
    CHECK_INT(why.field, RSCP_WBT_CURRENT);
    CHECK_INT(why.value, 33);
    CHECK_INT(why.min, 6);
    CHECK_INT(why.max, 32);
    want.current_a = 5;
    CHECK_INT(rscp_wallbox_set_request(&b, 0, &s, &want, NULL, &why), RSCP_ERR_RANGE);
    /* The wallbox's own bounds win. */
    s.min_current = 8;
    s.max_charge_current = 16;
    want.current_a = 7;
    CHECK_INT(rscp_wallbox_target_check(&s, &want, &why), RSCP_ERR_RANGE);
    CHECK_INT(why.min, 8);
    want.current_a = 17;
    CHECK_INT(rscp_wallbox_target_check(&s, &want, &why), RSCP_ERR_RANGE);
    CHECK_INT(why.max, 16);
    want.current_a = 16;
    CHECK_INT(rscp_wallbox_target_check(&s, &want, &why), 0);
    /* Without reported bounds: 6..32. */
    s.present &= ~(RSCP_WB_MIN_CURRENT | RSCP_WB_MAX_CHARGE_CURRENT);
    want.current_a = 32;
    CHECK_INT(rscp_wallbox_target_check(&s, &want, &why), 0);

    want = (struct rscp_wallbox_target){.set = RSCP_WBT_PHASES, .phases = 2};
    CHECK_INT(rscp_wallbox_set_request(&b, 0, &s, &want, NULL, &why), RSCP_ERR_RANGE);
    CHECK_INT(why.field, RSCP_WBT_PHASES);

    /* What the decision needs must have been read. */
    s = state_default();
    s.present &= ~RSCP_WB_PHASES_SET;
    want = (struct rscp_wallbox_target){.set = RSCP_WBT_PHASES, .phases = 1};
    CHECK_INT(rscp_wallbox_set_request(&b, 0, &s, &want, NULL, NULL), RSCP_ERR_NOT_FOUND);
    s = state_default();
    s.phases = 2; /* a count a toggle does not lead from */
    CHECK_INT(rscp_wallbox_set_request(&b, 0, &s, &want, NULL, NULL), RSCP_ERR_NOT_FOUND);
    s = state_default();
    s.present &= ~RSCP_WB_STATUS;
    want = (struct rscp_wallbox_target){.set = RSCP_WBT_SUSPENDED, .suspended = true};
    CHECK_INT(rscp_wallbox_set_request(&b, 0, &s, &want, NULL, NULL), RSCP_ERR_NOT_FOUND);
    /* ... unless the target gives both value bytes and needs no toggle. */
    want = (struct rscp_wallbox_target){.set = RSCP_WBT_MODE | RSCP_WBT_CURRENT, .sun_mode = false, .current_a = 12};
    s.present &= ~RSCP_WB_MAX_CURRENT;
    CHECK_INT(rscp_wallbox_set_request(&b, 0, &s, &want, NULL, NULL), 1);
    CHECK(blocks_end(&b) > 0);

    blocks_begin(&b, buf, sizeof buf);
    want = (struct rscp_wallbox_target){.set = 0};
    CHECK_INT(rscp_wallbox_set_request(&b, 0, &s, &want, NULL, NULL), RSCP_ERR_ARG);
    want.set = RSCP_WBT_MODE;
    CHECK_INT(rscp_wallbox_set_request(&b, RSCP_WB_MAX_WALLBOXES, &s, &want, NULL, NULL), RSCP_ERR_ARG);
    CHECK_INT(rscp_wallbox_set_request(NULL, 0, &s, &want, NULL, NULL), RSCP_ERR_ARG);
    CHECK_INT(blocks_end(&b), 0);
}

static void test_answer(void)
{
    uint8_t buf[128];
    struct rscp_builder b;
    struct rscp_frame f;
    uint32_t code = 0;

    reply_begin(&b, buf, sizeof buf);
    rscp_put_container_open(&b, RSCP_TAG_WB_DATA);
    rscp_put_uchar8(&b, RSCP_TAG_WB_INDEX, 1);
    rscp_put_none(&b, RSCP_TAG_WB_SET_EXTERN);
    rscp_put_container_close(&b);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_wallbox_set_parse(&f, 1, &code), 0);
    CHECK_INT(rscp_wallbox_set_parse(&f, 0, &code), RSCP_ERR_NOT_FOUND);

    reply_begin(&b, buf, sizeof buf);
    rscp_put_container_open(&b, RSCP_TAG_WB_DATA);
    rscp_put_uchar8(&b, RSCP_TAG_WB_INDEX, 1);
    rscp_put_error(&b, RSCP_TAG_WB_SET_EXTERN, 2);
    rscp_put_container_close(&b);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_wallbox_set_parse(&f, 1, &code), RSCP_ERR_DEVICE);
    CHECK_INT(code, 2);

    reply_begin(&b, buf, sizeof buf);
    rscp_put_error(&b, RSCP_TAG_WB_DATA, 6);
    reply_end(&b, buf, &f);
    code = 0;
    CHECK_INT(rscp_wallbox_set_parse(&f, 3, &code), RSCP_ERR_DEVICE);
    CHECK_INT(code, 6);
}

/* The value of `tag` inside the written WB.REQ_DATA, with its index. */
static int64_t req_value(const uint8_t *buf, size_t n, unsigned index, uint32_t tag, int type)
{
    struct rscp_block c = blocks_at(buf, n, (const uint32_t[]){RSCP_TAG_WB_REQ_DATA}, 1);
    struct rscp_block blk;
    int64_t v = -1;
    CHECK_INT(rscp_block_find(&c, RSCP_TAG_WB_INDEX, &blk), 0);
    CHECK_INT(rscp_block_get_int(&blk, &v), 0);
    CHECK_INT(v, index);
    CHECK_INT(rscp_block_find(&c, tag, &blk), 0);
    CHECK_INT(blk.type, type);
    v = -1;
    CHECK_INT(rscp_block_get_int(&blk, &v), 0);
    return v;
}

static void test_min_current(void)
{
    uint8_t buf[128];
    struct rscp_builder b;
    struct rscp_wallbox s = state_default(); /* 16 A set, 6..32 A */
    struct rscp_wallbox_refusal why;

    blocks_begin(&b, buf, sizeof buf);
    CHECK_INT(rscp_wallbox_min_current_request(&b, 2, &s, 10, &why), 0);
    size_t n = blocks_end(&b);
    CHECK_INT(req_value(buf, n, 2, RSCP_TAG_WB_REQ_SET_MIN_CHARGE_CURRENT, RSCP_TYPE_UCHAR8), 10);

    /* Bounds: 6 A, the wallbox's max charge current, the current set now. */
    CHECK_INT(rscp_wallbox_min_current_check(&s, 6, &why), 0);
    CHECK_INT(rscp_wallbox_min_current_check(&s, 16, &why), 0);
    memset(&why, 0, sizeof why);
    CHECK_INT(rscp_wallbox_min_current_check(&s, 5, &why), RSCP_ERR_RANGE);
    CHECK_INT(why.field, RSCP_WBT_MIN_CURRENT);
    CHECK_INT(why.value, 5);
    CHECK_INT(why.min, 6);
    CHECK_INT(why.max, 16);
    CHECK_INT(rscp_wallbox_min_current_check(&s, 17, &why), RSCP_ERR_RANGE); /* above the 16 A set */
    s.max_current = 32;
    s.max_charge_current = 20;
    CHECK_INT(rscp_wallbox_min_current_check(&s, 21, &why), RSCP_ERR_RANGE); /* the wallbox's own bound */
    CHECK_INT(why.max, 20);
    s.present = 0; /* nothing known: 6..32 A */
    CHECK_INT(rscp_wallbox_min_current_check(&s, 32, &why), 0);
    CHECK_INT(rscp_wallbox_min_current_check(NULL, 33, &why), RSCP_ERR_RANGE);
    CHECK_INT(why.max, RSCP_WB_CURRENT_MAX_A);

    blocks_begin(&b, buf, sizeof buf);
    CHECK_INT(rscp_wallbox_min_current_request(&b, 0, NULL, 40, NULL), RSCP_ERR_RANGE);
    CHECK_INT(rscp_wallbox_min_current_request(&b, RSCP_WB_MAX_WALLBOXES, NULL, 10, NULL), RSCP_ERR_ARG);
    CHECK_INT(rscp_wallbox_min_current_request(NULL, 0, NULL, 10, NULL), RSCP_ERR_ARG);
    CHECK_INT(blocks_end(&b), 0); /* nothing written */

    /* The answer: any integer width, an ERROR block, a missing one. */
    struct rscp_frame f;
    uint32_t code = 0;
    int64_t amps = 0;
    reply_begin(&b, buf, sizeof buf);
    rscp_put_container_open(&b, RSCP_TAG_WB_DATA);
    rscp_put_uchar8(&b, RSCP_TAG_WB_INDEX, 0);
    rscp_put_int32(&b, RSCP_TAG_WB_SET_MIN_CHARGE_CURRENT, 10);
    rscp_put_container_close(&b);
    rscp_put_container_open(&b, RSCP_TAG_WB_DATA);
    rscp_put_uchar8(&b, RSCP_TAG_WB_INDEX, 1);
    rscp_put_error(&b, RSCP_TAG_WB_SET_MIN_CHARGE_CURRENT, 5);
    rscp_put_container_close(&b);
    rscp_put_container_open(&b, RSCP_TAG_WB_DATA);
    rscp_put_uchar8(&b, RSCP_TAG_WB_INDEX, 2);
    rscp_put_cstr(&b, RSCP_TAG_WB_SET_MIN_CHARGE_CURRENT, "ten");
    rscp_put_container_close(&b);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_wallbox_min_current_parse(&f, 0, &amps, &code), 0);
    CHECK_INT(amps, 10);
    CHECK_INT(rscp_wallbox_min_current_parse(&f, 1, &amps, &code), RSCP_ERR_DEVICE);
    CHECK_INT(code, 5);
    CHECK_INT(rscp_wallbox_min_current_parse(&f, 2, &amps, &code), RSCP_ERR_TYPE);
    CHECK_INT(rscp_wallbox_min_current_parse(&f, 3, &amps, &code), RSCP_ERR_NOT_FOUND);
    /* the other answer is not this one */
    CHECK_INT(rscp_wallbox_auto_phase_parse(&f, 0, NULL, &code), RSCP_ERR_NOT_FOUND);
}

static void test_auto_phase(void)
{
    uint8_t buf[128];
    struct rscp_builder b;
    blocks_begin(&b, buf, sizeof buf);
    CHECK_INT(rscp_wallbox_auto_phase_request(&b, 1, true), 0);
    size_t n = blocks_end(&b);
    CHECK_INT(req_value(buf, n, 1, RSCP_TAG_WB_REQ_SET_AUTO_PHASE_SWITCH_ENABLED, RSCP_TYPE_BOOL), 1);
    blocks_begin(&b, buf, sizeof buf);
    CHECK_INT(rscp_wallbox_auto_phase_request(&b, 0, false), 0);
    n = blocks_end(&b);
    CHECK_INT(req_value(buf, n, 0, RSCP_TAG_WB_REQ_SET_AUTO_PHASE_SWITCH_ENABLED, RSCP_TYPE_BOOL), 0);
    CHECK_INT(rscp_wallbox_auto_phase_request(&b, 8, false), RSCP_ERR_ARG);

    struct rscp_frame f;
    uint32_t code = 0;
    bool on = false;
    reply_begin(&b, buf, sizeof buf);
    rscp_put_container_open(&b, RSCP_TAG_WB_DATA);
    rscp_put_uchar8(&b, RSCP_TAG_WB_INDEX, 0);
    rscp_put_uchar8(&b, RSCP_TAG_WB_SET_AUTO_PHASE_SWITCH_ENABLED, 1); /* an integer for the BOOL */
    rscp_put_container_close(&b);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_wallbox_auto_phase_parse(&f, 0, &on, &code), 0);
    CHECK(on);
    CHECK_INT(rscp_wallbox_auto_phase_parse(&f, 1, &on, &code), RSCP_ERR_NOT_FOUND);
    /* One WB.DATA per setting (one WB.REQ_DATA each in the request): each
     * answer is found in its own. */
    reply_begin(&b, buf, sizeof buf);
    rscp_put_container_open(&b, RSCP_TAG_WB_DATA);
    rscp_put_uchar8(&b, RSCP_TAG_WB_INDEX, 0);
    rscp_put_int32(&b, RSCP_TAG_WB_SET_MIN_CHARGE_CURRENT, 9);
    rscp_put_container_close(&b);
    rscp_put_container_open(&b, RSCP_TAG_WB_DATA);
    rscp_put_uchar8(&b, RSCP_TAG_WB_INDEX, 0);
    rscp_put_bool(&b, RSCP_TAG_WB_SET_AUTO_PHASE_SWITCH_ENABLED, false);
    rscp_put_container_close(&b);
    reply_end(&b, buf, &f);
    int64_t amps = 0;
    on = true;
    CHECK_INT(rscp_wallbox_min_current_parse(&f, 0, &amps, &code), 0);
    CHECK_INT(amps, 9);
    CHECK_INT(rscp_wallbox_auto_phase_parse(&f, 0, &on, &code), 0);
    CHECK(!on);
    reply_begin(&b, buf, sizeof buf);
    rscp_put_error(&b, RSCP_TAG_WB_DATA, 6); /* no such wallbox */
    reply_end(&b, buf, &f);
    code = 0;
    CHECK_INT(rscp_wallbox_auto_phase_parse(&f, 4, &on, &code), RSCP_ERR_DEVICE);
    CHECK_INT(code, 6);
}

int main(void)
{
    test_idempotent();
    test_checks();
    test_answer();
    test_min_current();
    test_auto_phase();
    return th_finish();
}
