/* The bridge's MQTT connection (bridge/mqtt.h) against a real mosquitto
 * broker started by tests/broker.sh on a loopback port (Debian packages
 * mosquitto, mosquitto-clients; make check installs them; without them
 * this test fails): connect, subscribe, retained publish received back;
 * the last will after an abort; broker restart -> on_disconnect, backoff,
 * on_connect again; publishes refused while down; the queue limit; no
 * broker -> retries while every loop iteration returns promptly; a turn's
 * publishes gathered under TCP_CORK until bridge_mqtt_flush(). */
#include "harness.h"
#include "mqtt.h"

#include <rscp/error.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static char g_dir[256];
static int g_port;

struct rec {
    int connects, disconnects, messages;
    char topic[128];
    char payload[128];
    bool retained;
};

static void ev_connect(void *ctx) { ((struct rec *)ctx)->connects++; }
static void ev_disconnect(void *ctx, const char *why)
{
    (void)why;
    ((struct rec *)ctx)->disconnects++;
}
static void ev_message(void *ctx, const char *topic, const void *payload, size_t len, bool retained)
{
    struct rec *r = ctx;
    r->messages++;
    snprintf(r->topic, sizeof r->topic, "%s", topic);
    snprintf(r->payload, sizeof r->payload, "%.*s", (int)len, (const char *)payload);
    r->retained = retained;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int g_max_iter_ms;

/* One iteration of a daemon-style loop. */
static void step(struct bridge_mqtt_conn *c, int wait_ms)
{
    int64_t t0 = now_ms();
    bridge_mqtt_flush(c);
    struct pollfd p = {bridge_mqtt_fd(c), POLLIN, 0};
    if (p.fd >= 0 && bridge_mqtt_wants_write(c))
        p.events |= POLLOUT;
    int64_t dl = bridge_mqtt_next_deadline(c) - t0;
    if (dl < wait_ms)
        wait_ms = dl < 0 ? 0 : (int)dl;
    int64_t t1 = now_ms();
    if (p.fd >= 0)
        poll(&p, 1, wait_ms);
    else
        poll(NULL, 0, wait_ms);
    int64_t t2 = now_ms();
    if (p.revents & (POLLIN | POLLERR | POLLHUP))
        bridge_mqtt_on_readable(c, t2);
    if ((p.revents & POLLOUT) && bridge_mqtt_fd(c) >= 0)
        bridge_mqtt_on_writable(c, t2);
    bridge_mqtt_on_timer(c, t2);
    int busy = (int)((t1 - t0) + (now_ms() - t2));
    if (busy > g_max_iter_ms)
        g_max_iter_ms = busy;
}

/* Run the loop until *flag >= want or ms pass; true when reached. */
static bool run_until(struct bridge_mqtt_conn *c, const int *flag, int want, int ms)
{
    int64_t end = now_ms() + ms;
    while (*flag < want && now_ms() < end)
        step(c, 20);
    return *flag >= want;
}

static int broker(const char *cmd, const char *persist)
{
    char line[512];
    snprintf(line, sizeof line, "sh '%s' %s '%s' %s", th_source_path("tests/broker.sh"), cmd, g_dir,
             persist ? persist : "");
    FILE *f = popen(line, "r");
    if (!f)
        return -1;
    int port = 0;
    if (fscanf(f, "%d", &port) != 1)
        port = 0;
    int st = pclose(f);
    return st == 0 ? port : -1;
}

static struct bridge_mqtt cfg_for(int port)
{
    struct bridge_mqtt m = {0};
    m.enabled = true;
    m.host = "127.0.0.1";
    m.port = (uint16_t)port;
    m.client_id = "test-bridge";
    m.keepalive_s = 5;
    m.prefix = "e3dc";
    return m;
}

static unsigned g_qos;

static struct bridge_mqtt_conn *make(int port, struct rec *r, const char *id)
{
    struct bridge_mqtt m = cfg_for(port);
    m.qos = g_qos;
    m.client_id = (char *)id;
    struct bridge_mqtt_events ev = {r, ev_connect, ev_disconnect, ev_message};
    struct bridge_mqtt_conn *c = NULL;
    char err[256];
    int rc = bridge_mqtt_new(&c, &m, "e3dc/bridge/status", "offline", &ev, err, sizeof err);
    CHECK_INT(rc, 0);
    if (c) {
        struct bridge_mqtt_tuning t = {50, 200, 2000, 0, 0};
        bridge_mqtt_set_tuning(c, &t);
    }
    return c;
}

static void test_roundtrip_and_will(void)
{
    struct rec ra = {0}, rb = {0};
    struct bridge_mqtt_conn *a = make(g_port, &ra, "test-a");
    struct bridge_mqtt_conn *b = make(g_port, &rb, "test-b");
    if (!a || !b)
        return;
    CHECK(bridge_mqtt_fd(a) < 0);
    CHECK(!bridge_mqtt_connected(a));
    CHECK_INT(bridge_mqtt_publish(a, "e3dc/x", "1", 1, true), RSCP_ERR_NOT_CONNECTED);
    CHECK(run_until(a, &ra.connects, 1, 3000));
    CHECK(run_until(b, &rb.connects, 1, 3000));
    CHECK(bridge_mqtt_connected(a));
    CHECK(bridge_mqtt_fd(a) >= 0);
    CHECK_INT(bridge_mqtt_subscribe(b, "e3dc/#"), 0);
    CHECK_INT(bridge_mqtt_publish(a, "e3dc/battery/soc", "57", 2, true), 0);
    for (int i = 0; i < 50 && rb.messages == 0; i++) {
        step(a, 10);
        step(b, 10);
    }
    CHECK_INT(rb.messages, 1);
    CHECK(strcmp(rb.topic, "e3dc/battery/soc") == 0);
    CHECK(strcmp(rb.payload, "57") == 0);

    /* A new subscriber gets it as retained. */
    struct rec rc2 = {0};
    struct bridge_mqtt_conn *c = make(g_port, &rc2, "test-c");
    CHECK(run_until(c, &rc2.connects, 1, 3000));
    CHECK_INT(bridge_mqtt_subscribe(c, "e3dc/battery/soc"), 0);
    CHECK(run_until(c, &rc2.messages, 1, 3000));
    CHECK(rc2.retained);
    CHECK(strcmp(rc2.payload, "57") == 0);

    /* Abort a's socket: the broker publishes its will. */
    CHECK_INT(bridge_mqtt_subscribe(b, "e3dc/bridge/status"), 0);
    step(b, 50);
    shutdown(bridge_mqtt_fd(a), SHUT_RDWR);
    int64_t end = now_ms() + 3000;
    while (now_ms() < end && !(rb.messages >= 2 && strcmp(rb.topic, "e3dc/bridge/status") == 0)) {
        step(a, 10);
        step(b, 10);
    }
    CHECK(strcmp(rb.topic, "e3dc/bridge/status") == 0);
    CHECK(strcmp(rb.payload, "offline") == 0);
    CHECK(ra.disconnects >= 1);
    /* ... and a reconnects by itself. */
    CHECK(run_until(a, &ra.connects, 2, 3000));
    struct bridge_mqtt_stats st;
    bridge_mqtt_stats(a, &st);
    CHECK(st.reconnects >= 1);
    CHECK(st.published == 1);

    /* Graceful stop: queued messages are out, no will. */
    rb.messages = 0;
    CHECK_INT(bridge_mqtt_publish(a, "e3dc/bridge/status", "offline-clean", 13, true), 0);
    CHECK_INT(bridge_mqtt_flush_and_disconnect(a, 1000), 0);
    CHECK(!bridge_mqtt_connected(a));
    CHECK(run_until(b, &rb.messages, 1, 2000));
    CHECK(strcmp(rb.payload, "offline-clean") == 0);
    bridge_mqtt_free(a);
    bridge_mqtt_free(b);
    bridge_mqtt_free(c);
}

static int corked(struct bridge_mqtt_conn *c)
{
    int v = -1;
    socklen_t len = sizeof v;
    if (getsockopt(bridge_mqtt_fd(c), IPPROTO_TCP, TCP_CORK, &v, &len) != 0)
        return -1;
    return v;
}

/* Publishes of one loop turn are gathered (TCP_CORK) and sent by
 * bridge_mqtt_flush(), in order and complete. */
static void test_flush(void)
{
    struct rec ra = {0}, rb = {0};
    struct bridge_mqtt_conn *a = make(g_port, &ra, "test-flush-a");
    struct bridge_mqtt_conn *b = make(g_port, &rb, "test-flush-b");
    if (!a || !b)
        return;
    CHECK(run_until(a, &ra.connects, 1, 3000));
    CHECK(run_until(b, &rb.connects, 1, 3000));
    CHECK_INT(bridge_mqtt_subscribe(b, "flush/#"), 0);
    for (int i = 0; i < 5; i++)
        step(b, 10);
    CHECK_INT(corked(a), 0);
    char payload[16];
    for (int i = 0; i < 200; i++) {
        int n = snprintf(payload, sizeof payload, "%d", i);
        CHECK_INT(bridge_mqtt_publish(a, "flush/n", payload, (size_t)n, false), 0);
    }
    CHECK(corked(a) != 0);
    bridge_mqtt_flush(a);
    CHECK_INT(corked(a), 0);
    bridge_mqtt_flush(a); /* again: nothing to do */
    CHECK_INT(corked(a), 0);
    CHECK(run_until(b, &rb.messages, 200, 3000));
    CHECK_INT(rb.messages, 200);
    CHECK(strcmp(rb.payload, "199") == 0);
    bridge_mqtt_flush(NULL);
    bridge_mqtt_free(a);
    bridge_mqtt_free(b);
}

static void test_broker_restart(void)
{
    struct rec r = {0};
    struct bridge_mqtt_conn *c = make(g_port, &r, "test-restart");
    if (!c)
        return;
    CHECK(run_until(c, &r.connects, 1, 3000));
    CHECK(broker("stop", NULL) == 0);
    CHECK(run_until(c, &r.disconnects, 1, 3000));
    CHECK(!bridge_mqtt_connected(c));
    CHECK(bridge_mqtt_publish(c, "e3dc/x", "1", 1, false) == RSCP_ERR_NOT_CONNECTED);
    /* A few failed attempts while it is down, the loop never blocked. */
    g_max_iter_ms = 0;
    for (int i = 0; i < 30; i++)
        step(c, 20);
    struct bridge_mqtt_stats st;
    bridge_mqtt_stats(c, &st);
    CHECK(st.attempts >= 2);
    CHECK(st.dropped >= 1);
    CHECK(g_max_iter_ms < 100);
    CHECK(broker("start", "false") == g_port);
    CHECK(run_until(c, &r.connects, 2, 5000));
    CHECK(bridge_mqtt_connected(c));
    bridge_mqtt_stats(c, &st);
    CHECK_INT(st.reconnects, 1);
    bridge_mqtt_free(c);
}

static void test_queue_limit(void)
{
    struct rec r = {0};
    g_qos = 1; /* queued until PUBACK, which only the loop reads */
    struct bridge_mqtt_conn *c = make(g_port, &r, "test-queue");
    g_qos = 0;
    if (!c)
        return;
    CHECK(run_until(c, &r.connects, 1, 3000));
    struct bridge_mqtt_tuning t = {50, 200, 2000, 64 * 1024, 0};
    bridge_mqtt_set_tuning(c, &t);
    /* Without the loop reading PUBACKs, QoS 1 messages stay queued:
     * refused beyond 64 KiB. */
    static char big[16384];
    memset(big, 'x', sizeof big);
    int ok = 0, full = 0;
    for (int i = 0; i < 400; i++) {
        int rc = bridge_mqtt_publish(c, "e3dc/big", big, sizeof big, false);
        if (rc == 0)
            ok++;
        else if (rc == RSCP_ERR_NOSPACE)
            full++;
    }
    struct bridge_mqtt_stats st;
    bridge_mqtt_stats(c, &st);
    CHECK_INT(ok, 4);
    CHECK_INT(full, 396);
    CHECK_INT(st.dropped, (uint64_t)full);
    CHECK(st.queued_bytes <= 64 * 1024);
    /* The loop drains it. */
    int64_t end = now_ms() + 3000;
    while (now_ms() < end) {
        step(c, 10);
        bridge_mqtt_stats(c, &st);
        if (st.queued_msgs == 0)
            break;
    }
    CHECK_INT(st.queued_msgs, 0);
    CHECK_INT(st.queued_bytes, 0);
    CHECK_INT(bridge_mqtt_publish(c, "e3dc/big", big, sizeof big, false), 0);
    bridge_mqtt_free(c);
}

static void test_no_broker(void)
{
    /* A port nobody listens on (the broker's, with the broker stopped). */
    CHECK(broker("stop", NULL) == 0);
    struct rec r = {0};
    struct bridge_mqtt_conn *c = make(g_port, &r, "test-nobroker");
    if (!c)
        return;
    g_max_iter_ms = 0;
    int64_t end = now_ms() + 700;
    while (now_ms() < end)
        step(c, 20);
    struct bridge_mqtt_stats st;
    bridge_mqtt_stats(c, &st);
    CHECK(st.attempts >= 3);
    CHECK_INT(r.connects, 0);
    CHECK_INT(r.disconnects, 0);
    CHECK(g_max_iter_ms < 100);
    CHECK(bridge_mqtt_next_deadline(c) <= now_ms() + 200);
    bridge_mqtt_free(c);
}

static void test_bad_config(void)
{
    struct bridge_mqtt m = {0};
    struct bridge_mqtt_conn *c = NULL;
    char err[128] = "";
    CHECK_INT(bridge_mqtt_new(&c, &m, NULL, NULL, NULL, err, sizeof err), RSCP_ERR_ARG);
    CHECK(c == NULL);
    CHECK(strstr(err, "host") != NULL);
    m = cfg_for(1);
    m.user = "u";
    m.password = "s3cret-pw";
    m.tls = true;
    m.ca_file = "/nonexistent/ca.pem";
    int rc = bridge_mqtt_new(&c, &m, NULL, NULL, NULL, err, sizeof err);
    if (rc == 0) {
        bridge_mqtt_free(c);
    } else {
        CHECK(strstr(err, "s3cret") == NULL);
    }
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    snprintf(g_dir, sizeof g_dir, "%s/mqtt-broker-%d", RSCP_BUILD_DIR, (int)getpid());
    g_port = broker("start", "false");
    if (g_port <= 0) {
        FAIL("tests/broker.sh could not start mosquitto (install: apt-get install mosquitto)");
        return th_finish();
    }
    test_bad_config();
    test_roundtrip_and_will();
    test_queue_limit();
    test_flush();
    test_broker_restart();
    test_no_broker();
    broker("stop", NULL);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    if (system(cmd) != 0)
        FAIL("cleanup");
    return th_finish();
}
