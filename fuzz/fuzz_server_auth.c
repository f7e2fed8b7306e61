/* Fuzz target: the server side of a client connection from its first
 * frame on (src/server/conn_read.c with src/net/auth.c), one turn at a
 * time with a lazily growing reader: decrypting,
 * finding the credentials in RSCP.REQ_AUTHENTICATION, refusing requests
 * before authentication, handing later ones to the handler, and sealing
 * the replies. The bytes reach the server through a socket pair, as from a
 * client; the harness encrypts them with the server's key first so that
 * the fuzzer works on plaintext frames.
 *
 * Input: byte 0 bit 0 makes the server refuse every authentication
 * (faults.refuse_auth); then records of
 *   1 byte flags, 2 bytes length L (LE, cut to what is left), L bytes:
 *   flags bit 2 clear: L bytes of data blocks, framed by the harness
 *                      (bit 0: without CRC, bit 1: with a wrong CRC);
 *   flags bit 2 set:   L bytes sent as plaintext (one frame, several, or
 *                      garbage).
 * The credentials the server accepts are "fuzz-user" / "fuzz-password".
 * Invariants (abort() when broken), checked by a model of the server:
 *   - everything the server sends decrypts to well-formed frames;
 *   - a raw record gets no more replies than frame headers fit in it;
 *   - every well-formed request frame gets exactly one reply until the
 *     server closes: an authentication reply (level 10, or refused; a
 *     request without credentials answers the current level), an
 *     ACCESS_DENIED error per block before authentication, or the
 *     handler's reply after it; the handler never runs unauthenticated;
 *   - a frame with a wrong CRC closes the connection without a reply.
 * Also rscp_net_parse_auth_reply (the client's side) on every frame. */
#include "fuzz_walk.h"

#include "net/auth.h"
#include "net/sock.h"
#include "server/server_internal.h"
#include "util/bytes.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#define USER "fuzz-user"
#define PASSWORD "fuzz-password"
#define LEVEL 10
#define MAX_INPUT (70u << 10)

static rscp_server *srv;
static uint8_t key[RSCP_KEY_SIZE];
static uint8_t plain[RSCP_MAX_WIRE_SIZE + 64];
static bool handler_ran_unauthenticated;

static struct rscp_timestamp fixed_now(void *ctx)
{
    (void)ctx;
    struct rscp_timestamp t = {1717243200, 0};
    return t;
}

/* Echo: a NONE block with the response tag per request block. */
static int echo(void *ctx, const struct rscp_session_info *session, const struct rscp_frame *req,
                struct rscp_builder *reply)
{
    (void)ctx;
    if (session->auth_level <= 0)
        handler_ran_unauthenticated = true;
    struct rscp_iter it;
    struct rscp_block blk;
    rscp_frame_iter(req, &it);
    while (rscp_iter_next(&it, &blk) == 1)
        rscp_put_none(reply, blk.tag | RSCP_TAG_RESPONSE_BIT);
    return 0;
}

static void setup(void)
{
    srv = calloc(1, sizeof *srv);
    if (!srv)
        abort();
    srv->lfd = -1;
    srv->user = strdup(USER);
    srv->password = strdup(PASSWORD);
    rscp_key_derive("fuzz-key", 8, key);
    memcpy(srv->key, key, sizeof key);
    srv->auth_level = LEVEL;
    srv->handler = echo;
    srv->now = fixed_now;
    srv->rbuf = malloc(RSCP_SERVER_RECV_CHUNK);
    srv->scratch = malloc(RSCP_MAX_WIRE_SIZE);
    if (!srv->user || !srv->password || !srv->rbuf || !srv->scratch)
        abort();
}

/* A plaintext frame around data[0..n) into out; returns its length. */
static size_t frame(const uint8_t *data, size_t n, bool crc, bool bad_crc, uint8_t *out)
{
    out[0] = 0xE3;
    out[1] = 0xDC;
    out[2] = 0x00;
    out[3] = crc ? 0x11 : 0x01;
    rscp_store64_le(out + 4, 1717243200u);
    rscp_store32_le(out + 12, 0);
    rscp_store16_le(out + 16, (uint16_t)n);
    memcpy(out + RSCP_HEADER_SIZE, data, n);
    size_t len = RSCP_HEADER_SIZE + n;
    if (crc) {
        uint32_t c = rscp_crc32(0, out, len) ^ (bad_crc ? 1u : 0u);
        rscp_store32_le(out + len, c);
        len += RSCP_CRC_SIZE;
    }
    return len;
}

/* What the model expects of the reply to one request frame. */
enum expect { EXPECT_AUTH_OK, EXPECT_AUTH_REFUSED, EXPECT_DENIED, EXPECT_ECHO, EXPECT_UNKNOWN };

struct model {
    enum expect want[MAX_INPUT];
    uint16_t blocks[MAX_INPUT];
    size_t n;            /* requests sent                                   */
    size_t checked;      /* requests whose replies the model predicts       */
    bool close_expected; /* a request after `checked` must close the server */
};

static void predict(struct model *m, const uint8_t *data, size_t n, bool *authed, bool refuse)
{
    struct rscp_frame f = {0, 0, true, data, (uint16_t)n};
    struct rscp_net_credentials cr;
    int kind = rscp_net_find_auth_request(&f, &cr);
    if (kind == RSCP_NET_AUTH_CREDENTIALS) {
        bool ok = !refuse && cr.user_len == strlen(USER) && memcmp(cr.user, USER, cr.user_len) == 0 &&
                  cr.password_len == strlen(PASSWORD) && memcmp(cr.password, PASSWORD, cr.password_len) == 0;
        *authed = ok;
        m->want[m->n] = ok ? EXPECT_AUTH_OK : EXPECT_AUTH_REFUSED;
    } else if (kind == RSCP_NET_AUTH_QUERY) {
        m->want[m->n] = *authed ? EXPECT_AUTH_OK : EXPECT_AUTH_REFUSED; /* the level, unchanged */
    } else {
        m->want[m->n] = *authed ? EXPECT_ECHO : EXPECT_DENIED;
    }
    struct rscp_iter it;
    struct rscp_block blk;
    unsigned k = 0;
    rscp_iter_init(&it, data, n);
    while (rscp_iter_next(&it, &blk) == 1)
        k++;
    m->blocks[m->n] = (uint16_t)k;
    /* ACCESS_DENIED errors take 11 bytes per block: a frame of many small
     * blocks cannot be answered in one frame (the server closes). */
    if (m->want[m->n] == EXPECT_DENIED && (size_t)k * 11u > RSCP_MAX_DATA_LEN)
        m->want[m->n] = EXPECT_UNKNOWN;
}

static void check_reply(const struct model *m, size_t i, const struct rscp_frame *r)
{
    int level = 0;
    int arc = rscp_net_parse_auth_reply(r, &level);
    struct rscp_iter it;
    struct rscp_block blk;
    unsigned k = 0;
    switch (m->want[i]) {
    case EXPECT_AUTH_OK:
        if (arc != 0 || level != LEVEL)
            fuzz_fail("right credentials not accepted");
        return;
    case EXPECT_AUTH_REFUSED:
        if (arc != RSCP_ERR_AUTH)
            fuzz_fail("wrong credentials not refused");
        return;
    case EXPECT_DENIED:
    case EXPECT_ECHO:
        rscp_frame_iter(r, &it);
        while (rscp_iter_next(&it, &blk) == 1) {
            k++;
            uint32_t code = 0;
            if (m->want[i] == EXPECT_DENIED &&
                (rscp_block_get_error(&blk, &code) != 0 || code != RSCP_NET_ERR_ACCESS_DENIED))
                fuzz_fail("request before authentication not denied");
            if (m->want[i] == EXPECT_ECHO && blk.type != RSCP_TYPE_NONE)
                fuzz_fail("reply after authentication is not the handler's");
        }
        if (k != (m->blocks[i] ? m->blocks[i] : (m->want[i] == EXPECT_DENIED ? 1u : 0u)))
            fuzz_fail("reply block count");
        return;
    case EXPECT_UNKNOWN: return;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!srv)
        setup();
    if (size < 1 || size > MAX_INPUT)
        return 0;
    static struct model m;
    m.n = m.checked = 0;
    m.close_expected = false;
    srv->faults.refuse_auth = data[0] & 1;
    handler_ran_unauthenticated = false;

    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
        abort();
    rscp_net_prepare_fd(sv[0]);
    rscp_net_prepare_fd(sv[1]);
    struct rscp_server_conn *conn = calloc(1, sizeof *conn);
    rscp_cipher *client = NULL;
    if (!conn || rscp_reader_new_lazy(&conn->reader) != 0 ||
        rscp_cipher_new(&conn->cipher, srv->key, RSCP_CIPHER_AUTO) != 0 ||
        rscp_cipher_new(&client, key, RSCP_CIPHER_AUTO) != 0)
        abort();
    conn->fd = sv[0];
    rscp_reader_set_cipher(conn->reader, conn->cipher);
    snprintf(conn->peer, sizeof conn->peer, "fuzz");

    /* Encrypt and send record by record; the model predicts the replies. */
    size_t off = 1;
    bool authed = false, predictable = true;
    while (off + 3 <= size) {
        uint8_t fl = data[off];
        size_t len = rscp_load16_le(data + off + 1);
        off += 3;
        if (len > size - off)
            len = size - off;
        const uint8_t *rec = data + off;
        off += len;
        size_t plen;
        if (fl & 4) {
            if (len == 0)
                continue;
            memcpy(plain, rec, len);
            plen = len;
            predictable = false;
        } else {
            bool crc = !(fl & 1), bad = crc && (fl & 2);
            plen = frame(rec, len, crc, bad, plain);
            if (predictable) {
                if (bad || rscp_validate(rec, len, NULL, NULL) != 0) {
                    m.close_expected = true;
                    predictable = false;
                } else {
                    predict(&m, rec, len, &authed, srv->faults.refuse_auth);
                    m.checked = m.n + 1;
                }
            }
        }
        /* The client's view of a reply: never more than the documented codes. */
        struct rscp_frame cf;
        if (rscp_frame_decode(plain, plen, NULL, &cf, NULL) == 0) {
            int level = 0, arc = rscp_net_parse_auth_reply(&cf, &level);
            if (arc != 0 && arc != RSCP_ERR_AUTH && arc != RSCP_ERR_PROTOCOL)
                fuzz_fail("auth reply parser error code");
            if (arc == 0 && (level < 1 || level > 255))
                fuzz_fail("auth reply level");
        }
        size_t sealed;
        if (rscp_cipher_seal(client, plain, plen, sizeof plain, &sealed) != 0)
            abort();
        /* A framed record is one request; a raw record may hold as many
         * frames as headers fit in it, each with its reply. */
        m.n += (fl & 4) && plen >= 2 * RSCP_HEADER_SIZE ? plen / RSCP_HEADER_SIZE : 1;
        /* Send it and let the server read what it can. */
        size_t sent = 0;
        while (sent < sealed && !conn->dead) {
            ssize_t k = write(sv[1], plain + sent, sealed - sent);
            if (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
                abort();
            if (k > 0)
                sent += (size_t)k;
            while (rscp_server__conn_turn(srv, conn, 0, true)) {
            }
        }
    }
    while (rscp_server__conn_turn(srv, conn, 0, true)) {
    }

    if (handler_ran_unauthenticated)
        fuzz_fail("handler ran before authentication");

    /* Every reply decrypts to a well-formed frame; compare with the model. */
    rscp_reader *rd;
    if (rscp_reader_new(&rd) != 0)
        abort();
    rscp_reader_set_cipher(rd, client);
    size_t replies = 0, taken = 0;
    struct rscp_frame r;
    int rc = 0;
    while (rc == 0 && taken < conn->out_len) {
        int k = rscp_reader_feed(rd, conn->out + taken, conn->out_len - taken);
        if (k < 0)
            fuzz_fail("server output does not decrypt");
        taken += (size_t)k;
        while ((rc = rscp_reader_next(rd, &r)) == 1) {
            if (replies < m.checked)
                check_reply(&m, replies, &r);
            replies++;
        }
    }
    if (rc != 0 || rscp_reader_pending(rd) != 0)
        fuzz_fail("server output holds a partial or malformed frame");
    if (replies > m.n)
        fuzz_fail("more replies than requests");
    if (replies < m.checked && (!conn->dead || m.want[replies] != EXPECT_UNKNOWN)) {
        fprintf(stderr, "replies %zu, predicted %zu, closed %d\n", replies, m.checked, conn->dead);
        fuzz_fail("a well-formed request got no reply");
    }
    if (m.close_expected && !conn->dead)
        fuzz_fail("a malformed request did not close the connection");
    if (!m.close_expected && predictable && !conn->dead && replies != m.n)
        fuzz_fail("reply count");

    rscp_reader_free(rd);
    rscp_server__conn_close(conn);
    rscp_reader_free(conn->reader);
    rscp_cipher_free(conn->cipher);
    free(conn->out);
    free(conn);
    rscp_cipher_free(client);
    close(sv[1]);
    return 0;
}
