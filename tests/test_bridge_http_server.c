/* The metrics endpoint (bridge/http_server.h) over real TCP on loopback:
 * the server runs in its own poll loop (a thread of this test, as the
 * daemon's loop would), the clients are plain blocking sockets.
 * Covered: a 1 MB body arrives whole (the handler asked again for a larger
 * buffer), HEAD without a body, 404/405/400/413/414/431/505/503/500, a head
 * sent in many tiny writes, the query split off, pipelined garbage after a
 * request ignored (no reset that loses the response), a slowloris client
 * closed at the head deadline, a client that never reads closed at the
 * write deadline without delaying another client, the connection limit
 * (oldest idle connection closed; 503 when all are busy), listen errors
 * named, IPv6, a streamed body (chunked, HTTP/1.0, HEAD, a failing
 * stream, a slow reader), and curl (when installed) getting /healthz. */
#include "harness.h"
#include "http_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* ---- the server side: a handler and a poll loop in a thread ---------------- */

struct app {
    size_t metrics_len;    /* body size of /metrics                  */
    size_t stream_len;     /* body size of /stream                   */
    atomic_size_t produced; /* bytes the streams' next() gave so far */
    atomic_int streams, frees; /* streams made and freed             */
    atomic_int calls;      /* handler calls                          */
    char last_query[64];
    int last_method;
};

static char pattern_byte(size_t i)
{
    return (char)('a' + (i * 7 + i / 61) % 26);
}

static struct app app;

/* /stream: stream_len pattern bytes in pieces of odd sizes; with the
 * query "abort" the stream fails half-way. */
struct stream_state {
    size_t pos, len;
    bool abort;
};

static long stream_next(void *state, char *buf, size_t cap)
{
    struct stream_state *st = state;
    if (st->abort && st->pos >= st->len / 2)
        return -1;
    size_t n = 1000 + st->pos % 7919;
    if (n > cap)
        n = cap;
    if (n > st->len - st->pos)
        n = st->len - st->pos;
    for (size_t i = 0; i < n; i++)
        buf[i] = pattern_byte(st->pos + i);
    st->pos += n;
    atomic_fetch_add(&app.produced, n);
    return (long)n;
}

static void stream_free(void *state)
{
    atomic_fetch_add(&app.frees, 1);
    free(state);
}

static void handler(void *ctx, const struct bridge_http_request *req, struct bridge_http_response *r)
{
    struct app *a = ctx;
    atomic_fetch_add(&a->calls, 1);
    a->last_method = req->method;
    snprintf(a->last_query, sizeof a->last_query, "%s", req->query);
    if (strcmp(req->path, "/metrics") == 0) {
        r->content_type = BRIDGE_HTTP_METRICS_TYPE;
        r->len = a->metrics_len;
        if (r->len > r->cap)
            return; /* call again with a larger buffer */
        for (size_t i = 0; i < r->len; i++)
            r->body[i] = pattern_byte(i);
    } else if (strcmp(req->path, "/stream") == 0) {
        struct stream_state *st = calloc(1, sizeof *st);
        st->len = a->stream_len;
        st->abort = strcmp(req->query, "abort") == 0;
        atomic_fetch_add(&a->streams, 1);
        r->content_type = BRIDGE_HTTP_METRICS_TYPE;
        r->stream.next = stream_next;
        r->stream.free = stream_free;
        r->stream.state = st;
        r->stream.mem = sizeof *st;
    } else if (strcmp(req->path, "/healthz") == 0) {
        r->len = 3;
        memcpy(r->body, "ok\n", 3);
    } else if (strcmp(req->path, "/busy") == 0) {
        r->status = 503;
    } else if (strcmp(req->path, "/odd") == 0) {
        r->status = 299;
    } else {
        r->status = 404;
    }
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

struct loop {
    struct bridge_http_server *s;
    pthread_mutex_t mu;    /* held around every server call           */
    atomic_bool stop;
    pthread_t th;
};

static void *loop_main(void *arg)
{
    struct loop *l = arg;
    struct pollfd fds[300];
    while (!atomic_load(&l->stop)) {
        pthread_mutex_lock(&l->mu);
        size_t n = bridge_http_pollfds(l->s, fds, 300);
        int64_t d = bridge_http_next_deadline(l->s);
        pthread_mutex_unlock(&l->mu);
        int timeout = 20; /* also the stop check */
        if (d >= 0) {
            int64_t left = d - now_ms();
            if (left < timeout)
                timeout = left < 0 ? 0 : (int)left;
        }
        int rc = poll(fds, (nfds_t)n, timeout);
        pthread_mutex_lock(&l->mu);
        bridge_http_process(l->s, fds, rc > 0 ? n : 0, now_ms());
        pthread_mutex_unlock(&l->mu);
    }
    return NULL;
}

static struct loop lp;

static void server_start(const struct bridge_http_limits *lim)
{
    char err[200];
    memset(&lp, 0, sizeof lp);
    app.metrics_len = 1u << 20;
    atomic_store(&app.calls, 0);
    int rc = bridge_http_new(&lp.s, "127.0.0.1", 0, handler, &app, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "%s\n", err);
        abort();
    }
    if (lim)
        CHECK_INT(bridge_http_set_limits(lp.s, lim), 0);
    pthread_mutex_init(&lp.mu, NULL);
    atomic_store(&lp.stop, false);
    pthread_create(&lp.th, NULL, loop_main, &lp);
}

static void server_stop(void)
{
    atomic_store(&lp.stop, true);
    pthread_join(lp.th, NULL);
    bridge_http_free(lp.s);
    pthread_mutex_destroy(&lp.mu);
}

static struct bridge_http_stats stats(void)
{
    struct bridge_http_stats st;
    pthread_mutex_lock(&lp.mu);
    bridge_http_stats(lp.s, &st);
    pthread_mutex_unlock(&lp.mu);
    return st;
}

/* Wait (up to 5 s) until the counter picked by `which` reaches want. */
static uint64_t wait_stat(int which, uint64_t want)
{
    uint64_t v = 0;
    for (int i = 0; i < 500; i++) {
        struct bridge_http_stats st = stats();
        v = which == 0 ? st.timeouts : which == 1 ? st.rejected : st.open;
        if (which == 2 ? v == want : v >= want)
            break;
        sleep_ms(10);
    }
    return v;
}

/* ---- the client side ------------------------------------------------------- */

static const char *find_end(const char *p, size_t n)
{
    for (size_t i = 0; i + 4 <= n; i++)
        if (memcmp(p + i, "\r\n\r\n", 4) == 0)
            return p + i;
    return NULL;
}

static int connect_port(uint16_t port, int rcvbuf)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    if (rcvbuf > 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    struct timeval tv = {5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static bool send_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n > 0) {
        ssize_t k = send(fd, c, n, MSG_NOSIGNAL);
        if (k <= 0)
            return false;
        c += k;
        n -= (size_t)k;
    }
    return true;
}

struct resp {
    char *raw;
    size_t len;
    bool eof;          /* ended by the server's orderly close          */
    int status;
    char head[2048];   /* the head, NUL-terminated                      */
    const char *body;
    size_t body_len;
    long content_length; /* -1: none                                     */
};

/* Read until EOF (or error/timeout: eof false), then split the response. */
static void read_resp(int fd, struct resp *r)
{
    memset(r, 0, sizeof *r);
    r->content_length = -1;
    size_t cap = 1 << 16;
    r->raw = malloc(cap);
    for (;;) {
        if (r->len == cap) {
            cap *= 2;
            r->raw = realloc(r->raw, cap);
        }
        ssize_t k = recv(fd, r->raw + r->len, cap - r->len, 0);
        if (k == 0) {
            r->eof = true;
            break;
        }
        if (k < 0)
            break;
        r->len += (size_t)k;
    }
    const char *end = find_end(r->raw, r->len);
    if (!end)
        return;
    size_t hl = (size_t)(end - r->raw) + 4;
    if (hl >= sizeof r->head)
        return;
    memcpy(r->head, r->raw, hl);
    r->head[hl] = '\0';
    r->body = r->raw + hl;
    r->body_len = r->len - hl;
    if (strncmp(r->head, "HTTP/1.1 ", 9) == 0)
        r->status = atoi(r->head + 9);
    const char *cl = strstr(r->head, "\r\nContent-Length: ");
    if (cl)
        r->content_length = atol(cl + 18);
}

static void resp_free(struct resp *r)
{
    free(r->raw);
}

/* One request on a new connection; the response read to the end. */
static void request(const char *req, size_t n, struct resp *r)
{
    int fd = connect_port(bridge_http_port(lp.s), 0);
    CHECK(fd >= 0);
    CHECK(send_all(fd, req, n));
    read_resp(fd, r);
    close(fd);
}

static void get(const char *req, struct resp *r)
{
    request(req, strlen(req), r);
}

static bool has_header(const struct resp *r, const char *line)
{
    return strstr(r->head, line) != NULL;
}

/* ---- tests ------------------------------------------------------------------ */

static void test_metrics_whole(void)
{
    server_start(NULL);
    struct resp r;
    get("GET /metrics HTTP/1.1\r\nHost: localhost\r\nAccept: text/plain\r\n\r\n", &r);
    CHECK_INT(r.status, 200);
    CHECK(r.eof);
    CHECK(has_header(&r, "\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"));
    CHECK(has_header(&r, "\r\nConnection: close\r\n"));
    CHECK_INT(r.content_length, 1 << 20);
    CHECK_INT(r.body_len, 1 << 20);
    size_t bad = 0;
    for (size_t i = 0; i < r.body_len; i++)
        bad += r.body[i] != pattern_byte(i);
    CHECK_INT(bad, 0);
    CHECK_INT(atomic_load(&app.calls), 2); /* once too small, once right */
    resp_free(&r);

    /* The server remembers the size: the next request needs one call. */
    get("GET /metrics HTTP/1.0\r\n\r\n", &r);
    CHECK_INT(r.body_len, 1 << 20);
    CHECK_INT(atomic_load(&app.calls), 3);
    resp_free(&r);

    /* HEAD: the GET's headers, no body. */
    get("HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n", &r);
    CHECK_INT(r.status, 200);
    CHECK_INT(r.content_length, 1 << 20);
    CHECK_INT(r.body_len, 0);
    CHECK(r.eof);
    CHECK_INT(app.last_method, BRIDGE_HTTP_HEAD);
    resp_free(&r);

    struct bridge_http_stats st = stats();
    CHECK_INT(st.requests, 3);
    CHECK_INT(st.rejected, 0);
    server_stop();
}

/* The chunked body of r decoded into out (the pattern's length at most);
 * its length, or -1 when the framing is broken or the last chunk missing. */
static long dechunk(const struct resp *r, char *out, size_t cap)
{
    size_t i = 0, n = 0;
    for (;;) {
        char *end;
        unsigned long k = strtoul(r->body + i, &end, 16);
        size_t at = (size_t)(end - r->body);
        if (end == r->body + i || at + 2 > r->body_len || memcmp(end, "\r\n", 2) != 0)
            return -1;
        i = at + 2;
        if (k == 0)
            return i + 2 == r->body_len && memcmp(r->body + i, "\r\n", 2) == 0 ? (long)n : -1;
        if (i + k + 2 > r->body_len || n + k > cap || memcmp(r->body + i + k, "\r\n", 2) != 0)
            return -1;
        memcpy(out + n, r->body + i, k);
        n += k;
        i += k + 2;
    }
}

static size_t pattern_errors(const char *p, size_t n)
{
    size_t bad = 0;
    for (size_t i = 0; i < n; i++)
        bad += p[i] != pattern_byte(i);
    return bad;
}

/* A streamed body: chunked to HTTP/1.1, until the close to HTTP/1.0, the
 * GET's head to HEAD; a failing stream leaves the last chunk out; a slow
 * reader gets the stream made only as fast as it reads; every stream is
 * freed once. */
static void test_stream(void)
{
    server_start(NULL);
    app.stream_len = 3u << 20;
    atomic_store(&app.streams, 0);
    atomic_store(&app.frees, 0);
    char *out = malloc(8u << 20);
    struct resp r;
    get("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n", &r);
    CHECK_INT(r.status, 200);
    CHECK(r.eof);
    CHECK(has_header(&r, "\r\nTransfer-Encoding: chunked\r\n"));
    CHECK_INT(r.content_length, -1);
    long n = dechunk(&r, out, 8u << 20);
    CHECK_INT(n, (long)app.stream_len);
    CHECK_INT(pattern_errors(out, n > 0 ? (size_t)n : 0), 0);
    resp_free(&r);

    get("GET /stream HTTP/1.0\r\n\r\n", &r);
    CHECK_INT(r.status, 200);
    CHECK(r.eof);
    CHECK(!has_header(&r, "Transfer-Encoding"));
    CHECK_INT(r.content_length, -1);
    CHECK_INT(r.body_len, app.stream_len);
    CHECK_INT(pattern_errors(r.body, r.body_len), 0);
    resp_free(&r);

    get("HEAD /stream HTTP/1.1\r\nHost: x\r\n\r\n", &r);
    CHECK_INT(r.status, 200);
    CHECK(has_header(&r, "\r\nTransfer-Encoding: chunked\r\n"));
    CHECK_INT(r.body_len, 0);
    resp_free(&r);

    get("GET /stream?abort HTTP/1.1\r\nHost: x\r\n\r\n", &r);
    CHECK_INT(r.status, 200);
    CHECK(r.body_len >= app.stream_len / 2);
    CHECK_INT(dechunk(&r, out, 8u << 20), -1); /* no last chunk */
    resp_free(&r);

    /* A slow reader: after 64 KiB read, the stream has made no more than
     * the sockets can hold (far less than the 16 MiB body). */
    app.stream_len = 16u << 20;
    atomic_store(&app.produced, 0);
    int fd = connect_port(bridge_http_port(lp.s), 4096);
    CHECK(fd >= 0);
    const char *req = "GET /stream HTTP/1.0\r\n\r\n";
    CHECK(send_all(fd, req, strlen(req)));
    size_t got = 0;
    while (got < (64u << 10)) {
        ssize_t k = recv(fd, out + got, 4096, 0);
        if (k <= 0)
            break;
        got += (size_t)k;
        sleep_ms(1);
    }
    sleep_ms(300);
    size_t made = atomic_load(&app.produced);
    if (made >= (12u << 20))
        fprintf(stderr, "  a reader of %zu bytes made the stream produce %zu\n", got, made);
    CHECK(made < (12u << 20));
    for (;;) {
        ssize_t k = recv(fd, out + got, (8u << 20) - got > 65536 ? 65536 : (8u << 20) - got, 0);
        if (k <= 0)
            break;
        got += (size_t)k;
        if (got >= (8u << 20))
            got = 4u << 20; /* keep only the count right: the head is long read */
    }
    close(fd);
    CHECK(atomic_load(&app.produced) == app.stream_len);
    server_stop();
    CHECK_INT(atomic_load(&app.streams), 5);
    CHECK_INT(atomic_load(&app.frees), 5);
    free(out);
}

static void test_statuses(void)
{
    server_start(NULL);
    struct resp r;
    get("GET /healthz HTTP/1.0\r\n\r\n", &r);
    CHECK_INT(r.status, 200);
    CHECK_INT(r.body_len, 3);
    CHECK(r.body && memcmp(r.body, "ok\n", 3) == 0);
    CHECK(has_header(&r, "\r\nContent-Type: text/plain; charset=utf-8\r\n"));
    resp_free(&r);

    get("GET /healthz?verbose=1&x HTTP/1.1\r\nHost: x\r\n\r\n", &r);
    CHECK_INT(r.status, 200);
    CHECK(strcmp(app.last_query, "verbose=1&x") == 0);
    resp_free(&r);

    get("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n", &r);
    CHECK_INT(r.status, 404);
    CHECK(r.body_len == 10 && memcmp(r.body, "Not Found\n", 10) == 0);
    CHECK_INT(r.content_length, 10);
    resp_free(&r);

    get("HEAD /nope HTTP/1.1\r\nHost: x\r\n\r\n", &r);
    CHECK_INT(r.status, 404);
    CHECK_INT(r.content_length, 10);
    CHECK_INT(r.body_len, 0);
    resp_free(&r);

    get("GET /busy HTTP/1.1\r\nHost: x\r\n\r\n", &r);
    CHECK_INT(r.status, 503);
    resp_free(&r);

    get("GET /odd HTTP/1.1\r\nHost: x\r\n\r\n", &r);
    CHECK_INT(r.status, 500);
    resp_free(&r);

    int calls = atomic_load(&app.calls);
    get("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", &r);
    CHECK_INT(r.status, 405);
    CHECK(has_header(&r, "\r\nAllow: GET, HEAD\r\n"));
    resp_free(&r);

    static const struct {
        const char *req;
        int status;
    } bad[] = {
        {"GET metrics HTTP/1.1\r\nHost: x\r\n\r\n", 400},
        {"GET /metrics HTTP/1.1\r\n\r\n", 400},
        {"GET /metrics HTTP/1.1\r\nHost: x\r\nX: a\r\n folded\r\n\r\n", 400},
        {"GET /metrics HTTP/1.1\r\nHost: \x01\r\n\r\n", 400},
        {"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03", 400},
        {"GET /metrics HTTP/2.0\r\n\r\n", 505},
        {"GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nbody", 413},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        get(bad[i].req, &r);
        CHECK_INT(r.status, bad[i].status);
        CHECK(r.eof);
        CHECK(has_header(&r, "\r\nConnection: close\r\n"));
        CHECK(r.content_length >= 0 && (size_t)r.content_length == r.body_len);
        resp_free(&r);
    }
    /* NUL in the request line. */
    static const char nul[] = "GET /\0 HTTP/1.1\r\nHost: x\r\n\r\n";
    request(nul, sizeof nul - 1, &r);
    CHECK_INT(r.status, 400);
    resp_free(&r);

    /* Heads beyond 8 KiB: 414 in the request line, 431 in the headers. */
    char big[10000];
    memcpy(big, "GET /", 5);
    memset(big + 5, 'a', sizeof big - 5);
    request(big, sizeof big, &r);
    CHECK_INT(r.status, 414);
    CHECK(r.eof);
    resp_free(&r);
    const char *h = "GET / HTTP/1.1\r\nHost: x\r\nCookie: ";
    memcpy(big, h, strlen(h));
    memset(big + strlen(h), 'c', sizeof big - strlen(h));
    request(big, sizeof big, &r);
    CHECK_INT(r.status, 431);
    CHECK(r.eof);
    resp_free(&r);

    CHECK_INT(atomic_load(&app.calls), calls); /* none of these reached the handler */
    struct bridge_http_stats st = stats();
    CHECK_INT(st.rejected, 1 + sizeof bad / sizeof bad[0] + 3);
    server_stop();
}

/* The head in one-byte writes, and pipelined garbage after a request. */
static void test_split_and_pipelined(void)
{
    server_start(NULL);
    const char *req = "GET /metrics?a=1 HTTP/1.1\r\nHost: x\r\nUser-Agent: test\r\n\r\n";
    int fd = connect_port(bridge_http_port(lp.s), 0);
    CHECK(fd >= 0);
    for (size_t i = 0; req[i]; i++) {
        CHECK(send_all(fd, req + i, 1));
        sleep_ms(1);
    }
    struct resp r;
    read_resp(fd, &r);
    close(fd);
    CHECK_INT(r.status, 200);
    CHECK_INT(r.body_len, 1 << 20);
    CHECK(strcmp(app.last_query, "a=1") == 0);
    resp_free(&r);

    /* A request, then 200 KiB of garbage (and another request) in the same
     * writes: the response arrives whole and ends in an orderly close. */
    size_t gn = 200u << 10;
    size_t rn = strlen(req);
    char *buf = malloc(rn + gn);
    memcpy(buf, req, rn);
    for (size_t i = 0; i < gn; i++)
        buf[rn + i] = (char)(i * 31 + 7);
    memcpy(buf + rn + 1000, "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n", 32);
    int before = atomic_load(&app.calls);
    request(buf, rn + gn, &r);
    CHECK_INT(r.status, 200);
    CHECK(r.eof);
    CHECK_INT(r.body_len, 1 << 20);
    CHECK_INT(atomic_load(&app.calls), before + 1);
    resp_free(&r);
    free(buf);
    server_stop();
}

/* A byte every 50 ms: closed at the head deadline (300 ms here) with 408,
 * long before the head would be complete. */
static void test_slowloris(void)
{
    struct bridge_http_limits lim = bridge_http_limits_default();
    lim.head_timeout_ms = 300;
    server_start(&lim);
    const char *req = "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Padding: 0123456789012345678901234567890123456789\r\n\r\n";
    int fd = connect_port(bridge_http_port(lp.s), 0);
    CHECK(fd >= 0);
    size_t i = 0;
    for (; req[i]; i++) {
        if (send(fd, req + i, 1, MSG_NOSIGNAL) != 1)
            break;
        sleep_ms(50);
        if (wait_stat(0, 0) >= 1)
            break;
    }
    CHECK(req[i] != '\0'); /* the server gave up before the end */
    struct resp r;
    read_resp(fd, &r);
    close(fd);
    CHECK_INT(r.status, 408);
    resp_free(&r);
    CHECK_INT(stats().timeouts, 1);
    CHECK_INT(stats().requests, 0);
    CHECK_INT(wait_stat(2, 0), 0);
    server_stop();
}

/* Client A asks for 8 MB and never reads; B's request is served meanwhile;
 * A is closed at the write deadline. */
static void test_non_reader(void)
{
    struct bridge_http_limits lim = bridge_http_limits_default();
    lim.write_timeout_ms = 2000; /* ample for B on a loaded machine */
    server_start(&lim);
    app.metrics_len = 8u << 20;
    int a = connect_port(bridge_http_port(lp.s), 4096);
    CHECK(a >= 0);
    const char *req = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n";
    CHECK(send_all(a, req, strlen(req)));
    sleep_ms(100);
    CHECK_INT(stats().open, 1);

    struct resp r;
    get("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", &r);
    CHECK_INT(r.status, 200);
    CHECK_INT(r.body_len, 3);
    resp_free(&r);
    CHECK_INT(stats().timeouts, 0); /* B was served while A was still open */

    CHECK_INT(wait_stat(0, 1), 1);
    read_resp(a, &r); /* what was buffered, then the close */
    CHECK_INT(r.status, 200);
    CHECK(r.body_len < (8u << 20));
    resp_free(&r);
    close(a);
    CHECK_INT(wait_stat(2, 0), 0);
    server_stop();
}

/* max_conns 4: a fifth connection closes the oldest idle one; when all
 * four are busy writing, the fifth gets 503. */
static void test_conn_limit(void)
{
    struct bridge_http_limits lim = bridge_http_limits_default();
    lim.max_conns = 4;
    lim.write_timeout_ms = 5000;
    server_start(&lim);
    uint16_t port = bridge_http_port(lp.s);
    int idle[4];
    for (int i = 0; i < 4; i++) {
        idle[i] = connect_port(port, 0);
        CHECK(idle[i] >= 0);
        CHECK(send_all(idle[i], "GET", 3));
        CHECK_INT(wait_stat(2, (uint64_t)i + 1), i + 1);
    }
    struct resp r;
    get("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", &r);
    CHECK_INT(r.status, 200);
    resp_free(&r);
    CHECK_INT(stats().rejected, 1);
    char c;
    CHECK(recv(idle[0], &c, 1, 0) <= 0); /* the oldest idle one was closed */
    CHECK_INT(wait_stat(2, 3), 3);
    for (int i = 0; i < 4; i++)
        close(idle[i]);
    CHECK_INT(wait_stat(2, 0), 0);

    /* Four clients that never read an 8 MB answer, then a fifth. */
    app.metrics_len = 8u << 20;
    int busy[4];
    for (int i = 0; i < 4; i++) {
        busy[i] = connect_port(port, 4096);
        CHECK(send_all(busy[i], "GET /metrics HTTP/1.0\r\n\r\n", 25));
    }
    for (int i = 0; i < 100 && stats().requests < 5; i++)
        sleep_ms(10);
    CHECK_INT(stats().requests, 5);
    get("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", &r);
    CHECK_INT(r.status, 503);
    resp_free(&r);
    CHECK_INT(stats().rejected, 2);
    for (int i = 0; i < 4; i++)
        close(busy[i]);
    CHECK_INT(wait_stat(2, 0), 0);
    server_stop();
}

/* Body limits: one response beyond max_response is a 500; the total of
 * all open responses beyond max_response_total gives 503. */
static void test_response_limits(void)
{
    struct bridge_http_limits lim = bridge_http_limits_default();
    lim.max_response = 8u << 20; /* more than loopback buffers take */
    lim.max_response_total = 8u << 20;
    server_start(&lim);
    app.metrics_len = (8u << 20) + 1;
    struct resp r;
    get("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", &r);
    CHECK_INT(r.status, 500);
    resp_free(&r);

    app.metrics_len = 8u << 20;
    int a = connect_port(bridge_http_port(lp.s), 4096); /* holds its 8 MiB */
    CHECK(send_all(a, "GET /metrics HTTP/1.0\r\n\r\n", 25));
    for (int i = 0; i < 100 && stats().requests < 2; i++)
        sleep_ms(10);
    get("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", &r);
    CHECK_INT(r.status, 503);
    resp_free(&r);
    close(a);
    server_stop();
}

static void test_listen(void)
{
    char err[200];
    struct bridge_http_server *s = NULL, *t = NULL;
    CHECK_INT(bridge_http_new(&s, "127.0.0.1", 0, handler, &app, err, sizeof err), 0);
    uint16_t port = bridge_http_port(s);
    CHECK(port != 0);
    CHECK_INT(bridge_http_max_fds(s), 1 + BRIDGE_HTTP_MAX_CONNS);
    CHECK_INT(bridge_http_next_deadline(s), -1);
    CHECK_INT(bridge_http_new(&t, "127.0.0.1", port, handler, &app, err, sizeof err), -1);
    CHECK(t == NULL);
    char want[100];
    snprintf(want, sizeof want, "cannot listen on 127.0.0.1:%u: Address already in use", (unsigned)port);
    CHECK(strcmp(err, want) == 0);
    if (strcmp(err, want) != 0)
        fprintf(stderr, "got: %s\n", err);

    /* Poll integration by hand: one connection, its deadline. */
    struct pollfd fds[4];
    CHECK_INT(bridge_http_pollfds(s, fds, 4), 1);
    CHECK(fds[0].events == POLLIN);
    int c = connect_port(port, 0);
    CHECK(poll(fds, 1, 2000) == 1);
    int64_t t0 = now_ms();
    bridge_http_process(s, fds, 1, t0);
    CHECK_INT(bridge_http_pollfds(s, fds, 4), 2);
    CHECK(fds[1].events == POLLIN);
    CHECK_INT(bridge_http_next_deadline(s), t0 + BRIDGE_HTTP_HEAD_TIMEOUT_MS);
    bridge_http_process(s, fds, 0, t0 + BRIDGE_HTTP_HEAD_TIMEOUT_MS);
    CHECK_INT(bridge_http_pollfds(s, fds, 4), 1);
    CHECK_INT(bridge_http_next_deadline(s), -1);
    close(c);
    bridge_http_free(s);

    CHECK_INT(bridge_http_new(&s, "example.com", 9633, handler, &app, err, sizeof err), -1);
    CHECK(strstr(err, "cannot listen on example.com:9633: not an IP address") == err);
    CHECK_INT(bridge_http_new(&s, "127.0.0.1", 0, NULL, &app, err, sizeof err), -1);

    /* IPv6, with and without brackets (when the machine has ::1). */
    if (bridge_http_new(&s, "[::1]", 0, handler, &app, err, sizeof err) == 0) {
        port = bridge_http_port(s);
        CHECK_INT(bridge_http_new(&t, "::1", port, handler, &app, err, sizeof err), -1);
        snprintf(want, sizeof want, "cannot listen on [::1]:%u: Address already in use", (unsigned)port);
        CHECK(strcmp(err, want) == 0);
        bridge_http_free(s);
    } else {
        fprintf(stderr, "note: no IPv6 loopback here (%s)\n", err);
        CHECK(strstr(err, "cannot listen on [::1]:0: ") == err);
    }
    bridge_http_free(NULL);

    struct bridge_http_limits lim = bridge_http_limits_default();
    CHECK_INT(bridge_http_new(&s, "localhost", 0, handler, &app, err, sizeof err), 0);
    lim.max_conns = 0;
    CHECK_INT(bridge_http_set_limits(s, &lim), -1);
    lim = bridge_http_limits_default();
    lim.max_response_total = lim.max_response - 1;
    CHECK_INT(bridge_http_set_limits(s, &lim), -1);
    bridge_http_free(s);
}

/* curl, when installed, as a client other than ours. */
static void test_curl(void)
{
    if (access("/usr/bin/curl", X_OK) != 0) {
        fprintf(stderr, "note: no curl, its check left out\n");
        return;
    }
    server_start(NULL);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "curl -sS -m 5 -i http://127.0.0.1:%u/healthz", (unsigned)bridge_http_port(lp.s));
    FILE *f = popen(cmd, "r");
    CHECK(f != NULL);
    char out[1024] = "";
    size_t n = f ? fread(out, 1, sizeof out - 1, f) : 0;
    out[n] = '\0';
    CHECK(f && pclose(f) == 0);
    CHECK(strncmp(out, "HTTP/1.1 200 OK\r\n", 17) == 0);
    CHECK(strstr(out, "\r\n\r\nok\n") != NULL);
    server_stop();
}

int main(void)
{
    test_listen();
    test_metrics_whole();
    test_stream();
    test_statuses();
    test_split_and_pipelined();
    test_slowloris();
    test_non_reader();
    test_conn_limit();
    test_response_limits();
    test_curl();
    return th_finish();
}
