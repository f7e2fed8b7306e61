/* rscp pv: the PV inverters, their DC trackers and AC phases. */
#include "plant_cli.h"

static void help(void)
{
    fputs("Usage: rscp pv [OPTIONS]\n"
          "\n"
          "The PV inverters the device has, per DC tracker power, voltage, current\n"
          "and energy, per AC phase the same, temperatures and the grid state. Two\n"
          "request frames: discovery, then all.\n"
          "\n"
          "Options:\n"
          "  -j, --json   {\"inverters\": [{\"index\", \"on_grid\", \"state\", \"frequency\",\n"
          "               \"phases\": [{\"power\", \"voltage\", \"current\", \"energy\"}],\n"
          "               \"temperatures\", \"device_errors\"}],\n"
          "               \"trackers\": [{\"inverter\", \"index\", \"power\", \"voltage\",\n"
          "               \"current\", \"energy\"}]}; values not given are null\n"
          "  plus the connection options of 'rscp --help'.\n"
          "\n"
          "Exit status: 0 ok; 2 usage; 3 connection; 4 authentication; 5 timeout;\n"
          "6 protocol.\n",
          stdout);
}

int cli_cmd_pv(int argc, char **argv)
{
    return cli_plant_show("pv", argc, argv, help, RSCP_PLANT_REQ_PVI, 0, cli_print_trackers);
}
