/* The server seen from a raw socket: frames are built by hand, checked
 * with zlib's CRC-32 and encrypted/decrypted with libmcrypt's
 * rijndael-256 CBC, independently of the library's codec and cipher. Also:
 * limits, idle timeout, setup errors and 1,000 concurrent clients. */
#include <errno.h>
#include <mcrypt.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "net_testlib.h"

#define REQ_FAIL 0x0A0000FEu /* test handler: return an error */

static int fail_handler(void *ctx, const struct rscp_session_info *s, const struct rscp_frame *req,
                        struct rscp_builder *reply)
{
    struct rscp_block blk;
    if (rscp_find(req->data, req->data_len, REQ_FAIL, &blk) == 0)
        return RSCP_ERR_ARG;
    return nt_handler(ctx, s, req, reply);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* ---- a raw client --------------------------------------------------------- */

struct raw {
    int fd;
    MCRYPT enc, dec;
};

static void raw_key(const char *k, uint8_t key[32])
{
    size_t n = strlen(k);
    memset(key, 0xFF, 32);
    memcpy(key, k, n < 32 ? n : 32);
}

static bool raw_open(struct raw *r, uint16_t port, const char *keystr)
{
    uint8_t key[32], iv[32];
    raw_key(keystr, key);
    r->fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(r->fd, (struct sockaddr *)&sa, sizeof sa) != 0)
        return false;
    struct timeval tv = {2, 0};
    setsockopt(r->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    r->enc = mcrypt_module_open((char *)"rijndael-256", NULL, (char *)"cbc", NULL);
    r->dec = mcrypt_module_open((char *)"rijndael-256", NULL, (char *)"cbc", NULL);
    memset(iv, 0xFF, sizeof iv);
    CHECK_INT(mcrypt_generic_init(r->enc, key, 32, iv), 0);
    CHECK_INT(mcrypt_generic_init(r->dec, key, 32, iv), 0);
    return true;
}

static void raw_close(struct raw *r)
{
    close(r->fd);
    mcrypt_generic_deinit(r->enc);
    mcrypt_module_close(r->enc);
    mcrypt_generic_deinit(r->dec);
    mcrypt_module_close(r->dec);
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* One encrypted frame with CRC around blocks[0..len) into out; returns
 * the wire length. encrypt false: plaintext (padded). */
static size_t raw_frame(struct raw *r, const uint8_t *blocks, size_t len, uint8_t *out, bool encrypt)
{
    size_t n = 18 + len + 4, wire = (n + 31) / 32 * 32;
    memset(out, 0, wire);
    out[0] = 0xE3;
    out[1] = 0xDC;
    out[2] = 0x00;
    out[3] = 0x11;
    put32(out + 4, (uint32_t)time(NULL));
    out[16] = (uint8_t)len;
    out[17] = (uint8_t)(len >> 8);
    memcpy(out + 18, blocks, len);
    put32(out + 18 + len, (uint32_t)crc32(0, out, (uInt)(18 + len)));
    if (encrypt)
        CHECK_INT(mcrypt_generic(r->enc, out, (int)wire), 0);
    return wire;
}

static void raw_send(struct raw *r, const uint8_t *blocks, size_t len)
{
    uint8_t buf[512];
    size_t wire = raw_frame(r, blocks, len, buf, true);
    CHECK_INT(send(r->fd, buf, wire, MSG_NOSIGNAL), (long long)wire);
}

static ssize_t recv_all(int fd, uint8_t *p, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t k = recv(fd, p + got, n - got, 0);
        if (k <= 0)
            return got ? (ssize_t)got : k;
        got += (size_t)k;
    }
    return (ssize_t)got;
}

/* Receive one frame; returns its data length (data copied to out) or -1
 * when the connection closed / timed out before a whole frame. */
static int raw_recv(struct raw *r, uint8_t *out, size_t cap, struct rscp_timestamp *ts)
{
    uint8_t buf[4096];
    if (recv_all(r->fd, buf, 32) != 32)
        return -1;
    CHECK_INT(mdecrypt_generic(r->dec, buf, 32), 0);
    CHECK(buf[0] == 0xE3 && buf[1] == 0xDC && buf[2] == 0x00 && buf[3] == 0x11);
    size_t n = (size_t)buf[16] | (size_t)buf[17] << 8;
    size_t total = 18 + n + 4, wire = (total + 31) / 32 * 32;
    if (wire > sizeof buf || n > cap)
        return -1;
    if (wire > 32) {
        if (recv_all(r->fd, buf + 32, wire - 32) != (ssize_t)(wire - 32))
            return -1;
        CHECK_INT(mdecrypt_generic(r->dec, buf + 32, (int)(wire - 32)), 0);
    }
    CHECK_INT(get32(buf + 18 + n), (uint32_t)crc32(0, buf, (uInt)(18 + n)));
    for (size_t i = total; i < wire; i++)
        CHECK_INT(buf[i], 0);
    if (ts) {
        ts->seconds = (int64_t)((uint64_t)get32(buf + 4) | (uint64_t)get32(buf + 8) << 32);
        ts->nanoseconds = get32(buf + 12);
    }
    memcpy(out, buf + 18, n);
    return (int)n;
}

/* true when the peer closes without sending anything. */
static bool raw_closed_silently(struct raw *r)
{
    uint8_t b;
    ssize_t k = recv(r->fd, &b, 1, 0);
    return k == 0 || (k < 0 && errno == ECONNRESET);
}

/* Expected bytes, from the protocol notes (vectors P4/P5 and §4). */
static const uint8_t AUTH_BLOCKS_HEAD[] = {0x01, 0x00, 0x00, 0x00, 0x0E};
static const uint8_t AUTH_OK_10[] = {0x01, 0x00, 0x80, 0x00, 0x03, 0x01, 0x00, 0x0A};
static const uint8_t AUTH_FAIL[] = {0x01, 0x00, 0x80, 0x00, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00};
static const uint8_t REQ_PV[] = {0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00};
static const uint8_t PV_1234[] = {0x01, 0x00, 0x80, 0x01, 0x06, 0x04, 0x00, 0xD2, 0x04, 0x00, 0x00};
static const uint8_t PV_DENIED[] = {0x01, 0x00, 0x80, 0x01, 0xFF, 0x04, 0x00, 0x02, 0x00, 0x00, 0x00};

/* The authentication container for user/password, built by hand. */
static size_t auth_blocks(uint8_t *out, const char *user, const char *password)
{
    size_t ul = strlen(user), pl = strlen(password);
    size_t inner = 7 + ul + 7 + pl;
    memcpy(out, AUTH_BLOCKS_HEAD, sizeof AUTH_BLOCKS_HEAD);
    out[5] = (uint8_t)inner;
    out[6] = (uint8_t)(inner >> 8);
    uint8_t *p = out + 7;
    put32(p, 2);
    p[4] = 0x0D;
    p[5] = (uint8_t)ul;
    p[6] = 0;
    memcpy(p + 7, user, ul);
    p += 7 + ul;
    put32(p, 3);
    p[4] = 0x0D;
    p[5] = (uint8_t)pl;
    p[6] = 0;
    memcpy(p + 7, password, pl);
    return 7 + inner;
}

static void raw_auth(struct raw *r, const char *password, const uint8_t *want, size_t want_len)
{
    uint8_t blocks[256], data[256];
    size_t n = auth_blocks(blocks, NT_USER, password);
    raw_send(r, blocks, n);
    struct rscp_timestamp ts = {0, 0};
    int got = raw_recv(r, data, sizeof data, &ts);
    CHECK_MEM(data, got < 0 ? 0 : (size_t)got, want, want_len);
    int64_t now = (int64_t)time(NULL);
    CHECK(ts.seconds >= now - 2 && ts.seconds <= now + 1);
}

static void test_protocol(uint16_t port)
{
    struct raw r;
    uint8_t data[256];
    CHECK(raw_open(&r, port, NT_KEY));
    raw_auth(&r, NT_PASSWORD, AUTH_OK_10, sizeof AUTH_OK_10);
    for (int i = 0; i < 5; i++) { /* IV chaining both ways */
        raw_send(&r, REQ_PV, sizeof REQ_PV);
        int n = raw_recv(&r, data, sizeof data, NULL);
        CHECK_MEM(data, n < 0 ? 0 : (size_t)n, PV_1234, sizeof PV_1234);
    }
    raw_close(&r);

    /* wrong password: INT32 0, the connection stays, requests are denied,
     * a later correct authentication works */
    CHECK(raw_open(&r, port, NT_KEY));
    raw_auth(&r, "wrong", AUTH_FAIL, sizeof AUTH_FAIL);
    raw_send(&r, REQ_PV, sizeof REQ_PV);
    int n = raw_recv(&r, data, sizeof data, NULL);
    CHECK_MEM(data, n < 0 ? 0 : (size_t)n, PV_DENIED, sizeof PV_DENIED);
    raw_auth(&r, NT_PASSWORD, AUTH_OK_10, sizeof AUTH_OK_10);
    raw_send(&r, REQ_PV, sizeof REQ_PV);
    n = raw_recv(&r, data, sizeof data, NULL);
    CHECK_MEM(data, n < 0 ? 0 : (size_t)n, PV_1234, sizeof PV_1234);
    raw_close(&r);

    /* a request before any authentication is denied */
    CHECK(raw_open(&r, port, NT_KEY));
    raw_send(&r, REQ_PV, sizeof REQ_PV);
    n = raw_recv(&r, data, sizeof data, NULL);
    CHECK_MEM(data, n < 0 ? 0 : (size_t)n, PV_DENIED, sizeof PV_DENIED);
    raw_close(&r);

    /* wrong key: closed without a reply */
    CHECK(raw_open(&r, port, "some other key"));
    uint8_t blocks[256];
    raw_send(&r, blocks, auth_blocks(blocks, NT_USER, NT_PASSWORD));
    CHECK(raw_closed_silently(&r));
    raw_close(&r);

    /* plaintext: closed without a reply */
    CHECK(raw_open(&r, port, NT_KEY));
    uint8_t buf[512];
    size_t wire = raw_frame(&r, blocks, auth_blocks(blocks, NT_USER, NT_PASSWORD), buf, false);
    CHECK_INT(send(r.fd, buf, wire, MSG_NOSIGNAL), (long long)wire);
    CHECK(raw_closed_silently(&r));
    raw_close(&r);

    /* a handler error closes the connection without a reply */
    CHECK(raw_open(&r, port, NT_KEY));
    raw_auth(&r, NT_PASSWORD, AUTH_OK_10, sizeof AUTH_OK_10);
    uint8_t req_fail[7] = {0xFE, 0x00, 0x00, 0x0A, 0x00, 0x00, 0x00};
    raw_send(&r, req_fail, sizeof req_fail);
    CHECK(raw_closed_silently(&r));
    raw_close(&r);
}

static void test_coalesce(void)
{
    struct rscp_server_config cfg;
    struct nt_server srv;
    nt_server_config(&cfg);
    cfg.faults.coalesce = 3;
    CHECK_INT(nt_server_start(&srv, &cfg), 0);
    struct raw r;
    uint8_t data[256];
    CHECK(raw_open(&r, rscp_server_port(srv.srv), NT_KEY));
    raw_auth(&r, NT_PASSWORD, AUTH_OK_10, sizeof AUTH_OK_10); /* never held */
    raw_send(&r, REQ_PV, sizeof REQ_PV);
    raw_send(&r, REQ_PV, sizeof REQ_PV);
    struct pollfd p = {r.fd, POLLIN, 0};
    CHECK_INT(poll(&p, 1, 200), 0); /* two replies held */
    raw_send(&r, REQ_PV, sizeof REQ_PV);
    CHECK_INT(poll(&p, 1, 2000), 1);
    sleep_ms(20);
    uint8_t peek[512];
    CHECK_INT(recv(r.fd, peek, sizeof peek, MSG_PEEK), 3 * 64); /* all three at once */
    for (int i = 0; i < 3; i++) {
        int n = raw_recv(&r, data, sizeof data, NULL);
        CHECK_MEM(data, n < 0 ? 0 : (size_t)n, PV_1234, sizeof PV_1234);
    }
    raw_close(&r);
    nt_server_stop(&srv);
}

/* A clock injected through rscp_server_config.now: every reply header
 * (authentication, denial, handler replies) carries its time. */
struct fake_clock {
    int64_t seconds;          /* next time handed out: seconds, +1 per call */
    uint32_t nanoseconds;
    unsigned calls;
    unsigned calls_at_handler; /* calls seen by the last handler run */
};

static struct rscp_timestamp fake_now(void *ctx)
{
    struct fake_clock *fc = ctx;
    struct rscp_timestamp t = {fc->seconds + (int64_t)fc->calls, fc->nanoseconds};
    fc->calls++;
    return t;
}

static int clock_handler(void *ctx, const struct rscp_session_info *s, const struct rscp_frame *req,
                         struct rscp_builder *reply)
{
    struct fake_clock *fc = ctx;
    fc->calls_at_handler = fc->calls;
    return nt_handler(NULL, s, req, reply);
}

static void test_injected_clock(void)
{
    struct fake_clock fc = {1782045000, 123456789u, 0, 0}; /* 2026-06-21T12:30:00Z */
    struct rscp_server_config cfg;
    struct nt_server srv;
    nt_server_config(&cfg);
    cfg.handler = clock_handler;
    cfg.handler_ctx = &fc;
    cfg.now = fake_now;
    cfg.now_ctx = &fc;
    CHECK_INT(nt_server_start(&srv, &cfg), 0);
    struct raw r;
    uint8_t blocks[256], data[256];
    struct rscp_timestamp ts;
    CHECK(raw_open(&r, rscp_server_port(srv.srv), NT_KEY));

    /* Before authentication: the denial carries the injected time. */
    raw_send(&r, REQ_PV, sizeof REQ_PV);
    int n = raw_recv(&r, data, sizeof data, &ts);
    CHECK_MEM(data, n < 0 ? 0 : (size_t)n, PV_DENIED, sizeof PV_DENIED);
    CHECK_INT(ts.seconds, 1782045000);
    CHECK_INT(ts.nanoseconds, 123456789);

    /* The authentication reply. */
    raw_send(&r, blocks, auth_blocks(blocks, NT_USER, NT_PASSWORD));
    n = raw_recv(&r, data, sizeof data, &ts);
    CHECK_MEM(data, n < 0 ? 0 : (size_t)n, AUTH_OK_10, sizeof AUTH_OK_10);
    CHECK_INT(ts.seconds, 1782045001);

    /* A handler reply: the clock is read once, before the handler runs. */
    raw_send(&r, REQ_PV, sizeof REQ_PV);
    n = raw_recv(&r, data, sizeof data, &ts);
    CHECK_MEM(data, n < 0 ? 0 : (size_t)n, PV_1234, sizeof PV_1234);
    CHECK_INT(ts.seconds, 1782045002);
    CHECK_INT(ts.nanoseconds, 123456789);
    CHECK_INT(fc.calls_at_handler, 3);

    /* Nanoseconds of a second or more carry into the seconds. */
    fc.nanoseconds = 2500000000u;
    raw_send(&r, REQ_PV, sizeof REQ_PV);
    n = raw_recv(&r, data, sizeof data, &ts);
    CHECK_MEM(data, n < 0 ? 0 : (size_t)n, PV_1234, sizeof PV_1234);
    CHECK_INT(ts.seconds, 1782045003 + 2);
    CHECK_INT(ts.nanoseconds, 500000000);
    raw_close(&r);
    nt_server_stop(&srv);
    CHECK_INT(fc.calls, 4);
}

static void test_limits(void)
{
    struct rscp_server_config cfg;
    struct nt_server srv;
    nt_server_config(&cfg);
    cfg.max_clients = 2;
    cfg.idle_timeout_ms = 300;
    CHECK_INT(nt_server_start(&srv, &cfg), 0);
    uint16_t port = rscp_server_port(srv.srv);
    struct raw a, b, c;
    CHECK(raw_open(&a, port, NT_KEY));
    int64_t t0 = rscp_monotonic_ms(); /* before b is accepted */
    CHECK(raw_open(&b, port, NT_KEY));
    sleep_ms(50);
    CHECK(raw_open(&c, port, NT_KEY));
    CHECK(raw_closed_silently(&a)); /* beyond max_clients: the oldest unauthenticated makes room */
    /* idle clients are closed after the idle timeout */
    CHECK(raw_closed_silently(&b));
    int64_t el = rscp_monotonic_ms() - t0;
    CHECK(el >= 290 && el < 2000);
    CHECK(raw_closed_silently(&c));
    raw_close(&c);
    raw_close(&a);
    raw_close(&b);
    nt_server_stop(&srv);
}

static void test_setup_errors(uint16_t busy_port)
{
    struct rscp_server_config cfg;
    rscp_server *s = NULL;
    nt_server_config(&cfg);
    cfg.handler = NULL;
    CHECK_INT(rscp_server_new(&s, &cfg), RSCP_ERR_ARG);
    CHECK(s == NULL);
    nt_server_config(&cfg);
    cfg.bind_host = "no-such-host.invalid";
    CHECK_INT(rscp_server_new(&s, &cfg), RSCP_ERR_RESOLVE);
    nt_server_config(&cfg);
    cfg.port = busy_port;
    CHECK_INT(rscp_server_new(&s, &cfg), RSCP_ERR_IO);
    CHECK(strstr(rscp_server_errstr(NULL), "listen on 127.0.0.1") != NULL);
    rscp_server_free(NULL);
    CHECK_INT(rscp_server_port(NULL), 0);
}

/* 1,000 clients connected and authenticated at once, driven by one poll()
 * loop of the non-blocking client API. */
static void test_many_clients(void)
{
    enum { N = 1000 };
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_cur < 2 * N + 64) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
        getrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur < 2 * N + 64) {
        printf("skip: 1,000 clients need %d descriptors, the limit is %llu\n", 2 * N + 64,
               (unsigned long long)rl.rlim_cur);
        return;
    }
    struct rscp_server_config cfg;
    struct nt_server srv;
    nt_server_config(&cfg);
    CHECK_INT(nt_server_start(&srv, &cfg), 0);
    uint16_t port = rscp_server_port(srv.srv);
    rscp_client **cs = calloc(N, sizeof *cs);
    struct pollfd *p = calloc(N, sizeof *p);
    int *done = calloc(N, sizeof *done);
    for (int i = 0; i < N; i++) {
        struct rscp_client_config cc;
        nt_client_config(&cc, "127.0.0.1", port);
        cc.connect_timeout_ms = 20000;
        cc.io_timeout_ms = 20000;
        CHECK_INT(rscp_client_new(&cs[i], &cc), 0);
        CHECK_INT(rscp_client_start(cs[i]), 0);
    }
    unsigned errors = 0, replies = 0, ready = 0;
    int64_t t0 = rscp_monotonic_ms();
    while (replies + errors < N && rscp_monotonic_ms() - t0 < 30000) {
        for (int i = 0; i < N; i++) {
            p[i].fd = done[i] ? -1 : rscp_client_fd(cs[i]);
            p[i].events = (short)(POLLIN | (rscp_client_wants_write(cs[i]) ? POLLOUT : 0));
            p[i].revents = 0;
        }
        poll(p, N, 100);
        int64_t now = rscp_monotonic_ms();
        for (int i = 0; i < N; i++) {
            if (done[i])
                continue;
            int rc = 0;
            int before = rscp_client_state(cs[i]);
            if (p[i].revents & (POLLOUT | POLLERR | POLLHUP))
                rc = rscp_client_on_writable(cs[i]);
            if (rc >= 0 && (p[i].revents & (POLLIN | POLLERR | POLLHUP)))
                rc = rscp_client_on_readable(cs[i]);
            if (rc >= 0)
                rc = rscp_client_on_timer(cs[i], now);
            if (rc < 0) {
                if (errors++ < 3)
                    printf("client %d: %s\n", i, rscp_client_errstr(cs[i]));
                done[i] = 1;
                continue;
            }
            struct rscp_frame f;
            if (rscp_client_take_reply(cs[i], &f) == 1) {
                replies++;
                done[i] = 1;
                if (nt_reply_int32(&f, NT_POWER_PV) != NT_PV_VALUE)
                    errors++;
            } else if (rscp_client_state(cs[i]) == RSCP_CLIENT_READY && before != RSCP_CLIENT_READY) {
                ready++;
                CHECK_INT(rscp_client_submit(cs[i], REQ_PV, sizeof REQ_PV), 0);
            }
        }
    }
    printf("1,000 clients: %u authenticated, %u replies, %u errors in %lld ms\n", ready, replies, errors,
           (long long)(rscp_monotonic_ms() - t0));
    CHECK_INT(ready, N);
    CHECK_INT(replies, N);
    CHECK_INT(errors, 0);
    srv.stop = 1; /* stop serving, then count the connections it holds */
    pthread_join(srv.thread, NULL);
    srv.running = false;
    CHECK_INT(rscp_server_clients(srv.srv), N);
    for (int i = 0; i < N; i++)
        rscp_client_free(cs[i]);
    free(cs);
    free(p);
    free(done);
    nt_server_stop(&srv);
}

int main(void)
{
    struct rscp_server_config cfg;
    struct nt_server srv;
    nt_server_config(&cfg);
    cfg.handler = fail_handler;
    if (nt_server_start(&srv, &cfg) != 0) {
        printf("cannot start the server: %s\n", rscp_server_errstr(NULL));
        CHECK(0);
        return th_finish();
    }
    test_protocol(rscp_server_port(srv.srv));
    test_setup_errors(rscp_server_port(srv.srv));
    nt_server_stop(&srv);
    test_coalesce();
    test_injected_clock();
    test_limits();
    test_many_clients();
    return th_finish();
}
