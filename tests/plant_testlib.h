/* Helpers of the plant API tests (test_api_plant, _battery, _pvi, _pm,
 * _wallbox): reply frames built with the library's builder and decoded
 * again, as a client would receive them. */
#ifndef RSCP_PLANT_TESTLIB_H
#define RSCP_PLANT_TESTLIB_H

#include "harness.h"
#include "rscp/builder.h"
#include "rscp/frame.h"
#include "rscp/tag_ids.h"

#include <string.h>

/* Device error codes (PROTOCOL.md §3). */
#define PT_ERR_FORMAT 3u
#define PT_ERR_OUT_OF_BOUNDS 5u
#define PT_ERR_NOT_AVAILABLE 6u

struct pt_frame {
    uint8_t buf[32768];
    struct rscp_builder b;
    struct rscp_frame f;
    size_t len;
};

/* Start a reply frame in p->b. */
static inline void pt_begin(struct pt_frame *p)
{
    struct rscp_timestamp ts = {1700000000, 0};
    CHECK_INT(rscp_builder_begin_frame(&p->b, p->buf, sizeof p->buf, &ts, true), 0);
}

/* Finish and decode it into p->f. */
static inline const struct rscp_frame *pt_end(struct pt_frame *p)
{
    CHECK_INT(rscp_builder_finish(&p->b, &p->len), 0);
    CHECK_INT(rscp_frame_decode(p->buf, p->len, NULL, &p->f, NULL), 0);
    return &p->f;
}

/* Open a unit's reply container with its index as UINT16 (or UCHAR8). */
static inline void pt_unit(struct pt_frame *p, uint32_t data_tag, uint32_t index_tag, unsigned index)
{
    rscp_put_container_open(&p->b, data_tag);
    rscp_put_uint16(&p->b, index_tag, (uint16_t)index);
}

/* An indexed value container: tag { index_tag = k, value_tag = v }. */
static inline void pt_indexed(struct pt_frame *p, uint32_t tag, uint32_t index_tag, uint32_t value_tag,
                              unsigned k, float v)
{
    rscp_put_container_open(&p->b, tag);
    rscp_put_uint16(&p->b, index_tag, (uint16_t)k);
    rscp_put_float32(&p->b, value_tag, v);
    rscp_put_container_close(&p->b);
}

/* Count the blocks with tag t anywhere in data (to check requests). */
static inline int pt_count_tag(const void *data, size_t len, uint32_t t)
{
    struct rscp_walk w;
    struct rscp_block blk;
    int n = 0;
    rscp_walk_init(&w, data, len);
    while (rscp_walk_next(&w, &blk) == 1)
        if (blk.tag == t)
            n++;
    return n;
}

/* Build request blocks (no frame) with fn(&b, arg...) via a lambda-free
 * pattern: the caller writes into p->b after pt_blocks_begin(). */
static inline void pt_blocks_begin(struct pt_frame *p)
{
    rscp_builder_init(&p->b, p->buf, sizeof p->buf);
}

static inline size_t pt_blocks_end(struct pt_frame *p)
{
    CHECK_INT(rscp_builder_finish(&p->b, &p->len), 0);
    return p->len;
}

#endif
