/* librscp: keeping a SET_POWER mode alive from an event loop.
 *
 * A device follows EMS.REQ_SET_POWER only while it is resent and falls back
 * to automatic operation some seconds after the last one. A power hold
 * tells its owner when to send, writes each request, checks each reply and
 * ends the hold by sending RSCP_POWER_AUTO exactly once:
 *
 *     rscp_power_hold_start(h, RSCP_POWER_CHARGE, 3000, now, 20 * 1000);
 *     loop:
 *         poll(..., timeout until rscp_power_hold_next(h));
 *         if (rscp_power_hold_put(h, &b, now) == 1)   -> send b, then
 *             rscp_power_hold_reply(h, &reply, &mirrored);
 *         ... on Ctrl-C: rscp_power_hold_stop(h, now), send once more.
 *
 * No clock, no socket: every call takes the caller's monotonic time in
 * milliseconds, so tests drive it with any clock. The resend period is
 * interval_ms minus a random jitter (a seeded PRNG, no global state), so
 * that many holds started together spread out; it never exceeds 10 s.
 * Replies never make the hold send AUTO: a device that mirrors a lower
 * value (a hardware limit) or 0 is reported, and the hold goes on.
 *
 * Not thread-safe: one hold per thread, or a lock around it. */
#ifndef RSCP_POWER_HOLD_H
#define RSCP_POWER_HOLD_H

#include "rscp/builder.h"
#include "rscp/common.h"
#include "rscp/frame.h"

typedef struct rscp_power_hold rscp_power_hold;

/* Longest allowed resend period in ms (the devices' tolerance, about 10 s
 * in practice although the vendor's tag text says 30 s). */
#define RSCP_POWER_HOLD_MAX_INTERVAL_MS 10000u
#define RSCP_POWER_HOLD_DEFAULT_INTERVAL_MS 7000u /* resend at most this long after the last */
#define RSCP_POWER_HOLD_DEFAULT_JITTER_MS 2000u   /* ... and at least this much sooner      */

struct rscp_power_hold_config {
    uint32_t interval_ms; /* longest resend period; 1..RSCP_POWER_HOLD_MAX_INTERVAL_MS */
    uint32_t jitter_ms;   /* each period is interval_ms minus 0..jitter_ms; <= interval_ms / 2 */
    uint64_t seed;        /* seed of the jitter; equal seeds give equal periods */
};

enum rscp_power_hold_state {
    RSCP_HOLD_OFF = 0,    /* nothing to send (never started, or ended: AUTO was sent) */
    RSCP_HOLD_ACTIVE = 1, /* a mode is held: resent every period until its end       */
    RSCP_HOLD_ENDING = 2  /* the closing AUTO is due and not yet written              */
};

/* What a hold is doing, for display and tests. */
struct rscp_power_hold_status {
    int state;              /* enum rscp_power_hold_state                          */
    int mode;               /* the held mode (enum rscp_power_mode), while ACTIVE  */
    int32_t watts;          /* the held power, while ACTIVE                         */
    int64_t until_ms;       /* end of the hold; INT64_MAX: until stopped            */
    int64_t next_ms;        /* when the next request is due; INT64_MAX: none        */
    uint32_t sent;          /* requests written since the hold was created          */
    uint32_t replies;       /* replies read                                         */
    uint32_t mismatches;    /* replies mirroring another value than was sent        */
    uint32_t device_errors; /* replies with an ERROR block                           */
    int64_t last_mirrored;  /* value of the last reply (valid when replies > 0)     */
};

RSCP_BEGIN_DECLS

/* Defaults: RSCP_POWER_HOLD_DEFAULT_INTERVAL_MS, _JITTER_MS, seed 1. */
RSCP_API void rscp_power_hold_config_init(struct rscp_power_hold_config *cfg);

/* Create a hold in state OFF. cfg NULL: the defaults. Returns 0,
 * RSCP_ERR_ARG (out NULL, interval 0 or above the maximum, jitter above half
 * the interval) or RSCP_ERR_NOMEM. */
RSCP_API int rscp_power_hold_new(rscp_power_hold **out, const struct rscp_power_hold_config *cfg);

/* Free a hold; NULL accepted. Sends nothing: stop it and write the closing
 * request first if the device should return to AUTO at once. */
RSCP_API void rscp_power_hold_free(rscp_power_hold *h);

/* Hold mode with watts from now_ms for duration_ms (0: until stopped); the
 * first request is due at once. A new start replaces a running hold. Mode
 * RSCP_POWER_AUTO (watts 0) ends a running hold like rscp_power_hold_stop()
 * and from OFF schedules one AUTO request. Returns 0, RSCP_ERR_ARG (h NULL,
 * unknown mode, duration negative) or RSCP_ERR_RANGE (watts outside the
 * mode's range, see rscp_set_power_request()); on error nothing changes. */
RSCP_API int rscp_power_hold_start(rscp_power_hold *h, int mode, int32_t watts, int64_t now_ms,
                                   int64_t duration_ms);

/* End the hold: from ACTIVE the closing AUTO becomes due at once. From OFF
 * or ENDING nothing changes, so stopping twice sends AUTO once. */
RSCP_API void rscp_power_hold_stop(rscp_power_hold *h);

/* When the next request is due (ms, the caller's clock), INT64_MAX when
 * none is (state OFF). A hold whose end has come is due at once. */
RSCP_API int64_t rscp_power_hold_next(const rscp_power_hold *h);

/* Write the request that is due at now_ms into b: the held mode, or the
 * closing AUTO when the hold was stopped or its duration is over (which
 * turns the hold OFF). Returns 1 when a request was written, 0 when none is
 * due, RSCP_ERR_ARG (NULL argument), or the builder's error (the request
 * stays due). */
RSCP_API int rscp_power_hold_put(rscp_power_hold *h, struct rscp_builder *b, int64_t now_ms);

/* Check a reply to the last request written: its EMS.SET_POWER should
 * mirror the value sent. Returns 0 when it does, 1 when it mirrors another
 * value (counted; *mirrored tells which), RSCP_ERR_DEVICE when the device
 * answered with an ERROR block (counted), RSCP_ERR_STATE when no request
 * was written yet, or the errors of rscp_set_power_parse(). mirrored may be
 * NULL. The state of the hold does not change. */
RSCP_API int rscp_power_hold_reply(rscp_power_hold *h, const struct rscp_frame *reply, int64_t *mirrored);

/* Fill *st with the hold's state. */
RSCP_API void rscp_power_hold_status(const rscp_power_hold *h, struct rscp_power_hold_status *st);

RSCP_END_DECLS

#endif
