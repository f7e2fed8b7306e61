/* JSON dump in the form documented in rscp/dump.h.
 *
 * Compact by default: [{"tag":"0x01800001","name":"EMS.POWER_PV","type":"INT32","value":4687}]
 * With RSCP_DUMP_PRETTY every array element and object member of blocks and
 * frames goes on its own line, indented two spaces per level; the small value
 * objects of TIMESTAMP and ERROR stay on one line.
 *
 * Strings are escaped as described at rscp__out_json_string (invalid UTF-8
 * bytes become \u00xx). Floats print as the shortest decimal that reads back
 * as the same float/double; negative zero as -0.0; NaN and infinities as
 * null. On a structure error the output stops where the error was found (it
 * is not valid JSON then) and the error is returned. No trailing newline. */
#include "codec/dump_internal.h"

#include "rscp/error.h"
#include "rscp/tags.h"

#include <string.h>

struct json_ctx {
    struct rscp__out out;
    unsigned flags;
};

static bool pretty(const struct json_ctx *j)
{
    return (j->flags & RSCP_DUMP_PRETTY) != 0;
}

static void newline(struct json_ctx *j, unsigned level)
{
    if (!pretty(j))
        return;
    rscp__out_char(&j->out, '\n');
    rscp__out_spaces(&j->out, 2u * (size_t)level);
}

/* "key": */
static void key(struct json_ctx *j, const char *name)
{
    rscp__out_char(&j->out, '"');
    rscp__out_str(&j->out, name);
    rscp__out_str(&j->out, pretty(j) ? "\": " : "\":");
}

/* Member "key": of an object at the given level (the level of its brace). */
static void member(struct json_ctx *j, unsigned level, bool first, const char *name)
{
    if (!first)
        rscp__out_char(&j->out, ',');
    newline(j, level + 1);
    key(j, name);
}

/* Member "key": after the first one of a one-line value object. */
static void inline_member(struct json_ctx *j, const char *name)
{
    rscp__out_str(&j->out, pretty(j) ? ", " : ",");
    key(j, name);
}

static void string_or_null(struct rscp__out *o, const char *s)
{
    if (s)
        rscp__out_json_string(o, s, strlen(s));
    else
        rscp__out_str(o, "null");
}

static void hex_string(struct rscp__out *o, const struct rscp_block *b)
{
    rscp__out_char(o, '"');
    if (b->length > 0)
        rscp__out_hex(o, b->value, b->length);
    rscp__out_char(o, '"');
}

/* The value of a non-container block. */
static void json_scalar(struct json_ctx *j, const struct rscp_block *b)
{
    struct rscp__out *o = &j->out;
    if (!rscp_type_is_known(b->type) || rscp_block_check(b) != 0) {
        hex_string(o, b);
        return;
    }
    if (rscp__out_common_value(o, b))
        return;
    switch (b->type) {
    case RSCP_TYPE_NONE:
        rscp__out_str(o, "null");
        return;
    case RSCP_TYPE_FLOAT32: {
        float v = 0;
        char buf[RSCP__NUM_BUF];
        rscp_block_get_float32(b, &v);
        rscp__out_str(o, rscp__format_float(v, buf) ? buf : "null");
        return;
    }
    case RSCP_TYPE_DOUBLE64: {
        double v = 0;
        char buf[RSCP__NUM_BUF];
        rscp_block_get_double64(b, &v);
        rscp__out_str(o, rscp__format_double(v, buf) ? buf : "null");
        return;
    }
    case RSCP_TYPE_TIMESTAMP: {
        struct rscp_timestamp ts = {0, 0};
        rscp_block_get_timestamp(b, &ts);
        rscp__out_char(o, '{');
        key(j, "seconds");
        rscp__out_i64(o, ts.seconds);
        inline_member(j, "nanoseconds");
        rscp__out_u64(o, ts.nanoseconds);
        rscp__out_char(o, '}');
        return;
    }
    case RSCP_TYPE_ERROR: {
        uint32_t code = 0;
        rscp_block_get_error(b, &code);
        rscp__out_char(o, '{');
        key(j, "code");
        rscp__out_u64(o, code);
        inline_member(j, "name");
        string_or_null(o, rscp_device_error_name(code));
        rscp__out_char(o, '}');
        return;
    }
    default: /* BITFIELD, BYTEARRAY */
        hex_string(o, b);
        return;
    }
}

static int json_seq(struct json_ctx *j, struct rscp_iter *it, unsigned level, unsigned depth);

/* One block object whose opening brace stands at the given level. */
static int json_block(struct json_ctx *j, const struct rscp_block *b, unsigned level, unsigned depth)
{
    struct rscp__out *o = &j->out;
    rscp__out_char(o, '{');
    member(j, level, true, "tag");
    rscp__out_char(o, '"');
    rscp__out_tag(o, b->tag);
    rscp__out_char(o, '"');
    member(j, level, false, "name");
    string_or_null(o, rscp_tag_name(b->tag));
    member(j, level, false, "type");
    rscp__out_char(o, '"');
    rscp__out_type(o, b->type);
    rscp__out_char(o, '"');
    member(j, level, false, "value");
    if (rscp_tag_is_secret(b->tag) && !(j->flags & RSCP_DUMP_SHOW_SECRETS)) {
        rscp__out_str(o, "\"***\"");
        size_t at; /* JSON output names no offsets */
        int hrc = rscp__check_hidden(b, depth, b->value, &at);
        if (hrc != 0)
            return rscp__out_stop(o, hrc);
    } else if (b->type == RSCP_TYPE_CONTAINER) {
        if (depth + 1 > RSCP__DUMP_MAX_DEPTH)
            return rscp__out_stop(o, RSCP_ERR_DEPTH);
        struct rscp_iter child;
        rscp_block_children(b, &child);
        int rc = json_seq(j, &child, level + 1, depth + 1);
        if (rc != 0)
            return rc;
    } else {
        json_scalar(j, b);
    }
    newline(j, level);
    rscp__out_char(o, '}');
    return o->err;
}

/* An array of the blocks of it; its opening bracket stands at level. */
static int json_seq(struct json_ctx *j, struct rscp_iter *it, unsigned level, unsigned depth)
{
    struct rscp_block b;
    bool first = true;
    int rc;
    rscp__out_char(&j->out, '[');
    for (;;) {
        rc = rscp_iter_next(it, &b);
        if (rc <= 0)
            break;
        if (!first)
            rscp__out_char(&j->out, ',');
        first = false;
        newline(j, level + 1);
        int brc = json_block(j, &b, level + 1, depth);
        if (brc != 0)
            return brc;
    }
    if (rc < 0)
        return rscp__out_stop(&j->out, rc);
    if (!first)
        newline(j, level);
    rscp__out_char(&j->out, ']');
    return j->out.err;
}

int rscp_json_blocks(const void *data, size_t len, unsigned flags, rscp_sink_fn sink, void *ctx)
{
    if (!sink || (!data && len > 0))
        return RSCP_ERR_ARG;
    struct json_ctx j;
    rscp__out_init(&j.out, sink, ctx);
    j.flags = flags;
    struct rscp_iter it;
    rscp_iter_init(&it, data, len);
    return json_seq(&j, &it, 0, 0);
}

int rscp_json_frame(const struct rscp_frame *f, unsigned flags, rscp_sink_fn sink, void *ctx)
{
    if (!sink || !f || (!f->data && f->data_len > 0))
        return RSCP_ERR_ARG;
    struct json_ctx j;
    rscp__out_init(&j.out, sink, ctx);
    j.flags = flags;
    struct rscp__out *o = &j.out;
    rscp__out_char(o, '{');
    member(&j, 0, true, "seconds");
    rscp__out_i64(o, f->seconds);
    member(&j, 0, false, "nanoseconds");
    rscp__out_u64(o, f->nanoseconds);
    member(&j, 0, false, "crc");
    rscp__out_str(o, f->crc ? "true" : "false");
    member(&j, 0, false, "blocks");
    struct rscp_iter it;
    rscp_iter_init(&it, f->data, f->data_len);
    int rc = json_seq(&j, &it, 1, 0);
    if (rc != 0)
        return rc;
    newline(&j, 0);
    rscp__out_char(o, '}');
    return o->err;
}
