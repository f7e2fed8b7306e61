/* rscp wallbox: the wallboxes; rscp wallbox set: mode, current, phases,
 * abort and resume from the wanted end state (toggles only where the state
 * differs, so a repeated set changes nothing). */
#include "plant_cli.h"

#include "rscp/error.h"
#include "rscp/wallbox_control.h"

#include <stdlib.h>
#include <string.h>

static void help(void)
{
    fputs("Usage: rscp wallbox [OPTIONS]\n"
          "       rscp wallbox set [--index N] [--mode sun|mixed] [--current A]\n"
          "                        [--phases 1|3] [--abort | --resume] [OPTIONS]\n"
          "\n"
          "The wallboxes the device has: mode, car plugged/locked/charging, charge\n"
          "current and its bounds, phases, power (all and solar) and energy.\n"
          "'set' reads the wallbox, checks the request against the wallbox's own\n"
          "current bounds, sends WB.REQ_SET_EXTERN with a toggle only where the\n"
          "state differs from what is wanted, reads the state back and prints\n"
          "before -> after. Nothing to change: nothing is sent (exit 0).\n"
          "\n"
          "Options:\n"
          "      --index N      the wallbox (WB.INDEX 0..7; default: the first found)\n"
          "      --mode MODE    sun (surplus only) or mixed\n"
          "      --current A    charge current in A (the wallbox's bounds, else 6..32)\n"
          "      --phases N     1 or 3\n"
          "      --abort        suspend charging\n"
          "      --resume       resume charging\n"
          "  -j, --json   {\"wallboxes\": [{\"index\", \"connected\", \"plugged\", \"locked\",\n"
          "               \"charging\", \"suspended\", \"mode\": \"sun\"|\"mixed\", \"current\",\n"
          "               \"phases\", \"phases_in_use\", \"min_current\",\n"
          "               \"max_charge_current\", \"auto_phase_switch\", \"power\",\n"
          "               \"power_solar\", \"power_l1\"..\"power_l3\", \"energy_all\",\n"
          "               \"energy_solar\", \"soc\",\n"
          "               \"device_errors\"}]}; set: {\"index\", \"changed\": [names],\n"
          "               \"before\": {...}, \"after\": {...}}\n"
          "  plus the connection options of 'rscp --help'.\n"
          "\n"
          "Exit status: 0 ok; 1 the device refused (or no such wallbox); 2 usage or\n"
          "a value out of range; 3 connection; 4 authentication; 5 timeout;\n"
          "6 protocol; 7 the device took the request but the state did not change.\n",
          stdout);
}

enum { OPT_INDEX = 100, OPT_MODE, OPT_CURRENT, OPT_PHASES, OPT_ABORT, OPT_RESUME };

static const struct cli_optdef set_opts[] = {
    CLI_OPT_HELP,
    CLI_OPT_JSON,
    CLI_OPTS_CONN,
    {"index", 0, true, OPT_INDEX},
    {"mode", 0, true, OPT_MODE},
    {"current", 0, true, OPT_CURRENT},
    {"phases", 0, true, OPT_PHASES},
    {"abort", 0, false, OPT_ABORT},
    {"resume", 0, false, OPT_RESUME},
    CLI_OPT_END,
};

static void wb_state_json(struct cli_jw *w, const char *key, const struct rscp_wallbox *b)
{
    bool st = b->present & RSCP_WB_STATUS;
    cli_jw_obj(w, key);
    cli_jw_str(w, "mode", st, b->sun_mode ? "sun" : "mixed");
    cli_jw_uint(w, "current", b->present & RSCP_WB_MAX_CURRENT, b->max_current);
    cli_jw_uint(w, "phases", b->present & RSCP_WB_PHASES_SET, b->phases);
    cli_jw_bool(w, "suspended", st, b->suspended);
    cli_jw_bool(w, "charging", st, b->charging);
    cli_jw_end_obj(w);
}

static void wb_state_text(const struct rscp_wallbox *b, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s mode, %u A, %llu phase%s, %s", b->sun_mode ? "sun" : "mixed", b->max_current,
             (unsigned long long)b->phases, b->phases == 1 ? "" : "s", b->suspended ? "suspended" : "not suspended");
}

struct wb_read {
    unsigned index;
};

static int fill_read(void *ctx, struct rscp_builder *b)
{
    const struct wb_read *r = ctx;
    return rscp_wallbox_request(b, r->index, RSCP_WB_REQ_ALL);
}

struct wb_set {
    unsigned index;
    const struct rscp_wallbox *state;
    const struct rscp_wallbox_target *want;
    uint32_t changed;
};

static int fill_set(void *ctx, struct rscp_builder *b)
{
    struct wb_set *s = ctx;
    int rc = rscp_wallbox_set_request(b, s->index, s->state, s->want, &s->changed, NULL);
    return rc < 0 ? rc : 0;
}

/* Whether the state has reached the target. */
static bool reached(const struct rscp_wallbox *b, const struct rscp_wallbox_target *t)
{
    if ((t->set & RSCP_WBT_MODE) && b->sun_mode != t->sun_mode)
        return false;
    if ((t->set & RSCP_WBT_CURRENT) && b->max_current != t->current_a)
        return false;
    if ((t->set & RSCP_WBT_PHASES) && b->phases != t->phases)
        return false;
    if ((t->set & RSCP_WBT_SUSPENDED) && b->suspended != t->suspended)
        return false;
    return true;
}

static int wallbox_set(int argc, char **argv)
{
    struct cli_opts o;
    cli_opts_init(&o, "wallbox set", argc, argv);
    struct cli_conn conn = {0};
    bool json = false, any_index = true;
    unsigned index = 0;
    struct rscp_wallbox_target want = {0};
    int id, rc = 0;
    int64_t n;
    while (rc == 0 && (id = cli_opts_next(&o, set_opts)) != -1) {
        switch (id) {
        case CLI_OPT_BAD: rc = CLI_EXIT_USAGE; break;
        case OPT_HELP: help(); cli_conn_free(&conn); return CLI_EXIT_OK;
        case OPT_JSON: json = true; break;
        case OPT_INDEX:
            rc = cli_parse_quantity("wallbox set", "--index", o.arg, cli_units_none, 0, RSCP_WB_MAX_WALLBOXES - 1, &n);
            if (rc == 0) {
                index = (unsigned)n;
                any_index = false;
            }
            break;
        case OPT_MODE:
            if (strcmp(o.arg, "sun") == 0 || strcmp(o.arg, "mixed") == 0) {
                want.set |= RSCP_WBT_MODE;
                want.sun_mode = o.arg[0] == 's';
            } else {
                rc = cli_usage_error("wallbox set", "unknown --mode '%s' (sun or mixed)", o.arg);
            }
            break;
        case OPT_CURRENT:
            rc = cli_parse_quantity("wallbox set", "--current", o.arg, cli_units_a, 1, 255, &n);
            if (rc == 0) {
                want.set |= RSCP_WBT_CURRENT;
                want.current_a = (uint8_t)n;
            }
            break;
        case OPT_PHASES:
            if (strcmp(o.arg, "1") == 0 || strcmp(o.arg, "3") == 0) {
                want.set |= RSCP_WBT_PHASES;
                want.phases = (uint8_t)(o.arg[0] - '0');
            } else {
                rc = cli_usage_error("wallbox set", "--phases '%s': 1 or 3", o.arg);
            }
            break;
        case OPT_ABORT:
        case OPT_RESUME:
            if ((want.set & RSCP_WBT_SUSPENDED) && want.suspended != (id == OPT_ABORT))
                rc = cli_usage_error("wallbox set", "--abort and --resume exclude each other");
            want.set |= RSCP_WBT_SUSPENDED;
            want.suspended = id == OPT_ABORT;
            break;
        case 0: rc = cli_usage_error("wallbox set", "unexpected argument '%s'", o.arg); break;
        default: rc = cli_conn_option(&conn, "wallbox set", id, o.arg); break;
        }
    }
    if (rc == 0 && !want.set)
        rc = cli_usage_error("wallbox set", "nothing to set: give --mode, --current, --phases, --abort or --resume");
    rscp_client *c = NULL;
    struct cli_plant_view *v = NULL;
    if (rc == 0)
        rc = cli_plant_connect_read(&conn, "wallbox set", RSCP_PLANT_REQ_WALLBOXES, 0, &c, &v);
    if (rc == 0 && any_index) {
        if (!v->plant.wallboxes) {
            cli_error("the device has no wallbox");
            rc = CLI_EXIT_DEVICE;
        }
        while (rc == 0 && !(v->plant.wallboxes & (1u << index)))
            index++;
    } else if (rc == 0 && !(v->plant.wallboxes & (1u << index))) {
        cli_error("the device has no wallbox %u", index);
        rc = CLI_EXIT_DEVICE;
    }
    struct rscp_wallbox before, after;
    if (rc == 0) {
        before = v->wb[index];
        struct rscp_wallbox_refusal why;
        if (rscp_wallbox_target_check(&before, &want, &why) != 0) {
            if (why.field == RSCP_WBT_CURRENT)
                rc = cli_usage_error("wallbox set", "--current %lld A is out of range (allowed: %lld..%lld A%s)",
                                     (long long)why.value, (long long)why.min, (long long)why.max,
                                     (before.present & RSCP_WB_MAX_CHARGE_CURRENT) ? ", the wallbox's bounds" : "");
            else
                rc = cli_usage_error("wallbox set", "--phases %lld: 1 or 3", (long long)why.value);
        }
    }
    struct wb_set s = {index, &before, &want, 0};
    bool sent = false;
    struct rscp_frame reply;
    if (rc == 0) {
        struct rscp_builder probe;
        uint8_t buf[256];
        rscp_builder_init(&probe, buf, sizeof buf);
        int prc = rscp_wallbox_set_request(&probe, index, &before, &want, &s.changed, NULL);
        if (prc == RSCP_ERR_NOT_FOUND) {
            cli_error("wallbox %u did not report the state a change needs (status, current or phases)", index);
            rc = CLI_EXIT_DEVICE;
        } else if (prc < 0) {
            cli_error("cannot build the request: %s", rscp_strerror(prc));
            rc = CLI_EXIT_PROTOCOL;
        } else if (prc == 1) {
            sent = true;
        }
    }
    if (rc == 0 && sent) {
        rc = cli_request(c, fill_set, &s, &reply);
        uint32_t derr = 0;
        int prc = rc ? 0 : rscp_wallbox_set_parse(&reply, index, &derr);
        if (rc == 0 && prc == RSCP_ERR_DEVICE) {
            cli_error("the device refused the wallbox set: %s", cli_device_error_text(derr));
            rc = CLI_EXIT_DEVICE;
        } else if (rc == 0 && prc < 0) {
            rc = cli_write_reply_failed(&reply, prc, "the wallbox set");
        }
    }
    after = before;
    if (rc == 0 && sent) {
        struct wb_read r = {index};
        rc = cli_request(c, fill_read, &r, &reply);
        if (rc == 0 && rscp_wallbox_parse(&reply, index, &after) != 0) {
            cli_error("the wallbox state could not be read back");
            rc = CLI_EXIT_PROTOCOL;
        }
    }
    if (rc == 0) {
        bool ok = reached(&after, &want);
        if (json) {
            struct cli_jw w;
            cli_jw_init(&w);
            cli_jw_obj(&w, NULL);
            cli_jw_uint(&w, "index", true, index);
            cli_jw_bool(&w, "sent", true, sent);
            cli_jw_arr(&w, "changed");
            static const char *const names[] = {"mode", "current", "phases", "suspended"};
            for (unsigned k = 0; k < 4; k++)
                if (s.changed & (1u << k))
                    cli_jw_str(&w, NULL, true, names[k]);
            cli_jw_end_arr(&w);
            wb_state_json(&w, "before", &before);
            wb_state_json(&w, "after", &after);
            cli_jw_bool(&w, "reached", true, ok);
            cli_jw_end_obj(&w);
            cli_jw_done(&w);
        } else {
            char b1[128], b2[128];
            wb_state_text(&before, b1, sizeof b1);
            wb_state_text(&after, b2, sizeof b2);
            if (!sent)
                printf("Wallbox %u: nothing to change (%s)\n", index, b1);
            else
                printf("Wallbox %u: %s -> %s\n", index, b1, b2);
        }
        if (!ok) {
            cli_error("the device took the wallbox set but the state did not change (ignored by the device)");
            rc = CLI_EXIT_IGNORED;
        }
    }
    free(v);
    rscp_client_free(c);
    cli_conn_free(&conn);
    return rc;
}

int cli_cmd_wallbox(int argc, char **argv)
{
    int k = cli_plant_first_positional(argc, argv);
    if (k > 0 && strcmp(argv[k], "set") == 0) {
        memmove(argv + k, argv + k + 1, sizeof *argv * (size_t)(argc - k)); /* with the NULL */
        return wallbox_set(argc - 1, argv);
    }
    return cli_plant_show("wallbox", argc, argv, help, RSCP_PLANT_REQ_WALLBOXES, 0, cli_print_wallboxes);
}
