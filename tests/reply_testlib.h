/* Reply frames built by hand for the typed-API tests (header-only: each
 * test is one program). */
#ifndef RSCP_TEST_REPLY_TESTLIB_H
#define RSCP_TEST_REPLY_TESTLIB_H

#include "harness.h"
#include "rscp/builder.h"
#include "rscp/frame.h"
#include "rscp/value.h"

/* Start a frame with CRC in buf[0..cap). */
static inline void reply_begin(struct rscp_builder *b, uint8_t *buf, size_t cap)
{
    struct rscp_timestamp ts = {1782037800, 0};
    CHECK_INT(rscp_builder_begin_frame(b, buf, cap, &ts, true), 0);
}

/* Finish the frame begun on buf and decode it into *f (views into buf). */
static inline void reply_end(struct rscp_builder *b, const uint8_t *buf, struct rscp_frame *f)
{
    size_t n = 0;
    CHECK_INT(rscp_builder_finish(b, &n), 0);
    CHECK_INT(rscp_frame_decode(buf, n, NULL, f, NULL), 0);
}

/* Bare request blocks: start writing into buf. */
static inline void blocks_begin(struct rscp_builder *b, uint8_t *buf, size_t cap)
{
    rscp_builder_init(b, buf, cap);
}

/* Length of the blocks written (0 after an error, which is checked). */
static inline size_t blocks_end(struct rscp_builder *b)
{
    size_t n = 0;
    CHECK_INT(rscp_builder_finish(b, &n), 0);
    return n;
}

/* The block at path[0..n) in data[0..len); a failed lookup is a test
 * failure and leaves *out zeroed. */
static inline struct rscp_block blocks_at(const uint8_t *data, size_t len, const uint32_t *path, size_t n)
{
    struct rscp_block out = {0};
    CHECK_INT(rscp_find_path(data, len, path, n, &out), 0);
    return out;
}

#endif
