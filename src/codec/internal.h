/* Internal helpers of the codec: bounds checks and shared constants. */
#ifndef RSCP_CODEC_INTERNAL_H
#define RSCP_CODEC_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "rscp/value.h"

/* The one bounds check for peer data: true when [p, p + n) lies inside
 * [p, end). Every read of received bytes goes through it first. */
#define RSCP__HAVE(p, end, n) ((size_t)((end) - (p)) >= (size_t)(n))

/* Wire constants of the frame header. */
#define RSCP__MAGIC0 0xE3u
#define RSCP__MAGIC1 0xDCu
#define RSCP__CTRL_VERSION_MASK 0x0F00u
#define RSCP__CTRL_VERSION_1 0x0100u
#define RSCP__CTRL_CRC_FLAG 0x1000u
#define RSCP__CTRL_RESERVED 0xE0FFu
#define RSCP__CTRL_LEGACY_NOCRC 0x1000u /* "00 10": version 0 with the CRC flag */
#define RSCP__NANOS_PER_SEC 1000000000u

/* Limits to use when the caller passes NULL. */
static inline struct rscp_limits rscp__limits_or_default(const struct rscp_limits *l)
{
    return l ? *l : rscp_limits_default();
}

#endif
