/* librscp: wallbox control through WB.REQ_SET_EXTERN. Pure codec functions.
 *
 * The request is WB.REQ_DATA { WB.INDEX UCHAR8, WB.REQ_SET_EXTERN {
 * WB.EXTERN_DATA_LEN UCHAR8 6, WB.EXTERN_DATA BYTEARRAY(6) } } with the
 * bytes (as the bridges in use send them):
 *   [0] 1 sun mode, 2 mixed mode      (a value: always sent)
 *   [1] charge current, A             (a value: always sent)
 *   [2] 0                             (pre-charge, not used)
 *   [3] 1 toggles the phases (1 <-> 3)
 *   [4] 1 toggles suspended / charging
 *   [5] 0                             (toggles the Schuko socket, not used)
 * Because [3] and [4] are toggles, sending the same request twice undoes
 * it. rscp_wallbox_set_request() therefore takes the wanted end state and
 * the state read just before (rscp_wallbox_parse() of rscp/wallbox.h), and
 * sets a toggle only where the two differ: calling it again with a fresh
 * state toggles nothing. */
#ifndef RSCP_WALLBOX_CONTROL_H
#define RSCP_WALLBOX_CONTROL_H

#include "rscp/builder.h"
#include "rscp/common.h"
#include "rscp/wallbox.h"

#define RSCP_WB_EXTERN_SET_LEN 6u  /* bytes of WB.EXTERN_DATA in a set request */
#define RSCP_WB_CURRENT_MIN_A 6u   /* charge current bounds when the wallbox   */
#define RSCP_WB_CURRENT_MAX_A 32u  /* does not report its own                  */

/* Bits of struct rscp_wallbox_target.set and of the `changed` result. */
#define RSCP_WBT_MODE 0x1u      /* sun or mixed mode   */
#define RSCP_WBT_CURRENT 0x2u   /* charge current      */
#define RSCP_WBT_PHASES 0x4u    /* 1 or 3 phases       */
#define RSCP_WBT_SUSPENDED 0x8u /* suspended (aborted) */
#define RSCP_WBT_ALL 0xFu
#define RSCP_WBT_MIN_CURRENT 0x10u /* refusals only: rscp_wallbox_min_current_check() */

/* The wanted end state; only the fields whose bit is in `set` count. */
struct rscp_wallbox_target {
    uint32_t set;
    bool sun_mode;      /* true: sun mode (surplus only); false: mixed */
    uint8_t current_a;  /* charge current, A                           */
    uint8_t phases;     /* 1 or 3                                      */
    bool suspended;     /* true: charging suspended (aborted)          */
};

/* Why a target was refused, for messages. */
struct rscp_wallbox_refusal {
    uint32_t field;     /* RSCP_WBT_* bit                                       */
    int64_t value;      /* what was asked                                       */
    int64_t min, max;   /* the allowed range (current) or {1, 3} (phases)       */
};

RSCP_BEGIN_DECLS

/* Check a target against the wallbox's state: the current within the
 * wallbox's MIN_CHARGE_CURRENT..MAX_CHARGE_CURRENT when it reports them
 * (else RSCP_WB_CURRENT_MIN_A..RSCP_WB_CURRENT_MAX_A), phases 1 or 3.
 * Returns 0, RSCP_ERR_RANGE with *why (may be NULL) set, or RSCP_ERR_ARG. */
RSCP_API int rscp_wallbox_target_check(const struct rscp_wallbox *state, const struct rscp_wallbox_target *want,
                                       struct rscp_wallbox_refusal *why);

/* Write the request that takes the wallbox from `state` to `want` into b,
 * when anything differs. The mode and current bytes carry the target's
 * values, or the state's for fields not set; a toggle byte is set only for
 * a set field whose state differs. *changed (may be NULL) gets the
 * RSCP_WBT_* bits of the fields that will change.
 * Returns 1 when a request was written; 0 when the state already is the
 * target (nothing written); RSCP_ERR_ARG (NULL argument, no bit in
 * want->set, index >= RSCP_WB_MAX_WALLBOXES); RSCP_ERR_NOT_FOUND when state
 * lacks what the decision needs (the status and current for the value
 * bytes unless both are set in want, a phase count of 1 or 3 for a phase
 * change, the status for a suspend change); RSCP_ERR_RANGE with *why (may be NULL)
 * from rscp_wallbox_target_check(); or the builder's error. Nothing is
 * written on error but the builder's. */
RSCP_API int rscp_wallbox_set_request(struct rscp_builder *b, unsigned index, const struct rscp_wallbox *state,
                                      const struct rscp_wallbox_target *want, uint32_t *changed,
                                      struct rscp_wallbox_refusal *why);

/* Read the answer to a set request: the WB.DATA container of wallbox
 * `index` in f and its WB.SET_EXTERN. Returns 0 when the device took the
 * request (read the state again to see the effect: the toggles act
 * asynchronously), RSCP_ERR_DEVICE with *device_error (may be NULL) when
 * WB.SET_EXTERN or the whole WB.DATA is an ERROR block, RSCP_ERR_NOT_FOUND
 * when either is missing, or a structure error. */
RSCP_API int rscp_wallbox_set_parse(const struct rscp_frame *f, unsigned index, uint32_t *device_error);

/* ---- the minimum charge current and the automatic phase switch ----------
 *
 * WB.REQ_DATA { WB.INDEX, WB.REQ_SET_MIN_CHARGE_CURRENT UCHAR8 A } ->
 * WB.DATA { WB.INDEX, WB.SET_MIN_CHARGE_CURRENT (the current taken) }: the
 * least current the wallbox charges with (sun mode starts at it); read
 * back as WB.MIN_CHARGE_CURRENT (rscp_wallbox.min_current). The tag list
 * types it INT32; it is sent as UCHAR8 as the bridges in use send it, and
 * the answer is read as any integer type.
 * WB.REQ_DATA { WB.INDEX, WB.REQ_SET_AUTO_PHASE_SWITCH_ENABLED BOOL } ->
 * WB.DATA { WB.INDEX, WB.SET_AUTO_PHASE_SWITCH_ENABLED BOOL }; read back
 * as WB.AUTO_PHASE_SWITCH_ENABLED (rscp_wallbox.auto_phase_switch). */

/* Check a minimum current against the wallbox's state: at least
 * RSCP_WB_CURRENT_MIN_A, at most the wallbox's MAX_CHARGE_CURRENT when it
 * reports one (else RSCP_WB_CURRENT_MAX_A) and at most the charge current
 * set now (EXTERN_DATA_ALG byte 3) when it is known: a minimum above the
 * current would leave no current to charge with. Returns 0, RSCP_ERR_RANGE
 * with *why (may be NULL; field RSCP_WBT_MIN_CURRENT) or RSCP_ERR_ARG. */
RSCP_API int rscp_wallbox_min_current_check(const struct rscp_wallbox *state, unsigned amps,
                                            struct rscp_wallbox_refusal *why);

/* Write the set request of a minimum current, checked first with
 * rscp_wallbox_min_current_check() (state may be NULL: then only
 * RSCP_WB_CURRENT_MIN_A..RSCP_WB_CURRENT_MAX_A). Returns 0; RSCP_ERR_ARG
 * (b NULL, index >= RSCP_WB_MAX_WALLBOXES); RSCP_ERR_RANGE with *why
 * (nothing written); or the builder's error. */
RSCP_API int rscp_wallbox_min_current_request(struct rscp_builder *b, unsigned index,
                                              const struct rscp_wallbox *state, unsigned amps,
                                              struct rscp_wallbox_refusal *why);

/* Read its answer: WB.SET_MIN_CHARGE_CURRENT in wallbox `index`'s WB.DATA
 * into *amps (may be NULL). Returns 0, RSCP_ERR_DEVICE with *device_error
 * (may be NULL) when it or the whole WB.DATA is an ERROR block,
 * RSCP_ERR_NOT_FOUND, RSCP_ERR_TYPE or a structure error. */
RSCP_API int rscp_wallbox_min_current_parse(const struct rscp_frame *f, unsigned index, int64_t *amps,
                                            uint32_t *device_error);

/* Write the set request of the automatic phase switch. Returns 0,
 * RSCP_ERR_ARG (b NULL, index >= RSCP_WB_MAX_WALLBOXES) or the builder's
 * error. */
RSCP_API int rscp_wallbox_auto_phase_request(struct rscp_builder *b, unsigned index, bool on);

/* Read its answer WB.SET_AUTO_PHASE_SWITCH_ENABLED (BOOL or integer) into
 * *on (may be NULL), with the returns of rscp_wallbox_min_current_parse(). */
RSCP_API int rscp_wallbox_auto_phase_parse(const struct rscp_frame *f, unsigned index, bool *on,
                                           uint32_t *device_error);

RSCP_END_DECLS

#endif
