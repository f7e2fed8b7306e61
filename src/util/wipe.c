/* A memset the optimiser cannot remove: called through a volatile function
 * pointer, so the stores are not known to be dead. */
#include "util/wipe.h"

#include <string.h>

static void *(*const volatile wipe_memset)(void *, int, size_t) = memset;

void rscp_util_wipe(void *p, size_t n)
{
    if (p && n)
        wipe_memset(p, 0, n);
}
