/* Tag dictionary: lookups by id (binary search over the sorted id table). */
#include "rscp/tags.h"

#include "dict/tags_data.h"
#include "rscp/types.h"

/* Index of `id` in rscp__tags, or -1. The ids live in their own compact
 * array so that the search touches few cache lines. */
static long find_index(uint32_t id)
{
    size_t lo = 0, hi = RSCP__TAG_COUNT;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint32_t v = rscp__tag_ids[mid];
        if (v == id)
            return (long)mid;
        if (v < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

const struct rscp_tag_info *rscp_tag_info(uint32_t id)
{
    long i = find_index(id);
    return i < 0 ? NULL : &rscp__tags[i];
}

const char *rscp_tag_name(uint32_t id)
{
    const struct rscp_tag_info *t = rscp_tag_info(id);
    return t ? t->name : NULL;
}

int rscp_tag_type(uint32_t id)
{
    const struct rscp_tag_info *t = rscp_tag_info(id);
    return t ? t->type : -1;
}

bool rscp_tag_is_response(uint32_t id)
{
    return (id & RSCP_TAG_RESPONSE_BIT) != 0;
}

bool rscp_tag_is_secret(uint32_t id)
{
    const struct rscp_tag_info *t = rscp_tag_info(id);
    return t && t->secret;
}

size_t rscp_tag_count(void)
{
    return RSCP__TAG_COUNT;
}

const struct rscp_tag_info *rscp_tag_at(size_t i)
{
    return i < RSCP__TAG_COUNT ? &rscp__tags[i] : NULL;
}
