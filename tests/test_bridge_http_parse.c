/* The metrics endpoint's request-head parser (bridge/http_parse.h): valid
 * heads with their method, path, query and version; every malformed or
 * oversized head with its status; each case fed whole, one byte at a time
 * and from the end of a guard page; bytes after the head never looked at. */
#include "harness.h"
#include "http_parse.h"

#include <string.h>

struct pcase {
    const char *in;
    int verdict;
    int status;        /* ERROR: the status                    */
    int method;        /* DONE: method, path, query, version   */
    const char *path;
    const char *query; /* NULL: no '?'                          */
    int minor;
};

static const struct pcase cases[] = {
    {"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", BRIDGE_HTTP_DONE, 0, BRIDGE_HTTP_GET, "/metrics", NULL, 1},
    {"HEAD /healthz HTTP/1.0\r\n\r\n", BRIDGE_HTTP_DONE, 0, BRIDGE_HTTP_HEAD, "/healthz", NULL, 0},
    {"GET /metrics?name%5B%5D=a%20b&x=/? HTTP/1.1\r\nHost: h:1\r\nAccept: */*\r\n\r\n", BRIDGE_HTTP_DONE, 0,
     BRIDGE_HTTP_GET, "/metrics", "name%5B%5D=a%20b&x=/?", 1},
    {"GET /a? HTTP/1.1\nhost:\n\n", BRIDGE_HTTP_DONE, 0, BRIDGE_HTTP_GET, "/a", "", 1},
    {"\r\n\nGET / HTTP/1.0\r\n\r\n", BRIDGE_HTTP_DONE, 0, BRIDGE_HTTP_GET, "/", NULL, 0},
    {"POST /metrics HTTP/1.1\r\nHost: x\r\n\r\n", BRIDGE_HTTP_DONE, 0, BRIDGE_HTTP_OTHER, "/metrics", NULL, 1},
    {"get /metrics HTTP/1.1\r\nHost: x\r\n\r\n", BRIDGE_HTTP_DONE, 0, BRIDGE_HTTP_OTHER, "/metrics", NULL, 1},
    {"GET / HTTP/1.9\r\nHost: x\r\nX-Obs: caf\xc3\xa9\t v \r\nContent-Length: 000\r\n\r\n", BRIDGE_HTTP_DONE, 0,
     BRIDGE_HTTP_GET, "/", NULL, 9},
    /* Incomplete but valid so far. */
    {"GET /metrics HTTP/1.1\r\nHost: x\r\n", BRIDGE_HTTP_MORE, 0, 0, NULL, NULL, 0},
    {"GET /metr", BRIDGE_HTTP_MORE, 0, 0, NULL, NULL, 0},
    {"", BRIDGE_HTTP_MORE, 0, 0, NULL, NULL, 0},
    /* The request line. */
    {"GET metrics HTTP/1.1\r\n\r\n", BRIDGE_HTTP_ERROR, 400, 0, NULL, NULL, 0},
    {"GET http://x/metrics HTTP/1.1\r\n\r\n", BRIDGE_HTTP_ERROR, 400, 0, NULL, NULL, 0},
    {"GET  /metrics HTTP/1.1\r\n\r\n", BRIDGE_HTTP_ERROR, 400, 0, NULL, NULL, 0},
    {"GET /metrics  HTTP/1.1\r\n\r\n", BRIDGE_HTTP_ERROR, 400, 0, NULL, NULL, 0},
    {"GET /metrics HTTP/1.1 \r\n\r\n", BRIDGE_HTTP_ERROR, 400, 0, NULL, NULL, 0},
    {"GET /metrics\r\n\r\n", BRIDGE_HTTP_ERROR, 400, 0, NULL, NULL, 0},
    {"GET /metrics http/1.1\r\n\r\n", BRIDGE_HTTP_ERROR, 400, 0, NULL, NULL, 0},
    {"GET /metrics HTTP/1.10\r\n\r\n", BRIDGE_HTTP_ERROR, 400, 0, NULL, NULL, 0},
    {"GET /metrics HTTP/1\r\n\r\n", BRIDGE_HTTP_ERROR, 400, 0, NULL, NULL, 0},
    {"GET /metrics HTTP/2.0\r\n\r\n", BRIDGE_HTTP_ERROR, 505, 0, NULL, NULL, 0},
    {"GET /metrics HTTP/0.9\r\n\r\n", BRIDGE_HTTP_ERROR, 505, 0, NULL, NULL, 0},
    {"GET /a#frag HTTP/1.1\r\n\r\n", BRIDGE_HTTP_ERROR, 400, 0, NULL, NULL, 0},
    {"GET /a?m[]=1 HTTP/1.1\r\n\r\n", BRIDGE_HTTP_ERROR, 400, 0, NULL, NULL, 0},
    {"GET /a%2 HTTP/1.1\r\n\r\n", BRIDGE_HTTP_ERROR, 400, 0, NULL, NULL, 0},
    {"GET /a%zz HTTP/1.1\r\n\r\n", BRIDGE_HTTP_ERROR, 400, 0, NULL, NULL, 0},
    {"GET /a\"b HTTP/1.1\r\n\r\n", BRIDGE_HTTP_ERROR, 400, 0, NULL, NULL, 0},
    {"GE(T / HTTP/1.1\r\n\r\n", BRIDGE_HTTP_ERROR, 400, 0, NULL, NULL, 0},
    {" GET / HTTP/1.1\r\n\r\n", BRIDGE_HTTP_ERROR, 400, 0, NULL, NULL, 0},
    {"GET\t/ HTTP/1.1\r\n\r\n", BRIDGE_HTTP_ERROR, 400, 0, NULL, NULL, 0},
    {"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", BRIDGE_HTTP_ERROR, 400, 0, NULL, NULL, 0}, /* TLS */
    {"GET / HTTP/1.1\rX\n\r\n", BRIDGE_HTTP_ERROR, 400, 0, NULL, NULL, 0},
    {"\rGET / HTTP/1.1\r\n\r\n", BRIDGE_HTTP_ERROR, 400, 0, NULL, NULL, 0},
    /* Header lines. */
    {"GET / HTTP/1.1\r\n\r\n", BRIDGE_HTTP_ERROR, 400, 0, NULL, NULL, 0}, /* 1.1 without Host */
    {"GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n", BRIDGE_HTTP_ERROR, 400, 0, NULL, NULL, 0},
    {"GET / HTTP/1.1\r\nHost: x\r\nX: a\r\n b\r\n\r\n", BRIDGE_HTTP_ERROR, 400, 0, NULL, NULL, 0}, /* obs-fold */
    {"GET / HTTP/1.1\r\n Host: x\r\n\r\n", BRIDGE_HTTP_ERROR, 400, 0, NULL, NULL, 0},
    {"GET / HTTP/1.1\r\nHost : x\r\n\r\n", BRIDGE_HTTP_ERROR, 400, 0, NULL, NULL, 0},
    {"GET / HTTP/1.1\r\nHost x\r\n\r\n", BRIDGE_HTTP_ERROR, 400, 0, NULL, NULL, 0},
    {"GET / HTTP/1.1\r\n: x\r\n\r\n", BRIDGE_HTTP_ERROR, 400, 0, NULL, NULL, 0},
    {"GET / HTTP/1.1\r\nHost: x\x01y\r\n\r\n", BRIDGE_HTTP_ERROR, 400, 0, NULL, NULL, 0},
    {"GET / HTTP/1.1\r\nHost: x\x7f\r\n\r\n", BRIDGE_HTTP_ERROR, 400, 0, NULL, NULL, 0},
    {"GET / HTTP/1.1\r\nHost: x\rY: z\r\n\r\n", BRIDGE_HTTP_ERROR, 400, 0, NULL, NULL, 0},
    {"GET / HTTP/1.1\r\nHost: x\r\n\rX", BRIDGE_HTTP_ERROR, 400, 0, NULL, NULL, 0},
    {"GET / HTTP/1.0\r\nContent-Length: 5\r\n\r\nhello", BRIDGE_HTTP_ERROR, 413, 0, NULL, NULL, 0},
    {"GET / HTTP/1.0\r\nContent-Length: -1\r\n\r\n", BRIDGE_HTTP_ERROR, 400, 0, NULL, NULL, 0},
    {"GET / HTTP/1.0\r\nContent-Length: 1, 1\r\n\r\n", BRIDGE_HTTP_ERROR, 400, 0, NULL, NULL, 0},
    {"GET / HTTP/1.0\r\nContent-Length:\r\n\r\n", BRIDGE_HTTP_ERROR, 400, 0, NULL, NULL, 0},
    {"GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", BRIDGE_HTTP_ERROR, 413, 0, NULL, NULL, 0},
};

/* The NUL cases cannot be C strings. */
static void test_nul(void)
{
    static const char a[] = "GET /\0 HTTP/1.1\r\nHost: x\r\n\r\n";
    static const char b[] = "GET / HTTP/1.1\r\nHost: x\0\r\n\r\n";
    static const char c[] = "GET / HTTP/1.1\r\nHo\0st: x\r\n\r\n";
    const char *all[] = {a, b, c};
    size_t lens[] = {sizeof a - 1, sizeof b - 1, sizeof c - 1};
    for (size_t i = 0; i < 3; i++) {
        struct bridge_http_parser p;
        bridge_http_parser_init(&p, 0);
        CHECK_INT(bridge_http_parse(&p, all[i], lens[i]), BRIDGE_HTTP_ERROR);
        CHECK_INT(p.status, 400);
        CHECK(all[i][p.error_off] == '\0');
    }
}

static void check_result(const struct pcase *k, const struct bridge_http_parser *p, int rc, const char *buf,
                         size_t n, const char *how)
{
    if (rc != k->verdict) {
        fprintf(stderr, "case %s (%s): verdict %d, want %d (%s)\n", th_hex(k->in, strlen(k->in)), how, rc,
                k->verdict, p->reason ? p->reason : "");
        FAIL("verdict");
        return;
    }
    if (rc == BRIDGE_HTTP_ERROR) {
        CHECK_INT(p->status, k->status);
        CHECK(p->reason != NULL && p->reason[0] != '\0');
        CHECK(p->error_off <= n);
        return;
    }
    if (rc != BRIDGE_HTTP_DONE)
        return;
    CHECK_INT(p->method, k->method);
    CHECK_MEM(buf + p->path_off, p->path_len, k->path, strlen(k->path));
    CHECK_INT(p->has_query, k->query != NULL);
    if (k->query)
        CHECK_MEM(buf + p->query_off, p->query_len, k->query, strlen(k->query));
    CHECK_INT(p->version_minor, k->minor);
    CHECK(p->head_len <= n && p->head_len >= 4);
    CHECK(buf[p->head_len - 1] == '\n');
}

static void test_cases(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct pcase *k = &cases[i];
        size_t n = strlen(k->in);
        struct bridge_http_parser p;

        bridge_http_parser_init(&p, 0);
        int rc = bridge_http_parse(&p, k->in, n);
        check_result(k, &p, rc, k->in, n, "whole");
        int again = bridge_http_parse(&p, k->in, n); /* final verdicts stay */
        CHECK_INT(again, rc);

        /* One byte more per call; the verdict may come before the end. */
        bridge_http_parser_init(&p, 0);
        rc = BRIDGE_HTTP_MORE;
        for (size_t m = 0; m <= n && rc == BRIDGE_HTTP_MORE; m++)
            rc = bridge_http_parse(&p, k->in, m);
        check_result(k, &p, rc, k->in, n, "bytewise");

        /* At the end of a guard page: no read past the input. */
        if (n > 0) {
            uint8_t *g = th_guard_copy(k->in, n);
            bridge_http_parser_init(&p, 0);
            rc = bridge_http_parse(&p, (const char *)g, n);
            check_result(k, &p, rc, (const char *)g, n, "guard");
            th_guard_free(g, n);
        }
    }
}

/* Bytes after the head are not looked at; head_len ends the head. */
static void test_after_head(void)
{
    static const char in[] = "GET /healthz HTTP/1.0\r\n\r\n\x01\x00garbage GET / HTTP/9.9\r\n";
    struct bridge_http_parser p;
    bridge_http_parser_init(&p, 0);
    CHECK_INT(bridge_http_parse(&p, in, sizeof in - 1), BRIDGE_HTTP_DONE);
    CHECK_INT(p.head_len, strlen("GET /healthz HTTP/1.0\r\n\r\n"));
}

/* The head limit: 414 inside the request line, 431 in the headers, a head
 * of exactly the limit accepted; the header-line count. */
static void test_limits(void)
{
    char buf[9000];
    struct bridge_http_parser p;

    memcpy(buf, "GET /", 5);
    memset(buf + 5, 'a', sizeof buf - 5);
    bridge_http_parser_init(&p, 0);
    CHECK_INT(bridge_http_parse(&p, buf, sizeof buf), BRIDGE_HTTP_ERROR);
    CHECK_INT(p.status, 414);
    bridge_http_parser_init(&p, 0);
    CHECK_INT(bridge_http_parse(&p, buf, BRIDGE_HTTP_HEAD_MAX - 1), BRIDGE_HTTP_MORE);
    CHECK_INT(bridge_http_parse(&p, buf, BRIDGE_HTTP_HEAD_MAX), BRIDGE_HTTP_ERROR);
    CHECK_INT(p.status, 414);

    const char *start = "GET / HTTP/1.0\r\nX: ";
    size_t sn = strlen(start);
    memcpy(buf, start, sn);
    memset(buf + sn, 'v', sizeof buf - sn);
    bridge_http_parser_init(&p, 0);
    CHECK_INT(bridge_http_parse(&p, buf, sizeof buf), BRIDGE_HTTP_ERROR);
    CHECK_INT(p.status, 431);

    /* Exactly 100 bytes with a limit of 100: fine; 101: 431. */
    memset(buf, 'v', sizeof buf);
    memcpy(buf, start, sn);
    memcpy(buf + 100 - 4, "\r\n\r\n", 4);
    bridge_http_parser_init(&p, 100);
    CHECK_INT(bridge_http_parse(&p, buf, 100), BRIDGE_HTTP_DONE);
    CHECK_INT(p.head_len, 100);
    memcpy(buf + 100 - 4, "v\r\n\r\n", 5);
    bridge_http_parser_init(&p, 100);
    CHECK_INT(bridge_http_parse(&p, buf, 101), BRIDGE_HTTP_ERROR);
    CHECK_INT(p.status, 431);

    /* Header lines: 100 fine, 101 too many. */
    size_t n = 0;
    n += (size_t)snprintf(buf + n, sizeof buf - n, "GET / HTTP/1.0\r\n");
    for (int i = 0; i < (int)BRIDGE_HTTP_MAX_HEADERS; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "X%d: y\r\n", i);
    size_t before_end = n;
    n += (size_t)snprintf(buf + n, sizeof buf - n, "\r\n");
    bridge_http_parser_init(&p, 0);
    CHECK_INT(bridge_http_parse(&p, buf, n), BRIDGE_HTTP_DONE);
    n = before_end + (size_t)snprintf(buf + before_end, sizeof buf - before_end, "Z: 1\r\n\r\n");
    bridge_http_parser_init(&p, 0);
    CHECK_INT(bridge_http_parse(&p, buf, n), BRIDGE_HTTP_ERROR);
    CHECK_INT(p.status, 431);
}

static void test_status_text(void)
{
    CHECK(strcmp(bridge_http_status_text(404), "Not Found") == 0);
    CHECK(strcmp(bridge_http_status_text(431), "Request Header Fields Too Large") == 0);
    CHECK(strcmp(bridge_http_status_text(299), "") == 0);
}

int main(void)
{
    test_cases();
    test_nul();
    test_after_head();
    test_limits();
    test_status_text();
    return th_finish();
}
