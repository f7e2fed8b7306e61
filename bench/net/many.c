/* Workload 2: many concurrent authenticated connections.
 *
 * The server runs in a forked child process so that its CPU time and
 * memory can be measured apart from the clients': the child reports its
 * own CPU time (CLOCK_PROCESS_CPUTIME_ID, all its threads) and VmRSS
 * (/proc/self/status) on request through a pipe. The parent opens all
 * clients with the non-blocking API and drives them from one poll() loop:
 * first connect + authenticate all, then rounds of one live request on
 * every connection (all in flight at once, one per connection). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_net.h"

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

#define PHASE_TIMEOUT_MS 20000
#define FD_RESERVE 32u          /* descriptors kept free for stdio, pipes, listener */
#define SERVER_MAX_CLIENTS 1024u /* rscp_server's default, used by the simulator */

/* ---- the server child ------------------------------------------------------ */

struct hello {
    int rc;
    uint16_t port;
};

struct usage {
    int64_t cpu_ns;
    long rss_kib;
};

struct child {
    pid_t pid;
    int cmd_fd;     /* parent -> child: 'u' asks for usage, EOF stops */
    int rep_fd;     /* child -> parent: hello, then usage records     */
    uint16_t port;
};

static int write_all(int fd, const void *p, size_t n)
{
    const char *s = p;
    while (n > 0) {
        ssize_t k = write(fd, s, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        s += k;
        n -= (size_t)k;
    }
    return 0;
}

static int read_all(int fd, void *p, size_t n)
{
    char *s = p;
    while (n > 0) {
        ssize_t k = read(fd, s, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        s += k;
        n -= (size_t)k;
    }
    return 0;
}

static int child_main(enum bn_kind kind, int cmd_fd, int rep_fd)
{
    struct bn_target t;
    struct hello h = {0};
    h.rc = bn_target_start(&t, kind);
    h.port = t.port;
    if (write_all(rep_fd, &h, sizeof h) != 0 || h.rc != 0)
        return 1;
    char cmd;
    while (read_all(cmd_fd, &cmd, 1) == 0 && cmd == 'u') {
        struct usage u = {bn_process_cpu_ns(), bn_rss_kib()};
        if (write_all(rep_fd, &u, sizeof u) != 0)
            break;
    }
    bn_target_stop(&t);
    return 0;
}

static int child_start(struct child *ch, enum bn_kind kind)
{
    int cmd[2], rep[2];
    if (pipe(cmd) != 0)
        return -1;
    if (pipe(rep) != 0) {
        close(cmd[0]);
        close(cmd[1]);
        return -1;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) {
        close(cmd[1]);
        close(rep[0]);
        _exit(child_main(kind, cmd[0], rep[1]));
    }
    close(cmd[0]);
    close(rep[1]);
    ch->pid = pid;
    ch->cmd_fd = cmd[1];
    ch->rep_fd = rep[0];
    struct hello h;
    if (pid < 0 || read_all(ch->rep_fd, &h, sizeof h) != 0 || h.rc != 0) {
        fprintf(stderr, "rscp_bench_net: the server child did not start\n");
        return -1;
    }
    ch->port = h.port;
    return 0;
}

static int child_usage(const struct child *ch, struct usage *u)
{
    char cmd = 'u';
    if (write_all(ch->cmd_fd, &cmd, 1) != 0 || read_all(ch->rep_fd, u, sizeof *u) != 0) {
        fprintf(stderr, "rscp_bench_net: the server child does not answer\n");
        return -1;
    }
    return 0;
}

static void child_stop(struct child *ch)
{
    if (ch->pid <= 0)
        return;
    close(ch->cmd_fd);
    close(ch->rep_fd);
    int st;
    while (waitpid(ch->pid, &st, 0) < 0 && errno == EINTR)
        ;
    ch->pid = 0;
}

/* ---- the clients ----------------------------------------------------------- */

struct fleet {
    rscp_client **c;
    unsigned n;
    struct pollfd *pfd;
    unsigned *idx;          /* pfd[j] belongs to c[idx[j]] */
    uint8_t blocks[128];    /* the live request as bare blocks */
    size_t blocks_len;
};

static bool in_exchange(int state)
{
    return state == RSCP_CLIENT_CONNECTING || state == RSCP_CLIENT_AUTHENTICATING || state == RSCP_CLIENT_BUSY;
}

static int client_failed(const struct fleet *f, unsigned i, int rc)
{
    fprintf(stderr, "rscp_bench_net: connection %u: %s (%s)\n", i, rscp_strerror(rc), rscp_client_errstr(f->c[i]));
    return -1;
}

/* Serve every client that is in the middle of an exchange (connecting,
 * authenticating or waiting for a reply) until none is. */
static int drive(struct fleet *f)
{
    int64_t deadline = rscp_monotonic_ms() + PHASE_TIMEOUT_MS;
    for (;;) {
        nfds_t k = 0;
        for (unsigned i = 0; i < f->n; i++) {
            int st = rscp_client_state(f->c[i]);
            if (st == RSCP_CLIENT_FAILED)
                return client_failed(f, i, RSCP_ERR_NOT_CONNECTED);
            if (!in_exchange(st))
                continue;
            f->pfd[k].fd = rscp_client_fd(f->c[i]);
            f->pfd[k].events = (short)(POLLIN | (rscp_client_wants_write(f->c[i]) ? POLLOUT : 0));
            f->pfd[k].revents = 0;
            f->idx[k++] = i;
        }
        if (k == 0)
            return 0;
        int64_t left = deadline - rscp_monotonic_ms();
        if (left <= 0) {
            fprintf(stderr, "rscp_bench_net: %lu connections still busy after %d ms\n", (unsigned long)k,
                    PHASE_TIMEOUT_MS);
            return -1;
        }
        int r = poll(f->pfd, k, (int)left);
        if (r < 0 && errno != EINTR) {
            fprintf(stderr, "rscp_bench_net: poll: %s\n", strerror(errno));
            return -1;
        }
        for (nfds_t j = 0; r > 0 && j < k; j++) {
            short ev = f->pfd[j].revents;
            rscp_client *c = f->c[f->idx[j]];
            int rc = 0;
            if (ev & POLLOUT)
                rc = rscp_client_on_writable(c);
            if (rc >= 0 && (ev & (POLLIN | POLLERR | POLLHUP)) && in_exchange(rscp_client_state(c)))
                rc = rscp_client_on_readable(c);
            if (rc < 0)
                return client_failed(f, f->idx[j], rc);
        }
    }
}

static int fleet_new(struct fleet *f, unsigned n, uint16_t port, const struct bn_credentials *cred)
{
    memset(f, 0, sizeof *f);
    f->c = calloc(n, sizeof *f->c);
    f->pfd = calloc(n, sizeof *f->pfd);
    f->idx = calloc(n, sizeof *f->idx);
    if (!f->c || !f->pfd || !f->idx)
        return -1;
    struct rscp_builder b;
    rscp_builder_init(&b, f->blocks, sizeof f->blocks);
    bn_live_put(&b);
    if (rscp_builder_finish(&b, &f->blocks_len) != 0)
        return -1;

    struct rscp_client_config cfg;
    rscp_client_config_init(&cfg);
    cfg.host = "127.0.0.1";
    cfg.port = port;
    cfg.user = cred->user;
    cfg.password = cred->password;
    cfg.key = cred->key;
    cfg.connect_timeout_ms = PHASE_TIMEOUT_MS;
    cfg.io_timeout_ms = PHASE_TIMEOUT_MS;
    for (unsigned i = 0; i < n; i++) {
        int rc = rscp_client_new(&f->c[i], &cfg);
        if (rc != 0) {
            fprintf(stderr, "rscp_bench_net: rscp_client_new: %s\n", rscp_strerror(rc));
            return -1;
        }
        f->n = i + 1u;
    }
    return 0;
}

static void fleet_free(struct fleet *f)
{
    for (unsigned i = 0; i < f->n; i++)
        rscp_client_free(f->c[i]);
    free(f->c);
    free(f->pfd);
    free(f->idx);
    memset(f, 0, sizeof *f);
}

static int connect_all(struct fleet *f)
{
    for (unsigned i = 0; i < f->n; i++) {
        int rc = rscp_client_start(f->c[i]);
        if (rc < 0)
            return client_failed(f, i, rc);
    }
    if (drive(f) != 0)
        return -1;
    for (unsigned i = 0; i < f->n; i++)
        if (rscp_client_state(f->c[i]) != RSCP_CLIENT_READY || rscp_client_auth_level(f->c[i]) <= 0)
            return client_failed(f, i, RSCP_ERR_AUTH);
    return 0;
}

/* One live request on every connection, all in flight together. */
static int request_round(struct fleet *f)
{
    for (unsigned i = 0; i < f->n; i++) {
        int rc = rscp_client_submit(f->c[i], f->blocks, f->blocks_len);
        if (rc < 0)
            return client_failed(f, i, rc);
    }
    if (drive(f) != 0)
        return -1;
    for (unsigned i = 0; i < f->n; i++) {
        struct rscp_frame reply;
        if (rscp_client_take_reply(f->c[i], &reply) != 1 || bn_live_check(&reply) != 0) {
            fprintf(stderr, "rscp_bench_net: connection %u: no valid reply to the live request\n", i);
            return -1;
        }
    }
    return 0;
}

/* ---- the workload ------------------------------------------------------------ */

static unsigned usable_conns(enum bn_kind kind, unsigned want)
{
    unsigned long limit = bn_raise_nofile((unsigned long)want + FD_RESERVE);
    unsigned n = want;
    if (limit < (unsigned long)want + FD_RESERVE) {
        n = limit > FD_RESERVE ? (unsigned)(limit - FD_RESERVE) : 1u;
        printf("# RLIMIT_NOFILE cannot be raised above %lu: using %u connections instead of %u\n", limit, n, want);
    }
    if (kind == BN_TARGET_SIM && n > SERVER_MAX_CLIENTS) {
        printf("# the simulator serves at most %u clients: using %u connections\n", SERVER_MAX_CLIENTS,
               SERVER_MAX_CLIENTS);
        n = SERVER_MAX_CLIENTS;
    }
    return n;
}

/* bn_print() of name with a suffix. */
static void print_metric(const char *name, const char *suffix, double value, const char *unit)
{
    char full[96];
    snprintf(full, sizeof full, "%s%s", name, suffix);
    bn_print(full, value, unit);
}

int bn_many(enum bn_kind kind, const struct bn_opts *o)
{
    const char *label = bn_kind_label(kind);
    unsigned n = usable_conns(kind, o->conns ? o->conns : 1u);
    unsigned rounds = o->rounds ? o->rounds : 1u;
    struct child ch = {0};
    struct fleet f = {0};
    double *round_s = calloc(rounds, sizeof *round_s);
    int ret = -1;
    struct bn_credentials cred;
    bn_target_credentials(kind, &cred);

    if (!round_s || child_start(&ch, kind) != 0)
        goto out;
    struct usage u0, u1, u2, u3;
    long rss0 = bn_rss_kib();
    if (child_usage(&ch, &u0) != 0 || fleet_new(&f, n, ch.port, &cred) != 0)
        goto out;

    int64_t t0 = bn_now_ns();
    if (connect_all(&f) != 0)
        goto out;
    double connect_s = (double)(bn_now_ns() - t0) / 1e9;
    if (child_usage(&ch, &u1) != 0)
        goto out;

    int64_t cpu0 = bn_process_cpu_ns();
    for (unsigned r = 0; r < rounds; r++) {
        int64_t r0 = bn_now_ns();
        if (request_round(&f) != 0)
            goto out;
        round_s[r] = (double)(bn_now_ns() - r0) / 1e9;
    }
    double client_cpu = (double)(bn_process_cpu_ns() - cpu0);
    long rss2 = bn_rss_kib();
    if (child_usage(&ch, &u2) != 0)
        goto out;

    /* every connection closed: what the server keeps */
    fleet_free(&f);
    sleep_ms(500);
    if (child_usage(&ch, &u3) != 0)
        goto out;

    double requests = (double)rounds * (double)n;
    printf("# server: %s in a forked child (pid %ld), port %u; %u connections from one poll() loop, "
           "%u rounds of one live request per connection\n",
           label, (long)ch.pid, (unsigned)ch.port, n, rounds);
    printf("# server CPU: the child's CLOCK_PROCESS_CPUTIME_ID; memory: VmRSS deltas "
           "(server child and client process) from before the first connection to after the last round\n");
    printf("# server VmRSS: %ld KiB idle, %ld KiB after connect+auth, %ld KiB after the rounds, %ld KiB "
           "after all closed; client process VmRSS: %ld -> %ld KiB\n",
           u0.rss_kib, u1.rss_kib, u2.rss_kib, u3.rss_kib, rss0, rss2);
    const char *sfx = kind == BN_TARGET_SIM ? "" : "_minimal"; /* metric names */
    printf("conn_count%s %u connections\n", sfx, n);
    print_metric("conn_connect_auth_all", sfx, connect_s * 1e3, "ms");
    print_metric("conn_connect_auth_server_cpu", sfx, (double)(u1.cpu_ns - u0.cpu_ns) / 1e6, "ms");
    print_metric("conn_rps", sfx, (double)n / bn_median(round_s, rounds), "req/s");
    print_metric("conn_server_cpu", sfx, (double)(u2.cpu_ns - u1.cpu_ns) / requests / 1e3, "us/req");
    print_metric("conn_client_cpu", sfx, client_cpu / requests / 1e3, "us/req");
    print_metric("conn_server_rss_per_conn", sfx, (double)(u2.rss_kib - u0.rss_kib) / (double)n, "KiB");
    print_metric("conn_server_rss_after_close_per_conn", sfx, (double)(u3.rss_kib - u0.rss_kib) / (double)n, "KiB");
    print_metric("conn_client_rss_per_conn", sfx, (double)(rss2 - rss0) / (double)n, "KiB");
    ret = 0;

out:
    fleet_free(&f);
    child_stop(&ch);
    free(round_s);
    return ret;
}
