/* The RSCP authentication exchange (PROTOCOL-NOTES §4), shared by the
 * client and the server. Internal header. */
#ifndef RSCP_NET_AUTH_H
#define RSCP_NET_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "rscp/builder.h"
#include "rscp/frame.h"

#define RSCP_NET_TAG_REQ_AUTHENTICATION 0x00000001u /* CONTAINER            */
#define RSCP_NET_TAG_AUTH_USER 0x00000002u          /* CSTRING              */
#define RSCP_NET_TAG_AUTH_PASSWORD 0x00000003u      /* CSTRING              */
#define RSCP_NET_TAG_AUTHENTICATION 0x00800001u     /* UCHAR8 level, INT32 0 */
#define RSCP_NET_TAG_GENERAL_ERROR 0x00FFFFFFu      /* RSCP.GENERAL_ERROR    */

/* Device error codes carried by ERROR blocks (errors.tsv). */
#define RSCP_NET_ERR_NOT_HANDLED 1u
#define RSCP_NET_ERR_ACCESS_DENIED 2u
#define RSCP_NET_ERR_AGAIN 4u

/* Append the REQ_AUTHENTICATION container with user and password.
 * Returns the builder's (sticky) error. */
int rscp_net_put_auth_request(struct rscp_builder *b, const char *user, const char *password);

/* Read the authentication reply. Returns 0 and *level (> 0) on success,
 * RSCP_ERR_AUTH for level 0 (any integer type) or an ERROR block,
 * RSCP_ERR_PROTOCOL when the frame has no usable RSCP.AUTHENTICATION. */
int rscp_net_parse_auth_reply(const struct rscp_frame *f, int *level);

/* The credentials of an authentication request: views into the frame. */
struct rscp_net_credentials {
    const char *user;
    size_t user_len;
    const char *password;
    size_t password_len;
};

/* What rscp_net_find_auth_request() found. */
#define RSCP_NET_AUTH_NONE 0        /* no REQ_AUTHENTICATION at the top level  */
#define RSCP_NET_AUTH_CREDENTIALS 1 /* with a user or a password block         */
#define RSCP_NET_AUTH_QUERY 2       /* with neither: a query of the level      */

/* Find the user and password in an authentication request. Returns
 * RSCP_NET_AUTH_CREDENTIALS with the views set when the frame holds
 * REQ_AUTHENTICATION at its top level with a user or a password block (a
 * missing or mistyped field gives an empty view), RSCP_NET_AUTH_QUERY when
 * the container holds neither (views empty), RSCP_NET_AUTH_NONE when there
 * is no such container. */
int rscp_net_find_auth_request(const struct rscp_frame *f, struct rscp_net_credentials *out);

#endif
