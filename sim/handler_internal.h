/* Shared by the pieces of the request handler (handler*.c): the context of
 * one request, small reply helpers, and the per-area entry points that the
 * dispatcher in handler.c calls. Internal header. */
#ifndef SIM_HANDLER_INTERNAL_H
#define SIM_HANDLER_INTERNAL_H

#include "handler.h"
#include "noise.h"
#include "sim_tags.h"

#include "rscp/builder.h"
#include "rscp/value.h"

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Everything one request needs: device, instant, output. */
struct req_ctx {
    struct sim_device *d;
    struct sim_flows f;        /* flows at `now` */
    double now;
    int auth_level;
    struct rscp_builder *b;
};

static inline double clamp_to(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static inline void put_f32(struct rscp_builder *b, uint32_t tag, double v)
{
    rscp_put_float32(b, tag, (float)v);
}

static inline void put_ts(struct rscp_builder *b, uint32_t tag, double t)
{
    double s = floor(t);
    uint32_t ns = (uint32_t)clamp_to((t - s) * 1e9, 0.0, 999999999.0);
    rscp_put_timestamp(b, tag, (int64_t)s, ns);
}

/* Index-like value of a request block (any integer type). */
static inline bool get_index(const struct rscp_block *blk, uint64_t *out)
{
    return rscp_block_get_uint(blk, out) == 0;
}

/* For a request that must be a container: true when it is one, else it is
 * answered with ERROR FORMAT and the result is false. */
static inline bool want_container(struct req_ctx *x, const struct rscp_block *req)
{
    if (req->type == RSCP_TYPE_CONTAINER)
        return true;
    rscp_put_error(x->b, SIM_RESP(req->tag), SIM_ERR_FORMAT);
    return false;
}

static inline bool tag_in(uint32_t tag, const uint32_t *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] == tag)
            return true;
    return false;
}

/* A *.DEVICE_STATE container: connected, working, not in service. */
static inline void put_device_state(struct rscp_builder *b, uint32_t tag, uint32_t connected, uint32_t working,
                                    uint32_t in_service)
{
    rscp_put_container_open(b, tag);
    rscp_put_bool(b, connected, true);
    rscp_put_bool(b, working, true);
    rscp_put_bool(b, in_service, false);
    rscp_put_container_close(b);
}

/* Grid voltage of one AC phase (0..2) now, as inverter and meters see it. */
static inline double phase_voltage(const struct req_ctx *x, unsigned phase)
{
    return 230.0 + 4.0 * (sim_smooth_noise(x->d->model.cfg.seed, 70 + phase, x->now, 60.0) - 0.5);
}

/* Each area answers one request block into x->b. The *_sub functions
 * answer a sub-request inside its index container; sim__is_*_sub tells
 * whether a tag is such a sub-request (sent at top level: ERROR FORMAT). */

/* handler_bat.c: BAT.REQ_DATA sub-requests of battery string `bat`. */
void sim__bat_sub(struct req_ctx *x, unsigned bat, const struct rscp_block *req);
bool sim__is_bat_sub(uint32_t tag);

/* handler_pvi.c: PVI.REQ_DATA sub-requests (one inverter). */
void sim__pvi_sub(struct req_ctx *x, const struct rscp_block *req);
bool sim__is_pvi_sub(uint32_t tag);

/* handler_pm.c: PM.REQ_DATA sub-requests; root: the root (grid) meter,
 * else the additional producer's meter. */
void sim__pm_sub(struct req_ctx *x, bool root, const struct rscp_block *req);
bool sim__is_pm_sub(uint32_t tag);

/* handler_index.c: a BAT/PVI/PM *.REQ_DATA container (index, then subs). */
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
