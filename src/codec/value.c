/* Walking block sequences: the iterator, structure validation and lookup
 * by tag. Every step checks bounds before reading. */
#include "rscp/value.h"

#include "codec/internal.h"
#include "rscp/error.h"
#include "util/bytes.h"

struct rscp_limits rscp_limits_default(void)
{
    struct rscp_limits l = {
        .max_depth = RSCP_DEFAULT_MAX_DEPTH,
        .max_blocks = RSCP_DEFAULT_MAX_BLOCKS,
        .max_data_len = RSCP_DEFAULT_MAX_DATA_LEN,
        .flags = 0,
    };
    return l;
}

void rscp_iter_init(struct rscp_iter *it, const void *data, size_t len)
{
    const uint8_t *p = data;
    it->base = p;
    it->pos = p;
    it->end = p ? p + len : p;
    it->err = 0;
}

/* Parse the block header at p (bounded by end) into *out.
 * Returns 0, RSCP_ERR_TRUNCATED or RSCP_ERR_BLOCK_OVERRUN. */
static int parse_block(const uint8_t *p, const uint8_t *end, struct rscp_block *out)
{
    if (!RSCP__HAVE(p, end, RSCP_BLOCK_HEADER_SIZE))
        return RSCP_ERR_TRUNCATED;
    uint16_t len = rscp_load16_le(p + 5);
    if (!RSCP__HAVE(p + RSCP_BLOCK_HEADER_SIZE, end, len))
        return RSCP_ERR_BLOCK_OVERRUN;
    out->tag = rscp_load32_le(p);
    out->type = p[4];
    out->length = len;
    out->value = p + RSCP_BLOCK_HEADER_SIZE;
    return 0;
}

int rscp_iter_next(struct rscp_iter *it, struct rscp_block *out)
{
    if (it->err)
        return it->err;
    if (it->pos == it->end)
        return 0;
    struct rscp_block b;
    int rc = parse_block(it->pos, it->end, &b);
    if (rc) {
        /* pos stays on the offending block; end = pos sends the inline fast
         * path (rscp_iter_next_inline) here without a test of err. */
        it->err = rc;
        it->end = it->pos;
        return rc;
    }
    it->pos = b.value + b.length;
    *out = b;
    return 1;
}

size_t rscp_iter_offset(const struct rscp_iter *it)
{
    return (size_t)(it->pos - it->base);
}

int rscp_block_children(const struct rscp_block *b, struct rscp_iter *it)
{
    return rscp_block_children_inline(b, it);
}

void rscp_walk_init(struct rscp_walk *w, const void *data, size_t len)
{
    rscp_iter_init(&w->it, data, len);
    w->depth = 0;
    w->level = 0;
}

int rscp_walk_next(struct rscp_walk *w, struct rscp_block *out)
{
    return rscp_walk_next_inline(w, out);
}

int rscp_block_check(const struct rscp_block *b)
{
    int size = rscp_type_size(b->type);
    if (size >= 0 && b->length != (unsigned)size)
        return RSCP_ERR_LENGTH;
    return 0;
}

/* ---- validation ------------------------------------------------------- */

/* Container ends kept on the C stack per call of validate_seq(). Deeper
 * nesting (only possible with max_depth above this) recurses once per
 * VALIDATE_CHUNK levels, so the C stack stays small for any input: a frame
 * can nest at most 65,535 / 7 levels. */
#define VALIDATE_CHUNK 32u

struct walk {
    const struct rscp_limits *lim;
    const uint8_t *base;
    uint32_t blocks;
    size_t err_offset;
};

/* Check the blocks in [p, end), which sit at nesting level `level` (the
 * top level is 1), and everything inside them. */
static int validate_seq(struct walk *w, const uint8_t *p, const uint8_t *end, uint32_t level)
{
    const uint8_t *outer[VALIDATE_CHUNK];
    unsigned top = 0;
    for (;;) {
        if (p == end) {
            if (top == 0)
                return 0;
            end = outer[--top];
            level--;
            continue;
        }
        struct rscp_block b;
        int rc = parse_block(p, end, &b);
        if (rc == 0 && ++w->blocks > w->lim->max_blocks)
            rc = RSCP_ERR_TOO_MANY_BLOCKS;
        if (rc == 0 && b.type == RSCP_TYPE_CONTAINER && level > w->lim->max_depth)
            rc = RSCP_ERR_DEPTH;
        if (rc) {
            w->err_offset = (size_t)(p - w->base);
            return rc;
        }
        const uint8_t *vend = b.value + b.length;
        if (b.type != RSCP_TYPE_CONTAINER) {
            p = vend;
        } else if (top < VALIDATE_CHUNK) {
            outer[top++] = end;
            end = vend;
            p = b.value;
            level++;
        } else {
            rc = validate_seq(w, b.value, vend, level + 1);
            if (rc)
                return rc;
            p = vend;
        }
    }
}

int rscp_validate(const void *data, size_t len, const struct rscp_limits *limits, size_t *err_offset)
{
    struct rscp_limits lim = rscp__limits_or_default(limits);
    const uint8_t *p = data;
    if (!p && len)
        return RSCP_ERR_ARG;
    struct walk w = {.lim = &lim, .base = p, .blocks = 0, .err_offset = 0};
    int rc = p ? validate_seq(&w, p, p + len, 1) : 0;
    if (rc && err_offset)
        *err_offset = w.err_offset;
    return rc;
}

/* ---- lookup ----------------------------------------------------------- */

static int find_in(struct rscp_iter *it, uint32_t tag, struct rscp_block *out)
{
    struct rscp_block b;
    int rc;
    while ((rc = rscp_iter_next(it, &b)) == 1) {
        if (b.tag == tag) {
            *out = b;
            return 0;
        }
    }
    return rc ? rc : RSCP_ERR_NOT_FOUND;
}

int rscp_block_find(const struct rscp_block *container, uint32_t tag, struct rscp_block *out)
{
    struct rscp_iter it;
    int rc = rscp_block_children(container, &it);
    if (rc)
        return rc;
    return find_in(&it, tag, out);
}

int rscp_find(const void *data, size_t len, uint32_t tag, struct rscp_block *out)
{
    if (!data && len)
        return RSCP_ERR_ARG;
    struct rscp_iter it;
    rscp_iter_init(&it, data, len);
    return find_in(&it, tag, out);
}

int rscp_find_path(const void *data, size_t len, const uint32_t *path, size_t n, struct rscp_block *out)
{
    if (!path || n == 0)
        return RSCP_ERR_ARG;
    struct rscp_block cur;
    int rc = rscp_find(data, len, path[0], &cur);
    for (size_t i = 1; rc == 0 && i < n; i++)
        rc = rscp_block_find(&cur, path[i], &cur);
    if (rc == 0)
        *out = cur;
    return rc;
}
