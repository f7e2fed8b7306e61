/* Growable byte buffers that may hold secrets (decrypted frames, an
 * authentication request): the bytes ever written are wiped before the
 * memory is freed. Internal header. */
#ifndef RSCP_UTIL_WIPED_BUF_H
#define RSCP_UTIL_WIPED_BUF_H

#include <stddef.h>
#include <stdint.h>

/* Wipe (*buf)[0..*used) and free it; *buf = NULL, *cap = *used = 0. */
void rscp_util_wiped_release(uint8_t **buf, size_t *cap, size_t *used);

/* Make *buf hold at least need bytes (need is first clamped to max_cap):
 * a new buffer of min_cap times a power of two (at most max_cap) gets the
 * first keep bytes (keep <= *cap), the old one is released as above and
 * *used becomes keep. Nothing happens when *cap is already enough.
 * Returns 0, or RSCP_ERR_NOMEM with nothing changed. */
int rscp_util_wiped_reserve(uint8_t **buf, size_t *cap, size_t *used, size_t keep, size_t need, size_t min_cap,
                            size_t max_cap);

#endif
