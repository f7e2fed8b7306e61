/* EMS status names, SET_POWER requests and replies (rscp/ems.h) and the
 * keep-alive state machine (rscp/power_hold.h), driven by a fake clock. */
#include "harness.h"
#include "reply_testlib.h"
#include "rscp/ems.h"
#include "rscp/error.h"
#include "rscp/power_hold.h"
#include "rscp/tag_ids.h"
#include "rscp/types.h"

#include <stdlib.h>
#include <string.h>

static void test_status_names(void)
{
    char buf[256];
    CHECK(strcmp(rscp_ems_status_bit_name(RSCP_EMS_STATUS_CHARGE_LOCKED), "charging locked") == 0);
    CHECK(strcmp(rscp_ems_status_bit_name(0x10), "feed-in limited") == 0);
    CHECK(strcmp(rscp_ems_status_bit_id(0x40), "discharge_idle_period") == 0);
    CHECK(rscp_ems_status_bit_name(0x80) == NULL);
    CHECK(rscp_ems_status_bit_name(0x03) == NULL); /* not a single bit */
    CHECK(rscp_ems_status_bit_name(0) == NULL);
    /* Every known bit has a name and an id, and they are distinct. */
    for (uint32_t bit = 1; bit <= 0x40; bit <<= 1) {
        CHECK(rscp_ems_status_bit_name(bit) != NULL);
        CHECK(rscp_ems_status_bit_id(bit) != NULL);
        for (uint32_t other = bit << 1; other <= 0x40; other <<= 1)
            CHECK(strcmp(rscp_ems_status_bit_id(bit), rscp_ems_status_bit_id(other)) != 0);
    }

    CHECK_INT(rscp_ems_status_format(0, buf, sizeof buf), 4);
    CHECK(strcmp(buf, "none") == 0);
    size_t n = rscp_ems_status_format(0x11, buf, sizeof buf);
    CHECK(strcmp(buf, "charging locked, feed-in limited") == 0);
    CHECK_INT(n, strlen(buf));
    rscp_ems_status_format(0x304, buf, sizeof buf);
    CHECK(strcmp(buf, "emergency power available, 0x300") == 0);
    rscp_ems_status_format(0x100, buf, sizeof buf);
    CHECK(strcmp(buf, "0x100") == 0);
    /* Cut output: NUL-terminated, the needed length returned. */
    char small[8];
    memset(small, 'x', sizeof small);
    n = rscp_ems_status_format(0x01, small, sizeof small);
    CHECK_INT(n, strlen("charging locked"));
    CHECK(strcmp(small, "chargin") == 0);
    CHECK_INT(rscp_ems_status_format(0x01, NULL, 0), strlen("charging locked"));
}

static void test_modes(void)
{
    int mode = -1;
    CHECK(strcmp(rscp_power_mode_name(RSCP_POWER_GRID_CHARGE), "grid_charge") == 0);
    CHECK(rscp_power_mode_name(5) == NULL);
    CHECK(rscp_power_mode_name(-1) == NULL);
    for (int m = RSCP_POWER_AUTO; m <= RSCP_POWER_GRID_CHARGE; m++) {
        CHECK_INT(rscp_power_mode_lookup(rscp_power_mode_name(m), &mode), 0);
        CHECK_INT(mode, m);
    }
    CHECK_INT(rscp_power_mode_lookup("grid-charge", &mode), 0);
    CHECK_INT(mode, RSCP_POWER_GRID_CHARGE);
    CHECK_INT(rscp_power_mode_lookup("Charge", &mode), RSCP_ERR_UNKNOWN_NAME);
    CHECK_INT(rscp_power_mode_lookup("", &mode), RSCP_ERR_UNKNOWN_NAME);
    CHECK_INT(rscp_power_mode_lookup(NULL, &mode), RSCP_ERR_ARG);
}

/* The request's mode and value, read back from the bytes. */
static void check_set_power(const uint8_t *buf, size_t n, uint8_t mode, int32_t watts)
{
    struct rscp_block c = blocks_at(buf, n, (const uint32_t[]){RSCP_TAG_EMS_REQ_SET_POWER}, 1);
    CHECK_INT(c.type, RSCP_TYPE_CONTAINER);
    struct rscp_block m, v;
    uint8_t got_mode = 0xFF;
    int32_t got_watts = -1;
    CHECK_INT(rscp_block_find(&c, RSCP_TAG_EMS_REQ_SET_POWER_MODE, &m), 0);
    CHECK_INT(rscp_block_get_uchar8(&m, &got_mode), 0);
    CHECK_INT(rscp_block_find(&c, RSCP_TAG_EMS_REQ_SET_POWER_VALUE, &v), 0);
    CHECK_INT(rscp_block_get_int32(&v, &got_watts), 0);
    CHECK_INT(got_mode, mode);
    CHECK_INT(got_watts, watts);
}

static void test_set_power_request(void)
{
    uint8_t buf[64];
    struct rscp_builder b;

    blocks_begin(&b, buf, sizeof buf);
    CHECK_INT(rscp_set_power_request(&b, RSCP_POWER_CHARGE, 3000), 0);
    size_t n = blocks_end(&b);
    /* The exact bytes: container 0x01000030 (14 bytes) holding
     * 0x01000031 UCHAR8 3 and 0x01000032 INT32 3000. */
    size_t want_len;
    uint8_t *want = th_unhex("30000001 0e 1300  31000001 03 0100 03  32000001 06 0400 b80b0000", &want_len);
    CHECK_MEM(buf, n, want, want_len);
    free(want);

    blocks_begin(&b, buf, sizeof buf);
    CHECK_INT(rscp_set_power_request(&b, RSCP_POWER_IDLE, 0), 0);
    check_set_power(buf, blocks_end(&b), 1, 0);
    blocks_begin(&b, buf, sizeof buf);
    CHECK_INT(rscp_set_power_request(&b, RSCP_POWER_GRID_CHARGE, RSCP_SET_POWER_MAX_W), 0);
    check_set_power(buf, blocks_end(&b), 4, RSCP_SET_POWER_MAX_W);

    /* Out of range: nothing written. */
    blocks_begin(&b, buf, sizeof buf);
    CHECK_INT(rscp_set_power_request(&b, RSCP_POWER_CHARGE, 0), RSCP_ERR_RANGE);
    CHECK_INT(rscp_set_power_request(&b, RSCP_POWER_DISCHARGE, -5), RSCP_ERR_RANGE);
    CHECK_INT(rscp_set_power_request(&b, RSCP_POWER_CHARGE, RSCP_SET_POWER_MAX_W + 1), RSCP_ERR_RANGE);
    CHECK_INT(rscp_set_power_request(&b, RSCP_POWER_AUTO, 100), RSCP_ERR_RANGE);
    CHECK_INT(rscp_set_power_request(&b, RSCP_POWER_IDLE, 1), RSCP_ERR_RANGE);
    CHECK_INT(rscp_set_power_request(&b, 5, 100), RSCP_ERR_ARG);
    CHECK_INT(rscp_set_power_request(NULL, RSCP_POWER_AUTO, 0), RSCP_ERR_ARG);
    CHECK_INT(blocks_end(&b), 0);

    /* A full builder is the builder's error. */
    blocks_begin(&b, buf, 10);
    CHECK_INT(rscp_set_power_request(&b, RSCP_POWER_CHARGE, 1), RSCP_ERR_NOSPACE);
}

static void test_set_power_parse(void)
{
    uint8_t buf[128];
    struct rscp_builder b;
    struct rscp_frame f;
    int64_t v = 0;
    uint32_t code = 0;

    reply_begin(&b, buf, sizeof buf);
    rscp_put_int32(&b, RSCP_TAG_EMS_SET_POWER, 2500);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_set_power_parse(&f, &v, &code), 0);
    CHECK_INT(v, 2500);

    /* Another integer width is accepted. */
    reply_begin(&b, buf, sizeof buf);
    rscp_put_uint16(&b, RSCP_TAG_EMS_SET_POWER, 7);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_set_power_parse(&f, &v, NULL), 0);
    CHECK_INT(v, 7);

    reply_begin(&b, buf, sizeof buf);
    rscp_put_error(&b, RSCP_TAG_EMS_SET_POWER, 2);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_set_power_parse(&f, &v, &code), RSCP_ERR_DEVICE);
    CHECK_INT(code, 2);

    reply_begin(&b, buf, sizeof buf);
    rscp_put_cstr(&b, RSCP_TAG_EMS_SET_POWER, "x");
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_set_power_parse(&f, &v, NULL), RSCP_ERR_TYPE);

    reply_begin(&b, buf, sizeof buf);
    rscp_put_int32(&b, RSCP_TAG_EMS_POWER_PV, 1);
    reply_end(&b, buf, &f);
    CHECK_INT(rscp_set_power_parse(&f, &v, NULL), RSCP_ERR_NOT_FOUND);
    CHECK_INT(rscp_set_power_parse(NULL, &v, NULL), RSCP_ERR_ARG);
}

/* One exchange with the hold at now: writes what is due and returns the
 * mode written (-1: nothing); answers it with a reply mirroring `mirror`
 * (INT64_MIN: mirror the value sent). */
static int exchange(rscp_power_hold *h, int64_t now, int64_t mirror, int *reply_rc)
{
    uint8_t req[64], rep[64];
    struct rscp_builder b;
    blocks_begin(&b, req, sizeof req);
    int rc = rscp_power_hold_put(h, &b, now);
    if (rc != 1) {
        CHECK_INT(rc, 0);
        return -1;
    }
    size_t n = blocks_end(&b);
    struct rscp_block c = blocks_at(req, n, (const uint32_t[]){RSCP_TAG_EMS_REQ_SET_POWER}, 1);
    struct rscp_block blk;
    uint8_t mode = 0xFF;
    int32_t watts = 0;
    CHECK_INT(rscp_block_find(&c, RSCP_TAG_EMS_REQ_SET_POWER_MODE, &blk), 0);
    CHECK_INT(rscp_block_get_uchar8(&blk, &mode), 0);
    CHECK_INT(rscp_block_find(&c, RSCP_TAG_EMS_REQ_SET_POWER_VALUE, &blk), 0);
    CHECK_INT(rscp_block_get_int32(&blk, &watts), 0);

    struct rscp_frame f;
    reply_begin(&b, rep, sizeof rep);
    rscp_put_int32(&b, RSCP_TAG_EMS_SET_POWER, mirror == INT64_MIN ? watts : (int32_t)mirror);
    reply_end(&b, rep, &f);
    int64_t got = -1;
    *reply_rc = rscp_power_hold_reply(h, &f, &got);
    return mode;
}

static void test_hold_lifecycle(void)
{
    rscp_power_hold *h = NULL;
    struct rscp_power_hold_config cfg;
    rscp_power_hold_config_init(&cfg);
    CHECK_INT(cfg.interval_ms, RSCP_POWER_HOLD_DEFAULT_INTERVAL_MS);
    cfg.seed = 42;
    CHECK_INT(rscp_power_hold_new(&h, &cfg), 0);
    struct rscp_power_hold_status st;
    rscp_power_hold_status(h, &st);
    CHECK_INT(st.state, RSCP_HOLD_OFF);
    CHECK(rscp_power_hold_next(h) == INT64_MAX);
    int rrc = 99;
    CHECK_INT(exchange(h, 0, INT64_MIN, &rrc), -1); /* nothing due while OFF */

    /* Charge 3000 W for 60 s starting at t = 1000 ms. */
    CHECK_INT(rscp_power_hold_start(h, RSCP_POWER_CHARGE, 3000, 1000, 60000), 0);
    CHECK_INT(rscp_power_hold_next(h), 1000);
    CHECK_INT(exchange(h, 999, INT64_MIN, &rrc), -1); /* not yet due */
    CHECK_INT(exchange(h, 1000, INT64_MIN, &rrc), RSCP_POWER_CHARGE);
    CHECK_INT(rrc, 0);

    /* Resent every period: never more than 10 s apart, never less than
     * interval - jitter; the periods vary (jitter); the hold sends AUTO
     * exactly once, at its end. */
    int64_t now = 1000, last = 1000, min_gap = INT64_MAX, max_gap = 0;
    int sends = 1, autos = 0;
    while (now < 80000) {
        int64_t next = rscp_power_hold_next(h);
        if (next == INT64_MAX)
            break;
        CHECK(next > now);
        now = next;
        int mode = exchange(h, now, INT64_MIN, &rrc);
        CHECK(mode >= 0);
        CHECK_INT(rrc, 0);
        if (mode == RSCP_POWER_AUTO) {
            autos++;
            CHECK_INT(now, 61000); /* the end, to the millisecond */
        } else {
            CHECK_INT(mode, RSCP_POWER_CHARGE);
            int64_t gap = now - last;
            min_gap = gap < min_gap ? gap : min_gap;
            max_gap = gap > max_gap ? gap : max_gap;
        }
        last = now;
        sends++;
    }
    CHECK_INT(autos, 1);
    CHECK(max_gap <= (int64_t)cfg.interval_ms);
    CHECK(max_gap <= RSCP_POWER_HOLD_MAX_INTERVAL_MS);
    CHECK(min_gap >= (int64_t)(cfg.interval_ms - cfg.jitter_ms));
    CHECK(min_gap < max_gap);
    rscp_power_hold_status(h, &st);
    CHECK_INT(st.state, RSCP_HOLD_OFF);
    CHECK_INT(st.sent, (uint32_t)sends);
    CHECK_INT(st.replies, (uint32_t)sends);
    CHECK_INT(st.mismatches, 0);
    /* After the end: nothing more, ever, and a stop changes nothing. */
    rscp_power_hold_stop(h);
    CHECK_INT(exchange(h, 200000, INT64_MIN, &rrc), -1);
    CHECK(rscp_power_hold_next(h) == INT64_MAX);
    rscp_power_hold_free(h);
}

static void test_hold_stop_and_replies(void)
{
    rscp_power_hold *h = NULL;
    CHECK_INT(rscp_power_hold_new(&h, NULL), 0);
    int rrc = 99;

    /* A reply before any request is a state error. */
    uint8_t rep[64];
    struct rscp_builder b;
    struct rscp_frame f;
    reply_begin(&b, rep, sizeof rep);
    rscp_put_int32(&b, RSCP_TAG_EMS_SET_POWER, 0);
    reply_end(&b, rep, &f);
    CHECK_INT(rscp_power_hold_reply(h, &f, NULL), RSCP_ERR_STATE);

    /* Idle until stopped: the device mirrors 0, as sent. */
    CHECK_INT(rscp_power_hold_start(h, RSCP_POWER_IDLE, 0, 0, 0), 0);
    CHECK_INT(exchange(h, 0, INT64_MIN, &rrc), RSCP_POWER_IDLE);
    CHECK_INT(rrc, 0);
    /* Without a duration it goes on for an hour (and more). */
    int64_t now = 0;
    for (int i = 0; i < 1000 && now < 3600 * 1000; i++) {
        now = rscp_power_hold_next(h);
        CHECK_INT(exchange(h, now, INT64_MIN, &rrc), RSCP_POWER_IDLE);
    }
    CHECK(now >= 3600 * 1000);

    /* A device that mirrors another value: reported, the hold goes on, and
     * no AUTO follows (the reply never causes one). */
    now = rscp_power_hold_next(h);
    CHECK_INT(exchange(h, now, 1234, &rrc), RSCP_POWER_IDLE);
    CHECK_INT(rrc, 1);
    now = rscp_power_hold_next(h);
    CHECK_INT(exchange(h, now, INT64_MIN, &rrc), RSCP_POWER_IDLE);
    struct rscp_power_hold_status st;
    rscp_power_hold_status(h, &st);
    CHECK_INT(st.mismatches, 1);
    CHECK_INT(st.state, RSCP_HOLD_ACTIVE);

    /* An ERROR reply is counted. */
    reply_begin(&b, rep, sizeof rep);
    rscp_put_error(&b, RSCP_TAG_EMS_SET_POWER, 4);
    reply_end(&b, rep, &f);
    CHECK_INT(rscp_power_hold_reply(h, &f, NULL), RSCP_ERR_DEVICE);
    rscp_power_hold_status(h, &st);
    CHECK_INT(st.device_errors, 1);

    /* Stop twice: one AUTO, due at once, then nothing. */
    rscp_power_hold_stop(h);
    rscp_power_hold_stop(h);
    rscp_power_hold_status(h, &st);
    CHECK_INT(st.state, RSCP_HOLD_ENDING);
    CHECK_INT(exchange(h, now, INT64_MIN, &rrc), RSCP_POWER_AUTO);
    CHECK_INT(exchange(h, now + 1, INT64_MIN, &rrc), -1);
    CHECK_INT(exchange(h, now + 100000, INT64_MIN, &rrc), -1);
    rscp_power_hold_stop(h);
    CHECK_INT(exchange(h, now + 200000, INT64_MIN, &rrc), -1);

    /* A new start replaces a running hold; AUTO as a start ends it once;
     * AUTO from OFF is sent once. */
    CHECK_INT(rscp_power_hold_start(h, RSCP_POWER_DISCHARGE, 500, 0, 0), 0);
    CHECK_INT(exchange(h, 0, INT64_MIN, &rrc), RSCP_POWER_DISCHARGE);
    CHECK_INT(rscp_power_hold_start(h, RSCP_POWER_GRID_CHARGE, 800, 10, 0), 0);
    CHECK_INT(exchange(h, 10, INT64_MIN, &rrc), RSCP_POWER_GRID_CHARGE);
    CHECK_INT(rscp_power_hold_start(h, RSCP_POWER_AUTO, 0, 20, 0), 0);
    CHECK_INT(exchange(h, 20, INT64_MIN, &rrc), RSCP_POWER_AUTO);
    CHECK_INT(exchange(h, 30000, INT64_MIN, &rrc), -1);
    CHECK_INT(rscp_power_hold_start(h, RSCP_POWER_AUTO, 0, 40000, 0), 0);
    CHECK_INT(exchange(h, 40000, INT64_MIN, &rrc), RSCP_POWER_AUTO);
    CHECK_INT(exchange(h, 50000, INT64_MIN, &rrc), -1);

    /* Bad starts change nothing. */
    CHECK_INT(rscp_power_hold_start(h, RSCP_POWER_CHARGE, 0, 0, 0), RSCP_ERR_RANGE);
    CHECK_INT(rscp_power_hold_start(h, 9, 10, 0, 0), RSCP_ERR_ARG);
    CHECK_INT(rscp_power_hold_start(h, RSCP_POWER_CHARGE, 10, 0, -1), RSCP_ERR_ARG);
    rscp_power_hold_status(h, &st);
    CHECK_INT(st.state, RSCP_HOLD_OFF);

    /* A builder without room: the request stays due. */
    CHECK_INT(rscp_power_hold_start(h, RSCP_POWER_CHARGE, 100, 0, 0), 0);
    uint8_t tiny[8];
    blocks_begin(&b, tiny, sizeof tiny);
    CHECK_INT(rscp_power_hold_put(h, &b, 0), RSCP_ERR_NOSPACE);
    CHECK_INT(exchange(h, 0, INT64_MIN, &rrc), RSCP_POWER_CHARGE);
    rscp_power_hold_free(h);
    rscp_power_hold_free(NULL);
}

static void test_hold_config(void)
{
    rscp_power_hold *h = NULL;
    struct rscp_power_hold_config cfg = {RSCP_POWER_HOLD_MAX_INTERVAL_MS + 1, 0, 1};
    CHECK_INT(rscp_power_hold_new(&h, &cfg), RSCP_ERR_ARG);
    cfg = (struct rscp_power_hold_config){0, 0, 1};
    CHECK_INT(rscp_power_hold_new(&h, &cfg), RSCP_ERR_ARG);
    cfg = (struct rscp_power_hold_config){4000, 2001, 1};
    CHECK_INT(rscp_power_hold_new(&h, &cfg), RSCP_ERR_ARG);
    CHECK(h == NULL);
    CHECK_INT(rscp_power_hold_new(NULL, NULL), RSCP_ERR_ARG);

    /* Equal seeds give equal periods, other seeds others. */
    int64_t seq[3][6];
    uint64_t seeds[3] = {7, 7, 8};
    for (int k = 0; k < 3; k++) {
        cfg = (struct rscp_power_hold_config){5000, 2000, seeds[k]};
        CHECK_INT(rscp_power_hold_new(&h, &cfg), 0);
        CHECK_INT(rscp_power_hold_start(h, RSCP_POWER_CHARGE, 100, 0, 0), 0);
        int rrc;
        for (int i = 0; i < 6; i++) {
            seq[k][i] = rscp_power_hold_next(h);
            exchange(h, seq[k][i], INT64_MIN, &rrc);
        }
        rscp_power_hold_free(h);
    }
    CHECK(memcmp(seq[0], seq[1], sizeof seq[0]) == 0);
    CHECK(memcmp(seq[0], seq[2], sizeof seq[0]) != 0);
}

int main(void)
{
    test_status_names();
    test_modes();
    test_set_power_request();
    test_set_power_parse();
    test_hold_lifecycle();
    test_hold_stop_and_replies();
    test_hold_config();
    return th_finish();
}
