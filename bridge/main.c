/* rscp-bridge: the command line (see rscp-bridge(1)). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "rscp/version.h"

static const char usage[] =
    "Usage: rscp-bridge [OPTIONS]\n"
    "\n"
    "Polls E3/DC plants over RSCP and publishes their values on MQTT (rscp2mqtt's\n"
    "topic names, Home Assistant discovery) and as Prometheus metrics; runs the\n"
    "commands that arrive on the set/ topics.\n"
    "\n"
    "Options:\n"
    "  -c, --config FILE           the configuration (see rscp-bridge(1)); without\n"
    "                              it, one site from RSCP_HOST, RSCP_USER,\n"
    "                              RSCP_PASSWORD, RSCP_KEY and the broker from\n"
    "                              MQTT_HOST, MQTT_PORT\n"
    "      --rscp2mqtt-config FILE an rscp2mqtt .config, for one site\n"
    "      --check-config          check the configuration, print the plan, exit\n"
    "      --once                  poll every site once, publish, exit\n"
    "      --metrics HOST:PORT     serve /metrics and /healthz there\n"
    "      --shard K/N             take only the sites of shard K of N (1 <= K <= N)\n"
    "  -v, --verbose               debug log lines\n"
    "  -h, --help                  this text\n"
    "      --version               the version\n"
    "\n"
    "Exit status: 0 ok, 1 runtime failure, 2 bad usage or configuration.\n";

static int bad(const char *what, const char *arg)
{
    fprintf(stderr, "rscp-bridge: %s%s\nTry 'rscp-bridge --help'.\n", what, arg);
    return 2;
}

static int parse_shard(const char *s, unsigned *k, unsigned *n)
{
    char *end;
    unsigned long a = strtoul(s, &end, 10);
    if (end == s || *end != '/')
        return -1;
    const char *t = end + 1;
    unsigned long b = strtoul(t, &end, 10);
    if (end == t || *end || b == 0 || b > 1000 || a < 1 || a > b)
        return -1;
    *k = (unsigned)a;
    *n = (unsigned)b;
    return 0;
}

int main(int argc, char **argv)
{
    struct bridge_opts o;
    memset(&o, 0, sizeof o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            return 0;
        } else if (!strcmp(a, "--version")) {
            printf("rscp-bridge %s\n", rscp_version());
            return 0;
        } else if (!strcmp(a, "-c") || !strcmp(a, "--config") || !strcmp(a, "--rscp2mqtt-config")) {
            if (!next)
                return bad("this option needs a file: ", a);
            if (o.config)
                return bad("one configuration file only; again: ", a);
            o.config = next;
            o.rscp2mqtt = !strcmp(a, "--rscp2mqtt-config");
            i++;
        } else if (!strcmp(a, "--check-config")) {
            o.check = true;
        } else if (!strcmp(a, "--once")) {
            o.once = true;
        } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
            o.verbose = true;
        } else if (!strcmp(a, "--metrics")) {
            if (!next)
                return bad("this option needs HOST:PORT: ", a);
            o.metrics = next;
            i++;
        } else if (!strcmp(a, "--shard")) {
            if (!next || parse_shard(next, &o.shard_k, &o.shard_n) != 0)
                return bad("--shard needs K/N with 1 <= K <= N <= 1000, not: ", next ? next : "");
            i++;
        } else {
            return bad("unknown option: ", a);
        }
    }
    return bridge_daemon_main(&o);
}
