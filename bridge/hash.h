/* rscp-bridge: FNV-1a (64 bits), the bridge's one hash: the stable shard
 * of a site name (--shard K/N), the spread of first connections, the
 * change check of a site's secrets on reload, and the topics and payloads
 * of the published-value cache. Not for security. */
#ifndef RSCP_BRIDGE_HASH_H
#define RSCP_BRIDGE_HASH_H

#include <stddef.h>
#include <stdint.h>

#define BRIDGE_FNV_OFFSET 0xcbf29ce484222325ull /* the starting value */

/* h continued over p[0..n). */
static inline uint64_t bridge_fnv1a(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

#endif
