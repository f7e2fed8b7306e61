/* rscp settings and rscp idle-periods: the power settings, the reserve and
 * the system specs; the idle periods. */
#include "plant_cli.h"

static void help_settings(void)
{
    fputs("Usage: rscp settings [OPTIONS]\n"
          "\n"
          "The power settings (limits in force, charge and discharge limits,\n"
          "discharge start, weather-regulated charge, power save), the emergency\n"
          "reserve and the system specs the writes are checked against. One\n"
          "request frame.\n"
          "\n"
          "Options:\n"
          "  -j, --json   {\"limits_used\", \"max_charge\", \"max_discharge\",\n"
          "               \"discharge_start\" (W), \"weather_regulated\", \"power_save\",\n"
          "               \"reserve_percent\", \"reserve_wh\", \"reserve_max_wh\",\n"
          "               \"specs\": {name: value}}; values not given are null\n"
          "  plus the connection options of 'rscp --help'.\n"
          "\n"
          "Exit status: 0 ok; 2 usage; 3 connection; 4 authentication; 5 timeout;\n"
          "6 protocol.\n",
          stdout);
}

int cli_cmd_settings(int argc, char **argv)
{
    return cli_plant_show("settings", argc, argv, help_settings, 0, CLI_PR_SETTINGS | CLI_PR_SPECS | CLI_PR_RESERVE,
                          cli_print_settings);
}

static void help_idle(void)
{
    fputs("Usage: rscp idle-periods [OPTIONS]\n"
          "\n"
          "The idle periods: per weekday the windows (device local time) in which\n"
          "the battery does not charge or does not discharge, and whether they are\n"
          "enabled. One request frame. 'rscp set idle-periods' reads the JSON form.\n"
          "\n"
          "Options:\n"
          "  -j, --json   {\"enabled\", \"periods\": [{\"type\": \"charge\"|\"discharge\",\n"
          "               \"day\": \"monday\"..\"sunday\", \"active\", \"start\": \"HH:MM\",\n"
          "               \"end\": \"HH:MM\"}]}\n"
          "  plus the connection options of 'rscp --help'.\n"
          "\n"
          "Exit status: 0 ok; 2 usage; 3 connection; 4 authentication; 5 timeout;\n"
          "6 protocol.\n",
          stdout);
}

int cli_cmd_idle_periods(int argc, char **argv)
{
    return cli_plant_show("idle-periods", argc, argv, help_idle, 0, CLI_PR_IDLE, cli_print_idle);
}
