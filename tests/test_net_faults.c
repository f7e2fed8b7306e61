/* Every server fault option against the client: the right error within
 * its deadline (never a hang), and a working reconnect afterwards. */
#include "net_testlib.h"

#define IO_TIMEOUT 300
#define SLACK 700 /* scheduling margin on a loaded machine */

static const uint8_t REQ_PV[7] = {0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00};

struct fixture {
    struct nt_server srv;
    rscp_client *c;
};

static void setup(struct fixture *fx, const struct rscp_server_faults *faults)
{
    struct rscp_server_config scfg;
    nt_server_config(&scfg);
    scfg.faults = *faults;
    CHECK_INT(nt_server_start(&fx->srv, &scfg), 0);
    struct rscp_client_config cfg;
    nt_client_config(&cfg, "127.0.0.1", rscp_server_port(fx->srv.srv));
    cfg.io_timeout_ms = IO_TIMEOUT;
    cfg.connect_timeout_ms = IO_TIMEOUT;
    CHECK_INT(rscp_client_new(&fx->c, &cfg), 0);
}

static void teardown(struct fixture *fx)
{
    rscp_client_free(fx->c);
    nt_server_stop(&fx->srv);
}

/* One request; checks the result and the elapsed time. */
static int timed_request(rscp_client *c, int64_t max_ms, struct rscp_frame *f)
{
    int64_t t0 = rscp_monotonic_ms();
    int rc = rscp_client_request(c, REQ_PV, sizeof REQ_PV, f);
    int64_t el = rscp_monotonic_ms() - t0;
    CHECK(el <= max_ms);
    if (el > max_ms)
        printf("  request took %lld ms (limit %lld): %s\n", (long long)el, (long long)max_ms,
               rscp_client_errstr(c));
    return rc;
}

static int timed_connect(rscp_client *c, int64_t max_ms)
{
    int64_t t0 = rscp_monotonic_ms();
    int rc = rscp_client_connect(c);
    CHECK(rscp_monotonic_ms() - t0 <= max_ms);
    return rc;
}

/* After the failure: the state is FAILED, calls say so, reconnect works. */
static void check_failed_then_reconnect(rscp_client *c)
{
    struct rscp_frame f;
    CHECK_INT(rscp_client_state(c), RSCP_CLIENT_FAILED);
    CHECK_INT(rscp_client_request(c, REQ_PV, sizeof REQ_PV, &f), RSCP_ERR_NOT_CONNECTED);
    CHECK_INT(timed_connect(c, IO_TIMEOUT + SLACK), 0);
    CHECK_INT(rscp_client_auth_level(c), 10);
}

static void test_delay(void)
{
    struct fixture fx;
    struct rscp_server_faults f0 = {0};
    f0.delay_ms = 100; /* below the timeouts: slow but fine */
    setup(&fx, &f0);
    struct rscp_frame f;
    CHECK_INT(timed_connect(fx.c, IO_TIMEOUT + SLACK), 0);
    int64_t t0 = rscp_monotonic_ms();
    CHECK_INT(timed_request(fx.c, IO_TIMEOUT + SLACK, &f), 0);
    CHECK(rscp_monotonic_ms() - t0 >= 95);
    CHECK_INT(nt_reply_int32(&f, NT_POWER_PV), NT_PV_VALUE);
    teardown(&fx);

    f0.delay_ms = 3 * IO_TIMEOUT; /* beyond: timeout, also during authentication */
    setup(&fx, &f0);
    CHECK_INT(timed_connect(fx.c, IO_TIMEOUT + SLACK), RSCP_ERR_TIMEOUT);
    CHECK_INT(rscp_client_state(fx.c), RSCP_CLIENT_FAILED);
    teardown(&fx);
}

static void test_delay_after_auth(void)
{
    /* a slow reply after a normal authentication: a long-enough connect
     * timeout lets the authentication through, the request times out */
    struct fixture fx;
    struct rscp_server_faults f0 = {0};
    f0.delay_ms = 2 * IO_TIMEOUT;
    struct rscp_server_config scfg;
    nt_server_config(&scfg);
    scfg.faults = f0;
    CHECK_INT(nt_server_start(&fx.srv, &scfg), 0);
    struct rscp_client_config cfg;
    nt_client_config(&cfg, "127.0.0.1", rscp_server_port(fx.srv.srv));
    cfg.io_timeout_ms = IO_TIMEOUT;
    cfg.connect_timeout_ms = 4 * IO_TIMEOUT;
    CHECK_INT(rscp_client_new(&fx.c, &cfg), 0);
    CHECK_INT(rscp_client_connect(fx.c), 0);
    struct rscp_frame f;
    int64_t t0 = rscp_monotonic_ms();
    CHECK_INT(timed_request(fx.c, IO_TIMEOUT + SLACK, &f), RSCP_ERR_TIMEOUT);
    CHECK(rscp_monotonic_ms() - t0 >= IO_TIMEOUT - 5);
    CHECK(strstr(rscp_client_errstr(fx.c), "no complete reply") != NULL);
    check_failed_then_reconnect(fx.c);
    teardown(&fx);
}

static void test_stall(void)
{
    struct fixture fx;
    struct rscp_server_faults f0 = {0};
    struct rscp_frame f;
    f0.stall_after = 40; /* the auth reply is 32 bytes: stall inside the first reply */
    setup(&fx, &f0);
    CHECK_INT(timed_connect(fx.c, IO_TIMEOUT + SLACK), 0);
    CHECK_INT(timed_request(fx.c, IO_TIMEOUT + SLACK, &f), RSCP_ERR_TIMEOUT);
    CHECK(strstr(rscp_client_errstr(fx.c), "8 bytes received") != NULL);
    check_failed_then_reconnect(fx.c);
    teardown(&fx);

    f0.stall_after = 10; /* inside the authentication reply */
    setup(&fx, &f0);
    CHECK_INT(timed_connect(fx.c, IO_TIMEOUT + SLACK), RSCP_ERR_TIMEOUT);
    teardown(&fx);
}

static void test_close(void)
{
    struct fixture fx;
    struct rscp_server_faults f0 = {0};
    struct rscp_frame f;
    f0.close_after = 40;
    setup(&fx, &f0);
    CHECK_INT(timed_connect(fx.c, IO_TIMEOUT + SLACK), 0);
    CHECK_INT(timed_request(fx.c, IO_TIMEOUT + SLACK, &f), RSCP_ERR_CLOSED);
    check_failed_then_reconnect(fx.c);
    teardown(&fx);

    f0.close_after = 10; /* inside the authentication reply: a broken connection, not a key problem */
    setup(&fx, &f0);
    CHECK_INT(timed_connect(fx.c, IO_TIMEOUT + SLACK), RSCP_ERR_CLOSED);
    CHECK(strstr(rscp_client_errstr(fx.c), "10 bytes of its reply") != NULL);
    CHECK(strstr(rscp_client_errstr(fx.c), "RSCP key") == NULL);
    teardown(&fx);
}

static void test_reset(void)
{
    struct fixture fx;
    struct rscp_server_faults f0 = {0};
    struct rscp_frame f;
    f0.reset = true;
    setup(&fx, &f0);
    for (int i = 0; i < 3; i++) {
        CHECK_INT(timed_connect(fx.c, IO_TIMEOUT + SLACK), 0);
        CHECK_INT(timed_request(fx.c, IO_TIMEOUT + SLACK, &f), RSCP_ERR_CLOSED);
        CHECK_INT(rscp_client_state(fx.c), RSCP_CLIENT_FAILED);
    }
    check_failed_then_reconnect(fx.c);
    teardown(&fx);
}

static void test_chunk(void)
{
    static const uint32_t chunks[] = {1, 7, 32, 33};
    for (size_t k = 0; k < sizeof chunks / sizeof chunks[0]; k++) {
        struct fixture fx;
        struct rscp_server_faults f0 = {0};
        f0.chunk = chunks[k];
        setup(&fx, &f0);
        CHECK_INT(timed_connect(fx.c, IO_TIMEOUT + SLACK), 0);
        unsigned bad = 0;
        for (int i = 0; i < 20; i++) {
            struct rscp_builder b;
            struct rscp_frame f;
            struct rscp_block blk;
            const uint8_t *p;
            size_t n = 0;
            rscp_client_request_begin(fx.c, &b);
            rscp_put_int32(&b, 0x01000070u, i);
            rscp_put_uint32(&b, NT_REQ_BLOB, (uint32_t)(i * 97));
            if (rscp_client_request_send(fx.c, &b, &f) != 0 || nt_reply_int32(&f, 0x01800070u) != i ||
                rscp_find(f.data, f.data_len, NT_REQ_BLOB | RSCP_TAG_RESPONSE_BIT, &blk) != 0 ||
                rscp_block_get_bytes(&blk, &p, &n) != 0 || n != (size_t)i * 97)
                bad++;
        }
        CHECK_INT(bad, 0);
        teardown(&fx);
    }
}

static void test_coalesce(void)
{
    /* a client waiting for each reply never gets the held one */
    struct fixture fx;
    struct rscp_server_faults f0 = {0};
    struct rscp_frame f;
    f0.coalesce = 2;
    setup(&fx, &f0);
    CHECK_INT(timed_connect(fx.c, IO_TIMEOUT + SLACK), 0);
    CHECK_INT(timed_request(fx.c, IO_TIMEOUT + SLACK, &f), RSCP_ERR_TIMEOUT);
    check_failed_then_reconnect(fx.c);
    teardown(&fx);
}

static void test_corrupt_crc(void)
{
    struct fixture fx;
    struct rscp_server_faults f0 = {0};
    struct rscp_frame f;
    f0.corrupt_crc = true;
    setup(&fx, &f0);
    CHECK_INT(timed_connect(fx.c, IO_TIMEOUT + SLACK), 0);
    CHECK_INT(timed_request(fx.c, IO_TIMEOUT + SLACK, &f), RSCP_ERR_CRC);
    CHECK(strstr(rscp_client_errstr(fx.c), "CRC") != NULL);
    check_failed_then_reconnect(fx.c);
    CHECK_INT(timed_request(fx.c, IO_TIMEOUT + SLACK, &f), RSCP_ERR_CRC);
    teardown(&fx);
}

static void test_drop(void)
{
    struct fixture fx;
    struct rscp_server_faults f0 = {0};
    struct rscp_frame f;
    f0.drop_frame = 3;
    setup(&fx, &f0);
    for (int round = 0; round < 2; round++) {
        CHECK_INT(timed_connect(fx.c, IO_TIMEOUT + SLACK), 0);
        CHECK_INT(timed_request(fx.c, IO_TIMEOUT + SLACK, &f), 0);
        CHECK_INT(timed_request(fx.c, IO_TIMEOUT + SLACK, &f), 0);
        CHECK_INT(timed_request(fx.c, IO_TIMEOUT + SLACK, &f), RSCP_ERR_TIMEOUT);
        CHECK_INT(rscp_client_state(fx.c), RSCP_CLIENT_FAILED);
    }
    teardown(&fx);
}

static void test_refuse_auth(void)
{
    struct fixture fx;
    struct rscp_server_faults f0 = {0};
    f0.refuse_auth = true;
    setup(&fx, &f0);
    CHECK_INT(timed_connect(fx.c, IO_TIMEOUT + SLACK), RSCP_ERR_AUTH);
    CHECK_INT(timed_connect(fx.c, IO_TIMEOUT + SLACK), RSCP_ERR_AUTH);
    CHECK_INT(rscp_client_auth_level(fx.c), 0);
    teardown(&fx);
}

static void test_busy(void)
{
    struct fixture fx;
    struct rscp_server_faults f0 = {0};
    f0.busy_every = 3;
    setup(&fx, &f0);
    CHECK_INT(timed_connect(fx.c, IO_TIMEOUT + SLACK), 0);
    unsigned busy = 0, normal = 0;
    for (int i = 1; i <= 9; i++) {
        struct rscp_frame f;
        struct rscp_block blk;
        uint32_t code = 0;
        CHECK_INT(timed_request(fx.c, IO_TIMEOUT + SLACK, &f), 0);
        if (rscp_find(f.data, f.data_len, 0x00FFFFFFu, &blk) == 0) {
            CHECK_INT(rscp_block_get_error(&blk, &code), 0);
            CHECK_INT(code, 4); /* AGAIN */
            CHECK_INT(i % 3, 0);
            busy++;
        } else {
            CHECK_INT(nt_reply_int32(&f, NT_POWER_PV), NT_PV_VALUE);
            normal++;
        }
    }
    CHECK_INT(busy, 3);
    CHECK_INT(normal, 6);
    CHECK_INT(rscp_client_state(fx.c), RSCP_CLIENT_READY);
    teardown(&fx);
}

int main(void)
{
    test_delay();
    test_delay_after_auth();
    test_stall();
    test_close();
    test_reset();
    test_chunk();
    test_coalesce();
    test_corrupt_crc();
    test_drop();
    test_refuse_auth();
    test_busy();
    return th_finish();
}
