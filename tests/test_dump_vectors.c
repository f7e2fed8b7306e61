/* Text and JSON dumps of the vectors: every single-block encoding, whole
 * frames (plain and pretty JSON, text), nested containers and the other text
 * forms (device errors, unknown tags and types, bad lengths).
 *
 * Expected strings are written by hand from the decoded meanings given in
 * tests/data/vectors-public.md and vectors-peers.md (names, values, dates);
 * JSON output is also checked to be valid JSON (dump_testlib.h). */
#include "dump_testlib.h"

#include "rscp/rscp.h"

#include <stdlib.h>
#include <string.h>

/* ---- vectors: one block each -------------------------------------------- */

struct block_case {
    const char *hex;
    const char *json; /* the whole expected array */
};

static const struct block_case block_cases[] = {
    /* vectors-peers.md section 3 */
    {"0100860301010001", "[{\"tag\":\"0x03860001\",\"name\":\"BAT.DEVICE_CONNECTED\",\"type\":\"BOOL\",\"value\":true}]"},
    {"0100860301010000", "[{\"tag\":\"0x03860001\",\"name\":\"BAT.DEVICE_CONNECTED\",\"type\":\"BOOL\",\"value\":false}]"},
    {"08000003000000", "[{\"tag\":\"0x03000008\",\"name\":\"BAT.REQ_CHARGE_CYCLES\",\"type\":\"NONE\",\"value\":null}]"},
    {"0e00800a0f0c002b6adf640000000000000000",
     "[{\"tag\":\"0x0A80000E\",\"name\":\"INFO.TIME\",\"type\":\"TIMESTAMP\",\"value\":{\"seconds\":1692363307,"
     "\"nanoseconds\":0}}]"},
    {"0401800102010012", "[{\"tag\":\"0x01800104\",\"name\":\"EMS.RES_POWERSAVE_ENABLED\",\"type\":\"CHAR8\",\"value\":18}]"},
    {"0800800103010012", "[{\"tag\":\"0x01800008\",\"name\":\"EMS.BAT_SOC\",\"type\":\"UCHAR8\",\"value\":18}]"},
    {"010004030402006400", "[{\"tag\":\"0x03040001\",\"name\":\"BAT.INDEX\",\"type\":\"INT16\",\"value\":100}]"},
    {"010004030502006400", "[{\"tag\":\"0x03040001\",\"name\":\"BAT.INDEX\",\"type\":\"UINT16\",\"value\":100}]"},
    {"420080010604005c040000", "[{\"tag\":\"0x01800042\",\"name\":\"EMS.BAT_CHARGE_LIMIT\",\"type\":\"INT32\",\"value\":1116}]"},
    {"030100010704005c040000",
     "[{\"tag\":\"0x01000103\",\"name\":\"EMS.DISCHARGE_START_POWER\",\"type\":\"UINT32\",\"value\":1116}]"},
    {"01018003080800ffffffffffffff7f",
     "[{\"tag\":\"0x03800101\",\"name\":\"BAT.DCB_LAST_MESSAGE_TIMESTAMP\",\"type\":\"INT64\",\"value\":"
     "9223372036854775807}]"},
    {"01018003090800ffffffffffffff7f",
     "[{\"tag\":\"0x03800101\",\"name\":\"BAT.DCB_LAST_MESSAGE_TIMESTAMP\",\"type\":\"UINT64\",\"value\":"
     "9223372036854775807}]"},
    /* 312.4f: the shortest decimal that reads back as this float */
    {"030080030a040033339c43", "[{\"tag\":\"0x03800003\",\"name\":\"BAT.CURRENT\",\"type\":\"FLOAT32\",\"value\":312.4}]"},
    {"060080050b08003f355eba71111341",
     "[{\"tag\":\"0x05800006\",\"name\":\"PM.ENERGY_L1\",\"type\":\"DOUBLE64\",\"value\":312412.432}]"},
    {"0a0080030c010001", "[{\"tag\":\"0x0380000A\",\"name\":\"BAT.STATUS_CODE\",\"type\":\"BITFIELD\",\"value\":\"01\"}]"},
    {"0c0080030d180045787472656d6520706f77657266756c2062617474657279",
     "[{\"tag\":\"0x0380000C\",\"name\":\"BAT.DEVICE_NAME\",\"type\":\"CSTRING\",\"value\":\"Extreme powerful battery\"}]"},
    {"1020040e100300010567", "[{\"tag\":\"0x0E042010\",\"name\":\"WB.EXTERN_DATA\",\"type\":\"BYTEARRAY\",\"value\":\"010567\"}]"},
    {"000004030e22000c0080030d040074657374030080030b08005c8fc2f5983be0400100860301010000",
     "[{\"tag\":\"0x03040000\",\"name\":\"BAT.REQ_DATA\",\"type\":\"CONTAINER\",\"value\":["
     "{\"tag\":\"0x0380000C\",\"name\":\"BAT.DEVICE_NAME\",\"type\":\"CSTRING\",\"value\":\"test\"},"
     "{\"tag\":\"0x03800003\",\"name\":\"BAT.CURRENT\",\"type\":\"DOUBLE64\",\"value\":33244.78},"
     "{\"tag\":\"0x03860001\",\"name\":\"BAT.DEVICE_CONNECTED\",\"type\":\"BOOL\",\"value\":false}]}]"},
    {"000180030502000004", "[{\"tag\":\"0x03800100\",\"name\":\"BAT.DCB_INDEX\",\"type\":\"UINT16\",\"value\":1024}]"},
    {"010080000301000a010080000301000a",
     "[{\"tag\":\"0x00800001\",\"name\":\"RSCP.AUTHENTICATION\",\"type\":\"UCHAR8\",\"value\":10},"
     "{\"tag\":\"0x00800001\",\"name\":\"RSCP.AUTHENTICATION\",\"type\":\"UCHAR8\",\"value\":10}]"},
    /* the RS item vectors (tag 0) */
    {"00000000020100ff", "[{\"tag\":\"0x00000000\",\"name\":\"RSCP.REQ_LIST_NON_PAIRED_DEVICE_TYPE_EVCS\",\"type\":\"CHAR8\",\"value\":-1}]"},
    {"00000000040200ffff", "[{\"tag\":\"0x00000000\",\"name\":\"RSCP.REQ_LIST_NON_PAIRED_DEVICE_TYPE_EVCS\",\"type\":\"INT16\",\"value\":-1}]"},
    {"00000000080800ffffffffffffffff", "[{\"tag\":\"0x00000000\",\"name\":\"RSCP.REQ_LIST_NON_PAIRED_DEVICE_TYPE_EVCS\",\"type\":\"INT64\",\"value\":-1}]"},
    {"000000000a04000000803f", "[{\"tag\":\"0x00000000\",\"name\":\"RSCP.REQ_LIST_NON_PAIRED_DEVICE_TYPE_EVCS\",\"type\":\"FLOAT32\",\"value\":1}]"},
    {"000000000b0800000000000000f03f", "[{\"tag\":\"0x00000000\",\"name\":\"RSCP.REQ_LIST_NON_PAIRED_DEVICE_TYPE_EVCS\",\"type\":\"DOUBLE64\",\"value\":1}]"},
    {"000000000c020055aa", "[{\"tag\":\"0x00000000\",\"name\":\"RSCP.REQ_LIST_NON_PAIRED_DEVICE_TYPE_EVCS\",\"type\":\"BITFIELD\",\"value\":\"55aa\"}]"},
    {"000000000f0c004e61bc000000000040e20100",
     "[{\"tag\":\"0x00000000\",\"name\":\"RSCP.REQ_LIST_NON_PAIRED_DEVICE_TYPE_EVCS\",\"type\":\"TIMESTAMP\",\"value\":"
     "{\"seconds\":12345678,\"nanoseconds\":123456}}]"},
    {"00000000ff040001000000",
     "[{\"tag\":\"0x00000000\",\"name\":\"RSCP.REQ_LIST_NON_PAIRED_DEVICE_TYPE_EVCS\",\"type\":\"ERROR\",\"value\":"
     "{\"code\":1,\"name\":\"NOT_HANDLED\"}}]"},
    /* unknown tag and unknown type (peers section 4) */
    {"111111090d040074657374", "[{\"tag\":\"0x09111111\",\"name\":null,\"type\":\"CSTRING\",\"value\":\"test\"}]"},
    {"0c008003aa040074657374", "[{\"tag\":\"0x0380000C\",\"name\":\"BAT.DEVICE_NAME\",\"type\":\"0xAA\",\"value\":\"74657374\"}]"},
    /* UCHAR8 with length 0 and INT32 with 3 bytes: raw hex */
    {"010080000300000a", NULL}, /* structure: trailing byte, see below */
    {"01008000030000" "00000000000000",
     "[{\"tag\":\"0x00800001\",\"name\":\"RSCP.AUTHENTICATION\",\"type\":\"UCHAR8\",\"value\":\"\"},"
     "{\"tag\":\"0x00000000\",\"name\":\"RSCP.REQ_LIST_NON_PAIRED_DEVICE_TYPE_EVCS\",\"type\":\"NONE\",\"value\":null}]"},
    {"01008000060300010203",
     "[{\"tag\":\"0x00800001\",\"name\":\"RSCP.AUTHENTICATION\",\"type\":\"INT32\",\"value\":\"010203\"}]"},
    /* ERROR with the UNEXPECTED code and one without a name */
    {"ffffff01ff0400ffffffff",
     "[{\"tag\":\"0x01FFFFFF\",\"name\":\"EMS.GENERAL_ERROR\",\"type\":\"ERROR\",\"value\":{\"code\":4294967295,\"name\":"
     "\"UNEXPECTED\"}}]"},
    {"ffffff01ff040009000000",
     "[{\"tag\":\"0x01FFFFFF\",\"name\":\"EMS.GENERAL_ERROR\",\"type\":\"ERROR\",\"value\":{\"code\":9,\"name\":null}}]"},
    /* empty container and empty byte array */
    {"000004030e0000", "[{\"tag\":\"0x03040000\",\"name\":\"BAT.REQ_DATA\",\"type\":\"CONTAINER\",\"value\":[]}]"},
    {"1020040e100000", "[{\"tag\":\"0x0E042010\",\"name\":\"WB.EXTERN_DATA\",\"type\":\"BYTEARRAY\",\"value\":\"\"}]"},
};

static void test_block_vectors(void)
{
    for (size_t i = 0; i < sizeof block_cases / sizeof block_cases[0]; i++) {
        if (!block_cases[i].json)
            continue;
        int rc;
        const char *got = dt_json_hex(block_cases[i].hex, 0, &rc);
        CHECK_INT(rc, 0);
        CHECK_STR(got, block_cases[i].json);
        CHECK(dt_json_valid(got));
        /* pretty output is valid JSON too and differs only in white space */
        got = dt_json_hex(block_cases[i].hex, RSCP_DUMP_PRETTY, &rc);
        CHECK_INT(rc, 0);
        CHECK(dt_json_valid(got));
        char squeezed[4096];
        size_t k = 0;
        bool in_str = false;
        for (const char *p = got; *p && k + 1 < sizeof squeezed; p++) {
            if (*p == '"' && (p == got || p[-1] != '\\'))
                in_str = !in_str;
            if (!in_str && (*p == ' ' || *p == '\n'))
                continue;
            squeezed[k++] = *p;
        }
        squeezed[k] = '\0';
        CHECK_STR(squeezed, block_cases[i].json);
    }
}

/* ---- frames --------------------------------------------------------------- */

/* Decode the vector frame with this name (checked) into *f; returns the
 * bytes f points into (caller frees). */
static uint8_t *decode_vector(const char *name, struct rscp_frame *f)
{
    size_t n;
    uint8_t *p = th_unhex(th_frame_hex(name), &n);
    CHECK_INT(rscp_frame_decode(p, n, NULL, f, NULL), 0);
    return p;
}

/* The JSON (json true) or text dump of f in dt_out, checked to succeed. */
static const char *frame_dump(const struct rscp_frame *f, bool json, unsigned flags)
{
    struct rscp_strbuf sb;
    rscp_strbuf_init(&sb, dt_out, sizeof dt_out);
    int rc = json ? rscp_json_frame(f, flags, rscp_strbuf_sink, &sb) : rscp_dump_frame(f, flags, rscp_strbuf_sink, &sb);
    CHECK_INT(rc, 0);
    return dt_out;
}

static void test_frames(void)
{
    /* P2: response with two INT32 values */
    struct rscp_frame f;
    uint8_t *p = decode_vector("P2", &f);
    CHECK_STR(frame_dump(&f, true, 0),
              "{\"seconds\":1695199355,\"nanoseconds\":19685000,\"crc\":true,\"blocks\":["
              "{\"tag\":\"0x01800001\",\"name\":\"EMS.POWER_PV\",\"type\":\"INT32\",\"value\":4687},"
              "{\"tag\":\"0x01800002\",\"name\":\"EMS.POWER_BAT\",\"type\":\"INT32\",\"value\":2139}]}");
    CHECK_STR(frame_dump(&f, true, RSCP_DUMP_PRETTY), "{\n"
                                                      "  \"seconds\": 1695199355,\n"
                                                      "  \"nanoseconds\": 19685000,\n"
                                                      "  \"crc\": true,\n"
                                                      "  \"blocks\": [\n"
                                                      "    {\n"
                                                      "      \"tag\": \"0x01800001\",\n"
                                                      "      \"name\": \"EMS.POWER_PV\",\n"
                                                      "      \"type\": \"INT32\",\n"
                                                      "      \"value\": 4687\n"
                                                      "    },\n"
                                                      "    {\n"
                                                      "      \"tag\": \"0x01800002\",\n"
                                                      "      \"name\": \"EMS.POWER_BAT\",\n"
                                                      "      \"type\": \"INT32\",\n"
                                                      "      \"value\": 2139\n"
                                                      "    }\n"
                                                      "  ]\n"
                                                      "}");
    CHECK_STR(frame_dump(&f, false, 0),
              "frame 2023-09-20T08:42:35.019685000Z (1695199355 s, 19685000 ns), CRC yes, 22 data bytes\n"
              "  EMS.POWER_PV (0x01800001) INT32 = 4687\n"
              "  EMS.POWER_BAT (0x01800002) INT32 = 2139\n");
    free(p);

    /* F2: no CRC, negative seconds (1234-05-06T07:08:09.123456Z) */
    p = decode_vector("F2", &f);
    CHECK_STR(frame_dump(&f, false, 0),
              "frame 1234-05-06T07:08:09.123456000Z (-23215049511 s, 123456000 ns), CRC no, 8 data bytes\n"
              "  RSCP.AUTHENTICATION (0x00800001) UCHAR8 = 10\n");
    CHECK_STR(frame_dump(&f, true, 0),
              "{\"seconds\":-23215049511,\"nanoseconds\":123456000,\"crc\":false,\"blocks\":["
              "{\"tag\":\"0x00800001\",\"name\":\"RSCP.AUTHENTICATION\",\"type\":\"UCHAR8\",\"value\":10}]}");
    free(p);

    /* P1: request; NONE blocks */
    p = decode_vector("P1", &f);
    CHECK_STR(frame_dump(&f, false, 0),
              "frame 2023-09-20T08:42:32.818989000Z (1695199352 s, 818989000 ns), CRC yes, 14 data bytes\n"
              "  EMS.REQ_POWER_PV (0x01000001) NONE\n"
              "  EMS.REQ_POWER_BAT (0x01000002) NONE\n");
    free(p);

    /* F11: 1970-05-23T21:21:18.000123Z */
    p = decode_vector("F11", &f);
    CHECK_STR(frame_dump(&f, false, 0),
              "frame 1970-05-23T21:21:18.000123456Z (12345678 s, 123456 ns), CRC yes, 7 data bytes\n"
              "  INFO.REQ_SERIAL_NUMBER (0x0A000001) NONE\n");
    free(p);
}

/* R1's decrypted frame: nested containers, timestamp, floats, bools. */
static void test_nested_text(void)
{
    int rc;
    const char *got = dt_text_hex(
        "000084030e4900010004030502000000000086030e1800010086030101000102008603010100010300860301010000010080030a"
        "0400000000000a008003070400000000000b008003070400000000000e00800a0f0c00d9744698faffffff00ca5b078b0080010e"
        "44000001000101010001010100010604009411000002010001060400941100000301000107040041000000040100010101000005"
        "010001010100000601000106040000000000",
        0, &rc);
    CHECK_INT(rc, 0);
    CHECK_STR(got, "BAT.DATA (0x03840000) CONTAINER [73 bytes]\n"
                   "  BAT.INDEX (0x03040001) UINT16 = 0\n"
                   "  BAT.DEVICE_STATE (0x03860000) CONTAINER [24 bytes]\n"
                   "    BAT.DEVICE_CONNECTED (0x03860001) BOOL = true\n"
                   "    BAT.DEVICE_WORKING (0x03860002) BOOL = true\n"
                   "    BAT.DEVICE_IN_SERVICE (0x03860003) BOOL = false\n"
                   "  BAT.RSOC (0x03800001) FLOAT32 = 0\n"
                   "  BAT.STATUS_CODE (0x0380000A) UINT32 = 0\n"
                   "  BAT.ERROR_CODE (0x0380000B) UINT32 = 0\n"
                   "INFO.TIME (0x0A80000E) TIMESTAMP = 1234-05-06T07:08:09.123456000Z (-23215049511 s, 123456000 ns)\n"
                   "EMS.GET_POWER_SETTINGS (0x0180008B) CONTAINER [68 bytes]\n"
                   "  EMS.POWER_LIMITS_USED (0x01000100) BOOL = true\n"
                   "  EMS.MAX_CHARGE_POWER (0x01000101) INT32 = 4500\n"
                   "  EMS.MAX_DISCHARGE_POWER (0x01000102) INT32 = 4500\n"
                   "  EMS.DISCHARGE_START_POWER (0x01000103) UINT32 = 65\n"
                   "  EMS.POWERSAVE_ENABLED (0x01000104) BOOL = false\n"
                   "  EMS.WEATHER_REGULATED_CHARGE_ENABLED (0x01000105) BOOL = false\n"
                   "  EMS.WEATHER_FORECAST_MODE (0x01000106) INT32 = 0\n");
    /* the same as JSON is valid and holds the timestamp object */
    got = dt_json_hex("0e00800a0f0c00d9744698faffffff00ca5b07", 0, &rc);
    CHECK_STR(got, "[{\"tag\":\"0x0A80000E\",\"name\":\"INFO.TIME\",\"type\":\"TIMESTAMP\",\"value\":"
                   "{\"seconds\":-23215049511,\"nanoseconds\":123456000}}]");

    /* the other text forms */
    got = dt_text_hex("00000000ff040007000000ffffff01ff040009000000111111090d040074657374"
                      "0c008003aa040074657374010080000603000102031020040e100000",
                      0, &rc);
    CHECK_INT(rc, 0);
    CHECK_STR(got, "RSCP.REQ_LIST_NON_PAIRED_DEVICE_TYPE_EVCS (0x00000000) ERROR = UNKNOWN_TAG (7)\n"
                   "EMS.GENERAL_ERROR (0x01FFFFFF) ERROR = unknown device error (9)\n"
                   "0x09111111 CSTRING = \"test\"\n"
                   "BAT.DEVICE_NAME (0x0380000C) 0xAA = 74657374\n"
                   "RSCP.AUTHENTICATION (0x00800001) INT32 = 010203 (bad length 3, INT32 has 4)\n"
                   "WB.EXTERN_DATA (0x0E042010) BYTEARRAY = (empty)\n");
}

int main(void)
{
    test_block_vectors();
    test_frames();
    test_nested_text();
    return th_finish();
}
