/* rscp-bridge: the bridge's hashes, not for security. FNV-1a (64 bits):
 * the stable shard of a site name (--shard K/N), the spread of first
 * connections, the change check of a site's secrets on reload. The word
 * hash: the topics and payloads of the published-value cache, hashed for
 * every value of every site each cycle (eight bytes a step, not one). */
#ifndef RSCP_BRIDGE_HASH_H
#define RSCP_BRIDGE_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

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

/* p[0..n) hashed eight bytes at a time (little or big endian alike give a
 * good hash, not the same one: for values kept in memory only). Each step
 * is a bijection of the word, so inputs of one length that differ in one
 * word never collide; the length seeds it. */
static inline uint64_t bridge_hash_words(const void *p, size_t n)
{
    const unsigned char *b = p;
    uint64_t h = 0x9e3779b97f4a7c15ull ^ ((uint64_t)n * 0xff51afd7ed558ccdull);
    for (; n >= 8; b += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, b, 8);
        h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
        h ^= h >> 31;
    }
    if (n) {
        uint64_t w = 0;
        for (size_t i = 0; i < n; i++)
            w |= (uint64_t)b[i] << (8 * i);
        h = (h ^ w) * 0x94d049bb133111ebull;
        h ^= h >> 29;
    }
    h *= 0xff51afd7ed558ccdull;
    return h ^ (h >> 32);
}

#endif
