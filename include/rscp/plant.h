/* librscp: discovery of the plant's shape in one round trip. Pure codec
 * functions in the style of api.h: rscp_plant_request() appends one probe
 * container per possible unit (battery strings, PV inverters, power
 * meters, wallboxes, DC/DC converters) to a caller's builder, and
 * rscp_plant_parse() reads the reply into the units that exist, with the
 * numbers a later typed request needs (DCB count, tracker count, meter
 * type, the root meter).
 *
 *     rscp_client_request_begin(client, &b);
 *     rscp_plant_request(&b);
 *     if (rscp_client_request_send(client, &b, &reply) == 0 &&
 *         rscp_plant_parse(&reply, &plant) == 0 && plant.root_meter >= 0)
 *         ... rscp_pm_request(&b2, (unsigned)plant.root_meter) ...
 *
 * Absent: a unit whose reply container is an ERROR block (NOT_AVAILABLE,
 * OUT_OF_BOUNDS, ...), is missing, or holds no value, only ERROR blocks.
 * Index sets may have gaps (meters at 0, 1, 3, 6): each index is probed.
 * Thread-safe on distinct arguments; no heap. */
#ifndef RSCP_PLANT_H
#define RSCP_PLANT_H

#include "rscp/battery.h"
#include "rscp/builder.h"
#include "rscp/common.h"
#include "rscp/error.h"
#include "rscp/frame.h"
#include "rscp/pm.h"
#include "rscp/pvi.h"
#include "rscp/wallbox.h"

#define RSCP_DCDC_MAX_CONVERTERS 4u /* DCDC.INDEX 0..3 probed */

/* The plant's shape. Bit i of a unit mask is set when index i exists. */
struct rscp_plant {
    uint32_t batteries;                          /* BAT.INDEX 0..RSCP_BAT_MAX_STRINGS-1   */
    uint32_t inverters;                          /* PVI.INDEX 0..RSCP_PVI_MAX_INVERTERS-1 */
    uint32_t meters;                             /* PM.INDEX 0..RSCP_PM_MAX_METERS-1      */
    uint32_t wallboxes;                          /* WB.INDEX 0..RSCP_WB_MAX_WALLBOXES-1   */
    uint32_t dcdcs;                              /* DCDC.INDEX 0..RSCP_DCDC_MAX_CONVERTERS-1 */
    uint32_t n_batteries, n_inverters, n_meters, n_wallboxes, n_dcdcs; /* bits set above */
    uint16_t dcb_count[RSCP_BAT_MAX_STRINGS];    /* BAT.DCB_COUNT; 0 when not reported     */
    uint8_t trackers[RSCP_PVI_MAX_INVERTERS];    /* PVI.USED_STRING_COUNT, else
                                                    PVI.DC_MAX_STRING_COUNT; 0 when neither;
                                                    at most 255                          */
    uint8_t temperatures[RSCP_PVI_MAX_INVERTERS]; /* PVI.TEMPERATURE_COUNT; 0 unknown      */
    int32_t meter_type[RSCP_PM_MAX_METERS];      /* PM.TYPE (enum rscp_pm_type); -1 when the
                                                    meter is absent or did not say         */
    int32_t root_meter;                          /* the root (grid) meter's index, or -1:
                                                    the lowest index with type ROOT; when no
                                                    meter says ROOT, 0 if present, else 6 if
                                                    present, else -1                      */
    uint32_t device_errors;                      /* ERROR blocks in the probed containers and
                                                    in place of them (absent units)        */
};

/* What rscp_plant_units_request() asks for, per present unit. */
#define RSCP_PLANT_REQ_BATTERIES 0x01u /* rscp_battery_request() per string              */
#define RSCP_PLANT_REQ_DCBS 0x02u      /* rscp_dcb_request(RSCP_DCB_REQ_ALL) per string with
                                          a DCB count (at most RSCP_DCB_MAX modules)       */
#define RSCP_PLANT_REQ_PVI 0x04u       /* rscp_pvi_request() per inverter, its trackers
                                          and sensors (each capped at the maximum)          */
#define RSCP_PLANT_REQ_METERS 0x08u    /* rscp_pm_request() per meter                      */
#define RSCP_PLANT_REQ_WALLBOXES 0x10u /* rscp_wallbox_request(RSCP_WB_REQ_ALL) per wallbox */
#define RSCP_PLANT_REQ_ALL 0x1Fu

RSCP_BEGIN_DECLS

/* Append the probes to b: BAT.REQ_DATA { BAT.INDEX i, REQ_DCB_COUNT } for
 * i < RSCP_BAT_MAX_STRINGS; PVI.REQ_DATA { PVI.INDEX i, REQ_USED_STRING_COUNT,
 * REQ_DC_MAX_STRING_COUNT, REQ_TEMPERATURE_COUNT } for i <
 * RSCP_PVI_MAX_INVERTERS; PM.REQ_DATA { PM.INDEX i, REQ_TYPE, REQ_ACTIVE_PHASES }
 * for i <
 * RSCP_PM_MAX_METERS; WB.REQ_DATA { WB.INDEX i (UCHAR8), REQ_DEVICE_STATE,
 * REQ_EXTERN_DATA_ALG } for i < RSCP_WB_MAX_WALLBOXES; DCDC.REQ_DATA {
 * DCDC.INDEX i, REQ_DEVICE_STATE } for i < RSCP_DCDC_MAX_CONVERTERS (about
 * 800 bytes in all). Returns 0, RSCP_ERR_ARG (b NULL) or the builder's
 * sticky error. */
RSCP_API int rscp_plant_request(struct rscp_builder *b);

/* Read the reply to rscp_plant_request() (other answers in the frame are
 * ignored). *out is zeroed first (meter types and root -1). A unit is
 * present when a top-level container of its *.DATA tag holds its index
 * (any integer type, below the maximum) and at least one child that is
 * neither the index nor an ERROR block (a container child counts when it
 * holds a block that is not an ERROR block). A wallbox that answers
 * WB.DEVICE_STATE with DEVICE_CONNECTED false is absent too. Returns 0,
 * RSCP_ERR_ARG (f or out NULL) or a structure error of the frame data. */
RSCP_API int rscp_plant_parse(const struct rscp_frame *f, struct rscp_plant *out);

/* Append the typed requests chosen by what (RSCP_PLANT_REQ_* bits) for
 * every unit present in *plant (from rscp_plant_parse()) to b, so that the
 * whole plant is read in one more round trip; the reply is read with
 * rscp_battery_parse(), rscp_dcb_parse(), rscp_pvi_parse(),
 * rscp_pm_parse() and rscp_wallbox_parse() per index of the masks. A
 * plant of the maxima asks for 6.5 KB (with DCBs); the answer to the
 * DCB requests of 4 strings of 16 modules may not fit one frame. Returns
 * 0, RSCP_ERR_ARG (b or plant NULL, no known bit in what) or the
 * builder's sticky error. */
RSCP_API int rscp_plant_units_request(struct rscp_builder *b, const struct rscp_plant *plant, unsigned what);

RSCP_END_DECLS

#endif
