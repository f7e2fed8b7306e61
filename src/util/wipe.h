/* Wiping secrets before memory is released. Internal header. */
#ifndef RSCP_UTIL_WIPE_H
#define RSCP_UTIL_WIPE_H

#include <stddef.h>

/* Set p[0..n) to zero in a way the compiler may not drop as a dead store
 * before free(). */
void rscp_util_wipe(void *p, size_t n);

#endif
