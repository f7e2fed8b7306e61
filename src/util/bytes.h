/* Little-endian loads and stores. Peer data is always read through these,
 * never through pointer casts. Internal header. */
#ifndef RSCP_UTIL_BYTES_H
#define RSCP_UTIL_BYTES_H

#include <stdint.h>
#include <string.h>

static inline uint16_t rscp_load16_le(const uint8_t *p)
{
    return (uint16_t)(p[0] | (uint16_t)p[1] << 8);
}

static inline uint32_t rscp_load32_le(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t rscp_load64_le(const uint8_t *p)
{
    return (uint64_t)rscp_load32_le(p) | (uint64_t)rscp_load32_le(p + 4) << 32;
}

static inline void rscp_store16_le(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static inline void rscp_store32_le(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static inline void rscp_store64_le(uint8_t *p, uint64_t v)
{
    rscp_store32_le(p, (uint32_t)v);
    rscp_store32_le(p + 4, (uint32_t)(v >> 32));
}

#endif
