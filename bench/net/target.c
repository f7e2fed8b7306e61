/* Choosing a server to measure against. */
#include "bench_net.h"

const char *bn_kind_label(enum bn_kind kind)
{
    return kind == BN_TARGET_SIM ? "sim" : "minimal";
}

void bn_target_credentials(enum bn_kind kind, struct bn_credentials *cred)
{
    if (kind == BN_TARGET_SIM)
        bn_sim_credentials(cred);
    else
        bn_minimal_credentials(cred);
}

int bn_target_start(struct bn_target *t, enum bn_kind kind)
{
    t->kind = kind;
    t->port = 0;
    t->impl = 0;
    return kind == BN_TARGET_SIM ? bn_sim_start(t) : bn_minimal_start(t);
}

void bn_target_stop(struct bn_target *t)
{
    if (t->kind == BN_TARGET_SIM)
        bn_sim_stop(t);
    else
        bn_minimal_stop(t);
}
