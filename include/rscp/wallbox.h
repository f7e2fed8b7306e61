/* librscp: wallboxes (WB namespace), the read side: power and energy per
 * phase, the status bits of WB.EXTERN_DATA_ALG decoded, phases and
 * currents. Pure codec functions in the style of api.h:
 * rscp_wallbox_request() appends one WB.REQ_DATA to a caller's builder
 * (other requests may share the frame), rscp_wallbox_parse() picks the
 * wallbox's WB.DATA out of a reply frame. The state struct holds what a
 * control call needs to decide which toggles to send (sun mode, current,
 * phases, suspended); the control itself is in rscp/control.h.
 * Device error blocks are data: the value stays absent and device_errors
 * counts them. Numbers are read as any integer or float type.
 * Thread-safe on distinct arguments; no heap. */
#ifndef RSCP_WALLBOX_H
#define RSCP_WALLBOX_H

#include "rscp/builder.h"
#include "rscp/common.h"
#include "rscp/error.h"
#include "rscp/frame.h"

#define RSCP_WB_MAX_WALLBOXES 8u /* WB.INDEX 0..7 probed and accepted      */
#define RSCP_WB_PHASES 3u        /* L1..L3                                 */
#define RSCP_WB_EXTERN_MAX 16u   /* EXTERN_DATA bytes kept (devices send 6..8) */

/* Bits of WB.EXTERN_DATA_ALG byte 2 (PROTOCOL.md, wallbox). */
#define RSCP_WB_ALG_PLUGGED 0x08u   /* a car is connected      */
#define RSCP_WB_ALG_LOCKED 0x10u    /* the plug is locked      */
#define RSCP_WB_ALG_CHARGING 0x20u  /* charging now            */
#define RSCP_WB_ALG_SUSPENDED 0x40u /* charging suspended/aborted */
#define RSCP_WB_ALG_SUN_MODE 0x80u  /* sun mode (else mixed)   */

/* What rscp_wallbox_request() asks for. */
#define RSCP_WB_REQ_STATE 0x1u  /* EXTERN_DATA_ALG, NUMBER_PHASES, MIN/MAX_CHARGE_CURRENT, DEVICE_STATE */
#define RSCP_WB_REQ_POWER 0x2u  /* PM_POWER_L1..L3, PM_ACTIVE_PHASES, EXTERN_DATA_SUN                     */
#define RSCP_WB_REQ_ENERGY 0x4u /* ENERGY_ALL, ENERGY_SOLAR, PM_ENERGY_L1..L3                              */
#define RSCP_WB_REQ_EXTRA 0x8u  /* SOC, KEY_STATE                                                         */
#define RSCP_WB_REQ_PHASE_SWITCH 0x10u /* AUTO_PHASE_SWITCH_ENABLED                                        */
#define RSCP_WB_REQ_ALL 0x1Fu

/* Bits of struct rscp_wallbox.present. */
#define RSCP_WB_POWER_L1 0x000001u
#define RSCP_WB_POWER_L2 0x000002u
#define RSCP_WB_POWER_L3 0x000004u
#define RSCP_WB_POWER 0x000008u       /* power_total: all three phases present       */
#define RSCP_WB_POWER_SOLAR 0x000010u /* from EXTERN_DATA_SUN                          */
#define RSCP_WB_ENERGY_L1 0x000020u
#define RSCP_WB_ENERGY_L2 0x000040u
#define RSCP_WB_ENERGY_L3 0x000080u
#define RSCP_WB_ENERGY_ALL 0x000100u
#define RSCP_WB_ENERGY_SOLAR 0x000200u
#define RSCP_WB_ACTIVE_PHASES 0x000400u
#define RSCP_WB_PHASES_SET 0x000800u  /* phases (WB.NUMBER_PHASES)                     */
#define RSCP_WB_MIN_CURRENT 0x001000u
#define RSCP_WB_MAX_CHARGE_CURRENT 0x002000u
#define RSCP_WB_STATUS 0x004000u      /* ALG byte 2 and the flags decoded from it     */
#define RSCP_WB_MAX_CURRENT 0x008000u /* ALG byte 3                                   */
#define RSCP_WB_SOC 0x010000u
#define RSCP_WB_KEY_STATE 0x020000u
#define RSCP_WB_CONNECTED 0x040000u   /* WB.DEVICE_STATE: DEVICE_CONNECTED             */
#define RSCP_WB_WORKING 0x080000u     /* DEVICE_WORKING                                */
#define RSCP_WB_IN_SERVICE 0x100000u  /* DEVICE_IN_SERVICE                             */
#define RSCP_WB_AUTO_PHASE 0x200000u  /* auto_phase_switch (AUTO_PHASE_SWITCH_ENABLED)  */
#define RSCP_WB_ALL 0x3FFFFFu

/* One wallbox: the WB.DATA answer for one WB.INDEX. */
struct rscp_wallbox {
    uint8_t index;                   /* WB.INDEX asked for                        */
    double power[RSCP_WB_PHASES];    /* WB.PM_POWER_L1..L3, W                     */
    double power_total;              /* their sum, W                              */
    double power_solar;              /* EXTERN_DATA_SUN bytes 0-1 (LE), W          */
    double energy[RSCP_WB_PHASES];   /* WB.PM_ENERGY_L1..L3, Wh                   */
    double energy_all;               /* WB.ENERGY_ALL, Wh                         */
    double energy_solar;             /* WB.ENERGY_SOLAR, Wh                       */
    uint64_t active_phases;          /* WB.PM_ACTIVE_PHASES: bit 0 L1 .. bit 2 L3 */
    unsigned phases_in_use;          /* bits set in active_phases                 */
    uint64_t phases;                 /* WB.NUMBER_PHASES: 1 or 3 selected          */
    int64_t min_current;             /* WB.MIN_CHARGE_CURRENT, A                   */
    int64_t max_charge_current;      /* WB.MAX_CHARGE_CURRENT, A                   */
    uint8_t status;                  /* EXTERN_DATA_ALG byte 2 (RSCP_WB_ALG_*)     */
    bool plugged, locked, charging, suspended, sun_mode; /* decoded from status   */
    uint8_t max_current;             /* EXTERN_DATA_ALG byte 3: current set, A     */
    uint8_t alg[RSCP_WB_EXTERN_MAX]; /* EXTERN_DATA_ALG bytes as sent              */
    uint32_t alg_len;                /* their count (only RSCP_WB_EXTERN_MAX kept) */
    uint64_t soc;                    /* WB.SOC                                     */
    uint64_t key_state;              /* WB.KEY_STATE                               */
    bool connected, working, in_service; /* WB.DEVICE_STATE                        */
    bool auto_phase_switch;          /* WB.AUTO_PHASE_SWITCH_ENABLED: the wallbox
                                        switches 1 <-> 3 phases by itself        */
    uint32_t present;                /* RSCP_WB_* bits                              */
    uint32_t device_errors;          /* ERROR blocks inside the wallbox's WB.DATA    */
};

RSCP_BEGIN_DECLS

/* Append WB.REQ_DATA { WB.INDEX = index (UCHAR8), the sub-requests chosen
 * by what (RSCP_WB_REQ_* bits) } to b. Returns 0, RSCP_ERR_ARG (b NULL or
 * no known bit in what), RSCP_ERR_RANGE (index >= RSCP_WB_MAX_WALLBOXES)
 * or the builder's sticky error. */
RSCP_API int rscp_wallbox_request(struct rscp_builder *b, unsigned index, unsigned what);

/* Read wallbox `index` from a reply: every top-level WB.DATA container
 * whose WB.INDEX is index is read (merged). EXTERN_DATA_ALG needs at least
 * 4 bytes for the status and current (shorter: both absent, alg_len still
 * set). *out is zeroed first, out->index set. Returns 0;
 * RSCP_ERR_NOT_FOUND when f holds no such container (absent);
 * RSCP_ERR_ARG (f or out NULL); or a structure error. */
RSCP_API int rscp_wallbox_parse(const struct rscp_frame *f, unsigned index, struct rscp_wallbox *out);

RSCP_END_DECLS

#endif
