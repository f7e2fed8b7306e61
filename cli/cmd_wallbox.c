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
          "                        [--phases 1|3] [--abort | --resume] [--min-current A]\n"
          "                        [--auto-phase on|off] [--battery-to-car on|off]\n"
          "                        [--battery-until PCT] [--battery-before-car on|off]\n"
          "                        [--enforce-power on|off] [OPTIONS]\n"
          "\n"
          "The wallboxes the device has: mode, car plugged/locked/charging, charge\n"
          "current and its bounds, phases, power (all and solar) and energy.\n"
          "'set' reads the wallbox, checks the request against the wallbox's own\n"
          "current bounds, sends WB.REQ_SET_EXTERN with a toggle only where the\n"
          "state differs from what is wanted, reads the state back and prints\n"
          "before -> after. Nothing to change: nothing is sent (exit 0).\n"
          "The other settings are sent as asked, in one frame after it (before it\n"
          "when the minimum current goes down), and read back too.\n"
          "\n"
          "Options:\n"
          "      --index N      the wallbox (WB.INDEX 0..7; default: the first found)\n"
          "      --mode MODE    sun (surplus only) or mixed\n"
          "      --current A    charge current in A (the wallbox's bounds, else 6..32)\n"
          "      --phases N     1 or 3\n"
          "      --abort        suspend charging\n"
          "      --resume       resume charging\n"
          "      --min-current A  the least charge current (6 A .. the wallbox's max\n"
          "                     and the current set; WB.REQ_SET_MIN_CHARGE_CURRENT)\n"
          "      --auto-phase on|off  the wallbox switches 1 <-> 3 phases by itself\n"
          "      --battery-to-car on|off  the battery may discharge into the car\n"
          "      --battery-until PCT  ... down to this SOC (0..100 %)\n"
          "      --battery-before-car on|off  the battery takes the surplus first\n"
          "      --enforce-power on|off  in mixed mode the car first: no battery\n"
          "                     charging while it charges\n"
          "  -j, --json   {\"wallboxes\": [{\"index\", \"connected\", \"plugged\", \"locked\",\n"
          "               \"charging\", \"suspended\", \"mode\": \"sun\"|\"mixed\", \"current\",\n"
          "               \"phases\", \"phases_in_use\", \"min_current\",\n"
          "               \"max_charge_current\", \"auto_phase_switch\", \"power\",\n"
          "               \"power_solar\", \"power_l1\"..\"power_l3\", \"energy_all\",\n"
          "               \"energy_solar\", \"soc\",\n"
          "               \"device_errors\"}]}; set: {\"index\", \"changed\": [names],\n"
          "               \"before\": {...}, \"after\": {...}} (with \"min_current\",\n"
          "               \"auto_phase_switch\" and, when one is set, \"battery_to_car\",\n"
          "               \"battery_until\", \"battery_before_car\", \"enforce_power\")\n"
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
    {"min-current", 0, true, CLI_WBX_MIN_CURRENT},
    {"auto-phase", 0, true, CLI_WBX_AUTO_PHASE},
    {"battery-to-car", 0, true, CLI_WBX_TO_CAR},
    {"battery-before-car", 0, true, CLI_WBX_BEFORE_CAR},
    {"battery-until", 0, true, CLI_WBX_UNTIL},
    {"enforce-power", 0, true, CLI_WBX_ENFORCE},
    CLI_OPT_END,
};

static void wb_state_json(struct cli_jw *w, const char *key, const struct rscp_wallbox *b,
                          const struct rscp_car_modes *m)
{
    bool st = b->present & RSCP_WB_STATUS;
    cli_jw_obj(w, key);
    cli_jw_int(w, "min_current", b->present & RSCP_WB_MIN_CURRENT, b->min_current);
    cli_jw_bool(w, "auto_phase_switch", b->present & RSCP_WB_AUTO_PHASE, b->auto_phase_switch);
    if (m)
        cli_wb_modes_json(w, m);
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
    struct cli_wb_extra extra;
    memset(&extra, 0, sizeof extra);
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
        case CLI_WBX_MIN_CURRENT:
        case CLI_WBX_AUTO_PHASE:
        case CLI_WBX_TO_CAR:
        case CLI_WBX_BEFORE_CAR:
        case CLI_WBX_UNTIL:
        case CLI_WBX_ENFORCE: rc = cli_wb_extra_option(&extra, id, o.arg); break;
        case 0: rc = cli_usage_error("wallbox set", "unexpected argument '%s'", o.arg); break;
        default: rc = cli_conn_option(&conn, "wallbox set", id, o.arg); break;
        }
    }
    if (rc == 0 && !want.set && !extra.set && !extra.cm_set)
        rc = cli_usage_error("wallbox set", "nothing to set: give --mode, --current, --phases, --abort, --resume, "
                                            "--min-current, --auto-phase or a battery-and-car option");
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
    struct rscp_car_modes modes_before, modes_after;
    memset(&before, 0, sizeof before); /* read below when rc == 0 */
    memset(&modes_before, 0, sizeof modes_before);
    bool min_first = false;
    if (rc == 0) {
        before = v->wb[index];
        /* Each check against the state the other change leaves: the current
         * above the new minimum, the minimum below the new current. */
        struct rscp_wallbox for_current = before, for_min = before;
        if (extra.set & CLI_WBX_MIN) {
            for_current.min_current = extra.min_a;
            for_current.present |= RSCP_WB_MIN_CURRENT;
            min_first = (before.present & RSCP_WB_MIN_CURRENT) && (int64_t)extra.min_a < before.min_current;
        }
        if (want.set & RSCP_WBT_CURRENT) {
            for_min.max_current = want.current_a;
            for_min.present |= RSCP_WB_MAX_CURRENT;
        }
        rc = cli_wb_extra_check(&extra, &for_min);
        struct rscp_wallbox_refusal why;
        if (rc == 0 && want.set && rscp_wallbox_target_check(&for_current, &want, &why) != 0) {
            if (why.field == RSCP_WBT_CURRENT)
                rc = cli_usage_error("wallbox set", "--current %lld A is out of range (allowed: %lld..%lld A%s)",
                                     (long long)why.value, (long long)why.min, (long long)why.max,
                                     (before.present & RSCP_WB_MAX_CHARGE_CURRENT) ? ", the wallbox's bounds" : "");
            else
                rc = cli_usage_error("wallbox set", "--phases %lld: 1 or 3", (long long)why.value);
        }
    }
    if (rc == 0 && extra.cm_set)
        rc = cli_wb_extra_read_modes(c, &modes_before);
    struct rscp_wallbox st_now = before; /* what the set request is built on */
    if (rc == 0 && min_first) {
        rc = cli_wb_extra_send(c, index, &extra);
        st_now.min_current = extra.min_a;
    }
    struct wb_set s = {index, &st_now, &want, 0};
    bool sent = false;
    struct rscp_frame reply;
    if (rc == 0 && want.set) {
        struct rscp_builder probe;
        uint8_t buf[256];
        rscp_builder_init(&probe, buf, sizeof buf);
        int prc = rscp_wallbox_set_request(&probe, index, &st_now, &want, &s.changed, NULL);
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
    if (rc == 0 && !min_first)
        rc = cli_wb_extra_send(c, index, &extra);
    bool extra_sent = extra.set || extra.cm_set;
    after = before;
    modes_after = modes_before;
    if (rc == 0 && extra.cm_set)
        rc = cli_wb_extra_read_modes(c, &modes_after);
    if (rc == 0 && (sent || extra_sent)) {
        struct wb_read r = {index};
        rc = cli_request(c, fill_read, &r, &reply);
        if (rc == 0 && rscp_wallbox_parse(&reply, index, &after) != 0) {
            cli_error("the wallbox state could not be read back");
            rc = CLI_EXIT_PROTOCOL;
        }
    }
    if (rc == 0) {
        bool ok = reached(&after, &want) && cli_wb_extra_reached(&extra, &after, &modes_after);
        const struct rscp_car_modes *mb = extra.cm_set ? &modes_before : NULL, *ma = extra.cm_set ? &modes_after : NULL;
        if (json) {
            struct cli_jw w;
            cli_jw_init(&w);
            cli_jw_obj(&w, NULL);
            cli_jw_uint(&w, "index", true, index);
            cli_jw_bool(&w, "sent", true, sent || extra_sent);
            cli_jw_arr(&w, "changed");
            static const char *const names[] = {"mode", "current", "phases", "suspended"};
            for (unsigned k = 0; k < 4; k++)
                if (s.changed & (1u << k))
                    cli_jw_str(&w, NULL, true, names[k]);
            cli_jw_end_arr(&w);
            wb_state_json(&w, "before", &before, mb);
            wb_state_json(&w, "after", &after, ma);
            cli_jw_bool(&w, "reached", true, ok);
            cli_jw_end_obj(&w);
            cli_jw_done(&w);
        } else {
            char b1[128], b2[128];
            wb_state_text(&before, b1, sizeof b1);
            wb_state_text(&after, b2, sizeof b2);
            if (want.set && !sent)
                printf("Wallbox %u: nothing to change (%s)\n", index, b1);
            else if (want.set)
                printf("Wallbox %u: %s -> %s\n", index, b1, b2);
            if (extra.set & CLI_WBX_MIN)
                printf("Wallbox %u: minimum current %lld A -> %lld A\n", index, (long long)before.min_current,
                       (long long)after.min_current);
            if (extra.set & CLI_WBX_PHASE)
                printf("Wallbox %u: automatic phase switch %s -> %s\n", index,
                       before.auto_phase_switch ? "on" : "off", after.auto_phase_switch ? "on" : "off");
            if (extra.cm_set) {
                char m1[160], m2[160];
                cli_wb_modes_text(&modes_before, m1, sizeof m1);
                cli_wb_modes_text(&modes_after, m2, sizeof m2);
                printf("Battery and car: %s\n                 -> %s\n", m1, m2);
            }
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
