/* rscp battery: every battery string with its DCB modules and cells. */
#include "plant_cli.h"

static void help(void)
{
    fputs("Usage: rscp battery [OPTIONS]\n"
          "\n"
          "The battery strings the device has (found by discovery), each with state\n"
          "of charge, voltage, current, power, temperatures, capacities, state of\n"
          "health, cycles and status codes, and its DCB modules with their cell\n"
          "voltages and temperatures. Two request frames: discovery, then all.\n"
          "\n"
          "Options:\n"
          "  -j, --json   {\"batteries\": [{\"index\", \"name\", \"soc\", \"soc_real\", \"voltage\",\n"
          "               \"current\", \"power\", \"cycles\", \"status_code\", \"error_code\",\n"
          "               \"temp_min\", \"temp_max\", \"full_charge_capacity_ah\",\n"
          "               \"remaining_capacity_ah\", \"design_capacity_ah\", \"soh\",\n"
          "               \"dcb_count\", \"dcbs\": [{\"index\", \"soc\", \"soh\", \"voltage\",\n"
          "               \"current\", \"cycles\", \"temp_min\", \"temp_max\", \"serial_number\",\n"
          "               \"cells\": [{\"index\", \"voltage\", \"temperature\"}], \"device_errors\"}],\n"
          "               \"device_errors\"}]}; values not given are null\n"
          "  plus the connection options of 'rscp --help'.\n"
          "\n"
          "Exit status: 0 ok; 2 usage; 3 connection; 4 authentication; 5 timeout;\n"
          "6 protocol.\n",
          stdout);
}

static void print(struct cli_jw *w, const struct cli_plant_view *v, bool json)
{
    cli_print_batteries(w, v, json, true);
}

int cli_cmd_battery(int argc, char **argv)
{
    return cli_plant_show("battery", argc, argv, help, RSCP_PLANT_REQ_BATTERIES | RSCP_PLANT_REQ_DCBS, 0, print);
}
