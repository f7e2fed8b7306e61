/* librscp: shared definitions for every public header.
 *
 * RSCP_API marks the functions exported from the shared library; everything
 * else is built with hidden visibility. */
#ifndef RSCP_COMMON_H
#define RSCP_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(RSCP_BUILDING_LIBRARY) && defined(__GNUC__)
#define RSCP_API __attribute__((visibility("default")))
#else
#define RSCP_API
#endif

/* C linkage for the declarations when a header is included from C++. */
#ifdef __cplusplus
#define RSCP_BEGIN_DECLS extern "C" {
#define RSCP_END_DECLS }
#else
#define RSCP_BEGIN_DECLS
#define RSCP_END_DECLS
#endif

#endif
