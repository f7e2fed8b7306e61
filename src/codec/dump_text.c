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

#include <inttypes.h>
#include <math.h>
#include <stdio.h>

static void text_bad_length(struct rscp__out *o, const struct rscp_block *b)
{
    if (b->length > 0)
        rscp__out_hex(o, b->value, b->length);
    else
        rscp__out_str(o, "(empty)");
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

/* The " = value" part of a non-container block (nothing for NONE). */
static void text_value(struct rscp__out *o, const struct rscp_block *b)
{
    if (!rscp_type_is_known(b->type)) {
        rscp__out_str(o, " = ");
        if (b->length > 0)
            rscp__out_hex(o, b->value, b->length);
        else
            rscp__out_str(o, "(empty)");
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
    switch (b->type) {
    case RSCP_TYPE_BOOL: {
        bool v = false;
        rscp_block_get_bool(b, &v);
        rscp__out_str(o, v ? "true" : "false");
        return;
    }
    case RSCP_TYPE_CHAR8:
    case RSCP_TYPE_INT16:
    case RSCP_TYPE_INT32:
    case RSCP_TYPE_INT64: {
        int64_t v = 0;
        rscp_block_get_int(b, &v);
        rscp__out_i64(o, v);
        return;
    }
    case RSCP_TYPE_UCHAR8:
    case RSCP_TYPE_UINT16:
    case RSCP_TYPE_UINT32:
    case RSCP_TYPE_UINT64: {
        uint64_t v = 0;
        rscp_block_get_uint(b, &v);
        rscp__out_u64(o, v);
        return;
    }
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
    case RSCP_TYPE_CSTRING: {
        const char *s = NULL;
        size_t n = 0;
        rscp_block_get_string(b, &s, &n);
        rscp__out_json_string(o, s, n);
        return;
    }
    case RSCP_TYPE_TIMESTAMP: {
        struct rscp_timestamp ts = {0, 0};
        rscp_block_get_timestamp(b, &ts);
        char iso[RSCP__ISO_BUF];
        rscp__format_iso8601(ts.seconds, ts.nanoseconds, true, iso);
        rscp__out_str(o, iso);
        rscp__out_str(o, " (");
        rscp__out_i64(o, ts.seconds);
        rscp__out_str(o, " s, ");
        rscp__out_u64(o, ts.nanoseconds);
        rscp__out_str(o, " ns)");
        return;
    }
    case RSCP_TYPE_ERROR: {
        uint32_t code = 0;
        rscp_block_get_error(b, &code);
        const char *name = rscp_device_error_name(code);
        if (name) {
            rscp__out_str(o, name);
            rscp__out_str(o, " (");
            rscp__out_u64(o, code);
            rscp__out_char(o, ')');
        } else {
            rscp__out_str(o, "unknown device error (");
            rscp__out_u64(o, code);
            rscp__out_char(o, ')');
        }
        return;
    }
    default: /* BITFIELD, BYTEARRAY */
        if (b->length > 0)
            rscp__out_hex(o, b->value, b->length);
        else
            rscp__out_str(o, "(empty)");
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
        rscp__out_spaces(o, 2u * (size_t)level);
        const char *name = rscp_tag_name(b.tag);
        if (name) {
            rscp__out_str(o, name);
            rscp__out_str(o, " (");
            rscp__out_tag(o, b.tag);
            rscp__out_char(o, ')');
        } else {
            rscp__out_tag(o, b.tag);
        }
        rscp__out_char(o, ' ');
        rscp__out_type(o, b.type);
        if (rscp_tag_is_secret(b.tag) && !(flags & RSCP_DUMP_SHOW_SECRETS)) {
            rscp__out_str(o, " = ***\n");
            size_t at = offset;
            int hrc = depth + 1 > RSCP__DUMP_MAX_DEPTH && b.type == RSCP_TYPE_CONTAINER
                          ? RSCP_ERR_DEPTH
                          : rscp__check_hidden(&b, depth, top, &at);
            if (hrc != 0) {
                text_error_line(o, level + 1, at, hrc);
                return o->err ? o->err : hrc;
            }
        } else if (b.type == RSCP_TYPE_CONTAINER) {
            char buf[RSCP__NUM_BUF];
            int n = snprintf(buf, sizeof buf, " [%u bytes]\n", (unsigned)b.length);
            rscp__out_mem(o, buf, (size_t)n);
            if (depth + 1 > RSCP__DUMP_MAX_DEPTH) {
                text_error_line(o, level + 1, offset, RSCP_ERR_DEPTH);
                return o->err ? o->err : RSCP_ERR_DEPTH;
            }
            struct rscp_iter child;
            rscp_block_children(&b, &child);
            int crc = text_seq(o, top, &child, level + 1, depth + 1, flags);
            if (crc != 0)
                return crc;
        } else {
            text_value(o, &b);
            rscp__out_char(o, '\n');
        }
        if (o->err)
            return o->err;
    }
    if (rc < 0) {
        text_error_line(o, level, rscp__iter_abs_offset(it, top), rc);
        return o->err ? o->err : rc;
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
    char iso[RSCP__ISO_BUF];
    rscp__format_iso8601(f->seconds, f->nanoseconds, true, iso);
    rscp__out_str(&o, "frame ");
    rscp__out_str(&o, iso);
    rscp__out_str(&o, " (");
    rscp__out_i64(&o, f->seconds);
    rscp__out_str(&o, " s, ");
    rscp__out_u64(&o, f->nanoseconds);
    rscp__out_str(&o, " ns), CRC ");
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
