/* rscp info: identity, software, network and clock of the device. */
#include "cli.h"

#include "rscp/api.h"
#include "rscp/error.h"

#include <string.h>

static const struct cli_optdef info_opts[] = {
    CLI_OPT_HELP,
    CLI_OPT_JSON,
    CLI_OPTS_CONN,
    CLI_OPT_END,
};

static void help(void)
{
    fputs("Usage: rscp info [OPTIONS]\n"
          "\n"
          "Serial number, production date, software release, MAC and IP address,\n"
          "time zone, the device's local time and UTC time (one request frame).\n"
          "\n"
          "Options:\n"
          "  -j, --json   {\"serial_number\", \"production_date\", \"sw_release\",\n"
          "                \"mac_address\", \"ip_address\", \"time_zone\", \"local_time\",\n"
          "                \"utc_time\", \"utc_offset_seconds\", \"device_errors\"};\n"
          "               values the device did not give are null\n"
          "  plus the connection options of 'rscp --help'.\n"
          "\n"
          "Exit status: 0 ok; 1 device error block; 2 usage; 3 connection;\n"
          "4 authentication; 5 timeout; 6 protocol.\n",
          stdout);
}

static int fill_info(void *ctx, struct rscp_builder *b)
{
    (void)ctx;
    return rscp_info_request(b);
}

/* sep, then "key": the string v, or null when the device did not give it. */
static void json_str(const char *sep, const char *key, bool have, const char *v)
{
    printf("%s\"%s\":", sep, key);
    if (have)
        cli_json_string(stdout, v, strlen(v));
    else
        fputs("null", stdout);
}

/* lt, ut: the local and UTC time as text; off: the offset to UTC when have_off. */
static void print_json(const struct rscp_info *info, const char *lt, const char *ut, bool have_off, int32_t off)
{
    uint32_t p = info->present;
    json_str("{", "serial_number", p & RSCP_INFO_SERIAL, info->serial);
    json_str(",", "production_date", p & RSCP_INFO_PRODUCTION_DATE, info->production_date);
    json_str(",", "sw_release", p & RSCP_INFO_SW_RELEASE, info->sw_release);
    json_str(",", "mac_address", p & RSCP_INFO_MAC, info->mac);
    json_str(",", "ip_address", p & RSCP_INFO_IP, info->ip);
    json_str(",", "time_zone", p & RSCP_INFO_TIME_ZONE, info->time_zone);
    json_str(",", "local_time", p & RSCP_INFO_TIME, lt);
    json_str(",", "utc_time", p & RSCP_INFO_UTC_TIME, ut);
    if (have_off)
        printf(",\"utc_offset_seconds\":%d", (int)off);
    else
        fputs(",\"utc_offset_seconds\":null", stdout);
    printf(",\"device_errors\":%u}\n", info->device_errors);
}

static void print_table(const struct rscp_info *info, const char *lt, const char *ut, bool have_off, int32_t off)
{
    uint32_t p = info->present;
    const char *na = "n/a";
    printf("  %-18s %s\n", "Serial number", p & RSCP_INFO_SERIAL ? info->serial : na);
    printf("  %-18s %s\n", "Production date", p & RSCP_INFO_PRODUCTION_DATE ? info->production_date : na);
    printf("  %-18s %s\n", "Software release", p & RSCP_INFO_SW_RELEASE ? info->sw_release : na);
    printf("  %-18s %s\n", "MAC address", p & RSCP_INFO_MAC ? info->mac : na);
    printf("  %-18s %s\n", "IP address", p & RSCP_INFO_IP ? info->ip : na);
    printf("  %-18s %s\n", "Time zone", p & RSCP_INFO_TIME_ZONE ? info->time_zone : na);
    printf("  %-18s %s\n", "Local time", p & RSCP_INFO_TIME ? lt : na);
    printf("  %-18s %s\n", "UTC time", p & RSCP_INFO_UTC_TIME ? ut : na);
    if (have_off) {
        char o[16];
        cli_format_utc_offset(off, o, sizeof o);
        printf("  %-18s %s\n", "UTC offset", o);
    }
}

int cli_cmd_info(int argc, char **argv)
{
    struct cli_opts o;
    cli_opts_init(&o, "info", argc, argv);
    struct cli_conn conn = {0};
    bool json = false;
    int id, rc = 0;
    while (rc == 0 && (id = cli_opts_next(&o, info_opts)) != -1) {
        switch (id) {
        case CLI_OPT_BAD: rc = CLI_EXIT_USAGE; break;
        case OPT_HELP: help(); cli_conn_free(&conn); return CLI_EXIT_OK;
        case OPT_JSON: json = true; break;
        case 0: rc = cli_usage_error("info", "unexpected argument '%s'", o.arg); break;
        default: rc = cli_conn_option(&conn, "info", id, o.arg); break;
        }
    }
    rscp_client *c = NULL;
    struct rscp_frame reply;
    if (rc == 0)
        rc = cli_conn_resolve(&conn, "info");
    if (rc == 0)
        rc = cli_connect(&conn, &c);
    if (rc == 0)
        rc = cli_request(c, fill_info, NULL, &reply);
    struct rscp_info info;
    if (rc == 0) {
        int prc = rscp_info_parse(&reply, &info);
        if (prc < 0) {
            cli_error("malformed reply: %s", rscp_strerror(prc));
            rc = CLI_EXIT_PROTOCOL;
        } else if (info.present == 0 && info.device_errors == 0) {
            cli_error("the reply holds none of the requested values (%u data bytes)", (unsigned)reply.data_len);
            rc = CLI_EXIT_PROTOCOL;
        }
    }
    if (rc == 0) {
        char lt[64] = "", ut[64] = "";
        int32_t off = 0;
        bool have_off = rscp_info_utc_offset(&info, &off) == 0;
        if (info.present & RSCP_INFO_TIME)
            cli_format_local_time(info.time.seconds, lt, sizeof lt);
        if (info.present & RSCP_INFO_UTC_TIME)
            cli_format_time(info.utc_time.seconds, 0, ut, sizeof ut);
        if (json)
            print_json(&info, lt, ut, have_off, off);
        else
            print_table(&info, lt, ut, have_off, off);
        if (info.device_errors) {
            cli_report_device_errors(&reply);
            rc = CLI_EXIT_DEVICE;
        }
    }
    rscp_client_free(c);
    cli_conn_free(&conn);
    return rc;
}
