/* The table-driven filler of the typed API (see fields.h). */
#include "api/fields.h"

#include <math.h>
#include <string.h>

#include "rscp/error.h"
#include "rscp/types.h"

const struct rscp__field *rscp__field_find(const struct rscp__field *tab, size_t n, uint32_t tag)
{
    for (size_t i = 0; i < n; i++)
        if (tab[i].tag == tag)
            return &tab[i];
    return NULL;
}

static uint32_t store_string(const struct rscp__field *f, const struct rscp_block *blk, char *dst)
{
    const char *s;
    size_t n;
    if (f->size == 0 || rscp_block_get_string(blk, &s, &n) != 0)
        return 0;
    const char *nul = n ? memchr(s, '\0', n) : NULL;
    if (nul)
        n = (size_t)(nul - s);
    if (n > (size_t)f->size - 1u)
        n = (size_t)f->size - 1u;
    if (n)
        memcpy(dst, s, n);
    dst[n] = '\0';
    return f->bit;
}

uint32_t rscp__field_store(const struct rscp__field *f, const struct rscp_block *blk, void *base)
{
    unsigned char *dst = (unsigned char *)base + f->offset;
    switch (f->kind) {
    case RSCP__F_NUMBER: {
        double v;
        if (rscp_block_get_number(blk, &v) != 0 || !isfinite(v))
            return 0;
        memcpy(dst, &v, sizeof v);
        return f->bit;
    }
    case RSCP__F_INT: {
        int64_t v;
        if (rscp_block_get_int(blk, &v) != 0)
            return 0;
        memcpy(dst, &v, sizeof v);
        return f->bit;
    }
    case RSCP__F_UINT: {
        uint64_t v;
        if (rscp_block_get_uint(blk, &v) != 0)
            return 0;
        memcpy(dst, &v, sizeof v);
        return f->bit;
    }
    case RSCP__F_BOOL: {
        int64_t v;
        if (rscp_block_get_int(blk, &v) != 0)
            return 0;
        bool b = v != 0;
        memcpy(dst, &b, sizeof b);
        return f->bit;
    }
    case RSCP__F_STRING: return store_string(f, blk, (char *)dst);
    default: return 0;
    }
}

int rscp__fields_fill(const struct rscp_block *container, const struct rscp__field *tab, size_t n, void *base,
                      uint32_t *present, uint32_t *errors,
                      int (*other)(void *ctx, const struct rscp_block *child), void *ctx)
{
    struct rscp_iter it;
    struct rscp_block blk;
    int rc = rscp_block_children(container, &it);
    if (rc < 0)
        return rc;
    while ((rc = rscp_iter_next(&it, &blk)) == 1) {
        if (blk.type == RSCP_TYPE_ERROR) {
            (*errors)++;
            continue;
        }
        const struct rscp__field *f = rscp__field_find(tab, n, blk.tag);
        if (f) {
            *present |= rscp__field_store(f, &blk, base);
        } else if (other) {
            int k = other(ctx, &blk);
            if (k < 0)
                return k;
        }
    }
    return rc < 0 ? rc : 0;
}

int rscp__indexed_number(const struct rscp_block *container, uint32_t index_tag, uint32_t value_tag,
                         uint64_t *index, double *value, uint32_t *errors)
{
    struct rscp_iter it;
    struct rscp_block blk;
    bool have_index = false, have_value = false, value_error = false;
    int value_rc = 0;
    int rc = rscp_block_children(container, &it);
    if (rc < 0)
        return rc;
    while ((rc = rscp_iter_next(&it, &blk)) == 1) {
        if (blk.type == RSCP_TYPE_ERROR) {
            (*errors)++;
            if (blk.tag == value_tag)
                value_error = true;
            continue;
        }
        if (blk.tag == index_tag && !have_index) {
            if (rscp_block_get_uint(&blk, index) == 0)
                have_index = true;
        } else if (blk.tag == value_tag && !have_value && !value_error) {
            value_rc = rscp_block_get_number(&blk, value);
            have_value = true;
        }
    }
    if (rc < 0)
        return rc;
    if (value_error)
        return RSCP_ERR_DEVICE;
    if (!have_index || !have_value)
        return RSCP_ERR_NOT_FOUND;
    return value_rc;
}

int rscp__container_index(const struct rscp_block *container, uint32_t index_tag, uint64_t *index)
{
    struct rscp_block blk;
    int rc = rscp_block_find(container, index_tag, &blk);
    if (rc < 0)
        return rc;
    return rscp_block_get_uint(&blk, index);
}

int rscp__each_unit(const struct rscp_frame *f, uint32_t data_tag, uint32_t index_tag,
                    int (*fn)(void *ctx, uint64_t index, const struct rscp_block *container), void *ctx,
                    uint32_t *absent)
{
    struct rscp_iter it;
    struct rscp_block blk;
    int rc;
    rscp_frame_iter(f, &it);
    while ((rc = rscp_iter_next(&it, &blk)) == 1) {
        if (blk.tag != data_tag)
            continue;
        if (blk.type == RSCP_TYPE_ERROR) {
            if (absent)
                (*absent)++;
            continue;
        }
        uint64_t index;
        if (blk.type != RSCP_TYPE_CONTAINER)
            continue;
        int k = rscp__container_index(&blk, index_tag, &index);
        if (k == RSCP_ERR_TRUNCATED || k == RSCP_ERR_BLOCK_OVERRUN)
            return k;
        if (k != 0)
            continue;
        k = fn(ctx, index, &blk);
        if (k < 0)
            return k;
    }
    return rc < 0 ? rc : 0;
}
