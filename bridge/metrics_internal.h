/* rscp-bridge: the Prometheus exposition's parts, shared by metrics.c (the
 * stream: fixed families, EMS bits, bridge counters) and metrics_values.c
 * (the per-value families, gathered across sites in bounded batches).
 * Not a public interface. */
#ifndef RSCP_BRIDGE_METRICS_INTERNAL_H
#define RSCP_BRIDGE_METRICS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "metrics.h"

/* The most one line() writes (longer lines are cut: the labels are
 * bounded well below it). */
#define MOUT_LINE_MAX 512u
/* Room one unit of output (a family's HELP and TYPE line, then a sample)
 * needs: a unit is only started with this much left. */
#define MOUT_UNIT (2u * MOUT_LINE_MAX)

/* Output into buf[0..cap): whole lines, a unit at a time. */
struct mout {
    char *buf;
    size_t cap, len;
};

static inline bool mout_room(const struct mout *o)
{
    return o->cap - o->len >= MOUT_UNIT;
}

void mout_line(struct mout *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "# HELP name help\n# TYPE name type\n" */
void mout_family(struct mout *o, const char *name, const char *type, const char *help);
/* A label value with \, " and newline escaped, into buf. */
const char *mout_label(const char *v, char *buf, size_t cap);
/* A sample value as text (whole numbers fast, else the shortest decimal
 * that reads back as v). False for a value that cannot be written. */
bool mout_value(double v, char *buf);

/* The fixed live list (a site without a snapshot): calls add(ctx, name,
 * help, value) for each value l has. */
void metrics_live_each(const struct rscp_live *l, void (*add)(void *ctx, const char *family, const char *help,
                                                               double value), void *ctx);

struct msample;
struct mcollect;

/* The per-value families' state of one stream (metrics_values.c). Each
 * batch walks the sites' values from the first site again and keeps the
 * samples of the families not yet written, in order of first appearance,
 * as many whole families as fit in max samples; a family that alone has
 * more is written on its own, a run of sites at a time. */
struct mvalues {
    struct msample *v;     /* the batch, in output order              */
    size_t n, cap, max;
    size_t pos;            /* next sample to write                    */
    bool cont;             /* v[0] continues the family written last  */
    const char **done;     /* families written (FAM_SLOTS at most)    */
    size_t ndone;
    const char *big;       /* the family written a run at a time      */
    const char *big_help;  /* its HELP (its first sample's)           */
    const char *run, *run_help; /* the family and HELP of the batch's
                              samples when it is a run of the big one
                              (big may be over by the time they are
                              written); NULL: the walk's index names them */
    size_t big_site;       /* its next site                           */
    bool big_started;
    bool finished;         /* no family left                          */
    struct mcollect *c;    /* the walk's family index                 */
};

/* max: samples in one batch (>= 16; SIZE_MAX: unbounded, one batch). */
bool mvalues_init(struct mvalues *mv, size_t max);
void mvalues_free(struct mvalues *mv);
/* Bytes a stream with max samples holds at most (for budgets). */
size_t mvalues_mem(size_t max);
/* Write the per-value families into o while there is room. Returns true
 * when they are all written, false when o is full (call again). */
bool mvalues_write(struct mvalues *mv, const struct bridge_metrics_source *src, size_t nsites, struct mout *o);

#endif
