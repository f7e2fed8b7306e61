/* Fuzz target: the metrics endpoint's request-head parser
 * (bridge/http_parse.h). Input: byte 0 picks the head limit (even: the
 * default, odd: 16..271 bytes) and the size of the pieces the head is fed
 * in (1..8 bytes per call, or all at once); the rest is what a client sent
 * (exactly sized on the heap).
 * Invariants (abort() when broken): feeding in pieces gives the same verdict
 * and results as feeding it whole; DONE has head_len within the input and
 * the limit, ending in LF, a path starting with '/' and a query within the
 * head, a method token, version 1.x; ERROR has a known status and a reason;
 * MORE only below the limit; a final verdict stays. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_parse.h"

static void fail(const char *what)
{
    fprintf(stderr, "fuzz invariant broken: %s\n", what);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run(struct bridge_http_parser *p, const char *buf, size_t n, size_t max_head, size_t piece)
{
    bridge_http_parser_init(p, max_head);
    if (piece == 0)
        return bridge_http_parse(p, buf, n);
    int rc = BRIDGE_HTTP_MORE;
    for (size_t m = 0; rc == BRIDGE_HTTP_MORE; m += piece) {
        rc = bridge_http_parse(p, buf, m < n ? m : n);
        if (m >= n)
            break;
    }
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t max_head = (data[0] & 1) ? 16 + data[0] : 0;
    size_t piece = (data[0] >> 1) % 9; /* 0: all at once */
    size_t n = size - 1;
    char *buf = malloc(n ? n : 1);
    if (!buf)
        return 0;
    memcpy(buf, data + 1, n);

    struct bridge_http_parser whole, split;
    int rc = run(&whole, buf, n, max_head, 0);
    int rs = run(&split, buf, n, max_head, piece ? piece : 1);
    size_t limit = max_head ? max_head : BRIDGE_HTTP_HEAD_MAX;
    if (rc != rs)
        fail("another verdict when fed in pieces");
    if (bridge_http_parse(&whole, buf, n) != rc)
        fail("a verdict that changed");
    if (rc == BRIDGE_HTTP_DONE) {
        const struct bridge_http_parser *p = &whole;
        if (memcmp(&whole, &split, sizeof whole) != 0)
            fail("other results when fed in pieces");
        if (p->head_len == 0 || p->head_len > n || p->head_len > limit || buf[p->head_len - 1] != '\n')
            fail("a head length out of the input");
        if (p->path_len == 0 || p->path_off + p->path_len > p->head_len || buf[p->path_off] != '/')
            fail("a path out of the head or not absolute");
        if (p->has_query && (p->query_off != p->path_off + p->path_len + 1 || buf[p->query_off - 1] != '?' ||
                             p->query_off + p->query_len > p->head_len))
            fail("a query out of the head");
        for (size_t i = p->path_off; i < p->path_off + p->path_len; i++)
            if ((unsigned char)buf[i] <= ' ' || (unsigned char)buf[i] >= 0x7f)
                fail("a control or non-ASCII byte in the path");
        if (p->method_len == 0 || p->method_off + p->method_len + 1 != p->path_off)
            fail("a method not right before the path");
        if (p->method == BRIDGE_HTTP_GET && memcmp(buf + p->method_off, "GET ", 4) != 0)
            fail("GET that is not GET");
        if (p->version_minor < 0 || p->version_minor > 9)
            fail("a version out of 1.x");
        /* The head alone gives the same. */
        struct bridge_http_parser again;
        if (run(&again, buf, p->head_len, max_head, 0) != BRIDGE_HTTP_DONE || again.head_len != p->head_len)
            fail("the head alone is not the same head");
    } else if (rc == BRIDGE_HTTP_ERROR) {
        int s = whole.status;
        if (s != 400 && s != 413 && s != 414 && s != 431 && s != 505)
            fail("an unknown error status");
        if (!whole.reason || !whole.reason[0] || bridge_http_status_text(s)[0] == '\0')
            fail("an error without a reason");
        if (whole.status != split.status || whole.error_off != split.error_off)
            fail("another error when fed in pieces");
        if (whole.error_off > n || whole.error_off > limit)
            fail("an error offset out of the input");
    } else {
        if (n >= limit)
            fail("MORE at the limit");
    }
    free(buf);
    return 0;
}
