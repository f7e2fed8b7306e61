/* librscp: battery controls: manual charge, idle periods and the
 * emergency-power reserve. Pure codec functions, like rscp/api.h.
 *
 * Manual charge:  EMS.REQ_START_MANUAL_CHARGE UINT32 Wh -> EMS.START_MANUAL_CHARGE
 *                 BOOL; EMS.REQ_GET_MANUAL_CHARGE -> EMS.GET_MANUAL_CHARGE
 *                 { MANUAL_CHARGE_ACTIVE, _ENERGY_COUNTER, _START_COUNTER,
 *                 _LASTSTART }. The device rate-limits starts (about one a
 *                 day) and answers a start it ignores with success too: only
 *                 the state read back tells (rscp_manual_charge_started()).
 * Idle periods:   EMS.REQ_GET_IDLE_PERIODS -> EMS.GET_IDLE_PERIODS, a list of
 *                 EMS.IDLE_PERIOD { IDLE_PERIOD_TYPE (0 charge, 1 discharge),
 *                 _DAY (0 Monday .. 6 Sunday), _ACTIVE, _START { _HOUR,
 *                 _MINUTE }, _END { _HOUR, _MINUTE } } in device local time;
 *                 EMS.REQ_SET_IDLE_PERIODS with the same list ->
 *                 EMS.SET_IDLE_PERIODS UCHAR8; the periods as a whole are
 *                 switched by EMS.REQ_[GS]ET_IDLE_PERIODS_ENABLE (BOOL).
 * Reserve:        SE.REQ_EP_RESERVE -> SE.EP_RESERVE { SE.PARAM_INDEX,
 *                 PARAM_EP_RESERVE (%), PARAM_EP_RESERVE_W (Wh),
 *                 PARAM_EP_RESERVE_MAX_W (Wh), PARAM_LAST_SOC };
 *                 SE.REQ_SET_EP_RESERVE { PARAM_INDEX 0, PARAM_EP_RESERVE or
 *                 PARAM_EP_RESERVE_W (FLOAT32) } -> SE.SET_EP_RESERVE. */
#ifndef RSCP_CONTROL_H
#define RSCP_CONTROL_H

#include "rscp/builder.h"
#include "rscp/common.h"
#include "rscp/frame.h"

/* ---- manual charge --------------------------------------------------------- */

/* Largest manual charge accepted by rscp_manual_charge_start_request(), Wh. */
#define RSCP_MANUAL_CHARGE_MAX_WH 1000000u

#define RSCP_MC_ACTIVE 0x1u
#define RSCP_MC_ENERGY 0x2u
#define RSCP_MC_START_COUNTER 0x4u
#define RSCP_MC_LAST_START 0x8u

struct rscp_manual_charge {
    bool active;                     /* EMS.MANUAL_CHARGE_ACTIVE                 */
    double energy_wh;                /* EMS.MANUAL_CHARGE_ENERGY_COUNTER: charged */
    int64_t start_counter;           /* EMS.MANUAL_CHARGE_START_COUNTER          */
    struct rscp_timestamp last_start;/* EMS.MANUAL_CHARGE_LASTSTART              */
    uint32_t present;                /* RSCP_MC_* bits                           */
    uint32_t device_errors;
};

/* ---- idle periods ------------------------------------------------------------ */

#define RSCP_IDLE_PERIODS_MAX 14u /* 7 days x charge and discharge */

enum rscp_idle_type { RSCP_IDLE_CHARGE = 0, RSCP_IDLE_DISCHARGE = 1 };

/* One window, in device local time: the device blocks charging or
 * discharging from start to end on that weekday. */
struct rscp_idle_period {
    uint8_t type;         /* enum rscp_idle_type                 */
    uint8_t day;          /* 0 Monday .. 6 Sunday                */
    bool active;
    uint8_t start_hour, start_minute;
    uint8_t end_hour, end_minute;
};

struct rscp_idle_periods {
    struct rscp_idle_period period[RSCP_IDLE_PERIODS_MAX];
    size_t count;          /* periods stored                                   */
    size_t reported;       /* IDLE_PERIOD entries in the reply (may be > count) */
    uint32_t skipped;      /* entries lacking a field or out of range          */
    bool enabled;          /* EMS.GET_IDLE_PERIODS_ENABLE                      */
    bool enabled_present;
    bool periods_present;  /* EMS.GET_IDLE_PERIODS was answered                */
    uint32_t device_errors;
};

/* ---- emergency-power reserve ------------------------------------------------- */

#define RSCP_EP_PERCENT 0x1u
#define RSCP_EP_ENERGY 0x2u
#define RSCP_EP_MAX 0x4u
#define RSCP_EP_LAST_SOC 0x8u

struct rscp_ep_reserve {
    double percent;   /* SE.PARAM_EP_RESERVE, % of the battery      */
    double energy_wh; /* SE.PARAM_EP_RESERVE_W, Wh                  */
    double max_wh;    /* SE.PARAM_EP_RESERVE_MAX_W, Wh: the largest */
    double last_soc;  /* SE.PARAM_LAST_SOC, %                       */
    uint32_t present; /* RSCP_EP_* bits                             */
    uint32_t device_errors;
};

RSCP_BEGIN_DECLS

/* Write EMS.REQ_START_MANUAL_CHARGE with wh (1..RSCP_MANUAL_CHARGE_MAX_WH).
 * Returns 0, RSCP_ERR_ARG (b NULL), RSCP_ERR_RANGE (nothing written) or the
 * builder's error. */
RSCP_API int rscp_manual_charge_start_request(struct rscp_builder *b, uint32_t wh);

/* Read its reply, EMS.START_MANUAL_CHARGE, into *accepted (the device's
 * word only: see rscp_manual_charge_started()). Returns 0, RSCP_ERR_DEVICE
 * with *device_error (may be NULL), RSCP_ERR_NOT_FOUND, RSCP_ERR_TYPE or a
 * structure error. */
RSCP_API int rscp_manual_charge_start_parse(const struct rscp_frame *f, bool *accepted, uint32_t *device_error);

/* Write EMS.REQ_GET_MANUAL_CHARGE. */
RSCP_API int rscp_manual_charge_request(struct rscp_builder *b);

/* Read EMS.GET_MANUAL_CHARGE into *out (zeroed first). Returns 0,
 * RSCP_ERR_DEVICE with *device_error (may be NULL), RSCP_ERR_NOT_FOUND,
 * RSCP_ERR_TYPE (not a container) or a structure error. */
RSCP_API int rscp_manual_charge_parse(const struct rscp_frame *f, struct rscp_manual_charge *out,
                                      uint32_t *device_error);

/* Whether a start took effect, from the state read before and after it:
 * true when the start counter grew or the last start moved forward (by
 * the fields present in both). after->active is not required: a start the
 * device took can be over before the state is read back (a full battery, or
 * a small energy), and it still used up the device's allowance; a start the
 * device ignored moves neither. Returns 0 with *started, or
 * RSCP_ERR_NOT_FOUND when the states lack what is needed to tell (a counter
 * or a last start in both), or RSCP_ERR_ARG (NULL argument). */
RSCP_API int rscp_manual_charge_started(const struct rscp_manual_charge *before,
                                        const struct rscp_manual_charge *after, bool *started);

/* Write EMS.REQ_GET_IDLE_PERIODS and EMS.REQ_GET_IDLE_PERIODS_ENABLE. */
RSCP_API int rscp_idle_periods_request(struct rscp_builder *b);

/* Read both answers into *out (zeroed first). Periods are stored in reply
 * order up to RSCP_IDLE_PERIODS_MAX; entries with a missing field or a
 * value out of range (day > 6, type > 1, hour > 23, minute > 59) are
 * counted in skipped. Returns 0 when at least one of the two answers is
 * there (see periods_present / enabled_present), RSCP_ERR_DEVICE with
 * *device_error (may be NULL) when the periods were answered with an ERROR
 * block, RSCP_ERR_NOT_FOUND when neither is there, or a structure error. */
RSCP_API int rscp_idle_periods_parse(const struct rscp_frame *f, struct rscp_idle_periods *out,
                                     uint32_t *device_error);

/* Whether a period is the empty window 00:00-00:00: devices list all 14
 * slots (7 days x charge, discharge) and report an unused one that way; it
 * blocks nothing, active or not. Writing it clears a slot. false for NULL. */
RSCP_API bool rscp_idle_period_empty(const struct rscp_idle_period *p);

/* Check one period: 0, or RSCP_ERR_RANGE when a field is out of range or
 * the start is not before the end (a window across midnight is two
 * periods). The empty window 00:00-00:00 (rscp_idle_period_empty()) is
 * valid. *what (may be NULL) names the field ("day", "type", "start",
 * "end", "start after end"), or is set to NULL when the period is valid. */
RSCP_API int rscp_idle_period_check(const struct rscp_idle_period *p, const char **what);

/* Write EMS.REQ_SET_IDLE_PERIODS with periods[0..n) (1..RSCP_IDLE_PERIODS_MAX,
 * each checked). Returns 0, RSCP_ERR_ARG (NULL argument or n out of range),
 * RSCP_ERR_RANGE with *bad (may be NULL) the index of the first bad period
 * (nothing written), or the builder's error. */
RSCP_API int rscp_idle_periods_set_request(struct rscp_builder *b, const struct rscp_idle_period *periods,
                                           size_t n, size_t *bad);

/* Read the answer EMS.SET_IDLE_PERIODS (UCHAR8, any integer width) into
 * *result, as the device sent it: its codes are not documented (the
 * simulator answers 1 when it applied the periods, 0 when not). Returns 0,
 * RSCP_ERR_DEVICE, RSCP_ERR_NOT_FOUND, RSCP_ERR_TYPE or a structure error. */
RSCP_API int rscp_idle_periods_set_parse(const struct rscp_frame *f, int64_t *result, uint32_t *device_error);

/* Write EMS.REQ_SET_IDLE_PERIODS_ENABLE = on. */
RSCP_API int rscp_idle_periods_enable_request(struct rscp_builder *b, bool on);

/* Read EMS.SET_IDLE_PERIODS_ENABLE (BOOL or integer) into *on. */
RSCP_API int rscp_idle_periods_enable_parse(const struct rscp_frame *f, bool *on, uint32_t *device_error);

/* Name of a weekday 0..6 ("monday"), or NULL. */
RSCP_API const char *rscp_idle_day_name(int day);

/* The weekday of a name ("monday".."sunday", case-insensitive, or the
 * first three letters). Returns 0 and *day, RSCP_ERR_UNKNOWN_NAME or
 * RSCP_ERR_ARG. */
RSCP_API int rscp_idle_day_lookup(const char *name, int *day);

/* Write SE.REQ_EP_RESERVE. */
RSCP_API int rscp_ep_reserve_request(struct rscp_builder *b);

/* Read SE.EP_RESERVE into *out (zeroed first). Returns 0, RSCP_ERR_DEVICE,
 * RSCP_ERR_NOT_FOUND, RSCP_ERR_TYPE (not a container) or a structure error. */
RSCP_API int rscp_ep_reserve_parse(const struct rscp_frame *f, struct rscp_ep_reserve *out, uint32_t *device_error);

/* Write SE.REQ_SET_EP_RESERVE { PARAM_INDEX 0, and PARAM_EP_RESERVE (as_wh
 * false: percent 0..100) or PARAM_EP_RESERVE_W (as_wh true: Wh, 0..max_wh
 * when max_wh > 0, else 0..RSCP_MANUAL_CHARGE_MAX_WH) }. Returns 0,
 * RSCP_ERR_ARG, RSCP_ERR_RANGE (not finite or out of range; nothing
 * written) or the builder's error. */
RSCP_API int rscp_ep_reserve_set_request(struct rscp_builder *b, double value, bool as_wh, double max_wh);

/* Read SE.SET_EP_RESERVE: 0 when the device answered it without an ERROR
 * block (the new values are then read with rscp_ep_reserve_request()),
 * RSCP_ERR_DEVICE with *device_error, RSCP_ERR_NOT_FOUND or a structure
 * error. */
RSCP_API int rscp_ep_reserve_set_parse(const struct rscp_frame *f, uint32_t *device_error);

RSCP_END_DECLS

#endif
