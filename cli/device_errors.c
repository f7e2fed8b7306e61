/* Device error blocks in a reply, reported by name on stderr. */
#include "cli.h"

#include "rscp/tags.h"
#include "rscp/value.h"

#include <string.h>

/* What a user can do about an error code. */
static const char *hint(const char *name)
{
    if (!name)
        return NULL;
    if (strcmp(name, "AGAIN") == 0)
        return "the device is busy: try again";
    if (strcmp(name, "ACCESS_DENIED") == 0)
        return "the account's level does not allow this";
    if (strcmp(name, "NOT_AVAILABLE") == 0)
        return "this device does not have it (index out of range?)";
    if (strcmp(name, "UNKNOWN_TAG") == 0)
        return "the device does not know this tag";
    if (strcmp(name, "FORMAT") == 0)
        return "malformed request (a sub-request outside its container?)";
    return NULL;
}

static unsigned report_level(const uint8_t *data, size_t len, const char *parent, unsigned depth,
                             unsigned *shown)
{
    struct rscp_iter it;
    struct rscp_block b;
    unsigned n = 0;
    rscp_iter_init(&it, data, len);
    while (rscp_iter_next(&it, &b) == 1) {
        if (b.type == RSCP_TYPE_CONTAINER && depth < 16) {
            const char *name = rscp_tag_name(b.tag);
            n += report_level(b.value, b.length, name ? name : parent, depth + 1, shown);
            continue;
        }
        uint32_t code;
        if (b.type != RSCP_TYPE_ERROR || rscp_block_get_error(&b, &code) != 0)
            continue;
        n++;
        if (++*shown > 8)
            continue; /* a whole frame of errors: the count says the rest */
        const char *tag = rscp_tag_name(b.tag);
        const char *err = rscp_device_error_name(code);
        const char *h = hint(err);
        char tagbuf[16], errbuf[16];
        if (!tag) {
            snprintf(tagbuf, sizeof tagbuf, "0x%08X", (unsigned)b.tag);
            tag = tagbuf;
        }
        if (!err) {
            snprintf(errbuf, sizeof errbuf, "0x%08X", (unsigned)code);
            err = errbuf;
        }
        cli_error("device error: %s%s%s = %s%s%s%s", parent && depth > 0 ? parent : "",
                  parent && depth > 0 ? " / " : "", tag, err, h ? " (" : "", h ? h : "", h ? ")" : "");
    }
    return n;
}

unsigned cli_report_device_errors(const struct rscp_frame *reply)
{
    unsigned shown = 0;
    unsigned n = report_level(reply->data, reply->data_len, NULL, 0, &shown);
    if (shown > 8)
        cli_error("device error: ... %u more", shown - 8);
    return n;
}

int cli_write_reply_failed(const struct rscp_frame *reply, int prc, const char *what)
{
    if (prc == RSCP_ERR_NOT_FOUND && rscp_count_device_errors(reply->data, reply->data_len) > 0) {
        cli_error("the device refused %s:", what);
        cli_report_device_errors(reply);
        return CLI_EXIT_DEVICE;
    }
    cli_error("malformed reply to %s: %s", what, rscp_strerror(prc));
    return CLI_EXIT_PROTOCOL;
}
