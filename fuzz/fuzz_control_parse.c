/* Fuzz target: the reply parsers of the controls (rscp/ems.h,
 * rscp/settings.h, rscp/control.h, rscp/power_hold.h,
 * rscp/wallbox_control.h) on arbitrary frame data, and their request
 * writers fed with what the parsers read.
 *
 * Input: bytes 0..3 a change mask and selector, bytes 4..7 a value, then
 * the frame data (exactly sized on the heap).
 * Invariants (abort() when broken): the parsers report a structure error
 * only for data that rscp_validate refuses; present bits stay within their
 * masks; idle-period counts stay within their bounds and every stored
 * period is within range; a settings write built on what was read is
 * well-formed and re-sends what it must (and a new limit turns the
 * limits on); a wallbox target reached needs no
 * second request (no toggle twice); the status text has the length
 * the call returns; a power hold's state never changes on a reply. */
#include "fuzz_walk.h"

#include "rscp/car_modes.h"
#include "rscp/control.h"
#include "rscp/ems.h"
#include "rscp/power_hold.h"
#include "rscp/settings.h"
#include "rscp/wallbox_control.h"
#include "util/bytes.h"

#define HEAD 8u

static bool acceptable(int rc, bool valid)
{
    return rc >= 0 || !valid || rc == RSCP_ERR_DEVICE || rc == RSCP_ERR_NOT_FOUND || rc == RSCP_ERR_TYPE ||
           rc == RSCP_ERR_LENGTH || rc == RSCP_ERR_RANGE;
}

static void check_settings(const struct rscp_frame *f, bool valid, uint32_t mask, uint32_t value)
{
    struct rscp_power_settings ps;
    int rc = rscp_power_settings_parse(f, &ps, NULL);
    if (!acceptable(rc, valid))
        fuzz_fail("power settings: structure error on well-formed data");
    if (ps.present & ~(RSCP_PS_WRITABLE | RSCP_PS_FORECAST_MODE))
        fuzz_fail("power settings present bits");

    struct rscp_sys_specs specs;
    rc = rscp_sys_specs_parse(f, &specs, NULL);
    if (!acceptable(rc, valid))
        fuzz_fail("sys specs: structure error on well-formed data");
    if (specs.present >> RSCP_SPEC_COUNT)
        fuzz_fail("sys specs present bits");

    /* A write of a change built from the input, on what was read. */
    struct rscp_power_settings_change c = {mask & RSCP_PS_WRITABLE, (value & 1) != 0, value, value / 2, value % 5000,
                                           (value & 2) != 0, (value & 4) != 0};
    static uint8_t buf[1024];
    struct rscp_builder b;
    struct rscp_limit_violation v;
    size_t n;
    rscp_builder_init(&b, buf, sizeof buf);
    rc = rscp_power_settings_set_request(&b, &ps, &c, &specs, &v);
    if (rc == RSCP_ERR_RANGE) {
        if (v.value >= v.min && v.value <= v.max)
            fuzz_fail("a violation inside its own range");
        return;
    }
    if (rc != 0)
        return;
    if (rscp_builder_finish(&b, &n) != 0 || rscp_validate(buf, n, NULL, NULL) != 0)
        fuzz_fail("power settings write is not well-formed");
    struct rscp_block blk;
    if ((c.set & RSCP_PS_MAX_CHARGE) &&
        rscp_find_path(buf, n, (const uint32_t[]){0x0100008Cu, 0x01000101u}, 2, &blk) != 0)
        fuzz_fail("a changed charge limit was not written");
    /* A new limit without an explicit switch turns the limits on. */
    if ((c.set & (RSCP_PS_MAX_CHARGE | RSCP_PS_MAX_DISCHARGE | RSCP_PS_DISCHARGE_START)) &&
        !(c.set & RSCP_PS_LIMITS_USED)) {
        bool used = false;
        if (rscp_find_path(buf, n, (const uint32_t[]){0x0100008Cu, 0x01000100u}, 2, &blk) != 0 ||
            rscp_block_get_bool(&blk, &used) != 0 || !used)
            fuzz_fail("a new limit did not turn the limits on");
    }
    if ((c.set & RSCP_PS_WEATHER) &&
        rscp_find_path(buf, n, (const uint32_t[]){0x0100008Cu, 0x01000105u}, 2, &blk) != 0)
        fuzz_fail("a changed weather flag was not written");

    struct rscp_power_settings_result r;
    rc = rscp_power_settings_result_parse(f, &r, NULL);
    if (!acceptable(rc, valid) || (r.present & ~RSCP_PS_WRITABLE))
        fuzz_fail("power settings result");
}

static void check_controls(const struct rscp_frame *f, bool valid)
{
    struct rscp_manual_charge a, b;
    int rc = rscp_manual_charge_parse(f, &a, NULL);
    if (!acceptable(rc, valid) || (a.present & ~0xFu))
        fuzz_fail("manual charge");
    memset(&b, 0, sizeof b);
    bool started = true;
    rc = rscp_manual_charge_started(&b, &a, &started);
    if (rc == 0 && started && !a.active)
        fuzz_fail("an inactive charge counted as started");

    struct rscp_idle_periods ip;
    rc = rscp_idle_periods_parse(f, &ip, NULL);
    if (!acceptable(rc, valid))
        fuzz_fail("idle periods: structure error on well-formed data");
    if (ip.count > RSCP_IDLE_PERIODS_MAX || ip.count > ip.reported || ip.skipped > ip.reported)
        fuzz_fail("idle period counts");
    for (size_t i = 0; i < ip.count; i++) {
        const struct rscp_idle_period *p = &ip.period[i];
        if (p->day > 6 || p->type > 1 || p->start_hour > 23 || p->end_hour > 23 || p->start_minute > 59 ||
            p->end_minute > 59)
            fuzz_fail("an idle period out of range was stored");
    }

    struct rscp_ep_reserve r;
    rc = rscp_ep_reserve_parse(f, &r, NULL);
    if (!acceptable(rc, valid) || (r.present & ~0xFu))
        fuzz_fail("reserve");

    int64_t v;
    bool flag;
    if (!acceptable(rscp_set_power_parse(f, &v, NULL), valid) ||
        !acceptable(rscp_manual_charge_start_parse(f, &flag, NULL), valid) ||
        !acceptable(rscp_idle_periods_set_parse(f, &v, NULL), valid) ||
        !acceptable(rscp_idle_periods_enable_parse(f, &flag, NULL), valid) ||
        !acceptable(rscp_ep_reserve_set_parse(f, NULL), valid))
        fuzz_fail("a single-value parser: structure error on well-formed data");

    /* The battery and the car: values stored only in range. */
    struct rscp_car_modes cm, echo;
    rc = rscp_car_modes_parse(f, &cm);
    if (!acceptable(rc, valid) || (cm.present & ~RSCP_CM_ALL) || cm.discharge_until > 100)
        fuzz_fail("car modes");
    uint32_t differs = 0;
    rc = rscp_car_modes_set_parse(f, RSCP_CM_ALL, &cm, &echo, &differs, NULL);
    if (!acceptable(rc, valid) || (differs & ~RSCP_CM_ALL) || echo.discharge_until > 100)
        fuzz_fail("car modes set answer");
}

/* The wallbox read from the frame, a target from the input: a written
 * request is well-formed, and the same target on the state the device
 * would then have needs no second request (no toggle twice). */
static void check_wallbox(const struct rscp_frame *f, bool valid, uint32_t mask, uint32_t value)
{
    unsigned index = value % RSCP_WB_MAX_WALLBOXES;
    struct rscp_wallbox st;
    int rc = rscp_wallbox_parse(f, index, &st);
    if (!acceptable(rc, valid))
        fuzz_fail("wallbox parse: structure error on well-formed data");
    if (rc != 0)
        memset(&st, 0, sizeof st);
    if (!acceptable(rscp_wallbox_set_parse(f, index, NULL), valid))
        fuzz_fail("wallbox set answer: structure error on well-formed data");
    int64_t amps = 0;
    bool on = false;
    if (!acceptable(rscp_wallbox_min_current_parse(f, index, &amps, NULL), valid) ||
        !acceptable(rscp_wallbox_auto_phase_parse(f, index, &on, NULL), valid))
        fuzz_fail("wallbox min current / phase switch answer: structure error on well-formed data");
    struct rscp_wallbox_target want = {mask >> 8 & RSCP_WBT_ALL, (value & 1) != 0, (uint8_t)(value >> 8),
                                       (uint8_t)(value >> 16 & 3), (value & 2) != 0};
    static uint8_t buf[256];
    struct rscp_builder b;
    uint32_t changed = 0;
    rscp_builder_init(&b, buf, sizeof buf);
    rc = rscp_wallbox_set_request(&b, index, &st, &want, &changed, NULL);
    size_t n;
    if (rc != 1)
        return;
    struct rscp_block ext;
    const uint8_t *p = NULL;
    size_t len = 0;
    if (rscp_builder_finish(&b, &n) != 0 || rscp_validate(buf, n, NULL, NULL) != 0 ||
        rscp_find_path(buf, n, (const uint32_t[]){0x0E040000u, 0x0E041010u, 0x0E042010u}, 3, &ext) != 0 ||
        rscp_block_get_bytes(&ext, &p, &len) != 0 || len != RSCP_WB_EXTERN_SET_LEN)
        fuzz_fail("wallbox set request is not well-formed");
    /* The device applies it. */
    st.sun_mode = p[0] == 1;
    st.max_current = p[1];
    if (p[3])
        st.phases = st.phases == 3 ? 1 : 3;
    if (p[4])
        st.suspended = !st.suspended;
    st.present |= RSCP_WB_STATUS | RSCP_WB_MAX_CURRENT;
    rscp_builder_init(&b, buf, sizeof buf);
    if (rscp_wallbox_set_request(&b, index, &st, &want, &changed, NULL) != 0 || changed != 0)
        fuzz_fail("the same wallbox target asked twice changes something again");
}

static void check_hold(const struct rscp_frame *f, uint32_t value)
{
    rscp_power_hold *h = NULL;
    if (rscp_power_hold_new(&h, NULL) != 0)
        return;
    int mode = (int)(value % 5);
    int32_t watts = mode >= RSCP_POWER_DISCHARGE ? (int32_t)(value % 10000) + 1 : 0;
    if (rscp_power_hold_start(h, mode, watts, 0, value % 3 ? 0 : 30000) != 0)
        fuzz_fail("hold start refused valid input");
    static uint8_t buf[256];
    struct rscp_builder b;
    rscp_builder_init(&b, buf, sizeof buf);
    if (rscp_power_hold_put(h, &b, 0) != 1)
        fuzz_fail("hold: the first request was not due");
    struct rscp_power_hold_status before, after;
    rscp_power_hold_status(h, &before);
    (void)rscp_power_hold_reply(h, f, NULL);
    rscp_power_hold_status(h, &after);
    if (before.state != after.state || before.next_ms != after.next_ms || before.sent != after.sent)
        fuzz_fail("a reply changed the hold");
    rscp_power_hold_free(h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < HEAD || size - HEAD > 0xFFFFu)
        return 0;
    size_t len = size - HEAD;
    uint8_t *copy = malloc(len ? len : 1);
    if (!copy)
        return 0;
    memcpy(copy, data + HEAD, len);
    struct rscp_frame f = {0, 0, false, copy, (uint16_t)len};
    bool valid = rscp_validate(copy, len, NULL, NULL) == 0;
    uint32_t mask = rscp_load32_le(data), value = rscp_load32_le(data + 4);

    check_settings(&f, valid, mask, value);
    check_controls(&f, valid);
    check_hold(&f, value);
    check_wallbox(&f, valid, mask, value);

    char text[64];
    size_t n = rscp_ems_status_format(((uint64_t)mask << 32) | value, text, sizeof text);
    if ((n < sizeof text && strlen(text) != n) || (n >= sizeof text && strlen(text) != sizeof text - 1))
        fuzz_fail("status text length");

    free(copy);
    return 0;
}
