/* rscp demo: start a simulator on a free loopback port and watch it. */
#include "cli.h"

int cli_cmd_demo(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli_error("this build has no simulator");
    return CLI_EXIT_PROTOCOL;
}
