/* A reply the handler could not write (too large for one frame, or a
 * builder error) becomes ERROR blocks for what is missing, never silence:
 * the complete top-level blocks written before the failure are kept when
 * there is room for the errors too. */
#include <stdlib.h>
#include <string.h>

#include "rscp/error.h"
#include "rscp/value.h"
#include "server/server_internal.h"

#define ERROR_BLOCK_SIZE (RSCP_BLOCK_HEADER_SIZE + 4u)
#define MAX_TOP_BLOCKS (RSCP_MAX_DATA_LEN / RSCP_BLOCK_HEADER_SIZE + 1u)
#define TAG_GENERAL_ERROR 0x00FFFFFFu /* RSCP.GENERAL_ERROR */

static int cmp_tag(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* The reply blocks kept, by tag, each answering one request block. */
struct answers {
    uint32_t tags[MAX_TOP_BLOCKS]; /* sorted */
    bool used[MAX_TOP_BLOCKS];
    size_t n;
};

static void answers_init(struct answers *a, const uint32_t *tags, size_t n)
{
    memcpy(a->tags, tags, n * sizeof *tags);
    qsort(a->tags, n, sizeof *a->tags, cmp_tag);
    memset(a->used, 0, n);
    a->n = n;
}

/* Take an unused reply block of tag want: true when there was one. */
static bool answers_take(struct answers *a, uint32_t want)
{
    size_t lo = 0, hi = a->n;
    while (lo < hi) { /* first index with tags[i] >= want */
        size_t mid = lo + (hi - lo) / 2;
        if (a->tags[mid] < want)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < a->n && a->tags[lo] == want; lo++) {
        if (!a->used[lo]) {
            a->used[lo] = true;
            return true;
        }
    }
    return false;
}

/* Request blocks without a reply block of their response tag among the
 * first n of tags (in reply order); with put, also append their ERROR. */
static size_t missing(const struct rscp_frame *req, const uint32_t *tags, size_t n, struct answers *a,
                      struct rscp_builder *put, uint32_t code)
{
    struct rscp_iter it;
    struct rscp_block blk;
    size_t count = 0;
    answers_init(a, tags, n);
    rscp_frame_iter(req, &it);
    while (rscp_iter_next(&it, &blk) == 1) {
        uint32_t want = blk.tag | RSCP_TAG_RESPONSE_BIT;
        if (!answers_take(a, want)) {
            count++;
            if (put)
                rscp_put_error(put, want, code);
        }
    }
    return count;
}

static size_t count_blocks(const struct rscp_frame *req)
{
    struct rscp_iter it;
    struct rscp_block blk;
    size_t n = 0;
    rscp_frame_iter(req, &it);
    while (rscp_iter_next(&it, &blk) == 1)
        n++;
    return n;
}

struct rscp_server_fit {
    uint32_t tags[MAX_TOP_BLOCKS];
    uint32_t ends[MAX_TOP_BLOCKS]; /* data bytes up to the end of block i */
    struct answers answers;
};

void rscp_server__reply_fit(rscp_server *s, struct rscp_builder *b, const struct rscp_frame *request, int err)
{
    uint32_t code = err == RSCP_ERR_NOSPACE || err == RSCP_ERR_VALUE_TOO_LONG ? RSCP_SERVER_ERR_TOO_LARGE
                                                                               : RSCP_SERVER_ERR_HANDLER;
    /* The complete top-level blocks: up to the outermost open container. */
    size_t cut = b->depth ? b->open[0] : b->pos;
    size_t start = b->data_start;
    if (!s->fit)
        s->fit = malloc(sizeof *s->fit); /* first use; kept with the server */
    if (!s->fit) {
        s->stats.alloc_failures++;
        b->pos = start;
        b->depth = 0;
        b->err = 0;
        rscp_put_error(b, TAG_GENERAL_ERROR, code);
        return;
    }
    uint32_t *tags = s->fit->tags, *ends = s->fit->ends;
    struct answers *answers = &s->fit->answers;
    size_t kept = 0;
    struct rscp_iter it;
    struct rscp_block blk;
    rscp_iter_init(&it, b->buf + start, cut - start);
    while (kept < MAX_TOP_BLOCKS && rscp_iter_next(&it, &blk) == 1) {
        tags[kept] = blk.tag;
        ends[kept] = (uint32_t)rscp_iter_offset(&it);
        kept++;
    }
    size_t requests = count_blocks(request);
    size_t keep = 0; /* blocks kept */
    if (kept && ends[kept - 1] + missing(request, tags, kept, answers, NULL, 0) * ERROR_BLOCK_SIZE <=
                    RSCP_MAX_DATA_LEN) {
        keep = kept; /* all of them, with room for the missing errors */
    } else if (kept && requests * ERROR_BLOCK_SIZE < RSCP_MAX_DATA_LEN) {
        /* else the longest prefix with room for an error per request */
        size_t room = RSCP_MAX_DATA_LEN - requests * ERROR_BLOCK_SIZE;
        while (keep < kept && ends[keep] <= room)
            keep++;
    }
    /* Rewind the builder to the kept blocks (the reply's header stays). */
    b->pos = start + (keep ? ends[keep - 1] : 0);
    b->depth = 0;
    b->err = 0;
    if ((b->pos - start) + missing(request, tags, keep, answers, NULL, 0) * ERROR_BLOCK_SIZE <= RSCP_MAX_DATA_LEN)
        missing(request, tags, keep, answers, b, code);
    if (b->pos == start || b->err) {
        b->pos = start;
        b->err = 0;
        rscp_put_error(b, TAG_GENERAL_ERROR, code);
    }
}
