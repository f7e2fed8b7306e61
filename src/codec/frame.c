/* Decoding whole frames from a plaintext buffer: header checks, length,
 * CRC-32 and block structure, each with its own error and offset. */
#include "rscp/frame.h"

#include "codec/internal.h"
#include "rscp/error.h"
#include "util/bytes.h"

/* Offsets of the header fields. */
#define OFF_CTRL 2u
#define OFF_SECONDS 4u
#define OFF_NANOS 12u
#define OFF_LENGTH 16u

/* The checks run field by field as far as the bytes reach, so that a
 * definitely broken prefix (wrong magic in the first 2 bytes) is reported
 * as such even before 18 bytes are present; *err_field gets the offset of
 * the field at fault. */
static int header_parse(const uint8_t *p, size_t len, const struct rscp_limits *lim, struct rscp_header *h,
                        size_t *err_field)
{
    const uint8_t *end = p + len;
    *err_field = 0;
    if (RSCP__HAVE(p, end, 1) && p[0] != RSCP__MAGIC0)
        return RSCP_ERR_MAGIC;
    if (RSCP__HAVE(p, end, 2) && p[1] != RSCP__MAGIC1)
        return RSCP_ERR_MAGIC;
    if (!RSCP__HAVE(p, end, OFF_CTRL + 2))
        return RSCP_ERR_TRUNCATED;

    *err_field = OFF_CTRL;
    uint16_t ctrl = rscp_load16_le(p + OFF_CTRL);
    bool crc = (ctrl & RSCP__CTRL_CRC_FLAG) != 0;
    if (ctrl & RSCP__CTRL_RESERVED)
        return RSCP_ERR_CTRL;
    if ((ctrl & RSCP__CTRL_VERSION_MASK) != RSCP__CTRL_VERSION_1) {
        /* "00 10" from libraries that mean "no CRC" (see PROTOCOL-NOTES §2) */
        if (ctrl == RSCP__CTRL_LEGACY_NOCRC && (lim->flags & RSCP_LENIENT_CTRL))
            crc = false;
        else
            return RSCP_ERR_VERSION;
    }

    *err_field = OFF_NANOS;
    if (!RSCP__HAVE(p, end, OFF_NANOS + 4))
        return RSCP_ERR_TRUNCATED;
    uint32_t nanos = rscp_load32_le(p + OFF_NANOS);
    if (nanos >= RSCP__NANOS_PER_SEC)
        return RSCP_ERR_TIME;

    *err_field = OFF_LENGTH;
    if (!RSCP__HAVE(p, end, RSCP_HEADER_SIZE))
        return RSCP_ERR_TRUNCATED;
    uint16_t n = rscp_load16_le(p + OFF_LENGTH);
    if (n > lim->max_data_len)
        return RSCP_ERR_FRAME_TOO_LONG;

    h->seconds = (int64_t)rscp_load64_le(p + OFF_SECONDS);
    h->nanoseconds = nanos;
    h->crc = crc;
    h->data_len = n;
    h->frame_len = RSCP_HEADER_SIZE + (uint32_t)n + (crc ? RSCP_CRC_SIZE : 0u);
    return 0;
}

int rscp_header_parse(const void *buf, size_t len, const struct rscp_limits *limits, struct rscp_header *h)
{
    if (!buf)
        return len ? RSCP_ERR_ARG : RSCP_ERR_TRUNCATED;
    struct rscp_limits lim = rscp__limits_or_default(limits);
    size_t field;
    return header_parse(buf, len, &lim, h, &field);
}

/* Header, length and CRC of the frame at p. Returns 0 with *h filled, or an
 * error with *where set to the offset at fault. */
static int frame_check(const uint8_t *p, size_t len, const struct rscp_limits *lim, struct rscp_header *h,
                       size_t *where)
{
    if (!p) {
        *where = 0;
        return len ? RSCP_ERR_ARG : RSCP_ERR_TRUNCATED;
    }
    int rc = header_parse(p, len, lim, h, where);
    if (rc == RSCP_ERR_TRUNCATED)
        *where = len; /* the input ends inside the header */
    if (rc)
        return rc;
    if (!RSCP__HAVE(p, p + len, h->frame_len)) {
        *where = len; /* the input ends here, inside the frame */
        return RSCP_ERR_TRUNCATED;
    }
    size_t data_end = RSCP_HEADER_SIZE + (size_t)h->data_len;
    if (h->crc && rscp_crc32(0, p, data_end) != rscp_load32_le(p + data_end)) {
        *where = data_end;
        return RSCP_ERR_CRC;
    }
    return 0;
}

static void frame_fill(const uint8_t *p, const struct rscp_header *h, struct rscp_frame *out)
{
    out->seconds = h->seconds;
    out->nanoseconds = h->nanoseconds;
    out->crc = h->crc;
    out->data = p + RSCP_HEADER_SIZE;
    out->data_len = h->data_len;
}

int rscp_frame_decode_prefix(const void *buf, size_t len, const struct rscp_limits *limits,
                             struct rscp_frame *out, size_t *err_offset)
{
    const uint8_t *p = buf;
    size_t where = 0;
    struct rscp_header h;
    struct rscp_limits lim = rscp__limits_or_default(limits);
    int rc = frame_check(p, len, &lim, &h, &where);
    if (rc == 0) {
        size_t block_off = 0;
        rc = rscp_validate(p + RSCP_HEADER_SIZE, h.data_len, &lim, &block_off);
        where = RSCP_HEADER_SIZE + block_off;
    }
    if (rc) {
        if (err_offset)
            *err_offset = where;
        return rc;
    }
    frame_fill(p, &h, out);
    return (int)h.frame_len;
}

int rscp_frame_open_prefix(const void *buf, size_t len, const struct rscp_limits *limits, struct rscp_frame *out,
                           size_t *err_offset)
{
    const uint8_t *p = buf;
    size_t where = 0;
    struct rscp_header h;
    struct rscp_limits lim = rscp__limits_or_default(limits);
    int rc = frame_check(p, len, &lim, &h, &where);
    if (rc) {
        if (err_offset)
            *err_offset = where;
        return rc;
    }
    frame_fill(p, &h, out);
    return (int)h.frame_len;
}

int rscp_frame_decode(const void *buf, size_t len, const struct rscp_limits *limits, struct rscp_frame *out,
                      size_t *err_offset)
{
    struct rscp_frame f;
    int rc = rscp_frame_decode_prefix(buf, len, limits, &f, err_offset);
    if (rc < 0)
        return rc;
    if ((size_t)rc != len) {
        if (err_offset)
            *err_offset = (size_t)rc;
        return RSCP_ERR_TRAILING;
    }
    *out = f;
    return 0;
}

void rscp_frame_iter(const struct rscp_frame *f, struct rscp_iter *it)
{
    rscp_iter_init(it, f->data, f->data_len);
}
