/* Reply helpers shared by the request handlers. */
#include "reply.h"

#include "noise.h"

#include "rscp/tags.h"

#include <math.h>

double clamp_to(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

void put_f32(struct rscp_builder *b, uint32_t tag, double v)
{
    rscp_put_float32(b, tag, (float)v);
}

void put_ts(struct rscp_builder *b, uint32_t tag, double t)
{
    double s = floor(t);
    uint32_t ns = (uint32_t)clamp_to((t - s) * 1e9, 0.0, 999999999.0);
    rscp_put_timestamp(b, tag, (int64_t)s, ns);
}

bool get_index(const struct rscp_block *blk, uint64_t *out)
{
    return rscp_block_get_uint(blk, out) == 0;
}

bool want_container(struct req_ctx *x, const struct rscp_block *req)
{
    if (req->type == RSCP_TYPE_CONTAINER)
        return true;
    rscp_put_error(x->b, SIM_RESP(req->tag), SIM_ERR_FORMAT);
    return false;
}

bool tag_in(uint32_t tag, const uint32_t *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] == tag)
            return true;
    return false;
}

void put_device_state(struct rscp_builder *b, uint32_t tag, uint32_t connected, uint32_t working,
                      uint32_t in_service)
{
    rscp_put_container_open(b, tag);
    rscp_put_bool(b, connected, true);
    rscp_put_bool(b, working, true);
    rscp_put_bool(b, in_service, false);
    rscp_put_container_close(b);
}

double phase_voltage(const struct req_ctx *x, unsigned phase)
{
    return 230.0 + 4.0 * (sim_smooth_noise(x->d->model.cfg.seed, 70 + phase, x->now, 60.0) - 0.5);
}

void put_unsupported(struct rscp_builder *b, uint32_t req_tag)
{
    rscp_put_error(b, SIM_RESP(req_tag), rscp_tag_name(req_tag) ? SIM_ERR_NOT_AVAILABLE : SIM_ERR_UNKNOWN_TAG);
}
