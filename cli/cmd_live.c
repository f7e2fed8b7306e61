/* rscp live: the power summary in one round trip, once or repeatedly. */
#include "cli.h"

#include "rscp/api.h"
#include "rscp/ems.h"
#include "rscp/error.h"
#include "rscp/tag_ids.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { OPT_WATCH = 100, OPT_COUNT };

static const struct cli_optdef live_opts[] = {
    CLI_OPT_HELP, CLI_OPT_JSON, CLI_OPTS_CONN, {"watch", 'w', true, OPT_WATCH}, {"count", 'n', true, OPT_COUNT},
    CLI_OPT_END,
};

static void help(void)
{
    fputs("Usage: rscp live [OPTIONS] [--watch SECONDS [--count N]]\n"
          "\n"
          "One request frame for the live power summary: PV, battery (+ charging,\n"
          "- discharging), grid (+ import, - export), house, wallboxes (all and\n"
          "solar share), additional producer, state of charge, autarky,\n"
          "self-consumption, the EMS status bits by name and the time of the\n"
          "reading, in UTC and in the device's local time (from its INFO clocks).\n"
          "The additional producer is shown as its output (devices report it\n"
          "negative), so that PV + additional + grid = house + battery + wallbox.\n"
          "\n"
          "Options:\n"
          "  -w, --watch SECONDS  repeat every SECONDS on one connection; a lost\n"
          "                       connection is rebuilt with backoff (every failure\n"
          "                       reported on stderr, then the gap) until it works;\n"
          "                       only Ctrl-C (exit 130) or --count ends a watch\n"
          "  -n, --count N        stop after N readings (with --watch)\n"
          "  -j, --json           one JSON object per reading and line:\n"
          "      {\"time\": ISO-8601 UTC, \"local_time\": the device's wall clock,\n"
          "       \"utc_offset_seconds\", \"seconds\", \"nanoseconds\", \"pv\", \"battery\",\n"
          "       \"grid\", \"house\", \"wallbox_all\", \"wallbox_solar\", \"additional\" (W),\n"
          "       \"soc\", \"autarky\", \"self_consumption\" (%), \"status\" (the\n"
          "       EMS.STATUS bits as a number), \"status_names\" (their names, e.g.\n"
          "       [\"emergency_ready\", \"feed_in_limited\"]; bits without a known\n"
          "       meaning as one hex string), \"device_errors\"}; a value the\n"
          "       device did not give is null\n"
          "  plus the connection options of 'rscp --help'.\n"
          "\n"
          "Exit status: 0 ok; 1 device error block; 2 usage; 3 connection;\n"
          "4 authentication; 5 timeout; 6 protocol (also a reply without any of\n"
          "the values); 130 a watch stopped by Ctrl-C (143: SIGTERM).\n",
          stdout);
}

int cli_live_request(struct rscp_builder *b)
{
    int rc = rscp_live_request(b);
    /* The device's clocks, for its local time next to UTC. */
    if (rc == 0) {
        rscp_put_none(b, RSCP_TAG_INFO_REQ_TIME);
        rscp_put_none(b, RSCP_TAG_INFO_REQ_UTC_TIME);
    }
    return rc ? rc : rscp_builder_error(b);
}

int cli_live_parse(const struct rscp_frame *reply, struct cli_live_reading *r)
{
    memset(r, 0, sizeof *r);
    int rc = rscp_live_parse(reply, &r->live);
    struct rscp_info info;
    if (rc == 0)
        rc = rscp_info_parse(reply, &info);
    if (rc < 0) {
        cli_error("malformed reply: %s", rscp_strerror(rc));
        return CLI_EXIT_PROTOCOL;
    }
    if (r->live.present == 0 && r->live.device_errors == 0) {
        cli_error("the reply holds none of the requested values (%u data bytes)", (unsigned)reply->data_len);
        return CLI_EXIT_PROTOCOL;
    }
    r->have_offset = rscp_info_utc_offset(&info, &r->utc_offset) == 0;
    return 0;
}

size_t cli_status_ids(uint64_t status, const char **ids, size_t cap, uint64_t *rest)
{
    size_t n = 0;
    *rest = 0;
    for (unsigned i = 0; i < 64; i++) {
        uint64_t bit = (uint64_t)1 << i;
        if (!(status & bit))
            continue;
        const char *id = bit <= UINT32_MAX ? rscp_ems_status_bit_id((uint32_t)bit) : NULL;
        if (id && n < cap)
            ids[n++] = id;
        else
            *rest |= bit;
    }
    return n;
}

void cli_json_status_names(FILE *f, uint64_t status)
{
    const char *ids[64];
    uint64_t rest;
    size_t n = cli_status_ids(status, ids, sizeof ids / sizeof ids[0], &rest);
    fputc('[', f);
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputc(',', f);
        cli_json_string(f, ids[i], strlen(ids[i]));
    }
    if (rest) {
        char hex[24];
        snprintf(hex, sizeof hex, "0x%llx", (unsigned long long)rest);
        if (n)
            fputc(',', f);
        cli_json_string(f, hex, strlen(hex));
    }
    fputc(']', f);
}

static void json_int(const char *key, bool have, int64_t v)
{
    printf(",\"%s\":", key);
    if (have)
        printf("%lld", (long long)v);
    else
        fputs("null", stdout);
}

static void json_num(const char *key, bool have, double v)
{
    printf(",\"%s\":", key);
    if (have)
        cli_json_number(stdout, v);
    else
        fputs("null", stdout);
}

/* The device-local time of a reading, or "" without the offset. */
static void local_of(const struct cli_live_reading *r, char *buf, size_t cap)
{
    buf[0] = '\0';
    if (r->have_offset)
        cli_format_local_time(r->live.time.seconds + r->utc_offset, buf, cap);
}

static void print_json(const struct cli_live_reading *r)
{
    const struct rscp_live *l = &r->live;
    char t[64], lt[64];
    cli_format_time(l->time.seconds, l->time.nanoseconds, t, sizeof t);
    local_of(r, lt, sizeof lt);
    fputs("{\"time\":", stdout);
    cli_json_string(stdout, t, strlen(t));
    fputs(",\"local_time\":", stdout);
    if (r->have_offset)
        cli_json_string(stdout, lt, strlen(lt));
    else
        fputs("null", stdout);
    json_int("utc_offset_seconds", r->have_offset, r->utc_offset);
    json_int("seconds", true, l->time.seconds);
    json_int("nanoseconds", true, l->time.nanoseconds);
    json_int("pv", l->present & RSCP_LIVE_PV, l->pv);
    json_int("battery", l->present & RSCP_LIVE_BAT, l->bat);
    json_int("grid", l->present & RSCP_LIVE_GRID, l->grid);
    json_int("house", l->present & RSCP_LIVE_HOME, l->home);
    json_int("wallbox_all", l->present & RSCP_LIVE_WB_ALL, l->wb_all);
    json_int("wallbox_solar", l->present & RSCP_LIVE_WB_SOLAR, l->wb_solar);
    json_int("additional", l->present & RSCP_LIVE_ADD, l->add);
    json_num("soc", l->present & RSCP_LIVE_SOC, l->soc);
    json_num("autarky", l->present & RSCP_LIVE_AUTARKY, l->autarky);
    json_num("self_consumption", l->present & RSCP_LIVE_SELF_CONSUMPTION, l->self_consumption);
    fputs(",\"status\":", stdout);
    if (l->present & RSCP_LIVE_STATUS)
        printf("%llu", (unsigned long long)l->status);
    else
        fputs("null", stdout);
    fputs(",\"status_names\":", stdout);
    if (l->present & RSCP_LIVE_STATUS)
        cli_json_status_names(stdout, l->status);
    else
        fputs("null", stdout);
    printf(",\"device_errors\":%u}\n", l->device_errors);
}

static void row_power(const char *label, bool have, int64_t v, const char *pos, const char *neg)
{
    if (!have) {
        printf("  %-18s %10s\n", label, "n/a");
        return;
    }
    const char *note = v > 0 ? pos : v < 0 ? neg : NULL;
    printf("  %-18s %8lld W%s%s%s\n", label, (long long)v, note ? "  (" : "", note ? note : "", note ? ")" : "");
}

static void row_pct(const char *label, bool have, double v)
{
    if (have)
        printf("  %-18s %8.1f %%\n", label, v);
    else
        printf("  %-18s %10s\n", label, "n/a");
}

static void print_table(const struct cli_live_reading *r)
{
    const struct rscp_live *l = &r->live;
    char t[64], lt[64], off[16];
    cli_format_time(l->time.seconds, 0, t, sizeof t);
    local_of(r, lt, sizeof lt);
    if (r->have_offset) {
        cli_format_utc_offset(r->utc_offset, off, sizeof off);
        printf("Reading at %s, device local time %s (UTC%s)\n", t, lt, off);
    } else {
        printf("Reading at %s\n", t);
    }
    row_power("PV", l->present & RSCP_LIVE_PV, l->pv, NULL, NULL);
    row_power("Battery", l->present & RSCP_LIVE_BAT, l->bat, "charging", "discharging");
    row_power("Grid", l->present & RSCP_LIVE_GRID, l->grid, "import", "export");
    row_power("House", l->present & RSCP_LIVE_HOME, l->home, NULL, NULL);
    row_power("Wallbox (all)", l->present & RSCP_LIVE_WB_ALL, l->wb_all, NULL, NULL);
    row_power("Wallbox (solar)", l->present & RSCP_LIVE_WB_SOLAR, l->wb_solar, NULL, NULL);
    row_power("Additional", l->present & RSCP_LIVE_ADD, l->add, NULL, NULL);
    row_pct("State of charge", l->present & RSCP_LIVE_SOC, l->soc);
    row_pct("Autarky", l->present & RSCP_LIVE_AUTARKY, l->autarky);
    row_pct("Self-consumption", l->present & RSCP_LIVE_SELF_CONSUMPTION, l->self_consumption);
    if (l->present & RSCP_LIVE_STATUS) {
        char names[256];
        rscp_ems_status_format(l->status, names, sizeof names);
        printf("  %-18s %s (0x%04llx)\n", "EMS status", names, (unsigned long long)l->status);
    }
    if (l->device_errors)
        printf("  (%u value%s answered with a device error)\n", l->device_errors, l->device_errors == 1 ? "" : "s");
}

void cli_live_print(const struct cli_live_reading *r, bool json)
{
    if (json)
        print_json(r);
    else
        print_table(r);
}

int cli_parse_seconds(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v > 0) || v > 86400.0 * 365)
        return -1;
    *out = v;
    return 0;
}

int cli_cmd_live(int argc, char **argv)
{
    struct cli_opts o;
    cli_opts_init(&o, "live", argc, argv);
    struct cli_conn conn = {0};
    bool json = false;
    double watch = 0;
    long count = 0;
    int id, rc = 0;
    while (rc == 0 && (id = cli_opts_next(&o, live_opts)) != -1) {
        switch (id) {
        case CLI_OPT_BAD: rc = CLI_EXIT_USAGE; break;
        case OPT_HELP: help(); cli_conn_free(&conn); return CLI_EXIT_OK;
        case OPT_JSON: json = true; break;
        case OPT_WATCH:
            if (cli_parse_seconds(o.arg, &watch) != 0)
                rc = cli_usage_error("live", "bad --watch '%s' (seconds > 0)", o.arg);
            break;
        case OPT_COUNT: {
            char *end;
            count = strtol(o.arg, &end, 10);
            if (*end || end == o.arg || count <= 0)
                rc = cli_usage_error("live", "bad --count '%s' (readings, > 0)", o.arg);
            break;
        }
        case 0: rc = cli_usage_error("live", "unexpected argument '%s'", o.arg); break;
        default: rc = cli_conn_option(&conn, "live", id, o.arg); break;
        }
    }
    if (rc == 0 && count > 0 && watch <= 0)
        rc = cli_usage_error("live", "--count needs --watch");
    rscp_client *c = NULL;
    if (rc == 0)
        rc = cli_conn_resolve(&conn, "live");
    if (rc == 0)
        rc = cli_connect(&conn, &c);
    if (rc == 0)
        rc = cli_live_run(c, json, watch, count);
    rscp_client_free(c);
    cli_conn_free(&conn);
    return rc;
}
