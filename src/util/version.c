#include "rscp/version.h"

const char *rscp_version(void)
{
    return RSCP_VERSION_STRING;
}

unsigned rscp_version_number(void)
{
    return RSCP_VERSION_NUMBER;
}
