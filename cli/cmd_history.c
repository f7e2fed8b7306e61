/* rscp history: DB history of a device-local day, week, month or year. */
#include "cli.h"
#include "civil.h" /* calendar arithmetic, shared with the simulator */

#include "rscp/api.h"
#include "rscp/error.h"
#include "rscp/tags.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_INTERVAL = 100, OPT_UTC_OFFSET };

static const struct cli_optdef history_opts[] = {
    CLI_OPT_HELP,
    CLI_OPT_JSON,
    CLI_OPTS_CONN,
    {"interval", 'i', true, OPT_INTERVAL},
    {"utc-offset", 0, true, OPT_UTC_OFFSET},
    CLI_OPT_END,
};

#define MAX_ROWS 400u

static void help(void)
{
    fputs("Usage: rscp history [OPTIONS] day|week|month|year [DATE]\n"
          "\n"
          "Energy totals and per-interval rows from the device's database\n"
          "(DB.REQ_HISTORY_DATA_*). DATE is device-local: YYYY-MM-DD for day and\n"
          "week (the week starting on the Monday of that day), YYYY-MM or\n"
          "YYYY-MM-DD for month, YYYY for year; default: today on the device.\n"
          "The start is sent as device-local wall time (the device reads it so);\n"
          "today is found from the device's clock (INFO.TIME, asked first).\n"
          "Intervals: 15 minutes for a day, days for a week and a month; a year\n"
          "is asked for in days and summed into calendar months.\n"
          "Columns: PV, the additional producers (DB.PM_0_POWER + PM_1_POWER),\n"
          "battery in and out, grid imp (import, from DB.GRID_POWER_OUT) and\n"
          "grid exp (export or feed-in, from DB.GRID_POWER_IN), house, autarky;\n"
          "pv + additional + grid imp + bat out = house + grid exp + bat in.\n"
          "\n"
          "Options:\n"
          "  -i, --interval SECONDS  another interval (>= 900; not with year)\n"
          "      --utc-offset SECONDS  device offset to UTC instead of asking\n"
          "  -j, --json   {\"range\", \"start\" (local date), \"start_seconds\" (as sent),\n"
          "                \"utc_offset_seconds\", \"interval_seconds\", \"span_seconds\",\n"
          "                \"totals\": ROW, \"rows\": [ROW...]};\n"
          "               ROW: {\"start\", \"pv\", \"additional\" (pm0 + pm1),\n"
          "                \"battery_in\", \"battery_out\", \"grid_import\", \"grid_export\",\n"
          "                \"house\", \"pm0\", \"pm1\" (Wh), \"soc\", \"autarky\",\n"
          "                \"consumed_production\" (%), \"cycles\", \"graph_index\"};\n"
          "               a value the device did not send is null\n"
          "  plus the connection options of 'rscp --help'.\n"
          "\n"
          "Exit status: 0 ok; 1 the device refused the range; 2 usage;\n"
          "3 connection; 4 authentication; 5 timeout; 6 protocol.\n",
          stdout);
}

static unsigned days_in_month(int64_t y, unsigned m)
{
    unsigned m2 = m == 12 ? 1 : m + 1;
    int64_t y2 = m == 12 ? y + 1 : y;
    return (unsigned)(sim_days_from_civil(y2, m2, 1) - sim_days_from_civil(y, m, 1));
}

/* Parse DATE: parts = 1 (YYYY), 2 (YYYY-MM) or 3 (YYYY-MM-DD). */
static int parse_date(const char *s, int64_t *y, unsigned *m, unsigned *d, int *parts)
{
    int yy, mm = 1, dd = 1, n = 0;
    char tail;
    int k = sscanf(s, "%4d-%2d-%2d%c", &yy, &mm, &dd, &tail);
    if (k == 3)
        n = 3;
    else if ((k = sscanf(s, "%4d-%2d%c", &yy, &mm, &tail)) == 2)
        n = 2;
    else if ((k = sscanf(s, "%4d%c", &yy, &tail)) == 1)
        n = 1;
    else
        return -1;
    if (yy < 1970 || yy > 2200 || mm < 1 || mm > 12)
        return -1;
    if (dd < 1 || (unsigned)dd > days_in_month(yy, (unsigned)mm))
        return -1;
    *y = yy;
    *m = (unsigned)mm;
    *d = (unsigned)dd;
    *parts = n;
    return 0;
}

/* "YYYY-MM-DD", or "YYYY-MM-DDThh:mm" when with_time or not at midnight. */
static void local_stamp(int64_t local_seconds, bool with_time, char *buf, size_t cap)
{
    int64_t y;
    unsigned m, d;
    int64_t days = local_seconds >= 0 ? local_seconds / 86400 : -((-local_seconds + 86399) / 86400);
    int64_t sod = local_seconds - days * 86400;
    sim_civil_from_days(days, &y, &m, &d);
    if (sod || with_time)
        snprintf(buf, cap, "%04lld-%02u-%02uT%02d:%02d", (long long)y, m, d, (int)(sod / 3600), (int)(sod % 3600 / 60));
    else
        snprintf(buf, cap, "%04lld-%02u-%02u", (long long)y, m, d);
}

static void local_date(int64_t local_seconds, char *buf, size_t cap)
{
    local_stamp(local_seconds, false, buf, cap);
}

struct hist_req {
    int range;
    int64_t start;
    uint32_t interval, span;
};

static int fill_info(void *ctx, struct rscp_builder *b)
{
    (void)ctx;
    return rscp_info_request(b);
}

static int fill_hist(void *ctx, struct rscp_builder *b)
{
    const struct hist_req *r = ctx;
    return rscp_history_request(b, r->range, r->start, r->interval, r->span);
}

static const char *range_names[] = {"day", "week", "month", "year"};

struct row {
    int64_t local_start;
    struct rscp_history_values v;
};

/* The additional producers' energy (DB.PM_0_POWER + PM_1_POWER). */
static double additional_of(const struct rscp_history_values *v)
{
    return v->pm0 + v->pm1;
}

/* 100 * (1 - part / whole) within 0..100, NAN when whole is not positive. */
static double share(double part, double whole)
{
    if (!(whole > 0))
        return NAN;
    double a = 100.0 * (1.0 - part / whole);
    return a < 0 ? 0 : a > 100 ? 100 : a;
}

static double autarky_of(const struct rscp_history_values *v)
{
    if (v->present & RSCP_HIST_AUTARKY)
        return v->autarky;
    return share(v->grid_out, v->home); /* grid_out: the import */
}

/* A field's value, or NAN when the device did not send it. */
static double field(const struct rscp_history_values *v, uint32_t bit, double value)
{
    return v->present & bit ? value : NAN;
}

/* ,"key":v with the shortest decimal that reads back as v; null when the
 * device did not give it (NaN). */
static void json_num(const char *key, double v)
{
    printf(",\"%s\":", key);
    cli_json_number(stdout, v);
}

static void json_row(const char *start, const struct rscp_history_values *v)
{
    fputs("{\"start\":", stdout);
    if (start)
        cli_json_string(stdout, start, strlen(start));
    else
        fputs("null", stdout);
    bool any_add = (v->present & (RSCP_HIST_PM0 | RSCP_HIST_PM1)) != 0;
    json_num("pv", field(v, RSCP_HIST_PV, v->pv));
    json_num("additional", any_add ? additional_of(v) : NAN);
    json_num("battery_in", field(v, RSCP_HIST_BAT_IN, v->bat_in));
    json_num("battery_out", field(v, RSCP_HIST_BAT_OUT, v->bat_out));
    json_num("grid_import", field(v, RSCP_HIST_GRID_OUT, v->grid_out)); /* DB.GRID_POWER_OUT */
    json_num("grid_export", field(v, RSCP_HIST_GRID_IN, v->grid_in));   /* DB.GRID_POWER_IN */
    json_num("house", field(v, RSCP_HIST_HOME, v->home));
    json_num("pm0", field(v, RSCP_HIST_PM0, v->pm0));
    json_num("pm1", field(v, RSCP_HIST_PM1, v->pm1));
    json_num("soc", field(v, RSCP_HIST_SOC, v->soc));
    json_num("autarky", autarky_of(v));
    json_num("consumed_production", field(v, RSCP_HIST_CONSUMED_PRODUCTION, v->consumed_production));
    json_num("cycles", field(v, RSCP_HIST_CYCLES, v->cycles));
    json_num("graph_index", field(v, RSCP_HIST_GRAPH_INDEX, v->graph_index));
    fputc('}', stdout);
}

static void table_row(const char *label, const struct rscp_history_values *v)
{
    double a = autarky_of(v);
    printf("%-17s %9.0f %9.0f %9.0f %9.0f %9.0f %9.0f %9.0f", label, v->pv, additional_of(v), v->bat_in,
           v->bat_out, v->grid_out, v->grid_in, v->home); /* import, export */
    if (isfinite(a))
        printf(" %6.1f\n", a);
    else
        printf(" %6s\n", "-");
}

/* Add one day's row to a month's row: energies and cycles add up, the
 * state of charge is the mean over the days (n_before days so far), and
 * autarky and consumed production follow from the sums. */
static void add_values(struct rscp_history_values *acc, const struct rscp_history_values *v, unsigned n_before)
{
    if (n_before == 0)
        acc->graph_index = v->graph_index;
    acc->pv += v->pv;
    acc->bat_in += v->bat_in;
    acc->bat_out += v->bat_out;
    acc->grid_in += v->grid_in;
    acc->grid_out += v->grid_out;
    acc->home += v->home;
    acc->pm0 += v->pm0;
    acc->pm1 += v->pm1;
    acc->cycles += v->cycles;
    acc->soc = (acc->soc * n_before + v->soc) / (n_before + 1);
    acc->present |= v->present;
    acc->autarky = share(acc->grid_out, acc->home);                              /* import */
    acc->consumed_production = share(acc->grid_in, acc->pv + acc->pm0 + acc->pm1); /* export */
    if (!isfinite(acc->autarky))
        acc->present &= ~RSCP_HIST_AUTARKY;
    if (!isfinite(acc->consumed_production))
        acc->present &= ~RSCP_HIST_CONSUMED_PRODUCTION;
}

/* What the command line asks for. */
struct hist_args {
    bool json;
    bool have_offset;   /* --utc-offset given                   */
    long offset;        /* --utc-offset                         */
    long interval;      /* --interval; 0: the range's default   */
    int range;          /* RSCP_HISTORY_*                       */
    const char *date_s; /* DATE, or NULL for today on the device */
    int64_t y;          /* DATE, when given                     */
    unsigned m, d;
};

/* The options and arguments into *a. Returns 0, CLI_EXIT_USAGE after a
 * message, or -1 after printing the help. */
static int parse_args(int argc, char **argv, struct cli_conn *conn, struct hist_args *a)
{
    struct cli_opts o;
    cli_opts_init(&o, "history", argc, argv);
    const char *range_s = NULL;
    int id, rc = 0;
    while (rc == 0 && (id = cli_opts_next(&o, history_opts)) != -1) {
        char *end;
        switch (id) {
        case CLI_OPT_BAD: rc = CLI_EXIT_USAGE; break;
        case OPT_HELP: help(); return -1;
        case OPT_JSON: a->json = true; break;
        case OPT_INTERVAL:
            errno = 0;
            a->interval = strtol(o.arg, &end, 10);
            if (errno || *end || end == o.arg || a->interval < 900 || a->interval > 366L * 86400)
                rc = cli_usage_error("history", "bad --interval '%s' (seconds, >= 900)", o.arg);
            break;
        case OPT_UTC_OFFSET:
            errno = 0;
            a->offset = strtol(o.arg, &end, 10);
            if (errno || *end || end == o.arg || a->offset < -86400 || a->offset > 86400)
                rc = cli_usage_error("history", "bad --utc-offset '%s' (seconds)", o.arg);
            a->have_offset = true;
            break;
        case 0:
            if (!range_s)
                range_s = o.arg;
            else if (!a->date_s)
                a->date_s = o.arg;
            else
                rc = cli_usage_error("history", "unexpected argument '%s'", o.arg);
            break;
        default: rc = cli_conn_option(conn, "history", id, o.arg); break;
        }
    }
    if (rc != 0)
        return rc;
    a->range = -1;
    for (int i = 0; range_s && i < 4; i++)
        if (strcmp(range_s, range_names[i]) == 0)
            a->range = i;
    if (a->range < 0)
        return range_s ? cli_usage_error("history", "unknown range '%s' (day, week, month, year)", range_s)
                       : cli_usage_error("history", "give a range: day, week, month or year");
    if (a->interval && a->range == RSCP_HISTORY_YEAR)
        return cli_usage_error("history", "--interval does not apply to year");
    if (!a->date_s)
        return 0;
    int parts = 0;
    if (parse_date(a->date_s, &a->y, &a->m, &a->d, &parts) != 0)
        return cli_usage_error("history", "bad DATE '%s' (YYYY-MM-DD, YYYY-MM or YYYY)", a->date_s);
    if ((a->range == RSCP_HISTORY_DAY || a->range == RSCP_HISTORY_WEEK) && parts != 3)
        return cli_usage_error("history", "a %s needs DATE as YYYY-MM-DD", range_names[a->range]);
    if (a->range == RSCP_HISTORY_MONTH && parts < 2)
        return cli_usage_error("history", "a month needs DATE as YYYY-MM");
    return 0;
}

/* The device's UTC time now and, unless have_offset, its offset to UTC,
 * from INFO.TIME and INFO.UTC_TIME. Returns 0 or an exit code after a
 * message. */
static int device_clock(rscp_client *c, bool have_offset, int32_t *offset, int64_t *now_utc)
{
    struct rscp_frame reply;
    int rc = cli_request(c, fill_info, NULL, &reply);
    if (rc != 0)
        return rc;
    struct rscp_info info;
    if (rscp_info_parse(&reply, &info) != 0) {
        *now_utc = reply.seconds;
        return 0;
    }
    *now_utc = info.present & RSCP_INFO_UTC_TIME ? info.utc_time.seconds : reply.seconds;
    if (have_offset || rscp_info_utc_offset(&info, offset) == 0)
        return 0;
    if (info.device_errors) {
        /* A busy device: guessing the day would give the wrong rows. */
        cli_report_device_errors(&reply);
        cli_error("cannot read the device's clock for the history request");
        return CLI_EXIT_DEVICE;
    }
    cli_warn("the device gave no INFO.TIME/UTC_TIME: taking its local time as UTC");
    *offset = 0;
    return 0;
}

/* The request for the range of a->range holding the local date y-m-d: the
 * day, its week from Monday, its month or its year. The start is the
 * device-local wall time of the first row's midnight, written as if it
 * were UTC (rscp_history_start_of_date: the device reads it so). Returns 0,
 * or -1 for a date out of the device's range. */
static int plan_request(const struct hist_args *a, int64_t y, unsigned m, unsigned d, struct hist_req *req)
{
    *req = (struct hist_req){a->range, 0, 86400, 0};
    int64_t first = sim_days_from_civil(y, m, d); /* the range's first day */
    switch (a->range) {
    case RSCP_HISTORY_DAY:
        req->interval = 900;
        req->span = 86400;
        break;
    case RSCP_HISTORY_WEEK:
        first -= (int64_t)sim_weekday(first);
        req->span = 7 * 86400;
        break;
    case RSCP_HISTORY_MONTH:
        first = sim_days_from_civil(y, m, 1);
        req->span = days_in_month(y, m) * 86400u;
        break;
    default:
        first = sim_days_from_civil(y, 1, 1);
        req->span = (uint32_t)(sim_days_from_civil(y + 1, 1, 1) - first) * 86400u;
        break;
    }
    if (a->interval)
        req->interval = (uint32_t)a->interval;
    int64_t fy;
    unsigned fm, fd;
    sim_civil_from_days(first, &fy, &fm, &fd);
    if (fy < 1970 || fy > 9999)
        return -1;
    return rscp_history_start_of_date((int)fy, (int)fm, (int)fd, &req->start) == 0 ? 0 : -1;
}

/* Totals and rows (at most MAX_ROWS) of the reply to a history request.
 * Returns 0, or an exit code after a message. */
static int read_reply(const struct rscp_frame *reply, int range, struct rscp_history_values *sum,
                      struct rscp_history_values *rows, size_t *nrows)
{
    uint32_t dev_err = 0;
    int prc = rscp_history_parse(reply, range, sum, rows, MAX_ROWS, nrows, &dev_err);
    if (prc == RSCP_ERR_DEVICE) {
        const char *name = rscp_device_error_name(dev_err);
        if (name)
            cli_error("the device refused the history request: %s", name);
        else
            cli_error("the device refused the history request: error 0x%08X", dev_err);
        return CLI_EXIT_DEVICE;
    }
    if (prc < 0 && cli_report_device_errors(reply) > 0) {
        cli_error("the device did not answer the history request");
        return CLI_EXIT_DEVICE;
    }
    if (prc < 0) {
        cli_error("malformed history reply: %s", rscp_strerror(prc));
        return CLI_EXIT_PROTOCOL;
    }
    if (*nrows > MAX_ROWS)
        *nrows = MAX_ROWS;
    return 0;
}

/* The rows with their local start (one interval apart from the request's
 * start); a year's days are summed into calendar months. Returns the
 * number of rows written to out. */
static size_t local_rows(const struct hist_req *req, const struct rscp_history_values *rows, size_t n,
                         struct row *out)
{
    size_t nout = 0;
    unsigned days = 0; /* days in out[nout - 1] so far */
    for (size_t i = 0; i < n; i++) {
        int64_t ls = req->start + (int64_t)i * req->interval;
        if (req->range != RSCP_HISTORY_YEAR) {
            out[nout].local_start = ls;
            out[nout++].v = rows[i];
            continue;
        }
        int64_t yy;
        unsigned mm, dd;
        sim_civil_from_days(ls / 86400, &yy, &mm, &dd);
        int64_t ms = sim_days_from_civil(yy, mm, 1) * 86400;
        if (nout == 0 || out[nout - 1].local_start != ms) {
            memset(&out[nout], 0, sizeof out[nout]);
            out[nout++].local_start = ms;
            days = 0;
        }
        add_values(&out[nout - 1].v, &rows[i], days++);
    }
    return nout;
}

static void print_json(const struct hist_req *req, int32_t offset, const struct rscp_history_values *sum,
                       const struct row *out, size_t nout)
{
    char sd[40];
    local_date(req->start, sd, sizeof sd);
    printf("{\"range\":\"%s\",\"start\":\"%s\",\"start_seconds\":%lld,\"utc_offset_seconds\":%d,"
           "\"interval_seconds\":%u,\"span_seconds\":%u,\"totals\":",
           range_names[req->range], sd, (long long)req->start, (int)offset,
           req->range == RSCP_HISTORY_YEAR ? 0u : req->interval, req->span);
    json_row(NULL, sum);
    fputs(",\"rows\":[", stdout);
    for (size_t i = 0; i < nout; i++) {
        char ls[40];
        local_stamp(out[i].local_start, req->interval % 86400 != 0, ls, sizeof ls);
        fputs(i ? ",\n" : "\n", stdout);
        json_row(ls, &out[i].v);
    }
    fputs(nout ? "\n]}\n" : "]}\n", stdout);
}

static void print_table(const struct hist_req *req, int32_t offset, const struct rscp_history_values *sum,
                        const struct row *out, size_t nout)
{
    char sd[40];
    local_date(req->start, sd, sizeof sd);
    printf("History of the %s from %s (device local time, UTC%+d:%02d), energies in Wh\n", range_names[req->range],
           sd, offset / 3600, (offset < 0 ? -offset : offset) % 3600 / 60);
    printf("%-17s %9s %9s %9s %9s %9s %9s %9s %6s\n", "start", "pv", "add.", "bat in", "bat out", "grid imp",
           "grid exp", "house", "aut.%");
    for (size_t i = 0; i < nout; i++) {
        char ls[40];
        local_stamp(out[i].local_start, req->interval % 86400 != 0, ls, sizeof ls);
        if (req->range == RSCP_HISTORY_YEAR)
            ls[7] = '\0';
        table_row(ls, &out[i].v);
    }
    table_row("total", sum);
}

int cli_cmd_history(int argc, char **argv)
{
    struct cli_conn conn = {0};
    struct hist_args a = {0};
    int rc = parse_args(argc, argv, &conn, &a);
    if (rc < 0) {
        cli_conn_free(&conn);
        return CLI_EXIT_OK;
    }
    rscp_client *c = NULL;
    if (rc == 0)
        rc = cli_conn_resolve(&conn, "history");
    if (rc == 0)
        rc = cli_connect(&conn, &c);

    int32_t offset = (int32_t)a.offset;
    int64_t now_utc = 0;
    if (rc == 0 && (!a.have_offset || !a.date_s))
        rc = device_clock(c, a.have_offset, &offset, &now_utc);
    struct hist_req req;
    struct rscp_frame reply;
    if (rc == 0) {
        int64_t y = a.y;
        unsigned m = a.m, d = a.d;
        if (!a.date_s) {
            /* Today on the device: its local wall time now, as if UTC. */
            int64_t local_now = rscp_history_start_of_instant(now_utc, offset);
            int64_t today = local_now / 86400;
            if (local_now < 0 && local_now % 86400 != 0)
                today--;
            sim_civil_from_days(today, &y, &m, &d);
        }
        if (plan_request(&a, y, m, d, &req) != 0) {
            cli_error("the range of %04lld-%02u-%02u starts before 1970", (long long)y, m, d);
            rc = CLI_EXIT_USAGE;
        }
        if (rc == 0)
            rc = cli_request(c, fill_hist, &req, &reply);
    }
    static struct rscp_history_values rows[MAX_ROWS];
    static struct row out[MAX_ROWS];
    struct rscp_history_values sum;
    size_t nrows = 0;
    if (rc == 0)
        rc = read_reply(&reply, a.range, &sum, rows, &nrows);
    if (rc == 0) {
        size_t nout = local_rows(&req, rows, nrows, out);
        if (a.json)
            print_json(&req, offset, &sum, out, nout);
        else
            print_table(&req, offset, &sum, out, nout);
    }
    rscp_client_free(c);
    cli_conn_free(&conn);
    return rc;
}
