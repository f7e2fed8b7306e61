/* The MQTT connection over libmosquitto, driven from the caller's loop
 * (see mqtt.h). */
#include "mqtt.h"

#include "log.h"
#include "mqtt_tls.h"

#include <rscp/client.h>
#include <rscp/error.h>

#include <errno.h>
#include <mosquitto.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define MID_SLOTS 65536u

struct bridge_mqtt_conn {
    struct mosquitto *mosq;
    char *host;
    char *user;             /* the login's user name (not secret), or NULL */
    char *client_id;
    int port;
    int keepalive_s;
    int qos;
    struct bridge_mqtt_events ev;
    struct bridge_mqtt_tuning tun;
    struct rscp_backoff bo;
    struct bridge_mqtt_stats st;
    uint32_t *pending;      /* payload length + 1 per message id, 0: none */
    int corked_fd;          /* the socket TCP_CORK is set on, -1: none    */
    int64_t now_ms;
    int64_t next_attempt_ms;
    int64_t connect_deadline_ms;
    bool live;              /* a socket was started and not yet lost      */
    bool connected;         /* CONNACK accepted                           */
    bool ever_connected;
    bool stopping;
    bool tls;               /* over TLS ...                               */
    bool has_cert;          /* ... with a client certificate              */
    char why[320];          /* why the current attempt failed, "" unknown */
    bool why_config;        /* ... and it needs a change of configuration */
};

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void clear_pending(struct bridge_mqtt_conn *c)
{
    memset(c->pending, 0, MID_SLOTS * sizeof *c->pending);
    c->st.queued_msgs = 0;
    c->st.queued_bytes = 0;
}

/* Schedules the next attempt; returns the delay in ms. */
static uint32_t schedule_retry(struct bridge_mqtt_conn *c)
{
    uint32_t d = rscp_backoff_next(&c->bo);
    c->next_attempt_ms = c->now_ms + d;
    return d;
}

/* The broker's CONNACK refusal (MQTT 3.1.1 return codes 1..5) in words,
 * with what to check. */
static void describe_refusal(struct bridge_mqtt_conn *c, int rc)
{
    static const char *const text[] = {NULL, "unacceptable protocol version", "client identifier rejected",
                                       "server unavailable", "bad user name or password", "not authorised"};
    const char *t = rc > 0 && rc <= 5 ? text[rc] : mosquitto_connack_string(rc);
    c->why_config = rc != 3;
    if (rc == 4 || rc == 5) {
        if (c->user)
            snprintf(c->why, sizeof c->why,
                     "the broker refused the login of user \"%s\": %s (check [mqtt] user and password or "
                     "password_file)",
                     c->user, t);
        else
            snprintf(c->why, sizeof c->why,
                     "the broker refused the connection: %s (it may require a login: set [mqtt] user and "
                     "password_file)",
                     t);
    } else if (rc == 2) {
        snprintf(c->why, sizeof c->why, "the broker refused the client id \"%s\": %s", c->client_id, t);
    } else {
        snprintf(c->why, sizeof c->why, "the broker refused the connection: %s (CONNACK code %d)", t, rc);
    }
}

/* A libmosquitto result in words; MOSQ_ERR_ERRNO names errno (e). */
static const char *mosq_reason(int rc, int e)
{
    if (rc == MOSQ_ERR_ERRNO)
        return e ? strerror(e) : "socket error";
    return mosquitto_strerror(rc);
}

static void cb_connect(struct mosquitto *m, void *ud, int rc)
{
    struct bridge_mqtt_conn *c = ud;
    if (rc != 0) {
        describe_refusal(c, rc); /* logged by lost(): cb_disconnect follows */
        return;
    }
    BRIDGE_INFO("mqtt %s:%d: connected", c->host, c->port);
    /* libmosquitto formats every log line of its own (a malloc and a
     * vsnprintf for each PUBLISH) whenever a log callback is set; cb_log
     * wants only the failures of an attempt (TLS in words). Connected, and
     * without debug lines, the callback is off; lost() sets it again. */
    if (bridge_log_level() < BRIDGE_LOG_DEBUG)
        mosquitto_log_callback_set(m, NULL);
    clear_pending(c);
    c->connected = true;
    if (c->ever_connected)
        c->st.reconnects++;
    c->ever_connected = true;
    rscp_backoff_reset(&c->bo);
    if (c->ev.on_connect)
        c->ev.on_connect(c->ev.ctx);
}

static void cb_log(struct mosquitto *m, void *ud, int level, const char *str);

static void lost(struct bridge_mqtt_conn *c, const char *why)
{
    bool was = c->connected;
    c->live = false;
    c->connected = false;
    mosquitto_log_callback_set(c->mosq, cb_log); /* for the next attempt */
    if (c->stopping)
        return;
    uint32_t delay = schedule_retry(c);
    if (was) {
        /* A TLS failure in words (cb_log) says more than libmosquitto's
         * result code. */
        why = c->why[0] ? c->why : why;
        BRIDGE_WARN("mqtt %s:%d: connection lost: %s", c->host, c->port, why);
        if (c->ev.on_disconnect)
            c->ev.on_disconnect(c->ev.ctx, why);
    } else {
        /* Every failed attempt is logged: the backoff (up to the cap)
         * keeps this to one line per delay. */
        bridge_log(c->why[0] && c->why_config ? BRIDGE_LOG_ERROR : BRIDGE_LOG_WARN,
                   "mqtt %s:%d: connect failed: %s; next attempt in %.1f s", c->host, c->port,
                   c->why[0] ? c->why : why, delay / 1000.0);
    }
    c->why[0] = '\0';
    c->why_config = false;
}

/* A TLS connection that ends before the CONNACK without OpenSSL's reason
 * (the broker sent its alert and closed before it was read): most likely
 * the broker wants a client certificate, or not the one given. */
static void describe_tls_close(struct bridge_mqtt_conn *c, int rc, int e)
{
    if (!c->tls || c->connected || c->why[0] || !((rc == MOSQ_ERR_ERRNO && e == EPROTO) || rc == MOSQ_ERR_CONN_LOST))
        return;
    snprintf(c->why, sizeof c->why, "TLS: the broker closed the connection in the handshake (%s): %s",
             mosq_reason(rc, e),
             c->has_cert ? "it may not accept the client certificate: check tls_cert_file and tls_key_file"
                         : "it may require a client certificate: set tls_cert_file and tls_key_file");
    c->why_config = true;
}

static void cb_disconnect(struct mosquitto *m, void *ud, int rc)
{
    (void)m;
    struct bridge_mqtt_conn *c = ud;
    int e = errno;
    if (c->live) {
        describe_tls_close(c, rc, e);
        lost(c, rc == 0 ? "disconnected" : mosq_reason(rc, e));
    }
}

static void cb_publish(struct mosquitto *m, void *ud, int mid)
{
    (void)m;
    struct bridge_mqtt_conn *c = ud;
    uint32_t *slot = &c->pending[(unsigned)mid & (MID_SLOTS - 1)];
    if (*slot == 0)
        return; /* from before a reconnect: no longer counted */
    c->st.queued_bytes -= *slot - 1;
    c->st.queued_msgs--;
    *slot = 0;
}

static void cb_message(struct mosquitto *m, void *ud, const struct mosquitto_message *msg)
{
    (void)m;
    struct bridge_mqtt_conn *c = ud;
    c->st.received++;
    if (c->ev.on_message)
        c->ev.on_message(c->ev.ctx, msg->topic, msg->payload, msg->payloadlen < 0 ? 0 : (size_t)msg->payloadlen,
                         msg->retain);
}

/* libmosquitto's log lines: a TLS failure (its own words or OpenSSL's)
 * becomes the reason of the failed attempt, in words with what to check;
 * lost() logs it. The first one of an attempt counts (OpenSSL may add
 * more lines for the same failure). */
static void cb_log(struct mosquitto *m, void *ud, int level, const char *str)
{
    (void)m;
    struct bridge_mqtt_conn *c = ud;
    if (!(level & (MOSQ_LOG_ERR | MOSQ_LOG_WARNING)) || !str)
        return;
    BRIDGE_DEBUG("mqtt %s:%d: libmosquitto: %s", c->host, c->port, str);
    if (c->why[0] || !bridge_mqtt_tls_describe(str, c->why, sizeof c->why))
        return;
    c->why_config = true;
}

/* An encrypted private key is not supported: without this OpenSSL would
 * ask for its passphrase on the terminal. */
static int no_passphrase(char *buf, int size, int rwflag, void *userdata)
{
    (void)buf;
    (void)size;
    (void)rwflag;
    (void)userdata;
    return 0;
}

static void lib_init_once(void)
{
    static bool done;
    if (!done) {
        mosquitto_lib_init();
        done = true;
    }
}

void bridge_mqtt_set_tuning(struct bridge_mqtt_conn *c, const struct bridge_mqtt_tuning *t)
{
    struct bridge_mqtt_tuning d = {BRIDGE_MQTT_BACKOFF_INITIAL_MS, BRIDGE_MQTT_BACKOFF_MAX_MS,
                                   BRIDGE_MQTT_CONNECT_TIMEOUT_MS, BRIDGE_MQTT_QUEUE_MAX_BYTES,
                                   BRIDGE_MQTT_QUEUE_MAX_MSGS};
    if (t) {
        if (t->backoff_initial_ms)
            d.backoff_initial_ms = t->backoff_initial_ms;
        if (t->backoff_max_ms)
            d.backoff_max_ms = t->backoff_max_ms;
        if (t->connect_timeout_ms)
            d.connect_timeout_ms = t->connect_timeout_ms;
        if (t->queue_max_bytes)
            d.queue_max_bytes = t->queue_max_bytes;
        if (t->queue_max_msgs && t->queue_max_msgs < BRIDGE_MQTT_QUEUE_MAX_MSGS)
            d.queue_max_msgs = t->queue_max_msgs;
    }
    if (d.backoff_max_ms < d.backoff_initial_ms)
        d.backoff_max_ms = d.backoff_initial_ms;
    c->tun = d;
    rscp_backoff_init(&c->bo, d.backoff_initial_ms, d.backoff_max_ms, (uint64_t)mono_ms() ^ (uint64_t)(uintptr_t)c);
}

static int fail(struct bridge_mqtt_conn *c, int rc, char *err, size_t errcap, const char *what)
{
    if (err && errcap)
        snprintf(err, errcap, "mqtt: %s", what);
    bridge_mqtt_free(c);
    return rc;
}

int bridge_mqtt_new(struct bridge_mqtt_conn **out, const struct bridge_mqtt *cfg, const char *will_topic,
                    const char *will_payload, const struct bridge_mqtt_events *ev, char *err, size_t errcap)
{
    *out = NULL;
    if (!cfg || !cfg->host || !cfg->host[0]) {
        if (err && errcap)
            snprintf(err, errcap, "mqtt: no broker host");
        return RSCP_ERR_ARG;
    }
    lib_init_once();
    struct bridge_mqtt_conn *c = calloc(1, sizeof *c);
    if (!c)
        return RSCP_ERR_NOMEM;
    c->pending = calloc(MID_SLOTS, sizeof *c->pending);
    const char *id = cfg->client_id && cfg->client_id[0] ? cfg->client_id : "rscp-bridge";
    c->host = strdup(cfg->host);
    c->client_id = strdup(id);
    c->user = cfg->user ? strdup(cfg->user) : NULL;
    if (!c->pending || !c->host || !c->client_id || (cfg->user && !c->user))
        return fail(c, RSCP_ERR_NOMEM, err, errcap, "out of memory");
    c->port = cfg->port ? cfg->port : 1883;
    c->keepalive_s = cfg->keepalive_s ? (int)cfg->keepalive_s : 60;
    c->qos = cfg->qos <= 2 ? (int)cfg->qos : 0;
    if (ev)
        c->ev = *ev;
    bridge_mqtt_set_tuning(c, NULL);
    c->now_ms = mono_ms();
    c->next_attempt_ms = 0;
    c->corked_fd = -1;
    c->mosq = mosquitto_new(id, true, c);
    if (!c->mosq)
        return fail(c, RSCP_ERR_NOMEM, err, errcap, "cannot create the client");
    mosquitto_connect_callback_set(c->mosq, cb_connect);
    mosquitto_disconnect_callback_set(c->mosq, cb_disconnect);
    mosquitto_publish_callback_set(c->mosq, cb_publish);
    mosquitto_message_callback_set(c->mosq, cb_message);
    mosquitto_log_callback_set(c->mosq, cb_log);
    if (cfg->user && mosquitto_username_pw_set(c->mosq, cfg->user, cfg->password) != MOSQ_ERR_SUCCESS)
        return fail(c, RSCP_ERR_ARG, err, errcap, "user name or password not accepted by libmosquitto");
    if (will_topic) {
        const char *p = will_payload ? will_payload : "";
        if (mosquitto_will_set(c->mosq, will_topic, (int)strlen(p), p, c->qos, true) != MOSQ_ERR_SUCCESS)
            return fail(c, RSCP_ERR_ARG, err, errcap, "bad last-will topic");
    }
    c->tls = cfg->tls;
    c->has_cert = cfg->cert_file != NULL;
    if (cfg->tls) {
        if (!cfg->ca_file)
            mosquitto_int_option(c->mosq, MOSQ_OPT_TLS_USE_OS_CERTS, 1);
        int rc = mosquitto_tls_set(c->mosq, cfg->ca_file, NULL, cfg->cert_file, cfg->key_file, no_passphrase);
        if (rc != MOSQ_ERR_SUCCESS) {
            char msg[256];
            snprintf(msg, sizeof msg, "TLS setup failed (ca_file, cert_file, key_file): %s", mosquitto_strerror(rc));
            return fail(c, RSCP_ERR_ARG, err, errcap, msg);
        }
    }
    *out = c;
    return 0;
}

void bridge_mqtt_free(struct bridge_mqtt_conn *c)
{
    if (!c)
        return;
    c->stopping = true;
    bridge_mqtt_flush(c);
    if (c->mosq) {
        if (c->connected && mosquitto_disconnect(c->mosq) == MOSQ_ERR_SUCCESS)
            mosquitto_loop_write(c->mosq, 1);
        mosquitto_destroy(c->mosq);
    }
    free(c->pending);
    free(c->host);
    free(c->user);
    free(c->client_id);
    free(c);
}

int bridge_mqtt_fd(const struct bridge_mqtt_conn *c)
{
    return c->mosq ? mosquitto_socket(c->mosq) : -1;
}

bool bridge_mqtt_wants_write(const struct bridge_mqtt_conn *c)
{
    return bridge_mqtt_fd(c) >= 0 && mosquitto_want_write(c->mosq);
}

static void after_io(struct bridge_mqtt_conn *c, int rc)
{
    /* libmosquitto closed the socket and called cb_disconnect; this catches
     * a socket that went away without it. */
    int e = errno;
    if (rc != MOSQ_ERR_SUCCESS && c->live && mosquitto_socket(c->mosq) < 0) {
        describe_tls_close(c, rc, e);
        lost(c, mosq_reason(rc, e));
    }
}

void bridge_mqtt_on_readable(struct bridge_mqtt_conn *c, int64_t now_ms)
{
    c->now_ms = now_ms;
    if (bridge_mqtt_fd(c) < 0)
        return;
    after_io(c, mosquitto_loop_read(c->mosq, 1));
}

void bridge_mqtt_on_writable(struct bridge_mqtt_conn *c, int64_t now_ms)
{
    c->now_ms = now_ms;
    if (bridge_mqtt_fd(c) < 0)
        return;
    after_io(c, mosquitto_loop_write(c->mosq, 1));
}

static void attempt(struct bridge_mqtt_conn *c)
{
    c->st.attempts++;
    c->why[0] = '\0';
    c->why_config = false;
    /* Closes a previous socket, resolves (blocking DNS), starts a
     * non-blocking TCP connect and queues CONNECT. */
    errno = 0;
    int rc = mosquitto_connect_async(c->mosq, c->host, c->port, c->keepalive_s);
    if (rc != MOSQ_ERR_SUCCESS) {
        int e = errno;
        c->live = false;
        describe_tls_close(c, rc, e); /* the handshake may start here */
        lost(c, mosq_reason(rc, e));
        return;
    }
    c->live = true;
    c->connect_deadline_ms = c->now_ms + c->tun.connect_timeout_ms;
}

void bridge_mqtt_on_timer(struct bridge_mqtt_conn *c, int64_t now_ms)
{
    c->now_ms = now_ms;
    if (c->stopping)
        return;
    if (!c->live) {
        if (now_ms >= c->next_attempt_ms)
            attempt(c);
        return;
    }
    if (!c->connected && now_ms >= c->connect_deadline_ms) {
        lost(c, "no CONNACK before the connect timeout");
        return; /* the socket is replaced at the next attempt */
    }
    after_io(c, mosquitto_loop_misc(c->mosq));
}

int64_t bridge_mqtt_next_deadline(const struct bridge_mqtt_conn *c)
{
    if (c->stopping)
        return c->now_ms + 1000;
    if (!c->live)
        return c->next_attempt_ms;
    if (!c->connected && c->connect_deadline_ms < c->now_ms + 1000)
        return c->connect_deadline_ms;
    return c->now_ms + 1000;
}

bool bridge_mqtt_connected(const struct bridge_mqtt_conn *c)
{
    return c->connected;
}

/* libmosquitto writes each packet to the socket as it is published: with
 * TCP_CORK set the kernel gathers them into full segments, and
 * bridge_mqtt_flush() sends what is left (a burst of a thousand small
 * publishes is then a few segments, not a thousand). */
static void cork(struct bridge_mqtt_conn *c)
{
    int fd = mosquitto_socket(c->mosq);
    if (fd < 0 || fd == c->corked_fd)
        return;
    int on = 1;
    if (setsockopt(fd, IPPROTO_TCP, TCP_CORK, &on, sizeof on) == 0)
        c->corked_fd = fd;
}

void bridge_mqtt_flush(struct bridge_mqtt_conn *c)
{
    if (!c || c->corked_fd < 0)
        return;
    int fd = mosquitto_socket(c->mosq);
    if (fd == c->corked_fd) {
        int off = 0;
        setsockopt(fd, IPPROTO_TCP, TCP_CORK, &off, sizeof off);
    }
    c->corked_fd = -1;
}

int bridge_mqtt_publish(struct bridge_mqtt_conn *c, const char *topic, const void *payload, size_t len,
                        bool retain)
{
    if (!topic || !topic[0] || len > INT32_MAX)
        return RSCP_ERR_ARG;
    if (!c->connected) {
        c->st.dropped++;
        return RSCP_ERR_NOT_CONNECTED;
    }
    if (c->st.queued_msgs + 1 > c->tun.queue_max_msgs || c->st.queued_bytes + len > c->tun.queue_max_bytes) {
        if (c->st.dropped++ == 0 || c->st.dropped % 1000 == 0)
            BRIDGE_WARN("mqtt: queue full (%zu messages, %zu bytes): publish dropped (%llu so far)",
                        c->st.queued_msgs, c->st.queued_bytes, (unsigned long long)c->st.dropped);
        return RSCP_ERR_NOSPACE;
    }
    cork(c);
    int mid = 0;
    int rc = mosquitto_publish(c->mosq, &mid, topic, (int)len, payload, c->qos, retain);
    if (rc == MOSQ_ERR_INVAL || rc == MOSQ_ERR_MALFORMED_UTF8 || rc == MOSQ_ERR_PAYLOAD_SIZE)
        return RSCP_ERR_ARG;
    if (rc != MOSQ_ERR_SUCCESS && rc != MOSQ_ERR_NO_CONN && rc != MOSQ_ERR_CONN_LOST) {
        c->st.dropped++;
        return RSCP_ERR_IO;
    }
    c->st.published++;
    /* QoS 0 may already have been written and cb_publish called. */
    uint32_t *slot = &c->pending[(unsigned)mid & (MID_SLOTS - 1)];
    if (rc == MOSQ_ERR_SUCCESS && (mosquitto_want_write(c->mosq) || c->qos > 0)) {
        if (*slot == 0) {
            *slot = (uint32_t)len + 1;
            c->st.queued_msgs++;
            c->st.queued_bytes += len;
        }
    }
    if (rc != MOSQ_ERR_SUCCESS)
        after_io(c, rc);
    return 0;
}

int bridge_mqtt_subscribe(struct bridge_mqtt_conn *c, const char *pattern)
{
    if (!pattern || !pattern[0])
        return RSCP_ERR_ARG;
    if (!c->connected)
        return RSCP_ERR_NOT_CONNECTED;
    int rc = mosquitto_subscribe(c->mosq, NULL, pattern, c->qos);
    if (rc == MOSQ_ERR_SUCCESS)
        return 0;
    return rc == MOSQ_ERR_INVAL || rc == MOSQ_ERR_MALFORMED_UTF8 ? RSCP_ERR_ARG : RSCP_ERR_IO;
}

static bool poll_once(struct bridge_mqtt_conn *c, int64_t end)
{
    int fd = bridge_mqtt_fd(c);
    int64_t left = end - mono_ms();
    if (fd < 0 || left <= 0)
        return false;
    struct pollfd p = {fd, (short)(POLLIN | (mosquitto_want_write(c->mosq) ? POLLOUT : 0)), 0};
    if (poll(&p, 1, left > 100 ? 100 : (int)left) < 0)
        return true;
    if (p.revents & (POLLIN | POLLERR | POLLHUP))
        mosquitto_loop_read(c->mosq, 1);
    if ((p.revents & POLLOUT) && bridge_mqtt_fd(c) >= 0)
        mosquitto_loop_write(c->mosq, 1);
    return true;
}

int bridge_mqtt_flush_and_disconnect(struct bridge_mqtt_conn *c, int timeout_ms)
{
    int64_t end = mono_ms() + (timeout_ms > 0 ? timeout_ms : 0);
    bool was = c->connected;
    bridge_mqtt_flush(c);
    c->stopping = true;
    if (!was) {
        c->live = false;
        return RSCP_ERR_NOT_CONNECTED;
    }
    while (c->connected && (c->st.queued_msgs > 0 || mosquitto_want_write(c->mosq)))
        if (!poll_once(c, end))
            break;
    bool flushed = c->connected && c->st.queued_msgs == 0 && !mosquitto_want_write(c->mosq);
    if (mosquitto_socket(c->mosq) >= 0 && mosquitto_disconnect(c->mosq) == MOSQ_ERR_SUCCESS) {
        while (mosquitto_socket(c->mosq) >= 0 && mosquitto_want_write(c->mosq))
            if (!poll_once(c, end))
                break;
    }
    c->live = false;
    c->connected = false;
    BRIDGE_INFO("mqtt %s:%d: disconnected%s", c->host, c->port, flushed ? "" : " (queue not flushed in time)");
    return flushed ? 0 : RSCP_ERR_TIMEOUT;
}

void bridge_mqtt_stats(const struct bridge_mqtt_conn *c, struct bridge_mqtt_stats *out)
{
    *out = c->st;
}
