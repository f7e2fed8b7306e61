/* What every request handler of the simulator uses: the context of one
 * request and small helpers that write reply blocks or read request
 * values. Below the handlers (handler_*.c), above the device (device.h):
 * nothing here calls a handler. */
#ifndef SIM_REPLY_H
#define SIM_REPLY_H

#include "device.h"
#include "sim_tags.h"

#include "rscp/builder.h"
#include "rscp/value.h"

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

/* v limited to lo..hi. */
double clamp_to(double v, double lo, double hi);

/* A FLOAT32 block of v. */
void put_f32(struct rscp_builder *b, uint32_t tag, double v);

/* A TIMESTAMP block of t (UTC s with fraction). */
void put_ts(struct rscp_builder *b, uint32_t tag, double t);

/* Index-like value of a request block (any integer type): true with *out. */
bool get_index(const struct rscp_block *blk, uint64_t *out);

/* For a request that must be a container: true when it is one, else it is
 * answered with ERROR FORMAT and the result is false. */
bool want_container(struct req_ctx *x, const struct rscp_block *req);

/* The answer to a request the simulator does not serve: ERROR
 * NOT_AVAILABLE for a tag of the dictionary (the device knows it, this
 * one has no such function), ERROR UNKNOWN_TAG for any other. */
void put_unsupported(struct rscp_builder *b, uint32_t req_tag);

/* Whether tag is one of list[0..n). */
bool tag_in(uint32_t tag, const uint32_t *list, size_t n);

/* A *.DEVICE_STATE container: connected, working, not in service. */
void put_device_state(struct rscp_builder *b, uint32_t tag, uint32_t connected, uint32_t working,
                      uint32_t in_service);

/* Grid voltage of one AC phase (0..2) now, as inverter and meters see it. */
double phase_voltage(const struct req_ctx *x, unsigned phase);

#endif
