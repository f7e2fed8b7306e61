/* rscp sim and rscp demo: the built-in device simulator. */
#include "cli.h"

#if defined(__has_include)
#if __has_include("sim.h")
#define CLI_HAVE_SIM 1
#include "sim.h"
#endif
#endif

int cli_cmd_sim(int argc, char **argv)
{
#ifdef CLI_HAVE_SIM
    return sim_command(argc, argv);
#else
    (void)argc;
    (void)argv;
    cli_error("this build has no simulator");
    return CLI_EXIT_PROTOCOL;
#endif
}
