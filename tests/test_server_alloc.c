/* The server when memory runs out: every allocation of the serving thread
 * fails for a while, or only its k-th one (for every k of a session's
 * path: accepting, authenticating, growing the reader for a large request,
 * queueing a large reply). A failure costs at most the connection that
 * needed the memory: rscp_server_run() keeps serving, and afterwards a
 * new client is served normally. The heap calls are watched through the
 * linker's --wrap (see tests/CMakeLists.txt). */
#include <stdatomic.h>

#include "server_testlib.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t k, size_t n);
void *__wrap_realloc(void *p, size_t n);

static pthread_t server_thread;
static atomic_bool server_known;
static atomic_bool fail_all;     /* every allocation of the server thread fails */
static atomic_long fail_countdown; /* > 0: the allocation that brings it to 0 fails */
static atomic_long server_allocs;

static bool should_fail(void)
{
    if (!atomic_load(&server_known) || !pthread_equal(pthread_self(), server_thread))
        return false;
    atomic_fetch_add(&server_allocs, 1);
    if (atomic_load(&fail_all))
        return true;
    long left = atomic_load(&fail_countdown);
    return left > 0 && atomic_fetch_sub(&fail_countdown, 1) == 1;
}

void *__wrap_malloc(size_t n)
{
    return should_fail() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t k, size_t n)
{
    return should_fail() ? NULL : __real_calloc(k, n);
}

void *__wrap_realloc(void *p, size_t n)
{
    return should_fail() ? NULL : __real_realloc(p, n);
}

struct serving {
    rscp_server *srv;
    volatile int stop;
    atomic_int rc;
    atomic_bool returned;
};

static void *serve(void *arg)
{
    struct serving *sv = arg;
    server_thread = pthread_self();
    atomic_store(&server_known, true);
    atomic_store(&sv->rc, rscp_server_run(sv->srv, &sv->stop));
    atomic_store(&sv->returned, true);
    return NULL;
}

/* A whole session: authenticate, a small request, a large one (the
 * reader grows, a 60,000-byte reply is queued). true when all worked. */
static bool session(uint16_t port)
{
    struct pc c;
    struct rscp_frame f;
    bool ok = pc_open(&c, port);
    if (ok) {
        pc_auth(&c, NT_USER, NT_PASSWORD);
        ok = pc_flush(&c) && pc_recv(&c, &f, 2000) == 1 && pc_level(&f) == 10;
    }
    if (ok) {
        pc_req(&c, NT_REQ_POWER_PV, 0);
        ok = pc_flush(&c) && pc_recv(&c, &f, 2000) == 1 && nt_reply_int32(&f, NT_POWER_PV) == NT_PV_VALUE;
    }
    if (ok) {
        struct rscp_builder b;
        static uint8_t pad[30000];
        pc_begin(&c, &b);
        rscp_put_uint32(&b, NT_REQ_BLOB, 60000);
        rscp_put_bytes(&b, 0x0A0000F3u, pad, sizeof pad); /* a large request: answered INT32 */
        pc_end(&c, &b);
        struct rscp_block blk;
        ok = pc_flush(&c) && pc_recv(&c, &f, 2000) == 1 &&
             rscp_find(f.data, f.data_len, NT_REQ_BLOB | RSCP_TAG_RESPONSE_BIT, &blk) == 0 && blk.length == 60000;
    }
    pc_close(&c);
    return ok;
}

static void start(struct serving *sv, pthread_t *th, uint16_t *port)
{
    struct rscp_server_config cfg;
    nt_server_config(&cfg);
    memset(sv, 0, sizeof *sv);
    atomic_store(&server_known, false);
    CHECK_INT(rscp_server_new(&sv->srv, &cfg), 0);
    *port = rscp_server_port(sv->srv);
    CHECK_INT(pthread_create(th, NULL, serve, sv), 0);
}

static void stop(struct serving *sv, pthread_t th)
{
    sv->stop = 1;
    pthread_join(th, NULL);
    CHECK_INT(atomic_load(&sv->rc), 0);
    rscp_server_free(sv->srv);
}

/* The k-th allocation after `others` clients are connected fails, on a
 * fresh server for every k: the session's connection is the 16th or 17th,
 * where the poll array and the connection table grow. Returns the
 * allocations a session makes there. */
static long sweep(int others)
{
    static struct pc o[16];
    static struct serving sv;
    struct rscp_frame f;
    pthread_t th;
    uint16_t port;
    long per_session = 0;
    unsigned lost = 0;
    for (long k = 0; k <= per_session + 2; k++) {
        start(&sv, &th, &port);
        for (int i = 0; i < others; i++) {
            CHECK(pc_open(&o[i], port));
            pc_auth(&o[i], NT_USER, NT_PASSWORD);
            CHECK(pc_flush(&o[i]) && pc_recv(&o[i], &f, 2000) == 1);
        }
        atomic_store(&server_allocs, 0);
        atomic_store(&fail_countdown, k);
        bool ok = session(port);
        atomic_store(&fail_countdown, 0);
        if (k == 0) {
            CHECK(ok);
            per_session = atomic_load(&server_allocs);
        } else if (!ok) {
            lost++;
        }
        CHECK(!atomic_load(&sv.returned));
        CHECK(session(port)); /* the next one is served */
        for (int i = 0; i < others; i++) { /* and the others too */
            pc_req(&o[i], NT_REQ_POWER_PV, 0);
            CHECK(pc_flush(&o[i]) && pc_recv(&o[i], &f, 2000) == 1);
            CHECK_INT(nt_reply_int32(&f, NT_POWER_PV), NT_PV_VALUE);
            pc_close(&o[i]);
        }
        stop(&sv, th);
    }
    printf("with %d others: a session makes %ld allocations; failing one of them lost %u sessions\n", others,
           per_session, lost);
    return per_session;
}

int main(void)
{
    struct rscp_server_config cfg;
    nt_server_config(&cfg);
    static struct serving sv;
    CHECK_INT(rscp_server_new(&sv.srv, &cfg), 0);
    uint16_t port = rscp_server_port(sv.srv);
    pthread_t th;
    CHECK_INT(pthread_create(&th, NULL, serve, &sv), 0);
    CHECK(session(port));

    /* An authenticated client, then nothing can be allocated for a while. */
    struct pc old;
    struct rscp_frame f;
    CHECK(pc_open(&old, port));
    pc_auth(&old, NT_USER, NT_PASSWORD);
    CHECK(pc_flush(&old) && pc_recv(&old, &f, 2000) == 1);
    atomic_store(&fail_all, true);
    CHECK(!session(port)); /* refused or closed: nothing to allocate it with */
    pc_req(&old, NT_REQ_POWER_PV, 0); /* small: served from what it has */
    CHECK(pc_flush(&old));
    int rc = pc_recv(&old, &f, 2000);
    CHECK(rc == 1 || rc == -1);
    pc_sleep_ms(150); /* some idle rounds with nothing to allocate */
    atomic_store(&fail_all, false);
    CHECK(!atomic_load(&sv.returned));
    CHECK(session(port));
    pc_close(&old);
    struct rscp_server_stats st;
    sv.stop = 1;
    pthread_join(th, NULL);
    CHECK_INT(atomic_load(&sv.rc), 0);
    rscp_server_get_stats(sv.srv, &st);
    CHECK(st.alloc_failures > 0);
    rscp_server_free(sv.srv);

    CHECK(sweep(15) > 0);
    CHECK(sweep(16) > sweep(14)); /* the 17th grows the tables (the 15th does not) */
    return th_finish();
}
