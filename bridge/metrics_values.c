/* rscp-bridge: the exposition's per-value families (see metrics.h and
 * metrics_internal.h). The page is family-major (every sample of a family
 * under its one HELP/TYPE, in site order) while the values come site by
 * site, so a bounded batch cannot hold a transposed copy of every site.
 * Instead each batch walks all sites again and keeps only the families not
 * written yet, lowest first (order of first appearance, as one pass over
 * all sites would order them): when the batch is full, the highest family
 * in it is dropped, until one family alone is too large; that family is
 * then written a run of sites at a time (its samples come in output order,
 * so no sorting). Memory: max samples of ~64 bytes, whatever the number of
 * sites; cost: one walk of the sites per batch. The families written are
 * remembered by name, so a site whose values change between batches can
 * neither repeat a family nor break its grouping (a family that appears
 * only after it was written waits for the next page). */
#include "metrics_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rscp/dump.h"
#include "topics.h"

/* One sample of a per-value family: 32 bytes, so that a batch of
 * BRIDGE_METRICS_SAMPLES fits 512 KiB (the fewer batches, the fewer walks
 * over every site). Its family's name and HELP are those of the walk's
 * index (mcollect names/helps; the big family's in mvalues), its unit's
 * label the walk's too. */
struct msample {
    double value;
    uint32_t site, seq;
    uint16_t fam;              /* index of the family in order of appearance */
    int16_t unit;              /* the unit's index                            */
    int16_t tracker, dcb, sensor; /* -1: none                                */
    char phase;                /* '1'..'3' or 0                               */
    uint8_t label;             /* mcollect labels[label - 1]; 0: none         */
};

_Static_assert(sizeof(struct msample) <= 32, "a sample is 32 bytes at most");

#define FAM_SLOTS 1024u /* distinct family name pointers remembered */
#define LABEL_SLOTS 16u /* distinct unit labels ("battery", "inverter", ...) */

/* One walk over the sites. */
struct mcollect {
    struct mvalues *mv;
    bool failed;               /* out of memory or of family slots     */
    bool go_big;               /* one family alone overflows the batch */
    bool overflow;             /* big mode: the batch is full          */
    uint32_t big_idx;
    uint32_t site, seq;
    uint32_t limit;            /* families kept: index below it        */
    const char *fam_ptr[FAM_SLOTS]; /* open addressing on the pointer */
    uint32_t fam_idx[FAM_SLOTS];
    const char *names[FAM_SLOTS];   /* distinct names, by index       */
    const char *helps[FAM_SLOTS];   /* their HELP (the first sample's) */
    const char *labels[LABEL_SLOTS];
    uint32_t nlabels;
    bool dn[FAM_SLOTS];             /* names[i] is written already    */
    uint32_t nnames;
};

size_t mvalues_mem(size_t max)
{
    return sizeof(struct mcollect) + FAM_SLOTS * sizeof(const char *) + max * sizeof(struct msample);
}

bool mvalues_init(struct mvalues *mv, size_t max)
{
    memset(mv, 0, sizeof *mv);
    mv->max = max < 16 ? 16 : max;
    mv->c = malloc(sizeof *mv->c);
    mv->done = calloc(FAM_SLOTS, sizeof *mv->done);
    if (!mv->c || !mv->done) {
        mvalues_free(mv);
        return false;
    }
    return true;
}

void mvalues_free(struct mvalues *mv)
{
    free(mv->v);
    free(mv->c);
    free(mv->done);
    memset(mv, 0, sizeof *mv);
}

static bool is_done(const struct mvalues *mv, const char *family)
{
    for (size_t i = 0; i < mv->ndone; i++)
        if (mv->done[i] == family || strcmp(mv->done[i], family) == 0)
            return true;
    return false;
}

static void mark_done(struct mvalues *mv, const char *family)
{
    if (mv->ndone < FAM_SLOTS)
        mv->done[mv->ndone++] = family;
}

static uint32_t family_index(struct mcollect *c, const char *family, const char *help)
{
    size_t h = ((uintptr_t)family >> 3) % FAM_SLOTS;
    for (size_t k = 0; k < FAM_SLOTS; k++, h = (h + 1) % FAM_SLOTS) {
        if (c->fam_ptr[h] == family)
            return c->fam_idx[h];
        if (c->fam_ptr[h])
            continue;
        uint32_t idx = UINT32_MAX;
        for (uint32_t i = 0; i < c->nnames; i++)
            if (strcmp(c->names[i], family) == 0)
                idx = i;
        if (idx == UINT32_MAX) {
            if (c->nnames == FAM_SLOTS) {
                c->failed = true;
                return 0;
            }
            idx = c->nnames;
            c->names[idx] = family;
            c->helps[idx] = help;
            c->dn[idx] = is_done(c->mv, family);
            c->nnames++;
        }
        c->fam_ptr[h] = family;
        c->fam_idx[h] = idx;
        return idx;
    }
    c->failed = true; /* more distinct pointers than slots */
    return 0;
}

static bool grow(struct mvalues *mv)
{
    if (mv->n < mv->cap)
        return true;
    if (mv->cap >= mv->max)
        return false;
    size_t cap = mv->cap ? mv->cap * 2 : 256;
    if (cap > mv->max || cap < mv->cap)
        cap = mv->max;
    struct msample *nv = realloc(mv->v, cap * sizeof *nv);
    if (!nv)
        return false;
    mv->v = nv;
    mv->cap = cap;
    return true;
}

/* The batch is full and a sample of family idx came: drop the highest
 * family (it waits for a later batch). False when one family is all there
 * is (go_big) or the new sample's family is the one dropped. */
static bool make_room(struct mcollect *c, uint32_t idx)
{
    struct mvalues *mv = c->mv;
    uint32_t hi = idx, lo = idx;
    for (size_t i = 0; i < mv->n; i++) {
        if (mv->v[i].fam > hi)
            hi = mv->v[i].fam;
        if (mv->v[i].fam < lo)
            lo = mv->v[i].fam;
    }
    if (hi == lo) {
        c->go_big = true;
        c->big_idx = lo;
        return false;
    }
    c->limit = hi;
    size_t k = 0;
    for (size_t i = 0; i < mv->n; i++)
        if (mv->v[i].fam < hi)
            mv->v[k++] = mv->v[i];
    mv->n = k;
    return idx < hi;
}

static struct msample *add_sample(struct mcollect *c, const char *family, const char *help, double value)
{
    struct mvalues *mv = c->mv;
    if (c->failed || c->go_big || c->overflow || !isfinite(value))
        return NULL;
    uint32_t fam = 0;
    if (mv->big) {
        if (family != mv->big && strcmp(family, mv->big) != 0)
            return NULL;
        if (!mv->big_help)
            mv->big_help = help;
        if (!grow(mv)) {
            c->overflow = true;
            return NULL;
        }
    } else {
        fam = family_index(c, family, help);
        if (c->failed || c->dn[fam] || fam >= c->limit)
            return NULL;
        if (!grow(mv)) {
            if (mv->cap < mv->max) { /* out of memory */
                c->failed = true;
                return NULL;
            }
            if (!make_room(c, fam))
                return NULL;
        }
    }
    struct msample *m = &mv->v[mv->n++];
    memset(m, 0, sizeof *m);
    m->value = value;
    m->site = c->site;
    m->seq = c->seq++;
    m->fam = (uint16_t)fam; /* < FAM_SLOTS */
    m->unit = -1;
    m->tracker = m->dcb = m->sensor = -1;
    return m;
}

/* A number that is a whole path segment at p (up to '/' or the end). */
static int16_t segment_number(const char *p)
{
    long v = 0;
    size_t k = 0;
    for (; p[k] >= '0' && p[k] <= '9' && k < 5; k++)
        v = v * 10 + (p[k] - '0');
    return k > 0 && (p[k] == '/' || p[k] == '\0') ? (int16_t)v : (int16_t)-1;
}

static const char *unit_label_of(const char *component)
{
    if (!component)
        return NULL;
    if (strcmp(component, "pvi") == 0)
        return "inverter";
    if (strcmp(component, "pm") == 0)
        return "meter";
    return component; /* "battery", "wallbox" */
}

/* The walk's index (1-based) of a unit label; 0 when there is no room
 * (the sample then has no unit label: the walk fails, as for families). */
static uint8_t label_index(struct mcollect *c, const char *label)
{
    for (uint32_t i = 0; i < c->nlabels; i++)
        if (c->labels[i] == label || strcmp(c->labels[i], label) == 0)
            return (uint8_t)(i + 1);
    if (c->nlabels == LABEL_SLOTS) {
        c->failed = true;
        return 0;
    }
    c->labels[c->nlabels++] = label;
    return (uint8_t)c->nlabels;
}

static void on_value(void *ctx, const struct bridge_value *v)
{
    struct mcollect *c = ctx;
    const struct bridge_topic_meta *meta = v->meta;
    if (!meta || !meta->metric || v->kind == BRIDGE_VAL_STRING)
        return;
    double scale = meta->metric_scale != 0 ? meta->metric_scale : 1;
    double x = v->kind == BRIDGE_VAL_BOOL ? (v->flag ? 1 : 0) : v->number * scale;
    /* HELP from the label; the family's name when there is none (the
     * topic is the walk's buffer: it does not outlive the callback). */
    struct msample *m = add_sample(c, meta->metric, meta->label ? meta->label : meta->metric, x);
    if (!m)
        return;
    if (meta->component && v->unit_index >= 0) {
        m->label = label_index(c, unit_label_of(meta->component));
        m->unit = (int16_t)v->unit_index;
    }
    for (const char *p = v->topic; p; p = strchr(p, '/') ? strchr(p, '/') + 1 : NULL) {
        if (strncmp(p, "string_", 7) == 0 && segment_number(p + 7) >= 0)
            m->tracker = segment_number(p + 7);
        else if (p[0] == 'L' && p[1] >= '1' && p[1] <= '3' && (p[2] == '/' || p[2] == '\0'))
            m->phase = p[1];
        else if (strncmp(p, "dcb/", 4) == 0)
            m->dcb = segment_number(p + 4);
        else if (strncmp(p, "temperature/", 12) == 0)
            m->sensor = segment_number(p + 12);
    }
}

static void on_live(void *ctx, const char *family, const char *help, double value)
{
    add_sample(ctx, family, help, value);
}

/* Site i's values into the batch. */
static void walk_site(struct mcollect *c, const struct bridge_metrics_source *src, size_t i)
{
    struct bridge_site_metrics sm;
    memset(&sm, 0, sizeof sm);
    src->site(src->ctx, i, &sm);
    c->site = (uint32_t)i;
    if (sm.snap)
        bridge_topics_each(sm.snap, sm.groups, on_value, c);
    else if (sm.live)
        metrics_live_each(sm.live, on_live, c);
}

static int sample_order(const void *a, const void *b)
{
    const struct msample *x = a, *y = b;
    if (x->fam != y->fam)
        return x->fam < y->fam ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void reset_walk(struct mcollect *c, struct mvalues *mv)
{
    memset(c, 0, sizeof *c);
    c->mv = mv;
    c->limit = UINT32_MAX;
}

/* The next run of sites of the family too large for one batch. */
static void fill_big(struct mvalues *mv, const struct bridge_metrics_source *src, size_t nsites)
{
    struct mcollect *c = mv->c;
    reset_walk(c, mv);
    mv->cont = mv->big_started;
    mv->big_started = true;
    mv->run = mv->big;
    size_t first = mv->big_site;
    for (size_t i = first; i < nsites; i++) {
        size_t before = mv->n;
        walk_site(c, src, i);
        if (c->overflow) {
            /* Site i starts the next run; when it is the run's first, it
             * alone has more samples than a batch: the rest of its
             * samples of this family are left out. */
            if (i > first)
                mv->n = before;
            mv->big_site = i > first ? i : i + 1;
            mv->run_help = mv->big_help;
            return;
        }
    }
    mv->run_help = mv->big_help;
    mark_done(mv, mv->big);
    mv->big = NULL;
    mv->big_help = NULL;
    mv->big_started = false;
}

/* The next batch: whole families, lowest first. */
static void fill(struct mvalues *mv, const struct bridge_metrics_source *src, size_t nsites)
{
    mv->n = mv->pos = 0;
    mv->cont = false;
    mv->run = mv->run_help = NULL;
    if (mv->big) {
        fill_big(mv, src, nsites);
        return;
    }
    struct mcollect *c = mv->c;
    reset_walk(c, mv);
    for (size_t i = 0; i < nsites && !c->failed && !c->go_big; i++)
        walk_site(c, src, i);
    if (c->failed || mv->ndone == FAM_SLOTS) {
        mv->n = 0; /* as one pass would: the table's families left out */
        mv->finished = true;
        return;
    }
    if (c->go_big) {
        mv->n = 0;
        mv->big = c->names[c->big_idx];
        mv->big_help = NULL; /* from its first sample in the runs */
        mv->big_site = 0;
        mv->big_started = false;
        fill_big(mv, src, nsites);
        return;
    }
    if (mv->n == 0) {
        mv->finished = true;
        return;
    }
    qsort(mv->v, mv->n, sizeof *mv->v, sample_order);
    for (uint32_t i = 0; i < c->nnames && i < c->limit; i++)
        if (!c->dn[i])
            mark_done(mv, c->names[i]);
}

static void write_sample(struct mout *o, const struct mvalues *mv, const struct bridge_metrics_source *src,
                         const struct msample *s, bool header)
{
    const struct mcollect *c = mv->c;
    const char *family = mv->run ? mv->run : c->names[s->fam];
    if (header) {
        const char *help = mv->run ? mv->run_help : c->helps[s->fam];
        size_t fl = strlen(family);
        mout_family(o, family, fl > 6 && strcmp(family + fl - 6, "_total") == 0 ? "counter" : "gauge",
                    help ? help : family);
    }
    const char *unit_label = s->label ? c->labels[s->label - 1] : NULL;
    /* The site's name as it is now (the batch keeps only its index). */
    struct bridge_site_metrics sm;
    memset(&sm, 0, sizeof sm);
    src->site(src->ctx, s->site, &sm);
    char lb[200], labels[400], num[RSCP_NUMBER_BUF];
    int n = snprintf(labels, sizeof labels, "site=\"%s\"", mout_label(sm.site, lb, sizeof lb));
    if (unit_label && n >= 0 && (size_t)n < sizeof labels)
        n += snprintf(labels + n, sizeof labels - (size_t)n, ",%s=\"%d\"", unit_label, s->unit);
    if (s->tracker >= 0 && n >= 0 && (size_t)n < sizeof labels)
        n += snprintf(labels + n, sizeof labels - (size_t)n, ",tracker=\"%d\"", s->tracker);
    if (s->dcb >= 0 && n >= 0 && (size_t)n < sizeof labels)
        n += snprintf(labels + n, sizeof labels - (size_t)n, ",dcb=\"%d\"", s->dcb);
    if (s->sensor >= 0 && n >= 0 && (size_t)n < sizeof labels)
        n += snprintf(labels + n, sizeof labels - (size_t)n, ",sensor=\"%d\"", s->sensor);
    if (s->phase && n >= 0 && (size_t)n < sizeof labels)
        snprintf(labels + n, sizeof labels - (size_t)n, ",phase=\"L%c\"", s->phase);
    if (mout_value(s->value, num))
        mout_line(o, "%s{%s} %s\n", family, labels, num);
}

bool mvalues_write(struct mvalues *mv, const struct bridge_metrics_source *src, size_t nsites, struct mout *o)
{
    for (;;) {
        for (; mv->pos < mv->n; mv->pos++) {
            if (!mout_room(o))
                return false;
            size_t i = mv->pos;
            bool header = i == 0 ? !mv->cont : mv->v[i - 1].fam != mv->v[i].fam;
            if (mv->v[i].site < nsites)
                write_sample(o, mv, src, &mv->v[i], header);
        }
        if (mv->finished)
            return true;
        fill(mv, src, nsites);
    }
}
