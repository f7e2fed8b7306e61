/* The server against hostile clients, over real loopback TCP: one request
 * frame per connection per round (a pipelining client does not hold the
 * loop), backpressure before the handler runs, the authentication deadline
 * and idle timeout, room made at max_clients by closing the oldest
 * unauthenticated connection, refused authentications held back, counted
 * per connection and per address, the level query, and replies too large
 * for one frame answered with ERROR blocks. Timeouts are small so that
 * every case takes well under a few seconds. */
#include <stdatomic.h>

#include "server/server_internal.h"
#include "server_testlib.h"

#define TAG_SLOW 0x0A0000E0u /* UINT32 ms: the handler busies itself that long */
#define TAG_MARK 0x0A0000E1u /* records how many TAG_SLOW requests ran before */
#define TAG_OPEN 0x0A0000E2u /* the handler leaves a container open          */
#define TAG_HUGE 0x0A0000E3u /* INT32 and RSCP_MAX_VALUE_LEN bytes: beyond one frame */

static atomic_uint slow_done;
static atomic_uint slow_at_mark;

static int guard_handler(void *ctx, const struct rscp_session_info *s, const struct rscp_frame *req,
                         struct rscp_builder *reply)
{
    struct rscp_block blk;
    uint32_t ms;
    if (rscp_find(req->data, req->data_len, TAG_SLOW, &blk) == 0 && rscp_block_get_uint32(&blk, &ms) == 0) {
        int64_t end = rscp_monotonic_ms() + ms;
        while (rscp_monotonic_ms() < end) {
        }
        atomic_fetch_add(&slow_done, 1u);
        return rscp_put_none(reply, TAG_SLOW | RSCP_TAG_RESPONSE_BIT);
    }
    if (rscp_find(req->data, req->data_len, TAG_MARK, &blk) == 0) {
        atomic_store(&slow_at_mark, atomic_load(&slow_done));
        return rscp_put_none(reply, TAG_MARK | RSCP_TAG_RESPONSE_BIT);
    }
    if (rscp_find(req->data, req->data_len, TAG_HUGE, &blk) == 0) {
        static uint8_t huge[RSCP_MAX_VALUE_LEN];
        rscp_put_int32(reply, NT_POWER_PV, 2);
        return rscp_put_bytes(reply, TAG_HUGE | RSCP_TAG_RESPONSE_BIT, huge, sizeof huge);
    }
    if (rscp_find(req->data, req->data_len, TAG_OPEN, &blk) == 0) {
        rscp_put_int32(reply, NT_POWER_PV, 1);
        rscp_put_container_open(reply, TAG_OPEN | RSCP_TAG_RESPONSE_BIT);
        return rscp_put_none(reply, 0x0A800001u);
    }
    return nt_handler(ctx, s, req, reply);
}

static void guard_config(struct rscp_server_config *cfg)
{
    nt_server_config(cfg);
    cfg->handler = guard_handler;
}

/* Open, authenticate and check the level. */
static bool login(struct pc *c, uint16_t port)
{
    struct rscp_frame f;
    if (!pc_open(c, port))
        return false;
    pc_auth(c, NT_USER, NT_PASSWORD);
    return pc_flush(c) && pc_recv(c, &f, 2000) == 1 && pc_level(&f) == 10;
}

static struct rscp_server_stats stats_of(struct nt_server *srv)
{
    struct rscp_server_stats st;
    rscp_server_get_stats(srv->srv, &st); /* racy read of counters: only for checks after quiet periods */
    return st;
}

/* 200 slow requests written at once by one client; a second client's
 * request is answered after about one of them, not after all. */
static void test_fairness(void)
{
    struct rscp_server_config cfg;
    struct nt_server srv;
    guard_config(&cfg);
    CHECK_INT(nt_server_start(&srv, &cfg), 0);
    uint16_t port = rscp_server_port(srv.srv);
    struct pc a, b;
    CHECK(login(&a, port));
    CHECK(login(&b, port));
    atomic_store(&slow_done, 0u);
    enum { N = 200 };
    for (int i = 0; i < N; i++)
        pc_req(&a, TAG_SLOW, 2);
    CHECK(pc_flush(&a));
    while (atomic_load(&slow_done) == 0)
        pc_sleep_ms(1);
    unsigned before = atomic_load(&slow_done);
    pc_req(&b, TAG_MARK, 0);
    CHECK(pc_flush(&b));
    struct rscp_frame f;
    CHECK_INT(pc_recv(&b, &f, 5000), 1);
    unsigned at_mark = atomic_load(&slow_at_mark);
    printf("fairness: %u of %d slow requests ran before the other client's (%u when it was sent)\n", at_mark, N,
           before);
    CHECK(at_mark < before + 20);
    /* and the flooding client gets all its replies, in order */
    unsigned got = 0;
    while (got < N && pc_recv(&a, &f, 5000) == 1) {
        struct rscp_block blk;
        got += rscp_find(f.data, f.data_len, TAG_SLOW | RSCP_TAG_RESPONSE_BIT, &blk) == 0;
    }
    CHECK_INT(got, N);
    pc_close(&a);
    pc_close(&b);
    nt_server_stop(&srv);
}

/* A client that requests large replies and does not read them: the server
 * stops serving it at max_unsent (before the handler runs), the others go
 * on, and once it reads, every reply arrives. */
static void test_backpressure(void)
{
    struct rscp_server_config cfg;
    struct nt_server srv;
    guard_config(&cfg);
    cfg.max_unsent = 64u << 10;
    CHECK_INT(nt_server_start(&srv, &cfg), 0);
    uint16_t port = rscp_server_port(srv.srv);
    struct pc a, b;
    CHECK(login(&a, port));
    enum { N = 300, BLOB = 60000 };
    for (int i = 0; i < N; i++) {
        pc_req(&a, NT_REQ_BLOB, BLOB);
        if (a.out_len > (1u << 20) - RSCP_MAX_WIRE_SIZE)
            break;
    }
    size_t queued = a.out_len / 64; /* each request is 64 bytes on the wire */
    CHECK_INT(queued, N);
    CHECK(pc_flush(&a));
    pc_sleep_ms(300);
    struct rscp_server_stats st = stats_of(&srv);
    printf("backpressure: %llu of %d requests served while the client does not read, most unsent %zu bytes\n",
           (unsigned long long)st.requests - 1, N, st.max_unsent_seen);
    CHECK(st.requests < 1 + N / 2);
    CHECK(st.max_unsent_seen <= cfg.max_unsent + RSCP_MAX_WIRE_SIZE);
    /* another client is served meanwhile */
    CHECK(login(&b, port));
    struct rscp_frame f;
    pc_req(&b, NT_REQ_POWER_PV, 0);
    CHECK(pc_flush(&b));
    CHECK_INT(pc_recv(&b, &f, 2000), 1);
    CHECK_INT(nt_reply_int32(&f, NT_POWER_PV), NT_PV_VALUE);
    /* now read everything */
    unsigned got = 0;
    while (got < N && pc_recv(&a, &f, 3000) == 1) {
        struct rscp_block blk;
        if (rscp_find(f.data, f.data_len, NT_REQ_BLOB | RSCP_TAG_RESPONSE_BIT, &blk) == 0 && blk.length == BLOB)
            got++;
    }
    CHECK_INT(got, N);
    pc_close(&a);
    pc_close(&b);
    nt_server_stop(&srv);
}

/* Silent connections are closed after auth_timeout_ms; an authenticated
 * one stays until idle_timeout_ms. */
static void test_deadlines(void)
{
    struct rscp_server_config cfg;
    struct nt_server srv;
    guard_config(&cfg);
    cfg.auth_timeout_ms = 300;
    cfg.idle_timeout_ms = 900;
    CHECK_INT(nt_server_start(&srv, &cfg), 0);
    uint16_t port = rscp_server_port(srv.srv);
    int64_t t0 = rscp_monotonic_ms();
    int silent = pc_connect_fd(port);
    struct pc a;
    CHECK(login(&a, port));
    CHECK(pc_fd_closed(silent, 2000));
    int64_t el = rscp_monotonic_ms() - t0;
    printf("deadlines: silent connection closed after %lld ms\n", (long long)el);
    CHECK(el >= 250 && el < 2000);
    /* the authenticated client is still served past the deadline */
    struct rscp_frame f;
    pc_req(&a, NT_REQ_POWER_PV, 0);
    CHECK(pc_flush(&a));
    CHECK_INT(pc_recv(&a, &f, 2000), 1);
    /* and closed once idle */
    t0 = rscp_monotonic_ms();
    CHECK(pc_fd_closed(a.fd, 3000));
    el = rscp_monotonic_ms() - t0;
    CHECK(el >= 800 && el < 3000);
    struct rscp_server_stats st = stats_of(&srv);
    CHECK_INT(st.auth_timeouts, 1);
    CHECK_INT(st.idle_timeouts, 1);
    close(silent);
    pc_close(&a);
    nt_server_stop(&srv);
}

/* At max_clients a new client takes the place of the oldest
 * unauthenticated connection; when all are authenticated it is closed. */
static void test_full(void)
{
    struct rscp_server_config cfg;
    struct nt_server srv;
    guard_config(&cfg);
    cfg.max_clients = 4;
    CHECK_INT(nt_server_start(&srv, &cfg), 0);
    uint16_t port = rscp_server_port(srv.srv);
    int silent[4];
    for (int i = 0; i < 4; i++) {
        silent[i] = pc_connect_fd(port);
        pc_sleep_ms(20); /* in this order */
    }
    struct pc c[4];
    for (int i = 0; i < 4; i++) {
        CHECK(login(&c[i], port)); /* each evicts the oldest silent one */
        CHECK(pc_fd_closed(silent[i], 2000));
    }
    struct rscp_server_stats st = stats_of(&srv);
    CHECK_INT(st.evicted, 4);
    /* all four authenticated: a fifth client is closed at once */
    int extra = pc_connect_fd(port);
    CHECK(pc_fd_closed(extra, 2000));
    close(extra);
    struct rscp_frame f;
    for (int i = 0; i < 4; i++) {
        pc_req(&c[i], NT_REQ_POWER_PV, 0);
        CHECK(pc_flush(&c[i]));
        CHECK_INT(pc_recv(&c[i], &f, 2000), 1);
        pc_close(&c[i]);
        close(silent[i]);
    }
    st = stats_of(&srv);
    CHECK_INT(st.rejected_full, 1);
    nt_server_stop(&srv);
}

/* Refused authentications: answered after the delay (doubling), the
 * connection closed after max_auth_failures, the address slowed down for
 * all its connections, the right password still accepted. */
static void test_guessing(void)
{
    struct rscp_server_config cfg;
    struct nt_server srv;
    guard_config(&cfg);
    cfg.auth_delay_ms = 100;
    cfg.auth_delay_max_ms = 400;
    cfg.max_auth_failures = 3;
    CHECK_INT(nt_server_start(&srv, &cfg), 0);
    uint16_t port = rscp_server_port(srv.srv);

    /* pipelined guesses on one connection: three refusals, spaced, then closed */
    struct pc a;
    CHECK(pc_open(&a, port));
    for (int i = 0; i < 10; i++)
        pc_auth(&a, NT_USER, "guess");
    int64_t t0 = rscp_monotonic_ms();
    CHECK(pc_flush(&a));
    struct rscp_frame f;
    int64_t at[3] = {0, 0, 0};
    for (int i = 0; i < 3; i++) {
        CHECK_INT(pc_recv(&a, &f, 3000), 1);
        CHECK_INT(pc_level(&f), 0);
        at[i] = rscp_monotonic_ms() - t0;
    }
    CHECK_INT(pc_recv(&a, &f, 3000), -1); /* closed after the third */
    printf("guessing: refusals after %lld, %lld, %lld ms, then closed\n", (long long)at[0], (long long)at[1],
           (long long)at[2]);
    CHECK(at[0] >= 90);
    CHECK(at[1] >= 90 + 200);
    CHECK(at[2] >= 90 + 200 + 400);
    struct rscp_server_stats st = stats_of(&srv);
    CHECK_INT(st.auth_refused, 3);
    CHECK_INT(st.auth_closed, 1);
    pc_close(&a);

    /* eight connections guessing at once: the address is served one
     * guess per delay (400 ms now), not eight */
    struct pc g[8];
    for (int i = 0; i < 8; i++) {
        CHECK(pc_open(&g[i], port));
        pc_auth(&g[i], NT_USER, "guess");
        CHECK(pc_flush(&g[i]));
    }
    pc_sleep_ms(500);
    st = stats_of(&srv);
    printf("guessing: %llu of 8 parallel guesses evaluated in 500 ms\n", (unsigned long long)st.auth_refused - 3);
    CHECK(st.auth_refused - 3 <= 3);
    for (int i = 0; i < 8; i++)
        pc_close(&g[i]);

    /* the right password is still accepted (after the address's delay) */
    struct pc ok;
    t0 = rscp_monotonic_ms();
    CHECK(login(&ok, port));
    printf("guessing: the right password accepted after %lld ms\n", (long long)(rscp_monotonic_ms() - t0));
    pc_close(&ok);

    /* injected refusals (faults.refuse_auth) are not penalised */
    nt_server_stop(&srv);
    guard_config(&cfg);
    cfg.faults.refuse_auth = true;
    CHECK_INT(nt_server_start(&srv, &cfg), 0);
    CHECK(pc_open(&a, rscp_server_port(srv.srv)));
    pc_auth(&a, NT_USER, NT_PASSWORD);
    t0 = rscp_monotonic_ms();
    CHECK(pc_flush(&a));
    CHECK_INT(pc_recv(&a, &f, 2000), 1);
    CHECK_INT(pc_level(&f), 0);
    CHECK(rscp_monotonic_ms() - t0 < 400);
    pc_close(&a);
    nt_server_stop(&srv);
}

/* RSCP.REQ_AUTHENTICATION without credentials asks for the level. */
static void test_level_query(void)
{
    struct rscp_server_config cfg;
    struct nt_server srv;
    guard_config(&cfg);
    CHECK_INT(nt_server_start(&srv, &cfg), 0);
    uint16_t port = rscp_server_port(srv.srv);
    struct pc a;
    struct rscp_builder b;
    struct rscp_frame f;
    CHECK(pc_open(&a, port));
    /* before authentication: level 0, answered at once, not a refusal */
    pc_begin(&a, &b);
    rscp_put_container_open(&b, PC_TAG_REQ_AUTH);
    rscp_put_container_close(&b);
    pc_end(&a, &b);
    CHECK(pc_flush(&a));
    CHECK_INT(pc_recv(&a, &f, 300), 1);
    CHECK_INT(pc_level(&f), 0);
    pc_auth(&a, NT_USER, NT_PASSWORD);
    CHECK(pc_flush(&a));
    CHECK_INT(pc_recv(&a, &f, 2000), 1);
    CHECK_INT(pc_level(&f), 10);
    /* after it: the current level, and the session stays */
    pc_begin(&a, &b);
    rscp_put_container_open(&b, PC_TAG_REQ_AUTH);
    rscp_put_container_close(&b);
    pc_end(&a, &b);
    pc_req(&a, NT_REQ_POWER_PV, 0);
    CHECK(pc_flush(&a));
    CHECK_INT(pc_recv(&a, &f, 2000), 1);
    CHECK_INT(pc_level(&f), 10);
    CHECK_INT(pc_recv(&a, &f, 2000), 1);
    CHECK_INT(nt_reply_int32(&f, NT_POWER_PV), NT_PV_VALUE);
    struct rscp_server_stats st = stats_of(&srv);
    CHECK_INT(st.auth_refused, 0);
    pc_close(&a);
    nt_server_stop(&srv);
}

static uint32_t error_code(const struct rscp_frame *f, uint32_t tag)
{
    struct rscp_block blk;
    uint32_t code = 0;
    if (rscp_find(f->data, f->data_len, tag, &blk) != 0 || rscp_block_get_error(&blk, &code) != 0)
        return 0;
    return code;
}

/* Replies the handler cannot write become ERROR blocks, never a close. */
static void test_oversized(void)
{
    struct rscp_server_config cfg;
    struct nt_server srv;
    guard_config(&cfg);
    CHECK_INT(nt_server_start(&srv, &cfg), 0);
    struct pc a;
    struct rscp_builder b;
    struct rscp_frame f;
    struct rscp_block blk;
    CHECK(login(&a, rscp_server_port(srv.srv)));
    const uint32_t blob_reply = NT_REQ_BLOB | RSCP_TAG_RESPONSE_BIT;

    /* PV, 40,000 bytes, 40,000 more: the second does not fit */
    pc_begin(&a, &b);
    rscp_put_none(&b, NT_REQ_POWER_PV);
    rscp_put_uint32(&b, NT_REQ_BLOB, 40000);
    rscp_put_uint32(&b, NT_REQ_BLOB + 1, 0); /* echo: answered INT32 */
    pc_end(&a, &b);
    pc_begin(&a, &b);
    rscp_put_uint32(&b, NT_REQ_BLOB, 40000);
    rscp_put_uint32(&b, NT_REQ_BLOB, 40000);
    pc_end(&a, &b);
    CHECK(pc_flush(&a));
    CHECK_INT(pc_recv(&a, &f, 2000), 1); /* the first fits whole */
    CHECK_INT(nt_reply_int32(&f, NT_POWER_PV), NT_PV_VALUE);
    CHECK_INT(pc_recv(&a, &f, 2000), 1);
    struct rscp_iter it;
    rscp_frame_iter(&f, &it);
    CHECK_INT(rscp_iter_next(&it, &blk), 1);
    CHECK(blk.tag == blob_reply && blk.type == RSCP_TYPE_BYTEARRAY && blk.length == 40000);
    CHECK_INT(rscp_iter_next(&it, &blk), 1);
    uint32_t code = 0;
    CHECK(blk.tag == blob_reply && rscp_block_get_error(&blk, &code) == 0);
    CHECK_INT(code, RSCP_SERVER_ERR_TOO_LARGE);
    CHECK_INT(rscp_iter_next(&it, &blk), 0);

    /* a single value beyond one frame: its ERROR only */
    pc_req(&a, TAG_HUGE, 0);
    /* a handler leaving a container open: the complete blocks and an ERROR */
    pc_req(&a, TAG_OPEN, 0);
    CHECK(pc_flush(&a));
    CHECK_INT(pc_recv(&a, &f, 2000), 1);
    CHECK_INT(error_code(&f, TAG_HUGE | RSCP_TAG_RESPONSE_BIT), RSCP_SERVER_ERR_TOO_LARGE);
    CHECK_INT(pc_recv(&a, &f, 2000), 1);
    CHECK_INT(nt_reply_int32(&f, NT_POWER_PV), 1);
    CHECK_INT(error_code(&f, TAG_OPEN | RSCP_TAG_RESPONSE_BIT), RSCP_SERVER_ERR_HANDLER);

    /* the session goes on */
    pc_req(&a, NT_REQ_POWER_PV, 0);
    CHECK(pc_flush(&a));
    CHECK_INT(pc_recv(&a, &f, 2000), 1);
    CHECK_INT(nt_reply_int32(&f, NT_POWER_PV), NT_PV_VALUE);
    struct rscp_server_stats st = stats_of(&srv);
    CHECK_INT(st.oversized_replies, 3);
    pc_close(&a);
    nt_server_stop(&srv);
}

/* The credential comparison: equal only for equal strings, whatever the
 * lengths (the loop runs over the same span for every guess up to it). */
static void test_secret_equal(void)
{
    static char long_a[700], long_b[700];
    memset(long_a, 'x', sizeof long_a);
    memset(long_b, 'x', sizeof long_b);
    long_b[699] = 'y';
    CHECK_INT(rscp_server__secret_equal("abc", 3, "abc", 3), 1);
    CHECK_INT(rscp_server__secret_equal("abd", 3, "abc", 3), 0);
    CHECK_INT(rscp_server__secret_equal("ab", 2, "abc", 3), 0);
    CHECK_INT(rscp_server__secret_equal("abc\0", 4, "abc", 3), 0); /* zero-extension is not equality */
    CHECK_INT(rscp_server__secret_equal("abc", 3, "abc\0", 4), 0);
    CHECK_INT(rscp_server__secret_equal("", 0, "", 0), 1);
    CHECK_INT(rscp_server__secret_equal("", 0, "a", 1), 0);
    CHECK_INT(rscp_server__secret_equal("a", 1, "", 0), 0);
    CHECK_INT(rscp_server__secret_equal(long_a, 700, long_a, 700), 1);
    CHECK_INT(rscp_server__secret_equal(long_a, 700, long_b, 700), 0);
    CHECK_INT(rscp_server__secret_equal(long_a, 699, long_b, 699), 1);
    CHECK_INT(rscp_server__secret_equal(long_a, 256, long_a, 257), 0);
}

int main(void)
{
    test_secret_equal();
    test_level_query();
    test_oversized();
    test_fairness();
    test_backpressure();
    test_deadlines();
    test_full();
    test_guessing();
    return th_finish();
}
