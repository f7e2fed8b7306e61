/* Values: every type written with the builder and read back with the
 * iterator and getters, edge values included; wire bytes compared with the
 * little-endian / IEEE-754 layout; getter errors; lookup; validation
 * limits; the builder's NOSPACE at every capacity with the buffer placed
 * before a guard page so that any write past the end faults. */
#include "harness.h"
#include "rscp/builder.h"
#include "rscp/error.h"
#include "rscp/frame.h"
#include "rscp/types.h"
#include "rscp/value.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static uint32_t fbits(float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}

static uint64_t dbits(double d)
{
    uint64_t u;
    memcpy(&u, &d, 8);
    return u;
}

static float bits_f(uint32_t u)
{
    float f;
    memcpy(&f, &u, 4);
    return f;
}

static double bits_d(uint64_t u)
{
    double d;
    memcpy(&d, &u, 8);
    return d;
}

/* The single block in buf[0..n) with its expected header. */
static struct rscp_block one_block(const uint8_t *buf, size_t n, uint32_t tag, uint8_t type, size_t vlen)
{
    struct rscp_iter it;
    struct rscp_block b;
    memset(&b, 0, sizeof b);
    rscp_iter_init(&it, buf, n);
    CHECK_INT(rscp_iter_next(&it, &b), 1);
    CHECK_INT(b.tag, tag);
    CHECK_INT(b.type, type);
    CHECK_INT(b.length, vlen);
    CHECK_INT(n, 7 + vlen);
    CHECK_INT(buf[4], type);
    struct rscp_block end;
    CHECK_INT(rscp_iter_next(&it, &end), 0);
    return b;
}

/* Little-endian bytes of v, as the wire layout demands. */
static void le(uint8_t *p, uint64_t v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* Run the put calls on a fresh builder over buf (errors are sticky, so
 * checking finish checks them all); n gets the length. */
#define BUILD(calls)                                  \
    do {                                              \
        struct rscp_builder bld_;                     \
        rscp_builder_init(&bld_, buf, sizeof buf);    \
        struct rscp_builder *b = &bld_;               \
        calls;                                        \
        CHECK_INT(rscp_builder_finish(b, &n), 0);     \
    } while (0)

static void test_integers(void)
{
    uint8_t buf[64], want[8];
    size_t n;

    static const int64_t s8[] = {INT8_MIN, -1, 0, 1, INT8_MAX};
    for (size_t i = 0; i < N(s8); i++) {
        BUILD(rscp_put_char8(b, 0x11, (int8_t)s8[i]));
        struct rscp_block blk = one_block(buf, n, 0x11, RSCP_TYPE_CHAR8, 1);
        int8_t v = 0;
        CHECK_INT(rscp_block_get_char8(&blk, &v), 0);
        CHECK_INT(v, s8[i]);
        le(want, (uint64_t)s8[i], 1);
        CHECK_MEM(blk.value, 1, want, 1);
        int64_t iv;
        CHECK_INT(rscp_block_get_int(&blk, &iv), 0);
        CHECK_INT(iv, s8[i]);
    }
    static const uint64_t u8[] = {0, 1, 127, 128, UINT8_MAX};
    for (size_t i = 0; i < N(u8); i++) {
        BUILD(rscp_put_uchar8(b, 0x12, (uint8_t)u8[i]));
        struct rscp_block blk = one_block(buf, n, 0x12, RSCP_TYPE_UCHAR8, 1);
        uint8_t v = 0;
        CHECK_INT(rscp_block_get_uchar8(&blk, &v), 0);
        CHECK_INT(v, u8[i]);
        CHECK_INT(blk.value[0], u8[i]);
    }
    static const int64_t s16[] = {INT16_MIN, -2, 0, 0x1234, INT16_MAX};
    for (size_t i = 0; i < N(s16); i++) {
        BUILD(rscp_put_int16(b, 0x13, (int16_t)s16[i]));
        struct rscp_block blk = one_block(buf, n, 0x13, RSCP_TYPE_INT16, 2);
        int16_t v = 0;
        CHECK_INT(rscp_block_get_int16(&blk, &v), 0);
        CHECK_INT(v, s16[i]);
        le(want, (uint64_t)s16[i], 2);
        CHECK_MEM(blk.value, 2, want, 2);
    }
    static const uint64_t u16[] = {0, 0x1234, 0x8000, UINT16_MAX};
    for (size_t i = 0; i < N(u16); i++) {
        BUILD(rscp_put_uint16(b, 0x14, (uint16_t)u16[i]));
        struct rscp_block blk = one_block(buf, n, 0x14, RSCP_TYPE_UINT16, 2);
        uint16_t v = 0;
        CHECK_INT(rscp_block_get_uint16(&blk, &v), 0);
        CHECK_INT(v, u16[i]);
        le(want, u16[i], 2);
        CHECK_MEM(blk.value, 2, want, 2);
    }
    static const int64_t s32[] = {INT32_MIN, -2, 0, 0x12345678, INT32_MAX};
    for (size_t i = 0; i < N(s32); i++) {
        BUILD(rscp_put_int32(b, 0x15, (int32_t)s32[i]));
        struct rscp_block blk = one_block(buf, n, 0x15, RSCP_TYPE_INT32, 4);
        int32_t v = 0;
        CHECK_INT(rscp_block_get_int32(&blk, &v), 0);
        CHECK_INT(v, s32[i]);
        le(want, (uint64_t)s32[i], 4);
        CHECK_MEM(blk.value, 4, want, 4);
    }
    static const uint64_t u32[] = {0, 0x12345678, 0x80000000u, UINT32_MAX};
    for (size_t i = 0; i < N(u32); i++) {
        BUILD(rscp_put_uint32(b, 0x16, (uint32_t)u32[i]));
        struct rscp_block blk = one_block(buf, n, 0x16, RSCP_TYPE_UINT32, 4);
        uint32_t v = 0;
        CHECK_INT(rscp_block_get_uint32(&blk, &v), 0);
        CHECK_INT(v, u32[i]);
        le(want, u32[i], 4);
        CHECK_MEM(blk.value, 4, want, 4);
    }
    static const int64_t s64[] = {INT64_MIN, -2, 0, 0x123456789abcdef0LL, INT64_MAX};
    for (size_t i = 0; i < N(s64); i++) {
        BUILD(rscp_put_int64(b, 0x17, s64[i]));
        struct rscp_block blk = one_block(buf, n, 0x17, RSCP_TYPE_INT64, 8);
        int64_t v = 0;
        CHECK_INT(rscp_block_get_int64(&blk, &v), 0);
        CHECK(v == s64[i]);
        le(want, (uint64_t)s64[i], 8);
        CHECK_MEM(blk.value, 8, want, 8);
        int64_t iv = 0;
        CHECK_INT(rscp_block_get_int(&blk, &iv), 0);
        CHECK(iv == s64[i]);
        uint64_t uv = 0;
        CHECK_INT(rscp_block_get_uint(&blk, &uv), s64[i] < 0 ? RSCP_ERR_RANGE : 0);
    }
    static const uint64_t u64[] = {0, 0x123456789abcdef0ull, (uint64_t)INT64_MAX, (uint64_t)INT64_MAX + 1,
                                   UINT64_MAX};
    for (size_t i = 0; i < N(u64); i++) {
        BUILD(rscp_put_uint64(b, 0x18, u64[i]));
        struct rscp_block blk = one_block(buf, n, 0x18, RSCP_TYPE_UINT64, 8);
        uint64_t v = 0;
        CHECK_INT(rscp_block_get_uint64(&blk, &v), 0);
        CHECK(v == u64[i]);
        le(want, u64[i], 8);
        CHECK_MEM(blk.value, 8, want, 8);
        int64_t iv = 0;
        CHECK_INT(rscp_block_get_int(&blk, &iv), u64[i] > (uint64_t)INT64_MAX ? RSCP_ERR_RANGE : 0);
        uint64_t uv = 0;
        CHECK_INT(rscp_block_get_uint(&blk, &uv), 0);
        CHECK(uv == u64[i]);
        double d = 0;
        CHECK_INT(rscp_block_get_number(&blk, &d), 0);
        CHECK(d == (double)u64[i]);
    }
    for (int t = 0; t < 2; t++) {
        BUILD(rscp_put_bool(b, 0x19, t != 0));
        struct rscp_block blk = one_block(buf, n, 0x19, RSCP_TYPE_BOOL, 1);
        bool v = t == 0;
        CHECK_INT(rscp_block_get_bool(&blk, &v), 0);
        CHECK_INT(v, t != 0);
        CHECK_INT(blk.value[0], t);
        int64_t iv = -5;
        CHECK_INT(rscp_block_get_int(&blk, &iv), 0);
        CHECK_INT(iv, t);
    }
    BUILD(rscp_put_error(b, 0x1A, 0xFFFFFFFFu));
    struct rscp_block blk = one_block(buf, n, 0x1A, RSCP_TYPE_ERROR, 4);
    uint32_t code = 0;
    CHECK_INT(rscp_block_get_error(&blk, &code), 0);
    CHECK_INT(code, 0xFFFFFFFFu);
    CHECK_MEM(blk.value, 4, "\xff\xff\xff\xff", 4);
    int64_t iv;
    CHECK_INT(rscp_block_get_int(&blk, &iv), RSCP_ERR_TYPE);
}

static void test_floats(void)
{
    uint8_t buf[64], want[8];
    size_t n;
    static const uint32_t fb[] = {
        0x00000000u, 0x80000000u, /* +0, -0 */
        0x00000001u, 0x807fffffu, /* smallest and largest-magnitude negative subnormal */
        0x7f800000u, 0xff800000u, /* infinities */
        0x7fc12345u, 0xffc00001u, /* quiet NaNs with payloads */
        0x3f800000u, 0x439c3333u, /* 1.0, 312.4 (vector D13) */
    };
    for (size_t i = 0; i < N(fb); i++) {
        BUILD(rscp_put_float32(b, 0x21, bits_f(fb[i])));
        struct rscp_block blk = one_block(buf, n, 0x21, RSCP_TYPE_FLOAT32, 4);
        float v = 0;
        CHECK_INT(rscp_block_get_float32(&blk, &v), 0);
        CHECK_INT(fbits(v), fb[i]);
        le(want, fb[i], 4);
        CHECK_MEM(blk.value, 4, want, 4);
        double d = 0;
        CHECK_INT(rscp_block_get_number(&blk, &d), 0);
        CHECK(isnan(d) ? isnan(bits_f(fb[i])) : d == (double)bits_f(fb[i]));
        int64_t iv;
        CHECK_INT(rscp_block_get_int(&blk, &iv), RSCP_ERR_TYPE);
    }
    static const uint64_t db[] = {
        0x0000000000000000ull, 0x8000000000000000ull, 0x0000000000000001ull, 0x800fffffffffffffull,
        0x7ff0000000000000ull, 0xfff0000000000000ull, 0x7ff8000000000123ull, 0xfff800000000abcdull,
        0x3ff0000000000000ull, 0x41131171ba5e353full,
    };
    for (size_t i = 0; i < N(db); i++) {
        BUILD(rscp_put_double64(b, 0x22, bits_d(db[i])));
        struct rscp_block blk = one_block(buf, n, 0x22, RSCP_TYPE_DOUBLE64, 8);
        double v = 0;
        CHECK_INT(rscp_block_get_double64(&blk, &v), 0);
        CHECK(dbits(v) == db[i]);
        le(want, db[i], 8);
        CHECK_MEM(blk.value, 8, want, 8);
        double d = 0;
        CHECK_INT(rscp_block_get_number(&blk, &d), 0);
        CHECK(dbits(d) == db[i]);
    }
}

static void test_timestamps(void)
{
    uint8_t buf[64], want[12];
    size_t n;
    static const struct rscp_timestamp ts[] = {
        {0, 0}, {-1, 999999999}, {INT64_MIN, 0}, {INT64_MAX, 999999999}, {-23215049511LL, 123456000},
    };
    for (size_t i = 0; i < N(ts); i++) {
        BUILD(rscp_put_timestamp(b, 0x31, ts[i].seconds, ts[i].nanoseconds));
        struct rscp_block blk = one_block(buf, n, 0x31, RSCP_TYPE_TIMESTAMP, 12);
        struct rscp_timestamp v = {1, 1};
        CHECK_INT(rscp_block_get_timestamp(&blk, &v), 0);
        CHECK(v.seconds == ts[i].seconds);
        CHECK_INT(v.nanoseconds, ts[i].nanoseconds);
        le(want, (uint64_t)ts[i].seconds, 8);
        le(want + 8, ts[i].nanoseconds, 4);
        CHECK_MEM(blk.value, 12, want, 12);
    }
    struct rscp_builder b;
    rscp_builder_init(&b, buf, sizeof buf);
    CHECK_INT(rscp_put_timestamp(&b, 1, 0, 1000000000u), RSCP_ERR_ARG);
    CHECK_INT(rscp_put_none(&b, 1), RSCP_ERR_ARG); /* sticky */
    CHECK_INT(rscp_builder_error(&b), RSCP_ERR_ARG);
    CHECK_INT(rscp_builder_finish(&b, &n), RSCP_ERR_ARG);
}

static void test_variable(void)
{
    static uint8_t buf[70000];
    size_t n;
    /* empty string, empty byte array, empty bitfield */
    BUILD(rscp_put_string(b, 0x41, NULL, 0));
    struct rscp_block blk = one_block(buf, n, 0x41, RSCP_TYPE_CSTRING, 0);
    const char *s = NULL;
    size_t len = 99;
    CHECK_INT(rscp_block_get_string(&blk, &s, &len), 0);
    CHECK(s != NULL);
    CHECK_INT(len, 0);
    BUILD(rscp_put_cstr(b, 0x41, ""));
    one_block(buf, n, 0x41, RSCP_TYPE_CSTRING, 0);
    BUILD(rscp_put_bytes(b, 0x42, NULL, 0));
    blk = one_block(buf, n, 0x42, RSCP_TYPE_BYTEARRAY, 0);
    const uint8_t *p = NULL;
    CHECK_INT(rscp_block_get_bytes(&blk, &p, &len), 0);
    CHECK(p != NULL);
    CHECK_INT(len, 0);
    BUILD(rscp_put_bitfield(b, 0x43, NULL, 0));
    one_block(buf, n, 0x43, RSCP_TYPE_BITFIELD, 0);

    /* NUL bytes inside a string are kept */
    static const char nul[] = "a\0b\0";
    BUILD(rscp_put_string(b, 0x44, nul, 4));
    blk = one_block(buf, n, 0x44, RSCP_TYPE_CSTRING, 4);
    CHECK_INT(rscp_block_get_string(&blk, &s, &len), 0);
    CHECK_MEM(s, len, nul, 4);
    BUILD(rscp_put_cstr(b, 0x44, nul));
    one_block(buf, n, 0x44, RSCP_TYPE_CSTRING, 1);

    /* the largest value, and one byte more */
    static uint8_t big[RSCP_MAX_VALUE_LEN + 1];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (uint8_t)(i * 7);
    BUILD(rscp_put_bytes(b, 0x45, big, RSCP_MAX_VALUE_LEN));
    blk = one_block(buf, n, 0x45, RSCP_TYPE_BYTEARRAY, RSCP_MAX_VALUE_LEN);
    CHECK_INT(rscp_block_get_bytes(&blk, &p, &len), 0);
    CHECK_MEM(p, len, big, RSCP_MAX_VALUE_LEN);
    struct rscp_builder w;
    rscp_builder_init(&w, buf, sizeof buf);
    CHECK_INT(rscp_put_bytes(&w, 0x45, big, RSCP_MAX_VALUE_LEN + 1), RSCP_ERR_VALUE_TOO_LONG);
    CHECK_INT(rscp_builder_finish(&w, &n), RSCP_ERR_VALUE_TOO_LONG);
    rscp_builder_init(&w, buf, sizeof buf);
    CHECK_INT(rscp_put_string(&w, 0x45, (const char *)big, 0x10000), RSCP_ERR_VALUE_TOO_LONG);
    rscp_builder_init(&w, buf, sizeof buf);
    CHECK_INT(rscp_put_raw(&w, 0x45, 0x77, NULL, 3), RSCP_ERR_ARG);
    rscp_builder_init(&w, buf, sizeof buf);
    CHECK_INT(rscp_put_cstr(&w, 0x45, NULL), RSCP_ERR_ARG);

    /* any type code with raw bytes, including unknown codes and wrong lengths */
    BUILD(rscp_put_raw(b, 0x46, 0x42, "xyz", 3));
    blk = one_block(buf, n, 0x46, 0x42, 3);
    CHECK(!rscp_type_is_known(blk.type));
    CHECK_INT(rscp_block_check(&blk), 0);
    CHECK_MEM(blk.value, 3, "xyz", 3);
    BUILD(rscp_put_raw(b, 0x47, RSCP_TYPE_INT32, "xyz", 3));
    blk = one_block(buf, n, 0x47, RSCP_TYPE_INT32, 3);
    CHECK_INT(rscp_block_check(&blk), RSCP_ERR_LENGTH);
    int32_t i32 = 5;
    CHECK_INT(rscp_block_get_int32(&blk, &i32), RSCP_ERR_LENGTH);
    CHECK_INT(i32, 5);
    double d;
    CHECK_INT(rscp_block_get_number(&blk, &d), RSCP_ERR_LENGTH);
}

/* Containers: empty, nested to the builder limit, errors. */
static void test_containers(void)
{
    uint8_t buf[512];
    size_t n;
    BUILD(rscp_put_container_open(b, 0x51); rscp_put_container_close(b));
    struct rscp_block blk = one_block(buf, n, 0x51, RSCP_TYPE_CONTAINER, 0);
    struct rscp_iter it;
    struct rscp_block child;
    CHECK_INT(rscp_block_children(&blk, &it), 0);
    CHECK_INT(rscp_iter_next(&it, &child), 0);

    /* RSCP_BUILDER_MAX_DEPTH levels, each with one INT32 after the inner one */
    struct rscp_builder w;
    rscp_builder_init(&w, buf, sizeof buf);
    for (unsigned d = 0; d < RSCP_BUILDER_MAX_DEPTH; d++)
        CHECK_INT(rscp_put_container_open(&w, 0x100 + d), 0);
    CHECK_INT(rscp_put_container_open(&w, 0x999), RSCP_ERR_DEPTH);
    CHECK_INT(rscp_builder_error(&w), RSCP_ERR_DEPTH);
    rscp_builder_init(&w, buf, sizeof buf);
    for (unsigned d = 0; d < RSCP_BUILDER_MAX_DEPTH; d++)
        rscp_put_container_open(&w, 0x100 + d);
    CHECK_INT(rscp_builder_finish(&w, &n), RSCP_ERR_STATE);
    for (unsigned d = 0; d < RSCP_BUILDER_MAX_DEPTH; d++) {
        CHECK_INT(rscp_put_container_close(&w), 0);
        CHECK_INT(rscp_put_int32(&w, 0x200 + d, (int32_t)d), 0);
    }
    CHECK_INT(rscp_builder_finish(&w, &n), 0);
    CHECK_INT(n, RSCP_BUILDER_MAX_DEPTH * (7 + 11));
    /* walk it down: level d holds container 0x100+d followed by an INT32 of value 15-d */
    struct rscp_limits lim = rscp_limits_default();
    CHECK_INT(rscp_validate(buf, n, &lim, NULL), 0);
    lim.max_depth = RSCP_BUILDER_MAX_DEPTH - 1;
    size_t off = 0;
    CHECK_INT(rscp_validate(buf, n, &lim, &off), RSCP_ERR_DEPTH);
    CHECK_INT(off, 7 * (RSCP_BUILDER_MAX_DEPTH - 1)); /* the innermost container */
    rscp_iter_init(&it, buf, n);
    for (unsigned d = 0; d < RSCP_BUILDER_MAX_DEPTH; d++) {
        CHECK_INT(rscp_iter_next(&it, &blk), 1);
        CHECK_INT(blk.tag, 0x100 + d);
        CHECK_INT(blk.type, RSCP_TYPE_CONTAINER);
        CHECK_INT(blk.length, (RSCP_BUILDER_MAX_DEPTH - d - 1) * 18);
        struct rscp_block last;
        struct rscp_iter rest = it;
        CHECK_INT(rscp_iter_next(&rest, &last), 1);
        int32_t v = -1;
        CHECK_INT(rscp_block_get_int32(&last, &v), 0);
        CHECK_INT(v, RSCP_BUILDER_MAX_DEPTH - 1 - d);
        CHECK_INT(rscp_block_children(&blk, &it), 0);
    }

    rscp_builder_init(&w, buf, sizeof buf);
    CHECK_INT(rscp_put_container_close(&w), RSCP_ERR_STATE);
    CHECK_INT(rscp_put_none(&w, 1), RSCP_ERR_STATE);

    /* children longer than a value may be */
    static uint8_t large[70000];
    static uint8_t chunk[40000];
    rscp_builder_init(&w, large, sizeof large);
    rscp_put_container_open(&w, 0x52);
    rscp_put_bytes(&w, 1, chunk, sizeof chunk);
    rscp_put_bytes(&w, 2, chunk, 25600);
    CHECK_INT(rscp_put_container_close(&w), RSCP_ERR_VALUE_TOO_LONG);

    /* put_block copies a container whole */
    uint8_t copy[512];
    BUILD(rscp_put_container_open(b, 0x53); rscp_put_uint16(b, 1, 7); rscp_put_cstr(b, 2, "hi"); rscp_put_container_close(b));
    blk = one_block(buf, n, 0x53, RSCP_TYPE_CONTAINER, 7 + 2 + 7 + 2);
    rscp_builder_init(&w, copy, sizeof copy);
    CHECK_INT(rscp_put_block(&w, &blk), 0);
    size_t cn;
    CHECK_INT(rscp_builder_finish(&w, &cn), 0);
    CHECK_MEM(copy, cn, buf, n);
}

/* Sequence used for the capacity sweep; frame or bare blocks. */
static int put_sample(struct rscp_builder *b)
{
    rscp_put_none(b, 0x01000001);
    rscp_put_container_open(b, 0x03040000);
    rscp_put_uint16(b, 0x03040001, 0);
    rscp_put_container_open(b, 0x03040002);
    rscp_put_container_close(b);
    rscp_put_string(b, 0x0380000C, "battery", 7);
    rscp_put_timestamp(b, 0x0A80000E, -5, 7);
    rscp_put_container_close(b);
    rscp_put_double64(b, 0x05800006, -0.0);
    return rscp_put_bytes(b, 0x0E042010, "\x01\x05\x67", 3);
}

static void test_nospace_sweep(bool frame, bool crc)
{
    uint8_t ref[256];
    struct rscp_builder b;
    struct rscp_timestamp ts = {1695199352, 818989000};
    size_t full = 0;
    if (frame)
        rscp_builder_begin_frame(&b, ref, sizeof ref, &ts, crc);
    else
        rscp_builder_init(&b, ref, sizeof ref);
    put_sample(&b);
    CHECK_INT(rscp_builder_finish(&b, &full), 0);
    struct rscp_frame f;
    if (frame)
        CHECK_INT(rscp_frame_decode(ref, full, NULL, &f, NULL), 0);
    else
        CHECK_INT(rscp_validate(ref, full, NULL, NULL), 0);

    for (size_t cap = 0; cap <= full; cap++) {
        /* the buffer ends right before a guard page */
        uint8_t *buf = th_guard_copy(ref, cap);
        memset(buf, 0xAA, cap);
        int rc = frame ? rscp_builder_begin_frame(&b, buf, cap, &ts, crc) : (rscp_builder_init(&b, buf, cap), 0);
        if (frame)
            CHECK_INT(rc, cap < 18 ? RSCP_ERR_NOSPACE : 0);
        put_sample(&b);
        size_t n = 12345;
        rc = rscp_builder_finish(&b, &n);
        if (cap < full) {
            CHECK_INT(rc, RSCP_ERR_NOSPACE);
            CHECK_INT(n, 12345);
            CHECK(b.pos <= cap);
            CHECK_INT(rscp_put_none(&b, 1), RSCP_ERR_NOSPACE);
        } else {
            CHECK_INT(rc, 0);
            CHECK_MEM(buf, n, ref, full);
        }
        th_guard_free(buf, cap);
    }
}

/* Each strict getter rejects every other type and leaves *out alone. */
static void test_getter_types(void)
{
    uint8_t v[12] = {0};
    for (int t = 0; t <= 0xFF; t++) {
        int size = rscp_type_size(t);
        struct rscp_block b = {.tag = 1, .type = (uint8_t)t, .length = (uint16_t)(size > 0 ? size : 0), .value = v};
        bool bo = true;
        int8_t c = 3;
        uint8_t uc = 3;
        int16_t s16 = 3;
        uint16_t u16 = 3;
        int32_t s32 = 3;
        uint32_t u32 = 3;
        int64_t s64 = 3;
        uint64_t u64 = 3;
        float f = 3;
        double d = 3;
        struct rscp_timestamp ts = {3, 3};
        const char *s = "x";
        const uint8_t *p = v + 1;
        size_t len = 3;
#define EXPECT(type, call) CHECK_INT((call), t == (type) ? 0 : RSCP_ERR_TYPE)
        EXPECT(RSCP_TYPE_BOOL, rscp_block_get_bool(&b, &bo));
        EXPECT(RSCP_TYPE_CHAR8, rscp_block_get_char8(&b, &c));
        EXPECT(RSCP_TYPE_UCHAR8, rscp_block_get_uchar8(&b, &uc));
        EXPECT(RSCP_TYPE_INT16, rscp_block_get_int16(&b, &s16));
        EXPECT(RSCP_TYPE_UINT16, rscp_block_get_uint16(&b, &u16));
        EXPECT(RSCP_TYPE_INT32, rscp_block_get_int32(&b, &s32));
        EXPECT(RSCP_TYPE_UINT32, rscp_block_get_uint32(&b, &u32));
        EXPECT(RSCP_TYPE_INT64, rscp_block_get_int64(&b, &s64));
        EXPECT(RSCP_TYPE_UINT64, rscp_block_get_uint64(&b, &u64));
        EXPECT(RSCP_TYPE_FLOAT32, rscp_block_get_float32(&b, &f));
        EXPECT(RSCP_TYPE_DOUBLE64, rscp_block_get_double64(&b, &d));
        EXPECT(RSCP_TYPE_TIMESTAMP, rscp_block_get_timestamp(&b, &ts));
        EXPECT(RSCP_TYPE_ERROR, rscp_block_get_error(&b, &u32));
        EXPECT(RSCP_TYPE_CSTRING, rscp_block_get_string(&b, &s, &len));
#undef EXPECT
        bool is_bytes = t == RSCP_TYPE_BITFIELD || t == RSCP_TYPE_BYTEARRAY;
        CHECK_INT(rscp_block_get_bytes(&b, &p, &len), is_bytes ? 0 : RSCP_ERR_TYPE);
        bool is_int = t >= RSCP_TYPE_BOOL && t <= RSCP_TYPE_UINT64;
        bool is_num = is_int || t == RSCP_TYPE_FLOAT32 || t == RSCP_TYPE_DOUBLE64;
        CHECK_INT(rscp_block_get_int(&b, &s64), is_int ? 0 : RSCP_ERR_TYPE);
        CHECK_INT(rscp_block_get_uint(&b, &u64), is_int ? 0 : RSCP_ERR_TYPE);
        CHECK_INT(rscp_block_get_number(&b, &d), is_num ? 0 : RSCP_ERR_TYPE);
        struct rscp_iter it;
        CHECK_INT(rscp_block_children(&b, &it), t == RSCP_TYPE_CONTAINER ? 0 : RSCP_ERR_TYPE);
        if (t != RSCP_TYPE_BOOL)
            CHECK(bo);
        if (t != RSCP_TYPE_INT32)
            CHECK_INT(s32, 3);
        if (t != RSCP_TYPE_TIMESTAMP)
            CHECK(ts.seconds == 3);
        if (t != RSCP_TYPE_CSTRING)
            CHECK(s[0] == 'x');
        /* the wrong length for each fixed type */
        if (size >= 0) {
            b.length = (uint16_t)(size + 1);
            CHECK_INT(rscp_block_check(&b), RSCP_ERR_LENGTH);
            if (is_num)
                CHECK_INT(rscp_block_get_number(&b, &d), RSCP_ERR_LENGTH);
        } else {
            b.length = 5;
            CHECK_INT(rscp_block_check(&b), 0);
        }
    }
    /* lenient getters over the signed/unsigned split */
    uint8_t m1[8];
    memset(m1, 0xff, sizeof m1);
    static const uint8_t types[] = {RSCP_TYPE_CHAR8, RSCP_TYPE_INT16, RSCP_TYPE_INT32, RSCP_TYPE_INT64};
    static const uint8_t utypes[] = {RSCP_TYPE_UCHAR8, RSCP_TYPE_UINT16, RSCP_TYPE_UINT32, RSCP_TYPE_UINT64};
    static const uint64_t umax[] = {0xff, 0xffff, 0xffffffffu, UINT64_MAX};
    for (size_t i = 0; i < 4; i++) {
        struct rscp_block b = {.type = types[i], .length = (uint16_t)(1u << i), .value = m1};
        int64_t s = 0;
        uint64_t u = 0;
        double d = 0;
        CHECK_INT(rscp_block_get_int(&b, &s), 0);
        CHECK_INT(s, -1);
        CHECK_INT(rscp_block_get_uint(&b, &u), RSCP_ERR_RANGE);
        CHECK_INT(rscp_block_get_number(&b, &d), 0);
        CHECK(d == -1.0);
        b.type = utypes[i];
        CHECK_INT(rscp_block_get_uint(&b, &u), 0);
        CHECK(u == umax[i]);
        CHECK_INT(rscp_block_get_int(&b, &s), i == 3 ? RSCP_ERR_RANGE : 0);
        if (i < 3)
            CHECK(s == (int64_t)umax[i]);
        CHECK_INT(rscp_block_get_number(&b, &d), 0);
        CHECK(d == (double)umax[i]);
    }
    /* BOOL 0xFF counts as 1 in the lenient getters */
    struct rscp_block bb = {.type = RSCP_TYPE_BOOL, .length = 1, .value = m1};
    uint64_t u = 0;
    CHECK_INT(rscp_block_get_uint(&bb, &u), 0);
    CHECK_INT(u, 1);
}

/* The type table against data/types.tsv (the table the dictionary is generated from). */
static void test_types(void)
{
    size_t len;
    uint8_t *tsv = th_read_file(th_source_path("data/types.tsv"), &len);
    CHECK(tsv != NULL);
    if (!tsv)
        return;
    char *text = malloc(len + 1);
    memcpy(text, tsv, len);
    text[len] = 0;
    int rows = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        unsigned code;
        char name[32], size[8];
        if (sscanf(line, "0x%x\t%31s\t%7s", &code, name, size) != 3)
            continue;
        rows++;
        CHECK(rscp_type_is_known((int)code));
        CHECK(rscp_type_name((int)code) && strcmp(rscp_type_name((int)code), name) == 0);
        CHECK_INT(rscp_type_from_name(name), code);
        CHECK_INT(rscp_type_size((int)code), strcmp(size, "var") == 0 ? -1 : atoi(size));
        for (char *c = name; *c; c++)
            *c = (char)(*c - 'A' + 'a' >= 'a' && *c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
        CHECK_INT(rscp_type_from_name(name), code); /* lower case */
    }
    CHECK_INT(rows, 18);
    int known = 0;
    for (int t = -5; t < 300; t++)
        known += rscp_type_is_known(t);
    CHECK_INT(known, 18);
    CHECK(rscp_type_name(0x42) == NULL);
    CHECK(rscp_type_name(-1) == NULL);
    CHECK_INT(rscp_type_size(0x42), -1);
    CHECK_INT(rscp_type_from_name("0x42"), 0x42);
    CHECK_INT(rscp_type_from_name("0XfF"), 0xFF);
    CHECK_INT(rscp_type_from_name("0x0"), 0);
    CHECK_INT(rscp_type_from_name("0x"), RSCP_ERR_UNKNOWN_NAME);
    CHECK_INT(rscp_type_from_name("0x123"), RSCP_ERR_UNKNOWN_NAME);
    CHECK_INT(rscp_type_from_name("0xg1"), RSCP_ERR_UNKNOWN_NAME);
    CHECK_INT(rscp_type_from_name("INT"), RSCP_ERR_UNKNOWN_NAME);
    CHECK_INT(rscp_type_from_name("INT322"), RSCP_ERR_UNKNOWN_NAME);
    CHECK_INT(rscp_type_from_name(""), RSCP_ERR_UNKNOWN_NAME);
    CHECK_INT(rscp_type_from_name(NULL), RSCP_ERR_UNKNOWN_NAME);
    free(text);
    free(tsv);
}

static void test_find(void)
{
    uint8_t buf[256];
    size_t n;
    BUILD(rscp_put_uint16(b, 1, 10); rscp_put_container_open(b, 2); rscp_put_uint16(b, 3, 30); rscp_put_container_open(b, 4); rscp_put_uint16(b, 5, 50); rscp_put_uint16(b, 5, 51); rscp_put_container_close(b); rscp_put_container_close(b); rscp_put_uint16(b, 1, 11));
    struct rscp_block out;
    uint16_t v = 0;
    CHECK_INT(rscp_find(buf, n, 1, &out), 0);
    rscp_block_get_uint16(&out, &v);
    CHECK_INT(v, 10); /* the first of two */
    CHECK_INT(rscp_find(buf, n, 3, &out), RSCP_ERR_NOT_FOUND); /* not recursive */
    CHECK_INT(rscp_find(buf, n, 2, &out), 0);
    struct rscp_block c2 = out;
    CHECK_INT(rscp_block_find(&c2, 3, &out), 0);
    rscp_block_get_uint16(&out, &v);
    CHECK_INT(v, 30);
    CHECK_INT(rscp_block_find(&c2, 1, &out), RSCP_ERR_NOT_FOUND);
    static const uint32_t path[] = {2, 4, 5};
    CHECK_INT(rscp_find_path(buf, n, path, 3, &out), 0);
    rscp_block_get_uint16(&out, &v);
    CHECK_INT(v, 50);
    static const uint32_t bad[] = {1, 3};
    CHECK_INT(rscp_find_path(buf, n, bad, 2, &out), RSCP_ERR_TYPE);
    static const uint32_t missing[] = {2, 9, 5};
    CHECK_INT(rscp_find_path(buf, n, missing, 3, &out), RSCP_ERR_NOT_FOUND);
    CHECK_INT(rscp_find_path(buf, n, path, 0, &out), RSCP_ERR_ARG);
    CHECK_INT(rscp_find_path(buf, n, path, 1, &out), 0);
    CHECK_INT(out.tag, 2);
    struct rscp_block one = {.tag = 1, .type = RSCP_TYPE_UINT16, .length = 2, .value = buf};
    CHECK_INT(rscp_block_find(&one, 1, &out), RSCP_ERR_TYPE);
    CHECK_INT(rscp_find(NULL, 0, 1, &out), RSCP_ERR_NOT_FOUND);
    /* an iteration error before the tag is found */
    CHECK_INT(rscp_find(buf, n - 1, 99, &out), RSCP_ERR_BLOCK_OVERRUN);
    CHECK_INT(rscp_find(buf, n - 1, 1, &out), 0);
}

static void test_limits(void)
{
    struct rscp_limits l = rscp_limits_default();
    CHECK_INT(l.max_depth, RSCP_DEFAULT_MAX_DEPTH);
    CHECK_INT(l.max_blocks, RSCP_DEFAULT_MAX_BLOCKS);
    CHECK_INT(l.max_data_len, 65535);
    CHECK_INT(l.flags, 0);

    /* block count: exactly the limit passes, one more fails at that block */
    uint8_t buf[7 * 20];
    size_t n;
    struct rscp_builder b;
    rscp_builder_init(&b, buf, sizeof buf);
    rscp_put_container_open(&b, 1);
    for (int i = 0; i < 19; i++)
        rscp_put_none(&b, 2);
    rscp_put_container_close(&b);
    CHECK_INT(rscp_builder_finish(&b, &n), 0);
    l.max_blocks = 20;
    CHECK_INT(rscp_validate(buf, n, &l, NULL), 0);
    l.max_blocks = 19;
    size_t off = 0;
    CHECK_INT(rscp_validate(buf, n, &l, &off), RSCP_ERR_TOO_MANY_BLOCKS);
    CHECK_INT(off, 7 * 19);
    l.max_blocks = 20;
    l.max_depth = 1;
    CHECK_INT(rscp_validate(buf, n, &l, NULL), 0); /* a top-level container is depth 1 */
    l.max_depth = 0;
    CHECK_INT(rscp_validate(buf, n, &l, &off), RSCP_ERR_DEPTH);
    CHECK_INT(off, 0);
    CHECK_INT(rscp_validate(NULL, 0, NULL, NULL), 0);
    CHECK_INT(rscp_validate(NULL, 5, NULL, NULL), RSCP_ERR_ARG);
}

/* Nesting far deeper than any C stack would like: a 65,528-byte chain of
 * empty-headed containers is walked without recursion per level. */
static void test_deep_nesting(void)
{
    size_t levels = 65528 / 7;
    size_t len = levels * 7;
    uint8_t *buf = malloc(len);
    for (size_t i = 0; i < levels; i++) {
        uint8_t *p = buf + 7 * i;
        size_t inner = len - 7 * (i + 1);
        p[0] = 1, p[1] = 0, p[2] = 0, p[3] = 0, p[4] = RSCP_TYPE_CONTAINER;
        p[5] = (uint8_t)inner, p[6] = (uint8_t)(inner >> 8);
    }
    struct rscp_limits l = rscp_limits_default();
    size_t off = 0;
    CHECK_INT(rscp_validate(buf, len, &l, &off), RSCP_ERR_DEPTH);
    CHECK_INT(off, 7 * RSCP_DEFAULT_MAX_DEPTH);
    l.max_depth = UINT32_MAX;
    l.max_blocks = UINT32_MAX;
    CHECK_INT(rscp_validate(buf, len, &l, &off), 0);
    l.max_depth = (uint32_t)levels - 1;
    CHECK_INT(rscp_validate(buf, len, &l, &off), RSCP_ERR_DEPTH);
    CHECK_INT(off, 7 * (levels - 1));
    buf[len - 7 + 5] = 1; /* the innermost container claims one byte too many */
    l.max_depth = UINT32_MAX;
    CHECK_INT(rscp_validate(buf, len, &l, &off), RSCP_ERR_BLOCK_OVERRUN);
    CHECK_INT(off, len - 7);
    free(buf);
}

int main(void)
{
    test_integers();
    test_floats();
    test_timestamps();
    test_variable();
    test_containers();
    test_nospace_sweep(false, false);
    test_nospace_sweep(true, false);
    test_nospace_sweep(true, true);
    test_getter_types();
    test_types();
    test_find();
    test_limits();
    test_deep_nesting();
    return th_finish();
}
