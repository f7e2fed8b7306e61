/* librscp: the PV inverter (PVI namespace): DC trackers, AC phases,
 * temperatures and grid state. Pure codec functions in the style of
 * api.h: rscp_pvi_request() appends one PVI.REQ_DATA to a caller's
 * builder (other requests may share the frame), rscp_pvi_parse() picks the
 * inverter's PVI.DATA out of a reply frame.
 *
 * Per-tracker, per-phase and per-sensor values are asked for with the
 * number as the UCHAR8 value of the sub-request (PVI.REQ_DC_POWER = 1:
 * the second tracker) and answered as containers { PVI.INDEX = k,
 * PVI.VALUE = v }. Device error blocks are data: the value stays absent and
 * device_errors counts them. Numbers are read as any integer or float type.
 * Thread-safe on distinct arguments; no heap. */
#ifndef RSCP_PVI_H
#define RSCP_PVI_H

#include "rscp/builder.h"
#include "rscp/common.h"
#include "rscp/error.h"
#include "rscp/frame.h"

#define RSCP_PVI_MAX_INVERTERS 4u    /* PVI.INDEX 0..3 probed and accepted       */
#define RSCP_PVI_MAX_TRACKERS 8u     /* DC trackers (strings) stored             */
#define RSCP_PVI_MAX_PHASES 3u       /* AC phases L1..L3                         */
#define RSCP_PVI_MAX_TEMPERATURES 8u /* temperature sensors stored               */
#define RSCP_PVI_STATE_MAX 32u       /* PVI.STATE text, NUL included (cut)       */

/* Bits of struct rscp_pvi_tracker.present and rscp_pvi_phase.present. */
#define RSCP_PVI_POWER 0x1u
#define RSCP_PVI_VOLTAGE 0x2u
#define RSCP_PVI_CURRENT 0x4u
#define RSCP_PVI_ENERGY 0x8u /* tracker: PVI.DC_STRING_ENERGY_ALL; phase: PVI.AC_ENERGY_ALL */

/* One DC tracker: PVI.DC_POWER, _VOLTAGE, _CURRENT, _STRING_ENERGY_ALL. */
struct rscp_pvi_tracker {
    double power;   /* W  */
    double voltage; /* V  */
    double current; /* A  */
    double energy;  /* Wh */
    uint32_t present;
};

/* One AC phase: PVI.AC_POWER, _VOLTAGE, _CURRENT, _ENERGY_ALL. */
struct rscp_pvi_phase {
    double power;   /* W  */
    double voltage; /* V  */
    double current; /* A  */
    double energy;  /* Wh */
    uint32_t present;
};

/* Bits of struct rscp_pvi.present. */
#define RSCP_PVI_ON_GRID 0x001u
#define RSCP_PVI_STATE 0x002u
#define RSCP_PVI_USED_TRACKERS 0x004u
#define RSCP_PVI_MAX_TRACKER_COUNT 0x008u
#define RSCP_PVI_PHASE_COUNT 0x010u
#define RSCP_PVI_TEMPERATURE_COUNT 0x020u
#define RSCP_PVI_FREQUENCY 0x040u
#define RSCP_PVI_TYPE 0x080u
#define RSCP_PVI_ALL 0x0FFu

/* One inverter: the PVI.DATA answer for one PVI.INDEX. */
struct rscp_pvi {
    uint16_t index;                /* PVI.INDEX asked for                          */
    bool on_grid;                  /* PVI.ON_GRID                                  */
    char state[RSCP_PVI_STATE_MAX]; /* PVI.STATE, e.g. "Running"                   */
    uint64_t used_trackers;        /* PVI.USED_STRING_COUNT                        */
    uint64_t max_trackers;         /* PVI.DC_MAX_STRING_COUNT                      */
    uint64_t phase_count;          /* PVI.AC_MAX_PHASE_COUNT                       */
    uint64_t temperature_count;    /* PVI.TEMPERATURE_COUNT                        */
    uint64_t type;                 /* PVI.TYPE                                     */
    double frequency;              /* PVI.AC_FREQUENCY (phase 0), Hz              */
    struct rscp_pvi_tracker tracker[RSCP_PVI_MAX_TRACKERS];
    struct rscp_pvi_phase phase[RSCP_PVI_MAX_PHASES];
    double temperature[RSCP_PVI_MAX_TEMPERATURES]; /* PVI.TEMPERATURE k, degrees C */
    uint32_t temperature_present;  /* bit k: temperature[k] set                    */
    uint32_t n_trackers;           /* 1 + the highest tracker number answered with a
                                      value (may exceed RSCP_PVI_MAX_TRACKERS: only
                                      those below it are stored)                  */
    uint32_t n_temperatures;       /* likewise for the temperature sensors         */
    uint32_t present;              /* RSCP_PVI_* bits of the scalar fields          */
    uint32_t device_errors;        /* ERROR blocks inside the inverter's PVI.DATA   */
};

RSCP_BEGIN_DECLS

/* Append PVI.REQ_DATA { PVI.INDEX = index (UINT16), the scalar requests
 * (ON_GRID, STATE, USED_STRING_COUNT, DC_MAX_STRING_COUNT,
 * AC_MAX_PHASE_COUNT, TEMPERATURE_COUNT, TYPE, AC_FREQUENCY 0), for each
 * tracker k < trackers: DC_POWER/VOLTAGE/CURRENT/STRING_ENERGY_ALL = k,
 * for each phase p < 3: AC_POWER/VOLTAGE/CURRENT/ENERGY_ALL = p, for each
 * sensor t < temperatures: TEMPERATURE = t } to b. trackers usually comes
 * from discovery (struct rscp_plant). Returns 0, RSCP_ERR_ARG (b NULL),
 * RSCP_ERR_RANGE (index >= RSCP_PVI_MAX_INVERTERS, trackers above
 * RSCP_PVI_MAX_TRACKERS or temperatures above RSCP_PVI_MAX_TEMPERATURES)
 * or the builder's sticky error. */
RSCP_API int rscp_pvi_request(struct rscp_builder *b, unsigned index, unsigned trackers, unsigned temperatures);

/* Read inverter `index` from a reply: every top-level PVI.DATA container
 * whose PVI.INDEX is index is read (merged). *out is zeroed first,
 * out->index set. An indexed value whose number is at or above the
 * maximum is counted (n_trackers, n_temperatures) but not stored.
 * Returns 0; RSCP_ERR_NOT_FOUND when f holds no such container (absent);
 * RSCP_ERR_ARG (f or out NULL); or a structure error of the frame data. */
RSCP_API int rscp_pvi_parse(const struct rscp_frame *f, unsigned index, struct rscp_pvi *out);

RSCP_END_DECLS

#endif
