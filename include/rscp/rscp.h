/* librscp: E3/DC RSCP protocol library -- include everything.
 *
 * Layers, from the bottom:
 *   types.h, value.h, builder.h, frame.h  -- the pure codec
 *   cipher.h                              -- Rijndael-256-CBC
 *   reader.h                              -- streaming frame reader
 *   tags.h, dump.h                        -- dictionary and dumps
 *   clock.h                               -- timestamps for headers
 *   client.h, server.h                    -- the network layer
 *   api.h                                 -- typed queries (live, info, history)
 *   plant.h                               -- discovery of the plant's shape
 *   battery.h, pvi.h, pm.h, wallbox.h     -- batteries, PV inverters, power
 *                                            meters, wallboxes (read side)
 * Conventions: functions return 0 (or a count) on success and a negative
 * enum rscp_error on failure (error.h). */
#ifndef RSCP_RSCP_H
#define RSCP_RSCP_H

#include "rscp/api.h"
#include "rscp/battery.h"
#include "rscp/builder.h"
#include "rscp/car_modes.h"
#include "rscp/cipher.h"
#include "rscp/client.h"
#include "rscp/clock.h"
#include "rscp/control.h"
#include "rscp/common.h"
#include "rscp/dump.h"
#include "rscp/ems.h"
#include "rscp/error.h"
#include "rscp/frame.h"
#include "rscp/plant.h"
#include "rscp/pm.h"
#include "rscp/pvi.h"
#include "rscp/power_hold.h"
#include "rscp/reader.h"
#include "rscp/server.h"
#include "rscp/settings.h"
#include "rscp/tag_ids.h"
#include "rscp/tags.h"
#include "rscp/types.h"
#include "rscp/value.h"
#include "rscp/version.h"
#include "rscp/wallbox_control.h"
#include "rscp/wallbox.h"

#endif
