/* librscp: human-readable and JSON dumps of frames and block trees. Pure:
 * output goes through a caller's sink; no FILE, no heap.
 *
 * Values of secret tags (rscp_tag_is_secret) print as "***" unless
 * RSCP_DUMP_SHOW_SECRETS is given.
 *
 * JSON form (the rscp tool's output format):
 *   frame: {"seconds": S, "nanoseconds": N, "crc": true|false, "blocks": [...]}
 *   block: {"tag": "0x01800001", "name": "EMS.POWER_PV" | null,
 *           "type": "INT32" | "0x42", "value": V}
 *   V: NONE null; BOOL true/false; integers exact (full 64-bit range);
 *      FLOAT32/DOUBLE64 numbers that round-trip (non-finite: null);
 *      CSTRING string; TIMESTAMP {"seconds", "nanoseconds"};
 *      BITFIELD, BYTEARRAY, unknown types: lowercase hex string;
 *      CONTAINER array of blocks; ERROR {"code": C, "name": "..." | null};
 *      a known fixed type with a wrong length: lowercase hex string. */
#ifndef RSCP_DUMP_H
#define RSCP_DUMP_H

#include "rscp/common.h"
#include "rscp/frame.h"

/* Output sink: write n bytes of s; return 0, or non-zero to stop the dump
 * (the dump then returns RSCP_ERR_IO). */
typedef int (*rscp_sink_fn)(void *ctx, const char *s, size_t n);

#define RSCP_DUMP_SHOW_SECRETS 0x1u  /* print secret values in clear */
#define RSCP_DUMP_PRETTY 0x2u        /* JSON: newlines and indentation */

/* A bounded string sink: appends to buf, always NUL-terminated; sets
 * overflow and stops when it would not fit. */
struct rscp_strbuf {
    char *buf;
    size_t cap;
    size_t len;
    bool overflow;
};

RSCP_BEGIN_DECLS

/* Text dump: one line per block, indented by nesting
 * ("  EMS.POWER_PV (0x01800001) INT32 = 4687"). indent: starting level;
 * flags: RSCP_DUMP_SHOW_SECRETS. sink is called with pieces of the output
 * and ctx. Returns 0, RSCP_ERR_ARG (sink NULL, data NULL with len > 0),
 * RSCP_ERR_IO (sink stopped) or a structure error (the blocks up to the
 * error are printed, then an "error at offset N: ..." line):
 * RSCP_ERR_TRUNCATED, RSCP_ERR_BLOCK_OVERRUN, or RSCP_ERR_DEPTH for
 * containers nested deeper than RSCP_DEFAULT_MAX_DEPTH (also inside masked
 * secrets, which are checked but not shown). Thread-safe; no heap. */
RSCP_API int rscp_dump_blocks(const void *data, size_t len, unsigned indent, unsigned flags,
                              rscp_sink_fn sink, void *ctx);

/* Text dump of a frame: a header line with the time and CRC flag, then
 * its blocks. Returns as rscp_dump_blocks() (RSCP_ERR_ARG also for f
 * NULL). */
RSCP_API int rscp_dump_frame(const struct rscp_frame *f, unsigned flags, rscp_sink_fn sink, void *ctx);

/* JSON array of the blocks in data[0..len) (form above); flags:
 * RSCP_DUMP_SHOW_SECRETS, RSCP_DUMP_PRETTY. Returns as rscp_dump_blocks()
 * (no partial JSON is claimed valid on error). */
RSCP_API int rscp_json_blocks(const void *data, size_t len, unsigned flags, rscp_sink_fn sink, void *ctx);

/* JSON object of one frame (form above). Returns as rscp_json_blocks()
 * (RSCP_ERR_ARG also for f NULL). */
RSCP_API int rscp_json_frame(const struct rscp_frame *f, unsigned flags, rscp_sink_fn sink, void *ctx);

/* Initialise a string sink over buf[0..cap), cap >= 1 (buf[0] becomes NUL).
 * The strbuf borrows buf. */
RSCP_API void rscp_strbuf_init(struct rscp_strbuf *sb, char *buf, size_t cap);

/* Sink function for struct rscp_strbuf (ctx = the strbuf): appends s[0..n)
 * and returns 0; when that does not fit with the NUL, appends what fits,
 * sets overflow and returns -1 (and -1 on every later call). */
RSCP_API int rscp_strbuf_sink(void *ctx, const char *s, size_t n);

/* Numbers as the dumps print them, for programs that write the same JSON
 * by hand. */
#define RSCP_NUMBER_BUF 48u /* enough for any formatted float or double */

/* The shortest decimal that reads back (strtof) as the same float v:
 * 64.51863f gives "64.51863", not "64.518630981445312". '.' is the decimal
 * point in every locale; whole values below 1e16 print without exponent
 * ("100"); negative zero prints "-0.0". Writes a NUL-terminated string
 * into buf[RSCP_NUMBER_BUF] and returns true; for NaN and infinities
 * returns false and leaves buf alone. Thread-safe. */
RSCP_API bool rscp_format_float32(float v, char *buf);

/* The same for a double (reads back with strtod). */
RSCP_API bool rscp_format_double64(double v, char *buf);

RSCP_END_DECLS

#endif
