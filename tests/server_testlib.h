/* A pipelining test client for the server tests: frames built with the
 * library's builder, sealed with its cipher and written in any grouping
 * (many requests in one write), replies read back with its reader. The
 * codec itself is tested elsewhere; these tests are about the server's
 * loop. Header-only (static inline), used with net_testlib.h. */
#ifndef RSCP_SERVER_TESTLIB_H
#define RSCP_SERVER_TESTLIB_H

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "net_testlib.h"

#define PC_TAG_REQ_AUTH 0x00000001u
#define PC_TAG_AUTH_USER 0x00000002u
#define PC_TAG_AUTH_PASSWORD 0x00000003u
#define PC_TAG_AUTH 0x00800001u
#define PC_RBUF 65536u

struct pc {
    int fd;
    rscp_cipher *tx, *rx;
    rscp_reader *reader;
    uint8_t *out;       /* frames not yet written */
    size_t out_len;
    uint8_t *rbuf;      /* PC_RBUF bytes */
    size_t roff, rlen;  /* received, not yet fed: rbuf[roff..rlen) */
};

static inline void pc_sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* A plain TCP connection to 127.0.0.1:port (blocking); -1 on failure. */
static inline int pc_connect_fd(uint16_t port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

static inline bool pc_open(struct pc *c, uint16_t port)
{
    memset(c, 0, sizeof *c);
    uint8_t key[RSCP_KEY_SIZE];
    rscp_key_derive(NT_KEY, strlen(NT_KEY), key);
    c->fd = pc_connect_fd(port);
    c->out = malloc(1u << 20);
    c->rbuf = malloc(PC_RBUF);
    if (c->fd < 0 || !c->out || !c->rbuf || rscp_cipher_new(&c->tx, key, RSCP_CIPHER_AUTO) != 0 ||
        rscp_cipher_new(&c->rx, key, RSCP_CIPHER_AUTO) != 0 || rscp_reader_new(&c->reader) != 0)
        return false;
    rscp_reader_set_cipher(c->reader, c->rx);
    return true;
}

static inline void pc_close(struct pc *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    rscp_reader_free(c->reader);
    rscp_cipher_free(c->tx);
    rscp_cipher_free(c->rx);
    free(c->out);
    free(c->rbuf);
    c->rbuf = NULL;
    c->reader = NULL;
    c->tx = c->rx = NULL;
    c->out = NULL;
}

/* Start a request frame in the send buffer. */
static inline void pc_begin(struct pc *c, struct rscp_builder *b)
{
    struct rscp_timestamp ts = rscp_timestamp_now();
    CHECK(c->out_len + RSCP_MAX_WIRE_SIZE <= (1u << 20));
    rscp_builder_begin_frame(b, c->out + c->out_len, RSCP_MAX_WIRE_SIZE, &ts, true);
}

/* Seal the frame begun with pc_begin(); it is written by pc_flush(). */
static inline void pc_end(struct pc *c, struct rscp_builder *b)
{
    size_t len = 0, wire = 0;
    CHECK_INT(rscp_builder_finish(b, &len), 0);
    CHECK_INT(rscp_cipher_seal(c->tx, c->out + c->out_len, len, RSCP_MAX_WIRE_SIZE, &wire), 0);
    c->out_len += wire;
}

static inline void pc_auth(struct pc *c, const char *user, const char *password)
{
    struct rscp_builder b;
    pc_begin(c, &b);
    rscp_put_container_open(&b, PC_TAG_REQ_AUTH);
    rscp_put_cstr(&b, PC_TAG_AUTH_USER, user);
    rscp_put_cstr(&b, PC_TAG_AUTH_PASSWORD, password);
    rscp_put_container_close(&b);
    pc_end(c, &b);
}

/* One request frame with a single block tag holding UINT32 v. */
static inline void pc_req(struct pc *c, uint32_t tag, uint32_t v)
{
    struct rscp_builder b;
    pc_begin(c, &b);
    rscp_put_uint32(&b, tag, v);
    pc_end(c, &b);
}

/* Write everything queued, in one send() where the socket allows. */
static inline bool pc_flush(struct pc *c)
{
    size_t off = 0;
    while (off < c->out_len) {
        ssize_t k = send(c->fd, c->out + off, c->out_len - off, MSG_NOSIGNAL);
        if (k <= 0)
            return false;
        off += (size_t)k;
    }
    c->out_len = 0;
    return true;
}

/* The next reply within timeout_ms: 1 (frame valid until the next call),
 * 0 on timeout, -1 when the server closed the connection. */
static inline int pc_recv(struct pc *c, struct rscp_frame *f, int timeout_ms)
{
    int64_t end = rscp_monotonic_ms() + timeout_ms;
    for (;;) {
        int rc = rscp_reader_next(c->reader, f);
        if (rc != 0)
            return rc > 0 ? 1 : -1;
        if (c->roff < c->rlen) {
            int took = rscp_reader_feed(c->reader, c->rbuf + c->roff, c->rlen - c->roff);
            if (took < 0)
                return -1;
            c->roff += (size_t)took;
            continue;
        }
        int64_t left = end - rscp_monotonic_ms();
        if (left <= 0)
            return 0;
        struct pollfd p = {c->fd, POLLIN, 0};
        if (poll(&p, 1, (int)left) <= 0)
            continue;
        ssize_t k = recv(c->fd, c->rbuf, PC_RBUF, 0);
        if (k <= 0)
            return -1;
        c->roff = 0;
        c->rlen = (size_t)k;
    }
}

/* true when the server closes fd within timeout_ms (EOF or reset), having
 * sent nothing more. */
static inline bool pc_fd_closed(int fd, int timeout_ms)
{
    struct pollfd p = {fd, POLLIN, 0};
    if (poll(&p, 1, timeout_ms) != 1)
        return false;
    uint8_t b;
    ssize_t k = recv(fd, &b, 1, MSG_DONTWAIT);
    return k == 0 || (k < 0 && errno == ECONNRESET);
}

/* The authentication level in a reply (UCHAR8 level or INT32 0), -1 when
 * the reply holds none. */
static inline int pc_level(const struct rscp_frame *f)
{
    struct rscp_block blk;
    int64_t v;
    if (rscp_find(f->data, f->data_len, PC_TAG_AUTH, &blk) != 0 || rscp_block_get_int(&blk, &v) != 0)
        return -1;
    return (int)v;
}

#endif
