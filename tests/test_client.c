/* The client over real TCP against the in-process server: authentication
 * outcomes, connect errors, request/reply with IV chaining, reconnects,
 * several clients, the non-blocking API and the backoff helper. */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net_testlib.h"
#include "util/bytes.h"

#define MS_SINCE(t0) (rscp_monotonic_ms() - (t0))

static struct nt_server g_srv;
static uint16_t g_port;

static rscp_client *new_client(const char *host, uint16_t port)
{
    struct rscp_client_config cfg;
    nt_client_config(&cfg, host, port);
    rscp_client *c = NULL;
    CHECK_INT(rscp_client_new(&c, &cfg), 0);
    return c;
}

static void test_config_errors(void)
{
    struct rscp_client_config cfg;
    rscp_client *c = (rscp_client *)&cfg;
    rscp_client_config_init(&cfg);
    CHECK_INT(cfg.port, 5033);
    CHECK_INT(rscp_client_new(&c, &cfg), RSCP_ERR_ARG); /* no host */
    CHECK(c == NULL);
    nt_client_config(&cfg, "127.0.0.1", 1);
    cfg.key = NULL;
    CHECK_INT(rscp_client_new(&c, &cfg), RSCP_ERR_ARG);
    CHECK_INT(rscp_client_new(NULL, &cfg), RSCP_ERR_ARG);
    rscp_client_free(NULL);

    c = new_client("127.0.0.1", g_port);
    struct rscp_frame f;
    uint8_t req[7] = {0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00};
    CHECK_INT(rscp_client_state(c), RSCP_CLIENT_DISCONNECTED);
    CHECK_INT(rscp_client_request(c, req, sizeof req, &f), RSCP_ERR_NOT_CONNECTED);
    CHECK_INT(rscp_client_auth_level(c), 0);
    CHECK_INT(rscp_client_fd(c), -1);
    CHECK_INT(rscp_client_next_deadline(c), -1);
    rscp_client_free(c);
}

static void test_auth_and_request(void)
{
    rscp_client *c = new_client("127.0.0.1", g_port);
    int64_t t0 = rscp_monotonic_ms();
    CHECK_INT(rscp_client_connect(c), 0);
    CHECK(MS_SINCE(t0) < 1000);
    CHECK_INT(rscp_client_state(c), RSCP_CLIENT_READY);
    CHECK_INT(rscp_client_auth_level(c), 10);

    /* EMS.REQ_POWER_PV as raw block bytes */
    uint8_t req[7] = {0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00};
    struct rscp_frame f;
    struct rscp_timestamp before = rscp_timestamp_now();
    CHECK_INT(rscp_client_request(c, req, sizeof req, &f), 0);
    struct rscp_timestamp after = rscp_timestamp_now();
    CHECK_INT(nt_reply_int32(&f, NT_POWER_PV), NT_PV_VALUE);
    CHECK(f.crc);
    CHECK(f.seconds >= before.seconds && f.seconds <= after.seconds);
    CHECK_INT(f.data_len, 11);

    /* the zero-copy form, several tags */
    struct rscp_builder b;
    CHECK_INT(rscp_client_request_begin(c, &b), 0);
    rscp_put_none(&b, NT_REQ_POWER_PV);
    rscp_put_int32(&b, 0x01000077u, -42);
    rscp_put_none(&b, NT_REQ_POWER_BAT);
    CHECK_INT(rscp_client_request_send(c, &b, &f), 0);
    CHECK_INT(nt_reply_int32(&f, NT_POWER_PV), NT_PV_VALUE);
    CHECK_INT(nt_reply_int32(&f, 0x01800077u), -42);
    CHECK_INT(nt_reply_int32(&f, NT_POWER_BAT), 2);

    /* malformed blocks are refused before anything is sent */
    uint8_t bad[9] = {0x01, 0x00, 0x00, 0x01, 0x06, 0x09, 0x00, 0, 0};
    CHECK_INT(rscp_client_request(c, bad, sizeof bad, &f), RSCP_ERR_ARG);
    CHECK_INT(rscp_client_state(c), RSCP_CLIENT_READY);
    CHECK_INT(rscp_client_request(c, req, 70000, &f), RSCP_ERR_VALUE_TOO_LONG);
    /* a builder error is reported and leaves the connection usable */
    CHECK_INT(rscp_client_request_begin(c, &b), 0);
    rscp_put_container_open(&b, 0x03040000u);
    CHECK_INT(rscp_client_request_send(c, &b, &f), RSCP_ERR_STATE);
    CHECK_INT(rscp_client_state(c), RSCP_CLIENT_READY);
    CHECK_INT(rscp_client_request(c, req, sizeof req, &f), 0);
    CHECK_INT(nt_reply_int32(&f, NT_POWER_PV), NT_PV_VALUE);

    rscp_client_close(c);
    CHECK_INT(rscp_client_state(c), RSCP_CLIENT_DISCONNECTED);
    CHECK_INT(rscp_client_request(c, req, sizeof req, &f), RSCP_ERR_NOT_CONNECTED);
    rscp_client_free(c);
}

/* Many exchanges, small and large, so both IV chains run long and frames
 * span many reads. */
static void test_many_requests(void)
{
    rscp_client *c = new_client("127.0.0.1", g_port);
    CHECK_INT(rscp_client_connect(c), 0);
    unsigned bad = 0;
    for (int i = 0; i < 2000; i++) {
        struct rscp_builder b;
        struct rscp_frame f;
        rscp_client_request_begin(c, &b);
        rscp_put_int32(&b, 0x01000050u, i * 7919);
        if (rscp_client_request_send(c, &b, &f) != 0 || nt_reply_int32(&f, 0x01800050u) != i * 7919)
            bad++;
    }
    CHECK_INT(bad, 0);
    static const uint32_t sizes[] = {1, 31, 32, 33, 1000, 16384, 40000, RSCP_MAX_VALUE_LEN - 64, 5};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        struct rscp_builder b;
        struct rscp_frame f;
        struct rscp_block blk;
        const uint8_t *p;
        size_t n = 0;
        CHECK_INT(rscp_client_request_begin(c, &b), 0);
        rscp_put_uint32(&b, NT_REQ_BLOB, sizes[k]);
        CHECK_INT(rscp_client_request_send(c, &b, &f), 0);
        CHECK_INT(rscp_find(f.data, f.data_len, NT_REQ_BLOB | RSCP_TAG_RESPONSE_BIT, &blk), 0);
        CHECK_INT(rscp_block_get_bytes(&blk, &p, &n), 0);
        CHECK_INT(n, sizes[k]);
        size_t wrong = 0;
        for (size_t i = 0; i < n; i++)
            wrong += p[i] != nt_blob_byte(i);
        CHECK_INT(wrong, 0);
    }
    rscp_client_free(c);
}

static void test_auth_failures(void)
{
    struct rscp_client_config cfg;
    rscp_client *c = NULL;
    struct rscp_frame f;
    uint8_t req[7] = {0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00};

    nt_client_config(&cfg, "127.0.0.1", g_port);
    cfg.password = "wrong password 987";
    CHECK_INT(rscp_client_new(&c, &cfg), 0);
    int64_t t0 = rscp_monotonic_ms();
    CHECK_INT(rscp_client_connect(c), RSCP_ERR_AUTH);
    CHECK(MS_SINCE(t0) < 1000);
    CHECK_INT(rscp_client_state(c), RSCP_CLIENT_FAILED);
    CHECK(nt_no_secret(rscp_client_errstr(c), "wrong password 987"));
    CHECK(strstr(rscp_client_errstr(c), "refused") != NULL);
    CHECK_INT(rscp_client_request(c, req, sizeof req, &f), RSCP_ERR_NOT_CONNECTED);
    rscp_client_free(c);

    nt_client_config(&cfg, "127.0.0.1", g_port);
    cfg.key = "not the RSCP key";
    CHECK_INT(rscp_client_new(&c, &cfg), 0);
    t0 = rscp_monotonic_ms();
    CHECK_INT(rscp_client_connect(c), RSCP_ERR_KEY);
    CHECK(MS_SINCE(t0) < 1000);
    CHECK(nt_no_secret(rscp_client_errstr(c), "not the RSCP key"));
    CHECK(nt_no_secret(rscp_client_errstr(c), NT_PASSWORD));
    CHECK(strstr(rscp_client_errstr(c), "RSCP key") != NULL);
    CHECK(strstr(rscp_client_errstr(c), "no more connections") != NULL);
    CHECK_INT(rscp_client_state(c), RSCP_CLIENT_FAILED);
    rscp_client_free(c);

    nt_client_config(&cfg, "127.0.0.1", g_port);
    cfg.user = "somebody@else";
    CHECK_INT(rscp_client_new(&c, &cfg), 0);
    CHECK_INT(rscp_client_connect(c), RSCP_ERR_AUTH);
    rscp_client_free(c);
}

static void test_connect_errors(void)
{
    /* a port nobody listens on: bind a server for a free port, then free it */
    struct rscp_server_config scfg;
    rscp_server *tmp = NULL;
    nt_server_config(&scfg);
    CHECK_INT(rscp_server_new(&tmp, &scfg), 0);
    uint16_t dead_port = rscp_server_port(tmp);
    rscp_server_free(tmp);

    rscp_client *c = new_client("127.0.0.1", dead_port);
    int64_t t0 = rscp_monotonic_ms();
    CHECK_INT(rscp_client_connect(c), RSCP_ERR_CONNECT);
    CHECK(MS_SINCE(t0) < 1000);
    CHECK(strstr(rscp_client_errstr(c), "127.0.0.1") != NULL);
    CHECK_INT(rscp_client_state(c), RSCP_CLIENT_FAILED);
    rscp_client_free(c);

    c = new_client("no-such-host.invalid", g_port);
    CHECK_INT(rscp_client_connect(c), RSCP_ERR_RESOLVE);
    CHECK(strstr(rscp_client_errstr(c), "no-such-host.invalid") != NULL);
    rscp_client_free(c);

    /* a listener that never answers: connect works, authentication times out */
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sa;
    CHECK_INT(bind(lfd, (struct sockaddr *)&sa, sizeof sa), 0);
    CHECK_INT(listen(lfd, 4), 0);
    CHECK_INT(getsockname(lfd, (struct sockaddr *)&sa, &len), 0);
    struct rscp_client_config cfg;
    nt_client_config(&cfg, "127.0.0.1", ntohs(sa.sin_port));
    cfg.connect_timeout_ms = 300;
    CHECK_INT(rscp_client_new(&c, &cfg), 0);
    t0 = rscp_monotonic_ms();
    CHECK_INT(rscp_client_connect(c), RSCP_ERR_TIMEOUT);
    int64_t el = MS_SINCE(t0);
    CHECK(el >= 290 && el < 1000);
    CHECK(strstr(rscp_client_errstr(c), "authentication") != NULL);
    rscp_client_free(c);
    close(lfd);
}

/* Reconnecting gives a fresh session: fresh IVs (else the authentication
 * would not decrypt) and a new authentication. */
static void test_reconnect(void)
{
    rscp_client *c = new_client("127.0.0.1", g_port);
    uint64_t last_id = 0;
    for (int round = 0; round < 5; round++) {
        CHECK_INT(rscp_client_connect(c), 0);
        for (int i = 0; i < 3 + round; i++) {
            struct rscp_builder b;
            struct rscp_frame f;
            struct rscp_block blk;
            uint64_t id = 0;
            rscp_client_request_begin(c, &b);
            rscp_put_none(&b, NT_REQ_SESSION);
            CHECK_INT(rscp_client_request_send(c, &b, &f), 0);
            CHECK_INT(rscp_find(f.data, f.data_len, NT_REQ_SESSION | RSCP_TAG_RESPONSE_BIT, &blk), 0);
            CHECK_INT(rscp_block_get_uint64(&blk, &id), 0);
            if (i == 0)
                CHECK(id != last_id);
            else
                CHECK(id == last_id);
            last_id = id;
        }
        /* connect() on a live connection replaces it */
    }
    rscp_client_free(c);
}

static void test_several_clients(void)
{
    enum { N = 8 };
    rscp_client *cs[N];
    for (int i = 0; i < N; i++) {
        cs[i] = new_client("127.0.0.1", g_port);
        CHECK_INT(rscp_client_connect(cs[i]), 0);
    }
    unsigned bad = 0;
    for (int round = 0; round < 50; round++) {
        for (int i = 0; i < N; i++) {
            struct rscp_builder b;
            struct rscp_frame f;
            rscp_client_request_begin(cs[i], &b);
            rscp_put_int32(&b, 0x01000060u, round * 100 + i);
            if (rscp_client_request_send(cs[i], &b, &f) != 0 || nt_reply_int32(&f, 0x01800060u) != round * 100 + i)
                bad++;
        }
    }
    CHECK_INT(bad, 0);
    for (int i = 0; i < N; i++)
        rscp_client_free(cs[i]);
}

/* One poll() loop drives many clients through connect, auth and requests. */
static void test_nonblocking(void)
{
    enum { N = 24, ROUNDS = 20 };
    rscp_client *cs[N];
    int done[N];
    int32_t got[N];
    memset(got, 0, sizeof got);
    for (int i = 0; i < N; i++) {
        cs[i] = new_client("127.0.0.1", g_port);
        done[i] = 0;
        CHECK_INT(rscp_client_start(cs[i]), 0);
        CHECK(rscp_client_next_deadline(cs[i]) > 0);
    }
    int64_t t0 = rscp_monotonic_ms();
    unsigned errors = 0, replies = 0;
    while (MS_SINCE(t0) < 10000) {
        struct pollfd p[N];
        int live = 0;
        for (int i = 0; i < N; i++) {
            p[i].fd = done[i] >= ROUNDS ? -1 : rscp_client_fd(cs[i]);
            p[i].events = (short)(POLLIN | (rscp_client_wants_write(cs[i]) ? POLLOUT : 0));
            p[i].revents = 0;
            live += p[i].fd >= 0;
        }
        if (!live)
            break;
        CHECK(poll(p, N, 100) >= 0);
        int64_t now = rscp_monotonic_ms();
        for (int i = 0; i < N; i++) {
            if (p[i].fd < 0)
                continue;
            rscp_client *c = cs[i];
            int rc = 0;
            if (p[i].revents & (POLLOUT | POLLERR | POLLHUP))
                rc = rscp_client_on_writable(c);
            if (rc >= 0 && (p[i].revents & (POLLIN | POLLERR | POLLHUP)))
                rc = rscp_client_on_readable(c);
            if (rc >= 0)
                rc = rscp_client_on_timer(c, now);
            if (rc < 0) {
                errors++;
                done[i] = ROUNDS;
                continue;
            }
            struct rscp_frame f;
            if (rscp_client_take_reply(c, &f) == 1) {
                replies++;
                if (nt_reply_int32(&f, 0x01800061u) != i * 1000 + done[i])
                    errors++;
                done[i]++;
                /* Every other client gives its buffers back between
                 * exchanges: the next one allocates them again. */
                if (i % 2) {
                    rscp_client_trim(c);
                    CHECK_INT(rscp_client_buffer_bytes(c), 0);
                    CHECK_INT(rscp_client_take_reply(c, &f), 0);
                }
            }
            if (rscp_client_state(c) == RSCP_CLIENT_READY && done[i] < ROUNDS) {
                uint8_t blk[11] = {0x61, 0x00, 0x00, 0x01, RSCP_TYPE_INT32, 4, 0};
                int32_t v = i * 1000 + done[i];
                rscp_store32_le(blk + 7, (uint32_t)v);
                CHECK_INT(rscp_client_submit(c, blk, sizeof blk), 0);
                CHECK_INT(rscp_client_state(c), RSCP_CLIENT_BUSY);
                CHECK_INT(rscp_client_submit(c, blk, sizeof blk), RSCP_ERR_STATE);
                if (i % 3 == 0) /* in flight: only what is idle goes */
                    rscp_client_trim(c);
            }
        }
    }
    CHECK_INT(errors, 0);
    CHECK_INT(replies, N * ROUNDS);
    for (int i = 0; i < N; i++)
        rscp_client_free(cs[i]);
}

/* ---- backoff with an injected clock ---------------------------------------- */

struct fake_clock {
    int64_t now;
    unsigned sleeps;
    int64_t slept[64];
    struct nt_server *start_server; /* start this one at the n-th sleep */
    struct rscp_server_config *start_cfg;
    unsigned start_at;
};

static int64_t fake_now(void *ctx)
{
    return ((struct fake_clock *)ctx)->now;
}

static void fake_sleep(void *ctx, int64_t ms)
{
    struct fake_clock *fc = ctx;
    if (fc->sleeps < 64)
        fc->slept[fc->sleeps] = ms;
    fc->sleeps++;
    fc->now += ms;
    if (fc->start_server && fc->sleeps == fc->start_at)
        CHECK_INT(nt_server_start(fc->start_server, fc->start_cfg), 0);
}

static void test_backoff(void)
{
    struct rscp_backoff bo;
    rscp_backoff_init(&bo, 100, 5000, 42);
    unsigned outside = 0;
    for (uint32_t n = 0; n < 40; n++) {
        uint32_t d = 100u << (n < 20 ? n : 20);
        if (d > 5000 || n >= 20)
            d = 5000;
        uint32_t got = rscp_backoff_next(&bo);
        if (got < d / 2 || got > d)
            outside++;
    }
    CHECK_INT(outside, 0);
    CHECK_INT(bo.attempt, 40);
    rscp_backoff_reset(&bo);
    CHECK_INT(bo.attempt, 0);
    uint32_t first = rscp_backoff_next(&bo);
    CHECK(first >= 50 && first <= 100);

    /* jitter: the draws are not all equal */
    rscp_backoff_init(&bo, 1000, 1000, 7);
    uint32_t lo = UINT32_MAX, hi = 0;
    for (int i = 0; i < 200; i++) {
        uint32_t d = rscp_backoff_next(&bo);
        lo = d < lo ? d : lo;
        hi = d > hi ? d : hi;
    }
    CHECK(lo >= 500 && hi <= 1000 && hi - lo > 300);

    /* connect_retry against a closed port, fake clock */
    struct rscp_server_config scfg;
    rscp_server *tmp = NULL;
    nt_server_config(&scfg);
    CHECK_INT(rscp_server_new(&tmp, &scfg), 0);
    uint16_t port = rscp_server_port(tmp);
    rscp_server_free(tmp);

    rscp_client *c = new_client("127.0.0.1", port);
    struct fake_clock fc;
    memset(&fc, 0, sizeof fc);
    struct rscp_clock clk = {fake_now, fake_sleep, &fc};
    rscp_backoff_init(&bo, 100, 400, 1);
    CHECK_INT(rscp_client_connect_retry(c, &bo, 5, -1, &clk), RSCP_ERR_CONNECT);
    CHECK_INT(fc.sleeps, 4);
    static const int64_t caps[] = {100, 200, 400, 400};
    for (unsigned i = 0; i < 4 && i < fc.sleeps; i++)
        CHECK(fc.slept[i] >= caps[i] / 2 && fc.slept[i] <= caps[i]);

    /* the deadline stops the retries */
    memset(&fc, 0, sizeof fc);
    rscp_backoff_init(&bo, 100, 400, 2);
    CHECK_INT(rscp_client_connect_retry(c, &bo, 0, 1000, &clk), RSCP_ERR_CONNECT);
    CHECK(fc.now <= 1000);
    CHECK(fc.sleeps >= 2 && fc.sleeps <= 6);

    /* the server appears at the third sleep: success and a reset backoff */
    struct nt_server late;
    memset(&fc, 0, sizeof fc);
    scfg.port = port;
    fc.start_server = &late;
    fc.start_cfg = &scfg;
    fc.start_at = 3;
    rscp_backoff_init(&bo, 100, 400, 3);
    CHECK_INT(rscp_client_connect_retry(c, &bo, 10, -1, &clk), 0);
    CHECK_INT(fc.sleeps, 3);
    CHECK_INT(bo.attempt, 0);
    CHECK_INT(rscp_client_auth_level(c), 10);
    rscp_client_free(c);

    /* authentication refusals are not retried */
    struct rscp_client_config cfg;
    nt_client_config(&cfg, "127.0.0.1", port);
    cfg.password = "nope";
    CHECK_INT(rscp_client_new(&c, &cfg), 0);
    memset(&fc, 0, sizeof fc);
    CHECK_INT(rscp_client_connect_retry(c, &bo, 10, -1, &clk), RSCP_ERR_AUTH);
    CHECK_INT(fc.sleeps, 0);
    rscp_client_free(c);
    nt_server_stop(&late);
}

/* A fake device that answers the authentication with two frames. */
static void *extra_frame_server(void *arg)
{
    int lfd = *(int *)arg;
    int fd = accept(lfd, NULL, NULL);
    uint8_t buf[256], key[RSCP_KEY_SIZE];
    ssize_t got = recv(fd, buf, sizeof buf, 0); /* the authentication frame */
    (void)got;
    rscp_key_derive(NT_KEY, strlen(NT_KEY), key);
    rscp_cipher *ci = NULL;
    CHECK_INT(rscp_cipher_new(&ci, key, RSCP_CIPHER_PORTABLE), 0);
    size_t total = 0;
    for (int i = 0; i < 2; i++) {
        struct rscp_builder b;
        struct rscp_timestamp ts = {1700000000, 0};
        size_t n = 0, wire = 0;
        rscp_builder_begin_frame(&b, buf + total, sizeof buf - total, &ts, true);
        rscp_put_uchar8(&b, 0x00800001u, 10);
        CHECK_INT(rscp_builder_finish(&b, &n), 0);
        CHECK_INT(rscp_cipher_seal(ci, buf + total, n, sizeof buf - total, &wire), 0);
        total += wire;
    }
    CHECK_INT(send(fd, buf, total, MSG_NOSIGNAL), (long long)total);
    got = recv(fd, buf, sizeof buf, 0); /* until the client closes */
    rscp_cipher_free(ci);
    close(fd);
    return NULL;
}

static void test_unsolicited_frame(void)
{
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sa;
    CHECK_INT(bind(lfd, (struct sockaddr *)&sa, sizeof sa), 0);
    CHECK_INT(listen(lfd, 4), 0);
    CHECK_INT(getsockname(lfd, (struct sockaddr *)&sa, &len), 0);
    pthread_t th;
    CHECK_INT(pthread_create(&th, NULL, extra_frame_server, &lfd), 0);
    rscp_client *c = new_client("127.0.0.1", ntohs(sa.sin_port));
    CHECK_INT(rscp_client_connect(c), RSCP_ERR_PROTOCOL);
    CHECK(strstr(rscp_client_errstr(c), "after the reply") != NULL);
    rscp_client_free(c);
    pthread_join(th, NULL);
    close(lfd);
}

/* Fake devices for the authentication outcomes that the server does not
 * produce on its own: one that accepts and closes at once (as a device
 * does that accepts no more connections) and one whose authentication
 * reply is a valid encrypted frame with containers nested 9,000 deep. */
enum fake_mode { FAKE_ACCEPT_CLOSE, FAKE_DEEP_REPLY };

struct fake_device {
    int lfd;
    uint16_t port;
    enum fake_mode mode;
    pthread_t thread;
};

static void *fake_device_main(void *arg)
{
    struct fake_device *fd_ = arg;
    int fd = accept(fd_->lfd, NULL, NULL);
    if (fd < 0)
        return NULL;
    if (fd_->mode == FAKE_ACCEPT_CLOSE) {
        close(fd);
        return NULL;
    }
    static uint8_t buf[RSCP_MAX_WIRE_SIZE], inner[9000 * 7];
    ssize_t got = recv(fd, buf, sizeof buf, 0); /* the authentication frame */
    (void)got;
    /* 9,000 containers, each the only child of the one before: the outer
     * one and n inside it. */
    size_t n = sizeof inner / 7 - 1;
    for (size_t i = 0; i < n; i++) {
        uint8_t *h = inner + 7 * i;
        rscp_store32_le(h, 0x00800001u);
        h[4] = RSCP_TYPE_CONTAINER;
        rscp_store16_le(h + 5, (uint16_t)(7 * (n - i - 1)));
    }
    uint8_t key[RSCP_KEY_SIZE];
    rscp_key_derive(NT_KEY, strlen(NT_KEY), key);
    rscp_cipher *ci = NULL;
    CHECK_INT(rscp_cipher_new(&ci, key, RSCP_CIPHER_PORTABLE), 0);
    struct rscp_builder b;
    struct rscp_timestamp ts = {1700000000, 0};
    size_t len = 0, wire = 0;
    rscp_builder_begin_frame(&b, buf, sizeof buf, &ts, true);
    rscp_put_raw(&b, 0x00800001u, RSCP_TYPE_CONTAINER, inner, 7 * n);
    CHECK_INT(rscp_builder_finish(&b, &len), 0);
    CHECK_INT(rscp_cipher_seal(ci, buf, len, sizeof buf, &wire), 0);
    CHECK_INT(send(fd, buf, wire, MSG_NOSIGNAL), (long long)wire);
    got = recv(fd, buf, sizeof buf, 0); /* until the client closes */
    rscp_cipher_free(ci);
    close(fd);
    return NULL;
}

static void fake_device_start(struct fake_device *d, enum fake_mode mode)
{
    d->lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sa;
    CHECK_INT(bind(d->lfd, (struct sockaddr *)&sa, sizeof sa), 0);
    CHECK_INT(listen(d->lfd, 4), 0);
    CHECK_INT(getsockname(d->lfd, (struct sockaddr *)&sa, &len), 0);
    d->port = ntohs(sa.sin_port);
    d->mode = mode;
    CHECK_INT(pthread_create(&d->thread, NULL, fake_device_main, d), 0);
}

static void fake_device_stop(struct fake_device *d)
{
    pthread_join(d->thread, NULL);
    close(d->lfd);
}

/* Occurrences of needle in hay. */
static int count_of(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

static void test_auth_close_causes(void)
{
    /* accepted and closed at once: the key or a full device, named once each */
    struct fake_device d;
    fake_device_start(&d, FAKE_ACCEPT_CLOSE);
    rscp_client *c = new_client("127.0.0.1", d.port);
    int rc = rscp_client_connect(c);
    const char *e = rscp_client_errstr(c);
    /* the frame is normally sent before the close arrives; if not, the
     * close is a plain broken connection */
    CHECK(rc == RSCP_ERR_KEY || rc == RSCP_ERR_CLOSED);
    if (rc == RSCP_ERR_KEY)
        CHECK_INT(count_of(e, "RSCP key"), 1);
    else
        CHECK_INT(count_of(e, "RSCP key"), 0);
    CHECK_INT(count_of(e, "no more connections"), 1);
    CHECK_INT(count_of(e, "the connection"), 1);
    CHECK_INT(count_of(e, rscp_strerror(rc)), 1);
    CHECK(nt_no_secret(e, NT_PASSWORD));
    rscp_client_free(c);
    fake_device_stop(&d);

    /* a server that serves one client at a time: the second is closed */
    struct rscp_server_config scfg;
    struct nt_server one;
    nt_server_config(&scfg);
    scfg.max_clients = 1;
    CHECK_INT(nt_server_start(&one, &scfg), 0);
    rscp_client *first = new_client("127.0.0.1", rscp_server_port(one.srv));
    CHECK_INT(rscp_client_connect(first), 0);
    c = new_client("127.0.0.1", rscp_server_port(one.srv));
    rc = rscp_client_connect(c);
    CHECK(rc == RSCP_ERR_KEY || rc == RSCP_ERR_CLOSED);
    CHECK(strstr(rscp_client_errstr(c), "no more connections") != NULL);
    rscp_client_free(c);
    rscp_client_free(first);
    nt_server_stop(&one);

    /* an invalid authentication reply is a protocol error, not the key */
    fake_device_start(&d, FAKE_DEEP_REPLY);
    c = new_client("127.0.0.1", d.port);
    CHECK_INT(rscp_client_connect(c), RSCP_ERR_DEPTH);
    e = rscp_client_errstr(c);
    CHECK(strstr(e, "authentication reply") != NULL);
    CHECK_INT(count_of(e, "RSCP key"), 0);
    CHECK_INT(count_of(e, rscp_strerror(RSCP_ERR_DEPTH)), 1);
    CHECK_INT(rscp_client_state(c), RSCP_CLIENT_FAILED);
    rscp_client_free(c);
    fake_device_stop(&d);

    /* the wrong key and a refused password: each message says it once */
    struct rscp_client_config cfg;
    nt_client_config(&cfg, "127.0.0.1", g_port);
    cfg.key = "not the RSCP key";
    CHECK_INT(rscp_client_new(&c, &cfg), 0);
    CHECK_INT(rscp_client_connect(c), RSCP_ERR_KEY);
    e = rscp_client_errstr(c);
    CHECK_INT(count_of(e, "RSCP key"), 1);
    CHECK_INT(count_of(e, "authentication"), 1);
    rscp_client_free(c);
    nt_client_config(&cfg, "127.0.0.1", g_port);
    cfg.password = "nope";
    CHECK_INT(rscp_client_new(&c, &cfg), 0);
    CHECK_INT(rscp_client_connect(c), RSCP_ERR_AUTH);
    e = rscp_client_errstr(c);
    CHECK_INT(count_of(e, "refused"), 1);
    CHECK_INT(count_of(e, "password"), 1);
    rscp_client_free(c);
}

static void test_ipv6(void)
{
    struct rscp_server_config scfg;
    struct nt_server s6;
    nt_server_config(&scfg);
    scfg.bind_host = "::1";
    if (nt_server_start(&s6, &scfg) != 0) {
        printf("skip: IPv6 loopback not available (%s)\n", rscp_server_errstr(NULL));
        return;
    }
    rscp_client *c = new_client("::1", rscp_server_port(s6.srv));
    CHECK_INT(rscp_client_connect(c), 0);
    uint8_t req[7] = {0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00};
    struct rscp_frame f;
    CHECK_INT(rscp_client_request(c, req, sizeof req, &f), 0);
    CHECK_INT(nt_reply_int32(&f, NT_POWER_PV), NT_PV_VALUE);
    rscp_client_free(c);
    nt_server_stop(&s6);
}

int main(void)
{
    struct rscp_server_config cfg;
    nt_server_config(&cfg);
    if (nt_server_start(&g_srv, &cfg) != 0) {
        printf("cannot start the server: %s\n", rscp_server_errstr(NULL));
        CHECK(0);
        return th_finish();
    }
    g_port = rscp_server_port(g_srv.srv);
    CHECK(g_port != 0);

    test_config_errors();
    test_auth_and_request();
    test_many_requests();
    test_auth_failures();
    test_connect_errors();
    test_reconnect();
    test_several_clients();
    test_nonblocking();
    test_backoff();
    test_unsolicited_frame();
    test_auth_close_causes();
    test_ipv6();

    nt_server_stop(&g_srv);
    return th_finish();
}
