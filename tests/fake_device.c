/* Devices that misbehave in ways the simulator does not, for the tool's
 * checks. Credentials from RSCP_USER, RSCP_PASSWORD, RSCP_KEY.
 *
 *   fake_device        authenticates like the simulator, then answers every
 *                      request with an empty frame (no value, no device
 *                      error): "the reply holds none of the requested values"
 *   fake_device deep   answers each authentication with a valid encrypted
 *                      frame whose containers nest 9,000 deep: an invalid
 *                      reply, a protocol error (not the key)
 *
 * Prints "listening on 127.0.0.1:PORT" and serves until SIGTERM/SIGINT. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rscp/rscp.h"

static volatile int g_stop;

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

static int empty_reply(void *ctx, const struct rscp_session_info *session, const struct rscp_frame *request,
                       struct rscp_builder *reply)
{
    (void)ctx;
    (void)session;
    (void)request;
    (void)reply;
    return 0;
}

static void store16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void store32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static int serve_deep(const char *key_text)
{
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sa;
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(lfd, 8) != 0 ||
        getsockname(lfd, (struct sockaddr *)&sa, &len) != 0) {
        perror("fake_device");
        return 3;
    }
    printf("listening on 127.0.0.1:%u\n", (unsigned)ntohs(sa.sin_port));
    fflush(stdout);
    /* The outer container and 8,999 inside it, each the only child. */
    static uint8_t inner[8999 * 7], buf[RSCP_MAX_WIRE_SIZE];
    size_t n = sizeof inner / 7;
    for (size_t i = 0; i < n; i++) {
        store32(inner + 7 * i, 0x00800001u);
        inner[7 * i + 4] = RSCP_TYPE_CONTAINER;
        store16(inner + 7 * i + 5, (uint16_t)(7 * (n - i - 1)));
    }
    uint8_t key[RSCP_KEY_SIZE];
    rscp_key_derive(key_text, strlen(key_text), key);
    for (;;) {
        int fd = accept(lfd, NULL, NULL);
        if (fd < 0)
            continue;
        ssize_t got = recv(fd, buf, sizeof buf, 0); /* the authentication frame */
        rscp_cipher *ci = NULL;
        struct rscp_builder b;
        struct rscp_timestamp ts = rscp_timestamp_now();
        size_t flen = 0, wire = 0;
        rscp_builder_begin_frame(&b, buf, sizeof buf, &ts, true);
        rscp_put_raw(&b, 0x00800001u, RSCP_TYPE_CONTAINER, inner, sizeof inner);
        if (got > 0 && rscp_cipher_new(&ci, key, RSCP_CIPHER_AUTO) == 0 && rscp_builder_finish(&b, &flen) == 0 &&
            rscp_cipher_seal(ci, buf, flen, sizeof buf, &wire) == 0)
            got = send(fd, buf, wire, MSG_NOSIGNAL);
        rscp_cipher_free(ci);
        while (got > 0)
            got = recv(fd, buf, sizeof buf, 0); /* until the client closes */
        close(fd);
    }
}

int main(int argc, char **argv)
{
    struct rscp_server_config cfg;
    rscp_server_config_init(&cfg);
    cfg.user = getenv("RSCP_USER");
    cfg.password = getenv("RSCP_PASSWORD");
    cfg.key = getenv("RSCP_KEY");
    cfg.handler = empty_reply;
    if (!cfg.user || !cfg.password || !cfg.key) {
        fprintf(stderr, "fake_device: set RSCP_USER, RSCP_PASSWORD and RSCP_KEY\n");
        return 2;
    }
    /* deep: a blocking accept loop, ended by the signal's default action */
    if (argc > 1 && strcmp(argv[1], "deep") == 0)
        return serve_deep(cfg.key);
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    rscp_server *srv = NULL;
    if (rscp_server_new(&srv, &cfg) != 0) {
        fprintf(stderr, "fake_device: %s\n", rscp_server_errstr(NULL));
        return 3;
    }
    printf("listening on 127.0.0.1:%u\n", (unsigned)rscp_server_port(srv));
    fflush(stdout);
    rscp_server_run(srv, &g_stop);
    rscp_server_free(srv);
    return 0;
}
