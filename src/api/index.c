/* Index containers: BAT.REQ_DATA { BAT.INDEX, sub-requests } and friends. */
#include "api/api_internal.h"

#include "rscp/tags.h"

int rscp_index_request(struct rscp_builder *b, uint32_t container_tag, uint32_t index_tag, int index_type,
                       uint64_t index, const uint32_t *sub, size_t n)
{
    if (!b || (!sub && n > 0))
        return RSCP_ERR_ARG;
    int type = index_type;
    if (type == -1) {
        type = rscp_tag_type(index_tag);
        if (type < 0)
            type = RSCP_TYPE_UINT16;
    }
    uint64_t max;
    switch (type) {
    case RSCP_TYPE_UCHAR8: max = UINT8_MAX; break;
    case RSCP_TYPE_CHAR8: max = INT8_MAX; break;
    case RSCP_TYPE_UINT16: max = UINT16_MAX; break;
    case RSCP_TYPE_INT16: max = INT16_MAX; break;
    case RSCP_TYPE_UINT32: max = UINT32_MAX; break;
    case RSCP_TYPE_INT32: max = INT32_MAX; break;
    case RSCP_TYPE_UINT64: max = UINT64_MAX; break;
    case RSCP_TYPE_INT64: max = INT64_MAX; break;
    default: return RSCP_ERR_ARG;
    }
    if (index > max)
        return RSCP_ERR_RANGE;

    rscp_put_container_open(b, container_tag);
    switch (type) {
    case RSCP_TYPE_UCHAR8: rscp_put_uchar8(b, index_tag, (uint8_t)index); break;
    case RSCP_TYPE_CHAR8: rscp_put_char8(b, index_tag, (int8_t)index); break;
    case RSCP_TYPE_UINT16: rscp_put_uint16(b, index_tag, (uint16_t)index); break;
    case RSCP_TYPE_INT16: rscp_put_int16(b, index_tag, (int16_t)index); break;
    case RSCP_TYPE_UINT32: rscp_put_uint32(b, index_tag, (uint32_t)index); break;
    case RSCP_TYPE_INT32: rscp_put_int32(b, index_tag, (int32_t)index); break;
    case RSCP_TYPE_UINT64: rscp_put_uint64(b, index_tag, index); break;
    default: rscp_put_int64(b, index_tag, (int64_t)index); break;
    }
    rscp__put_requests(b, sub, n);
    rscp_put_container_close(b);
    return rscp_builder_error(b);
}

int rscp_index_parse(const struct rscp_block *container, uint32_t index_tag, uint64_t *index)
{
    if (!container || !index)
        return RSCP_ERR_ARG;
    struct rscp_block blk;
    int rc = rscp_block_find(container, index_tag, &blk);
    if (rc < 0)
        return rc;
    return rscp_block_get_uint(&blk, index);
}

int rscp_index_find(const struct rscp_frame *f, uint32_t container_tag, uint32_t index_tag, uint64_t index,
                    struct rscp_block *out)
{
    if (!f || !out)
        return RSCP_ERR_ARG;
    struct rscp_iter it;
    struct rscp_block blk;
    int rc;
    rscp_frame_iter(f, &it);
    while ((rc = rscp_iter_next(&it, &blk)) == 1) {
        uint64_t got;
        if (blk.tag != container_tag || blk.type != RSCP_TYPE_CONTAINER)
            continue;
        if (rscp_index_parse(&blk, index_tag, &got) == 0 && got == index) {
            *out = blk;
            return 0;
        }
    }
    return rc < 0 ? rc : RSCP_ERR_NOT_FOUND;
}
