/* Steady-state requests of a blocking client do no heap allocation, its
 * buffers fit the frames it exchanged, and rscp_client_trim() gives them
 * back: this program defines malloc & co. itself (forwarding to glibc's
 * internal allocator) and counts the calls made on the client's thread
 * while it sends requests, blocking and zero-copy, to a server on a second
 * thread.
 * Only with glibc and without a sanitizer (ASan keeps its own allocator);
 * elsewhere the check is skipped. */
#include "net_testlib.h"

#include <errno.h>

#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
#define COUNT_ALLOCS 1
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#undef COUNT_ALLOCS
#define COUNT_ALLOCS 0
#endif
#endif
#else
#define COUNT_ALLOCS 0
#endif

static _Thread_local unsigned long t_allocs; /* calls on this thread */

#if COUNT_ALLOCS
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
extern void *__libc_memalign(size_t align, size_t n);

void *malloc(size_t n)
{
    t_allocs++;
    return __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
    t_allocs++;
    return __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
    t_allocs++;
    return __libc_realloc(p, n);
}

void *aligned_alloc(size_t align, size_t n)
{
    t_allocs++;
    return __libc_memalign(align, n);
}

int posix_memalign(void **out, size_t align, size_t n)
{
    t_allocs++;
    if (align < sizeof(void *) || (align & (align - 1u)) != 0)
        return EINVAL;
    void *p = __libc_memalign(align, n);
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}
#endif

int main(void)
{
    /* The counter must see an allocation it cannot have optimised away. */
    void *(*volatile alloc)(size_t) = malloc;
    unsigned long before = t_allocs;
    free(alloc(16));
    if (!COUNT_ALLOCS || t_allocs != before + 1) {
        printf("allocation counting unavailable in this build: skipped\n");
        CHECK(1);
        return th_finish();
    }

    struct nt_server ns;
    struct rscp_server_config scfg;
    nt_server_config(&scfg);
    scfg.port = 0;
    CHECK_INT(nt_server_start(&ns, &scfg), 0);
    struct rscp_client_config cfg;
    nt_client_config(&cfg, "127.0.0.1", rscp_server_port(ns.srv));
    rscp_client *c = NULL;
    CHECK_INT(rscp_client_new(&c, &cfg), 0);
    CHECK_INT(rscp_client_connect(c), 0);

    /* Warm-up: the first exchange may size buffers. */
    struct rscp_frame f;
    struct rscp_builder b;
    uint8_t req[16];
    struct rscp_builder rb;
    rscp_builder_init(&rb, req, sizeof req);
    rscp_put_none(&rb, NT_REQ_POWER_PV);
    size_t req_len = 0;
    CHECK_INT(rscp_builder_finish(&rb, &req_len), 0);
    CHECK_INT(rscp_client_request(c, req, req_len, &f), 0);
    /* Small requests and replies: small buffers, not a 64 KiB frame each. */
    size_t small = rscp_client_buffer_bytes(c);
    printf("buffers after a small exchange: %zu bytes\n", small);
    CHECK(small > 0 && small <= 2048);
    /* The zero-copy form may build any frame: its buffer is the largest. */
    CHECK_INT(rscp_client_request_begin(c, &b), 0);
    CHECK_INT(rscp_put_none(&b, NT_REQ_POWER_PV), 0);
    CHECK_INT(rscp_client_request_send(c, &b, &f), 0);
    CHECK(rscp_client_buffer_bytes(c) >= RSCP_MAX_WIRE_SIZE);

    before = t_allocs;
    int fails = 0;
    for (int i = 0; i < 200; i++) {
        if (rscp_client_request(c, req, req_len, &f) != 0 || nt_reply_int32(&f, NT_POWER_PV) != NT_PV_VALUE)
            fails++;
        if (rscp_client_request_begin(c, &b) != 0 || rscp_put_none(&b, NT_REQ_POWER_PV) != 0 ||
            rscp_client_request_send(c, &b, &f) != 0 || nt_reply_int32(&f, NT_POWER_PV) != NT_PV_VALUE)
            fails++;
    }
    CHECK_INT(fails, 0);
    unsigned long steady = t_allocs - before;
    printf("allocations in 400 steady-state requests: %lu\n", steady);
    CHECK(steady == 0);

    /* A reconnect may allocate (name resolution), and requests after it
     * are steady again. */
    CHECK_INT(rscp_client_connect(c), 0);
    CHECK_INT(rscp_client_request(c, req, req_len, &f), 0);
    before = t_allocs;
    for (int i = 0; i < 50; i++)
        CHECK_INT(rscp_client_request(c, req, req_len, &f), 0);
    CHECK(t_allocs == before);

    /* Trimmed: no buffer until the next exchange, which works (and
     * allocates); a reply taken before the trim is gone. */
    CHECK_INT(rscp_client_request(c, req, req_len, &f), 0);
    rscp_client_trim(c);
    CHECK_INT(rscp_client_buffer_bytes(c), 0);
    CHECK_INT(rscp_client_take_reply(c, &f), 0);
    rscp_client_trim(c); /* again: nothing to give back */
    before = t_allocs;
    CHECK_INT(rscp_client_request(c, req, req_len, &f), 0);
    CHECK_INT(nt_reply_int32(&f, NT_POWER_PV), NT_PV_VALUE);
    CHECK(t_allocs > before);
    CHECK(rscp_client_buffer_bytes(c) > 0 && rscp_client_buffer_bytes(c) <= 2048);
    rscp_client_trim(NULL);
    CHECK_INT(rscp_client_buffer_bytes(NULL), 0);

    rscp_client_free(c);
    nt_server_stop(&ns);
    return th_finish();
}
