/* librscp: typed high-level requests and replies. Pure codec functions.
 *
 * Each query has two halves: a *_request() that writes the request blocks
 * into a caller's builder (frame or bare-block mode), and a *_parse() that
 * reads a reply frame into a plain C struct. No socket, no clock, no heap:
 * the same calls serve the rscp tool, a bridge or a test.
 *
 *     struct rscp_builder b;
 *     rscp_client_request_begin(client, &b);
 *     rscp_live_request(&b);
 *     struct rscp_frame reply;
 *     if (rscp_client_request_send(client, &b, &reply) == 0) {
 *         struct rscp_live live;
 *         rscp_live_parse(&reply, &live);
 *     }
 *
 * Device error blocks in a reply are data: the field stays unset (its bit
 * is clear in `present`) and `device_errors` counts them. Unknown extra
 * blocks are ignored. Values whose integer type varies between firmware
 * versions are read leniently (any integer type). */
#ifndef RSCP_API_H
#define RSCP_API_H

#include "rscp/builder.h"
#include "rscp/error.h"
#include "rscp/common.h"
#include "rscp/frame.h"
#include "rscp/types.h"
#include "rscp/value.h"

/* ---- live power summary --------------------------------------------- */

/* Bits of struct rscp_live.present. */
#define RSCP_LIVE_PV 0x001u
#define RSCP_LIVE_BAT 0x002u
#define RSCP_LIVE_GRID 0x004u
#define RSCP_LIVE_HOME 0x008u
#define RSCP_LIVE_WB_ALL 0x010u
#define RSCP_LIVE_WB_SOLAR 0x020u
#define RSCP_LIVE_ADD 0x040u
#define RSCP_LIVE_SOC 0x080u
#define RSCP_LIVE_AUTARKY 0x100u
#define RSCP_LIVE_SELF_CONSUMPTION 0x200u
#define RSCP_LIVE_STATUS 0x400u
#define RSCP_LIVE_ALL 0x7FFu

/* One reading of the energy management (EMS namespace). Powers in W. */
struct rscp_live {
    struct rscp_timestamp time; /* timestamp of the reply frame            */
    int64_t pv;                 /* EMS.POWER_PV: solar production           */
    int64_t bat;                /* EMS.POWER_BAT: + charging, - discharging */
    int64_t grid;               /* EMS.POWER_GRID: + import, - export       */
    int64_t home;               /* EMS.POWER_HOME: house consumption        */
    int64_t wb_all;             /* EMS.POWER_WB_ALL: all wallboxes          */
    int64_t wb_solar;           /* EMS.POWER_WB_SOLAR: their solar share    */
    int64_t add;                /* additional producer's output: EMS.POWER_ADD
                                   with its sign flipped (devices report
                                   production negative), so that
                                   pv + add + grid = home + bat + wb_all   */
    double soc;                 /* EMS.BAT_SOC, percent                     */
    double autarky;             /* EMS.AUTARKY, percent                     */
    double self_consumption;    /* EMS.SELF_CONSUMPTION, percent            */
    uint64_t status;            /* EMS.STATUS bits                          */
    uint32_t present;           /* RSCP_LIVE_* bits of the fields set       */
    uint32_t device_errors;     /* ERROR blocks answering these requests    */
};

/* ---- system information ---------------------------------------------- */

#define RSCP_INFO_SERIAL 0x001u
#define RSCP_INFO_PRODUCTION_DATE 0x002u
#define RSCP_INFO_SW_RELEASE 0x004u
#define RSCP_INFO_MAC 0x008u
#define RSCP_INFO_IP 0x010u
#define RSCP_INFO_TIME_ZONE 0x020u
#define RSCP_INFO_TIME 0x040u
#define RSCP_INFO_UTC_TIME 0x080u
#define RSCP_INFO_ALL 0x0FFu

#define RSCP_INFO_STR_MAX 96u /* longer strings are cut (and NUL-terminated) */

/* INFO namespace: identity, network and clock of the device. Strings are
 * NUL-terminated copies (a NUL inside the value ends it early). */
struct rscp_info {
    char serial[RSCP_INFO_STR_MAX];          /* INFO.SERIAL_NUMBER    */
    char production_date[RSCP_INFO_STR_MAX]; /* INFO.PRODUCTION_DATE  */
    char sw_release[RSCP_INFO_STR_MAX];      /* INFO.SW_RELEASE       */
    char mac[RSCP_INFO_STR_MAX];             /* INFO.MAC_ADDRESS      */
    char ip[RSCP_INFO_STR_MAX];              /* INFO.IP_ADDRESS       */
    char time_zone[RSCP_INFO_STR_MAX];       /* INFO.TIME_ZONE        */
    struct rscp_timestamp time;              /* INFO.TIME: local wall clock written as if UTC */
    struct rscp_timestamp utc_time;          /* INFO.UTC_TIME         */
    uint32_t present;                        /* RSCP_INFO_* bits      */
    uint32_t device_errors;                  /* ERROR blocks answering these requests */
};

/* ---- history (DB namespace) ------------------------------------------ */

enum rscp_history_range {
    RSCP_HISTORY_DAY = 0,
    RSCP_HISTORY_WEEK = 1,
    RSCP_HISTORY_MONTH = 2,
    RSCP_HISTORY_YEAR = 3
};

/* Bits of struct rscp_history_values.present. */
#define RSCP_HIST_GRAPH_INDEX 0x0001u
#define RSCP_HIST_BAT_IN 0x0002u
#define RSCP_HIST_BAT_OUT 0x0004u
#define RSCP_HIST_PV 0x0008u
#define RSCP_HIST_GRID_IN 0x0010u
#define RSCP_HIST_GRID_OUT 0x0020u
#define RSCP_HIST_HOME 0x0040u
#define RSCP_HIST_PM0 0x0080u
#define RSCP_HIST_PM1 0x0100u
#define RSCP_HIST_SOC 0x0200u
#define RSCP_HIST_CYCLES 0x0400u
#define RSCP_HIST_CONSUMED_PRODUCTION 0x0800u
#define RSCP_HIST_AUTARKY 0x1000u

/* One SUM_CONTAINER or VALUE_CONTAINER. Energies in Wh. The grid fields
 * are named after their tags: DB.GRID_POWER_IN is the energy fed INTO the
 * grid (export, feed-in), DB.GRID_POWER_OUT the energy taken OUT of it
 * (import), as other implementations read them (docs/PROTOCOL.md,
 * History). They balance:
 * pv + pm0 + pm1 + grid_out + bat_out = home + grid_in + bat_in (the
 * additional producers' energy is part of what home consumed). */
struct rscp_history_values {
    double graph_index;         /* DB.GRAPH_INDEX: interval number          */
    double bat_in;              /* DB.BAT_POWER_IN: into the battery        */
    double bat_out;             /* DB.BAT_POWER_OUT: out of the battery     */
    double pv;                  /* DB.DC_POWER: solar production            */
    double grid_in;             /* DB.GRID_POWER_IN: export (feed-in)      */
    double grid_out;            /* DB.GRID_POWER_OUT: import (from grid)   */
    double home;                /* DB.CONSUMPTION: house                    */
    double pm0;                 /* DB.PM_0_POWER: additional producer(s),   */
    double pm1;                 /* DB.PM_1_POWER:   part of home's supply   */
    double soc;                 /* DB.BAT_CHARGE_LEVEL, percent             */
    double cycles;              /* DB.BAT_CYCLE_COUNT                       */
    double consumed_production; /* DB.CONSUMED_PRODUCTION, percent          */
    double autarky;             /* DB.AUTARKY, percent                      */
    uint32_t present;           /* RSCP_HIST_* bits                         */
};

RSCP_BEGIN_DECLS

/* Write the live-summary requests (EMS.REQ_POWER_PV, _BAT, _GRID, _HOME,
 * _WB_ALL, _WB_SOLAR, _ADD, REQ_BAT_SOC, REQ_AUTARKY,
 * REQ_SELF_CONSUMPTION, REQ_STATUS) into b. Returns 0 or the builder's
 * sticky error. */
RSCP_API int rscp_live_request(struct rscp_builder *b);

/* Read a reply to rscp_live_request(). Fills *out (zeroed first; the
 * frame's timestamp in out->time). out->device_errors counts the ERROR
 * blocks that answer the live requests only (the live answer tags, and a
 * GENERAL_ERROR 0xNNFFFFFF of the RSCP or EMS namespace, such as a busy
 * device's): in a frame shared with other typed requests, theirs are left
 * to their own parses. Returns 0, or a structure error of the frame
 * data (RSCP_ERR_TRUNCATED, _BLOCK_OVERRUN). A value of an unexpected type
 * is skipped, not an error. */
RSCP_API int rscp_live_parse(const struct rscp_frame *f, struct rscp_live *out);

/* Write the INFO requests behind struct rscp_info into b. */
RSCP_API int rscp_info_request(struct rscp_builder *b);

/* Read a reply to rscp_info_request(). Same rules as rscp_live_parse()
 * (device_errors counts the ERROR blocks of the INFO answers and the
 * RSCP or INFO GENERAL_ERROR only). */
RSCP_API int rscp_info_parse(const struct rscp_frame *f, struct rscp_info *out);

/* Offset of device-local time from UTC in seconds (INFO.TIME minus
 * INFO.UTC_TIME, rounded to the nearest quarter hour). Returns 0 and
 * *offset, or RSCP_ERR_NOT_FOUND when info lacks either time. */
RSCP_API int rscp_info_utc_offset(const struct rscp_info *info, int32_t *offset);

/* The request container tag of a range (DB.REQ_HISTORY_DATA_DAY ...), or 0
 * for an invalid range. */
RSCP_API uint32_t rscp_history_tag(int range);

/* Write DB.REQ_HISTORY_DATA_<range> { TIME_START, TIME_INTERVAL, TIME_SPAN }
 * (TIMESTAMP values, as the tag list types them).
 * start is the device's local wall-clock time written as if it were UTC
 * (seconds since 1970-01-01T00:00 of the device's calendar), not a Unix
 * instant: the device reads the start that way. The real instant of the
 * device's local midnight on 2024-06-20 in Berlin (UTC+2) is 1718834400,
 * but the day starts at start = 1718841600; passing the instant asks for
 * a day shifted by the UTC offset, without an error. Take the value from
 * rscp_history_start_of_date() or rscp_history_start_of_instant().
 * interval and span: seconds (the device raises values below 900).
 * Returns 0, RSCP_ERR_ARG (bad range, interval or span 0) or the builder's
 * sticky error. */
RSCP_API int rscp_history_request(struct rscp_builder *b, int range, int64_t start, uint32_t interval,
                                  uint32_t span);

/* The start value of rscp_history_request() for the device-local midnight
 * that begins the calendar date year-month-day on the device (days since
 * 1970-01-01 times 86400). A local date needs no UTC offset: the device
 * applies its own. year 1970..9999, month 1..12, day 1..the month's last.
 * Returns 0 with *start, or RSCP_ERR_ARG for an invalid date or a NULL
 * start. */
RSCP_API int rscp_history_start_of_date(int year, int month, int day, int64_t *start);

/* The start value of rscp_history_request() for a real instant (Unix
 * seconds) on a device whose local time is utc_offset seconds ahead of UTC
 * (rscp_info_utc_offset(); summer time included): unix_seconds +
 * utc_offset. Exact for the offset in force at that instant. */
RSCP_API int64_t rscp_history_start_of_instant(int64_t unix_seconds, int32_t utc_offset);

/* Read a reply to rscp_history_request(range): the SUM_CONTAINER into *sum
 * and the VALUE_CONTAINERs, in order, into rows[0..cap). *n_rows gets the
 * number of VALUE_CONTAINERs in the reply (may exceed cap: only the first
 * cap are stored). rows may be NULL when cap is 0.
 * Returns 0; RSCP_ERR_DEVICE with *device_error (may be NULL) set when the
 * device answered the container with an ERROR block; RSCP_ERR_NOT_FOUND
 * when the reply has no HISTORY_DATA container; RSCP_ERR_TYPE when its
 * HISTORY_DATA block is neither a container nor an ERROR block; or a
 * structure error. */
RSCP_API int rscp_history_parse(const struct rscp_frame *f, int range, struct rscp_history_values *sum,
                                struct rscp_history_values *rows, size_t cap, size_t *n_rows,
                                uint32_t *device_error);

/* Read one SUM_CONTAINER / VALUE_CONTAINER block into *out (zeroed first).
 * Returns 0, RSCP_ERR_TYPE (not a container) or a structure error. */
RSCP_API int rscp_history_values_parse(const struct rscp_block *container, struct rscp_history_values *out);

/* ---- index containers (BAT, PVI, PM, DCDC, WB ...) -------------------- */

/* Write container_tag { index_tag = index, sub[0], ..., sub[n-1] } with
 * each sub-request as a NONE block. The index is written with index_type
 * (an integer type code), or with the dictionary's type of index_tag when
 * index_type is -1 (UINT16 when the dictionary does not know it).
 * Returns 0, RSCP_ERR_ARG (non-integer index type, or sub NULL with n > 0),
 * RSCP_ERR_RANGE (index does not fit the type) or the builder's error. */
RSCP_API int rscp_index_request(struct rscp_builder *b, uint32_t container_tag, uint32_t index_tag,
                                int index_type, uint64_t index, const uint32_t *sub, size_t n);

/* The index inside a reply container (e.g. BAT.DATA holding BAT.INDEX):
 * finds index_tag among the children and reads it as any integer type.
 * Returns 0 and *index, RSCP_ERR_NOT_FOUND, RSCP_ERR_TYPE, RSCP_ERR_RANGE
 * or a structure error. */
RSCP_API int rscp_index_parse(const struct rscp_block *container, uint32_t index_tag, uint64_t *index);

/* Find the first reply container with tag container_tag whose index_tag
 * equals index, at the top level of a frame. Returns 0 and *out,
 * RSCP_ERR_NOT_FOUND or a structure error. */
RSCP_API int rscp_index_find(const struct rscp_frame *f, uint32_t container_tag, uint32_t index_tag,
                             uint64_t index, struct rscp_block *out);

/* Count the ERROR blocks anywhere in a block sequence (recursively, up to
 * the default depth limit). Returns the count (>= 0) or a structure error. */
RSCP_API int rscp_count_device_errors(const void *data, size_t len);

RSCP_END_DECLS

#endif
