/* Counting device error blocks in a reply. */
#include "api/api_internal.h"

static int count_level(const void *data, size_t len, unsigned depth)
{
    if (depth > RSCP_DEFAULT_MAX_DEPTH)
        return RSCP_ERR_DEPTH;
    struct rscp_iter it;
    struct rscp_block blk;
    int rc, n = 0;
    rscp_iter_init(&it, data, len);
    while ((rc = rscp_iter_next(&it, &blk)) == 1) {
        if (blk.type == RSCP_TYPE_ERROR) {
            n++;
        } else if (blk.type == RSCP_TYPE_CONTAINER) {
            int k = count_level(blk.value, blk.length, depth + 1);
            if (k < 0)
                return k;
            n += k;
        }
    }
    return rc < 0 ? rc : n;
}

int rscp_count_device_errors(const void *data, size_t len)
{
    if (!data && len > 0)
        return RSCP_ERR_ARG;
    return count_level(data, len, 1);
}
