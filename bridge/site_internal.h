/* rscp-bridge: the parts of a site shared by site.c (connection and
 * scheduling), site_cycle.c (the poll cycle's requests and parsing) and
 * site_command.c (commands). Not a public interface. */
#ifndef RSCP_BRIDGE_SITE_INTERNAL_H
#define RSCP_BRIDGE_SITE_INTERNAL_H

#include "site.h"

#include "rscp/builder.h"
#include "rscp/client.h"
#include "rscp/frame.h"
#include "rscp/power_hold.h"

/* Where the site is. */
enum site_phase {
    SITE_WAIT = 0,   /* disconnected; next attempt at next_attempt_ms   */
    SITE_CONNECTING, /* rscp_client connecting / authenticating        */
    SITE_READY,      /* connected, nothing in flight                    */
    SITE_BUSY,       /* an exchange (enum site_xchg) is in flight       */
    SITE_STOPPED     /* drained for a stop: nothing more is started     */
};

/* What the exchange in flight is. */
enum site_xchg {
    XCHG_NONE = 0,
    XCHG_SETUP,      /* INFO, plant discovery, system specs          */
    XCHG_CYCLE,      /* the poll cycle                               */
    XCHG_SLOW,       /* DCBs, today's and yesterday's energies       */
    XCHG_HOLD,       /* a power-hold request alone                   */
    XCHG_CMD_READ,   /* a command's read before it                   */
    XCHG_CMD,        /* a command's write                            */
    XCHG_CMD_VERIFY  /* a command's read after it                    */
};

struct site_cmd {
    struct bridge_command cmd;
    uint64_t tag;
    int wb;            /* wallbox kinds: the WB.INDEX written (site_wallbox_put) */
    bool fresh;        /* the state it changes was read just before it */
};

struct bridge_site_rt {
    char name[BRIDGE_SITE_NAME_MAX + 1];
    char *host, *user;                 /* copies, for bridge_site_same_config() */
    uint16_t port;
    uint64_t secret_hash;              /* FNV-1a of password and key (compare only) */
    uint32_t groups;
    unsigned interval_ms, timeout_ms;
    uint32_t cfg_groups;               /* as configured (groups, interval_ms may */
    unsigned cfg_interval_ms;          /* be changed at run time)                */

    rscp_client *client;
    struct rscp_backoff backoff;
    rscp_power_hold *hold;
    struct bridge_site_events ev;

    int phase;                         /* enum site_phase                  */
    int xchg;                          /* enum site_xchg while SITE_BUSY    */
    bool hold_in_cycle;                /* the cycle frame carries the hold's request */
    bool online;
    bool ever_connected;
    uint64_t conn_id;
    bool draining;
    int64_t next_attempt_ms;
    int64_t next_poll_ms;              /* when the next cycle is due       */
    int64_t next_slow_ms;              /* when DCBs/history are due        */
    int64_t cycle_started_ms;
    int64_t stall_deadline_ms;         /* offline when no good cycle by then */
    bool poll_now;                     /* a command changed state: poll soon */
    bool cycle_was_due;                /* the cycle in flight was on schedule */

    struct bridge_snapshot snap;
    struct bridge_site_stats stats;

    struct site_cmd queue[BRIDGE_SITE_QUEUE_MAX];
    unsigned q_head, q_len;
    bool cmd_active;                   /* queue[q_head] is running          */
    struct rscp_manual_charge mc_before; /* manual charge: the state before   */
    int64_t device_local_s;            /* INFO.TIME at setup: device-local wall clock */
    int64_t device_local_mono_ms;      /* our monotonic clock then (0: unknown)       */
    /* A ring of the recent errors, BRIDGE_SITE_ERRORS_KEPT of them,
     * allocated with the first (most sites of a fleet have none: 3 KiB
     * each saved). */
    struct site_error {
        int64_t unix_ms;
        char text[200];
    } *errors;
    unsigned err_next, err_count;
};

/* site_runtime.c: remember an error for set/log/errors (no secrets). */
void site_note_error(struct bridge_site_rt *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* site_cycle.c: room for the DCB modules of each string, when the DCB
 * group is on (after the plant discovery, or when the group is switched). */
void site_size_dcbs(struct bridge_site_rt *s);

/* Shared scratch for requests (one loop thread). */
extern uint8_t bridge_site_reqbuf[BRIDGE_REQUEST_MAX];

/* site.c: submit blocks built in b as the exchange x; on failure the site
 * fails (offline, backoff) and -1 is returned. */
int site_submit(struct bridge_site_rt *s, struct rscp_builder *b, int x, int64_t now_ms);
/* site.c: fail the connection: offline, close, backoff. */
void site_fail(struct bridge_site_rt *s, const char *why, int64_t now_ms);

/* site_cycle.c */
int site_setup_request(struct bridge_site_rt *s, struct rscp_builder *b);
int site_setup_parse(struct bridge_site_rt *s, const struct rscp_frame *f, int64_t now_ms, char *why, size_t cap);
int site_cycle_request(struct bridge_site_rt *s, struct rscp_builder *b);
int site_cycle_parse(struct bridge_site_rt *s, const struct rscp_frame *f, char *why, size_t cap);
int site_slow_request(struct bridge_site_rt *s, struct rscp_builder *b, int64_t now_ms);
int site_slow_parse(struct bridge_site_rt *s, const struct rscp_frame *f);
/* The device's local wall clock now (seconds, written as if UTC), from its
 * INFO.TIME at setup plus the time elapsed since; without it, our clock
 * plus the device's UTC offset. */
int64_t site_device_local_now(const struct bridge_site_rt *s, int64_t now_ms);
/* The device's calendar date at a device-local time. */
void site_local_date(int64_t local_s, int *y, int *m, int *d, int *weekday);

/* site_command.c: start the command at the head of the queue (an exchange
 * is submitted, or the command is answered at once); handle the reply of
 * a command exchange; answer a command and drop it from the queue. */
void site_cmd_start(struct bridge_site_rt *s, int64_t now_ms);
void site_cmd_reply(struct bridge_site_rt *s, const struct rscp_frame *f, int64_t now_ms);
void site_cmd_answer(struct bridge_site_rt *s, bool ok, const char *error, const char *info);
void site_cmd_dev_error(struct bridge_site_rt *s, const char *what, int rc, uint32_t derr);
/* site_wallbox.c: the first wallbox that answered the last cycle, or -1;
 * the WB.INDEX command c is for (its set/wallbox/<n>/..., else the first),
 * or -1 with the reason in err ("the site has no wallbox 3 (it has 1, 2)");
 * the write of a wallbox command q (the queue's head) as in put_command:
 * 1 built, 0 answered, -1 refused with err; its reply checked and
 * answered. */
int site_first_wallbox(const struct bridge_site_rt *s);
int site_wallbox_of(const struct bridge_site_rt *s, const struct bridge_command *c, char *err, size_t cap);
int site_wallbox_put(struct bridge_site_rt *s, struct rscp_builder *b, struct site_cmd *q, char *err, size_t cap);
void site_wallbox_reply(struct bridge_site_rt *s, const struct site_cmd *q, const struct rscp_frame *f);
/* Answer every queued command that has not started with error (newest
 * first); a running one goes on. */
void site_cmd_refuse_waiting(struct bridge_site_rt *s, const char *error);

#endif
