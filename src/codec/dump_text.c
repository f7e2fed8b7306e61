/* Human-readable dump: one line per block, indented two spaces per level.
 *
 *   EMS.POWER_PV (0x01800001) INT32 = 4687
 *   0x09111111 CSTRING = "test"
 *   BAT.DATA (0x03840000) CONTAINER [73 bytes]
 *     BAT.INDEX (0x03040001) UINT16 = 0
 *   INFO.TIME (0x0A80000E) TIMESTAMP = 2023-08-18T12:55:07.000000000Z (1692363307 s, 0 ns)
 *   0x00000000 ERROR = UNKNOWN_TAG (7)
 *   BAT.INDEX (0x03040001) INT32 = 0a0b (bad length 2, INT32 has 4)
 *   RSCP.AUTHENTICATION_PASSWORD (0x00000003) CSTRING = ***
 *
 * A structure error ends the dump with "error at offset N: <message>" at the
 * level where it was found; the function returns that error. */
#include "codec/dump_internal.h"

#include "rscp/error.h"
#include "rscp/tags.h"

#include <math.h>
#include <stdio.h>

/* Lowercase hex of the value bytes, or "(empty)". */
static void text_hex(struct rscp__out *o, const struct rscp_block *b)
{
    if (b->length > 0)
        rscp__out_hex(o, b->value, b->length);
    else
        rscp__out_str(o, "(empty)");
}

static void text_bad_length(struct rscp__out *o, const struct rscp_block *b)
{
    text_hex(o, b);
    char buf[RSCP__NUM_BUF];
    int n = snprintf(buf, sizeof buf, " (bad length %u, ", (unsigned)b->length);
    rscp__out_mem(o, buf, (size_t)n);
    rscp__out_type(o, b->type);
    n = snprintf(buf, sizeof buf, " has %d)", rscp_type_size(b->type));
    rscp__out_mem(o, buf, (size_t)n);
}

static void text_float(struct rscp__out *o, double v, bool is_float)
{
    char buf[RSCP__NUM_BUF];
    bool finite = is_float ? rscp__format_float((float)v, buf) : rscp__format_double(v, buf);
    if (finite)
        rscp__out_str(o, buf);
    else if (isnan(v))
        rscp__out_str(o, "nan");
    else
        rscp__out_str(o, v < 0 ? "-inf" : "inf");
}

/* "2023-08-18T12:55:07.000000000Z (1692363307 s, 0 ns)" */
static void text_time(struct rscp__out *o, int64_t seconds, uint32_t nanoseconds)
{
    char iso[RSCP__ISO_BUF];
    rscp__format_iso8601(seconds, nanoseconds, true, iso);
    rscp__out_str(o, iso);
    rscp__out_str(o, " (");
    rscp__out_i64(o, seconds);
    rscp__out_str(o, " s, ");
    rscp__out_u64(o, nanoseconds);
    rscp__out_str(o, " ns)");
}

/* The " = value" part of a non-container block (nothing for NONE). */
static void text_value(struct rscp__out *o, const struct rscp_block *b)
{
    if (!rscp_type_is_known(b->type)) {
        rscp__out_str(o, " = ");
        text_hex(o, b);
        return;
    }
    if (rscp_block_check(b) != 0) {
        rscp__out_str(o, " = ");
        text_bad_length(o, b);
        return;
    }
    if (b->type == RSCP_TYPE_NONE)
        return;
    rscp__out_str(o, " = ");
    if (rscp__out_common_value(o, b))
        return;
    switch (b->type) {
    case RSCP_TYPE_FLOAT32: {
        float v = 0;
        rscp_block_get_float32(b, &v);
        text_float(o, (double)v, true);
        return;
    }
    case RSCP_TYPE_DOUBLE64: {
        double v = 0;
        rscp_block_get_double64(b, &v);
        text_float(o, v, false);
        return;
    }
    case RSCP_TYPE_TIMESTAMP: {
        struct rscp_timestamp ts = {0, 0};
        rscp_block_get_timestamp(b, &ts);
        text_time(o, ts.seconds, ts.nanoseconds);
        return;
    }
    case RSCP_TYPE_ERROR: {
        uint32_t code = 0;
        rscp_block_get_error(b, &code);
        const char *name = rscp_device_error_name(code);
        rscp__out_str(o, name ? name : "unknown device error");
        rscp__out_str(o, " (");
        rscp__out_u64(o, code);
        rscp__out_char(o, ')');
        return;
    }
    default: /* BITFIELD, BYTEARRAY */
        text_hex(o, b);
        return;
    }
}

static void text_error_line(struct rscp__out *o, unsigned level, size_t offset, int err)
{
    rscp__out_spaces(o, 2u * (size_t)level);
    char buf[RSCP__NUM_BUF];
    int n = snprintf(buf, sizeof buf, "error at offset %zu: ", offset);
    rscp__out_mem(o, buf, (size_t)n);
    rscp__out_str(o, rscp_strerror(err));
    rscp__out_char(o, '\n');
}

/* "NAME (0x...) TYPE", or "0x... TYPE" for a tag without a name. */
static void text_head(struct rscp__out *o, const struct rscp_block *b)
{
    const char *name = rscp_tag_name(b->tag);
    if (name) {
        rscp__out_str(o, name);
        rscp__out_str(o, " (");
        rscp__out_tag(o, b->tag);
        rscp__out_char(o, ')');
    } else {
        rscp__out_tag(o, b->tag);
    }
    rscp__out_char(o, ' ');
    rscp__out_type(o, b->type);
}

static int text_seq(struct rscp__out *o, const uint8_t *top, struct rscp_iter *it, unsigned level,
                    unsigned depth, unsigned flags);

/* The line of block b (offset from top) at the given indentation, and the
 * lines of its children; depth counts the containers around it. */
static int text_block(struct rscp__out *o, const uint8_t *top, const struct rscp_block *b, size_t offset,
                      unsigned level, unsigned depth, unsigned flags)
{
    rscp__out_spaces(o, 2u * (size_t)level);
    text_head(o, b);
    if (rscp_tag_is_secret(b->tag) && !(flags & RSCP_DUMP_SHOW_SECRETS)) {
        rscp__out_str(o, " = ***\n");
        size_t at = offset;
        int rc = rscp__check_hidden(b, depth, top, &at);
        if (rc != 0) {
            text_error_line(o, level + 1, at, rc);
            return rscp__out_stop(o, rc);
        }
        return o->err;
    }
    if (b->type != RSCP_TYPE_CONTAINER) {
        text_value(o, b);
        rscp__out_char(o, '\n');
        return o->err;
    }
    char buf[RSCP__NUM_BUF];
    int n = snprintf(buf, sizeof buf, " [%u bytes]\n", (unsigned)b->length);
    rscp__out_mem(o, buf, (size_t)n);
    if (depth + 1 > RSCP__DUMP_MAX_DEPTH) {
        text_error_line(o, level + 1, offset, RSCP_ERR_DEPTH);
        return rscp__out_stop(o, RSCP_ERR_DEPTH);
    }
    struct rscp_iter child;
    rscp_block_children(b, &child);
    return text_seq(o, top, &child, level + 1, depth + 1, flags);
}

/* Dump the blocks of it at the given indentation; depth counts the
 * containers around them (0 at the top). */
static int text_seq(struct rscp__out *o, const uint8_t *top, struct rscp_iter *it, unsigned level,
                    unsigned depth, unsigned flags)
{
    struct rscp_block b;
    int rc;
    for (;;) {
        size_t offset = rscp__iter_abs_offset(it, top);
        rc = rscp_iter_next(it, &b);
        if (rc <= 0)
            break;
        int brc = text_block(o, top, &b, offset, level, depth, flags);
        if (brc != 0)
            return brc;
    }
    if (rc < 0) {
        text_error_line(o, level, rscp__iter_abs_offset(it, top), rc);
        return rscp__out_stop(o, rc);
    }
    return o->err;
}

int rscp_dump_blocks(const void *data, size_t len, unsigned indent, unsigned flags, rscp_sink_fn sink,
                     void *ctx)
{
    if (!sink || (!data && len > 0))
        return RSCP_ERR_ARG;
    struct rscp__out o;
    rscp__out_init(&o, sink, ctx);
    struct rscp_iter it;
    rscp_iter_init(&it, data, len);
    return text_seq(&o, data, &it, indent, 0, flags);
}

int rscp_dump_frame(const struct rscp_frame *f, unsigned flags, rscp_sink_fn sink, void *ctx)
{
    if (!sink || !f || (!f->data && f->data_len > 0))
        return RSCP_ERR_ARG;
    struct rscp__out o;
    rscp__out_init(&o, sink, ctx);
    rscp__out_str(&o, "frame ");
    text_time(&o, f->seconds, f->nanoseconds);
    rscp__out_str(&o, ", CRC ");
    rscp__out_str(&o, f->crc ? "yes" : "no");
    rscp__out_str(&o, ", ");
    rscp__out_u64(&o, f->data_len);
    rscp__out_str(&o, " data bytes\n");
    if (o.err)
        return o.err;
    struct rscp_iter it;
    rscp_iter_init(&it, f->data, f->data_len);
    return text_seq(&o, f->data, &it, 1, 0, flags);
}
