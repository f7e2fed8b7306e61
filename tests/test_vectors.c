/* Every frame and block of tests/data/vectors-public.md (P1-P5) and
 * vectors-peers.md (F1-F13, the header table, D1-D24, RD1-RD19, the decoder
 * edge cases, R1-R7) decoded to the documented values and re-encoded with the
 * builder from those values, byte for byte. The expected values below are
 * copied from the vector files, never from our own output. */
#include "harness.h"
#include "rscp/builder.h"
#include "rscp/cipher.h"
#include "rscp/error.h"
#include "rscp/frame.h"
#include "rscp/reader.h"
#include "rscp/value.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- expected block trees ---------------------------------------------- */

/* One expected block, in pre-order; depth 0 = top level. */
struct eb {
    int depth;
    uint32_t tag;
    uint8_t type;
    int64_t i;         /* CHAR8, INT16, INT32, INT64          */
    uint64_t u;        /* BOOL, UCHAR8, UINT*, ERROR           */
    double d;          /* FLOAT32 (as float), DOUBLE64         */
    const char *s;     /* CSTRING text, or hex for raw values  */
    size_t slen;       /* CSTRING length; HEXVAL: hex string   */
    int64_t sec;       /* TIMESTAMP                            */
    uint32_t ns;
};

#define HEXVAL SIZE_MAX
#define B_NONE(dp, t) {.depth = (dp), .tag = (t), .type = RSCP_TYPE_NONE}
#define B_CONT(dp, t) {.depth = (dp), .tag = (t), .type = RSCP_TYPE_CONTAINER}
#define B_I(dp, t, ty, v) {.depth = (dp), .tag = (t), .type = (ty), .i = (v)}
#define B_U(dp, t, ty, v) {.depth = (dp), .tag = (t), .type = (ty), .u = (v)}
#define B_F(dp, t, ty, v) {.depth = (dp), .tag = (t), .type = (ty), .d = (v)}
#define B_STR(dp, t, lit) {.depth = (dp), .tag = (t), .type = RSCP_TYPE_CSTRING, .s = (lit), .slen = sizeof(lit) - 1}
#define B_HEX(dp, t, ty, hx) {.depth = (dp), .tag = (t), .type = (ty), .s = (hx), .slen = HEXVAL}
#define B_TS(dp, t, se, n) {.depth = (dp), .tag = (t), .type = RSCP_TYPE_TIMESTAMP, .sec = (se), .ns = (n)}
#define N(a) (sizeof(a) / sizeof((a)[0]))

static void check_value(const struct rscp_block *b, const struct eb *e)
{
    int rc = -1;
    switch (e->type) {
    case RSCP_TYPE_NONE:
        CHECK_INT(b->length, 0);
        rc = rscp_block_check(b);
        break;
    case RSCP_TYPE_BOOL: {
        bool v = !e->u;
        rc = rscp_block_get_bool(b, &v);
        CHECK_INT(v, e->u != 0);
        break;
    }
    case RSCP_TYPE_CHAR8: {
        int8_t v = 0;
        rc = rscp_block_get_char8(b, &v);
        CHECK_INT(v, e->i);
        break;
    }
    case RSCP_TYPE_UCHAR8: {
        uint8_t v = 0;
        rc = rscp_block_get_uchar8(b, &v);
        CHECK_INT(v, e->u);
        break;
    }
    case RSCP_TYPE_INT16: {
        int16_t v = 0;
        rc = rscp_block_get_int16(b, &v);
        CHECK_INT(v, e->i);
        break;
    }
    case RSCP_TYPE_UINT16: {
        uint16_t v = 0;
        rc = rscp_block_get_uint16(b, &v);
        CHECK_INT(v, e->u);
        break;
    }
    case RSCP_TYPE_INT32: {
        int32_t v = 0;
        rc = rscp_block_get_int32(b, &v);
        CHECK_INT(v, e->i);
        break;
    }
    case RSCP_TYPE_UINT32: {
        uint32_t v = 0;
        rc = rscp_block_get_uint32(b, &v);
        CHECK_INT(v, e->u);
        break;
    }
    case RSCP_TYPE_INT64: {
        int64_t v = 0;
        rc = rscp_block_get_int64(b, &v);
        CHECK(v == e->i);
        break;
    }
    case RSCP_TYPE_UINT64: {
        uint64_t v = 0;
        rc = rscp_block_get_uint64(b, &v);
        CHECK(v == e->u);
        break;
    }
    case RSCP_TYPE_FLOAT32: {
        float v = 0;
        rc = rscp_block_get_float32(b, &v);
        CHECK(v == (float)e->d);
        break;
    }
    case RSCP_TYPE_DOUBLE64: {
        double v = 0;
        rc = rscp_block_get_double64(b, &v);
        CHECK(v == e->d);
        break;
    }
    case RSCP_TYPE_ERROR: {
        uint32_t v = 0;
        rc = rscp_block_get_error(b, &v);
        CHECK_INT(v, e->u);
        break;
    }
    case RSCP_TYPE_TIMESTAMP: {
        struct rscp_timestamp ts = {0, 0};
        rc = rscp_block_get_timestamp(b, &ts);
        CHECK(ts.seconds == e->sec);
        CHECK_INT(ts.nanoseconds, e->ns);
        break;
    }
    case RSCP_TYPE_CSTRING:
        if (e->slen != HEXVAL) {
            const char *s = NULL;
            size_t n = 0;
            rc = rscp_block_get_string(b, &s, &n);
            CHECK_MEM(s, n, e->s, e->slen);
            break;
        }
        goto raw; /* raw bytes given as hex */
    default:
    raw: {
        size_t n;
        uint8_t *want = th_unhex(e->s, &n);
        CHECK_MEM(b->value, b->length, want, n);
        rc = rscp_block_check(b);
        if (e->type == RSCP_TYPE_BITFIELD || e->type == RSCP_TYPE_BYTEARRAY) {
            const uint8_t *p = NULL;
            size_t len = 0;
            CHECK_INT(rscp_block_get_bytes(b, &p, &len), 0);
            CHECK_MEM(p, len, want, n);
        }
        free(want);
        break;
    }
    }
    CHECK_INT(rc, 0);
}

/* Walk the blocks of one level and compare with e[*k..]. */
static void walk(struct rscp_iter *it, int depth, const struct eb *e, size_t n, size_t *k)
{
    struct rscp_block b;
    int rc;
    while ((rc = rscp_iter_next(it, &b)) == 1) {
        if (*k >= n) {
            CHECK(*k < n); /* more blocks than expected */
            return;
        }
        const struct eb *x = &e[(*k)++];
        CHECK_INT(depth, x->depth);
        CHECK_INT(b.tag, x->tag);
        CHECK_INT(b.type, x->type);
        if (b.type == RSCP_TYPE_CONTAINER && x->type == RSCP_TYPE_CONTAINER) {
            struct rscp_iter sub;
            CHECK_INT(rscp_block_children(&b, &sub), 0);
            walk(&sub, depth + 1, e, n, k);
        } else if (b.type == x->type) {
            check_value(&b, x);
        }
    }
    CHECK_INT(rc, 0);
}

static void check_blocks(const uint8_t *data, size_t len, const struct eb *e, size_t n)
{
    struct rscp_iter it;
    rscp_iter_init(&it, data, len);
    size_t k = 0;
    walk(&it, 0, e, n, &k);
    CHECK_INT(k, n);
    CHECK_INT(rscp_validate(data, len, NULL, NULL), 0);
}

/* Write the expected blocks with the typed put functions. */
static void build_blocks(struct rscp_builder *b, const struct eb *e, size_t n)
{
    int depth = 0;
    for (size_t k = 0; k < n; k++) {
        const struct eb *x = &e[k];
        for (; depth > x->depth; depth--)
            CHECK_INT(rscp_put_container_close(b), 0);
        int rc;
        switch (x->type) {
        case RSCP_TYPE_NONE: rc = rscp_put_none(b, x->tag); break;
        case RSCP_TYPE_BOOL: rc = rscp_put_bool(b, x->tag, x->u != 0); break;
        case RSCP_TYPE_CHAR8: rc = rscp_put_char8(b, x->tag, (int8_t)x->i); break;
        case RSCP_TYPE_UCHAR8: rc = rscp_put_uchar8(b, x->tag, (uint8_t)x->u); break;
        case RSCP_TYPE_INT16: rc = rscp_put_int16(b, x->tag, (int16_t)x->i); break;
        case RSCP_TYPE_UINT16: rc = rscp_put_uint16(b, x->tag, (uint16_t)x->u); break;
        case RSCP_TYPE_INT32: rc = rscp_put_int32(b, x->tag, (int32_t)x->i); break;
        case RSCP_TYPE_UINT32: rc = rscp_put_uint32(b, x->tag, (uint32_t)x->u); break;
        case RSCP_TYPE_INT64: rc = rscp_put_int64(b, x->tag, x->i); break;
        case RSCP_TYPE_UINT64: rc = rscp_put_uint64(b, x->tag, x->u); break;
        case RSCP_TYPE_FLOAT32: rc = rscp_put_float32(b, x->tag, (float)x->d); break;
        case RSCP_TYPE_DOUBLE64: rc = rscp_put_double64(b, x->tag, x->d); break;
        case RSCP_TYPE_ERROR: rc = rscp_put_error(b, x->tag, (uint32_t)x->u); break;
        case RSCP_TYPE_TIMESTAMP: rc = rscp_put_timestamp(b, x->tag, x->sec, x->ns); break;
        case RSCP_TYPE_CONTAINER:
            rc = rscp_put_container_open(b, x->tag);
            depth++;
            break;
        default:
            if (x->type == RSCP_TYPE_CSTRING && x->slen != HEXVAL) {
                rc = rscp_put_string(b, x->tag, x->s, x->slen);
            } else {
                size_t len;
                uint8_t *v = th_unhex(x->s, &len);
                if (x->type == RSCP_TYPE_BYTEARRAY)
                    rc = rscp_put_bytes(b, x->tag, v, len);
                else if (x->type == RSCP_TYPE_BITFIELD)
                    rc = rscp_put_bitfield(b, x->tag, v, len);
                else
                    rc = rscp_put_raw(b, x->tag, x->type, v, len);
                free(v);
            }
            break;
        }
        CHECK_INT(rc, 0);
    }
    for (; depth > 0; depth--)
        CHECK_INT(rscp_put_container_close(b), 0);
}

/* ---- frames -------------------------------------------------------------- */

struct fv {
    const char *name;
    const char *hex;
    size_t frame_len; /* 0: the whole hex is the frame */
    int64_t sec;
    uint32_t ns;
    bool crc;
    const struct eb *blocks;
    size_t n;
};

static const struct eb p1[] = {B_NONE(0, 0x01000001), B_NONE(0, 0x01000002)};
static const struct eb p2[] = {B_I(0, 0x01800001, RSCP_TYPE_INT32, 4687), B_I(0, 0x01800002, RSCP_TYPE_INT32, 2139)};
static const struct eb p3[] = {B_CONT(0, 0x00000001), B_STR(1, 0x00000002, "TEST"), B_STR(1, 0x00000003, "123")};
static const struct eb p4[] = {B_U(0, 0x00800001, RSCP_TYPE_UCHAR8, 10)};
static const struct eb p5[] = {B_I(0, 0x00800001, RSCP_TYPE_INT32, 0)};
static const struct eb f_auth10[] = {B_U(0, 0x00800001, RSCP_TYPE_UCHAR8, 10)};
static const struct eb f3[] = {B_U(0, 0x03860001, RSCP_TYPE_BOOL, 1)};
static const struct eb f4[] = {B_U(0, 0x03860001, RSCP_TYPE_BOOL, 1), B_I(0, 0x03040001, RSCP_TYPE_INT16, 100),
                               B_STR(0, 0x0380000C, "Extreme powerful battery")};
static const struct eb f5[] = {B_STR(0, 0x0380000C, "test")};
static const struct eb f6[] = {B_CONT(0, 0x00000001), B_STR(1, 0x00000002, "testuser@example.com"),
                               B_STR(1, 0x00000003, "SuperSecret123")};
static const struct eb f11[] = {B_NONE(0, 0x0A000001)};
static const struct eb r1[] = {
    B_CONT(0, 0x03840000),
    B_U(1, 0x03040001, RSCP_TYPE_UINT16, 0),
    B_CONT(1, 0x03860000),
    B_U(2, 0x03860001, RSCP_TYPE_BOOL, 1),
    B_U(2, 0x03860002, RSCP_TYPE_BOOL, 1),
    B_U(2, 0x03860003, RSCP_TYPE_BOOL, 0),
    B_F(1, 0x03800001, RSCP_TYPE_FLOAT32, 0.0),
    B_U(1, 0x0380000A, RSCP_TYPE_UINT32, 0),
    B_U(1, 0x0380000B, RSCP_TYPE_UINT32, 0),
    B_TS(0, 0x0A80000E, -23215049511LL, 123456000),
    B_CONT(0, 0x0180008B),
    B_U(1, 0x01000100, RSCP_TYPE_BOOL, 1),
    B_I(1, 0x01000101, RSCP_TYPE_INT32, 4500),
    B_I(1, 0x01000102, RSCP_TYPE_INT32, 4500),
    B_U(1, 0x01000103, RSCP_TYPE_UINT32, 65),
    B_U(1, 0x01000104, RSCP_TYPE_BOOL, 0),
    B_U(1, 0x01000105, RSCP_TYPE_BOOL, 0),
    B_I(1, 0x01000106, RSCP_TYPE_INT32, 0),
};

#define R1_PLAIN                                                                                               \
    "e3dc0011d9744698faffffff00ca5b07ae00000084030e4900010004030502000000000086030e1800010086030101000102008603" \
    "010100010300860301010000010080030a0400000000000a008003070400000000000b008003070400000000000e00800a0f0c00d9" \
    "744698faffffff00ca5b078b0080010e44000001000101010001010100010604009411000002010001060400941100000301000107" \
    "040041000000040100010101000005010001010100000601000106040000000000"                                       \
    "9e267071000000000000000000000000000000000000000000000000000000000000"
#define R2_PLAIN                                                                                               \
    "e3dc0001d9744698faffffff00ca5b07ae00000084030e4900010004030502000000000086030e1800010086030101000102008603" \
    "010100010300860301010000010080030a0400000000000a008003070400000000000b008003070400000000000e00800a0f0c00d9" \
    "744698faffffff00ca5b078b0080010e44000001000101010001010100010604009411000002010001060400941100000301000107" \
    "040041000000040100010101000005010001010100000601000106040000000000"

static const struct fv frames[] = {
    {"P1", "e3dc001178b00a6500000000c8c7d0300e0001000001000000020000010000004c769f09", 0, 1695199352, 818989000,
     true, p1, N(p1)},
    {"P2", "e3dc00117bb00a6500000000885e2c011600010080010604004f120000020080010604005b08000058156e18", 0,
     1695199355, 19685000, true, p2, N(p2)},
    {"P3",
     "e3dc001121000b650000000070da58201c00010000000e1500020000000d040054455354030000000d030031323378babe16", 0,
     1695219745, 542694000, true, p3, N(p3)},
    {"P4", "e3dc001106010b6500000000309eee2e0800010080000301000ad4e6f5cf", 0, 1695219974, 787390000, true, p4,
     N(p4)},
    {"P5", "e3dc00115e010b65000000001830de1f0b00010080000604000000000003120cf6", 0, 1695220062, 534655000, true,
     p5, N(p5)},
    {"F1", "e3dc0011d9744698faffffff00ca5b070800010080000301000a7fb3efc3", 0, -23215049511LL, 123456000, true,
     f_auth10, N(f_auth10)},
    {"F2", "e3dc0001d9744698faffffff00ca5b070800010080000301000a", 0, -23215049511LL, 123456000, false,
     f_auth10, N(f_auth10)},
    {"F3", "e3dc00112b6adf6400000000000000000800010086030101000155519433", 0, 1692363307, 0, true, f3, N(f3)},
    {"F4",
     "e3dc00112b6adf640000000000000000300001008603010100010100040304020064000c0080030d180045787472656d6520706f"
     "77657266756c2062617474657279e08ab95f",
     0, 1692363307, 0, true, f4, N(f4)},
    {"F5", "e3dc00112b6adf6400000000000000000b000c0080030d040074657374c36b5a12", 0, 1692363307, 0, true, f5,
     N(f5)},
    {"F6",
     "e3dc00114d61d45f0000000000ceed343700010000000e3000020000000d14007465737475736572406578616d706c652e636f"
     "6d030000000d0e00537570657253656372657431323360c48640",
     0, 1607754061, 888000000, true, f6, N(f6)},
    {"F11", "e3dc00114e61bc000000000040e2010007000100000a000000fefa843c", 0, 12345678, 123456, true, f11, N(f11)},
    {"F12", "e3dc00014e61bc000000000040e2010007000100000a000000", 0, 12345678, 123456, false, f11, N(f11)},
    {"F13", "e3dc00119523866200000000901d45350800010080000301000a0f2401230000", 30, 1652958101, 893722000, true,
     f_auth10, N(f_auth10)},
    {"R1", R1_PLAIN, 196, -23215049511LL, 123456000, true, r1, N(r1)},
    {"R2", R2_PLAIN, 0, -23215049511LL, 123456000, false, r1, N(r1)},
    {"R3", "e3dc00117bf3cc5f00000000b81fcc150800010080000301000af0beaaed0000", 30, 1607267195, 365699000, true,
     f_auth10, N(f_auth10)},
};

static void test_frame(const struct fv *v)
{
    size_t len;
    uint8_t *raw = th_unhex(v->hex, &len);
    uint8_t *buf = th_guard_copy(raw, len);
    size_t flen = v->frame_len ? v->frame_len : len;
    struct rscp_frame f;
    size_t off = 12345;
    unsigned before = th_failures();

    int rc = rscp_frame_decode_prefix(buf, len, NULL, &f, &off);
    CHECK_INT(rc, (long long)flen);
    if (rc > 0) {
        CHECK(f.seconds == v->sec);
        CHECK_INT(f.nanoseconds, v->ns);
        CHECK_INT(f.crc, v->crc);
        CHECK_INT(f.data_len, flen - 18 - (v->crc ? 4 : 0));
        CHECK(f.data == buf + 18);
        check_blocks(f.data, f.data_len, v->blocks, v->n);
        struct rscp_iter it;
        rscp_frame_iter(&f, &it);
        struct rscp_block b;
        CHECK_INT(rscp_iter_next(&it, &b), 1);
        CHECK_INT(b.tag, v->blocks[0].tag);
    }
    /* exact decode: the whole buffer, or trailing padding reported */
    rc = rscp_frame_decode(buf, len, NULL, &f, &off);
    if (flen == len) {
        CHECK_INT(rc, 0);
    } else {
        CHECK_INT(rc, RSCP_ERR_TRAILING);
        CHECK_INT(off, flen);
        CHECK_INT(rscp_frame_decode(buf, flen, NULL, &f, NULL), 0);
    }
    /* the header alone */
    struct rscp_header h;
    CHECK_INT(rscp_header_parse(buf, 18, NULL, &h), 0);
    CHECK_INT(h.frame_len, flen);
    CHECK(h.seconds == v->sec);

    /* re-encode from the documented values */
    uint8_t out[512];
    struct rscp_builder bld;
    struct rscp_timestamp ts = {v->sec, v->ns};
    CHECK_INT(rscp_builder_begin_frame(&bld, out, sizeof out, &ts, v->crc), 0);
    build_blocks(&bld, v->blocks, v->n);
    size_t n = 0;
    CHECK_INT(rscp_builder_finish(&bld, &n), 0);
    CHECK_MEM(out, n, raw, flen);
    if (th_failures() != before)
        fprintf(stderr, "  (in vector %s)\n", v->name);
    th_guard_free(buf, len);
    free(raw);
}

/* F8-F10: control word "00 10" (version 0, CRC flag, no CRC bytes). */
static void test_legacy_ctrl(void)
{
    static const struct {
        const char *hex;
        const struct eb *blocks;
        size_t n;
    } v[] = {
        {"e3dc00102b6adf64000000000000000008000100860301010001", f3, N(f3)},
        {"e3dc00102b6adf640000000000000000300001008603010100010100040304020064000c0080030d180045787472656d652070"
         "6f77657266756c2062617474657279",
         f4, N(f4)},
        {"e3dc00102b6adf6400000000000000000b000c0080030d040074657374", f5, N(f5)},
    };
    struct rscp_limits lenient = rscp_limits_default();
    lenient.flags |= RSCP_LENIENT_CTRL;
    for (size_t i = 0; i < N(v); i++) {
        size_t len;
        uint8_t *raw = th_unhex(v[i].hex, &len);
        uint8_t *buf = th_guard_copy(raw, len);
        struct rscp_frame f;
        struct rscp_header h;
        size_t off = 99;
        CHECK_INT(rscp_frame_decode(buf, len, NULL, &f, &off), RSCP_ERR_VERSION);
        CHECK_INT(off, 2);
        CHECK_INT(rscp_header_parse(buf, len, NULL, &h), RSCP_ERR_VERSION);
        CHECK_INT(rscp_header_parse(buf, len, &lenient, &h), 0);
        CHECK_INT(h.crc, false);
        CHECK_INT(h.frame_len, len);
        CHECK_INT(rscp_frame_decode(buf, len, &lenient, &f, NULL), 0);
        CHECK_INT(f.crc, false);
        CHECK(f.seconds == 1692363307);
        CHECK_INT(f.nanoseconds, 0);
        check_blocks(f.data, f.data_len, v[i].blocks, v[i].n);
        /* we write the standard "00 01" form: the same bytes but the control word */
        uint8_t out[128];
        struct rscp_builder b;
        struct rscp_timestamp ts = {1692363307, 0};
        rscp_builder_begin_frame(&b, out, sizeof out, &ts, false);
        build_blocks(&b, v[i].blocks, v[i].n);
        size_t n = 0;
        CHECK_INT(rscp_builder_finish(&b, &n), 0);
        raw[3] = 0x01;
        CHECK_MEM(out, n, raw, len);
        th_guard_free(buf, len);
        free(raw);
    }
}

/* F7: database request template (placeholder CRC), time fields at the
 * documented byte offsets 32, 51 and 70. */
static void test_f7_template(void)
{
    static const char tmpl[] =
        "e3dc00110000000000000000000000004000000100060e3900010100060f0c00000000000000000000000000020100060f0c"
        "00000000000000000000000000030100060f0c00000000000000000000000000aaaaaaaa";
    static const struct eb e[] = {B_CONT(0, 0x06000100), B_TS(1, 0x06000101, 0, 0), B_TS(1, 0x06000102, 0, 0),
                                  B_TS(1, 0x06000103, 0, 0)};
    size_t len;
    uint8_t *raw = th_unhex(tmpl, &len);
    struct rscp_frame f;
    size_t off = 0;
    CHECK_INT(rscp_frame_decode(raw, len, NULL, &f, &off), RSCP_ERR_CRC);
    CHECK_INT(off, 82);
    /* with the CRC the vector file computed for the zero fields */
    memcpy(raw + 82, "\x6e\x94\xf8\x15", 4);
    CHECK_INT(rscp_frame_decode(raw, len, NULL, &f, NULL), 0);
    check_blocks(f.data, f.data_len, e, N(e));

    uint8_t out[128];
    struct rscp_builder b;
    struct rscp_timestamp zero = {0, 0};
    rscp_builder_begin_frame(&b, out, sizeof out, &zero, true);
    build_blocks(&b, e, N(e));
    size_t n = 0;
    CHECK_INT(rscp_builder_finish(&b, &n), 0);
    CHECK_MEM(out, n, raw, len);

    /* filled as the source test does: values land at offsets 32, 51, 70 */
    rscp_builder_begin_frame(&b, out, sizeof out, &zero, true);
    rscp_put_container_open(&b, 0x06000100);
    rscp_put_timestamp(&b, 0x06000101, 0x0102030405060708LL, 0);
    rscp_put_timestamp(&b, 0x06000102, 900, 0);
    rscp_put_timestamp(&b, 0x06000103, 86400, 0);
    rscp_put_container_close(&b);
    CHECK_INT(rscp_builder_finish(&b, &n), 0);
    CHECK_INT(n, 86);
    CHECK_MEM(out + 32, 8, "\x08\x07\x06\x05\x04\x03\x02\x01", 8);
    CHECK_MEM(out + 51, 8, "\x84\x03\0\0\0\0\0\0", 8);
    CHECK_MEM(out + 70, 8, "\x80\x51\x01\0\0\0\0\0", 8);
    free(raw);
}

/* Section 1 "Rejected inputs" (RS frame.rs). */
static void test_rejected(void)
{
    static const struct {
        const char *hex;
        int err;
        size_t off;
    } v[] = {
        {"aadc0000", RSCP_ERR_MAGIC, 0},
        {"e3dc0000", RSCP_ERR_VERSION, 2},
        {"e3dc00114e61bc000000000040e2010007000100000a000000fefa8433", RSCP_ERR_CRC, 25},
    };
    for (size_t i = 0; i < N(v); i++) {
        size_t len;
        uint8_t *raw = th_unhex(v[i].hex, &len);
        uint8_t *buf = th_guard_copy(raw, len);
        struct rscp_frame f;
        size_t off = 999;
        CHECK_INT(rscp_frame_decode(buf, len, NULL, &f, &off), v[i].err);
        CHECK_INT(off, v[i].off);
        th_guard_free(buf, len);
        free(raw);
    }
}

/* Section 2: header-only vectors (GO Test_readHeader). */
static void test_headers(void)
{
    static const struct {
        const char *hex;
        int err;
        bool crc;
        uint32_t frame_len;
        uint16_t data_len;
    } v[] = {
        {"e3dc00117bf3cc5f00000000b81fcc150000", 0, true, 22, 0},
        {"e3dc00017bf3cc5f00000000b81fcc150000", 0, false, 18, 0},
        {"e3dc00117bf3cc5f00000000b81fcc150a00", 0, true, 32, 10},
        {"e3dc00017bf3cc5f00000000b81fcc150a00", 0, false, 28, 10},
        {"00dc00117bf3cc5f00000000b81fcc150000", RSCP_ERR_MAGIC, 0, 0, 0},
        {"e3dc00107bf3cc5f00000000b81fcc150000", RSCP_ERR_VERSION, 0, 0, 0},
        {"e3dc01117bf3cc5f00000000b81fcc150000", RSCP_ERR_CTRL, 0, 0, 0},
    };
    for (size_t i = 0; i < N(v); i++) {
        size_t len;
        uint8_t *raw = th_unhex(v[i].hex, &len);
        uint8_t *buf = th_guard_copy(raw, len);
        struct rscp_header h;
        memset(&h, 0, sizeof h);
        CHECK_INT(rscp_header_parse(buf, len, NULL, &h), v[i].err);
        if (v[i].err == 0) {
            CHECK_INT(h.crc, v[i].crc);
            CHECK_INT(h.frame_len, v[i].frame_len);
            CHECK_INT(h.data_len, v[i].data_len);
            CHECK(h.seconds == 1607267195);
            CHECK_INT(h.nanoseconds, 365699000);
            /* a frame of exactly that header claims more bytes than given */
            struct rscp_frame f;
            CHECK_INT(rscp_frame_decode(buf, len, NULL, &f, NULL),
                      v[i].frame_len == 18 ? 0 : RSCP_ERR_TRUNCATED);
        }
        th_guard_free(buf, len);
        free(raw);
    }
}

/* ---- single blocks --------------------------------------------------------- */

struct bv {
    const char *name;
    const char *hex;
    struct eb e[4];
    size_t n;
};

static const struct bv blocks[] = {
    {"D1", "0100860301010001", {B_U(0, 0x03860001, RSCP_TYPE_BOOL, 1)}, 1},
    {"D2", "0100860301010000", {B_U(0, 0x03860001, RSCP_TYPE_BOOL, 0)}, 1},
    {"D3", "08000003000000", {B_NONE(0, 0x03000008)}, 1},
    {"D4", "0e00800a0f0c002b6adf640000000000000000", {B_TS(0, 0x0A80000E, 1692363307, 0)}, 1},
    {"D5", "0401800102010012", {B_I(0, 0x01800104, RSCP_TYPE_CHAR8, 18)}, 1},
    {"D6", "0800800103010012", {B_U(0, 0x01800008, RSCP_TYPE_UCHAR8, 18)}, 1},
    {"D7", "010004030402006400", {B_I(0, 0x03040001, RSCP_TYPE_INT16, 100)}, 1},
    {"D8", "010004030502006400", {B_U(0, 0x03040001, RSCP_TYPE_UINT16, 100)}, 1},
    {"D9", "420080010604005c040000", {B_I(0, 0x01800042, RSCP_TYPE_INT32, 1116)}, 1},
    {"D10", "030100010704005c040000", {B_U(0, 0x01000103, RSCP_TYPE_UINT32, 1116)}, 1},
    {"D11", "01018003080800ffffffffffffff7f", {B_I(0, 0x03800101, RSCP_TYPE_INT64, INT64_MAX)}, 1},
    {"D12", "01018003090800ffffffffffffff7f", {B_U(0, 0x03800101, RSCP_TYPE_UINT64, 9223372036854775807ull)}, 1},
    {"D13", "030080030a040033339c43", {B_F(0, 0x03800003, RSCP_TYPE_FLOAT32, 312.4)}, 1},
    {"D14", "060080050b08003f355eba71111341", {B_F(0, 0x05800006, RSCP_TYPE_DOUBLE64, 312412.432)}, 1},
    {"D15", "0a0080030c010001", {B_HEX(0, 0x0380000A, RSCP_TYPE_BITFIELD, "01")}, 1},
    {"D16", "0c0080030d180045787472656d6520706f77657266756c2062617474657279",
     {B_STR(0, 0x0380000C, "Extreme powerful battery")}, 1},
    {"D17", "1020040e100300010567", {B_HEX(0, 0x0E042010, RSCP_TYPE_BYTEARRAY, "010567")}, 1},
    {"D18", "000004030e22000c0080030d040074657374030080030b08005c8fc2f5983be0400100860301010000",
     {B_CONT(0, 0x03040000), B_STR(1, 0x0380000C, "test"), B_F(1, 0x03800003, RSCP_TYPE_DOUBLE64, 33244.78),
      B_U(1, 0x03860001, RSCP_TYPE_BOOL, 0)},
     4},
    {"D19", "000180030502000004", {B_U(0, 0x03800100, RSCP_TYPE_UINT16, 1024)}, 1},
    {"D20",
     "0c0080030d2d0065787472656d65206c6f6e6720737472696e6720666f722061206261747465727920646576696365206e616d65",
     {B_STR(0, 0x0380000C, "extreme long string for a battery device name")}, 1},
    {"D21", "00018003050200ff03", {B_U(0, 0x03800100, RSCP_TYPE_UINT16, 1023)}, 1},
    {"D22", "0401000101010001", {B_U(0, 0x01000104, RSCP_TYPE_BOOL, 1)}, 1},
    {"D23", "1020040e100300000102", {B_HEX(0, 0x0E042010, RSCP_TYPE_BYTEARRAY, "000102")}, 1},
    {"D24", "010080000301000a010080000301000a",
     {B_U(0, 0x00800001, RSCP_TYPE_UCHAR8, 10), B_U(0, 0x00800001, RSCP_TYPE_UCHAR8, 10)}, 2},
    /* D21 + D20 + D22: the JS "parse three" input */
    {"D21+D20+D22",
     "00018003050200ff030c0080030d2d0065787472656d65206c6f6e6720737472696e6720666f722061206261747465727920646576"
     "696365206e616d650401000101010001",
     {B_U(0, 0x03800100, RSCP_TYPE_UINT16, 1023),
      B_STR(0, 0x0380000C, "extreme long string for a battery device name"),
      B_U(0, 0x01000104, RSCP_TYPE_BOOL, 1)},
     3},
    {"RD1", "00000000000000", {B_NONE(0, 0)}, 1},
    {"RD2", "0000000001010001", {B_U(0, 0, RSCP_TYPE_BOOL, 1)}, 1},
    {"RD3", "0000000001010000", {B_U(0, 0, RSCP_TYPE_BOOL, 0)}, 1},
    {"RD4", "00000000020100ff", {B_I(0, 0, RSCP_TYPE_CHAR8, -1)}, 1},
    {"RD5", "0000000003010001", {B_U(0, 0, RSCP_TYPE_UCHAR8, 1)}, 1},
    {"RD6", "00000000040200ffff", {B_I(0, 0, RSCP_TYPE_INT16, -1)}, 1},
    {"RD7", "000000000502000100", {B_U(0, 0, RSCP_TYPE_UINT16, 1)}, 1},
    {"RD8", "00000000060400ffffffff", {B_I(0, 0, RSCP_TYPE_INT32, -1)}, 1},
    {"RD9", "0000000007040001000000", {B_U(0, 0, RSCP_TYPE_UINT32, 1)}, 1},
    {"RD10", "00000000080800ffffffffffffffff", {B_I(0, 0, RSCP_TYPE_INT64, -1)}, 1},
    {"RD11", "000000000908000100000000000000", {B_U(0, 0, RSCP_TYPE_UINT64, 1)}, 1},
    {"RD12", "000000000a04000000803f", {B_F(0, 0, RSCP_TYPE_FLOAT32, 1.0)}, 1},
    {"RD13", "000000000b0800000000000000f03f", {B_F(0, 0, RSCP_TYPE_DOUBLE64, 1.0)}, 1},
    {"RD14", "000000000c020055aa", {B_HEX(0, 0, RSCP_TYPE_BITFIELD, "55aa")}, 1},
    {"RD15", "000000000d040054657374", {B_STR(0, 0, "Test")}, 1},
    {"RD16", "000000000e1500020000000d040075736572030000000d0300707764",
     {B_CONT(0, 0), B_STR(1, 2, "user"), B_STR(1, 3, "pwd")}, 3},
    {"RD17", "000000000f0c004e61bc000000000040e20100", {B_TS(0, 0, 12345678, 123456)}, 1},
    {"RD18", "000000001004000f0f0f0f", {B_HEX(0, 0, RSCP_TYPE_BYTEARRAY, "0f0f0f0f")}, 1},
    {"RD19", "00000000ff040001000000", {B_U(0, 0, RSCP_TYPE_ERROR, 1)}, 1},
    /* section 4: unknown tag, unknown type code, unknown tag 0xFFFFFFFF */
    {"unknown tag", "111111090d040074657374", {B_STR(0, 0x09111111, "test")}, 1},
    {"unknown type", "0c008003aa040074657374", {B_HEX(0, 0x0380000C, 0xAA, "74657374")}, 1},
    {"tag ffffffff", "ffffffff0301000a", {B_U(0, 0xFFFFFFFF, RSCP_TYPE_UCHAR8, 10)}, 1},
};

static void test_block(const struct bv *v)
{
    size_t len;
    uint8_t *raw = th_unhex(v->hex, &len);
    uint8_t *buf = th_guard_copy(raw, len);
    unsigned before = th_failures();
    check_blocks(buf, len, v->e, v->n);

    uint8_t out[256];
    struct rscp_builder b;
    rscp_builder_init(&b, out, sizeof out);
    build_blocks(&b, v->e, v->n);
    size_t n = 0;
    CHECK_INT(rscp_builder_finish(&b, &n), 0);
    CHECK_MEM(out, n, raw, len);

    /* re-emitting the parsed blocks gives the same bytes */
    struct rscp_iter it;
    struct rscp_block blk;
    rscp_iter_init(&it, buf, len);
    rscp_builder_init(&b, out, sizeof out);
    while (rscp_iter_next(&it, &blk) == 1)
        CHECK_INT(rscp_put_block(&b, &blk), 0);
    CHECK_INT(rscp_builder_finish(&b, &n), 0);
    CHECK_MEM(out, n, raw, len);
    if (th_failures() != before)
        fprintf(stderr, "  (in vector %s)\n", v->name);
    th_guard_free(buf, len);
    free(raw);
}

/* Section 4 decoder edge cases and the lone-value vectors. */
static void test_edge_cases(void)
{
    /* GO Test_read on block sequences: input hex and the error of the walk */
    static const struct {
        const char *hex;
        int err;
        size_t off;
    } seq[] = {
        {"010080000301000a", 0, 0},                     /* one block */
        {"01008000030100", RSCP_ERR_BLOCK_OVERRUN, 0},  /* header without value */
        {"010080", RSCP_ERR_TRUNCATED, 0},              /* 3 bytes only */
        {"010080000300000a", RSCP_ERR_TRUNCATED, 7},    /* UCHAR8 len 0, then a stray byte */
        {"0100800003ffff0a", RSCP_ERR_BLOCK_OVERRUN, 0}, /* length 0xFFFF */
        {"0100800003ff", RSCP_ERR_TRUNCATED, 0},        /* length cut after 1 byte */
        {"01008000", RSCP_ERR_TRUNCATED, 0},            /* tag only */
        {"", 0, 0},                                     /* nothing */
    };
    for (size_t i = 0; i < N(seq); i++) {
        size_t len;
        uint8_t *raw = th_unhex(seq[i].hex, &len);
        uint8_t *buf = th_guard_copy(raw, len);
        size_t off = 777;
        CHECK_INT(rscp_validate(buf, len, NULL, &off), seq[i].err);
        if (seq[i].err) {
            CHECK_INT(off, seq[i].off);
            struct rscp_iter it;
            struct rscp_block b;
            rscp_iter_init(&it, buf, len);
            int rc;
            while ((rc = rscp_iter_next(&it, &b)) == 1)
                ;
            CHECK_INT(rc, seq[i].err);
            CHECK_INT(rscp_iter_offset(&it), seq[i].off);
            CHECK_INT(rscp_iter_next(&it, &b), seq[i].err); /* sticky */
        }
        th_guard_free(buf, len);
        free(raw);
    }

    /* UCHAR8 with length 0: returned, but its getters and check say LENGTH */
    {
        size_t len;
        uint8_t *raw = th_unhex("010080000300000a", &len);
        struct rscp_iter it;
        struct rscp_block b;
        rscp_iter_init(&it, raw, len);
        CHECK_INT(rscp_iter_next(&it, &b), 1);
        uint8_t u = 42;
        CHECK_INT(rscp_block_get_uchar8(&b, &u), RSCP_ERR_LENGTH);
        CHECK_INT(u, 42);
        CHECK_INT(rscp_block_check(&b), RSCP_ERR_LENGTH);
        int64_t i64;
        CHECK_INT(rscp_block_get_int(&b, &i64), RSCP_ERR_LENGTH);
        free(raw);
    }

    /* "one block, size says 16": a frame claiming 16 data bytes holding 8 */
    {
        uint8_t fr[30];
        memcpy(fr, "\xe3\xdc\x00\x01\0\0\0\0\0\0\0\0\0\0\0\0\x10\x00", 18);
        memcpy(fr + 18, "\x01\x00\x80\x00\x03\x01\x00\x0a", 8);
        uint8_t *buf = th_guard_copy(fr, 26);
        struct rscp_frame f;
        size_t off = 0;
        CHECK_INT(rscp_frame_decode(buf, 26, NULL, &f, &off), RSCP_ERR_TRUNCATED);
        CHECK_INT(off, 26);
        th_guard_free(buf, 26);
    }

    /* GO Test_read value cases: values too short for their type */
    static const struct {
        uint8_t type;
        const char *value;
    } shortv[] = {
        {RSCP_TYPE_UINT16, "ff"},
        {RSCP_TYPE_TIMESTAMP, "d9744698faffffff"},
        {RSCP_TYPE_TIMESTAMP, "d9744698faffffff00ca"},
        {RSCP_TYPE_TIMESTAMP, "d974"},
    };
    for (size_t i = 0; i < N(shortv); i++) {
        size_t vlen;
        uint8_t *val = th_unhex(shortv[i].value, &vlen);
        uint8_t blk[32];
        struct rscp_builder b;
        rscp_builder_init(&b, blk, sizeof blk);
        CHECK_INT(rscp_put_raw(&b, 0x00800001, shortv[i].type, val, vlen), 0);
        size_t n;
        rscp_builder_finish(&b, &n);
        uint8_t *buf = th_guard_copy(blk, n);
        struct rscp_iter it;
        struct rscp_block bl;
        rscp_iter_init(&it, buf, n);
        CHECK_INT(rscp_iter_next(&it, &bl), 1);
        CHECK_INT(rscp_block_check(&bl), RSCP_ERR_LENGTH);
        uint16_t u16;
        struct rscp_timestamp ts;
        if (shortv[i].type == RSCP_TYPE_UINT16)
            CHECK_INT(rscp_block_get_uint16(&bl, &u16), RSCP_ERR_LENGTH);
        else
            CHECK_INT(rscp_block_get_timestamp(&bl, &ts), RSCP_ERR_LENGTH);
        CHECK_INT(rscp_validate(buf, n, NULL, NULL), 0); /* not a structure error */
        th_guard_free(buf, n);
        free(val);
    }

    /* BOOL 0xFF is true */
    {
        static const uint8_t blk[] = {1, 0, 0x86, 3, 1, 1, 0, 0xff};
        struct rscp_iter it;
        struct rscp_block b;
        bool v = false;
        rscp_iter_init(&it, blk, sizeof blk);
        CHECK_INT(rscp_iter_next(&it, &b), 1);
        CHECK_INT(rscp_block_get_bool(&b, &v), 0);
        CHECK(v);
    }

    /* value-only vectors (GO Test_write): the value bytes after the header */
    {
        uint8_t out[64];
        struct rscp_builder b;
        size_t n;
        rscp_builder_init(&b, out, sizeof out);
        rscp_put_uchar8(&b, 1, 255);
        rscp_put_string(&b, 2, "test", 4);
        rscp_put_none(&b, 3);
        rscp_put_timestamp(&b, 4, -23215049511LL, 123456000);
        CHECK_INT(rscp_builder_finish(&b, &n), 0);
        CHECK_INT(n, 8 + 11 + 7 + 19);
        CHECK_MEM(out + 7, 1, "\xff", 1);
        CHECK_MEM(out + 15, 4, "test", 4);
        CHECK_MEM(out + 21, 2, "\0\0", 2);
        size_t tl;
        uint8_t *ts = th_unhex("d9744698faffffff00ca5b07", &tl);
        CHECK_MEM(out + 33, 12, ts, tl);
        free(ts);
    }
}

/* ---- encrypted vectors (R1-R7 and the GO TestWrite frame) ------------------ */

static const struct {
    const char *name;
    const char *cipher;
    int result; /* 1: a frame; otherwise the reader's answer */
    const char *plain; /* expected frame bytes when result is 1 */
} encrypted[] = {
    {"R1",
     "d5a48ab267d7dacbc3ff350f2d1f1a147e31e463b5bb7bfc380c59095b6426af1bc4637a57d4022e026cd551d9b6f8f917822d3c65"
     "0387b1e92c1cce669bdf39ec4df29aa35a4f3c13eeaf640cfaa003ce5637e7a15fc7501621bfb18fa1da5a1bf21dd0efddf4bcf4e73c"
     "37718556bd65dc85b85367b34fac6729f79f4111b16d766e606fdc61876d80798fd3f488b17e5cfef9286b4f97e9a6bdf2d378514e75"
     "4be363181cb415a6d394685dafb448535ae87075f6a5994060305bed582a0a1500124bbfb77639614aee5f6a3faf3ee077e927af7c27"
     "2b166d1f483f8e06d5",
     1, R1_PLAIN},
    {"R2",
     "7d3e30ab2f8d7561b6f24c2c07f4638c3aa7f386f8cdf5e21d29c698214325e7f564f9c48dea39fa3df3b2979fbd3fb4e420caaf6fa3"
     "5f06d68e5f8eca47a74316bbdd0a3d3bc5c872556318d50e450f3594b429a2022339096d2f68cb9956ec4a0d02d5828729294d7268fd"
     "27a47d595a38b9ed05bf8971faef42e5cfbfc24ef392eebf6eac8f0707cb355b52e6aac0baec69d5cef313971e9b864dcae4a4a74a0b"
     "c50fc2d74d8e3a0fd660a98d80b9bd2766bbad8d767914d32b4b15bd4f1b",
     1, R2_PLAIN},
    {"R3", "e4baf96800953a1d70ea6124a3a31d75f6a0942c38e5cc21d881067c45cf262d", 1,
     "e3dc00117bf3cc5f00000000b81fcc150800010080000301000af0beaaed"},
    {"R4", "e485f03962363300ba267724b2953ecd75a75318027a8486cb6dc6f0e00dad54", RSCP_ERR_BAD_KEY_DECRYPT, NULL},
    {"R5", "b5e5187feb7ff491bb30d15b2783a430abcbc7fd9b7f89cc2987e3226305d61c", RSCP_ERR_PADDING, NULL},
    {"R6", "67db115ee92cb418525753d09ec803556a52c63514fa908b12f63d4e4673d0bd", RSCP_ERR_CRC, NULL},
    {"R7", "299cd8c646c08d3f9929067970a3f065532ca574addfa3b8cb12757d90def474", 0, NULL},
    {"TestWrite", "a52858a12680c2b712bbc9cb8ce0f0406f01f5d10ca06e9bda41fb46b311c226", 1,
     "e3dc0011d9744698faffffff00ca5b070800010080000301000a7fb3efc3"},
};

static void test_encrypted(void)
{
    uint8_t key[RSCP_KEY_SIZE];
    rscp_key_derive("testkey", 7, key);
    for (size_t i = 0; i < N(encrypted); i++) {
        rscp_cipher *c = NULL;
        rscp_reader *r = NULL;
        unsigned before = th_failures();
        CHECK_INT(rscp_cipher_new(&c, key, RSCP_CIPHER_AUTO), 0);
        CHECK_INT(rscp_reader_new(&r), 0);
        if (!c || !r)
            return;
        rscp_reader_set_cipher(r, c);
        size_t len;
        uint8_t *ct = th_unhex(encrypted[i].cipher, &len);
        CHECK_INT(rscp_reader_feed(r, ct, len), (long long)len);
        struct rscp_frame f;
        int rc = rscp_reader_next(r, &f);
        CHECK_INT(rc, encrypted[i].result);
        if (rc == 1) {
            size_t pl;
            uint8_t *plain = th_unhex(encrypted[i].plain, &pl);
            size_t flen = 18u + f.data_len + (f.crc ? 4u : 0u);
            CHECK_MEM(f.data - 18, flen, plain, flen <= pl ? flen : pl);
            CHECK_INT(rscp_reader_pending(r), 0);
            if (i < 2)
                check_blocks(f.data, f.data_len, r1, N(r1));
            else
                check_blocks(f.data, f.data_len, f_auth10, N(f_auth10));
            free(plain);
        } else if (rc == 0) {
            /* R7: 255 data bytes announced, only 32 bytes there: waiting */
            CHECK_INT(rscp_reader_pending(r), 32);
        } else {
            CHECK_INT(rscp_reader_error(r), rc);
            CHECK_INT(rscp_reader_next(r, &f), rc);
        }
        if (th_failures() != before)
            fprintf(stderr, "  (in vector %s)\n", encrypted[i].name);
        free(ct);
        rscp_reader_free(r);
        rscp_cipher_free(c);
    }
}

int main(void)
{
    for (size_t i = 0; i < N(frames); i++)
        test_frame(&frames[i]);
    test_legacy_ctrl();
    test_f7_template();
    test_rejected();
    test_headers();
    for (size_t i = 0; i < N(blocks); i++)
        test_block(&blocks[i]);
    test_edge_cases();
    test_encrypted();
    return th_finish();
}
