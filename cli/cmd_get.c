/* rscp get: any tags (with container syntax) or a JSON request; prints the
 * reply dump. */
#include "cli.h"
#include "json_parse.h"

#include "rscp/api.h"
#include "rscp/dump.h"
#include "rscp/error.h"

#include <stdlib.h>
#include <string.h>

enum { OPT_JSON_REQUEST = 100, OPT_PRETTY };

static const struct cli_optdef get_opts[] = {
    CLI_OPT_HELP,
    CLI_OPT_JSON,
    CLI_OPTS_CONN,
    {"json-request", 'f', true, OPT_JSON_REQUEST},
    {"show-secrets", 0, false, OPT_SHOW_SECRETS},
    {"pretty", 0, false, OPT_PRETTY},
    CLI_OPT_END,
};

static void help(void)
{
    fputs("Usage: rscp get [OPTIONS] TAG [TAG...]\n"
          "       rscp get [OPTIONS] --json-request FILE|-\n"
          "\n"
          "Send one request frame and print the reply. Each TAG is a name from\n"
          "'rscp tags' or a number; containers take their children in braces:\n"
          "  rscp get EMS.REQ_POWER_PV EMS.REQ_BAT_SOC\n"
          "  rscp get 'BAT.REQ_DATA{BAT.INDEX=0,BAT.REQ_RSOC,BAT.REQ_CURRENT}'\n"
          "  rscp get 'BAT.REQ_DATA{BAT.INDEX:UINT16=0,BAT.REQ_DEVICE_NAME}'\n"
          "Syntax: TAG[:TYPE][=VALUE | {ITEM,...}]. The value's type comes from the\n"
          "dictionary; ':TYPE' overrides it. Values: integers (decimal or 0x..),\n"
          "true/false, numbers, text (\"quoted\" when it holds , or }), hex for\n"
          "BYTEARRAY/BITFIELD, SECONDS[.FRACTION] for TIMESTAMP.\n"
          "\n"
          "Options:\n"
          "  -f, --json-request FILE  the request in the JSON form of 'rscp encode'\n"
          "                           (a frame object or an array of blocks; '-' stdin),\n"
          "                           or go-rscp's tuple form: [\"EMS_REQ_POWER_PV\",\n"
          "                           [\"EMS_REQ_START_MANUAL_CHARGE\", 3000],\n"
          "                           [TAG, \"Uint32\", VALUE], [CONTAINER, [REQUEST...]]]\n"
          "  -j, --json               the reply as JSON (see rscp(1))\n"
          "      --pretty             indent the JSON\n"
          "      --show-secrets       print secret values in clear\n"
          "  plus the connection options of 'rscp --help'.\n"
          "\n"
          "Exit status: 0 ok; 1 the reply holds a device error block; 2 usage;\n"
          "3 connection; 4 authentication; 5 timeout; 6 protocol, invalid JSON\n"
          "request, or a reply without any block.\n",
          stdout);
}

struct get_req {
    const char **specs;
    size_t n;
    const struct json_value *blocks;
    char err[512];
};

static int fill_get(void *ctx, struct rscp_builder *b)
{
    struct get_req *r = ctx;
    if (r->blocks)
        return cli_json_put_blocks(b, r->blocks, r->err, sizeof r->err) < 0 ? RSCP_ERR_ARG : 0;
    for (size_t i = 0; i < r->n; i++)
        if (cli_spec_put(b, r->specs[i], r->err, sizeof r->err) < 0)
            return RSCP_ERR_ARG;
    return rscp_builder_error(b);
}

/* Check the request offline before connecting. */
static int check_request(struct get_req *r)
{
    static uint8_t buf[RSCP_MAX_FRAME_SIZE];
    struct rscp_builder b;
    rscp_builder_init(&b, buf, sizeof buf);
    int rc = fill_get(r, &b);
    if (rc == RSCP_ERR_ARG)
        return -1;
    size_t n;
    if (rc == 0)
        rc = rscp_builder_finish(&b, &n);
    if (rc == 0 && n > RSCP_MAX_DATA_LEN)
        rc = RSCP_ERR_VALUE_TOO_LONG;
    if (rc < 0) {
        snprintf(r->err, sizeof r->err, "%s", rscp_strerror(rc));
        return -1;
    }
    return 0;
}

int cli_cmd_get(int argc, char **argv)
{
    struct cli_opts o;
    cli_opts_init(&o, "get", argc, argv);
    struct cli_conn conn = {0};
    bool json = false, show = false, pretty = false;
    const char *json_path = NULL;
    struct get_req req = {0};
    req.specs = calloc((size_t)argc + 1, sizeof *req.specs);
    if (!req.specs)
        return CLI_EXIT_PROTOCOL;
    int id, rc = 0;
    while (rc == 0 && (id = cli_opts_next(&o, get_opts)) != -1) {
        switch (id) {
        case CLI_OPT_BAD: rc = CLI_EXIT_USAGE; break;
        case OPT_HELP:
            help();
            free(req.specs);
            cli_conn_free(&conn);
            return CLI_EXIT_OK;
        case OPT_JSON: json = true; break;
        case OPT_SHOW_SECRETS: show = true; break;
        case OPT_PRETTY: pretty = true; break;
        case OPT_JSON_REQUEST: json_path = o.arg; break;
        case 0: req.specs[req.n++] = o.arg; break;
        default: rc = cli_conn_option(&conn, "get", id, o.arg); break;
        }
    }
    if (rc == 0 && json_path && req.n)
        rc = cli_usage_error("get", "give either TAGs or --json-request, not both");
    if (rc == 0 && !json_path && !req.n)
        rc = cli_usage_error("get", "no TAG given");

    struct json_value *doc = NULL;
    if (rc == 0 && json_path) {
        size_t len;
        char *text = NULL;
        char err[512];
        rc = cli_read_json_input(json_path, &text, &len);
        if (rc) {
            /* reported */
        } else if (json_parse(text, len, &doc, err, sizeof err) != 0) {
            cli_error("%s: invalid JSON: %s", json_path, err);
            rc = CLI_EXIT_PROTOCOL;
        } else {
            /* A frame object, an array holding one frame, or an array of blocks. */
            const struct json_value *d = doc;
            if (d->kind == JSON_ARRAY && d->n == 1 && json_get(d->items[0], "blocks"))
                d = d->items[0];
            req.blocks = d->kind == JSON_OBJECT ? json_get(d, "blocks") : d;
            if (!req.blocks) {
                cli_error("%s: a frame object needs \"blocks\"", json_path);
                rc = CLI_EXIT_PROTOCOL;
            }
        }
        free(text);
    }
    /* A bad TAG argument is a usage error; bad JSON input is invalid input
     * (exit 6, as for rscp encode). */
    if (rc == 0 && check_request(&req) < 0) {
        if (json_path) {
            cli_error("%s: %s", json_path, req.err);
            rc = CLI_EXIT_PROTOCOL;
        } else {
            rc = cli_usage_error("get", "%s", req.err);
        }
    }

    rscp_client *c = NULL;
    struct rscp_frame reply;
    if (rc == 0)
        rc = cli_conn_resolve(&conn, "get");
    if (rc == 0)
        rc = cli_connect(&conn, &c);
    if (rc == 0)
        rc = cli_request(c, fill_get, &req, &reply);
    if (rc == 0) {
        unsigned flags = (show ? RSCP_DUMP_SHOW_SECRETS : 0u) | (pretty ? RSCP_DUMP_PRETTY : 0u);
        int drc = json ? rscp_json_frame(&reply, flags, cli_file_sink, stdout)
                       : rscp_dump_frame(&reply, flags, cli_file_sink, stdout);
        if (json)
            fputc('\n', stdout);
        int nerr = rscp_count_device_errors(reply.data, reply.data_len);
        if (drc < 0 || nerr < 0) {
            cli_error("malformed reply: %s", rscp_strerror(drc < 0 ? drc : nerr));
            rc = CLI_EXIT_PROTOCOL;
        } else if (reply.data_len == 0) {
            cli_error("the reply holds none of the requested values (no block at all)");
            rc = CLI_EXIT_PROTOCOL;
        } else if (nerr > 0) {
            rc = CLI_EXIT_DEVICE;
        }
    }
    rscp_client_free(c);
    json_free(doc);
    free(req.specs);
    cli_conn_free(&conn);
    return rc;
}
