/* rscp-bridge: the broker's TLS failures in words. libmosquitto reports
 * them as log lines: its own ("Error: Unable to load CA certificates ...")
 * and OpenSSL's error strings ("OpenSSL Error[0]: error:0A000086:SSL
 * routines::certificate verify failed"). This turns such a line into one
 * that says what failed and which [mqtt] key to check. */
#ifndef RSCP_BRIDGE_MQTT_TLS_H
#define RSCP_BRIDGE_MQTT_TLS_H

#include <stdbool.h>
#include <stddef.h>

/* Whether msg (a libmosquitto log line) reports a TLS failure; if so,
 * "TLS: <what failed>: <what to check>" goes into out[0..cap). The line
 * holds no file content (certificates and keys are never quoted). */
bool bridge_mqtt_tls_describe(const char *msg, char *out, size_t cap);

#endif
