/* librscp: how the battery and the wallbox share power, the EMS side of
 * the wallbox (EMS namespace, one setting each for the whole plant). Pure
 * codec functions in the style of rscp/control.h.
 *
 *   battery to car    EMS.REQ_BATTERY_TO_CAR_MODE -> EMS.BATTERY_TO_CAR_MODE
 *                     UCHAR8 0/1: the battery may discharge into the car;
 *                     EMS.REQ_SET_BATTERY_TO_CAR_MODE UCHAR8 0/1 ->
 *                     EMS.SET_BATTERY_TO_CAR_MODE (the value taken).
 *   battery before    EMS.REQ_BATTERY_BEFORE_CAR_MODE ->
 *   car               EMS.BATTERY_BEFORE_CAR_MODE UCHAR8 0/1: the battery
 *                     takes the surplus first, the car the rest;
 *                     EMS.REQ_SET_BATTERY_BEFORE_CAR_MODE UCHAR8 0/1.
 *   discharge until   EMS.REQ_GET_WB_DISCHARGE_BAT_UNTIL ->
 *                     EMS.GET_WB_DISCHARGE_BAT_UNTIL UCHAR8 %: the battery
 *                     discharges into the car only down to this SOC;
 *                     EMS.REQ_SET_WB_DISCHARGE_BAT_UNTIL UCHAR8 0..100.
 *   enforce power     EMS.REQ_GET_WALLBOX_ENFORCE_POWER_ASSIGNMENT ->
 *   assignment        EMS.GET_WALLBOX_ENFORCE_POWER_ASSIGNMENT BOOL: in
 *                     mixed mode the battery is not charged while the car
 *                     charges (rscp2mqtt's "disable_battery_at_mix_mode");
 *                     EMS.REQ_SET_WALLBOX_ENFORCE_POWER_ASSIGNMENT BOOL.
 * The set requests are sent with the types the bridges in use send
 * (UCHAR8, the last BOOL); the answers are read as any integer or BOOL.
 * A device that lacks a setting answers it with an ERROR block: data
 * (device_errors), the setting stays absent. */
#ifndef RSCP_CAR_MODES_H
#define RSCP_CAR_MODES_H

#include "rscp/builder.h"
#include "rscp/common.h"
#include "rscp/frame.h"

/* Bits of struct rscp_car_modes.present and of the `set` masks. */
#define RSCP_CM_BATTERY_TO_CAR 0x1u
#define RSCP_CM_BATTERY_BEFORE_CAR 0x2u
#define RSCP_CM_DISCHARGE_UNTIL 0x4u
#define RSCP_CM_ENFORCE_POWER 0x8u
#define RSCP_CM_ALL 0xFu

struct rscp_car_modes {
    bool battery_to_car;          /* EMS.BATTERY_TO_CAR_MODE                 */
    bool battery_before_car;      /* EMS.BATTERY_BEFORE_CAR_MODE             */
    uint8_t discharge_until;      /* EMS.GET_WB_DISCHARGE_BAT_UNTIL, %       */
    bool enforce_power;           /* EMS.GET_WALLBOX_ENFORCE_POWER_ASSIGNMENT */
    uint32_t present;             /* RSCP_CM_* bits                          */
    uint32_t device_errors;       /* ERROR blocks answering these requests   */
};

RSCP_BEGIN_DECLS

/* Append the read requests of the settings in `what` (RSCP_CM_* bits) to
 * b. Returns 0, RSCP_ERR_ARG (b NULL or no known bit) or the builder's
 * sticky error. */
RSCP_API int rscp_car_modes_request(struct rscp_builder *b, uint32_t what);

/* Read the answers into *out (zeroed first): each setting found is stored
 * with its bit in out->present; an ERROR block in its place is counted in
 * device_errors. A value out of range (a mode not 0/1, a percentage above
 * 100) stays absent and counts as a device error too. Returns 0 when at
 * least one answer (value or ERROR) is there, RSCP_ERR_NOT_FOUND when none
 * is, RSCP_ERR_ARG, or a structure error. */
RSCP_API int rscp_car_modes_parse(const struct rscp_frame *f, struct rscp_car_modes *out);

/* Append the set requests of the settings in `set` (RSCP_CM_* bits) with
 * the values of *want. Returns 0; RSCP_ERR_ARG (NULL, no known bit);
 * RSCP_ERR_RANGE when want->discharge_until > 100 (nothing written); or
 * the builder's error. */
RSCP_API int rscp_car_modes_set_request(struct rscp_builder *b, uint32_t set, const struct rscp_car_modes *want);

/* Read the answers to a set request for the settings in `set` into *echo
 * (zeroed first; present: the answers that carried a value) and *differs
 * (may be NULL): the RSCP_CM_* bits whose answer is another value than
 * want's (the device did not take it). Returns 0 when every one was
 * answered with a value; RSCP_ERR_DEVICE with *device_error (may be NULL)
 * when one is an ERROR block; RSCP_ERR_NOT_FOUND when one is missing;
 * RSCP_ERR_ARG; or a structure error. */
RSCP_API int rscp_car_modes_set_parse(const struct rscp_frame *f, uint32_t set, const struct rscp_car_modes *want,
                                      struct rscp_car_modes *echo, uint32_t *differs, uint32_t *device_error);

RSCP_END_DECLS

#endif
