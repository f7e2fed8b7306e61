/* The library's heap use, seen through the linker's --wrap of malloc,
 * calloc, realloc and free (tests/CMakeLists.txt links this test so):
 *
 *  - rscp_cipher_free() wipes the key schedule and the IVs: the block it
 *    hands to free() holds no byte of the key, of a round key or of an IV
 *    (and is all zero);
 *  - rscp_reader_free() wipes the buffered plaintext (it may hold a
 *    password of an authentication frame);
 *  - the reader allocates one buffer, bounded by the largest frame on the
 *    wire (RSCP_MAX_WIRE_SIZE + one cipher block), and nothing per frame,
 *    even for frames of the maximum size;
 *  - building, decoding, walking, the cipher, dumps and dictionary lookups
 *    allocate nothing. */
#define _GNU_SOURCE 1
#include "harness.h"
#include "rscp/builder.h"
#include "rscp/cipher.h"
#include "rscp/dump.h"
#include "rscp/error.h"
#include "rscp/frame.h"
#include "rscp/reader.h"
#include "rscp/tags.h"
#include "rscp/value.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t k, size_t n);
void *__wrap_realloc(void *p, size_t n);
void __wrap_free(void *p);

static unsigned long allocs;
static size_t largest;
/* The block whose contents are examined when it is freed. */
static const void *watched;
static size_t watched_len; /* bytes that must be zero when it is freed (0: the whole block) */
static bool watched_seen, watched_zero;
static const uint8_t *secret;
static size_t secret_len;
static bool secret_found;

static void note(size_t n)
{
    allocs++;
    if (n > largest)
        largest = n;
}

void *__wrap_malloc(size_t n)
{
    note(n);
    return __real_malloc(n);
}

void *__wrap_calloc(size_t k, size_t n)
{
    note(k * n);
    return __real_calloc(k, n);
}

void *__wrap_realloc(void *p, size_t n)
{
    note(n);
    return __real_realloc(p, n);
}

static bool contains(const uint8_t *hay, size_t n, const uint8_t *needle, size_t k)
{
    for (size_t i = 0; k && i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0)
            return true;
    return false;
}

void __wrap_free(void *p)
{
    if (p && p == watched) {
        size_t n = malloc_usable_size(p);
        const uint8_t *b = p;
        uint8_t acc = 0;
        for (size_t i = 0; i < (watched_len ? watched_len : n); i++)
            acc |= b[i];
        watched_seen = true;
        watched_zero = acc == 0;
        secret_found = secret && contains(b, n, secret, secret_len);
        watched = NULL;
    }
    __real_free(p);
}

static void watch(const void *p, const uint8_t *needle, size_t n)
{
    watched = p;
    watched_len = 0;
    watched_seen = watched_zero = secret_found = false;
    secret = needle;
    secret_len = n;
}

/* ---- wiping ---------------------------------------------------------------- */

static void test_cipher_wipe(int impl)
{
    uint8_t key[32];
    rscp_key_derive("correct horse battery staple", 28, key);
    rscp_cipher *c = NULL;
    unsigned long before = allocs;
    CHECK_INT(rscp_cipher_new(&c, key, impl), 0);
    CHECK_INT(allocs - before, 1);
    uint8_t iv[32], buf[64];
    memset(iv, 0x3c, sizeof iv);
    rscp_cipher_set_iv(c, RSCP_DIR_RECV, iv);
    memset(buf, 0x42, sizeof buf);
    CHECK_INT(rscp_cipher_encrypt(c, buf, sizeof buf), 0); /* send IV = last block */
    uint8_t send_iv[32];
    rscp_cipher_get_iv(c, RSCP_DIR_SEND, send_iv);
    /* the block holds the key (round key 0) while alive: the probe works */
    CHECK(contains((const uint8_t *)c, malloc_usable_size(c), key, 16));
    watch(c, key, 16);
    rscp_cipher_free(c);
    CHECK(watched_seen);
    CHECK(watched_zero);
    CHECK(!secret_found);
    /* and the IVs specifically */
    CHECK_INT(rscp_cipher_new(&c, key, impl), 0);
    rscp_cipher_set_iv(c, RSCP_DIR_RECV, iv);
    watch(c, iv, 32);
    rscp_cipher_free(c);
    CHECK(watched_seen && watched_zero && !secret_found);
}

/* The reader wipes the bytes it was given (not the untouched rest of its
 * buffer: wiping all 64 KiB would make every page resident). */
static void test_reader_wipe(void)
{
    /* P3 of vectors-public.md: user "TEST", password "123" */
    size_t n;
    uint8_t *p3 = th_unhex("e3dc001121000b650000000070da58201c00010000000e1500020000000d040054455354030000000d03003132"
                           "3378babe16",
                           &n);
    for (int lazy = 0; lazy < 2; lazy++) {
        rscp_reader *r = NULL;
        CHECK_INT(lazy ? rscp_reader_new_lazy(&r) : rscp_reader_new(&r), 0);
        CHECK_INT(rscp_reader_feed(r, p3, n), (long long)n);
        struct rscp_frame f;
        CHECK_INT(rscp_reader_next(r, &f), 1);
        /* the buffer is the reader's only other block; find it by the frame */
        const uint8_t *buffer = f.data - 18;
        CHECK(contains(buffer, n, (const uint8_t *)"TEST", 4));
        watch(buffer, (const uint8_t *)"TEST", 4);
        watched_len = n;
        rscp_reader_free(r);
        CHECK(watched_seen);
        CHECK(!secret_found);
        CHECK(watched_zero);
    }
    free(p3);
}

static size_t build_frame(uint8_t *buf, size_t cap, size_t data, uint32_t seed);

/* A lazy reader: no buffer until bytes come, growth in powers of two with
 * the old buffer wiped, trim wipes and frees, frames intact throughout. */
static void test_reader_lazy(void)
{
    enum { CAP = RSCP_MAX_WIRE_SIZE };
    uint8_t *frame = malloc(CAP);
    rscp_reader *r = NULL;
    unsigned long before = allocs;
    largest = 0;
    CHECK_INT(rscp_reader_new_lazy(&r), 0);
    CHECK_INT(allocs - before, 1); /* the reader only */
    CHECK_INT(rscp_reader_capacity(r), 0);
    struct rscp_frame f;
    CHECK_INT(rscp_reader_next(r, &f), 0);
    /* a small frame: a 512-byte buffer */
    struct rscp_builder b;
    struct rscp_timestamp ts = {1700000000, 0};
    rscp_builder_begin_frame(&b, frame, CAP, &ts, true);
    rscp_put_cstr(&b, 0x0A800001u, "secret-in-small-frame");
    size_t n = 0;
    CHECK_INT(rscp_builder_finish(&b, &n), 0);
    CHECK_INT(rscp_reader_feed(r, frame, n), (long long)n);
    CHECK_INT(rscp_reader_capacity(r), 512);
    /* a large one arriving behind it, unread: the buffer grows, the old
     * one is wiped when freed */
    CHECK_INT(rscp_reader_next(r, &f), 1);
    const uint8_t *small_buf = f.data - 18;
    watch(small_buf, (const uint8_t *)"secret-in-small-frame", 21);
    watched_len = n;
    size_t big = build_frame(frame, CAP, 40000, 7);
    size_t half = big / 2;
    CHECK_INT(rscp_reader_feed(r, frame, half), (long long)half);
    CHECK(watched_seen && watched_zero && !secret_found);
    CHECK_INT(rscp_reader_capacity(r), 32768);
    CHECK_INT(rscp_reader_feed(r, frame + half, big - half), (long long)(big - half));
    CHECK_INT(rscp_reader_capacity(r), 65536);
    CHECK_INT(rscp_reader_next(r, &f), 1);
    CHECK_INT(f.data_len, 40000);
    CHECK(memcmp(f.data, frame + 18, 40000) == 0);
    CHECK(largest <= RSCP_MAX_WIRE_SIZE + RSCP_CIPHER_BLOCK_SIZE);
    /* trim: wiped (what was used) and freed; the next feed starts small */
    watch(f.data - 18, NULL, 0);
    watched_len = big;
    rscp_reader_trim(r);
    CHECK(watched_seen && watched_zero);
    CHECK_INT(rscp_reader_capacity(r), 0);
    CHECK_INT(rscp_reader_feed(r, frame, 10), 10);
    CHECK_INT(rscp_reader_capacity(r), 512);
    rscp_reader_trim(r); /* something pending: kept */
    CHECK_INT(rscp_reader_capacity(r), 512);
    rscp_reader_free(r);
    free(frame);
}

/* ---- allocation counts --------------------------------------------------- */

/* A frame of n data bytes: containers of UINT32 blocks and strings. */
static size_t build_frame(uint8_t *buf, size_t cap, size_t data, uint32_t seed)
{
    struct rscp_builder b;
    struct rscp_timestamp ts = {1700000000 + seed, seed};
    rscp_builder_begin_frame(&b, buf, cap, &ts, true);
    size_t left = data;
    while (left > 0) {
        if (left == 38 || left >= 38 + 7) { /* a container of 38 bytes in all */
            rscp_put_container_open(&b, 0x01840000u);
            rscp_put_uint32(&b, 0x01800001u, seed++);
            rscp_put_string(&b, 0x0180000Cu, "0123456789abc", 13);
            rscp_put_container_close(&b);
            left -= 7 + 11 + 20;
        } else {
            /* the rest (7..44 bytes) as one byte array */
            static const uint8_t fill[64];
            rscp_put_bytes(&b, 0x0A800000u, fill, left - 7);
            left = 0;
        }
    }
    size_t out = 0;
    CHECK_INT(rscp_builder_finish(&b, &out), 0);
    return out;
}

static int null_sink(void *ctx, const char *s, size_t n)
{
    (void)s;
    *(size_t *)ctx += n;
    return 0;
}

static void test_no_allocations(void)
{
    enum { CAP = RSCP_MAX_WIRE_SIZE };
    uint8_t *frame = malloc(CAP);
    uint8_t *wire = malloc(4 * CAP);
    uint8_t key[32];
    rscp_key_derive("0123456789abcdef", 16, key);
    rscp_cipher *tx = NULL, *rx = NULL;
    CHECK_INT(rscp_cipher_new(&tx, key, RSCP_CIPHER_AUTO), 0);
    CHECK_INT(rscp_cipher_new(&rx, key, RSCP_CIPHER_AUTO), 0);
    rscp_reader *r = NULL;
    largest = 0;
    unsigned long before = allocs;
    CHECK_INT(rscp_reader_new(&r), 0);
    CHECK_INT(allocs - before, 2); /* the reader and its buffer */
    CHECK(largest <= RSCP_MAX_WIRE_SIZE + RSCP_CIPHER_BLOCK_SIZE);
    CHECK(largest >= RSCP_MAX_WIRE_SIZE);
    rscp_reader_set_cipher(r, rx);

    before = allocs;
    static const size_t sizes[] = {0, 8, 38, 1000, 4096, 40000, RSCP_MAX_DATA_LEN};
    size_t frames_out = 0, dumped = 0;
    for (int round = 0; round < 3; round++) {
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            size_t n = build_frame(frame, CAP, sizes[i], (uint32_t)i);
            CHECK_INT(n, 22 + sizes[i]);
            struct rscp_frame f;
            CHECK_INT(rscp_frame_decode(frame, n, NULL, &f, NULL), 0);
            struct rscp_iter it;
            struct rscp_block blk;
            rscp_frame_iter(&f, &it);
            while (rscp_iter_next(&it, &blk) == 1) {
                struct rscp_block child;
                uint32_t u;
                if (rscp_block_find(&blk, 0x01800001u, &child) == 0)
                    CHECK_INT(rscp_block_get_uint32(&child, &u), 0);
            }
            if (sizes[i] <= 4096) {
                char text[65536];
                struct rscp_strbuf sb;
                rscp_strbuf_init(&sb, text, sizeof text);
                CHECK_INT(rscp_dump_frame(&f, 0, rscp_strbuf_sink, &sb), 0);
                CHECK_INT(rscp_json_frame(&f, RSCP_DUMP_PRETTY, null_sink, &dumped), 0);
            }
            /* encrypt a copy and feed it in uneven pieces */
            memcpy(wire, frame, n);
            size_t wn = 0;
            CHECK_INT(rscp_cipher_seal(tx, wire, n, 4 * CAP, &wn), 0);
            for (size_t off = 0; off < wn;) {
                size_t k = 1 + (off * 7919 + i) % 5000;
                if (k > wn - off)
                    k = wn - off;
                int took = rscp_reader_feed(r, wire + off, k);
                CHECK(took >= 0);
                if (took < 0)
                    break;
                off += (size_t)took;
                struct rscp_frame g;
                int rc;
                while ((rc = rscp_reader_next(r, &g)) == 1) {
                    frames_out++;
                    CHECK_INT(g.data_len, sizes[i]);
                    CHECK(memcmp(g.data, frame + 18, g.data_len) == 0);
                }
                CHECK(rc == 0);
            }
        }
    }
    uint32_t id;
    CHECK_INT(rscp_tag_lookup("TAG_EMS_POWER_PV", &id), 0);
    CHECK(rscp_tag_name(0x01800001u) != NULL);
    CHECK_INT(allocs - before, 0);
    CHECK_INT(frames_out, 3 * (sizeof sizes / sizeof sizes[0]));
    CHECK(dumped > 0);
    CHECK_INT(rscp_reader_pending(r), 0);
    rscp_reader_free(r);
    rscp_cipher_free(tx);
    rscp_cipher_free(rx);
    free(frame);
    free(wire);
}

int main(void)
{
    /* the wrappers see the library's calls */
    unsigned long before = allocs;
    rscp_reader *r = NULL;
    CHECK_INT(rscp_reader_new(&r), 0);
    rscp_reader_free(r);
    CHECK(allocs > before);

    test_cipher_wipe(RSCP_CIPHER_PORTABLE);
    if (rscp_cipher_impl_available(RSCP_CIPHER_AESNI))
        test_cipher_wipe(RSCP_CIPHER_AESNI);
    else
        printf("SKIPPED: AES-NI key wipe (not available on this CPU/build)\n");
    test_reader_wipe();
    test_reader_lazy();
    test_no_allocations();
    return th_finish();
}
