/* rscp: command-line tool for E3/DC devices speaking RSCP. */
#include "cli.h"

#include "rscp/version.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#if defined(__linux__)
#include <sys/prctl.h>
#endif

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

static const struct command commands[] = {
    {"live", cli_cmd_live, "power flows, state of charge and autarky (one round trip)"},
    {"info", cli_cmd_info, "serial number, software release, network and clock"},
    {"status", cli_cmd_status, "the whole plant: live, batteries, PV, meters, wallboxes, settings"},
    {"battery", cli_cmd_battery, "battery strings, their DCB modules and cells"},
    {"pv", cli_cmd_pv, "PV inverters, DC trackers and AC phases"},
    {"meters", cli_cmd_meters, "power meters: type, power, voltage, energy per phase"},
    {"wallbox", cli_cmd_wallbox, "wallboxes; 'wallbox set': mode, current, phases, abort"},
    {"settings", cli_cmd_settings, "power settings, emergency reserve, system specs"},
    {"idle-periods", cli_cmd_idle_periods, "the idle periods (charge/discharge blocked)"},
    {"set", cli_cmd_set, "change limits, weather, powersave, reserve, idle periods"},
    {"power", cli_cmd_power, "hold auto, idle, charge, discharge or grid-charge"},
    {"charge", cli_cmd_charge, "manual charge, reported as started or ignored"},
    {"history", cli_cmd_history, "energy totals and intervals of a day, week, month or year"},
    {"get", cli_cmd_get, "request any tags, containers with parameters, or a JSON request"},
    {"decode", cli_cmd_decode, "decode captured frames (hex or binary, plain or encrypted)"},
    {"encode", cli_cmd_encode, "build frames from their JSON form (hex out, optionally encrypted)"},
    {"tags", cli_cmd_tags, "search the tag dictionary"},
    {"sim", cli_cmd_sim, "run the device simulator"},
    {"demo", cli_cmd_demo, "start a simulator and watch it live over encrypted TCP"},
};

static void usage(FILE *f)
{
    fputs("Usage: rscp [OPTIONS] COMMAND [ARGS...]\n"
          "       rscp COMMAND --help\n"
          "\n"
          "Talk to E3/DC home power stations over RSCP (port 5033, Rijndael-256\n"
          "encrypted), decode and build RSCP frames offline.\n"
          "\n"
          "Commands:\n",
          f);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
    fputs("\n"
          "Connection options (every command that talks to a device; also before\n"
          "COMMAND):\n"
          "  -H, --host HOST       device address              (RSCP_HOST)\n"
          "  -p, --port PORT       TCP port, default 5033       (RSCP_PORT)\n"
          "  -u, --user USER       portal user or local.user    (RSCP_USER)\n"
          "      --password PW     portal password (warns)      (RSCP_PASSWORD)\n"
          "      --key KEY         RSCP key of the device (warns) (RSCP_KEY)\n"
          "  -t, --timeout MS      connect and reply timeout    (RSCP_TIMEOUT)\n"
          "      --config FILE     config file                  (RSCP_CONFIG)\n"
          "Settings come from the command line, then the environment, then the\n"
          "config file ~/.config/rscp/config (lines 'key = value' with the keys\n"
          "host, port, user, password, key, timeout; keep it chmod 600).\n"
          "\n"
          "Output: tables for people; -j/--json for programs.\n"
          "\n"
          "Exit status:\n"
          "  0  success\n"
          "  1  the device answered with an error block\n"
          "  2  usage error\n"
          "  3  connection error (resolve, connect, closed, socket)\n"
          "  4  authentication refused, or no reply to it (RSCP key, or no free\n"
          "     connection on the device)\n"
          "  5  timeout\n"
          "  6  protocol or decoding error, invalid input\n"
          "  7  a write answered with success but not applied (ignored by the device)\n"
          "130  live --watch, demo or power stopped by Ctrl-C (143: SIGTERM)\n"
          "\n"
          "See rscp(1).\n",
          f);
}

/* Options that take a value and may come before COMMAND. */
static bool global_takes_value(const char *a)
{
    static const char *const with_value[] = {"--host", "--port",    "--user", "--password", "--key",
                                             "--timeout", "--config", "-H",     "-p",         "-u",
                                             "-t"};
    for (size_t i = 0; i < sizeof with_value / sizeof with_value[0]; i++)
        if (strcmp(a, with_value[i]) == 0)
            return true;
    return false;
}

/* The process holds the portal password and the RSCP key: no core dump
 * (and on Linux no ptrace attach by other processes of the user) may copy
 * them out. */
static void protect_secrets(void)
{
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_CORE, &none);
#if defined(__linux__)
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
}

int main(int argc, char **argv)
{
    protect_secrets();
    /* Leading options: remember them and pass them on to the command. */
    int i = 1;
    while (i < argc && argv[i][0] == '-' && argv[i][1] != '\0') {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return CLI_EXIT_OK;
        }
        if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
            printf("rscp %s (librscp %s)\n", RSCP_VERSION_STRING, rscp_version());
            return CLI_EXIT_OK;
        }
        if (strcmp(a, "--") == 0)
            break;
        if (global_takes_value(a)) {
            if (i + 1 >= argc)
                return cli_usage_error(NULL, "option %s needs a value", a);
            i += 2;
        } else {
            i++;
        }
    }
    if (i >= argc) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *name = argv[i];
    const struct command *cmd = NULL;
    for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++)
        if (strcmp(commands[k].name, name) == 0)
            cmd = &commands[k];
    if (!cmd)
        return cli_usage_error(NULL, "unknown command '%s'", name);

    /* argv for the command: name, leading options, then its own arguments. */
    char **sub = malloc(sizeof *sub * (size_t)(argc + 1));
    if (!sub) {
        cli_error("out of memory");
        return CLI_EXIT_PROTOCOL;
    }
    int n = 0;
    sub[n++] = argv[i];
    for (int k = 1; k < i; k++)
        sub[n++] = argv[k];
    for (int k = i + 1; k < argc; k++)
        sub[n++] = argv[k];
    sub[n] = NULL;
    int rc = cmd->run(n, sub);
    free(sub);
    fflush(stdout);
    if (ferror(stdout)) {
        cli_error("write error on standard output");
        return rc ? rc : CLI_EXIT_CONN;
    }
    return rc;
}
