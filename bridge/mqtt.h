/* rscp-bridge: the MQTT connection (libmosquitto), driven from the
 * daemon's own poll() loop, never from libmosquitto's thread.
 *
 * Use in a loop:
 *   - before every poll(): bridge_mqtt_flush(c) (sends what this turn's
 *     publishes left gathered in the kernel); fd = bridge_mqtt_fd(c) (it
 *     changes after each reconnect and is -1 while down); watch POLLIN,
 *     and POLLOUT when bridge_mqtt_wants_write(c); wake up no later than
 *     bridge_mqtt_next_deadline(c);
 *   - after poll(): bridge_mqtt_on_readable() on POLLIN/POLLERR/POLLHUP,
 *     bridge_mqtt_on_writable() on POLLOUT, and bridge_mqtt_on_timer()
 *     every iteration (it is cheap; it does keepalive and reconnects).
 * Events are called from inside these functions (and from publish when the
 * write fails); callbacks must not call bridge_mqtt_free().
 *
 * Connecting: mosquitto_connect_async() of Debian 12's libmosquitto 2.0.11
 * resolves the host with getaddrinfo() (blocking: DNS only; use an address
 * or a local resolver to avoid it), then makes the socket non-blocking
 * before connect(), so the TCP connect (EINPROGRESS) and the TLS handshake
 * never block the loop; the CONNECT packet is written when the socket
 * becomes writable (measured: connect_async to a silent address on the
 * local link returns in 0 ms with a socket and want_write true). A connect
 * that gets no CONNACK within the connect timeout counts as failed and is
 * retried with backoff (the stale socket is closed by the next attempt).
 * Every failed attempt is logged once with its cause and the delay to the
 * next one: a CONNACK refusal in words with the keys to check (an error:
 * "the broker refused the login of user \"u\": not authorised"), a
 * socket error with errno's text, a missing CONNACK (warnings).
 *
 * Memory is bounded: published messages not yet handed to the kernel (QoS
 * 0) or acknowledged (QoS 1, 2) are counted, and a publish beyond
 * BRIDGE_MQTT_QUEUE_MAX_BYTES / _MSGS is refused and counted as dropped.
 * While the connection is down publishes are refused (not queued).
 * Messages queued when a connection is lost are dropped by libmosquitto at
 * the reconnect (QoS 0) or resent (QoS 1, 2; these are then no longer
 * counted); the daemon re-publishes its retained state from on_connect.
 *
 * No secret (password, key) is ever logged. Not thread-safe. */
#ifndef RSCP_BRIDGE_MQTT_H
#define RSCP_BRIDGE_MQTT_H

#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Default limit on bytes of payload queued and not yet sent/acknowledged. */
#define BRIDGE_MQTT_QUEUE_MAX_BYTES (8u * 1024u * 1024u)
/* Default limit on messages queued (kept below 65535, the MQTT id space). */
#define BRIDGE_MQTT_QUEUE_MAX_MSGS 50000u
/* Reconnect backoff: first delay and cap (jitter: each delay in [d/2, d]). */
#define BRIDGE_MQTT_BACKOFF_INITIAL_MS 1000u
#define BRIDGE_MQTT_BACKOFF_MAX_MS 60000u
/* A connect without CONNACK after this long is dropped and retried. */
#define BRIDGE_MQTT_CONNECT_TIMEOUT_MS 10000u

struct bridge_mqtt_conn;

/* Callbacks (any may be NULL); ctx is passed back unchanged. */
struct bridge_mqtt_events {
    void *ctx;
    /* After every accepted CONNACK (first connect and each reconnect):
     * subscribe and re-publish all retained state here. */
    void (*on_connect)(void *ctx);
    /* Once per lost connection that had been connected (not for failed
     * attempts, not for bridge_mqtt_free/flush_and_disconnect); why is a
     * short reason without secrets. A reconnect is then scheduled. */
    void (*on_disconnect)(void *ctx, const char *why);
    /* A message on a subscribed topic; payload[0..len) is not
     * NUL-terminated and only valid during the call. */
    void (*on_message)(void *ctx, const char *topic, const void *payload, size_t len, bool retained);
};

/* Counters since bridge_mqtt_new(). */
struct bridge_mqtt_stats {
    uint64_t published;    /* publishes accepted into the queue           */
    uint64_t received;     /* messages delivered to on_message             */
    uint64_t dropped;      /* publishes refused (down or queue full)       */
    uint64_t reconnects;   /* CONNACKs after the first one                 */
    uint64_t attempts;     /* connect attempts started                     */
    size_t queued_msgs;    /* now queued (not yet sent / acknowledged)     */
    size_t queued_bytes;   /* their payload bytes                          */
};

/* Tunables (tests use small values); 0 in a field keeps the default. */
struct bridge_mqtt_tuning {
    uint32_t backoff_initial_ms;
    uint32_t backoff_max_ms;
    uint32_t connect_timeout_ms;
    size_t queue_max_bytes;
    size_t queue_max_msgs;  /* capped at BRIDGE_MQTT_QUEUE_MAX_MSGS */
};

/* Create the connection for cfg (host required; copied, cfg may be freed
 * afterwards) with a retained last will will_topic = will_payload (both
 * NULL: no will), events ev (copied; may be NULL). Does not connect yet:
 * the first attempt is made by the first bridge_mqtt_on_timer(). Calls
 * mosquitto_lib_init() once per process. Returns 0 with *out set, or a
 * negative RSCP_ERR_* with a message in err[0..errcap) (no secrets). */
int bridge_mqtt_new(struct bridge_mqtt_conn **out, const struct bridge_mqtt *cfg, const char *will_topic,
                    const char *will_payload, const struct bridge_mqtt_events *ev, char *err, size_t errcap);

/* Replace the tunables (any time; a NULL t restores the defaults). */
void bridge_mqtt_set_tuning(struct bridge_mqtt_conn *c, const struct bridge_mqtt_tuning *t);

/* Send DISCONNECT when connected (best effort, never blocks), close the
 * socket and free everything. The will is not published. NULL is ignored. */
void bridge_mqtt_free(struct bridge_mqtt_conn *c);

/* The socket to poll, or -1 when there is none. Changes after reconnects:
 * query it before every poll(). */
int bridge_mqtt_fd(const struct bridge_mqtt_conn *c);

/* True when POLLOUT should be watched (data queued or connect pending). */
bool bridge_mqtt_wants_write(const struct bridge_mqtt_conn *c);

/* Call on POLLIN (and POLLERR/POLLHUP) of bridge_mqtt_fd(); reads and
 * dispatches messages; a read error closes the connection (on_disconnect)
 * and schedules a reconnect. now_ms: monotonic milliseconds. */
void bridge_mqtt_on_readable(struct bridge_mqtt_conn *c, int64_t now_ms);

/* Call on POLLOUT of bridge_mqtt_fd(); writes what is queued. */
void bridge_mqtt_on_writable(struct bridge_mqtt_conn *c, int64_t now_ms);

/* Call every loop iteration (or at least by next_deadline): keepalive
 * (PINGREQ and its timeout), the connect timeout, and the (re)connect
 * attempt when the backoff delay has passed. Never blocks beyond DNS. */
void bridge_mqtt_on_timer(struct bridge_mqtt_conn *c, int64_t now_ms);

/* The monotonic time by which bridge_mqtt_on_timer() must be called next
 * (the next attempt while down; at most one second ahead while up). */
int64_t bridge_mqtt_next_deadline(const struct bridge_mqtt_conn *c);

/* True between an accepted CONNACK and the loss of the connection. */
bool bridge_mqtt_connected(const struct bridge_mqtt_conn *c);

/* Send what the publishes since the last call left gathered in the kernel:
 * publishing sets TCP_CORK on the socket, so that the many small messages
 * of one loop turn leave in full segments; this clears it. Call before
 * every poll() (what is not flushed goes out anyway after at most 200 ms,
 * the kernel's limit). Cheap when nothing was published; NULL ignored. */
void bridge_mqtt_flush(struct bridge_mqtt_conn *c);

/* Queue payload[0..len) on topic with the configured QoS, retained when
 * retain. Returns 0; RSCP_ERR_NOT_CONNECTED when not connected,
 * RSCP_ERR_NOSPACE when the queue limit would be passed (both counted in
 * stats.dropped); RSCP_ERR_ARG for a bad topic; RSCP_ERR_IO when
 * libmosquitto refused it. Never blocks. */
int bridge_mqtt_publish(struct bridge_mqtt_conn *c, const char *topic, const void *payload, size_t len,
                        bool retain);

/* Subscribe to pattern (wildcards + and # allowed) with the configured
 * QoS. Only while connected: subscriptions end with the connection (clean
 * session), so subscribe again in on_connect. Returns 0,
 * RSCP_ERR_NOT_CONNECTED, RSCP_ERR_ARG or RSCP_ERR_IO. */
int bridge_mqtt_subscribe(struct bridge_mqtt_conn *c, const char *pattern);

/* Graceful stop (SIGTERM, after publishing "offline"): write what is
 * queued (and wait for acknowledgements at QoS 1, 2) for at most
 * timeout_ms, then send DISCONNECT (no will) and close. Blocks the caller
 * up to timeout_ms (polls the socket itself). No reconnect afterwards.
 * Returns 0 when everything queued went out, RSCP_ERR_TIMEOUT when the time
 * ran out first, RSCP_ERR_NOT_CONNECTED when there was no connection. */
int bridge_mqtt_flush_and_disconnect(struct bridge_mqtt_conn *c, int timeout_ms);

/* Copy the counters. */
void bridge_mqtt_stats(const struct bridge_mqtt_conn *c, struct bridge_mqtt_stats *out);

#endif
