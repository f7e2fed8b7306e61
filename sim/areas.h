/* The areas of the request handler (handler_*.c): each answers one kind of
 * request block into x->b. handler.c dispatches to them, handler_index.c
 * hands an index container's sub-requests to the unit's area. Internal
 * header; the areas use only reply.h and the layers below it. */
#ifndef SIM_AREAS_H
#define SIM_AREAS_H

#include "reply.h"

#include <stdbool.h>
#include <stdint.h>

/* Each area answers one request block into x->b. The *_sub functions
 * answer a sub-request inside its index container; sim__is_*_sub tells
 * whether a tag is such a sub-request (sent at top level: ERROR FORMAT). */

/* handler_bat.c: BAT.REQ_DATA sub-requests of battery string `bat`. */
void sim__bat_sub(struct req_ctx *x, unsigned bat, const struct rscp_block *req);
bool sim__is_bat_sub(uint32_t tag);

/* handler_pvi.c: PVI.REQ_DATA sub-requests (one inverter). */
void sim__pvi_sub(struct req_ctx *x, const struct rscp_block *req);
bool sim__is_pvi_sub(uint32_t tag);

/* handler_pm.c: PM.REQ_DATA sub-requests of one meter. */
void sim__pm_sub(struct req_ctx *x, const struct sim_meter *meter, const struct rscp_block *req);
bool sim__is_pm_sub(uint32_t tag);

/* handler_wb.c: WB.REQ_DATA sub-requests of wallbox `wb` (below the
 * device's wallboxes), including WB.REQ_SET_EXTERN. */
void sim__wb_sub(struct req_ctx *x, unsigned wb, const struct rscp_block *req);
bool sim__is_wb_sub(uint32_t tag);
/* Whether a WB.REQ_DATA sub-request is a write (counted in d->writes,
 * also when sent to a wallbox the device lacks). */
bool sim__is_wb_write(uint32_t tag);

/* handler_wb.c: DCDC.REQ_DATA sub-requests of converter `dcdc`. */
void sim__dcdc_sub(struct req_ctx *x, unsigned dcdc, const struct rscp_block *req);
bool sim__is_dcdc_sub(uint32_t tag);

/* handler_control.c: idle periods, manual charge, emergency reserve;
 * false when the tag is not one of them. */
bool sim__control(struct req_ctx *x, const struct rscp_block *req);

/* handler_index.c: a BAT/PVI/PM/WB/DCDC *.REQ_DATA container (index, then subs). */
void sim__index_container(struct req_ctx *x, const struct rscp_block *req);

/* handler_history.c: a DB.REQ_HISTORY_DATA_* container. */
void sim__db_history(struct req_ctx *x, const struct rscp_block *req);
bool sim__is_db_sub(uint32_t tag);

/* handler_ems.c: EMS readings and system specs; false when the tag is not
 * one of them. */
bool sim__ems(struct req_ctx *x, const struct rscp_block *req);

/* handler_settings.c: EMS requests that change the controls (and
 * GET_POWER_SETTINGS that reads them back); false when not one of them. */
bool sim__settings(struct req_ctx *x, const struct rscp_block *req);

/* handler_info.c: INFO requests; false when the tag is not one of them. */
bool sim__info(struct req_ctx *x, const struct rscp_block *req);

#endif
