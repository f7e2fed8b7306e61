/* Small helpers shared by the typed API. Tags are named by the generated
 * constants of rscp/tag_ids.h. Internal header. */
#ifndef RSCP_API_INTERNAL_H
#define RSCP_API_INTERNAL_H

#include "rscp/api.h"
#include "rscp/tag_ids.h"

/* The response tag of a request tag (bit 23 set). */
#define RSCP__RESPONSE(tag) ((uint32_t)(tag) | RSCP_TAG_RESPONSE_BIT)

/* One NONE block (a plain request) per tag of tags[0..n) into b. */
static inline void rscp__put_requests(struct rscp_builder *b, const uint32_t *tags, size_t n)
{
    for (size_t i = 0; i < n; i++)
        rscp_put_none(b, tags[i]);
}

/* Whether an ERROR block's tag answers a request of requests[0..n): the
 * request's response tag, or a GENERAL_ERROR (0xNNFFFFFF) of the RSCP
 * namespace (NN 00: the whole frame, e.g. a busy device) or of the
 * namespace of one of the requests. */
static inline bool rscp__error_answers(uint32_t tag, const uint32_t *requests, size_t n)
{
    /* the low 24 bits of RSCP.GENERAL_ERROR in any namespace */
    bool general = (tag & RSCP_TAG_RSCP_GENERAL_ERROR) == RSCP_TAG_RSCP_GENERAL_ERROR;
    if (general && RSCP_TAG_NAMESPACE(tag) == 0)
        return true;
    for (size_t i = 0; i < n; i++)
        if (tag == RSCP__RESPONSE(requests[i]) || (general && RSCP_TAG_NAMESPACE(tag) == RSCP_TAG_NAMESPACE(requests[i])))
            return true;
    return false;
}

/* The next top-level block of a reply that is not a device error. ERROR
 * blocks are data: one that answers a request of requests[0..n)
 * (rscp__error_answers()) is counted in *device_errors, every ERROR block
 * is skipped, so that a frame shared with other typed requests counts only
 * the caller's own. Returns as rscp_iter_next(): 1, 0 at the end, or a
 * structure error. */
static inline int rscp__next_answer(struct rscp_iter *it, struct rscp_block *blk, const uint32_t *requests, size_t n,
                                    uint32_t *device_errors)
{
    int rc;
    while ((rc = rscp_iter_next(it, blk)) == 1 && blk->type == RSCP_TYPE_ERROR)
        if (rscp__error_answers(blk->tag, requests, n))
            (*device_errors)++;
    return rc;
}

#endif
