/* The typed API (rscp/api.h): request blocks against bytes written out by
 * hand from the tag list and the vectors (F7 history template, R1 BAT.DATA),
 * and reply parsing of frames built with the builder. */
#include "harness.h"
#include "rscp/api.h"
#include "rscp/builder.h"
#include "rscp/frame.h"
#include "rscp/tag_ids.h"

#include <stdlib.h>
#include <string.h>

static size_t build_blocks(uint8_t *buf, size_t cap, int (*fn)(struct rscp_builder *))
{
    struct rscp_builder b;
    rscp_builder_init(&b, buf, cap);
    CHECK_INT(fn(&b), 0);
    size_t n = 0;
    CHECK_INT(rscp_builder_finish(&b, &n), 0);
    return n;
}

static void test_live_request(void)
{
    uint8_t buf[256];
    size_t n = build_blocks(buf, sizeof buf, rscp_live_request);
    /* 11 NONE blocks: tag LE, type 00, length 0000 (ids from tags.tsv). */
    size_t want_len;
    uint8_t *want = th_unhex("01000001 000000  02000001 000000  04000001 000000  03000001 000000"
                             "1f000001 000000  20000001 000000  05000001 000000  08000001 000000"
                             "06000001 000000  07000001 000000  40000001 000000",
                             &want_len);
    CHECK_MEM(buf, n, want, want_len);
    free(want);

    /* NOSPACE is reported, not overrun. */
    struct rscp_builder b;
    rscp_builder_init(&b, buf, 20);
    CHECK_INT(rscp_live_request(&b), RSCP_ERR_NOSPACE);
}

static void test_live_parse(void)
{
    /* Vector P2 of vectors-public.md: POWER_PV 4687, POWER_BAT 2139. */
    size_t len;
    uint8_t *p2 = th_unhex("e3dc00117bb00a6500000000885e2c011600010080010604004f120000020080010604005b08000058156e18",
                           &len);
    struct rscp_frame f;
    CHECK_INT(rscp_frame_decode(p2, len, NULL, &f, NULL), 0);
    struct rscp_live live;
    CHECK_INT(rscp_live_parse(&f, &live), 0);
    CHECK_INT(live.present, RSCP_LIVE_PV | RSCP_LIVE_BAT);
    CHECK_INT(live.pv, 4687);
    CHECK_INT(live.bat, 2139);
    CHECK_INT(live.time.seconds, 1695199355);
    CHECK_INT(live.time.nanoseconds, 19685000);
    free(p2);

    /* A full reply, with the types devices use, an unknown tag and an error. */
    uint8_t buf[512];
    struct rscp_builder b;
    struct rscp_timestamp ts = {1700000000, 5};
    rscp_builder_begin_frame(&b, buf, sizeof buf, &ts, true);
    rscp_put_int32(&b, 0x01800001, 5000);    /* PV        */
    rscp_put_int32(&b, 0x01800002, -1000);   /* BAT       */
    rscp_put_int32(&b, 0x01800004, -800);    /* GRID      */
    rscp_put_int32(&b, 0x01800003, 3000);    /* HOME      */
    rscp_put_int32(&b, 0x0180001F, 2500);    /* WB_ALL    */
    rscp_put_int32(&b, 0x01800020, 1000);    /* WB_SOLAR  */
    rscp_put_int32(&b, 0x01800005, -300);    /* ADD: production is negative */
    rscp_put_uchar8(&b, 0x01800008, 57);     /* BAT_SOC   */
    rscp_put_float32(&b, 0x01800006, 87.5f); /* AUTARKY   */
    rscp_put_cstr(&b, 0x01FF0000, "unknown tag, skipped");
    rscp_put_error(&b, 0x01800007, 6);       /* SELF_CONSUMPTION: NOT_AVAILABLE */
    rscp_put_uint32(&b, 0x01800040, 0x23);   /* STATUS    */
    size_t n;
    CHECK_INT(rscp_builder_finish(&b, &n), 0);
    CHECK_INT(rscp_frame_decode(buf, n, NULL, &f, NULL), 0);
    CHECK_INT(rscp_live_parse(&f, &live), 0);
    CHECK_INT(live.present, RSCP_LIVE_ALL & ~RSCP_LIVE_SELF_CONSUMPTION);
    CHECK_INT(live.device_errors, 1);
    CHECK_INT(live.pv, 5000);
    CHECK_INT(live.bat, -1000);
    CHECK_INT(live.grid, -800);
    CHECK_INT(live.home, 3000);
    CHECK_INT(live.wb_all, 2500);
    CHECK_INT(live.wb_solar, 1000);
    CHECK_INT(live.add, 300);
    CHECK(live.soc == 57.0);
    CHECK(live.autarky == 87.5);
    CHECK_INT(live.status, 0x23);
    CHECK_INT(live.time.seconds, 1700000000);
    /* the balance the sign conventions promise */
    CHECK_INT(live.pv + live.add + live.grid, live.home + live.bat + live.wb_all);

    /* A broken block structure is an error. */
    uint8_t bad[] = {0x01, 0x00, 0x80, 0x01, 0x06, 0x09, 0x00, 1, 2, 3, 4};
    struct rscp_frame fb = {0, 0, false, bad, (uint16_t)sizeof bad};
    CHECK(rscp_live_parse(&fb, &live) < 0);
}

static void test_info(void)
{
    uint8_t buf[1024];
    size_t n = build_blocks(buf, sizeof buf, rscp_info_request);
    size_t want_len;
    uint8_t *want = th_unhex("0100000a 000000  0200000a 000000  1900000a 000000  0a00000a 000000"
                             "0800000a 000000  1000000a 000000  0e00000a 000000  0f00000a 000000",
                             &want_len);
    CHECK_MEM(buf, n, want, want_len);
    free(want);

    struct rscp_builder b;
    struct rscp_timestamp ts = {1700000000, 0};
    rscp_builder_begin_frame(&b, buf, sizeof buf, &ts, true);
    rscp_put_cstr(&b, 0x0A800001, "S10-123456789");
    rscp_put_cstr(&b, 0x0A800019, "H20_2023_024");
    rscp_put_cstr(&b, 0x0A80000A, "00:11:22:33:44:55");
    rscp_put_cstr(&b, 0x0A800010, "Europe/Berlin");
    rscp_put_timestamp(&b, 0x0A80000E, 1700000000 + 3600 + 4, 0); /* local = UTC + 1 h, read 4 s later */
    rscp_put_timestamp(&b, 0x0A80000F, 1700000000, 0);
    rscp_put_error(&b, 0x0A800008, 6);
    char longs[300];
    memset(longs, 'x', sizeof longs);
    rscp_put_string(&b, 0x0A800002, longs, sizeof longs);
    CHECK_INT(rscp_builder_finish(&b, &n), 0);
    struct rscp_frame f;
    CHECK_INT(rscp_frame_decode(buf, n, NULL, &f, NULL), 0);
    struct rscp_info info;
    CHECK_INT(rscp_info_parse(&f, &info), 0);
    CHECK(strcmp(info.serial, "S10-123456789") == 0);
    CHECK(strcmp(info.sw_release, "H20_2023_024") == 0);
    CHECK(strcmp(info.mac, "00:11:22:33:44:55") == 0);
    CHECK(strcmp(info.time_zone, "Europe/Berlin") == 0);
    CHECK_INT(strlen(info.production_date), RSCP_INFO_STR_MAX - 1);
    CHECK(!(info.present & RSCP_INFO_IP));
    CHECK_INT(info.device_errors, 1);
    int32_t off = 0;
    CHECK_INT(rscp_info_utc_offset(&info, &off), 0);
    CHECK_INT(off, 3600);
    info.time.seconds = info.utc_time.seconds - 5 * 3600 - 1800 + 2; /* UTC-05:30 */
    CHECK_INT(rscp_info_utc_offset(&info, &off), 0);
    CHECK_INT(off, -(5 * 3600 + 1800));
    /* Extreme peer timestamps: out of range, not an overflow. */
    info.time.seconds = INT64_MAX;
    info.utc_time.seconds = INT64_MIN;
    CHECK_INT(rscp_info_utc_offset(&info, &off), RSCP_ERR_RANGE);
    info.time.seconds = INT64_MIN;
    info.utc_time.seconds = INT64_MAX;
    CHECK_INT(rscp_info_utc_offset(&info, &off), RSCP_ERR_RANGE);
    info.time.seconds = INT64_MAX;
    info.utc_time.seconds = INT64_MAX - 3600;
    CHECK_INT(rscp_info_utc_offset(&info, &off), 0);
    CHECK_INT(off, 3600);
    info.time.seconds = INT64_MIN + 100;
    info.utc_time.seconds = INT64_MIN + 1900;
    CHECK_INT(rscp_info_utc_offset(&info, &off), 0);
    CHECK_INT(off, -1800);
    info.time.seconds = 3 * 86400;
    info.utc_time.seconds = 0;
    CHECK_INT(rscp_info_utc_offset(&info, &off), RSCP_ERR_RANGE);
    info.present &= ~RSCP_INFO_UTC_TIME;
    CHECK_INT(rscp_info_utc_offset(&info, &off), RSCP_ERR_NOT_FOUND);
}

static void test_history_request(void)
{
    /* Vector F7 (vectors-peers.md): the DB.REQ_HISTORY_DATA_DAY template with
     * TIME_START at frame offset 32, TIME_INTERVAL at 51, TIME_SPAN at 70. */
    size_t tlen;
    uint8_t *tmpl = th_unhex("e3dc00110000000000000000000000004000000100060e3900010100060f0c0000000000000000000000"
                             "0000020100060f0c00000000000000000000000000030100060f0c00000000000000000000000000aaaaaaaa",
                             &tlen);
    CHECK_INT(tlen, 86);
    const int64_t start = 1714514400, interval = 900, span = 86400;
    for (int i = 0; i < 8; i++) {
        tmpl[32 + i] = (uint8_t)(start >> (8 * i));
        tmpl[51 + i] = (uint8_t)(interval >> (8 * i));
        tmpl[70 + i] = (uint8_t)(span >> (8 * i));
    }
    uint8_t buf[128];
    struct rscp_builder b;
    rscp_builder_init(&b, buf, sizeof buf);
    CHECK_INT(rscp_history_request(&b, RSCP_HISTORY_DAY, start, 900, 86400), 0);
    size_t n;
    CHECK_INT(rscp_builder_finish(&b, &n), 0);
    CHECK_MEM(buf, n, tmpl + 18, 64);
    free(tmpl);

    CHECK_INT(rscp_history_tag(RSCP_HISTORY_DAY), 0x06000100);
    CHECK_INT(rscp_history_tag(RSCP_HISTORY_WEEK), 0x06000200);
    CHECK_INT(rscp_history_tag(RSCP_HISTORY_MONTH), 0x06000300);
    CHECK_INT(rscp_history_tag(RSCP_HISTORY_YEAR), 0x06000400);
    CHECK_INT(rscp_history_tag(4), 0);
    rscp_builder_init(&b, buf, sizeof buf);
    CHECK_INT(rscp_history_request(&b, 7, start, 900, 86400), RSCP_ERR_ARG);
    CHECK_INT(rscp_history_request(&b, RSCP_HISTORY_DAY, start, 0, 86400), RSCP_ERR_ARG);
}

/* The start value is the device's local wall time written as if it were
 * UTC: from a date, or from an instant and the device's offset. */
static void test_history_start(void)
{
    int64_t st = -1;
    CHECK_INT(rscp_history_start_of_date(1970, 1, 1, &st), 0);
    CHECK_INT(st, 0);
    CHECK_INT(rscp_history_start_of_date(2024, 6, 20, &st), 0);
    CHECK_INT(st, 1718841600); /* 2024-06-20T00:00:00Z */
    CHECK_INT(rscp_history_start_of_date(2024, 2, 29, &st), 0);
    CHECK_INT(st, 1709164800);
    CHECK_INT(rscp_history_start_of_date(2000, 3, 1, &st), 0);
    CHECK_INT(st, 951868800);
    CHECK_INT(rscp_history_start_of_date(9999, 12, 31, &st), 0);
    CHECK_INT(st, 253402214400);
    int64_t keep = st;
    static const int bad[][3] = {{2023, 2, 29}, {2024, 13, 1}, {2024, 0, 1}, {2024, 4, 31}, {2024, 1, 0},
                                 {1969, 12, 31}, {10000, 1, 1}, {2100, 2, 29}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_INT(rscp_history_start_of_date(bad[i][0], bad[i][1], bad[i][2], &st), RSCP_ERR_ARG);
    CHECK_INT(st, keep); /* untouched on error */
    CHECK_INT(rscp_history_start_of_date(2024, 6, 20, NULL), RSCP_ERR_ARG);
    /* Local midnight of 2024-06-20 in Berlin (UTC+2) is the instant
     * 1718834400; the device wants it as 1718841600. */
    CHECK_INT(rscp_history_start_of_instant(1718834400, 7200), 1718841600);
    CHECK_INT(rscp_history_start_of_instant(1718841600, -5 * 3600), 1718823600);
    CHECK_INT(rscp_history_start_of_instant(1718841600, 0), 1718841600);
}

static void put_values(struct rscp_builder *b, uint32_t tag, float base)
{
    rscp_put_container_open(b, tag);
    rscp_put_float32(b, 0x06800001, base);          /* GRAPH_INDEX   */
    rscp_put_float32(b, 0x06800002, base + 1);      /* BAT_POWER_IN  */
    rscp_put_float32(b, 0x06800003, base + 2);      /* BAT_POWER_OUT */
    rscp_put_float32(b, 0x06800004, base + 3);      /* DC_POWER      */
    rscp_put_float32(b, 0x06800005, base + 4);      /* GRID_POWER_IN (export) */
    rscp_put_float32(b, 0x06800006, base + 5);      /* GRID_POWER_OUT (import) */
    rscp_put_float32(b, 0x06800007, base + 6);      /* CONSUMPTION   */
    rscp_put_float32(b, 0x0680000D, 50.0f);         /* AUTARKY       */
    rscp_put_cstr(b, 0x0680FFFE, "unknown");
    rscp_put_container_close(b);
}

static void test_history_parse(void)
{
    uint8_t buf[1024];
    struct rscp_builder b;
    struct rscp_timestamp ts = {1700000000, 0};
    rscp_builder_begin_frame(&b, buf, sizeof buf, &ts, true);
    rscp_put_container_open(&b, 0x06800200); /* HISTORY_DATA_WEEK */
    put_values(&b, 0x06800020, 0);
    put_values(&b, 0x06800010, 100); /* the sum may come anywhere */
    put_values(&b, 0x06800020, 10);
    put_values(&b, 0x06800020, 20);
    rscp_put_container_close(&b);
    size_t n;
    CHECK_INT(rscp_builder_finish(&b, &n), 0);
    struct rscp_frame f;
    CHECK_INT(rscp_frame_decode(buf, n, NULL, &f, NULL), 0);

    struct rscp_history_values sum, rows[4];
    size_t nrows = 99;
    CHECK_INT(rscp_history_parse(&f, RSCP_HISTORY_WEEK, &sum, rows, 4, &nrows, NULL), 0);
    CHECK_INT(nrows, 3);
    CHECK(sum.pv == 103.0 && sum.grid_in == 104.0 && sum.home == 106.0 && sum.autarky == 50.0);
    CHECK(rows[0].bat_in == 1.0 && rows[1].bat_out == 12.0 && rows[2].grid_out == 25.0);
    CHECK(rows[2].present & RSCP_HIST_AUTARKY);
    CHECK(!(rows[2].present & RSCP_HIST_SOC));
    /* fewer rows than intervals: only cap stored, all counted */
    CHECK_INT(rscp_history_parse(&f, RSCP_HISTORY_WEEK, &sum, rows, 1, &nrows, NULL), 0);
    CHECK_INT(nrows, 3);
    /* asked for a day: the week container is not the answer */
    CHECK_INT(rscp_history_parse(&f, RSCP_HISTORY_DAY, &sum, rows, 4, &nrows, NULL), RSCP_ERR_NOT_FOUND);

    /* the device refuses the range */
    rscp_builder_begin_frame(&b, buf, sizeof buf, &ts, true);
    rscp_put_error(&b, 0x06800100, 0xFFFFFFFFu);
    CHECK_INT(rscp_builder_finish(&b, &n), 0);
    CHECK_INT(rscp_frame_decode(buf, n, NULL, &f, NULL), 0);
    uint32_t code = 0;
    CHECK_INT(rscp_history_parse(&f, RSCP_HISTORY_DAY, &sum, rows, 4, &nrows, &code), RSCP_ERR_DEVICE);
    CHECK_INT(code, 0xFFFFFFFFu);

    /* HISTORY_DATA of another type: neither rows nor a device error */
    rscp_builder_begin_frame(&b, buf, sizeof buf, &ts, true);
    rscp_put_raw(&b, 0x06800100, RSCP_TYPE_INT16, NULL, 0);
    CHECK_INT(rscp_builder_finish(&b, &n), 0);
    CHECK_INT(rscp_frame_decode(buf, n, NULL, &f, NULL), 0);
    CHECK_INT(rscp_history_parse(&f, RSCP_HISTORY_DAY, &sum, rows, 4, &nrows, &code), RSCP_ERR_TYPE);
}

static void test_index(void)
{
    uint8_t buf[128];
    struct rscp_builder b;
    rscp_builder_init(&b, buf, sizeof buf);
    const uint32_t sub[] = {0x03000001, 0x03000002}; /* BAT.REQ_RSOC, BAT.REQ_MODULE_VOLTAGE */
    CHECK_INT(rscp_index_request(&b, 0x03040000, 0x03040001, -1, 0, sub, 2), 0);
    size_t n;
    CHECK_INT(rscp_builder_finish(&b, &n), 0);
    size_t want_len;
    /* BAT.REQ_DATA CONTAINER 23 bytes { BAT.INDEX UINT16 0, two NONE } */
    uint8_t *want = th_unhex("0000 0403 0e 1700  0100 0403 05 0200 0000  0100 0003 00 0000  0200 0003 00 0000",
                             &want_len);
    CHECK_MEM(buf, n, want, want_len);
    free(want);

    /* WB.REQ_DATA with a UCHAR8 index given explicitly */
    rscp_builder_init(&b, buf, sizeof buf);
    CHECK_INT(rscp_index_request(&b, 0x0E000000, 0x0E000001, 3 /* UCHAR8 */, 2, NULL, 0), 0);
    CHECK_INT(rscp_builder_finish(&b, &n), 0);
    want = th_unhex("0000000e 0e 0800  0100000e 03 0100 02", &want_len);
    CHECK_MEM(buf, n, want, want_len);
    free(want);

    rscp_builder_init(&b, buf, sizeof buf);
    CHECK_INT(rscp_index_request(&b, 0x03040000, 0x03040001, 5 /* UINT16 */, 70000, NULL, 0), RSCP_ERR_RANGE);
    CHECK_INT(rscp_index_request(&b, 0x03040000, 0x03040001, 13 /* CSTRING */, 0, NULL, 0), RSCP_ERR_ARG);

    /* Vector R1 (vectors-peers.md), decrypted: BAT.DATA with BAT.INDEX 0. */
    size_t len;
    uint8_t *r1 = th_unhex(
        "e3dc0011d9744698faffffff00ca5b07ae00000084030e4900010004030502000000000086030e18000100860301010001020086"
        "03010100010300860301010000010080030a0400000000000a008003070400000000000b008003070400000000000e00800a0f0c"
        "00d9744698faffffff00ca5b078b0080010e44000001000101010001010100010604009411000002010001060400941100000301"
        "000107040041000000040100010101000005010001010100000601000106040000000000 9e267071",
        &len);
    struct rscp_frame f;
    CHECK_INT(rscp_frame_decode(r1, len, NULL, &f, NULL), 0);
    struct rscp_block blk;
    CHECK_INT(rscp_index_find(&f, 0x03840000, 0x03040001, 0, &blk), 0);
    CHECK_INT(blk.length, 73);
    uint64_t idx = 9;
    CHECK_INT(rscp_index_parse(&blk, 0x03040001, &idx), 0);
    CHECK_INT(idx, 0);
    CHECK_INT(rscp_index_find(&f, 0x03840000, 0x03040001, 1, &blk), RSCP_ERR_NOT_FOUND);
    CHECK_INT(rscp_count_device_errors(f.data, f.data_len), 0);
    free(r1);
}

static void test_count_errors(void)
{
    uint8_t buf[256];
    struct rscp_builder b;
    rscp_builder_init(&b, buf, sizeof buf);
    rscp_put_error(&b, 0x01800001, 7);
    rscp_put_container_open(&b, 0x03840000);
    rscp_put_uint16(&b, 0x03040001, 0);
    rscp_put_error(&b, 0x03800001, 5);
    rscp_put_container_open(&b, 0x03860000);
    rscp_put_error(&b, 0x03860001, 6);
    rscp_put_container_close(&b);
    rscp_put_container_close(&b);
    size_t n;
    CHECK_INT(rscp_builder_finish(&b, &n), 0);
    CHECK_INT(rscp_count_device_errors(buf, n), 3);
    CHECK(rscp_count_device_errors(buf, n - 1) < 0);
    CHECK_INT(rscp_count_device_errors(NULL, 0), 0);
}

/* A frame shared by several typed requests (live, INFO, battery, PV):
 * each parse counts only the ERROR blocks that answer its own requests. */
static void test_shared_frame_errors(void)
{
    uint8_t buf[512];
    struct rscp_builder b;
    struct rscp_timestamp ts = {1700000000, 0};
    rscp_builder_begin_frame(&b, buf, sizeof buf, &ts, true);
    rscp_put_int32(&b, RSCP_TAG_EMS_POWER_PV, 4000);
    rscp_put_error(&b, RSCP_TAG_EMS_AUTARKY, 6);   /* live: NOT_AVAILABLE   */
    rscp_put_error(&b, RSCP_TAG_BAT_DATA, 6);      /* battery               */
    rscp_put_error(&b, RSCP_TAG_PVI_DATA, 7);      /* PV inverter           */
    rscp_put_cstr(&b, RSCP_TAG_INFO_SERIAL_NUMBER, "S10-1");
    rscp_put_error(&b, RSCP_TAG_INFO_TIME, 6);     /* INFO                  */
    rscp_put_error(&b, RSCP_TAG_INFO_UTC_TIME, 6); /* INFO                  */
    rscp_put_error(&b, RSCP_TAG_EMS_STATUS, 6);    /* live                  */
    rscp_put_error(&b, 0x03FFFFFFu, 4);            /* BAT.GENERAL_ERROR     */
    size_t n;
    CHECK_INT(rscp_builder_finish(&b, &n), 0);
    struct rscp_frame f;
    CHECK_INT(rscp_frame_decode(buf, n, NULL, &f, NULL), 0);
    struct rscp_live live;
    CHECK_INT(rscp_live_parse(&f, &live), 0);
    CHECK_INT(live.present, RSCP_LIVE_PV);
    CHECK_INT(live.pv, 4000);
    CHECK_INT(live.device_errors, 2);
    struct rscp_info info;
    CHECK_INT(rscp_info_parse(&f, &info), 0);
    CHECK_INT(info.present, RSCP_INFO_SERIAL);
    CHECK_INT(info.device_errors, 2);

    /* A GENERAL_ERROR of the RSCP namespace (a busy device) or of the
     * parse's own namespace answers everything. */
    rscp_builder_begin_frame(&b, buf, sizeof buf, &ts, true);
    rscp_put_error(&b, 0x00FFFFFFu, 4);
    rscp_put_error(&b, 0x01FFFFFFu, 4);
    CHECK_INT(rscp_builder_finish(&b, &n), 0);
    CHECK_INT(rscp_frame_decode(buf, n, NULL, &f, NULL), 0);
    CHECK_INT(rscp_live_parse(&f, &live), 0);
    CHECK_INT(live.present, 0);
    CHECK_INT(live.device_errors, 2);
    CHECK_INT(rscp_info_parse(&f, &info), 0);
    CHECK_INT(info.device_errors, 1);
}

int main(void)
{
    test_live_request();
    test_live_parse();
    test_info();
    test_shared_frame_errors();
    test_history_request();
    test_history_start();
    test_history_parse();
    test_index();
    test_count_errors();
    return th_finish();
}
