/* Names of device error codes and authentication levels. */
#include "rscp/tags.h"

#include "dict/tags_data.h"

const char *rscp_device_error_name(uint32_t code)
{
    size_t lo = 0, hi = RSCP__DEVICE_ERROR_COUNT;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint32_t v = rscp__device_errors[mid].code;
        if (v == code)
            return rscp__device_errors[mid].name;
        if (v < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const char *rscp_auth_level_name(int level)
{
    /* Seven entries: a scan is the binary search's equal here. */
    for (size_t i = 0; i < RSCP__AUTH_LEVEL_COUNT; i++)
        if (rscp__auth_levels[i].level == level)
            return rscp__auth_levels[i].name;
    return NULL;
}
