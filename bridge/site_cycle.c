/* rscp-bridge: what a site asks for, and how the replies fill its
 * snapshot (see site.h for the exchanges). */
#include "site_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "rscp/error.h"
#include "rscp/tag_ids.h"

int site_setup_request(struct bridge_site_rt *s, struct rscp_builder *b)
{
    (void)s;
    rscp_info_request(b);
    rscp_plant_request(b);
    rscp_sys_specs_request(b);
    return rscp_builder_error(b);
}

/* Room for the modules of each string, when the DCB group is on. */
void site_size_dcbs(struct bridge_site_rt *s)
{
    for (unsigned i = 0; i < RSCP_BAT_MAX_STRINGS; i++) {
        unsigned n = 0;
        if ((s->groups & BRIDGE_GROUP_DCB) && (s->snap.plant.batteries & (1u << i)))
            n = s->snap.plant.dcb_count[i];
        if (n > RSCP_DCB_MAX)
            n = RSCP_DCB_MAX;
        free(s->snap.dcb[i]);
        s->snap.dcb[i] = n ? calloc(n, sizeof(struct rscp_dcb)) : NULL;
        s->snap.dcb_ok[i] = 0;
    }
    s->snap.dcb_gen++;
}

int site_setup_parse(struct bridge_site_rt *s, const struct rscp_frame *f, int64_t now_ms, char *why, size_t cap)
{
    int rc = rscp_info_parse(f, &s->snap.info);
    if (rc != 0) {
        snprintf(why, cap, "cannot read the device's INFO reply: %s", rscp_strerror(rc));
        return -1;
    }
    s->snap.have |= BRIDGE_HAVE_INFO;
    if (s->snap.info.present & RSCP_INFO_TIME) {
        s->device_local_s = s->snap.info.time.seconds;
        s->device_local_mono_ms = now_ms;
    } else {
        s->device_local_mono_ms = 0;
    }
    rc = rscp_plant_parse(f, &s->snap.plant);
    if (rc != 0) {
        snprintf(why, cap, "cannot read the plant discovery reply: %s", rscp_strerror(rc));
        return -1;
    }
    s->snap.have |= BRIDGE_HAVE_PLANT;
    uint32_t derr = 0;
    if (rscp_sys_specs_parse(f, &s->snap.specs, &derr) == 0)
        s->snap.have |= BRIDGE_HAVE_SPECS;
    else
        s->snap.have &= ~(uint32_t)BRIDGE_HAVE_SPECS;
    site_size_dcbs(s);
    BRIDGE_INFO("site %s: serial %s, %u battery string(s), %u inverter(s), %u meter(s), %u wallbox(es)", s->name,
                s->snap.info.serial[0] ? s->snap.info.serial : "unknown", s->snap.plant.n_batteries,
                s->snap.plant.n_inverters, s->snap.plant.n_meters, s->snap.plant.n_wallboxes);
    return 0;
}

int site_cycle_request(struct bridge_site_rt *s, struct rscp_builder *b)
{
    const struct rscp_plant *p = &s->snap.plant;
    size_t start = b->pos;
    if (s->groups & BRIDGE_GROUP_LIVE)
        rscp_live_request(b);
    unsigned what = 0;
    if ((s->groups & BRIDGE_GROUP_BATTERY) && p->batteries)
        what |= RSCP_PLANT_REQ_BATTERIES;
    if ((s->groups & BRIDGE_GROUP_PV) && p->inverters)
        what |= RSCP_PLANT_REQ_PVI;
    if ((s->groups & BRIDGE_GROUP_METERS) && p->meters)
        what |= RSCP_PLANT_REQ_METERS;
    /* The wallbox state is read with the settings too: commands need it. */
    if ((s->groups & (BRIDGE_GROUP_WALLBOX | BRIDGE_GROUP_SETTINGS)) && p->wallboxes)
        what |= RSCP_PLANT_REQ_WALLBOXES;
    if (what)
        rscp_plant_units_request(b, p, what);
    /* How the battery and the car share power: with the wallboxes. */
    if (what & RSCP_PLANT_REQ_WALLBOXES)
        rscp_car_modes_request(b, RSCP_CM_ALL);
    if (s->groups & BRIDGE_GROUP_SETTINGS) {
        rscp_power_settings_request(b);
        rscp_ep_reserve_request(b);
        rscp_idle_periods_request(b);
        rscp_manual_charge_request(b);
    }
    /* Every group switched off (set/requests/...): the cycle still checks
     * that the device answers. */
    if (b->pos == start)
        rscp_put_none(b, RSCP_TAG_INFO_REQ_TIME);
    return rscp_builder_error(b);
}

int site_cycle_parse(struct bridge_site_rt *s, const struct rscp_frame *f, char *why, size_t cap)
{
    struct bridge_snapshot *sn = &s->snap;
    const struct rscp_plant *p = &sn->plant;
    int rc;
    if (s->groups & BRIDGE_GROUP_LIVE) {
        rc = rscp_live_parse(f, &sn->live);
        if (rc != 0) {
            snprintf(why, cap, "cannot read the live values: %s", rscp_strerror(rc));
            return -1;
        }
        sn->have |= BRIDGE_HAVE_LIVE;
    }
    if ((s->groups & BRIDGE_GROUP_BATTERY) && p->batteries) {
        sn->bat_ok = 0;
        for (unsigned i = 0; i < RSCP_BAT_MAX_STRINGS; i++)
            if ((p->batteries & (1u << i)) && rscp_battery_parse(f, i, &sn->bat[i]) == 0)
                sn->bat_ok |= 1u << i;
        sn->have |= BRIDGE_HAVE_BATTERY;
    }
    if ((s->groups & BRIDGE_GROUP_PV) && p->inverters) {
        sn->pvi_ok = 0;
        for (unsigned i = 0; i < RSCP_PVI_MAX_INVERTERS; i++)
            if ((p->inverters & (1u << i)) && rscp_pvi_parse(f, i, &sn->pvi[i]) == 0)
                sn->pvi_ok |= 1u << i;
        sn->have |= BRIDGE_HAVE_PV;
    }
    if ((s->groups & BRIDGE_GROUP_METERS) && p->meters) {
        sn->pm_ok = 0;
        for (unsigned i = 0; i < RSCP_PM_MAX_METERS; i++)
            if ((p->meters & (1u << i)) && rscp_pm_parse(f, i, &sn->pm[i]) == 0)
                sn->pm_ok |= 1u << i;
        sn->have |= BRIDGE_HAVE_METERS;
    }
    if ((s->groups & (BRIDGE_GROUP_WALLBOX | BRIDGE_GROUP_SETTINGS)) && p->wallboxes) {
        sn->wb_ok = 0;
        for (unsigned i = 0; i < RSCP_WB_MAX_WALLBOXES; i++)
            if ((p->wallboxes & (1u << i)) && rscp_wallbox_parse(f, i, &sn->wb[i]) == 0)
                sn->wb_ok |= 1u << i;
        sn->have |= BRIDGE_HAVE_WALLBOX;
        if (rscp_car_modes_parse(f, &sn->car_modes) == 0)
            sn->have |= BRIDGE_HAVE_CAR_MODES;
        else
            sn->have &= ~(uint32_t)BRIDGE_HAVE_CAR_MODES;
    }
    if (s->groups & BRIDGE_GROUP_SETTINGS) {
        uint32_t derr = 0;
        if (rscp_power_settings_parse(f, &sn->settings, &derr) == 0)
            sn->have |= BRIDGE_HAVE_SETTINGS;
        else
            sn->have &= ~(uint32_t)BRIDGE_HAVE_SETTINGS;
        if (rscp_ep_reserve_parse(f, &sn->reserve, &derr) == 0)
            sn->have |= BRIDGE_HAVE_RESERVE;
        else
            sn->have &= ~(uint32_t)BRIDGE_HAVE_RESERVE;
        if (rscp_idle_periods_parse(f, &sn->idle, &derr) == 0)
            sn->have |= BRIDGE_HAVE_IDLE;
        else
            sn->have &= ~(uint32_t)BRIDGE_HAVE_IDLE;
        if (rscp_manual_charge_parse(f, &sn->manual_charge, &derr) == 0)
            sn->have |= BRIDGE_HAVE_MANUAL;
        else
            sn->have &= ~(uint32_t)BRIDGE_HAVE_MANUAL;
    }
    return 0;
}

/* Days since 1970-01-01 to a civil date (proleptic Gregorian). */
static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t dd = doy - (153 * mp + 2) / 5 + 1;
    int64_t mm = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yy + (mm <= 2));
    *m = (int)mm;
    *d = (int)dd;
}

static int32_t utc_offset(const struct bridge_site_rt *s)
{
    int32_t off = 0;
    if (!(s->snap.have & BRIDGE_HAVE_INFO) || rscp_info_utc_offset(&s->snap.info, &off) != 0)
        off = 0;
    return off;
}

int64_t site_device_local_now(const struct bridge_site_rt *s, int64_t now_ms)
{
    if (s->device_local_mono_ms != 0)
        return s->device_local_s + (now_ms - s->device_local_mono_ms) / 1000;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return rscp_history_start_of_instant((int64_t)ts.tv_sec, utc_offset(s));
}

void site_local_date(int64_t local, int *y, int *m, int *d, int *weekday)
{
    int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
    civil_from_days(days, y, m, d);
    if (weekday)
        *weekday = (int)(((days % 7) + 7 + 3) % 7); /* 1970-01-01 was a Thursday; 0 = Monday */
}

int site_slow_request(struct bridge_site_rt *s, struct rscp_builder *b, int64_t now_ms)
{
    int parts = 0;
    if (s->groups & BRIDGE_GROUP_DCB) {
        bool any = false;
        for (unsigned i = 0; i < RSCP_BAT_MAX_STRINGS; i++)
            any = any || s->snap.dcb[i] != NULL;
        if (any && rscp_plant_units_request(b, &s->snap.plant, RSCP_PLANT_REQ_DCBS) == 0)
            parts++;
    }
    if (s->groups & BRIDGE_GROUP_HISTORY) {
        int64_t local = site_device_local_now(s, now_ms);
        int64_t midnight = local - (local % 86400 + 86400) % 86400;
        /* Yesterday and today: two rows of one day each. */
        if (rscp_history_request(b, RSCP_HISTORY_DAY, midnight - 86400, 86400, 2 * 86400) == 0)
            parts++;
    }
    if (rscp_builder_error(b) != 0)
        return 0;
    return parts;
}

int site_slow_parse(struct bridge_site_rt *s, const struct rscp_frame *f)
{
    struct bridge_snapshot *sn = &s->snap;
    if (s->groups & BRIDGE_GROUP_DCB) {
        bool any = false;
        for (unsigned i = 0; i < RSCP_BAT_MAX_STRINGS; i++) {
            if (!sn->dcb[i])
                continue;
            sn->dcb_ok[i] = 0;
            unsigned n = sn->plant.dcb_count[i] > RSCP_DCB_MAX ? RSCP_DCB_MAX : sn->plant.dcb_count[i];
            for (unsigned j = 0; j < n; j++)
                if (rscp_dcb_parse(f, i, j, &sn->dcb[i][j]) == 0)
                    sn->dcb_ok[i] |= 1u << j;
            any = any || sn->dcb_ok[i];
        }
        if (any)
            sn->have |= BRIDGE_HAVE_DCB;
        sn->dcb_gen++;
    }
    if (s->groups & BRIDGE_GROUP_HISTORY) {
        struct rscp_history_values sum, rows[2];
        size_t n = 0;
        uint32_t derr = 0;
        int rc = rscp_history_parse(f, RSCP_HISTORY_DAY, &sum, rows, 2, &n, &derr);
        if (rc == 0 && n >= 2) {
            sn->yesterday = rows[0];
            sn->today = rows[1];
            sn->have |= BRIDGE_HAVE_TODAY | BRIDGE_HAVE_YESTERDAY;
        } else {
            BRIDGE_DEBUG("site %s: history: %s, %zu rows", s->name, rscp_strerror(rc), n);
        }
    }
    return 0;
}
