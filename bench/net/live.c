/* The 10-tag live request of the benchmark and the check of its reply.
 * Tag ids come from the dictionary (data/tags.tsv) by name. */
#include <stdio.h>

#include "bench_net.h"

#define RESPONSE_BIT 0x00800000u

const char *const bn_live_names[BN_LIVE_TAGS] = {
    "EMS.REQ_POWER_PV",  "EMS.REQ_POWER_BAT",          "EMS.REQ_POWER_HOME", "EMS.REQ_POWER_GRID",
    "EMS.REQ_POWER_ADD", "EMS.REQ_AUTARKY",            "EMS.REQ_SELF_CONSUMPTION",
    "EMS.REQ_BAT_SOC",   "EMS.REQ_COUPLING_MODE",      "EMS.REQ_STATUS",
};

uint32_t bn_live_tags[BN_LIVE_TAGS];

int bn_live_init(void)
{
    for (size_t i = 0; i < BN_LIVE_TAGS; i++) {
        int rc = rscp_tag_lookup(bn_live_names[i], &bn_live_tags[i]);
        if (rc != 0) {
            fprintf(stderr, "rscp_bench_net: tag %s: %s\n", bn_live_names[i], rscp_strerror(rc));
            return rc;
        }
    }
    return 0;
}

int bn_live_put(struct rscp_builder *b)
{
    for (size_t i = 0; i < BN_LIVE_TAGS; i++)
        rscp_put_none(b, bn_live_tags[i]);
    return rscp_builder_error(b);
}

int bn_live_check(const struct rscp_frame *reply)
{
    struct rscp_iter it;
    struct rscp_block blk;
    size_t n = 0;
    int rc;
    rscp_frame_iter(reply, &it);
    while ((rc = rscp_iter_next(&it, &blk)) == 1) {
        if (n >= BN_LIVE_TAGS || blk.tag != (bn_live_tags[n] | RESPONSE_BIT) || blk.type == RSCP_TYPE_ERROR)
            return -1;
        n++;
    }
    return rc == 0 && n == BN_LIVE_TAGS ? 0 : -1;
}
