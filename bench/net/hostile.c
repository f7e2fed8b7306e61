/* Workload 5: the simulator against hostile clients (all loopback, the
 * simulator with its default limits on a thread of this process).
 *  - flood: a legitimate client's round trip (sequential live requests,
 *    rscp_client) without and then with another client that writes 250
 *    year-of-days history requests in one burst, reads the replies and
 *    starts again; p50/p99 of both in the same run, and their ratio;
 *  - slowloris: 1,024 connections that send nothing (the default
 *    max_clients); how long a legitimate client then takes to connect,
 *    authenticate and get a live reply;
 *  - guessing: wrong passwords from one address for a few seconds, one
 *    connection per guess waiting for each answer, and pipelined (one
 *    connection writes 1,000 guesses at once, reconnecting when closed);
 *    guesses evaluated per second. */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bench_net.h"

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

#define TAG_REQ_AUTH 0x00000001u
#define TAG_AUTH_USER 0x00000002u
#define TAG_AUTH_PASSWORD 0x00000003u
#define TAG_AUTH 0x00800001u
#define TAG_HISTORY_YEAR 0x06000400u       /* DB.REQ_HISTORY_DATA_YEAR */
#define TAG_HISTORY_START 0x06000101u      /* DB.REQ_HISTORY_TIME_START */
#define TAG_HISTORY_INTERVAL 0x06000102u   /* DB.REQ_HISTORY_TIME_INTERVAL */
#define TAG_HISTORY_SPAN 0x06000103u       /* DB.REQ_HISTORY_TIME_SPAN */
#define FLOOD_BURST 250u
#define SILENT_CONNS 1024u
#define GUESS_SECONDS 4

/* ---- a pipelining raw client ------------------------------------------------- */

struct raw {
    int fd;
    rscp_cipher *tx, *rx;
    rscp_reader *reader;
    uint8_t *out;
    size_t out_len, out_cap;
    uint8_t *in;
    size_t in_off, in_len;
};

static int tcp_connect(uint16_t port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void raw_free(struct raw *r)
{
    if (r->fd >= 0)
        close(r->fd);
    rscp_reader_free(r->reader);
    rscp_cipher_free(r->tx);
    rscp_cipher_free(r->rx);
    free(r->out);
    free(r->in);
    memset(r, 0, sizeof *r);
    r->fd = -1;
}

static int raw_open(struct raw *r, uint16_t port, const struct bn_credentials *cred, size_t out_cap)
{
    memset(r, 0, sizeof *r);
    uint8_t key[RSCP_KEY_SIZE];
    rscp_key_derive(cred->key, strlen(cred->key), key);
    r->fd = tcp_connect(port);
    r->out_cap = out_cap;
    r->out = malloc(out_cap);
    r->in = malloc(65536);
    if (r->fd < 0 || !r->out || !r->in || rscp_cipher_new(&r->tx, key, RSCP_CIPHER_AUTO) != 0 ||
        rscp_cipher_new(&r->rx, key, RSCP_CIPHER_AUTO) != 0 || rscp_reader_new(&r->reader) != 0) {
        raw_free(r);
        return -1;
    }
    rscp_reader_set_cipher(r->reader, r->rx);
    return 0;
}

static void raw_begin(struct raw *r, struct rscp_builder *b)
{
    struct rscp_timestamp ts = rscp_timestamp_now();
    rscp_builder_begin_frame(b, r->out + r->out_len, r->out_cap - r->out_len, &ts, true);
}

static int raw_end(struct raw *r, struct rscp_builder *b)
{
    size_t len = 0, wire = 0;
    if (rscp_builder_finish(b, &len) != 0 ||
        rscp_cipher_seal(r->tx, r->out + r->out_len, len, r->out_cap - r->out_len, &wire) != 0)
        return -1;
    r->out_len += wire;
    return 0;
}

static int raw_auth(struct raw *r, const char *user, const char *password)
{
    struct rscp_builder b;
    raw_begin(r, &b);
    rscp_put_container_open(&b, TAG_REQ_AUTH);
    rscp_put_cstr(&b, TAG_AUTH_USER, user);
    rscp_put_cstr(&b, TAG_AUTH_PASSWORD, password);
    rscp_put_container_close(&b);
    return raw_end(r, &b);
}

/* A year of days of history: 2025, as the simulator's database holds it. */
static int raw_history_year(struct raw *r)
{
    struct rscp_builder b;
    raw_begin(r, &b);
    rscp_put_container_open(&b, TAG_HISTORY_YEAR);
    rscp_put_timestamp(&b, TAG_HISTORY_START, 1735689600, 0); /* 2025-01-01 */
    rscp_put_timestamp(&b, TAG_HISTORY_INTERVAL, 86400, 0);
    rscp_put_timestamp(&b, TAG_HISTORY_SPAN, 365 * 86400, 0);
    rscp_put_container_close(&b);
    return raw_end(r, &b);
}

static int raw_flush(struct raw *r)
{
    size_t off = 0;
    while (off < r->out_len) {
        ssize_t k = send(r->fd, r->out + off, r->out_len - off, MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        off += (size_t)k;
    }
    r->out_len = 0;
    return 0;
}

/* The next reply within timeout_ms: 1, 0 on timeout, -1 closed. */
static int raw_recv(struct raw *r, struct rscp_frame *f, int timeout_ms)
{
    int64_t end = rscp_monotonic_ms() + timeout_ms;
    for (;;) {
        int rc = rscp_reader_next(r->reader, f);
        if (rc != 0)
            return rc > 0 ? 1 : -1;
        if (r->in_off < r->in_len) {
            int took = rscp_reader_feed(r->reader, r->in + r->in_off, r->in_len - r->in_off);
            if (took < 0)
                return -1;
            r->in_off += (size_t)took;
            continue;
        }
        int64_t left = end - rscp_monotonic_ms();
        if (left <= 0)
            return 0;
        struct pollfd p = {r->fd, POLLIN, 0};
        if (poll(&p, 1, (int)left) <= 0)
            continue;
        ssize_t k = recv(r->fd, r->in, 65536, 0);
        if (k <= 0)
            return -1;
        r->in_off = 0;
        r->in_len = (size_t)k;
    }
}

/* ---- flood ------------------------------------------------------------------------ */

struct flooder {
    uint16_t port;
    struct bn_credentials cred;
    atomic_int stop;
    atomic_ulong replies;
    unsigned long errors; /* replies that are not a history container */
    int failed;
};

static void *flood_main(void *arg)
{
    struct flooder *fl = arg;
    struct raw r;
    struct rscp_frame f;
    if (raw_open(&r, fl->port, &fl->cred, (FLOOD_BURST + 2) * 128u) != 0 ||
        raw_auth(&r, fl->cred.user, fl->cred.password) != 0 || raw_flush(&r) != 0 || raw_recv(&r, &f, 5000) != 1) {
        fl->failed = 1;
        raw_free(&r);
        return NULL;
    }
    /* One request decrypted and checked: every year reply has the same
     * size, so the flood reads the later ones as bytes (without spending
     * this machine's CPU on decrypting them: the server's loop is what is
     * measured). The IV chain is lost after that: the flood never decrypts
     * again. */
    struct rscp_block blk;
    if (raw_history_year(&r) != 0 || raw_flush(&r) != 0 || raw_recv(&r, &f, 30000) != 1 ||
        rscp_find(f.data, f.data_len, TAG_HISTORY_YEAR | RSCP_TAG_RESPONSE_BIT, &blk) != 0 ||
        blk.type != RSCP_TYPE_CONTAINER) {
        fl->errors++;
        fl->failed = 1;
        raw_free(&r);
        return NULL;
    }
    size_t wire = ((size_t)RSCP_HEADER_SIZE + f.data_len + RSCP_CRC_SIZE + 31u) / 32u * 32u;
    while (!atomic_load(&fl->stop)) {
        for (unsigned i = 0; i < FLOOD_BURST; i++)
            raw_history_year(&r);
        if (raw_flush(&r) != 0) {
            fl->failed = 1;
            break;
        }
        size_t want = wire * FLOOD_BURST, got = 0;
        unsigned long counted = 0;
        while (got < want) {
            ssize_t k = recv(r.fd, r.in, 65536, 0);
            if (k <= 0) {
                fl->failed = 1;
                break;
            }
            got += (size_t)k;
            unsigned long whole = (unsigned long)(got / wire);
            atomic_fetch_add(&fl->replies, whole - counted);
            counted = whole;
        }
        if (fl->failed)
            break;
    }
    raw_free(&r);
    return NULL;
}

struct live_ctx {
    rscp_client *c;
    uint8_t blocks[128];
    size_t len;
};

static int live_once(void *arg)
{
    struct live_ctx *lc = arg;
    struct rscp_frame f;
    int rc = rscp_client_request(lc->c, lc->blocks, lc->len, &f);
    if (rc != 0 || bn_live_check(&f) != 0) {
        fprintf(stderr, "rscp_bench_net: live request: %s\n", rscp_client_errstr(lc->c));
        return -1;
    }
    return 0;
}

static int live_client(struct live_ctx *lc, const struct bn_target *t)
{
    struct rscp_client_config cfg;
    rscp_client_config_init(&cfg);
    cfg.host = "127.0.0.1";
    cfg.port = t->port;
    cfg.user = t->cred.user;
    cfg.password = t->cred.password;
    cfg.key = t->cred.key;
    cfg.connect_timeout_ms = 5000;
    cfg.io_timeout_ms = 5000;
    struct rscp_builder b;
    rscp_builder_init(&b, lc->blocks, sizeof lc->blocks);
    bn_live_put(&b);
    if (rscp_builder_finish(&b, &lc->len) != 0 || rscp_client_new(&lc->c, &cfg) != 0)
        return -1;
    return rscp_client_connect(lc->c) == 0 ? 0 : -1;
}

/* Wait until a year of history is served from the simulator's store (its
 * background fill reached 2025), at most 20 s. Returns the last time. */
static double warm_history(const struct bn_target *t)
{
    struct raw r;
    struct rscp_frame f;
    double ms = -1.0;
    if (raw_open(&r, t->port, &t->cred, 4096) != 0 || raw_auth(&r, t->cred.user, t->cred.password) != 0 ||
        raw_flush(&r) != 0 || raw_recv(&r, &f, 5000) != 1) {
        raw_free(&r);
        return -1.0;
    }
    int64_t end = rscp_monotonic_ms() + 20000;
    while (rscp_monotonic_ms() < end) {
        int64_t t0 = bn_now_ns();
        if (raw_history_year(&r) != 0 || raw_flush(&r) != 0 || raw_recv(&r, &f, 10000) != 1)
            break;
        ms = (double)(bn_now_ns() - t0) / 1e6;
        if (ms < 2.0)
            break;
        sleep_ms(200);
    }
    raw_free(&r);
    return ms;
}

static int flood(const struct bn_opts *o)
{
    struct bn_target t;
    if (bn_target_start(&t, BN_TARGET_SIM) != 0)
        return -1;
    int ret = -1;
    struct live_ctx lc = {0};
    double warm = warm_history(&t);
    printf("# flood: one history year request takes %.2f ms round trip once the store is filled\n", warm);
    if (live_client(&lc, &t) != 0)
        goto out;
    struct bn_opts so = *o;
    so.requests = o->requests / 2 ? o->requests / 2 : 1;
    struct bn_series base, flooded;
    if (bn_time_series(live_once, &lc, &so, &base) != 0)
        goto out;
    struct flooder fl = {.port = t.port, .cred = t.cred};
    atomic_init(&fl.stop, 0);
    atomic_init(&fl.replies, 0ul);
    pthread_t th;
    if (pthread_create(&th, NULL, flood_main, &fl) != 0)
        goto out;
    while (atomic_load(&fl.replies) == 0 && !fl.failed)
        sleep_ms(1);
    int64_t t0 = bn_now_ns();
    unsigned long r0 = atomic_load(&fl.replies);
    int rc = bn_time_series(live_once, &lc, &so, &flooded);
    double secs = (double)(bn_now_ns() - t0) / 1e9;
    unsigned long flood_replies = atomic_load(&fl.replies) - r0;
    atomic_store(&fl.stop, 1);
    pthread_join(th, NULL);
    if (rc != 0 || fl.failed || fl.errors) {
        fprintf(stderr, "rscp_bench_net: the flood failed (%lu replies not a history container)\n", fl.errors);
        goto out;
    }
    printf("# flood: legitimate client, sequential live requests (%u per run, %u runs, medians); the other "
           "client writes %u year history requests at once, reads them, repeats\n",
           so.requests, so.runs, FLOOD_BURST);
    bn_print("flood_baseline_p50", base.p50_us, "us");
    bn_print("flood_baseline_p99", base.p99_us, "us");
    bn_print("flood_p50", flooded.p50_us, "us");
    bn_print("flood_p99", flooded.p99_us, "us");
    bn_print("flood_p99_ratio", flooded.p99_us / base.p99_us, "x");
    bn_print("flood_history_replies_per_s", (double)flood_replies / secs, "replies/s");
    ret = 0;
out:
    rscp_client_free(lc.c);
    bn_target_stop(&t);
    return ret;
}

/* ---- slowloris ------------------------------------------------------------------ */

static int slowloris(void)
{
    unsigned long limit = bn_raise_nofile(SILENT_CONNS + 64u);
    unsigned n = limit >= SILENT_CONNS + 64u ? SILENT_CONNS : (unsigned)(limit > 96 ? limit - 64 : 32);
    struct bn_target t;
    if (bn_target_start(&t, BN_TARGET_SIM) != 0)
        return -1;
    int *fds = calloc(n, sizeof *fds);
    int ret = -1;
    unsigned open_ok = 0;
    /* the same with no silent connection, for comparison */
    struct live_ctx lb = {0};
    int64_t b0 = bn_now_ns();
    int brc = live_client(&lb, &t);
    if (brc == 0)
        brc = live_once(&lb);
    double base_ms = (double)(bn_now_ns() - b0) / 1e6;
    rscp_client_free(lb.c);
    for (unsigned i = 0; fds && i < n; i++) {
        fds[i] = tcp_connect(t.port);
        open_ok += fds[i] >= 0;
    }
    sleep_ms(200); /* all accepted */
    struct live_ctx lc = {0};
    int64_t t0 = bn_now_ns();
    int rc = live_client(&lc, &t);
    if (rc == 0)
        rc = live_once(&lc);
    double ms = (double)(bn_now_ns() - t0) / 1e6;
    if (rc != 0 || brc != 0) {
        fprintf(stderr, "rscp_bench_net: slowloris: the legitimate client did not get in\n");
    } else {
        unsigned closed = 0;
        for (unsigned i = 0; i < n; i++) {
            uint8_t b;
            if (fds[i] >= 0 && recv(fds[i], &b, 1, MSG_DONTWAIT) == 0)
                closed++;
        }
        printf("# slowloris: %u silent connections open (of %u tried), then one client connects, "
               "authenticates and gets a live reply; %u silent ones were closed to make room\n",
               open_ok, n, closed);
        bn_print("slowloris_baseline_connect_auth_request", base_ms, "ms");
        bn_print("slowloris_connect_auth_request", ms, "ms");
        ret = 0;
    }
    rscp_client_free(lc.c);
    for (unsigned i = 0; fds && i < n; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    free(fds);
    bn_target_stop(&t);
    return ret;
}

/* ---- guessing --------------------------------------------------------------------- */

/* One guess per connection, waiting for each answer. */
static double guesses_one_at_a_time(const struct bn_target *t)
{
    struct rscp_client_config cfg;
    rscp_client_config_init(&cfg);
    cfg.host = "127.0.0.1";
    cfg.port = t->port;
    cfg.user = t->cred.user;
    cfg.password = "not-the-password";
    cfg.key = t->cred.key;
    cfg.connect_timeout_ms = 20000;
    cfg.io_timeout_ms = 20000;
    unsigned guesses = 0;
    int64_t t0 = bn_now_ns(), end = rscp_monotonic_ms() + GUESS_SECONDS * 1000;
    while (rscp_monotonic_ms() < end) {
        rscp_client *c = NULL;
        if (rscp_client_new(&c, &cfg) != 0)
            return -1.0;
        int rc = rscp_client_connect(c);
        rscp_client_free(c);
        if (rc != RSCP_ERR_AUTH)
            return -1.0;
        guesses++;
    }
    return (double)guesses / ((double)(bn_now_ns() - t0) / 1e9);
}

/* 1,000 guesses written at once; reconnect when the server closes. */
static double guesses_pipelined(const struct bn_target *t)
{
    unsigned refused = 0;
    int64_t t0 = bn_now_ns(), end = rscp_monotonic_ms() + GUESS_SECONDS * 1000;
    while (rscp_monotonic_ms() < end) {
        struct raw r;
        if (raw_open(&r, t->port, &t->cred, 1000u * 96u) != 0)
            return -1.0;
        for (unsigned i = 0; i < 1000; i++)
            raw_auth(&r, t->cred.user, "not-the-password");
        raw_flush(&r);
        struct rscp_frame f;
        int rc;
        while (rscp_monotonic_ms() < end && (rc = raw_recv(&r, &f, (int)(end - rscp_monotonic_ms()))) == 1)
            refused++;
        raw_free(&r);
    }
    return (double)refused / ((double)(bn_now_ns() - t0) / 1e9);
}

static int guessing(void)
{
    struct bn_target t;
    if (bn_target_start(&t, BN_TARGET_SIM) != 0)
        return -1;
    double one = guesses_one_at_a_time(&t);
    bn_target_stop(&t);
    if (bn_target_start(&t, BN_TARGET_SIM) != 0)
        return -1;
    double piped = guesses_pipelined(&t);
    bn_target_stop(&t);
    if (one < 0.0 || piped < 0.0) {
        fprintf(stderr, "rscp_bench_net: guessing: unexpected answer\n");
        return -1;
    }
    printf("# guessing: wrong passwords from one address for %d s against a fresh simulator each; "
           "refusals answered per second\n",
           GUESS_SECONDS);
    bn_print("guesses_per_s_one_at_a_time", one, "guesses/s");
    bn_print("guesses_per_s_pipelined", piped, "guesses/s");
    return 0;
}

int bn_hostile(const struct bn_opts *o)
{
    printf("# -- hostile clients against the simulator (default limits) --\n");
    if (flood(o) != 0 || slowloris() != 0 || guessing() != 0)
        return -1;
    return 0;
}
