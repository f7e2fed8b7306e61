/* librscp: the energy management's status bits and its power override
 * (EMS.REQ_SET_POWER). Pure codec functions, like rscp/api.h.
 *
 * EMS.STATUS (UINT32) is a set of bits. Their meanings are not published by
 * the vendor; the ones here are those that the widely used bridge
 * rscp2mqtt publishes, which users compare with the portal (see
 * docs/PROTOCOL.md, "EMS status").
 *
 * EMS.REQ_SET_POWER { SET_POWER_MODE UCHAR8, SET_POWER_VALUE INT32 }
 * overrides the energy management only while it is resent: the device
 * falls back to automatic operation some seconds after the last request
 * (resend at least every 10 s; rscp/power_hold.h does that). The reply,
 * EMS.SET_POWER INT32, mirrors the value, not the mode. */
#ifndef RSCP_EMS_H
#define RSCP_EMS_H

#include "rscp/builder.h"
#include "rscp/common.h"
#include "rscp/frame.h"

/* ---- EMS.STATUS bits ---------------------------------------------------- */

#define RSCP_EMS_STATUS_CHARGE_LOCKED 0x01u         /* charging locked                   */
#define RSCP_EMS_STATUS_DISCHARGE_LOCKED 0x02u      /* discharging locked                */
#define RSCP_EMS_STATUS_EMERGENCY_READY 0x04u       /* emergency power available         */
#define RSCP_EMS_STATUS_WEATHER_THROTTLED 0x08u     /* charging throttled by the weather-
                                                       regulated charge                 */
#define RSCP_EMS_STATUS_FEED_IN_LIMITED 0x10u       /* feed-in limited (derating)        */
#define RSCP_EMS_STATUS_CHARGE_IDLE_PERIOD 0x20u    /* charging locked by an idle period */
#define RSCP_EMS_STATUS_DISCHARGE_IDLE_PERIOD 0x40u /* discharging locked by an idle period */
#define RSCP_EMS_STATUS_KNOWN 0x7Fu                 /* every bit with a known meaning   */

/* ---- SET_POWER modes ----------------------------------------------------- */

enum rscp_power_mode {
    RSCP_POWER_AUTO = 0,       /* normal operation: the energy management decides */
    RSCP_POWER_IDLE = 1,       /* battery neither charges nor discharges          */
    RSCP_POWER_DISCHARGE = 2,  /* discharge with the given power                  */
    RSCP_POWER_CHARGE = 3,     /* charge with the given power (from surplus)       */
    RSCP_POWER_GRID_CHARGE = 4 /* charge with the given power, from the grid too   */
};

/* Largest power accepted by rscp_set_power_request() in W: beyond every
 * home battery, and far inside INT32. Device maxima are lower; check them
 * with rscp/settings.h's system specs. */
#define RSCP_SET_POWER_MAX_W 1000000

RSCP_BEGIN_DECLS

/* Name of one status bit ("charging locked"), or NULL for a bit without a
 * known meaning or a value that is not a single bit. Static strings. */
RSCP_API const char *rscp_ems_status_bit_name(uint32_t bit);

/* Short identifier of one status bit ("charge_locked"; the names of the
 * RSCP_EMS_STATUS_* constants in lower case, for JSON and MQTT), or NULL. */
RSCP_API const char *rscp_ems_status_bit_id(uint32_t bit);

/* Describe a status value for people: the names of its set bits, lowest
 * first, joined by ", " ("charging locked, feed-in limited"); bits without
 * a known meaning as one hex value ("0x100"); "none" for 0. Writes at most
 * cap bytes including the NUL (cut output still ends in NUL). Returns the
 * length the whole text needs (like snprintf), so a return >= cap means it
 * was cut; buf may be NULL when cap is 0. */
RSCP_API size_t rscp_ems_status_format(uint64_t status, char *buf, size_t cap);

/* Name of a SET_POWER mode ("auto", "idle", "discharge", "charge",
 * "grid_charge"), or NULL for another value. */
RSCP_API const char *rscp_power_mode_name(int mode);

/* The mode of a name as rscp_power_mode_name() gives it (case-sensitive;
 * "grid-charge" is accepted too). Returns 0 and *mode, RSCP_ERR_UNKNOWN_NAME
 * or RSCP_ERR_ARG (NULL argument). */
RSCP_API int rscp_power_mode_lookup(const char *name, int *mode);

/* Write EMS.REQ_SET_POWER { SET_POWER_MODE = mode, SET_POWER_VALUE = watts }.
 * watts must be 0 for AUTO and IDLE and 1..RSCP_SET_POWER_MAX_W for the
 * other modes. Returns 0, RSCP_ERR_ARG (b NULL, unknown mode), RSCP_ERR_RANGE
 * (watts outside the range of the mode; nothing written) or the builder's
 * sticky error. */
RSCP_API int rscp_set_power_request(struct rscp_builder *b, int mode, int32_t watts);

/* Read the reply to rscp_set_power_request(): EMS.SET_POWER at the top
 * level of f. Returns 0 and *mirrored (the value the device echoes, any
 * integer type); RSCP_ERR_DEVICE with *device_error (may be NULL) when the
 * device answered with an ERROR block; RSCP_ERR_NOT_FOUND when the reply has
 * no EMS.SET_POWER; RSCP_ERR_TYPE, _LENGTH or _RANGE when it is not an
 * integer that fits (rscp_block_get_int()); or a structure error. */
RSCP_API int rscp_set_power_parse(const struct rscp_frame *f, int64_t *mirrored, uint32_t *device_error);

RSCP_END_DECLS

#endif
