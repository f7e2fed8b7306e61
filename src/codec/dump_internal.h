/* Output helpers shared by the text and JSON dumps. Internal header.
 *
 * Everything writes through a struct rscp__out, which wraps the caller's
 * sink and remembers when it stopped: after the first refusal every helper
 * is a no-op and the dump returns RSCP_ERR_IO. No heap, no FILE: numbers are
 * formatted into small stack buffers. */
#ifndef RSCP_CODEC_DUMP_INTERNAL_H
#define RSCP_CODEC_DUMP_INTERNAL_H

#include "rscp/dump.h"
#include "rscp/types.h"
#include "rscp/value.h"

#include <stddef.h>
#include <stdint.h>

/* Deepest container nesting the dumps descend into (same meaning as
 * rscp_limits.max_depth: a top-level container is level 1). Deeper input is
 * reported as RSCP_ERR_DEPTH; this bounds the recursion. */
#define RSCP__DUMP_MAX_DEPTH RSCP_DEFAULT_MAX_DEPTH

struct rscp__out {
    rscp_sink_fn sink;
    void *ctx;
    int err; /* 0, or RSCP_ERR_IO once the sink refused */
};

/* Room for any number the helpers print, NUL included. */
#define RSCP__NUM_BUF RSCP_NUMBER_BUF

void rscp__out_init(struct rscp__out *o, rscp_sink_fn sink, void *ctx);
/* The error a dump returns when it stops on rc: a sink refusal wins. */
static inline int rscp__out_stop(const struct rscp__out *o, int rc)
{
    return o->err ? o->err : rc;
}
void rscp__out_mem(struct rscp__out *o, const char *s, size_t n);
void rscp__out_str(struct rscp__out *o, const char *s);
void rscp__out_char(struct rscp__out *o, char c);
void rscp__out_spaces(struct rscp__out *o, size_t n);
void rscp__out_u64(struct rscp__out *o, uint64_t v);
void rscp__out_i64(struct rscp__out *o, int64_t v);
/* "0x" + 8 uppercase hex digits. */
void rscp__out_tag(struct rscp__out *o, uint32_t tag);
/* A type's name, or "0x" + 2 uppercase hex digits for an unknown code. */
void rscp__out_type(struct rscp__out *o, uint8_t type);
/* Lowercase hex of p[0..n), no separators. */
void rscp__out_hex(struct rscp__out *o, const uint8_t *p, size_t n);
/* A JSON string literal (quotes included) of s[0..n). Escaping rule:
 *   "  \  -> \" \\ ;  newline, CR, tab -> \n \r \t ;
 *   other bytes below 0x20 and 0x7F (NUL included) -> \u00xx ;
 *   well-formed UTF-8 sequences (RFC 3629: shortest form, no surrogates,
 *   at most U+10FFFF) pass through unchanged ;
 *   every other byte >= 0x80 (not part of such a sequence) -> \u00xx, i.e.
 *   it is read as the Latin-1 code point of that byte.
 * The result is always valid JSON and valid UTF-8. */
void rscp__out_json_string(struct rscp__out *o, const char *s, size_t n);
/* The value of a well-formed (rscp_block_check) BOOL, integer or CSTRING
 * block, which both dumps write alike: true/false, the exact decimal, a JSON
 * string literal. Returns false, writing nothing, for every other type. */
bool rscp__out_common_value(struct rscp__out *o, const struct rscp_block *b);

/* Shortest decimal that reads back (strtof/strtod) as exactly v, written
 * into buf (>= RSCP__NUM_BUF bytes) with '.' as decimal point, e.g.
 * "312.4", "1e+20", "-0.0" for negative zero. Returns false for NaN and
 * infinities (buf untouched). */
bool rscp__format_float(float v, char *buf);
bool rscp__format_double(double v, char *buf);

/* ISO-8601 UTC "YYYY-MM-DDThh:mm:ss[.nnnnnnnnn]Z" for any int64 seconds
 * (proleptic Gregorian; years outside 0..9999 get a sign and >= 4 digits).
 * The fraction is printed when nanoseconds < 1e9 and with_fraction.
 * buf must hold RSCP__ISO_BUF bytes. */
#define RSCP__ISO_BUF 48u
void rscp__format_iso8601(int64_t seconds, uint32_t nanoseconds, bool with_fraction, char *buf);

/* Structure check of a block that is not printed (a masked secret) found
 * at container depth `depth` (0 = top level), so that the dumps report the
 * same errors as rscp_validate(): RSCP_ERR_DEPTH for a container one level
 * too deep (*abs_offset untouched), else the first error among its
 * children (*abs_offset gets its offset from top). Returns 0 or the error. */
int rscp__check_hidden(const struct rscp_block *b, unsigned depth, const uint8_t *top, size_t *abs_offset);

/* Offset of the current position of it from top (the start of the
 * outermost sequence), for error messages about nested blocks. */
size_t rscp__iter_abs_offset(const struct rscp_iter *it, const uint8_t *top);

#endif
