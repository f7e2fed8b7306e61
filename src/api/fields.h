/* A table-driven filler for the typed API: a reply container's children
 * are matched by tag against a table of fields (tag -> kind -> offset in
 * the caller's struct -> present bit), so that each subsystem's parse is
 * a table, not a switch. Internal header (src/api only). */
#ifndef RSCP_API_FIELDS_H
#define RSCP_API_FIELDS_H

#include <stddef.h>
#include <stdint.h>

#include "rscp/frame.h"
#include "rscp/value.h"

/* How a field's value is read and stored. Every kind reads leniently: a
 * value of an unsuitable type (or out of range for the C type) leaves the
 * field and its present bit untouched. */
enum rscp__field_kind {
    RSCP__F_NUMBER = 1, /* double; any integer type, FLOAT32 or DOUBLE64; a NaN
                           or an infinity is no value (the field stays absent) */
    RSCP__F_INT,        /* int64_t; any integer type (BOOL included)         */
    RSCP__F_UINT,       /* uint64_t; any integer type, not negative          */
    RSCP__F_BOOL,       /* bool; BOOL or any integer type, non-zero is true   */
    RSCP__F_STRING      /* char[size]; CSTRING, cut at size - 1 bytes or at an
                           inner NUL, always NUL-terminated                   */
};

/* One field of a table. */
struct rscp__field {
    uint32_t tag;    /* the tag as the reply carries it (response bit set) */
    uint8_t kind;    /* enum rscp__field_kind                              */
    uint16_t offset; /* offsetof() of the destination in the caller's struct */
    uint16_t size;   /* RSCP__F_STRING: the destination's size (>= 1)      */
    uint32_t bit;    /* present bit set when the value is stored           */
};

/* Table entries. */
#define RSCP__FIELD(tag, kind, type, member, bit) {(tag), (kind), (uint16_t)offsetof(type, member), 0, (bit)}
#define RSCP__FIELD_STR(tag, type, member, bit)                                                          \
    {(tag), RSCP__F_STRING, (uint16_t)offsetof(type, member), (uint16_t)sizeof(((type *)0)->member), (bit)}
#define RSCP__COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The field of tab[0..n) whose tag is tag, or NULL. */
const struct rscp__field *rscp__field_find(const struct rscp__field *tab, size_t n, uint32_t tag);

/* Store blk's value into the field f of the struct at base (see the kinds
 * above). Returns f->bit when stored, 0 when the value does not suit the
 * kind (the destination is then untouched). */
uint32_t rscp__field_store(const struct rscp__field *f, const struct rscp_block *blk, void *base);

/* Fill the struct at base from the children of a container block: each
 * ERROR child is counted in *errors (its field stays absent); each other
 * child whose tag is in tab is stored (its bit ORed into *present); every
 * remaining child goes to other(ctx, child) when other is non-NULL (it
 * returns 0, or a negative error that stops the fill). Returns 0, RSCP_ERR_TYPE
 * (not a container), an iteration error (RSCP_ERR_TRUNCATED,
 * RSCP_ERR_BLOCK_OVERRUN) or other's error; what was filled before an
 * error stays. */
int rscp__fields_fill(const struct rscp_block *container, const struct rscp__field *tab, size_t n, void *base,
                      uint32_t *present, uint32_t *errors,
                      int (*other)(void *ctx, const struct rscp_block *child), void *ctx);

/* An indexed value container as the PVI answers them: tag { index_tag =
 * k, value_tag = v } (children in any order, ERROR children counted in
 * *errors). Returns 0 with *index and *value; RSCP_ERR_DEVICE when the
 * value is an ERROR block (*index still set when the index was found);
 * RSCP_ERR_NOT_FOUND when the index or the value is missing;
 * RSCP_ERR_TYPE / _RANGE for a value of an unsuitable type; or an
 * iteration error. */
int rscp__indexed_number(const struct rscp_block *container, uint32_t index_tag, uint32_t value_tag,
                         uint64_t *index, double *value, uint32_t *errors);

/* The index of a reply container (e.g. BAT.DATA holding BAT.INDEX), read
 * as any integer type. Returns 0 and *index, RSCP_ERR_NOT_FOUND, or a type
 * or iteration error. */
int rscp__container_index(const struct rscp_block *container, uint32_t index_tag, uint64_t *index);

/* Call fn(ctx, index, &container) for every top-level block of f with tag
 * data_tag that is a container holding index_tag (read as any integer
 * type), in frame order; containers without a readable index are skipped.
 * Top-level ERROR blocks with tag data_tag (a unit answered "absent") are
 * counted in *absent (may be NULL). Returns 0, an iteration error (also
 * one met inside a container while looking for its index), or the
 * first negative return of fn (which stops the walk). */
int rscp__each_unit(const struct rscp_frame *f, uint32_t data_tag, uint32_t index_tag,
                    int (*fn)(void *ctx, uint64_t index, const struct rscp_block *container), void *ctx,
                    uint32_t *absent);

#endif
