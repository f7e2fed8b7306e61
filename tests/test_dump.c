/* Text and JSON dumps.
 *
 * Expected strings are written by hand from the decoded meanings given in
 * shared/rscp/vectors-public.md and vectors-peers.md (names, values, dates).
 * A small JSON reader below checks that every output is valid JSON and
 * decodes strings, so escaping is verified against the documented rule, and
 * floats are read back with strtod/strtof and compared bit for bit. */
#include "harness.h"

#include "rscp/rscp.h"

#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ------------------------------------------------------------- */

#define OUT_CAP 65536
static char out_buf[OUT_CAP];

/* JSON of the blocks given as hex; rc in *rc. */
static const char *json_hex(const char *hex, unsigned flags, int *rc)
{
    size_t n;
    uint8_t *p = th_unhex(hex, &n);
    uint8_t *g = th_guard_copy(p, n);
    struct rscp_strbuf sb;
    rscp_strbuf_init(&sb, out_buf, sizeof out_buf);
    *rc = rscp_json_blocks(g, n, flags, rscp_strbuf_sink, &sb);
    th_guard_free(g, n);
    free(p);
    return out_buf;
}

static const char *text_hex(const char *hex, unsigned flags, int *rc)
{
    size_t n;
    uint8_t *p = th_unhex(hex, &n);
    uint8_t *g = th_guard_copy(p, n);
    struct rscp_strbuf sb;
    rscp_strbuf_init(&sb, out_buf, sizeof out_buf);
    *rc = rscp_dump_blocks(g, n, 0, flags, rscp_strbuf_sink, &sb);
    th_guard_free(g, n);
    free(p);
    return out_buf;
}

static void check_str(const char *got, const char *want, const char *file, int line)
{
    bool ok = strcmp(got, want) == 0;
    th_check(ok, file, line, "dump output");
    if (!ok)
        fprintf(stderr, "  got:  %s\n  want: %s\n", got, want);
}
#define CHECK_STR(got, want) check_str((got), (want), __FILE__, __LINE__)

/* ---- a tiny JSON reader -------------------------------------------------- */

struct jr {
    const char *p, *end;
    bool ok;
};

static void ws(struct jr *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t'))
        r->p++;
}

static bool lit(struct jr *r, const char *s)
{
    size_t n = strlen(s);
    if ((size_t)(r->end - r->p) >= n && memcmp(r->p, s, n) == 0) {
        r->p += n;
        return true;
    }
    return false;
}

static int hexdig(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decode one UTF-8 sequence strictly; returns its length or 0. */
static size_t utf8_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    size_t len;
    uint32_t v, min;
    if ((p[0] & 0xE0) == 0xC0) {
        len = 2;
        v = p[0] & 0x1Fu;
        min = 0x80;
    } else if ((p[0] & 0xF0) == 0xE0) {
        len = 3;
        v = p[0] & 0x0Fu;
        min = 0x800;
    } else if ((p[0] & 0xF8) == 0xF0) {
        len = 4;
        v = p[0] & 0x07u;
        min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        v = v << 6 | (p[i] & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

/* A string literal; code points go to cps (if not NULL, up to *ncp). */
static void jstring(struct jr *r, uint32_t *cps, size_t *ncp, size_t cap)
{
    size_t k = 0;
    if (!lit(r, "\"")) {
        r->ok = false;
        return;
    }
    while (r->ok) {
        if (r->p >= r->end) {
            r->ok = false;
            break;
        }
        unsigned char c = (unsigned char)*r->p;
        uint32_t cp;
        if (c == '"') {
            r->p++;
            break;
        }
        if (c < 0x20) {
            r->ok = false;
            break;
        }
        if (c == '\\') {
            r->p++;
            if (r->p >= r->end) {
                r->ok = false;
                break;
            }
            char e = *r->p++;
            switch (e) {
            case '"': cp = '"'; break;
            case '\\': cp = '\\'; break;
            case '/': cp = '/'; break;
            case 'b': cp = 8; break;
            case 'f': cp = 12; break;
            case 'n': cp = 10; break;
            case 'r': cp = 13; break;
            case 't': cp = 9; break;
            case 'u': {
                if (r->end - r->p < 4) {
                    r->ok = false;
                    return;
                }
                cp = 0;
                for (int i = 0; i < 4; i++) {
                    int d = hexdig(r->p[i]);
                    if (d < 0)
                        r->ok = false;
                    cp = cp << 4 | (uint32_t)(d < 0 ? 0 : d);
                }
                r->p += 4;
                if (cp >= 0xD800 && cp <= 0xDFFF)
                    r->ok = false; /* the dumps never need surrogate pairs */
                break;
            }
            default:
                r->ok = false;
                return;
            }
        } else {
            size_t len = utf8_decode((const unsigned char *)r->p, (size_t)(r->end - r->p), &cp);
            if (len == 0) {
                r->ok = false;
                break;
            }
            r->p += len;
        }
        if (cps && k < cap)
            cps[k] = cp;
        k++;
    }
    if (ncp)
        *ncp = k;
}

static void jnumber(struct jr *r)
{
    const char *s = r->p;
    if (r->p < r->end && *r->p == '-')
        r->p++;
    if (r->p < r->end && *r->p == '0') {
        r->p++;
    } else {
        if (r->p >= r->end || *r->p < '1' || *r->p > '9') {
            r->ok = false;
            return;
        }
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
            r->p++;
    }
    if (r->p < r->end && *r->p == '.') {
        r->p++;
        if (r->p >= r->end || *r->p < '0' || *r->p > '9')
            r->ok = false;
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
            r->p++;
    }
    if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
        r->p++;
        if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
            r->p++;
        if (r->p >= r->end || *r->p < '0' || *r->p > '9')
            r->ok = false;
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
            r->p++;
    }
    if (r->p == s)
        r->ok = false;
}

static void jvalue(struct jr *r, int depth)
{
    ws(r);
    if (depth > 64 || r->p >= r->end) {
        r->ok = false;
        return;
    }
    char c = *r->p;
    if (c == '{' || c == '[') {
        char close = c == '{' ? '}' : ']';
        r->p++;
        ws(r);
        if (r->p < r->end && *r->p == close) {
            r->p++;
            return;
        }
        while (r->ok) {
            if (c == '{') {
                ws(r);
                jstring(r, NULL, NULL, 0);
                ws(r);
                if (!lit(r, ":"))
                    r->ok = false;
            }
            jvalue(r, depth + 1);
            ws(r);
            if (lit(r, ","))
                continue;
            if (r->p < r->end && *r->p == close) {
                r->p++;
                return;
            }
            r->ok = false;
        }
        return;
    }
    if (c == '"') {
        jstring(r, NULL, NULL, 0);
        return;
    }
    if (lit(r, "true") || lit(r, "false") || lit(r, "null"))
        return;
    jnumber(r);
}

static bool json_valid(const char *s)
{
    struct jr r = {s, s + strlen(s), true};
    jvalue(&r, 0);
    ws(&r);
    return r.ok && r.p == r.end;
}

/* Text after `"value":` in a one-block JSON dump, up to the closing "}]". */
static bool value_of(const char *json, char *val, size_t cap)
{
    const char *v = strstr(json, "\"value\":");
    if (!v)
        return false;
    v += 8;
    size_t n = strlen(v);
    if (n < 2 || strcmp(v + n - 2, "}]") != 0 || n - 2 >= cap)
        return false;
    memcpy(val, v, n - 2);
    val[n - 2] = '\0';
    return true;
}

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
        const char *got = json_hex(block_cases[i].hex, 0, &rc);
        CHECK_INT(rc, 0);
        CHECK_STR(got, block_cases[i].json);
        CHECK(json_valid(got));
        /* pretty output is valid JSON too and differs only in white space */
        got = json_hex(block_cases[i].hex, RSCP_DUMP_PRETTY, &rc);
        CHECK_INT(rc, 0);
        CHECK(json_valid(got));
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

static void test_frames(void)
{
    /* P2: response with two INT32 values */
    size_t n;
    uint8_t *p = th_unhex("e3dc00117bb00a6500000000885e2c011600010080010604004f120000020080010604005b08000058156e18", &n);
    struct rscp_frame f;
    CHECK_INT(rscp_frame_decode(p, n, NULL, &f, NULL), 0);
    struct rscp_strbuf sb;
    rscp_strbuf_init(&sb, out_buf, sizeof out_buf);
    CHECK_INT(rscp_json_frame(&f, 0, rscp_strbuf_sink, &sb), 0);
    CHECK_STR(out_buf, "{\"seconds\":1695199355,\"nanoseconds\":19685000,\"crc\":true,\"blocks\":["
                       "{\"tag\":\"0x01800001\",\"name\":\"EMS.POWER_PV\",\"type\":\"INT32\",\"value\":4687},"
                       "{\"tag\":\"0x01800002\",\"name\":\"EMS.POWER_BAT\",\"type\":\"INT32\",\"value\":2139}]}");
    rscp_strbuf_init(&sb, out_buf, sizeof out_buf);
    CHECK_INT(rscp_json_frame(&f, RSCP_DUMP_PRETTY, rscp_strbuf_sink, &sb), 0);
    CHECK_STR(out_buf, "{\n"
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
    rscp_strbuf_init(&sb, out_buf, sizeof out_buf);
    CHECK_INT(rscp_dump_frame(&f, 0, rscp_strbuf_sink, &sb), 0);
    CHECK_STR(out_buf, "frame 2023-09-20T08:42:35.019685000Z (1695199355 s, 19685000 ns), CRC yes, 22 data bytes\n"
                       "  EMS.POWER_PV (0x01800001) INT32 = 4687\n"
                       "  EMS.POWER_BAT (0x01800002) INT32 = 2139\n");
    free(p);

    /* F2: no CRC, negative seconds (1234-05-06T07:08:09.123456Z) */
    p = th_unhex("e3dc0001d9744698faffffff00ca5b070800010080000301000a", &n);
    CHECK_INT(rscp_frame_decode(p, n, NULL, &f, NULL), 0);
    rscp_strbuf_init(&sb, out_buf, sizeof out_buf);
    CHECK_INT(rscp_dump_frame(&f, 0, rscp_strbuf_sink, &sb), 0);
    CHECK_STR(out_buf, "frame 1234-05-06T07:08:09.123456000Z (-23215049511 s, 123456000 ns), CRC no, 8 data bytes\n"
                       "  RSCP.AUTHENTICATION (0x00800001) UCHAR8 = 10\n");
    rscp_strbuf_init(&sb, out_buf, sizeof out_buf);
    CHECK_INT(rscp_json_frame(&f, 0, rscp_strbuf_sink, &sb), 0);
    CHECK_STR(out_buf, "{\"seconds\":-23215049511,\"nanoseconds\":123456000,\"crc\":false,\"blocks\":["
                       "{\"tag\":\"0x00800001\",\"name\":\"RSCP.AUTHENTICATION\",\"type\":\"UCHAR8\",\"value\":10}]}");
    free(p);

    /* P1: request; NONE blocks */
    p = th_unhex("e3dc001178b00a6500000000c8c7d0300e0001000001000000020000010000004c769f09", &n);
    CHECK_INT(rscp_frame_decode(p, n, NULL, &f, NULL), 0);
    rscp_strbuf_init(&sb, out_buf, sizeof out_buf);
    CHECK_INT(rscp_dump_frame(&f, 0, rscp_strbuf_sink, &sb), 0);
    CHECK_STR(out_buf, "frame 2023-09-20T08:42:32.818989000Z (1695199352 s, 818989000 ns), CRC yes, 14 data bytes\n"
                       "  EMS.REQ_POWER_PV (0x01000001) NONE\n"
                       "  EMS.REQ_POWER_BAT (0x01000002) NONE\n");
    free(p);

    /* F11: 1970-05-23T21:21:18.000123Z */
    p = th_unhex("e3dc00114e61bc000000000040e2010007000100000a000000fefa843c", &n);
    CHECK_INT(rscp_frame_decode(p, n, NULL, &f, NULL), 0);
    rscp_strbuf_init(&sb, out_buf, sizeof out_buf);
    CHECK_INT(rscp_dump_frame(&f, 0, rscp_strbuf_sink, &sb), 0);
    CHECK_STR(out_buf, "frame 1970-05-23T21:21:18.000123456Z (12345678 s, 123456 ns), CRC yes, 7 data bytes\n"
                       "  INFO.REQ_SERIAL_NUMBER (0x0A000001) NONE\n");
    free(p);
}

/* R1's decrypted frame: nested containers, timestamp, floats, bools. */
static void test_nested_text(void)
{
    int rc;
    const char *got = text_hex(
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
    got = json_hex("0e00800a0f0c00d9744698faffffff00ca5b07", 0, &rc);
    CHECK_STR(got, "[{\"tag\":\"0x0A80000E\",\"name\":\"INFO.TIME\",\"type\":\"TIMESTAMP\",\"value\":"
                   "{\"seconds\":-23215049511,\"nanoseconds\":123456000}}]");

    /* the other text forms */
    got = text_hex("00000000ff040007000000ffffff01ff040009000000111111090d040074657374"
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

/* ---- secrets -------------------------------------------------------------- */

static void test_secrets(void)
{
    /* P3: user TEST (not secret), password 123 (secret) */
    const char *hex = "010000000e1500020000000d040054455354030000000d0300313233";
    int rc;
    const char *got = json_hex(hex, 0, &rc);
    CHECK_INT(rc, 0);
    CHECK_STR(got, "[{\"tag\":\"0x00000001\",\"name\":\"RSCP.REQ_AUTHENTICATION\",\"type\":\"CONTAINER\",\"value\":["
                   "{\"tag\":\"0x00000002\",\"name\":\"RSCP.AUTHENTICATION_USER\",\"type\":\"CSTRING\",\"value\":\"TEST\"},"
                   "{\"tag\":\"0x00000003\",\"name\":\"RSCP.AUTHENTICATION_PASSWORD\",\"type\":\"CSTRING\",\"value\":"
                   "\"***\"}]}]");
    CHECK(strstr(got, "123") == NULL);
    got = json_hex(hex, RSCP_DUMP_SHOW_SECRETS, &rc);
    CHECK(strstr(got, "\"name\":\"RSCP.AUTHENTICATION_PASSWORD\",\"type\":\"CSTRING\",\"value\":\"123\"") != NULL);

    got = text_hex(hex, 0, &rc);
    CHECK_INT(rc, 0);
    CHECK_STR(got, "RSCP.REQ_AUTHENTICATION (0x00000001) CONTAINER [21 bytes]\n"
                   "  RSCP.AUTHENTICATION_USER (0x00000002) CSTRING = \"TEST\"\n"
                   "  RSCP.AUTHENTICATION_PASSWORD (0x00000003) CSTRING = ***\n");
    got = text_hex(hex, RSCP_DUMP_SHOW_SECRETS, &rc);
    CHECK(strstr(got, "RSCP.AUTHENTICATION_PASSWORD (0x00000003) CSTRING = \"123\"\n") != NULL);

    /* F6 (BV): SuperSecret123 never shows without the flag, in either dump */
    size_t n;
    uint8_t *p = th_unhex("e3dc00114d61d45f0000000000ceed343700010000000e3000020000000d14007465737475736572406578616d706c652e636f6d"
                          "030000000d0e00537570657253656372657431323360c48640",
                          &n);
    struct rscp_frame f;
    CHECK_INT(rscp_frame_decode(p, n, NULL, &f, NULL), 0);
    struct rscp_strbuf sb;
    for (unsigned pretty = 0; pretty <= RSCP_DUMP_PRETTY; pretty += RSCP_DUMP_PRETTY) {
        rscp_strbuf_init(&sb, out_buf, sizeof out_buf);
        CHECK_INT(rscp_json_frame(&f, pretty, rscp_strbuf_sink, &sb), 0);
        CHECK(strstr(out_buf, "SuperSecret") == NULL);
        CHECK(strstr(out_buf, "testuser@example.com") != NULL);
        CHECK(json_valid(out_buf));
    }
    rscp_strbuf_init(&sb, out_buf, sizeof out_buf);
    CHECK_INT(rscp_dump_frame(&f, 0, rscp_strbuf_sink, &sb), 0);
    CHECK(strstr(out_buf, "SuperSecret") == NULL);
    CHECK(strstr(out_buf, "CSTRING = ***") != NULL);
    rscp_strbuf_init(&sb, out_buf, sizeof out_buf);
    CHECK_INT(rscp_dump_frame(&f, RSCP_DUMP_SHOW_SECRETS, rscp_strbuf_sink, &sb), 0);
    CHECK(strstr(out_buf, "\"SuperSecret123\"") != NULL);
    free(p);

    /* RSCP.REQ_SET_ENCRYPTION_PASSPHRASE (0x00000005) is masked too */
    got = json_hex("050000000d0300616263", 0, &rc);
    CHECK(strstr(got, "\"value\":\"***\"") != NULL);
}

/* Every secret tag of the dictionary, its value carried as every kind of
 * block (string, bytes, bitfield, unknown type, fixed type with a wrong
 * length, a container of strings), at the top level and three containers
 * deep: no dump (text, JSON, pretty JSON, frame) shows the secret, as text
 * or as hex, unless RSCP_DUMP_SHOW_SECRETS is given. */
static bool dump_shows(const uint8_t *data, size_t n, unsigned flags, const char *needle)
{
    static const char hex_lc[] = "53336372337456616c756521", hex_uc[] = "53336372337456616C756521";
    struct rscp_strbuf sb;
    bool shown = false;
    for (int kind = 0; kind < 4; kind++) {
        rscp_strbuf_init(&sb, out_buf, sizeof out_buf);
        int rc;
        if (kind == 0) {
            rc = rscp_dump_blocks(data, n, 1, flags, rscp_strbuf_sink, &sb);
        } else if (kind == 3) {
            struct rscp_frame f = {1, 2, true, data, (uint16_t)n};
            rc = rscp_json_frame(&f, flags, rscp_strbuf_sink, &sb);
        } else {
            rc = rscp_json_blocks(data, n, flags | (kind == 2 ? RSCP_DUMP_PRETTY : 0u), rscp_strbuf_sink, &sb);
        }
        CHECK_INT(rc, 0);
        CHECK(!sb.overflow);
        if (kind > 0)
            CHECK(json_valid(out_buf));
        shown = shown || strstr(out_buf, needle) || strstr(out_buf, hex_lc) || strstr(out_buf, hex_uc);
    }
    return shown;
}

static void test_secrets_everywhere(void)
{
    static const char secret[] = "S3cr3tValue!";
    const size_t slen = sizeof secret - 1;
    unsigned tags = 0, leaks = 0, hidden = 0;
    for (size_t i = 0; i < rscp_tag_count(); i++) {
        const struct rscp_tag_info *t = rscp_tag_at(i);
        if (!t->secret)
            continue;
        tags++;
        for (int form = 0; form < 6; form++) {
            for (int deep = 0; deep < 2; deep++) {
                uint8_t buf[256];
                struct rscp_builder b;
                rscp_builder_init(&b, buf, sizeof buf);
                if (deep) { /* inside three containers of ordinary tags */
                    rscp_put_container_open(&b, 0x01840000u);
                    rscp_put_container_open(&b, 0x03840000u);
                    rscp_put_container_open(&b, 0x0E840000u);
                    rscp_put_int32(&b, 0x01800001u, 7);
                }
                switch (form) {
                case 0: rscp_put_string(&b, t->id, secret, slen); break;
                case 1: rscp_put_bytes(&b, t->id, secret, slen); break;
                case 2: rscp_put_bitfield(&b, t->id, secret, slen); break;
                case 3: rscp_put_raw(&b, t->id, 0x42, secret, slen); break;
                case 4: rscp_put_raw(&b, t->id, RSCP_TYPE_INT64, secret, slen); break;
                default:
                    rscp_put_container_open(&b, t->id);
                    rscp_put_string(&b, 0x0A000001u, secret, slen);
                    rscp_put_container_close(&b);
                    break;
                }
                if (deep) {
                    rscp_put_container_close(&b);
                    rscp_put_container_close(&b);
                    rscp_put_container_close(&b);
                }
                size_t n = 0;
                CHECK_INT(rscp_builder_finish(&b, &n), 0);
                uint8_t *g = th_guard_copy(buf, n);
                if (dump_shows(g, n, 0, "S3cr3t") && leaks++ < 5)
                    fprintf(stderr, "secret of %s (form %d, deep %d) shown\n", t->name, form, deep);
                if (dump_shows(g, n, RSCP_DUMP_SHOW_SECRETS, "S3cr3t"))
                    hidden++; /* shown on request */
                th_guard_free(g, n);
            }
        }
    }
    CHECK(tags >= 19);
    CHECK_INT(leaks, 0);
    CHECK_INT(hidden, tags * 12);
}

/* ---- numbers -------------------------------------------------------------- */

static void put_one_raw(uint8_t *buf, size_t cap, size_t *len, uint8_t type, const void *v, size_t vlen)
{
    struct rscp_builder b;
    rscp_builder_init(&b, buf, cap);
    rscp_put_raw(&b, 0x09000001, type, v, vlen);
    CHECK_INT(rscp_builder_finish(&b, len), 0);
}

static void test_integer_extremes(void)
{
    struct {
        uint8_t type;
        uint8_t bytes[8];
        size_t n;
        const char *want;
    } cases[] = {
        {RSCP_TYPE_CHAR8, {0x80}, 1, "-128"},
        {RSCP_TYPE_CHAR8, {0x7F}, 1, "127"},
        {RSCP_TYPE_UCHAR8, {0xFF}, 1, "255"},
        {RSCP_TYPE_INT16, {0x00, 0x80}, 2, "-32768"},
        {RSCP_TYPE_UINT16, {0xFF, 0xFF}, 2, "65535"},
        {RSCP_TYPE_INT32, {0x00, 0x00, 0x00, 0x80}, 4, "-2147483648"},
        {RSCP_TYPE_UINT32, {0xFF, 0xFF, 0xFF, 0xFF}, 4, "4294967295"},
        {RSCP_TYPE_INT64, {0, 0, 0, 0, 0, 0, 0, 0x80}, 8, "-9223372036854775808"},
        {RSCP_TYPE_INT64, {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F}, 8, "9223372036854775807"},
        {RSCP_TYPE_UINT64, {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}, 8, "18446744073709551615"},
        {RSCP_TYPE_UINT64, {0, 0, 0, 0, 0, 0, 0, 0x80}, 8, "9223372036854775808"},
        {RSCP_TYPE_BOOL, {0xFF}, 1, "true"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t buf[64];
        size_t len;
        put_one_raw(buf, sizeof buf, &len, cases[i].type, cases[i].bytes, cases[i].n);
        struct rscp_strbuf sb;
        rscp_strbuf_init(&sb, out_buf, sizeof out_buf);
        CHECK_INT(rscp_json_blocks(buf, len, 0, rscp_strbuf_sink, &sb), 0);
        char val[128];
        CHECK(value_of(out_buf, val, sizeof val));
        CHECK_STR(val, cases[i].want);
        rscp_strbuf_init(&sb, out_buf, sizeof out_buf);
        CHECK_INT(rscp_dump_blocks(buf, len, 0, 0, rscp_strbuf_sink, &sb), 0);
        const char *eq = strstr(out_buf, " = ");
        CHECK(eq != NULL);
        if (eq) {
            char want[128];
            snprintf(want, sizeof want, " = %s\n", cases[i].want);
            CHECK_STR(eq, want);
        }
    }
}

/* JSON value text of one FLOAT32 or DOUBLE64 block with the given bits. */
static bool float_json(uint8_t type, const void *bits, size_t n, char *val, size_t cap)
{
    uint8_t buf[64];
    size_t len;
    put_one_raw(buf, sizeof buf, &len, type, bits, n);
    struct rscp_strbuf sb;
    rscp_strbuf_init(&sb, out_buf, sizeof out_buf);
    if (rscp_json_blocks(buf, len, 0, rscp_strbuf_sink, &sb) != 0)
        return false;
    return value_of(out_buf, val, cap);
}

static bool is_json_number(const char *s)
{
    struct jr r = {s, s + strlen(s), true};
    jnumber(&r);
    return r.ok && r.p == r.end;
}

static void check_double_text(double d, const char *want)
{
    uint8_t le[8];
    uint64_t u;
    memcpy(&u, &d, 8);
    for (int i = 0; i < 8; i++)
        le[i] = (uint8_t)(u >> (8 * i));
    char val[64];
    CHECK(float_json(RSCP_TYPE_DOUBLE64, le, 8, val, sizeof val));
    CHECK_STR(val, want);
}

static void check_float_text(float f, const char *want)
{
    uint8_t le[4];
    uint32_t u;
    memcpy(&u, &f, 4);
    for (int i = 0; i < 4; i++)
        le[i] = (uint8_t)(u >> (8 * i));
    char val[64];
    CHECK(float_json(RSCP_TYPE_FLOAT32, le, 4, val, sizeof val));
    CHECK_STR(val, want);
}

static void test_floats(void)
{
    /* well-known shortest forms */
    check_double_text(0.1, "0.1");
    check_double_text(0.1 + 0.2, "0.30000000000000004");
    check_double_text(1e20, "1e+20");
    check_double_text(-2.5, "-2.5");
    check_double_text(5e-324, "5e-324");
    check_double_text(DBL_MAX, "1.7976931348623157e+308");
    check_double_text(-0.0, "-0.0");
    check_double_text(0.0, "0");
    check_double_text(INFINITY, "null");
    check_double_text(-INFINITY, "null");
    check_double_text(NAN, "null");
    check_float_text(0.1f, "0.1");
    check_float_text(312.4f, "312.4");
    check_float_text(FLT_MAX, "3.4028235e+38");
    check_float_text(FLT_TRUE_MIN, "1e-45");
    check_float_text(16777216.0f, "16777216");
    check_float_text(-0.0f, "-0.0");
    check_float_text(NAN, "null");
    /* whole numbers below 1e16 print as integers, not "1e+02" */
    check_float_text(100.0f, "100");
    check_float_text(123456792.0f, "123456792");
    check_double_text(1000.0, "1000");
    check_double_text(-20000.0, "-20000");
    check_double_text(1e15, "1000000000000000");
    check_double_text(1e16, "1e+16");
    check_double_text(1e-5, "1e-05");

    /* many random bit patterns: the printed number is valid JSON, reads
     * back to the same bits, and one digit fewer would not */
    unsigned bad_d = 0, bad_f = 0, bad_fd = 0, not_short = 0, bad_syntax = 0;
    for (int i = 0; i < 20000; i++) {
        uint64_t u = th_rand();
        if (i % 4 == 0) /* also plain magnitudes */
            u = (u & 0x800FFFFFFFFFFFFFull) | ((uint64_t)(1023 - 40 + th_rand_below(80)) << 52);
        uint8_t le[8];
        for (int k = 0; k < 8; k++)
            le[k] = (uint8_t)(u >> (8 * k));
        double d;
        memcpy(&d, &u, 8);
        char val[64];
        if (!float_json(RSCP_TYPE_DOUBLE64, le, 8, val, sizeof val)) {
            bad_d++;
            continue;
        }
        if (isnan(d) || isinf(d)) {
            bad_d += strcmp(val, "null") != 0;
            continue;
        }
        bad_syntax += !is_json_number(val);
        double back = strtod(val, NULL);
        uint64_t ub;
        memcpy(&ub, &back, 8);
        bad_d += ub != u;
        /* shortest: with one significant digit less it would not round-trip */
        char shorter[400];
        int digits = 0;
        bool leading = true;
        for (const char *c = val; *c && *c != 'e'; c++) {
            if (*c >= '1' && *c <= '9')
                leading = false;
            digits += !leading && *c >= '0' && *c <= '9';
        }
        if (digits > 1 && d != 0) {
            snprintf(shorter, sizeof shorter, "%.*g", digits - 1, d);
            double s = strtod(shorter, NULL);
            not_short += memcmp(&s, &d, 8) == 0;
        }
    }
    for (int i = 0; i < 20000; i++) {
        uint32_t u = (uint32_t)th_rand();
        if (i % 4 == 0)
            u = (u & 0x807FFFFFu) | ((uint32_t)(127 - 20 + th_rand_below(40)) << 23);
        uint8_t le[4];
        for (int k = 0; k < 4; k++)
            le[k] = (uint8_t)(u >> (8 * k));
        float f;
        memcpy(&f, &u, 4);
        char val[64];
        if (!float_json(RSCP_TYPE_FLOAT32, le, 4, val, sizeof val)) {
            bad_f++;
            continue;
        }
        if (isnan(f) || isinf(f)) {
            bad_f += strcmp(val, "null") != 0;
            continue;
        }
        bad_syntax += !is_json_number(val);
        float back = strtof(val, NULL);
        uint32_t ub;
        memcpy(&ub, &back, 4);
        bad_f += ub != u;
        /* a JSON reader that parses a double and narrows it gets the same */
        float back2 = (float)strtod(val, NULL);
        memcpy(&ub, &back2, 4);
        bad_fd += ub != u;
    }
    CHECK_INT(bad_d, 0);
    CHECK_INT(bad_f, 0);
    CHECK_INT(bad_fd, 0);
    CHECK_INT(not_short, 0);
    CHECK_INT(bad_syntax, 0);
}

/* ---- strings -------------------------------------------------------------- */

/* The code points the documented escaping rule gives for s[0..n). */
static size_t expected_cps(const uint8_t *s, size_t n, uint32_t *cps)
{
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = utf8_decode(s + i, n - i, &cp);
        if (len == 0) {
            cp = s[i];
            len = 1;
        }
        cps[k++] = cp;
        i += len;
    }
    return k;
}

static void check_string_json(const uint8_t *s, size_t n)
{
    uint8_t buf[2048];
    struct rscp_builder b;
    rscp_builder_init(&b, buf, sizeof buf);
    rscp_put_string(&b, 0x09000002, (const char *)s, n);
    size_t len;
    CHECK_INT(rscp_builder_finish(&b, &len), 0);
    struct rscp_strbuf sb;
    rscp_strbuf_init(&sb, out_buf, sizeof out_buf);
    CHECK_INT(rscp_json_blocks(buf, len, 0, rscp_strbuf_sink, &sb), 0);
    CHECK(json_valid(out_buf));
    char val[16384];
    if (!value_of(out_buf, val, sizeof val)) {
        CHECK(false);
        return;
    }
    for (const char *c = val; *c; c++) /* raw control bytes never appear */
        if ((unsigned char)*c < 0x20 || *c == 0x7F) {
            CHECK(false);
            break;
        }
    struct jr r = {val, val + strlen(val), true};
    static uint32_t got[2048], want[2048];
    size_t ng = 0;
    jstring(&r, got, &ng, 2048);
    CHECK(r.ok && r.p == r.end);
    size_t nw = expected_cps(s, n, want);
    CHECK_INT(ng, nw);
    CHECK(ng == nw && memcmp(got, want, ng * sizeof got[0]) == 0);
}

static void test_strings(void)
{
    struct {
        const char *s;
        size_t n;
        const char *want;
    } fixed[] = {
        {"a\"b\\c", 5, "\"a\\\"b\\\\c\""},
        {"x\ny\tz\r", 6, "\"x\\ny\\tz\\r\""},
        {"\0\x01\x1f\x7f", 4, "\"\\u0000\\u0001\\u001f\\u007f\""},
        {"caf\xc3\xa9", 5, "\"caf\xc3\xa9\""},               /* valid UTF-8 passes */
        {"\xe2\x82\xac", 3, "\"\xe2\x82\xac\""},             /* euro sign          */
        {"\xf0\x9f\x98\x80", 4, "\"\xf0\x9f\x98\x80\""},     /* U+1F600            */
        {"caf\xe9", 4, "\"caf\\u00e9\""},                    /* Latin-1 byte       */
        {"\xc0\xaf", 2, "\"\\u00c0\\u00af\""},               /* overlong '/'       */
        {"\xed\xa0\x80", 3, "\"\\u00ed\\u00a0\\u0080\""},    /* surrogate          */
        {"\xf4\x90\x80\x80", 4, "\"\\u00f4\\u0090\\u0080\\u0080\""}, /* > U+10FFFF  */
        {"\xe2\x82", 2, "\"\\u00e2\\u0082\""},               /* cut sequence       */
        {"/", 1, "\"/\""},
        {"", 0, "\"\""},
    };
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        uint8_t buf[64];
        struct rscp_builder b;
        rscp_builder_init(&b, buf, sizeof buf);
        rscp_put_string(&b, 0x09000002, fixed[i].s, fixed[i].n);
        size_t len;
        CHECK_INT(rscp_builder_finish(&b, &len), 0);
        struct rscp_strbuf sb;
        rscp_strbuf_init(&sb, out_buf, sizeof out_buf);
        CHECK_INT(rscp_json_blocks(buf, len, 0, rscp_strbuf_sink, &sb), 0);
        char val[256];
        CHECK(value_of(out_buf, val, sizeof val));
        CHECK_STR(val, fixed[i].want);
        check_string_json((const uint8_t *)fixed[i].s, fixed[i].n);
        /* the text dump uses the same quoting */
        rscp_strbuf_init(&sb, out_buf, sizeof out_buf);
        CHECK_INT(rscp_dump_blocks(buf, len, 0, 0, rscp_strbuf_sink, &sb), 0);
        char want[300];
        snprintf(want, sizeof want, "0x09000002 CSTRING = %s\n", fixed[i].want);
        CHECK_STR(out_buf, want);
    }
    /* random byte strings, biased towards high bytes and UTF-8 lead bytes */
    for (int i = 0; i < 3000; i++) {
        uint8_t s[600];
        size_t n = th_rand_below(sizeof s);
        for (size_t k = 0; k < n; k++) {
            uint32_t r = th_rand_below(10);
            if (r < 3)
                s[k] = (uint8_t)th_rand();
            else if (r < 5)
                s[k] = (uint8_t)(0x80 + th_rand_below(0x40));
            else if (r < 7)
                s[k] = (uint8_t)(0xC0 + th_rand_below(0x38));
            else
                s[k] = (uint8_t)(0x20 + th_rand_below(0x60));
        }
        check_string_json(s, n);
    }
}

/* ---- dates ---------------------------------------------------------------- */

static void check_date(int64_t seconds, uint32_t ns, const char *want)
{
    uint8_t buf[64];
    size_t len;
    struct rscp_builder b;
    rscp_builder_init(&b, buf, sizeof buf);
    rscp_put_timestamp(&b, 0x09000003, seconds, ns);
    CHECK_INT(rscp_builder_finish(&b, &len), 0);
    struct rscp_strbuf sb;
    rscp_strbuf_init(&sb, out_buf, sizeof out_buf);
    CHECK_INT(rscp_dump_blocks(buf, len, 0, 0, rscp_strbuf_sink, &sb), 0);
    char line[200];
    snprintf(line, sizeof line, "0x09000003 TIMESTAMP = %s (%" PRId64 " s, %" PRIu32 " ns)\n", want, seconds, ns);
    CHECK_STR(out_buf, line);
}

static void test_dates(void)
{
    check_date(0, 0, "1970-01-01T00:00:00.000000000Z");
    check_date(-1, 999999999, "1969-12-31T23:59:59.999999999Z");
    check_date(951782400, 0, "2000-02-29T00:00:00.000000000Z");
    check_date(951868800, 0, "2000-03-01T00:00:00.000000000Z");
    check_date(4107542400, 0, "2100-03-01T00:00:00.000000000Z"); /* 2100 is no leap year */
    check_date(1692363307, 0, "2023-08-18T12:55:07.000000000Z");
    check_date(1607754061, 888000000, "2020-12-12T06:21:01.888000000Z");
    check_date(-62135596800, 0, "0001-01-01T00:00:00.000000000Z");
    check_date(-62167219200, 0, "0000-01-01T00:00:00.000000000Z");
    check_date(-62167219201, 0, "-0001-12-31T23:59:59.000000000Z");
    check_date(253402300799, 0, "9999-12-31T23:59:59.000000000Z");
    check_date(253402300800, 0, "+10000-01-01T00:00:00.000000000Z");
    check_date(INT64_MAX, 0, "+292277026596-12-04T15:30:07.000000000Z");
    check_date(INT64_MIN, 0, "-292277022657-01-27T08:29:52.000000000Z");

    /* a timestamp value with nanoseconds >= 1e9 (peer data) still prints */
    int rc;
    const char *got = text_hex("030000090f0c000000000000000000ffffffff", 0, &rc);
    CHECK_INT(rc, 0);
    CHECK_STR(got, "0x09000003 TIMESTAMP = 1970-01-01T00:00:00Z (0 s, 4294967295 ns)\n");
}

/* ---- structure errors and sinks ------------------------------------------- */

static void test_errors(void)
{
    int rc;
    /* P2's data with the last byte cut off: value runs past the end */
    const char *got = text_hex("01008001060400" "4f120000" "02008001060400" "5b0800", 0, &rc);
    CHECK_INT(rc, RSCP_ERR_BLOCK_OVERRUN);
    char want[300];
    snprintf(want, sizeof want, "EMS.POWER_PV (0x01800001) INT32 = 4687\nerror at offset 11: %s\n",
             rscp_strerror(RSCP_ERR_BLOCK_OVERRUN));
    CHECK_STR(got, want);
    json_hex("01008001060400" "4f120000" "02008001060400" "5b0800", 0, &rc);
    CHECK_INT(rc, RSCP_ERR_BLOCK_OVERRUN);

    /* header cut after the length's first byte */
    got = text_hex("0100800003ff", 0, &rc);
    CHECK_INT(rc, RSCP_ERR_TRUNCATED);
    snprintf(want, sizeof want, "error at offset 0: %s\n", rscp_strerror(RSCP_ERR_TRUNCATED));
    CHECK_STR(got, want);

    /* a UCHAR8 with length field 0 followed by one stray byte */
    got = text_hex("010080000300000a", 0, &rc);
    CHECK_INT(rc, RSCP_ERR_TRUNCATED);
    snprintf(want, sizeof want,
             "RSCP.AUTHENTICATION (0x00800001) UCHAR8 = (empty) (bad length 0, UCHAR8 has 1)\n"
             "error at offset 7: %s\n",
             rscp_strerror(RSCP_ERR_TRUNCATED));
    CHECK_STR(got, want);

    /* an error inside a container names the offset from the outer start */
    got = text_hex("000004030e0a00" "010004030502000000" "ff", 0, &rc);
    CHECK_INT(rc, RSCP_ERR_TRUNCATED);
    snprintf(want, sizeof want,
             "BAT.REQ_DATA (0x03040000) CONTAINER [10 bytes]\n"
             "  BAT.INDEX (0x03040001) UINT16 = 0\n"
             "  error at offset 16: %s\n",
             rscp_strerror(RSCP_ERR_TRUNCATED));
    CHECK_STR(got, want);

    /* a masked secret container still has its structure checked */
    got = text_hex("030000000e0a00" "010004030502000000" "ff", 0, &rc);
    CHECK_INT(rc, RSCP_ERR_TRUNCATED);
    snprintf(want, sizeof want,
             "RSCP.AUTHENTICATION_PASSWORD (0x00000003) CONTAINER = ***\n"
             "  error at offset 16: %s\n",
             rscp_strerror(RSCP_ERR_TRUNCATED));
    CHECK_STR(got, want);
    json_hex("030000000e0a00" "010004030502000000" "ff", 0, &rc);
    CHECK_INT(rc, RSCP_ERR_TRUNCATED);
    json_hex("030000000e0a00" "010004030502000000" "ff", RSCP_DUMP_SHOW_SECRETS, &rc);
    CHECK_INT(rc, RSCP_ERR_TRUNCATED);

    /* 17 nested containers exceed the depth bound; 16 are fine */
    for (unsigned levels = 16; levels <= 17; levels++) {
        uint8_t buf[256];
        struct rscp_builder b;
        rscp_builder_init(&b, buf, sizeof buf);
        for (unsigned i = 0; i < levels && i < RSCP_BUILDER_MAX_DEPTH; i++)
            rscp_put_container_open(&b, 0x09000010 + i);
        for (unsigned i = 0; i < levels && i < RSCP_BUILDER_MAX_DEPTH; i++)
            rscp_put_container_close(&b);
        size_t len;
        CHECK_INT(rscp_builder_finish(&b, &len), 0);
        if (levels == 17) { /* wrap the 16 levels in one more by hand */
            memmove(buf + 7, buf, len);
            buf[0] = 0x20, buf[1] = 0, buf[2] = 0, buf[3] = 0x09, buf[4] = RSCP_TYPE_CONTAINER;
            buf[5] = (uint8_t)len, buf[6] = (uint8_t)(len >> 8);
            len += 7;
        }
        struct rscp_strbuf sb;
        rscp_strbuf_init(&sb, out_buf, sizeof out_buf);
        int trc = rscp_dump_blocks(buf, len, 0, 0, rscp_strbuf_sink, &sb);
        rscp_strbuf_init(&sb, out_buf, sizeof out_buf);
        int jrc = rscp_json_blocks(buf, len, 0, rscp_strbuf_sink, &sb);
        int vrc = rscp_validate(buf, len, NULL, NULL);
        CHECK_INT(trc, levels == 16 ? 0 : RSCP_ERR_DEPTH);
        CHECK_INT(jrc, trc);
        CHECK_INT(vrc, trc); /* same bound as the validator's default */
        if (levels == 16)
            CHECK(json_valid(out_buf));
    }

    /* a sink that refuses: RSCP_ERR_IO; the strbuf stays terminated */
    char small[16];
    struct rscp_strbuf sb;
    rscp_strbuf_init(&sb, small, sizeof small);
    size_t n;
    uint8_t *p = th_unhex("01008001060400" "4f120000", &n);
    CHECK_INT(rscp_json_blocks(p, n, 0, rscp_strbuf_sink, &sb), RSCP_ERR_IO);
    CHECK(sb.overflow);
    CHECK_INT(sb.len, 15);
    CHECK_INT(strlen(small), 15);
    CHECK(memcmp(small, "[{\"tag\":\"0x0180", 15) == 0);
    rscp_strbuf_init(&sb, small, sizeof small);
    CHECK_INT(rscp_dump_blocks(p, n, 0, 0, rscp_strbuf_sink, &sb), RSCP_ERR_IO);
    CHECK_INT(strlen(small), 15);
    free(p);

    /* empty input */
    struct rscp_strbuf sb2;
    rscp_strbuf_init(&sb2, out_buf, sizeof out_buf);
    CHECK_INT(rscp_json_blocks(NULL, 0, 0, rscp_strbuf_sink, &sb2), 0);
    CHECK_STR(out_buf, "[]");
    rscp_strbuf_init(&sb2, out_buf, sizeof out_buf);
    CHECK_INT(rscp_dump_blocks(NULL, 0, 0, 0, rscp_strbuf_sink, &sb2), 0);
    CHECK_STR(out_buf, "");
    /* indentation parameter */
    rscp_strbuf_init(&sb2, out_buf, sizeof out_buf);
    uint8_t blk[] = {0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00};
    CHECK_INT(rscp_dump_blocks(blk, sizeof blk, 2, 0, rscp_strbuf_sink, &sb2), 0);
    CHECK_STR(out_buf, "    EMS.REQ_POWER_PV (0x01000001) NONE\n");
}

/* The 1 KiB benchmark response dumps to valid JSON in both forms and every
 * line of the text dump has one block. */
static void test_bench_response(void)
{
    size_t n;
    uint8_t *p = th_read_file(th_shared_path("bench/response_1k.bin"), &n);
    CHECK(p != NULL);
    if (!p)
        return;
    struct rscp_frame f;
    CHECK_INT(rscp_frame_decode(p, n, NULL, &f, NULL), 0);
    struct rscp_strbuf sb;
    for (unsigned flags = 0; flags < 4; flags++) {
        rscp_strbuf_init(&sb, out_buf, sizeof out_buf);
        CHECK_INT(rscp_json_frame(&f, flags, rscp_strbuf_sink, &sb), 0);
        CHECK(json_valid(out_buf));
    }
    rscp_strbuf_init(&sb, out_buf, sizeof out_buf);
    CHECK_INT(rscp_dump_frame(&f, 0, rscp_strbuf_sink, &sb), 0);
    unsigned lines = 0;
    for (const char *c = out_buf; *c; c++)
        lines += *c == '\n';
    /* count the blocks independently: every block header in the frame */
    unsigned blocks = 0;
    struct rscp_iter stack[16];
    int top = 0;
    rscp_frame_iter(&f, &stack[0]);
    while (top >= 0) {
        struct rscp_block b;
        if (rscp_iter_next(&stack[top], &b) != 1) {
            top--;
            continue;
        }
        blocks++;
        if (b.type == RSCP_TYPE_CONTAINER && top + 1 < 16)
            rscp_block_children(&b, &stack[++top]);
    }
    CHECK_INT(lines, blocks + 1);
    free(p);
}

int main(void)
{
    uint64_t seed = 0x5eed2024u;
    const char *env = getenv("RSCP_TEST_SEED");
    if (env)
        seed = strtoull(env, NULL, 0);
    printf("seed %" PRIu64 "\n", seed);
    th_seed(seed);

    test_block_vectors();
    test_frames();
    test_nested_text();
    test_secrets();
    test_secrets_everywhere();
    test_integer_extremes();
    test_floats();
    test_strings();
    test_dates();
    test_errors();
    test_bench_response();
    return th_finish();
}
