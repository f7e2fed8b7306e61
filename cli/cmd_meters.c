/* rscp meters: the power meters with type, power, voltage and energy per phase. */
#include "plant_cli.h"

static void help(void)
{
    fputs("Usage: rscp meters [OPTIONS]\n"
          "\n"
          "The power meters the device has (PM index 0..7), each with its type,\n"
          "power, voltage and energy per phase; the root (grid) meter is marked\n"
          "(+ import). Two request frames: discovery, then all.\n"
          "\n"
          "Options:\n"
          "  -j, --json   {\"meters\": [{\"index\", \"type\", \"type_name\", \"root\", \"power\",\n"
          "               \"power_l1\"..\"power_l3\", \"voltage_l1\"..\"voltage_l3\",\n"
          "               \"energy_l1\"..\"energy_l3\", \"active_phases\", \"device_errors\"}]}\n"
          "  plus the connection options of 'rscp --help'.\n"
          "\n"
          "Exit status: 0 ok; 2 usage; 3 connection; 4 authentication; 5 timeout;\n"
          "6 protocol.\n",
          stdout);
}

int cli_cmd_meters(int argc, char **argv)
{
    return cli_plant_show("meters", argc, argv, help, RSCP_PLANT_REQ_METERS, 0, cli_print_meters);
}
