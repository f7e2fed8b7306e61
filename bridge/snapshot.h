/* rscp-bridge: what one site's poll cycle has read, as the library's typed
 * structs. The site code (site.c) fills it from replies; the topic table
 * (topics.h), the JSON state, the Home Assistant discovery and the metrics
 * read it. Pure data: no pointers into reply buffers (the structs are
 * copies), so a snapshot stays valid after the next request.
 *
 * A part is valid only when its BRIDGE_HAVE_* bit is set in `have`, and a
 * unit (battery string, inverter, meter, wallbox) only when its bit is set
 * in the matching *_ok mask as well (bit i: index i). Units are stored at
 * their device index, so index sets with gaps (meters at 0, 1, 3, 6) keep
 * their numbers. Inside each struct the library's `present` bits say which
 * fields the device gave: a field without its bit is not published. */
#ifndef RSCP_BRIDGE_SNAPSHOT_H
#define RSCP_BRIDGE_SNAPSHOT_H

#include <stdbool.h>
#include <stdint.h>

#include "rscp/api.h"
#include "rscp/battery.h"
#include "rscp/car_modes.h"
#include "rscp/control.h"
#include "rscp/plant.h"
#include "rscp/pm.h"
#include "rscp/pvi.h"
#include "rscp/settings.h"
#include "rscp/wallbox.h"

/* Bits of struct bridge_snapshot.have. */
#define BRIDGE_HAVE_INFO 0x0001u      /* info (read once per connection)       */
#define BRIDGE_HAVE_PLANT 0x0002u     /* plant (discovery, once per connection) */
#define BRIDGE_HAVE_SPECS 0x0004u     /* specs (once per connection)           */
#define BRIDGE_HAVE_LIVE 0x0008u      /* live                                   */
#define BRIDGE_HAVE_BATTERY 0x0010u   /* bat[] with bat_ok                      */
#define BRIDGE_HAVE_DCB 0x0020u       /* dcb[] with dcb_ok                      */
#define BRIDGE_HAVE_PV 0x0040u        /* pvi[] with pvi_ok                      */
#define BRIDGE_HAVE_METERS 0x0080u    /* pm[] with pm_ok                        */
#define BRIDGE_HAVE_WALLBOX 0x0100u   /* wb[] with wb_ok                        */
#define BRIDGE_HAVE_SETTINGS 0x0200u  /* settings                               */
#define BRIDGE_HAVE_RESERVE 0x0400u   /* reserve                                */
#define BRIDGE_HAVE_IDLE 0x0800u      /* idle                                   */
#define BRIDGE_HAVE_MANUAL 0x1000u    /* manual_charge                          */
#define BRIDGE_HAVE_TODAY 0x2000u     /* today (DB day from local midnight)     */
#define BRIDGE_HAVE_YESTERDAY 0x4000u /* yesterday                              */
#define BRIDGE_HAVE_HOLD 0x8000u      /* hold (the bridge's own power-mode hold) */
#define BRIDGE_HAVE_CAR_MODES 0x10000u /* car_modes (read with the wallboxes)    */

/* The power-mode hold the bridge keeps alive for set/power_mode. */
struct bridge_hold_state {
    int mode;           /* enum rscp_power_mode; RSCP_POWER_MODE_AUTO when none */
    int32_t watts;
    uint32_t cycles_left; /* 0: until told otherwise (when mode is not auto) */
};

struct bridge_snapshot {
    int64_t taken_unix_ms;   /* wall clock when the cycle's reply came      */
    uint32_t have;           /* BRIDGE_HAVE_*                                */
    struct rscp_info info;
    struct rscp_plant plant;
    struct rscp_sys_specs specs;
    struct rscp_live live;
    uint32_t bat_ok;         /* bit i: bat[i] parsed                         */
    struct rscp_battery bat[RSCP_BAT_MAX_STRINGS];
    uint32_t dcb_ok[RSCP_BAT_MAX_STRINGS]; /* bit j: dcb[i][j] parsed        */
    uint32_t dcb_gen;        /* changes whenever dcb[] or dcb_ok[] do        */
    struct rscp_dcb *dcb[RSCP_BAT_MAX_STRINGS]; /* NULL, or plant.dcb_count[i]
                                                   entries, at most RSCP_DCB_MAX
                                                   (owned by the site) */
    uint32_t pvi_ok;
    struct rscp_pvi pvi[RSCP_PVI_MAX_INVERTERS];
    uint32_t pm_ok;
    struct rscp_pm pm[RSCP_PM_MAX_METERS];
    uint32_t wb_ok;
    struct rscp_wallbox wb[RSCP_WB_MAX_WALLBOXES];
    struct rscp_car_modes car_modes; /* the battery and the car (EMS)        */
    struct rscp_power_settings settings;
    struct rscp_ep_reserve reserve;
    struct rscp_idle_periods idle;
    struct rscp_manual_charge manual_charge;
    struct rscp_history_values today;     /* energies in Wh, since local midnight */
    struct rscp_history_values yesterday;
    struct bridge_hold_state hold;
};

#endif
