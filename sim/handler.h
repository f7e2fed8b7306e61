/* The simulated device's request handler: request data blocks in, reply
 * data blocks out, at a simulated time given by the caller. No sockets, no
 * clock (see sim_main.c for the server around it).
 *
 * Device behaviour (as observed on E3/DC S10 units):
 *  - every reply block carries the request tag with bit 23 set, except
 *    EMS.REQ_GET_SYS_SPECS (0x01000097) -> EMS.GET_SYS_SPECS (0x01800098)
 *    as in every public tag list;
 *  - a tag the simulator does not serve: ERROR NOT_AVAILABLE (6) when the
 *    dictionary knows it, else ERROR UNKNOWN_TAG (7);
 *  - a sub-request of BAT/PVI/PM/DB sent outside its container, or a value
 *    of the wrong type where the request carries one: ERROR FORMAT (3);
 *  - an index container without its INDEX, or with an index no device has:
 *    the whole *_DATA reply is ERROR NOT_AVAILABLE (6), which is what
 *    clients probing for meters and batteries look for;
 *  - a sub-index (DCB module, PV tracker, AC phase, temperature sensor)
 *    beyond what exists: that sub-reply is ERROR OUT_OF_BOUNDS (5);
 *  - DB history: span and interval below 900 s are raised to 900 s; the
 *    start is device-local wall time (as devices read it); more than
 *    SIM_HISTORY_MAX_INTERVALS intervals, more than SIM_HISTORY_MAX_SPAN
 *    seconds in all, a start before 1970, or a reply that would not fit the
 *    frame, answer ERROR 0xFFFFFFFF (UNEXPECTED) like a device does for an
 *    invalid range. Missing or non-time fields: ERROR FORMAT. History is
 *    served from the model's definition of each past day, not from what the
 *    live model went through: history.h says exactly what agrees with the
 *    readings and what does not. The database starts on 1 January of the
 *    year before the start: earlier intervals are empty (all zero), as on
 *    a device installed then, so no request costs more than reading the
 *    records of at most SIM_HISTORY_MAX_SPAN of days.
 * Value types follow data/tags.tsv except where it lists NONE for a value
 * that devices send as a number: EMS.POWER_WB_ALL and EMS.POWER_WB_SOLAR
 * (INT32), PVI.VALUE, BAT.FCC and BAT.RC (FLOAT32), PVI.USED_STRING_COUNT
 * and PVI.TEMPERATURE_COUNT (UCHAR8); SE.SET_EP_RESERVE, untyped there, is
 * a container echoing the value set; BAT.DCB_ALL_CELL_VOLTAGES and
 * _TEMPERATURES (FLOAT32 there) are containers of DCB_INDEX and one
 * DCB_CELL_VOLTAGE / DCB_CELL_TEMPERATURE per cell (sensor). EMS.POWER_ADD is reported negative for
 * production, as devices do. */
#ifndef SIM_HANDLER_H
#define SIM_HANDLER_H

#include "device.h"

#include "rscp/builder.h"

#include <stddef.h>
#include <stdint.h>

/* Advance the model to `now` (UTC s, never backwards) and answer the
 * request blocks data[0..len) into *reply (a builder in frame or block
 * mode). auth_level is the session's level (RSCP.USER_LEVEL).
 * Returns 0, or the builder's error (e.g. RSCP_ERR_NOSPACE) when the reply
 * did not fit: the caller then sends nothing. Malformed request blocks are
 * answered as far as they can be parsed. */
int sim_handle(struct sim_device *d, double now, int auth_level, const uint8_t *data, size_t len,
               struct rscp_builder *reply);

#endif
