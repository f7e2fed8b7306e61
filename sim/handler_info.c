/* INFO requests: identity, network settings, software versions, time. */
#include "areas.h"

#include "noise.h"

#include <math.h>

bool sim__info(struct req_ctx *x, const struct rscp_block *req)
{
    struct rscp_builder *b = x->b;
    const struct sim_config *c = &x->d->model.cfg;
    uint32_t rt = SIM_RESP(req->tag);
    switch (req->tag) {
    case RSCP_TAG_INFO_REQ_SERIAL_NUMBER: rscp_put_cstr(b, rt, x->d->serial); break;
    case RSCP_TAG_INFO_REQ_PRODUCTION_DATE: rscp_put_cstr(b, rt, "KW 23 2021"); break;
    case RSCP_TAG_INFO_REQ_A35_SERIAL_NUMBER: rscp_put_cstr(b, rt, "A35-0000071123"); break;
    case RSCP_TAG_INFO_REQ_MAC_ADDRESS: rscp_put_cstr(b, rt, x->d->mac); break;
    /* Addresses from the documentation range (RFC 5737). */
    case RSCP_TAG_INFO_REQ_IP_ADDRESS: rscp_put_cstr(b, rt, "192.0.2.10"); break;
    case RSCP_TAG_INFO_REQ_SUBNET_MASK: rscp_put_cstr(b, rt, "255.255.255.0"); break;
    case RSCP_TAG_INFO_REQ_GATEWAY:
    case RSCP_TAG_INFO_REQ_DNS: rscp_put_cstr(b, rt, "192.0.2.1"); break;
    case RSCP_TAG_INFO_REQ_DHCP_STATUS: rscp_put_bool(b, rt, true); break;
    case RSCP_TAG_INFO_REQ_SW_RELEASE: rscp_put_cstr(b, rt, "S10_2024_05"); break;
    case RSCP_TAG_INFO_REQ_GUI_TARGET: rscp_put_uchar8(b, rt, 0); break;
    case RSCP_TAG_INFO_REQ_UTC_TIME: put_ts(b, rt, x->now); break;
    case RSCP_TAG_INFO_REQ_TIME: /* local wall time written as if it were UTC */
        put_ts(b, rt, x->now + (double)sim_tz_offset(&c->tz, (int64_t)floor(x->now)));
        break;
    case RSCP_TAG_INFO_REQ_TIME_ZONE: rscp_put_cstr(b, rt, c->tz.name ? c->tz.name : "UTC"); break;
    case RSCP_TAG_INFO_REQ_MODULES_SW_VERSIONS: {
        static const char *const mods[][2] = {
            {"EMS", "S10_2024_05"}, {"PVI", "P10_2.4.1"}, {"BAT", "BPU_1.66"}, {"PM", "PM_1.17"}};
        rscp_put_container_open(b, rt);
        for (size_t i = 0; i < sizeof mods / sizeof mods[0]; i++) {
            rscp_put_container_open(b, RSCP_TAG_INFO_MODULE_SW_VERSION);
            rscp_put_cstr(b, RSCP_TAG_INFO_MODULE, mods[i][0]);
            rscp_put_cstr(b, RSCP_TAG_INFO_VERSION, mods[i][1]);
            rscp_put_container_close(b);
        }
        rscp_put_container_close(b);
        break;
    }
    default: return false;
    }
    return true;
}
