/* rscp-bridge: log lines on stderr, one per event, with a level.
 *
 * Format: "LEVEL: message" ("info: site home: online"). When stderr is a
 * journald stream (JOURNAL_STREAM is set, as systemd does), each line
 * starts with the syslog priority "<N>" instead, so journald keeps the
 * level. Messages must never contain a secret: callers pass names, hosts
 * and the library's error strings (rscp_client_errstr() has no secrets),
 * never a password, a key or a payload of a secret. Not thread-safe (the
 * daemon has one thread). */
#ifndef RSCP_BRIDGE_LOG_H
#define RSCP_BRIDGE_LOG_H

#include <stdarg.h>

enum bridge_log_level {
    BRIDGE_LOG_ERROR = 0,
    BRIDGE_LOG_WARN = 1,
    BRIDGE_LOG_INFO = 2,
    BRIDGE_LOG_DEBUG = 3
};

/* Lines above `level` are dropped; the default is BRIDGE_LOG_INFO. */
void bridge_log_set_level(int level);
int bridge_log_level(void);

/* Write one line (a trailing newline is added; newlines and other control
 * characters inside the message are written as '?'). Lines longer than
 * 1,000 bytes are cut and end in "...". */
void bridge_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void bridge_vlog(int level, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

#define BRIDGE_ERROR(...) bridge_log(BRIDGE_LOG_ERROR, __VA_ARGS__)
#define BRIDGE_WARN(...) bridge_log(BRIDGE_LOG_WARN, __VA_ARGS__)
#define BRIDGE_INFO(...) bridge_log(BRIDGE_LOG_INFO, __VA_ARGS__)
#define BRIDGE_DEBUG(...) bridge_log(BRIDGE_LOG_DEBUG, __VA_ARGS__)

#endif
