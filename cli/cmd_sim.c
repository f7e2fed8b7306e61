/* rscp sim and rscp demo: the built-in device simulator. */
#include "cli.h"

#include "sim.h"

int cli_cmd_sim(int argc, char **argv)
{
    return sim_command(argc, argv);
}
