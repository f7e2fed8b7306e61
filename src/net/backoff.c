/* Exponential backoff with jitter, and reconnecting with it. */
#include <errno.h>
#include <time.h>

#include "rscp/client.h"
#include "rscp/clock.h"
#include "rscp/error.h"

void rscp_backoff_init(struct rscp_backoff *bo, uint32_t initial_ms, uint32_t max_ms, uint64_t seed)
{
    bo->initial_ms = initial_ms ? initial_ms : 1;
    bo->max_ms = max_ms >= bo->initial_ms ? max_ms : bo->initial_ms;
    bo->attempt = 0;
    bo->rng = seed ? seed : 0x9E3779B97F4A7C15u;
}

void rscp_backoff_reset(struct rscp_backoff *bo)
{
    bo->attempt = 0;
}

/* splitmix64: small, good enough for jitter, any seed works. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

uint32_t rscp_backoff_next(struct rscp_backoff *bo)
{
    uint64_t d = bo->max_ms;
    if (bo->attempt < 32) {
        uint64_t grown = (uint64_t)bo->initial_ms << bo->attempt;
        if (grown < d)
            d = grown;
    }
    if (bo->attempt < UINT32_MAX)
        bo->attempt++;
    uint64_t lo = d / 2;
    uint64_t span = d - lo + 1; /* [d/2, d] inclusive */
    return (uint32_t)(lo + next_random(&bo->rng) % span);
}

static int64_t clock_now(const struct rscp_clock *clk)
{
    return clk && clk->now_ms ? clk->now_ms(clk->ctx) : rscp_monotonic_ms();
}

static void clock_sleep(const struct rscp_clock *clk, int64_t ms)
{
    if (clk && clk->sleep_ms) {
        clk->sleep_ms(clk->ctx, ms);
        return;
    }
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

int rscp_client_connect_retry(rscp_client *c, struct rscp_backoff *bo, unsigned max_attempts,
                              int64_t deadline_ms, const struct rscp_clock *clk)
{
    if (!c || !bo)
        return RSCP_ERR_ARG;
    for (unsigned attempts = 1;; attempts++) {
        int rc = rscp_client_connect(c);
        if (rc == 0) {
            rscp_backoff_reset(bo);
            return 0;
        }
        if (rc == RSCP_ERR_AUTH || rc == RSCP_ERR_KEY || rc == RSCP_ERR_ARG || rc == RSCP_ERR_NOMEM)
            return rc;
        if (max_attempts && attempts >= max_attempts)
            return rc;
        int64_t delay = rscp_backoff_next(bo);
        if (deadline_ms >= 0 && clock_now(clk) + delay > deadline_ms)
            return rc;
        clock_sleep(clk, delay);
    }
}
