/* The rscp tool: shared declarations of its parts. */
#ifndef RSCP_CLI_H
#define RSCP_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "rscp/api.h"
#include "rscp/builder.h"
#include "rscp/client.h"
#include "rscp/frame.h"

#if defined(__GNUC__)
#define CLI_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CLI_PRINTF(f, a)
#endif

/* Exit codes (documented in --help and rscp(1)). */
enum cli_exit {
    CLI_EXIT_OK = 0,       /* success                                            */
    CLI_EXIT_DEVICE = 1,   /* the device answered with an error block            */
    CLI_EXIT_USAGE = 2,    /* bad command line                                   */
    CLI_EXIT_CONN = 3,     /* resolve, connect, connection closed, socket error  */
    CLI_EXIT_AUTH = 4,     /* authentication refused, or no reply to it (key)    */
    CLI_EXIT_TIMEOUT = 5,  /* no answer in time                                  */
    CLI_EXIT_PROTOCOL = 6, /* protocol, framing or decoding error; invalid input */
    CLI_EXIT_IGNORED = 7   /* the device answered a write with success, but the
                              state read back shows it was not applied      */
};

/* ---- option parsing ----------------------------------------------------- */

struct cli_optdef {
    const char *name;  /* long name without "--"; NULL ends a table */
    char short_name;   /* 0: none                                   */
    bool has_arg;
    int id;            /* > 0                                       */
};

/* Option ids shared by the commands. Command-specific ids start at 100. */
enum {
    OPT_HELP = 1,
    OPT_JSON,
    OPT_HOST,
    OPT_PORT,
    OPT_USER,
    OPT_PASSWORD,
    OPT_KEY,
    OPT_TIMEOUT,
    OPT_CONFIG,
    OPT_SHOW_SECRETS
};

#define CLI_OPT_HELP {"help", 'h', false, OPT_HELP}
#define CLI_OPT_JSON {"json", 'j', false, OPT_JSON}
#define CLI_OPTS_CONN                                                                            \
    {"host", 'H', true, OPT_HOST}, {"port", 'p', true, OPT_PORT}, {"user", 'u', true, OPT_USER}, \
        {"password", 0, true, OPT_PASSWORD}, {"key", 0, true, OPT_KEY},                          \
        {"timeout", 't', true, OPT_TIMEOUT}, {"config", 0, true, OPT_CONFIG}
#define CLI_OPT_END {NULL, 0, false, 0}

struct cli_opts {
    int argc;
    char **argv;
    int i;            /* next argument                    */
    bool only_pos;    /* after "--"                       */
    const char *cmd;  /* command name for messages        */
    const char *arg;  /* argument of the last option, or the positional */
    char shorts[8];   /* pending bundled short options    */
};

void cli_opts_init(struct cli_opts *o, const char *cmd, int argc, char **argv);

/* Next item: an option id (> 0, o->arg set when it takes one), 0 for a
 * positional argument (in o->arg), -1 at the end, or CLI_OPT_BAD after
 * printing a usage error to stderr. */
#define CLI_OPT_BAD (-2)
int cli_opts_next(struct cli_opts *o, const struct cli_optdef *defs);

/* Print "rscp CMD: message" + a hint to stderr; returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) CLI_PRINTF(2, 3);

/* "rscp: message" to stderr. */
void cli_error(const char *fmt, ...) CLI_PRINTF(1, 2);
void cli_warn(const char *fmt, ...) CLI_PRINTF(1, 2);

/* ---- connection settings ------------------------------------------------ */

struct cli_conn {
    char *host;
    unsigned port;          /* 0: not set */
    char *user;
    char *password;
    char *key;
    int timeout_ms;         /* 0: not set */
    char *config_path;      /* --config   */
};

/* Take a connection option (OPT_HOST ... OPT_CONFIG) from the command line;
 * warns about secrets given there. Returns 0, or CLI_EXIT_USAGE after a
 * message. */
int cli_conn_option(struct cli_conn *c, const char *cmd, int id, const char *arg);

/* Fill what the command line left unset from the environment (RSCP_HOST,
 * RSCP_PORT, RSCP_USER, RSCP_PASSWORD, RSCP_KEY, RSCP_TIMEOUT) and the
 * config file; prompt for a missing password on a terminal. Returns 0 or an
 * exit code after a message. */
int cli_conn_resolve(struct cli_conn *c, const char *cmd);

/* Connect and authenticate. Returns 0 with *out, or an exit code after a
 * message. */
int cli_connect(struct cli_conn *c, rscp_client **out);

/* Wipe secrets and free the strings. */
void cli_conn_free(struct cli_conn *c);

/* One request/response over c with the blocks written by fill(ctx, b).
 * Returns 0 with *reply (valid until the next call on c), or an exit code
 * after a message. */
int cli_request(rscp_client *c, int (*fill)(void *ctx, struct rscp_builder *b), void *ctx,
                struct rscp_frame *reply);

/* The client's last error as one line ("timed out: 192.0.2.1:5033 sent no
 * reply ..."), or the message of err when the client has no detail. Never
 * holds secrets. */
const char *cli_client_error(const rscp_client *c, int err);

/* Print every ERROR block of a reply to stderr by tag and error name, with
 * a hint ("rscp: device error: RSCP.GENERAL_ERROR = AGAIN (the device is
 * busy: try again)"). Returns the number of ERROR blocks. */
unsigned cli_report_device_errors(const struct rscp_frame *reply);

/* A write's answer that its parse could not read (prc < 0, other than
 * RSCP_ERR_DEVICE, which the caller names). When the reply holds ERROR
 * blocks instead of the answer (a busy device's GENERAL_ERROR AGAIN), the
 * write was refused: "the device refused WHAT:" and each error by name,
 * CLI_EXIT_DEVICE. Otherwise "malformed reply to WHAT: ...",
 * CLI_EXIT_PROTOCOL. */
int cli_write_reply_failed(const struct rscp_frame *reply, int prc, const char *what);

/* Exit code for a library error code. */
int cli_exit_for_error(int err);

/* ---- output ------------------------------------------------------------- */

/* Sink writing to a FILE * (ctx). */
int cli_file_sink(void *ctx, const char *s, size_t n);

/* A JSON string literal of s[0..n) to f. */
void cli_json_string(FILE *f, const char *s, size_t n);

/* ISO-8601 UTC time ("2024-05-01T12:00:00Z", with ".nnnnnnnnn" when
 * nanoseconds != 0) into buf[48]. */
void cli_format_time(int64_t seconds, uint32_t nanoseconds, char *buf, size_t cap);

/* A JSON number for v: a value that is exactly a float prints as the
 * shortest decimal that reads back as that float (values of FLOAT32
 * blocks), others as the shortest for the double; NaN and infinities as
 * null. The formatting is the dumps' (rscp_format_float32). */
void cli_json_number(FILE *f, double v);

/* Device-local wall-clock time "2024-05-01T14:00:00" (no zone) of the
 * seconds given as local wall time. */
void cli_format_local_time(int64_t local_seconds, char *buf, size_t cap);

/* A UTC offset as "+2:00", "-3:30" or "+0:00" into buf[16]. */
void cli_format_utc_offset(int32_t seconds, char *buf, size_t cap);

/* s[0..n) made safe to show in a message: valid UTF-8 stays, control
 * bytes and bytes that are not valid UTF-8 become \xHH, a backslash \\.
 * Always NUL-terminated; cut (with "...") when it does not fit cap. */
void cli_printable(const char *s, size_t n, char *out, size_t cap);

/* Open a file for reading ("-": stdin). NULL after a message. */
FILE *cli_open_input(const char *path);

/* Input of the JSON readers (encode, get --json-request) is read whole:
 * at most this much. */
#define CLI_MAX_JSON_INPUT (4u << 20)

/* Read a whole JSON input file ("-": stdin), at most CLI_MAX_JSON_INPUT
 * bytes (reading stops right after the limit). Returns 0 with *text (a
 * malloc'd buffer, NUL-terminated, *len without the NUL), or an exit code
 * after a message: CLI_EXIT_USAGE (cannot open or read), CLI_EXIT_PROTOCOL
 * (too large, out of memory). */
int cli_read_json_input(const char *path, char **text, size_t *len);

/* ---- values from text (get specs) and JSON (encode form) ---------------- */


/* Parse a hex string (whitespace, ':', '-' and ',' separators allowed,
 * optional "0x" prefix before a byte) into out[0..cap). Returns the number
 * of bytes, or -1 with a message in err naming the character offset (a NUL
 * byte is an invalid character like any other). */
long cli_hex_decode(const char *s, size_t len, uint8_t *out, size_t cap, char *err, size_t errcap);

/* The same as a stream: text in pieces split anywhere gives the bytes and
 * errors of the whole. Offsets in messages count from the first piece. */
struct cli_hex_state {
    int hi;             /* first digit of the pending byte, -1: none    */
    bool zero;          /* a '0' that may start an "0x" prefix          */
    uint64_t hi_pos;    /* character offset of hi                       */
    uint64_t offset;    /* characters consumed                          */
    size_t before_error; /* bytes of the failed feed before its error   */
};
void cli_hex_init(struct cli_hex_state *st);
/* Decode s[0..len) into out[0..cap) (len / 2 + 1 always suffices).
 * Returns the number of bytes, or -1 with a message (st->before_error
 * then holds the bytes written before the error). */
long cli_hex_feed(struct cli_hex_state *st, const char *s, size_t len, uint8_t *out, size_t cap, char *err,
                  size_t errcap);
/* At the end of the text: 0, or -1 with a message for a lone digit. */
int cli_hex_finish(const struct cli_hex_state *st, char *err, size_t errcap);

/* Whether an integer type (CHAR8 ... UINT64) is one of the unsigned ones. */
bool cli_int_type_unsigned(int type);

/* Write an integer block of type CHAR8 ... UINT64 holding i (signed types)
 * or u (unsigned types). Returns 0, or -1 with nothing written when the
 * value does not fit the type (or type is no integer type). */
int cli_put_int(struct rscp_builder *b, uint32_t tag, int type, int64_t i, uint64_t u);

/* Parse a decimal number ([+-] digits [. digits] [e [+-] digits]; no nan,
 * inf or hex). Returns 0 and *out, or -1 with the reason in *why (also for
 * a value beyond the range of a double, or one that would become 0). */
int cli_parse_real(const char *s, double *out, const char **why);

/* Write a FLOAT32 or DOUBLE64 block holding d (NaN allowed). Returns 0, or
 * -1 with the reason in *why and nothing written: an infinity, a value
 * beyond the range of the type, or a non-zero one that would become 0. */
int cli_put_real(struct rscp_builder *b, uint32_t tag, int type, double d, const char **why);

/* Write a block of tag/type with a value given as text (spec syntax).
 * Returns 0 or -1 with a message in err. */
int cli_put_text_value(struct rscp_builder *b, uint32_t tag, int type, const char *text, size_t len,
                       char *err, size_t errcap);

/* Write the blocks of a "get" spec ("BAT.REQ_DATA{BAT.INDEX=0,BAT.REQ_RSOC}").
 * Returns 0 or -1 with a message in err. */
int cli_spec_put(struct rscp_builder *b, const char *spec, char *err, size_t errcap);

struct json_value;
/* Write a JSON array of blocks in the dump form into b. */
int cli_json_put_blocks(struct rscp_builder *b, const struct json_value *blocks, char *err, size_t errcap);

/* ---- commands (argv[0] is the command name) ------------------------------ */

int cli_cmd_live(int argc, char **argv);
int cli_cmd_info(int argc, char **argv);
int cli_cmd_history(int argc, char **argv);
int cli_cmd_get(int argc, char **argv);
int cli_cmd_decode(int argc, char **argv);
int cli_cmd_encode(int argc, char **argv);
int cli_cmd_tags(int argc, char **argv);
int cli_cmd_sim(int argc, char **argv);
int cli_cmd_demo(int argc, char **argv);
int cli_cmd_status(int argc, char **argv);
int cli_cmd_battery(int argc, char **argv);
int cli_cmd_pv(int argc, char **argv);
int cli_cmd_meters(int argc, char **argv);
int cli_cmd_wallbox(int argc, char **argv);
int cli_cmd_settings(int argc, char **argv);
int cli_cmd_idle_periods(int argc, char **argv);
int cli_cmd_set(int argc, char **argv);
int cli_cmd_power(int argc, char **argv);
int cli_cmd_charge(int argc, char **argv);

/* Seconds > 0 (fractions allowed). Returns 0 or -1. */
int cli_parse_seconds(const char *s, double *out);

/* Readings of `rscp live` against an open client, shared with demo: one
 * when watch_seconds is 0, else one every watch_seconds on a fixed
 * schedule until count readings (0: no limit) or SIGINT/SIGTERM. A lost
 * connection is reported on stderr and rebuilt with backoff, whatever the
 * error, until a reading comes through; the reading after the gap says how
 * long it lasted. Returns the exit code: 128 + the signal when stopped by
 * one; else 0, 1 when a reading held device errors, 6 when a reply was
 * unusable; for one reading, the code of its error. */
int cli_live_run(rscp_client *c, bool json, double watch_seconds, long count);

/* One reading: the live summary and the device's UTC offset (from the
 * INFO clocks of the same reply) when it gave both clocks. */
struct cli_live_reading {
    struct rscp_live live;
    bool have_offset;
    int32_t utc_offset; /* seconds east of UTC */
};

/* The live request: rscp_live_request() plus INFO.REQ_TIME and
 * INFO.REQ_UTC_TIME. Returns 0 or the builder's error. */
int cli_live_request(struct rscp_builder *b);

/* Read a reply to cli_live_request(). Returns 0, or CLI_EXIT_PROTOCOL
 * after a message for a malformed reply or one that holds none of the
 * values asked for (neither a value nor a device error). */
int cli_live_parse(const struct rscp_frame *reply, struct cli_live_reading *r);

/* The EMS.STATUS bits of status for JSON: the id of each set bit with a
 * known meaning (rscp_ems_status_bit_id(), lowest first) into ids[0..cap),
 * and the bits without one in *rest. Returns the number of ids stored. */
size_t cli_status_ids(uint64_t status, const char **ids, size_t cap, uint64_t *rest);

/* The same as a JSON array to f: the ids, then the other bits as one hex
 * string ("0x100"), e.g. ["emergency_ready","feed_in_limited"]. */
void cli_json_status_names(FILE *f, uint64_t status);

/* One reading as a table or as one JSON line (see `rscp live --help`). */
void cli_live_print(const struct cli_live_reading *r, bool json);

#endif
