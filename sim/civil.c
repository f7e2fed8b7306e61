/* Civil-date helpers (after Howard Hinnant's public-domain algorithms) and
 * the EU summer-time rule. */
#include "civil.h"

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

int64_t sim_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;
    int64_t mp = (int64_t)m + (m > 2 ? -3 : 9);
    int64_t doy = (153 * mp + 2) / 5 + (int64_t)d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void sim_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t dd = doy - (153 * mp + 2) / 5 + 1;
    int64_t mm = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (mm <= 2);
    *m = (unsigned)mm;
    *d = (unsigned)dd;
}

unsigned sim_weekday(int64_t days)
{
    /* 1970-01-01 was a Thursday (3 when Monday is 0). */
    int64_t w = (days + 3) % 7;
    if (w < 0)
        w += 7;
    return (unsigned)w;
}

unsigned sim_day_of_year(int64_t days)
{
    int64_t y;
    unsigned m, d;
    sim_civil_from_days(days, &y, &m, &d);
    return (unsigned)(days - sim_days_from_civil(y, 1, 1) + 1);
}

/* Day number of the last Sunday of a month. */
static int64_t last_sunday(int64_t y, unsigned m)
{
    int64_t first_next = m == 12 ? sim_days_from_civil(y + 1, 1, 1) : sim_days_from_civil(y, m + 1, 1);
    int64_t last = first_next - 1;
    return last - (int64_t)((sim_weekday(last) + 1) % 7); /* Sunday is 6 */
}

/* The summer-time window of t's UTC year. The model asks for instants
 * close together, so the last year's window is kept per thread. */
static void summer_window(int64_t t, int64_t *begin, int64_t *end)
{
    static _Thread_local int64_t year_start = 1, year_end = 0, w_begin, w_end;
    if (t < year_start || t >= year_end) {
        int64_t y;
        unsigned m, d;
        sim_civil_from_days(floor_div(t, 86400), &y, &m, &d);
        w_begin = last_sunday(y, 3) * 86400 + 3600;
        w_end = last_sunday(y, 10) * 86400 + 3600;
        year_start = sim_days_from_civil(y, 1, 1) * 86400;
        year_end = sim_days_from_civil(y + 1, 1, 1) * 86400;
    }
    *begin = w_begin;
    *end = w_end;
}

int sim_tz_offset(const struct sim_tz *tz, int64_t t)
{
    if (!tz->eu_dst)
        return tz->std_offset_s;
    int64_t begin, end;
    summer_window(t, &begin, &end);
    return tz->std_offset_s + (t >= begin && t < end ? 3600 : 0);
}

int64_t sim_local_day(const struct sim_tz *tz, int64_t t)
{
    return floor_div(t + sim_tz_offset(tz, t), 86400);
}

int64_t sim_local_to_utc(const struct sim_tz *tz, int64_t local)
{
    /* Guess with the standard offset, then correct once with the offset in
     * force at that guess (exact except inside the skipped/doubled hour). */
    int64_t guess = local - tz->std_offset_s;
    return local - sim_tz_offset(tz, guess);
}

int64_t sim_local_midnight(const struct sim_tz *tz, int64_t t)
{
    return sim_local_to_utc(tz, sim_local_day(tz, t) * 86400);
}
