/* librscp: power meters (PM namespace): type, power, voltage and energy
 * per phase. Pure codec functions in the style of api.h:
 * rscp_pm_request() appends one PM.REQ_DATA to a caller's builder (other
 * requests may share the frame), rscp_pm_parse() picks the meter's PM.DATA
 * out of a reply frame. Which index is the root (grid) meter differs by
 * model (0 or 6): discovery (rscp/plant.h) finds it by PM.TYPE.
 * Device error blocks are data: the value stays absent and device_errors
 * counts them. Numbers are read as any integer or float type.
 * Thread-safe on distinct arguments; no heap. */
#ifndef RSCP_PM_H
#define RSCP_PM_H

#include "rscp/builder.h"
#include "rscp/common.h"
#include "rscp/error.h"
#include "rscp/frame.h"

#define RSCP_PM_MAX_METERS 8u /* PM.INDEX 0..7 probed and accepted */
#define RSCP_PM_PHASES 3u     /* L1..L3                           */

/* PM.TYPE values (as python-e3dc and the E3/DC tag list name them). */
enum rscp_pm_type {
    RSCP_PM_TYPE_UNDEFINED = 0,
    RSCP_PM_TYPE_ROOT = 1,                   /* the grid connection point */
    RSCP_PM_TYPE_ADDITIONAL = 2,
    RSCP_PM_TYPE_ADDITIONAL_PRODUCTION = 3,  /* e.g. a second PV inverter */
    RSCP_PM_TYPE_ADDITIONAL_CONSUMPTION = 4,
    RSCP_PM_TYPE_FARM = 5,
    RSCP_PM_TYPE_UNUSED = 6,
    RSCP_PM_TYPE_WALLBOX = 7,
    RSCP_PM_TYPE_FARM_ADDITIONAL = 8
};

/* Bits of struct rscp_pm.present. */
#define RSCP_PM_TYPE 0x001u
#define RSCP_PM_POWER_L1 0x002u
#define RSCP_PM_POWER_L2 0x004u
#define RSCP_PM_POWER_L3 0x008u
#define RSCP_PM_VOLTAGE_L1 0x010u
#define RSCP_PM_VOLTAGE_L2 0x020u
#define RSCP_PM_VOLTAGE_L3 0x040u
#define RSCP_PM_ENERGY_L1 0x080u
#define RSCP_PM_ENERGY_L2 0x100u
#define RSCP_PM_ENERGY_L3 0x200u
#define RSCP_PM_ACTIVE_PHASES 0x400u
#define RSCP_PM_MODE 0x800u
#define RSCP_PM_ERROR_CODE 0x1000u
#define RSCP_PM_DEVICE_ID 0x2000u
#define RSCP_PM_POWER 0x4000u /* power: the sum of the phases, present when all three are */
#define RSCP_PM_ALL 0x7FFFu

/* One power meter: the PM.DATA answer for one PM.INDEX. */
struct rscp_pm {
    uint16_t index;                 /* PM.INDEX asked for                          */
    uint64_t type;                  /* PM.TYPE: enum rscp_pm_type                  */
    double power[RSCP_PM_PHASES];   /* PM.POWER_L1..L3, W (root: + import)        */
    double power_total;             /* sum of the three phases, W                  */
    double voltage[RSCP_PM_PHASES]; /* PM.VOLTAGE_L1..L3, V                        */
    double energy[RSCP_PM_PHASES];  /* PM.ENERGY_L1..L3, Wh                        */
    uint64_t active_phases;         /* PM.ACTIVE_PHASES: bit 0 L1, 1 L2, 2 L3       */
    uint64_t mode;                  /* PM.MODE                                     */
    uint64_t error_code;            /* PM.ERROR_CODE                               */
    uint64_t device_id;             /* PM.DEVICE_ID                                */
    uint32_t present;               /* RSCP_PM_* bits                               */
    uint32_t device_errors;         /* ERROR blocks inside the meter's PM.DATA      */
};

RSCP_BEGIN_DECLS

/* Append PM.REQ_DATA { PM.INDEX = index (UINT16), REQ_TYPE,
 * REQ_POWER_L1..L3, REQ_VOLTAGE_L1..L3, REQ_ENERGY_L1..L3,
 * REQ_ACTIVE_PHASES, REQ_MODE, REQ_ERROR_CODE, REQ_DEVICE_ID } to b.
 * Returns 0, RSCP_ERR_ARG (b NULL), RSCP_ERR_RANGE (index >=
 * RSCP_PM_MAX_METERS) or the builder's sticky error. */
RSCP_API int rscp_pm_request(struct rscp_builder *b, unsigned index);

/* Read meter `index` from a reply: every top-level PM.DATA container whose
 * PM.INDEX is index is read (merged). *out is zeroed first, out->index
 * set. Returns 0; RSCP_ERR_NOT_FOUND when f holds no such container
 * (absent); RSCP_ERR_ARG (f or out NULL); or a structure error. */
RSCP_API int rscp_pm_parse(const struct rscp_frame *f, unsigned index, struct rscp_pm *out);

/* A static English name of a PM.TYPE value ("root", "additional
 * production", ...), or "unknown" for a value outside the enum. */
RSCP_API const char *rscp_pm_type_name(uint64_t type);

RSCP_END_DECLS

#endif
