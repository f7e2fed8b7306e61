/* librscp: battery strings and their DCB modules (BAT namespace). Pure
 * codec functions in the style of api.h: a *_request() appends request
 * blocks to a caller's builder (so several requests share one frame), a
 * *_parse() picks its containers out of a reply frame, which may hold the
 * answers to other requests too.
 *
 *     rscp_battery_request(&b, 0);        // string 0
 *     rscp_dcb_request(&b, 0, 3, RSCP_DCB_REQ_ALL); // its modules 0..2
 *     ... send, receive reply ...
 *     struct rscp_battery bat;
 *     struct rscp_dcb dcb[3];
 *     if (rscp_battery_parse(&reply, 0, &bat) == 0)
 *         for (unsigned k = 0; k < 3; k++) rscp_dcb_parse(&reply, 0, k, &dcb[k]);
 *
 * Device error blocks are data: the field stays absent (its bit clear in
 * `present`) and `device_errors` counts them. Integer values are read as
 * any integer type; numbers as any integer or float type. All functions
 * are thread-safe on distinct arguments; no heap. */
#ifndef RSCP_BATTERY_H
#define RSCP_BATTERY_H

#include "rscp/builder.h"
#include "rscp/common.h"
#include "rscp/error.h"
#include "rscp/frame.h"

#define RSCP_BAT_MAX_STRINGS 4u   /* BAT.INDEX 0..3 probed and accepted          */
#define RSCP_DCB_MAX 16u          /* modules per string one request may ask for */
#define RSCP_DCB_MAX_CELLS 32u    /* cell voltages stored per module            */
#define RSCP_DCB_MAX_SENSORS 16u  /* cell temperatures stored per module        */
#define RSCP_BAT_NAME_MAX 32u     /* device name, NUL included (longer is cut)  */

/* Bits of struct rscp_battery.present. */
#define RSCP_BAT_RSOC 0x00000001u
#define RSCP_BAT_RSOC_REAL 0x00000002u
#define RSCP_BAT_VOLTAGE 0x00000004u
#define RSCP_BAT_CURRENT 0x00000008u
#define RSCP_BAT_POWER 0x00000010u
#define RSCP_BAT_CYCLES 0x00000020u
#define RSCP_BAT_STATUS_CODE 0x00000040u
#define RSCP_BAT_ERROR_CODE 0x00000080u
#define RSCP_BAT_TEMP_MIN 0x00000100u
#define RSCP_BAT_TEMP_MAX 0x00000200u
#define RSCP_BAT_FCC 0x00000400u
#define RSCP_BAT_RC 0x00000800u
#define RSCP_BAT_DESIGN_CAPACITY 0x00001000u
#define RSCP_BAT_USABLE_CAPACITY 0x00002000u
#define RSCP_BAT_USABLE_REMAINING 0x00004000u
#define RSCP_BAT_SOH 0x00008000u
#define RSCP_BAT_DCB_COUNT 0x00010000u
#define RSCP_BAT_CELL_V_MIN 0x00020000u
#define RSCP_BAT_CELL_V_MAX 0x00040000u
#define RSCP_BAT_TERMINAL_VOLTAGE 0x00080000u
#define RSCP_BAT_MAX_CHARGE_CURRENT 0x00100000u
#define RSCP_BAT_MAX_DISCHARGE_CURRENT 0x00200000u
#define RSCP_BAT_EOD_VOLTAGE 0x00400000u
#define RSCP_BAT_TRAINING_MODE 0x00800000u
#define RSCP_BAT_DEVICE_NAME 0x01000000u
#define RSCP_BAT_ALL 0x01FFFFFFu

/* One battery string: the BAT.DATA answer for one BAT.INDEX. */
struct rscp_battery {
    uint16_t index;                  /* BAT.INDEX asked for                          */
    double rsoc;                     /* BAT.RSOC: relative state of charge, %        */
    double rsoc_real;                /* BAT.RSOC_REAL: real state of charge, %       */
    double voltage;                  /* BAT.MODULE_VOLTAGE, V                        */
    double current;                  /* BAT.CURRENT, A (+ charging)                  */
    double power;                    /* voltage * current, W: derived, present when
                                        both are (BAT has no power tag)              */
    uint64_t cycles;                 /* BAT.CHARGE_CYCLES                            */
    uint64_t status_code;            /* BAT.STATUS_CODE                              */
    uint64_t error_code;             /* BAT.ERROR_CODE                               */
    double temp_min;                 /* BAT.MIN_DCB_CELL_TEMPERATURE, degrees C      */
    double temp_max;                 /* BAT.MAX_DCB_CELL_TEMPERATURE, degrees C      */
    double fcc;                      /* BAT.FCC: full-charge capacity, Ah            */
    double rc;                       /* BAT.RC: remaining capacity, Ah               */
    double design_capacity;          /* BAT.DESIGN_CAPACITY, Ah                      */
    double usable_capacity;          /* BAT.USABLE_CAPACITY, Ah                      */
    double usable_remaining;         /* BAT.USABLE_REMAINING_CAPACITY, Ah            */
    double soh;                      /* BAT.ASOC: state of health, %                 */
    uint64_t dcb_count;              /* BAT.DCB_COUNT: modules in the string         */
    double cell_v_min;               /* BAT.MIN_DCB_CELL_VOLTAGE, V                  */
    double cell_v_max;               /* BAT.MAX_DCB_CELL_VOLTAGE, V                  */
    double terminal_voltage;         /* BAT.TERMINAL_VOLTAGE, V                      */
    double max_charge_current;       /* BAT.MAX_CHARGE_CURRENT, A                    */
    double max_discharge_current;    /* BAT.MAX_DISCHARGE_CURRENT, A                 */
    double eod_voltage;              /* BAT.EOD_VOLTAGE: end-of-discharge voltage, V */
    uint64_t training_mode;          /* BAT.TRAINING_MODE                            */
    char device_name[RSCP_BAT_NAME_MAX]; /* BAT.DEVICE_NAME                          */
    uint32_t present;                /* RSCP_BAT_* bits of the fields set            */
    uint32_t device_errors;          /* ERROR blocks inside the string's BAT.DATA    */
};

/* Bits of struct rscp_dcb.present. */
#define RSCP_DCB_SOC 0x00000001u
#define RSCP_DCB_SOH 0x00000002u
#define RSCP_DCB_VOLTAGE 0x00000004u
#define RSCP_DCB_CURRENT 0x00000008u
#define RSCP_DCB_CYCLES 0x00000010u
#define RSCP_DCB_FULL_CHARGE_CAPACITY 0x00000020u
#define RSCP_DCB_REMAINING_CAPACITY 0x00000040u
#define RSCP_DCB_DESIGN_CAPACITY 0x00000080u
#define RSCP_DCB_DESIGN_VOLTAGE 0x00000100u
#define RSCP_DCB_MAX_CHARGE_VOLTAGE 0x00000200u
#define RSCP_DCB_END_OF_DISCHARGE 0x00000400u
#define RSCP_DCB_MAX_CHARGE_CURRENT 0x00000800u
#define RSCP_DCB_MAX_DISCHARGE_CURRENT 0x00001000u
#define RSCP_DCB_SERIES_CELLS 0x00002000u
#define RSCP_DCB_PARALLEL_CELLS 0x00004000u
#define RSCP_DCB_SENSORS 0x00008000u
#define RSCP_DCB_STATUS 0x00010000u
#define RSCP_DCB_WARNING 0x00020000u
#define RSCP_DCB_ALARM 0x00040000u
#define RSCP_DCB_ERROR 0x00080000u
#define RSCP_DCB_SERIALNO 0x00100000u
#define RSCP_DCB_TEMPERATURE 0x00200000u /* temp_min/max/mean: from the cell temperatures */
#define RSCP_DCB_CELL_VOLTAGES 0x00400000u
#define RSCP_DCB_CELL_TEMPERATURES 0x00800000u
#define RSCP_DCB_ALL 0x00FFFFFFu

/* One DCB module of a string: BAT.DCB_INFO plus the cell containers. */
struct rscp_dcb {
    uint16_t bat_index;              /* BAT.INDEX of the string                     */
    uint16_t index;                  /* module number within the string             */
    double soc;                      /* BAT.DCB_SOC, %                              */
    double soh;                      /* BAT.DCB_SOH, %                              */
    double voltage;                  /* BAT.DCB_VOLTAGE, V                          */
    double current;                  /* BAT.DCB_CURRENT, A                          */
    uint64_t cycles;                 /* BAT.DCB_CYCLE_COUNT                         */
    double full_charge_capacity;     /* BAT.DCB_FULL_CHARGE_CAPACITY, Ah            */
    double remaining_capacity;       /* BAT.DCB_REMAINING_CAPACITY, Ah              */
    double design_capacity;          /* BAT.DCB_DESIGN_CAPACITY, Ah                 */
    double design_voltage;           /* BAT.DCB_DESIGN_VOLTAGE, V                   */
    double max_charge_voltage;       /* BAT.DCB_MAX_CHARGE_VOLTAGE, V               */
    double end_of_discharge;         /* BAT.DCB_END_OF_DISCHARGE, V                 */
    double max_charge_current;       /* BAT.DCB_MAX_CHARGE_CURRENT, A               */
    double max_discharge_current;    /* BAT.DCB_MAX_DISCHARGE_CURRENT, A            */
    uint64_t series_cells;           /* BAT.DCB_NR_SERIES_CELL                      */
    uint64_t parallel_cells;         /* BAT.DCB_NR_PARALLEL_CELL                    */
    uint64_t sensors;                /* BAT.DCB_NR_SENSOR: temperature sensors      */
    uint64_t status, warning, alarm, error; /* BAT.DCB_STATUS, _WARNING, _ALARM, _ERROR */
    uint64_t serialno;               /* BAT.DCB_SERIALNO                            */
    double temp_min, temp_max, temp_mean; /* over the cell temperatures, degrees C  */
    double cell_voltage[RSCP_DCB_MAX_CELLS];       /* BAT.DCB_CELL_VOLTAGE in order, V */
    double cell_temperature[RSCP_DCB_MAX_SENSORS]; /* BAT.DCB_CELL_TEMPERATURE, C      */
    uint32_t n_cell_voltages;        /* cell voltages the device sent; only the first
                                        RSCP_DCB_MAX_CELLS are stored              */
    uint32_t n_cell_temperatures;    /* likewise, RSCP_DCB_MAX_SENSORS stored       */
    uint32_t present;                /* RSCP_DCB_* bits                              */
    uint32_t device_errors;          /* ERROR blocks in the module's containers,
                                        and ERROR answers to its sub-requests        */
};

/* What rscp_dcb_request() asks for, per module. */
#define RSCP_DCB_REQ_INFO 0x1u          /* BAT.REQ_DCB_INFO                  */
#define RSCP_DCB_REQ_CELL_VOLTAGES 0x2u /* BAT.REQ_DCB_ALL_CELL_VOLTAGES     */
#define RSCP_DCB_REQ_CELL_TEMPS 0x4u    /* BAT.REQ_DCB_ALL_CELL_TEMPERATURES */
#define RSCP_DCB_REQ_ALL 0x7u

RSCP_BEGIN_DECLS

/* Append BAT.REQ_DATA { BAT.INDEX = index (UINT16), the sub-requests of
 * every field of struct rscp_battery } to b. Returns 0, RSCP_ERR_ARG (b
 * NULL), RSCP_ERR_RANGE (index >= RSCP_BAT_MAX_STRINGS) or the builder's
 * sticky error (RSCP_ERR_NOSPACE ...). */
RSCP_API int rscp_battery_request(struct rscp_builder *b, unsigned index);

/* Read string `index` from a reply: every top-level BAT.DATA container of
 * f whose BAT.INDEX is index is read (several are merged, later values
 * win). *out is zeroed first, out->index set. Returns 0; RSCP_ERR_NOT_FOUND
 * when f holds no such container (the string is absent: the device may
 * have answered BAT.DATA with an ERROR block, which carries no index);
 * RSCP_ERR_ARG (f or out NULL); or a structure error of the frame data
 * (RSCP_ERR_TRUNCATED, RSCP_ERR_BLOCK_OVERRUN). Values of an unsuitable
 * type are skipped. */
RSCP_API int rscp_battery_parse(const struct rscp_frame *f, unsigned index, struct rscp_battery *out);

/* Append one BAT.REQ_DATA { BAT.INDEX = bat, for each module k in
 * 0..count-1: the sub-requests chosen by what (RSCP_DCB_REQ_* bits), each
 * carrying k as its UINT16 value } to b. Modules are asked for from 0 in
 * order (see rscp_dcb_parse() for why). Returns 0, RSCP_ERR_ARG (b NULL,
 * no known bit in what), RSCP_ERR_RANGE (bat >= RSCP_BAT_MAX_STRINGS,
 * count 0 or above RSCP_DCB_MAX) or the builder's error. */
RSCP_API int rscp_dcb_request(struct rscp_builder *b, unsigned bat, unsigned count, unsigned what);

/* Read module `dcb` of string `bat` from a reply: BAT.DCB_INFO,
 * BAT.DCB_ALL_CELL_VOLTAGES and BAT.DCB_ALL_CELL_TEMPERATURES containers
 * inside the string's BAT.DATA. A container names its module by a
 * BAT.DCB_INDEX child; one without it is taken by position (the n-th
 * container of its kind in the BAT.DATA is module n, as
 * rscp_dcb_request() asks for them). Cell values are read from the
 * container's children and from one container level below (both layouts
 * are reported); n_cell_* tell how many the device sent. ERROR answers to
 * the module's sub-requests count in device_errors (by position, like a
 * container without index). *out is zeroed first. Returns 0 when at least
 * one container for the module was found; RSCP_ERR_NOT_FOUND otherwise
 * (also when the string's BAT.DATA is missing); RSCP_ERR_ARG; or a
 * structure error. */
RSCP_API int rscp_dcb_parse(const struct rscp_frame *f, unsigned bat, unsigned dcb, struct rscp_dcb *out);

RSCP_END_DECLS

#endif
