/* Growable buffers wiped before they are freed (see wiped_buf.h). */
#include "util/wiped_buf.h"

#include "util/wipe.h"

#include "rscp/error.h"

#include <stdlib.h>
#include <string.h>

void rscp_util_wiped_release(uint8_t **buf, size_t *cap, size_t *used)
{
    if (*buf)
        rscp_util_wipe(*buf, *used);
    free(*buf);
    *buf = NULL;
    *cap = *used = 0;
}

int rscp_util_wiped_reserve(uint8_t **buf, size_t *cap, size_t *used, size_t keep, size_t need, size_t min_cap,
                            size_t max_cap)
{
    if (need > max_cap)
        need = max_cap;
    if (need <= *cap)
        return 0;
    size_t grown = min_cap;
    while (grown < need)
        grown *= 2;
    if (grown > max_cap)
        grown = max_cap;
    uint8_t *p = malloc(grown);
    if (!p)
        return RSCP_ERR_NOMEM;
    if (keep)
        memcpy(p, *buf, keep);
    rscp_util_wiped_release(buf, cap, used);
    *buf = p;
    *cap = grown;
    *used = keep;
    return 0;
}
