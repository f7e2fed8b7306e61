/* The RSCP authentication exchange (PROTOCOL-NOTES §4). */
#include "net/auth.h"

#include "rscp/error.h"
#include "rscp/value.h"

int rscp_net_put_auth_request(struct rscp_builder *b, const char *user, const char *password)
{
    rscp_put_container_open(b, RSCP_NET_TAG_REQ_AUTHENTICATION);
    rscp_put_cstr(b, RSCP_NET_TAG_AUTH_USER, user);
    rscp_put_cstr(b, RSCP_NET_TAG_AUTH_PASSWORD, password);
    rscp_put_container_close(b);
    return rscp_builder_error(b);
}

int rscp_net_parse_auth_reply(const struct rscp_frame *f, int *level)
{
    struct rscp_block blk;
    if (rscp_find(f->data, f->data_len, RSCP_NET_TAG_AUTHENTICATION, &blk) != 0)
        return RSCP_ERR_PROTOCOL;
    if (blk.type == RSCP_TYPE_ERROR)
        return RSCP_ERR_AUTH;
    int64_t v;
    if (rscp_block_get_int(&blk, &v) != 0 || v < 0 || v > 255)
        return RSCP_ERR_PROTOCOL;
    if (v == 0)
        return RSCP_ERR_AUTH;
    *level = (int)v;
    return 0;
}

/* The string of tag in container: 1 with the view (empty when mistyped),
 * 0 without such a block (empty view). */
static int string_view(const struct rscp_block *container, uint32_t tag, const char **s, size_t *len)
{
    struct rscp_block blk;
    *s = "";
    *len = 0;
    if (rscp_block_find(container, tag, &blk) != 0)
        return 0;
    (void)rscp_block_get_string(&blk, s, len);
    return 1;
}

int rscp_net_find_auth_request(const struct rscp_frame *f, struct rscp_net_credentials *out)
{
    struct rscp_block auth;
    out->user = out->password = "";
    out->user_len = out->password_len = 0;
    if (rscp_find(f->data, f->data_len, RSCP_NET_TAG_REQ_AUTHENTICATION, &auth) != 0)
        return RSCP_NET_AUTH_NONE;
    int found = string_view(&auth, RSCP_NET_TAG_AUTH_USER, &out->user, &out->user_len);
    found |= string_view(&auth, RSCP_NET_TAG_AUTH_PASSWORD, &out->password, &out->password_len);
    return found ? RSCP_NET_AUTH_CREDENTIALS : RSCP_NET_AUTH_QUERY;
}
