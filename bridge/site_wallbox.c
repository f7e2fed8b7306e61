/* rscp-bridge: a site's wallbox commands (set/wallbox/... and
 * set/wallbox/<n>/...): which wallbox a command is for, its write
 * (WB.REQ_DATA with the wallbox's WB.INDEX) and the reply's check. The
 * battery-and-car settings are the EMS's and stay in site_command.c. */
#include "site_internal.h"

#include <stdio.h>
#include <string.h>

#include "rscp/error.h"
#include "rscp/wallbox_control.h"

/* The first wallbox that answered the last cycle, or -1. */
int site_first_wallbox(const struct bridge_site_rt *s)
{
    if (!(s->snap.have & BRIDGE_HAVE_WALLBOX))
        return -1;
    for (int i = 0; i < (int)RSCP_WB_MAX_WALLBOXES; i++)
        if (s->snap.wb_ok & (1u << i))
            return i;
    return -1;
}

/* The wallboxes the site knows: the plant's discovery, and those that
 * answered the last cycle. */
static uint32_t known_wallboxes(const struct bridge_site_rt *s)
{
    uint32_t mask = 0;
    if (s->snap.have & BRIDGE_HAVE_PLANT)
        mask |= s->snap.plant.wallboxes;
    if (s->snap.have & BRIDGE_HAVE_WALLBOX)
        mask |= s->snap.wb_ok;
    return mask;
}

/* "1, 2" (the n of the topics, WB.INDEX + 1) of mask into buf. */
static void list_wallboxes(uint32_t mask, char *buf, size_t cap)
{
    size_t k = 0;
    buf[0] = '\0';
    for (unsigned i = 0; i < RSCP_WB_MAX_WALLBOXES && k < cap; i++) {
        if (!(mask & (1u << i)))
            continue;
        int m = snprintf(buf + k, cap - k, "%s%u", k ? ", " : "", i + 1);
        if (m < 0)
            break;
        k += (size_t)m;
    }
}

int site_wallbox_of(const struct bridge_site_rt *s, const struct bridge_command *c, char *err, size_t cap)
{
    if (c->wallbox == 0) {
        int wb = site_first_wallbox(s);
        if (wb < 0)
            snprintf(err, cap, "the site has no wallbox");
        return wb;
    }
    unsigned i = c->wallbox - 1;
    uint32_t known = known_wallboxes(s);
    if (i >= RSCP_WB_MAX_WALLBOXES || !(known & (1u << i))) {
        char list[48];
        list_wallboxes(known, list, sizeof list);
        if (known)
            snprintf(err, cap, "the site has no wallbox %u (it has %s)", c->wallbox, list);
        else
            snprintf(err, cap, "the site has no wallbox %u (it has none)", c->wallbox);
        return -1;
    }
    if (!(s->snap.have & BRIDGE_HAVE_WALLBOX) || !(s->snap.wb_ok & (1u << i))) {
        snprintf(err, cap, "wallbox %u did not answer the last cycle: its state is not known", c->wallbox);
        return -1;
    }
    return (int)i;
}

/* The minimum current and the phase switch of wallbox wb. */
static int put_extra(struct bridge_site_rt *s, struct rscp_builder *b, int wb, const struct bridge_command *c,
                     char *err, size_t cap)
{
    const struct rscp_wallbox *st = &s->snap.wb[wb];
    if (c->kind == BRIDGE_CMD_WB_AUTO_PHASE)
        return rscp_wallbox_auto_phase_request(b, (unsigned)wb, c->flag) == 0 ? 1 : -1;
    struct rscp_wallbox_refusal why;
    memset(&why, 0, sizeof why);
    int rc = rscp_wallbox_min_current_request(b, (unsigned)wb, st, c->value, &why);
    if (rc == RSCP_ERR_RANGE) {
        bool by_set = (st->present & RSCP_WB_MAX_CURRENT) && why.max == st->max_current && why.value > why.max;
        snprintf(err, cap, "out of range: %lld A, allowed %lld..%lld A%s", (long long)why.value, (long long)why.min,
                 (long long)why.max,
                 by_set ? " (not above the charge current set now, wallbox/max_current)" : "");
        return -1;
    }
    return rc == 0 ? 1 : -1;
}

int site_wallbox_put(struct bridge_site_rt *s, struct rscp_builder *b, struct site_cmd *q, char *err, size_t cap)
{
    const struct bridge_command *c = &q->cmd;
    int wb = site_wallbox_of(s, c, err, cap);
    if (wb < 0)
        return -1;
    q->wb = wb;
    if (c->kind == BRIDGE_CMD_WB_MIN_CURRENT || c->kind == BRIDGE_CMD_WB_AUTO_PHASE)
        return put_extra(s, b, wb, c, err, cap);
    const struct rscp_wallbox *st = &s->snap.wb[wb];
    struct rscp_wallbox_target t;
    memset(&t, 0, sizeof t);
    if (c->kind == BRIDGE_CMD_WB_SUN_MODE) {
        t.set = RSCP_WBT_MODE;
        t.sun_mode = c->flag;
    } else if (c->kind == BRIDGE_CMD_WB_CURRENT) {
        t.set = RSCP_WBT_CURRENT;
        t.current_a = (uint8_t)(c->value > 255 ? 255 : c->value);
    } else if (c->kind == BRIDGE_CMD_WB_PHASES) {
        t.set = RSCP_WBT_PHASES;
        t.phases = (uint8_t)c->value;
    } else {
        t.set = RSCP_WBT_SUSPENDED;
        t.suspended = c->kind == BRIDGE_CMD_WB_TOGGLE ? !st->suspended : c->flag;
    }
    uint32_t changed = 0;
    struct rscp_wallbox_refusal why;
    memset(&why, 0, sizeof why);
    int rc = rscp_wallbox_set_request(b, (unsigned)wb, st, &t, &changed, &why);
    if (rc == 1)
        return 1;
    if (rc == 0) {
        site_cmd_answer(s, true, NULL, "\"changed\":false");
        return 0;
    }
    if (rc == RSCP_ERR_RANGE)
        snprintf(err, cap, "out of range: %lld, allowed %lld..%lld", (long long)why.value, (long long)why.min,
                 (long long)why.max);
    else
        snprintf(err, cap, "the wallbox did not report the state this needs: %s", rscp_strerror(rc));
    return -1;
}


void site_wallbox_reply(struct bridge_site_rt *s, const struct site_cmd *q, const struct rscp_frame *f)
{
    const struct bridge_command *c = &q->cmd;
    unsigned idx = (unsigned)(q->wb < 0 ? 0 : q->wb);
    uint32_t derr = 0;
    char info[BRIDGE_RESULT_TEXT_MAX];
    int rc;
    if (c->kind == BRIDGE_CMD_WB_MIN_CURRENT) {
        int64_t amps = 0;
        rc = rscp_wallbox_min_current_parse(f, idx, &amps, &derr);
        if (rc != 0) {
            site_cmd_dev_error(s, "the minimum current", rc, derr);
            return;
        }
        if (amps != (int64_t)c->value) {
            snprintf(info, sizeof info, "the device took %lld A instead of %u A", (long long)amps,
                     (unsigned)c->value);
            site_cmd_answer(s, false, info, NULL);
            return;
        }
        snprintf(info, sizeof info, "\"min_current\":%u", (unsigned)c->value);
    } else if (c->kind == BRIDGE_CMD_WB_AUTO_PHASE) {
        bool on = false;
        rc = rscp_wallbox_auto_phase_parse(f, idx, &on, &derr);
        if (rc != 0) {
            site_cmd_dev_error(s, "the automatic phase switch", rc, derr);
            return;
        }
        if (on != c->flag) {
            site_cmd_answer(s, false, "the device did not apply the automatic phase switch", NULL);
            return;
        }
        snprintf(info, sizeof info, "\"auto_phase_switch\":%s", on ? "true" : "false");
    } else {
        rc = rscp_wallbox_set_parse(f, idx, &derr);
        if (rc != 0) {
            site_cmd_dev_error(s, "the wallbox setting", rc, derr);
            return;
        }
        snprintf(info, sizeof info, "\"changed\":true");
    }
    site_cmd_answer(s, true, NULL, info);
}
