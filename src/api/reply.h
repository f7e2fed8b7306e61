/* Finding one answer in a reply frame, with the device's ERROR blocks as
 * data: shared by the typed control requests. Internal header. */
#ifndef RSCP_API_REPLY_H
#define RSCP_API_REPLY_H

#include <stdint.h>

#include "rscp/frame.h"
#include "rscp/value.h"

/* The top-level block with this tag in f. Returns 0 and *out (not an ERROR
 * block); RSCP_ERR_DEVICE with *device_error (may be NULL) set when the
 * block is an ERROR block; RSCP_ERR_NOT_FOUND; or a structure error met
 * before the tag. */
int rscp__reply_find(const struct rscp_frame *f, uint32_t tag, struct rscp_block *out, uint32_t *device_error);

/* Same, for an answer that must be a container: RSCP_ERR_TYPE when the
 * block is another (non-ERROR) type. */
int rscp__reply_container(const struct rscp_frame *f, uint32_t tag, struct rscp_block *out,
                          uint32_t *device_error);

/* The child with this tag of a container, with the same returns as
 * rscp__reply_find() (and RSCP_ERR_TYPE when container is none). */
int rscp__child_find(const struct rscp_block *container, uint32_t tag, struct rscp_block *out,
                     uint32_t *device_error);

/* An integer answer (any integer type, rscp_block_get_int()) at the top
 * level of f: the returns of rscp__reply_find(), and those of the read. */
int rscp__reply_int(const struct rscp_frame *f, uint32_t tag, int64_t *v, uint32_t *device_error);

#endif
