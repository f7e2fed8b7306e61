/* rscp-bridge: what the two payload syntaxes of the set/ commands share,
 * rscp2mqtt's plain text (command.c) and JSON (command_json.c). */
#ifndef RSCP_BRIDGE_COMMAND_INTERNAL_H
#define RSCP_BRIDGE_COMMAND_INTERNAL_H

#include "command.h"

/* Where a payload is read: s->p..s->end is what is left to read (the whole
 * payload, or one JSON member's string); all/all_n the whole payload and
 * topic the command's topic, for messages; member the JSON member being
 * read (NULL in the plain syntax), named in messages. */
struct pl {
    const char *p, *end;
    const char *topic;
    const char *all;
    size_t all_n;
    const char *member;
    char *err;
    size_t errcap;
};

/* The topics whose payload is one number or one flag. */
struct cmd_simple {
    const char *topic;
    int kind;
    char what; /* 'n' number, 'f' flag, 't' true only (toggle), 'r' true only (run), 'p' phases */
    uint32_t min, max;
    const char *unit; /* of a number, or NULL */
};

/* Writes "bad payload '<all>' for <topic>: ["<member>": ]<why>" into
 * s->err (the payload quoted only when short and printable); returns -1. */
int cmd_bad(struct pl *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The plain syntax of command out->kind (already set) over s->p..s->end;
 * d is the topic's row for the simple kinds (NULL for the others). 0, or
 * -1 with the reason in s->err. */
int cmd_plain(struct pl *s, const struct cmd_simple *d, struct bridge_command *out);

/* f[0..n) as a day: 0 monday .. 6 sunday, -1 today; -2 when none. */
int cmd_day_of(const char *f, size_t n);
/* f[0..n) as a power mode name (auto, idle, charge, discharge,
 * grid_charge): its enum rscp_power_mode value, or -1. */
int cmd_power_mode_of(const char *f, size_t n);
/* The whole of s->p..s->end as HH:MM (H and M 1 or 2 digits). */
int cmd_clock(struct pl *s, uint8_t *h, uint8_t *m);
/* The idle period's start must be before its end. */
int cmd_idle_order(struct pl *s, const struct bridge_command *c);

/* A JSON payload (s->p..s->end starts with '{', '[' or '"') for command
 * out->kind: see command.h for the forms. 0, or -1 with the reason. */
int cmd_json(struct pl *s, const struct cmd_simple *d, struct bridge_command *out);

#endif
