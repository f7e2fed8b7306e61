/* rscp-bridge: log lines on stderr (see log.h). */
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_LINE_MAX 1000

static int g_level = BRIDGE_LOG_INFO;

void bridge_log_set_level(int level) {
    if (level < BRIDGE_LOG_ERROR) level = BRIDGE_LOG_ERROR;
    if (level > BRIDGE_LOG_DEBUG) level = BRIDGE_LOG_DEBUG;
    g_level = level;
}

int bridge_log_level(void) { return g_level; }

void bridge_vlog(int level, const char *fmt, va_list ap) {
    static const char *const names[] = {"error", "warning", "info", "debug"};
    static const int syslog_prio[] = {3, 4, 6, 7};
    if (level > g_level) return;
    if (level < BRIDGE_LOG_ERROR) level = BRIDGE_LOG_ERROR;
    char line[LOG_LINE_MAX + 8];
    int n = vsnprintf(line, LOG_LINE_MAX + 1, fmt, ap);
    if (n < 0) return;
    size_t len = (size_t)n;
    if (len > LOG_LINE_MAX) {
        len = LOG_LINE_MAX;
        memcpy(line + len - 3, "...", 3);
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)line[i];
        if (ch < 0x20 || ch == 0x7f) line[i] = '?';
    }
    if (getenv("JOURNAL_STREAM") != NULL)
        fprintf(stderr, "<%d>%.*s\n", syslog_prio[level], (int)len, line);
    else
        fprintf(stderr, "%s: %.*s\n", names[level], (int)len, line);
}

void bridge_log(int level, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    bridge_vlog(level, fmt, ap);
    va_end(ap);
}
