/* The platform floor for workload 1: the same exchange as the live
 * request -- 96 bytes out, 128 bytes back (the encrypted sizes of the
 * 10-tag request and its reply), the same syscalls per side (client: send,
 * poll, recv; server: poll, recv until EAGAIN, send), TCP_NODELAY -- over
 * plain loopback TCP with a trivial echo thread: no framing, no cipher, no
 * CRC, no handler. The difference to the RSCP numbers is what librscp and
 * the simulator add. */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <fcntl.h>

#include "bench_net.h"

#define REQ_BYTES 96u
#define REPLY_BYTES 128u

struct echo {
    int lfd;
    volatile int stop;
    pthread_t thread;
};

static void nodelay(int fd)
{
    int one = 1;
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static int nonblocking(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static int send_all(int fd, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
        if (k < 0 && (errno == EINTR || errno == EAGAIN)) {
            struct pollfd pw = {fd, POLLOUT, 0};
            (void)poll(&pw, 1, 1000);
            continue;
        }
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

static void *echo_main(void *arg)
{
    struct echo *e = arg;
    int fd = accept(e->lfd, NULL, NULL);
    if (fd < 0 || nonblocking(fd) != 0)
        return NULL;
    nodelay(fd);
    uint8_t in[4096], out[REPLY_BYTES];
    memset(out, 0xA5, sizeof out);
    size_t have = 0;
    while (!e->stop) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 100) <= 0)
            continue;
        for (;;) {
            ssize_t k = recv(fd, in, sizeof in, 0);
            if (k == 0)
                goto done;
            if (k < 0)
                break; /* EAGAIN */
            have += (size_t)k;
        }
        while (have >= REQ_BYTES) {
            have -= REQ_BYTES;
            if (send_all(fd, out, sizeof out) != 0)
                goto done;
        }
    }
done:
    close(fd);
    return NULL;
}

static int exchange(void *ctx)
{
    int fd = *(int *)ctx;
    uint8_t req[REQ_BYTES], reply[REPLY_BYTES];
    memset(req, 0x5A, sizeof req);
    if (send_all(fd, req, sizeof req) != 0)
        return -1;
    size_t got = 0;
    while (got < sizeof reply) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 5000) <= 0)
            return -1;
        ssize_t k = recv(fd, reply + got, sizeof reply - got, 0);
        if (k == 0)
            return -1;
        if (k < 0) {
            if (errno == EAGAIN || errno == EINTR)
                continue;
            return -1;
        }
        got += (size_t)k;
    }
    return 0;
}

int bn_rawtcp(const struct bn_opts *o)
{
    struct echo e = {.lfd = -1};
    int fd = -1, ret = -1;
    bool started = false;
    struct sockaddr_in sa;
    socklen_t len = sizeof sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    e.lfd = socket(AF_INET, SOCK_STREAM, 0);
    if (e.lfd < 0 || bind(e.lfd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(e.lfd, 1) != 0 ||
        getsockname(e.lfd, (struct sockaddr *)&sa, &len) != 0)
        goto out;
    if (pthread_create(&e.thread, NULL, echo_main, &e) != 0)
        goto out;
    started = true;
    fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || nonblocking(fd) != 0)
        goto out;
    nodelay(fd);

    struct bn_series s;
    if (bn_time_series(exchange, &fd, o, &s) != 0)
        goto out;
    printf("# target rawtcp: plain TCP echo thread, %u bytes out, %u back, no RSCP\n", REQ_BYTES, REPLY_BYTES);
    bn_print_series("rawtcp", &s);
    ret = 0;

out:
    if (ret != 0)
        fprintf(stderr, "rscp_bench_net: raw TCP baseline failed: %s\n", strerror(errno));
    if (fd >= 0)
        shutdown(fd, SHUT_RDWR);
    if (started) {
        e.stop = 1;
        pthread_join(e.thread, NULL);
    }
    if (fd >= 0)
        close(fd);
    if (e.lfd >= 0)
        close(e.lfd);
    return ret;
}
