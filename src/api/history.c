/* History: DB.REQ_HISTORY_DATA_* requests and their sum/value containers. */
#include "api/api_internal.h"

#include <stdbool.h>
#include <string.h>

uint32_t rscp_history_tag(int range)
{
    if (range < RSCP_HISTORY_DAY || range > RSCP_HISTORY_YEAR)
        return 0;
    /* DAY 0x06000100, WEEK 0x06000200, MONTH 0x06000300, YEAR 0x06000400 */
    return RSCP_TAG_DB_REQ_HISTORY_DATA_DAY + (uint32_t)range * 0x100u;
}

int rscp_history_request(struct rscp_builder *b, int range, int64_t start, uint32_t interval, uint32_t span)
{
    uint32_t tag = rscp_history_tag(range);
    if (!b || tag == 0 || interval == 0 || span == 0)
        return RSCP_ERR_ARG;
    rscp_put_container_open(b, tag);
    rscp_put_timestamp(b, RSCP_TAG_DB_REQ_HISTORY_TIME_START, start, 0);
    rscp_put_timestamp(b, RSCP_TAG_DB_REQ_HISTORY_TIME_INTERVAL, (int64_t)interval, 0);
    rscp_put_timestamp(b, RSCP_TAG_DB_REQ_HISTORY_TIME_SPAN, (int64_t)span, 0);
    rscp_put_container_close(b);
    return rscp_builder_error(b);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (after Howard
 * Hinnant's public-domain days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t mp = m > 2 ? m - 3 : m + 9;
    int64_t doy = (153 * mp + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

int rscp_history_start_of_date(int year, int month, int day, int64_t *start)
{
    if (!start || year < 1970 || year > 9999 || month < 1 || month > 12 || day < 1 ||
        day > days_in_month(year, month))
        return RSCP_ERR_ARG;
    *start = days_from_civil(year, month, day) * 86400;
    return 0;
}

int64_t rscp_history_start_of_instant(int64_t unix_seconds, int32_t utc_offset)
{
    return unix_seconds + utc_offset;
}

struct hist_field {
    uint32_t tag;
    uint32_t bit;
    size_t offset;
};

#define HF(tag, bit, field) {tag, bit, offsetof(struct rscp_history_values, field)}
static const struct hist_field hist_fields[] = {
    HF(RSCP_TAG_DB_GRAPH_INDEX, RSCP_HIST_GRAPH_INDEX, graph_index),
    HF(RSCP_TAG_DB_BAT_POWER_IN, RSCP_HIST_BAT_IN, bat_in),
    HF(RSCP_TAG_DB_BAT_POWER_OUT, RSCP_HIST_BAT_OUT, bat_out),
    HF(RSCP_TAG_DB_DC_POWER, RSCP_HIST_PV, pv),
    HF(RSCP_TAG_DB_GRID_POWER_IN, RSCP_HIST_GRID_IN, grid_in),
    HF(RSCP_TAG_DB_GRID_POWER_OUT, RSCP_HIST_GRID_OUT, grid_out),
    HF(RSCP_TAG_DB_CONSUMPTION, RSCP_HIST_HOME, home),
    HF(RSCP_TAG_DB_PM_0_POWER, RSCP_HIST_PM0, pm0),
    HF(RSCP_TAG_DB_PM_1_POWER, RSCP_HIST_PM1, pm1),
    HF(RSCP_TAG_DB_BAT_CHARGE_LEVEL, RSCP_HIST_SOC, soc),
    HF(RSCP_TAG_DB_BAT_CYCLE_COUNT, RSCP_HIST_CYCLES, cycles),
    HF(RSCP_TAG_DB_CONSUMED_PRODUCTION, RSCP_HIST_CONSUMED_PRODUCTION, consumed_production),
    HF(RSCP_TAG_DB_AUTARKY, RSCP_HIST_AUTARKY, autarky),
};
#undef HF

int rscp_history_values_parse(const struct rscp_block *container, struct rscp_history_values *out)
{
    if (!container || !out)
        return RSCP_ERR_ARG;
    memset(out, 0, sizeof *out);
    struct rscp_iter it;
    int rc = rscp_block_children(container, &it);
    if (rc < 0)
        return rc;
    struct rscp_block blk;
    while ((rc = rscp_iter_next(&it, &blk)) == 1) {
        for (size_t i = 0; i < sizeof hist_fields / sizeof hist_fields[0]; i++) {
            double v;
            if (hist_fields[i].tag != blk.tag || rscp_block_get_number(&blk, &v) != 0)
                continue;
            memcpy((char *)out + hist_fields[i].offset, &v, sizeof v);
            out->present |= hist_fields[i].bit;
            break;
        }
    }
    return rc < 0 ? rc : 0;
}

int rscp_history_parse(const struct rscp_frame *f, int range, struct rscp_history_values *sum,
                       struct rscp_history_values *rows, size_t cap, size_t *n_rows, uint32_t *device_error)
{
    uint32_t tag = rscp_history_tag(range);
    if (!f || !sum || !n_rows || tag == 0 || (!rows && cap > 0))
        return RSCP_ERR_ARG;
    memset(sum, 0, sizeof *sum);
    *n_rows = 0;

    struct rscp_block data;
    int rc = rscp_find(f->data, f->data_len, RSCP__RESPONSE(tag), &data);
    if (rc < 0)
        return rc;
    if (data.type == RSCP_TYPE_ERROR) {
        uint32_t code = 0;
        rscp_block_get_error(&data, &code);
        if (device_error)
            *device_error = code;
        return RSCP_ERR_DEVICE;
    }

    struct rscp_iter it;
    rc = rscp_block_children(&data, &it);
    if (rc < 0)
        return rc;
    struct rscp_block blk;
    size_t n = 0;
    while ((rc = rscp_iter_next(&it, &blk)) == 1) {
        if (blk.type != RSCP_TYPE_CONTAINER)
            continue;
        if (blk.tag == RSCP_TAG_DB_SUM_CONTAINER) {
            rc = rscp_history_values_parse(&blk, sum);
        } else if (blk.tag == RSCP_TAG_DB_VALUE_CONTAINER) {
            if (n < cap)
                rc = rscp_history_values_parse(&blk, &rows[n]);
            n++;
        }
        if (rc < 0)
            return rc;
    }
    *n_rows = n;
    return rc < 0 ? rc : 0;
}
