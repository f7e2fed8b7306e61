/* The streaming reader: vector frames fed whole, split at every byte
 * boundary, byte by byte and coalesced, in plaintext and encrypted form.
 * Encrypted streams are produced with libmcrypt's rijndael-256 in CBC mode
 * (an implementation independent of ours), one continuous chain across
 * frames as a device sends them; its use is checked against the R1 vector. */
#include "harness.h"
#include "rscp/builder.h"
#include "rscp/cipher.h"
#include "rscp/error.h"
#include "rscp/frame.h"
#include "rscp/reader.h"

#include <mcrypt.h>
#include <stdlib.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct frame_set {
    uint8_t *bytes[32];
    size_t len[32];
    size_t n;
};

static void set_add(struct frame_set *s, const uint8_t *p, size_t n)
{
    s->bytes[s->n] = malloc(n);
    memcpy(s->bytes[s->n], p, n);
    s->len[s->n++] = n;
}

static void set_free(struct frame_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->bytes[i]);
    s->n = 0;
}

/* The plaintext frames of the vector files (th_frame_vectors, without any
 * padding), then P1's content without CRC. */
static void load_vectors(struct frame_set *s)
{
    for (size_t i = 0; i < th_frame_vector_count; i++) {
        size_t n;
        uint8_t *p = th_unhex(th_frame_vectors[i].hex, &n);
        set_add(s, p, n);
        free(p);
    }
    /* P1's content without CRC: exactly 32 bytes, no padding block */
    uint8_t buf[64];
    struct rscp_builder b;
    struct rscp_timestamp ts = {1695199352, 818989000};
    rscp_builder_begin_frame(&b, buf, sizeof buf, &ts, false);
    rscp_put_none(&b, 0x01000001);
    rscp_put_none(&b, 0x01000002);
    size_t n;
    rscp_builder_finish(&b, &n);
    CHECK_INT(n, 32);
    set_add(s, buf, n);
}

/* The key for password "testkey": its bytes, right-padded with 0xFF. */
static uint8_t testkey[32];

static void init_testkey(void)
{
    memset(testkey, 0xff, sizeof testkey);
    memcpy(testkey, "testkey", 7);
}

/* CBC encryption with libmcrypt: the frames zero-padded to 32 bytes, one
 * chain from the initial IV. pad_byte != 0 puts that value into the last
 * padding byte of frame number bad_frame (when it has padding). */
static uint8_t *mcrypt_stream(const struct frame_set *s, const uint8_t key[32], size_t *out_len, int bad_frame,
                              uint8_t pad_byte)
{
    size_t total = 0;
    for (size_t i = 0; i < s->n; i++)
        total += (s->len[i] + 31) / 32 * 32;
    uint8_t *out = calloc(1, total ? total : 1);
    size_t pos = 0;
    for (size_t i = 0; i < s->n; i++) {
        memcpy(out + pos, s->bytes[i], s->len[i]);
        size_t wire = (s->len[i] + 31) / 32 * 32;
        if ((int)i == bad_frame && wire > s->len[i])
            out[pos + wire - 1] = pad_byte;
        pos += wire;
    }
    MCRYPT td = mcrypt_module_open((char *)"rijndael-256", NULL, (char *)"cbc", NULL);
    CHECK(td != MCRYPT_FAILED);
    uint8_t iv[32];
    memset(iv, 0xff, sizeof iv);
    CHECK_INT(mcrypt_generic_init(td, (void *)key, 32, iv), 0);
    if (total)
        CHECK_INT(mcrypt_generic(td, out, (int)total), 0);
    mcrypt_generic_deinit(td);
    mcrypt_module_close(td);
    *out_len = total;
    return out;
}

static uint8_t *plain_stream(const struct frame_set *s, size_t *out_len)
{
    size_t total = 0;
    for (size_t i = 0; i < s->n; i++)
        total += s->len[i];
    uint8_t *out = malloc(total ? total : 1);
    size_t pos = 0;
    for (size_t i = 0; i < s->n; i++) {
        memcpy(out + pos, s->bytes[i], s->len[i]);
        pos += s->len[i];
    }
    *out_len = total;
    return out;
}

/* A reader, with a fresh cipher for "testkey" when encrypted. */
struct rig {
    rscp_reader *r;
    rscp_cipher *c;
    size_t got;      /* frames taken out */
    bool mismatch;
};

static void rig_open(struct rig *g, bool encrypted)
{
    memset(g, 0, sizeof *g);
    CHECK_INT(rscp_reader_new(&g->r), 0);
    if (encrypted) {
        uint8_t key[32];
        rscp_key_derive("testkey", 7, key);
        CHECK_INT(rscp_cipher_new(&g->c, key, RSCP_CIPHER_AUTO), 0);
        rscp_reader_set_cipher(g->r, g->c);
    }
}

static void rig_close(struct rig *g)
{
    rscp_reader_free(g->r);
    rscp_cipher_free(g->c);
}

/* Feed p[0..n) completely, taking out frames and comparing them. */
static int rig_feed(struct rig *g, const struct frame_set *want, const uint8_t *p, size_t n)
{
    size_t off = 0;
    while (off < n) {
        int k = rscp_reader_feed(g->r, p + off, n - off);
        if (k < 0)
            return k;
        off += (size_t)k;
        struct rscp_frame f;
        int rc;
        while ((rc = rscp_reader_next(g->r, &f)) == 1) {
            size_t flen = 18u + f.data_len + (f.crc ? 4u : 0u);
            if (g->got >= want->n || flen != want->len[g->got] ||
                memcmp(f.data - 18, want->bytes[g->got], flen) != 0)
                g->mismatch = true;
            g->got++;
        }
        if (rc < 0)
            return rc;
        if (k == 0)
            return RSCP_ERR_STATE; /* no progress: would loop */
    }
    return 0;
}

/* The stream in pieces [0, a), [a, b), [b, n). */
static void run_split(const struct frame_set *want, const uint8_t *s, size_t n, bool enc, size_t a, size_t b,
                      const char *what)
{
    struct rig g;
    rig_open(&g, enc);
    int rc = rig_feed(&g, want, s, a);
    if (rc == 0)
        rc = rig_feed(&g, want, s + a, b - a);
    if (rc == 0)
        rc = rig_feed(&g, want, s + b, n - b);
    bool ok = rc == 0 && !g.mismatch && g.got == want->n && rscp_reader_pending(g.r) == 0;
    CHECK(ok);
    if (!ok)
        fprintf(stderr, "  %s split %zu/%zu: rc %d, %zu frames, mismatch %d\n", what, a, b, rc, g.got,
                g.mismatch);
    rig_close(&g);
}

static void test_streams(bool enc)
{
    struct frame_set fs = {0};
    load_vectors(&fs);
    size_t n;
    uint8_t *s = enc ? mcrypt_stream(&fs, testkey, &n, -1, 0) : plain_stream(&fs, &n);
    const char *what = enc ? "encrypted" : "plaintext";
    /* whole, at every split point, in three pieces around frame boundaries */
    run_split(&fs, s, n, enc, n, n, what);
    unsigned before = th_failures();
    for (size_t a = 0; a <= n && th_failures() == before; a++)
        run_split(&fs, s, n, enc, a, a, what);
    for (size_t a = 0; a <= n && th_failures() == before; a += 29)
        for (size_t b = a; b <= n && th_failures() == before; b += 7)
            run_split(&fs, s, n, enc, a, b, what);
    /* byte by byte */
    struct rig g;
    rig_open(&g, enc);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        rc = rig_feed(&g, &fs, s + i, 1);
        if (rc == 0 && i + 1 < n) {
            /* pending counts the bytes not yet returned */
            CHECK(rscp_reader_pending(g.r) <= i + 1);
        }
    }
    CHECK_INT(rc, 0);
    CHECK(!g.mismatch);
    CHECK_INT(g.got, fs.n);
    rig_close(&g);
    /* each frame alone */
    for (size_t i = 0; i < fs.n; i++) {
        struct frame_set one = {0};
        set_add(&one, fs.bytes[i], fs.len[i]);
        size_t m;
        uint8_t *t = enc ? mcrypt_stream(&one, testkey, &m, -1, 0) : plain_stream(&one, &m);
        for (size_t a = 0; a <= m; a++)
            run_split(&one, t, m, enc, a, a, what);
        free(t);
        set_free(&one);
    }
    free(s);
    set_free(&fs);
}

/* libmcrypt as used here reproduces the R1 and GO TestWrite ciphertexts. */
static void test_mcrypt_matches_vectors(void)
{
    struct frame_set fs = {0};
    size_t n;
    uint8_t *p = th_unhex(th_frame_hex("F1"), &n);
    set_add(&fs, p, n);
    free(p);
    size_t m;
    uint8_t *c = mcrypt_stream(&fs, testkey, &m, -1, 0);
    uint8_t *want = th_unhex("a52858a12680c2b712bbc9cb8ce0f0406f01f5d10ca06e9bda41fb46b311c226", &n);
    CHECK_MEM(c, m, want, n);
    free(c);
    free(want);
    set_free(&fs);
    p = th_unhex(th_frame_hex("R1"), &n);
    set_add(&fs, p, n);
    free(p);
    c = mcrypt_stream(&fs, testkey, &m, -1, 0);
    want = th_unhex("d5a48ab267d7dacbc3ff350f2d1f1a147e31e463b5bb7bfc380c59095b6426af1bc4637a57d4022e026cd551d9b6f8f917822"
                    "d3c650387b1e92c1cce669bdf39ec4df29aa35a4f3c13eeaf640cfaa003ce5637e7a15fc7501621bfb18fa1da5a1bf21dd0ef"
                    "ddf4bcf4e73c37718556bd65dc85b85367b34fac6729f79f4111b16d766e606fdc61876d80798fd3f488b17e5cfef9286b4f9"
                    "7e9a6bdf2d378514e754be363181cb415a6d394685dafb448535ae87075f6a5994060305bed582a0a1500124bbfb77639614a"
                    "ee5f6a3faf3ee077e927af7c272b166d1f483f8e06d5",
                    &n);
    CHECK_MEM(c, m, want, n);
    free(c);
    free(want);
    set_free(&fs);
}

/* Feed s[0..n) whole and return the first error (0 if none). */
static int feed_all(struct rig *g, const struct frame_set *want, const uint8_t *s, size_t n)
{
    return rig_feed(g, want, s, n);
}

static void test_errors(void)
{
    struct frame_set fs = {0};
    load_vectors(&fs);
    size_t n;

    /* non-zero padding in each frame that has padding: error at that frame */
    for (size_t bad = 0; bad < fs.n; bad++) {
        if (fs.len[bad] % 32 == 0)
            continue;
        uint8_t *s = mcrypt_stream(&fs, testkey, &n, (int)bad, 0x01);
        struct rig g;
        rig_open(&g, true);
        CHECK_INT(feed_all(&g, &fs, s, n), RSCP_ERR_PADDING);
        CHECK_INT(g.got, bad);
        CHECK(!g.mismatch);
        uint64_t off = 0;
        for (size_t i = 0; i < bad; i++)
            off += (fs.len[i] + 31) / 32 * 32;
        CHECK_INT(rscp_reader_error_offset(g.r), off);
        /* sticky */
        struct rscp_frame f;
        CHECK_INT(rscp_reader_error(g.r), RSCP_ERR_PADDING);
        CHECK_INT(rscp_reader_next(g.r, &f), RSCP_ERR_PADDING);
        CHECK_INT(rscp_reader_feed(g.r, s, 1), RSCP_ERR_PADDING);
        /* reset + new IVs: the whole stream again */
        rscp_reader_reset(g.r);
        rscp_cipher_reset(g.c);
        CHECK_INT(rscp_reader_error(g.r), 0);
        CHECK_INT(rscp_reader_pending(g.r), 0);
        free(s);
        s = mcrypt_stream(&fs, testkey, &n, -1, 0);
        g.got = 0;
        CHECK_INT(feed_all(&g, &fs, s, n), 0);
        CHECK_INT(g.got, fs.n);
        CHECK(!g.mismatch);
        rig_close(&g);
        free(s);
    }

    /* wrong key: the first block does not decrypt to E3 DC */
    uint8_t other[32];
    memcpy(other, testkey, 32);
    other[0] ^= 1;
    uint8_t *s = mcrypt_stream(&fs, other, &n, -1, 0);
    struct rig g;
    rig_open(&g, true);
    CHECK_INT(feed_all(&g, &fs, s, n), RSCP_ERR_BAD_KEY_DECRYPT);
    CHECK_INT(g.got, 0);
    CHECK_INT(rscp_reader_error_offset(g.r), 0);
    rig_close(&g);
    free(s);

    /* a lost frame: the stream without the first frame's blocks */
    s = mcrypt_stream(&fs, testkey, &n, -1, 0);
    size_t first = (fs.len[0] + 31) / 32 * 32;
    rig_open(&g, true);
    CHECK_INT(feed_all(&g, &fs, s + first, n - first), RSCP_ERR_BAD_KEY_DECRYPT);
    rig_close(&g);

    /* a bit flipped in one ciphertext block: CRC, padding or magic error at that frame */
    for (size_t bit = 0; bit < n * 8; bit += 61) {
        s[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        rig_open(&g, true);
        int rc = feed_all(&g, &fs, s, n);
        bool r2 = false; /* R2 has no CRC: a flip in its data may pass */
        size_t pos = 0, idx = 0;
        while (idx < fs.n && pos + (fs.len[idx] + 31) / 32 * 32 <= bit / 8)
            pos += (fs.len[idx++] + 31) / 32 * 32;
        r2 = idx < fs.n && fs.bytes[idx][3] == 0x01;
        if (!r2)
            CHECK(rc < 0);
        CHECK(rc <= 0);
        rig_close(&g);
        s[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    }
    free(s);

    /* plaintext: garbage in front is an immediate magic error */
    rig_open(&g, false);
    CHECK_INT(rscp_reader_feed(g.r, "\x00", 1), 1);
    struct rscp_frame f;
    CHECK_INT(rscp_reader_next(g.r, &f), RSCP_ERR_MAGIC);
    CHECK_INT(rscp_reader_feed(g.r, "\xe3", 1), RSCP_ERR_MAGIC);
    rscp_reader_reset(g.r);
    /* CRC error in the third frame; its offset is reported */
    s = plain_stream(&fs, &n);
    size_t third = fs.len[0] + fs.len[1];
    s[third + 20] ^= 0x40;
    CHECK_INT(feed_all(&g, &fs, s, n), RSCP_ERR_CRC);
    CHECK_INT(g.got, 2);
    CHECK_INT(rscp_reader_error_offset(g.r), third);
    rscp_reader_reset(g.r);
    s[third + 20] ^= 0x40;
    g.got = 0;
    CHECK_INT(feed_all(&g, &fs, s, n), 0);
    CHECK_INT(g.got, fs.n);
    rig_close(&g);
    free(s);

    /* the decrypted R-vectors through a plaintext reader */
    static const struct {
        const char *hex;
        int rc;
    } rv[] = {
        {"000000117bf3cc5f00000000b81fcc150800010080000301000af518919f0000", RSCP_ERR_MAGIC},
        {"e3dc00117bf3cc5f00000000b81fcc150800010080000301000a000000000000", RSCP_ERR_CRC},
        {"e3dc00117bf3cc5f00000000b81fcc15ff00010080000301000a10293a1f0000", 0},
    };
    for (size_t i = 0; i < N(rv); i++) {
        size_t m;
        uint8_t *p = th_unhex(rv[i].hex, &m);
        rig_open(&g, false);
        struct frame_set none = {0};
        CHECK_INT(feed_all(&g, &none, p, m), rv[i].rc);
        CHECK_INT(g.got, 0);
        rig_close(&g);
        free(p);
    }
    set_free(&fs);
}

static void test_limits(void)
{
    rscp_reader *r;
    CHECK_INT(rscp_reader_new(&r), 0);
    struct rscp_limits l = rscp_limits_default();
    CHECK_INT(rscp_reader_set_limits(r, &l), 0);
    l.max_data_len = 65536;
    CHECK_INT(rscp_reader_set_limits(r, &l), RSCP_ERR_ARG);
    l = rscp_limits_default();
    l.max_depth = 0;
    CHECK_INT(rscp_reader_set_limits(r, &l), RSCP_ERR_ARG);
    l = rscp_limits_default();
    l.max_blocks = 0;
    CHECK_INT(rscp_reader_set_limits(r, &l), RSCP_ERR_ARG);
    l = rscp_limits_default();
    l.max_data_len = 0;
    CHECK_INT(rscp_reader_set_limits(r, &l), RSCP_ERR_ARG);
    CHECK_INT(rscp_reader_set_limits(r, NULL), RSCP_ERR_ARG);

    size_t n;
    uint8_t *f6 = th_unhex(th_frame_hex("F6"), &n); /* data 55, a container with 2 children */
    struct rscp_frame f;
    static const struct {
        uint32_t depth, blocks, data;
        int rc;
    } cases[] = {
        {16, 10000, 55, 1}, {16, 10000, 54, RSCP_ERR_FRAME_TOO_LONG}, {1, 3, 55, 1},
        {16, 2, 55, RSCP_ERR_TOO_MANY_BLOCKS},
    };
    for (size_t i = 0; i < N(cases); i++) {
        rscp_reader_reset(r);
        l = rscp_limits_default();
        l.max_depth = cases[i].depth;
        l.max_blocks = cases[i].blocks;
        l.max_data_len = cases[i].data;
        CHECK_INT(rscp_reader_set_limits(r, &l), 0);
        CHECK_INT(rscp_reader_feed(r, f6, n), n);
        CHECK_INT(rscp_reader_next(r, &f), cases[i].rc);
    }
    free(f6);

    /* depth: a container in a container needs max_depth 2; the limit stays
     * set across a reset */
    uint8_t nested[64];
    struct rscp_builder b;
    struct rscp_timestamp ts = {1, 0};
    rscp_builder_begin_frame(&b, nested, sizeof nested, &ts, true);
    rscp_put_container_open(&b, 0x03040000u);
    rscp_put_container_open(&b, 0x03040001u);
    rscp_put_none(&b, 0x03000001u);
    rscp_put_container_close(&b);
    rscp_put_container_close(&b);
    CHECK_INT(rscp_builder_finish(&b, &n), 0);
    for (uint32_t depth = 1; depth <= 3; depth++) {
        l = rscp_limits_default();
        l.max_depth = depth;
        CHECK_INT(rscp_reader_set_limits(r, &l), 0);
        rscp_reader_reset(r);
        CHECK_INT(rscp_reader_feed(r, nested, n), n);
        CHECK_INT(rscp_reader_next(r, &f), depth == 1 ? RSCP_ERR_DEPTH : 1);
    }

    /* "00 10" frames only with the lenient flag */
    uint8_t *f8 = th_unhex("e3dc00102b6adf64000000000000000008000100860301010001", &n);
    rscp_reader_reset(r);
    l = rscp_limits_default();
    CHECK_INT(rscp_reader_set_limits(r, &l), 0);
    rscp_reader_feed(r, f8, n);
    CHECK_INT(rscp_reader_next(r, &f), RSCP_ERR_VERSION);
    rscp_reader_reset(r);
    l.flags = RSCP_LENIENT_CTRL;
    CHECK_INT(rscp_reader_set_limits(r, &l), 0);
    rscp_reader_feed(r, f8, n);
    CHECK_INT(rscp_reader_next(r, &f), 1);
    CHECK_INT(f.crc, false);
    CHECK_INT(f.data_len, 8);
    free(f8);
    rscp_reader_free(r);
    rscp_reader_free(NULL);
}

/* A stream larger than the buffer: feed takes what fits, and only when a
 * whole frame waits to be taken out. */
static void test_full_buffer(bool enc)
{
    struct frame_set fs = {0};
    /* two maximum-size frames and small ones around them */
    size_t cap = RSCP_MAX_FRAME_SIZE;
    uint8_t *big = malloc(cap);
    static uint8_t val[RSCP_MAX_VALUE_LEN];
    for (size_t i = 0; i < sizeof val; i++)
        val[i] = (uint8_t)(i * 13 + 1);
    struct rscp_builder b;
    struct rscp_timestamp ts = {1700000000, 5};
    size_t n;
    size_t f1;
    uint8_t *small = th_unhex(th_frame_hex("F1"), &f1);
    for (int k = 0; k < 2; k++) {
        set_add(&fs, small, f1);
        rscp_builder_begin_frame(&b, big, cap, &ts, true);
        rscp_put_bytes(&b, 0x0E042010, val, RSCP_MAX_VALUE_LEN - (size_t)k * 9);
        CHECK_INT(rscp_builder_finish(&b, &n), 0);
        set_add(&fs, big, n);
    }
    set_add(&fs, small, f1);
    free(small);
    size_t total;
    uint8_t *s = enc ? mcrypt_stream(&fs, testkey, &total, -1, 0) : plain_stream(&fs, &total);

    struct rig g;
    rig_open(&g, enc);
    /* one feed of everything takes exactly the buffer */
    int k = rscp_reader_feed(g.r, s, total);
    CHECK_INT(k, RSCP_MAX_WIRE_SIZE + 32);
    CHECK_INT(rscp_reader_pending(g.r), k);
    /* a full buffer takes nothing more until a frame is taken out */
    CHECK_INT(rscp_reader_feed(g.r, s + k, 1), 0);
    struct rscp_frame f;
    CHECK_INT(rscp_reader_next(g.r, &f), 1);
    CHECK_INT(f.data_len, f1 - 22);
    g.got = 1;
    size_t off = (size_t)k;
    int rc = rig_feed(&g, &fs, s + off, total - off);
    CHECK_INT(rc, 0);
    CHECK_INT(g.got, fs.n);
    CHECK(!g.mismatch);
    CHECK_INT(rscp_reader_pending(g.r), 0);
    CHECK_INT(rscp_reader_feed(g.r, s, 0), 0);
    CHECK_INT(rscp_reader_next(g.r, &f), 0);
    rig_close(&g);
    free(s);
    free(big);
    set_free(&fs);
}

/* bench/data: response_1k.enc is response_1k.bin padded and encrypted
 * with key "0123456789abcdef" from the initial IV (a known answer). */
static void test_bench_vector(void)
{
    size_t clen, plen;
    uint8_t *ct = th_read_file(th_source_path("bench/data/response_1k.enc"), &clen);
    uint8_t *pt = th_read_file(th_source_path("bench/data/response_1k.bin"), &plen);
    CHECK(ct && pt);
    if (!ct || !pt) {
        free(ct);
        free(pt);
        return;
    }
    uint8_t key[32];
    rscp_key_derive("0123456789abcdef", 16, key);
    struct rig g;
    memset(&g, 0, sizeof g);
    CHECK_INT(rscp_reader_new(&g.r), 0);
    CHECK_INT(rscp_cipher_new(&g.c, key, RSCP_CIPHER_AUTO), 0);
    rscp_reader_set_cipher(g.r, g.c);
    struct frame_set want = {0};
    set_add(&want, pt, plen);
    for (size_t a = 0; a <= clen; a += 97) {
        rscp_reader_reset(g.r);
        rscp_cipher_reset(g.c);
        g.got = 0;
        CHECK_INT(rig_feed(&g, &want, ct, a), 0);
        CHECK_INT(rig_feed(&g, &want, ct + a, clen - a), 0);
        CHECK_INT(g.got, 1);
        CHECK(!g.mismatch);
    }
    rig_close(&g);
    set_free(&want);
    free(ct);
    free(pt);
}

/* Frames taken out one after the other stay valid together until the next
 * feed (rscp/reader.h): all vector frames in one feed, then every view
 * compared with its frame. */
static void test_views(void)
{
    struct frame_set fs = {0};
    load_vectors(&fs);
    size_t n;
    uint8_t *s = plain_stream(&fs, &n);
    rscp_reader *r;
    CHECK_INT(rscp_reader_new(&r), 0);
    CHECK_INT(rscp_reader_feed(r, s, n), n);
    struct rscp_frame views[32];
    size_t k = 0;
    while (k < N(views) && rscp_reader_next(r, &views[k]) == 1)
        k++;
    CHECK_INT(k, fs.n);
    for (size_t i = 0; i < k && i < fs.n; i++)
        CHECK_MEM(views[i].data, views[i].data_len, fs.bytes[i] + 18,
                  (size_t)(fs.bytes[i][16] | fs.bytes[i][17] << 8));
    rscp_reader_free(r);
    free(s);
    set_free(&fs);
}

int main(void)
{
    init_testkey();
    test_mcrypt_matches_vectors();
    test_streams(false);
    test_streams(true);
    test_errors();
    test_limits();
    test_full_buffer(false);
    test_full_buffer(true);
    test_bench_vector();
    test_views();
    return th_finish();
}
