/* librscp: version of the headers and of the linked library. */
#ifndef RSCP_VERSION_H
#define RSCP_VERSION_H

#include "rscp/common.h"

#define RSCP_VERSION_MAJOR 0
#define RSCP_VERSION_MINOR 1
#define RSCP_VERSION_PATCH 0
#define RSCP_VERSION_STRING "0.1.0"
/* One number that grows with every release: 0x00MMmmpp. */
#define RSCP_VERSION_NUMBER \
    ((RSCP_VERSION_MAJOR << 16) | (RSCP_VERSION_MINOR << 8) | RSCP_VERSION_PATCH)

RSCP_BEGIN_DECLS

/* Version string of the library actually linked ("0.1.0"); compare with
 * RSCP_VERSION_STRING to detect a header/library mismatch. Static storage;
 * thread-safe. */
RSCP_API const char *rscp_version(void);

/* RSCP_VERSION_NUMBER of the linked library. Thread-safe. */
RSCP_API unsigned rscp_version_number(void);

RSCP_END_DECLS

#endif
