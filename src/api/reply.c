/* Finding one answer in a reply frame; ERROR blocks are the device's. */
#include "api/reply.h"

#include "rscp/error.h"
#include "rscp/types.h"

static int classify(int rc, const struct rscp_block *blk, struct rscp_block *out, uint32_t *device_error)
{
    if (rc != 0)
        return rc;
    if (blk->type == RSCP_TYPE_ERROR) {
        uint32_t code = 0;
        (void)rscp_block_get_error(blk, &code); /* a malformed ERROR block is still a refusal */
        if (device_error)
            *device_error = code;
        return RSCP_ERR_DEVICE;
    }
    *out = *blk;
    return 0;
}

int rscp__reply_find(const struct rscp_frame *f, uint32_t tag, struct rscp_block *out, uint32_t *device_error)
{
    struct rscp_block blk;
    return classify(rscp_find(f->data, f->data_len, tag, &blk), &blk, out, device_error);
}

int rscp__reply_container(const struct rscp_frame *f, uint32_t tag, struct rscp_block *out,
                          uint32_t *device_error)
{
    int rc = rscp__reply_find(f, tag, out, device_error);
    if (rc == 0 && out->type != RSCP_TYPE_CONTAINER)
        return RSCP_ERR_TYPE;
    return rc;
}

int rscp__reply_int(const struct rscp_frame *f, uint32_t tag, int64_t *v, uint32_t *device_error)
{
    struct rscp_block blk;
    int rc = rscp__reply_find(f, tag, &blk, device_error);
    return rc == 0 ? rscp_block_get_int(&blk, v) : rc;
}

int rscp__child_find(const struct rscp_block *container, uint32_t tag, struct rscp_block *out,
                     uint32_t *device_error)
{
    struct rscp_block blk;
    return classify(rscp_block_find(container, tag, &blk), &blk, out, device_error);
}
