/* Calendar arithmetic and the device's time zone, without the C library's
 * global TZ state (pure functions of their arguments). */
#ifndef SIM_CIVIL_H
#define SIM_CIVIL_H

#include <stdbool.h>
#include <stdint.h>

/* A fixed zone with optional EU summer time (last Sunday of March 01:00 UTC
 * to last Sunday of October 01:00 UTC, one hour ahead). */
struct sim_tz {
    const char *name;   /* as INFO.TIME_ZONE reports it, e.g. "Europe/Berlin" */
    int std_offset_s;   /* standard offset east of UTC, e.g. 3600              */
    bool eu_dst;
};

/* Days since 1970-01-01 of a proleptic Gregorian date (m 1..12, d 1..31). */
int64_t sim_days_from_civil(int64_t y, unsigned m, unsigned d);

/* Inverse of sim_days_from_civil. */
void sim_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);

/* Day of week of a day number: 0 = Monday .. 6 = Sunday. */
unsigned sim_weekday(int64_t days);

/* Day of year 1..366 of a day number. */
unsigned sim_day_of_year(int64_t days);

/* Offset east of UTC in seconds in force at UTC time t. */
int sim_tz_offset(const struct sim_tz *tz, int64_t t);

/* UTC seconds of the local midnight that starts the local day holding t. */
int64_t sim_local_midnight(const struct sim_tz *tz, int64_t t);

/* UTC seconds of a local wall-clock time given as seconds since the epoch
 * (local time written as if it were UTC, the way devices read history starts). */
int64_t sim_local_to_utc(const struct sim_tz *tz, int64_t local);

/* Local day number (days since 1970-01-01 in local time) holding UTC t. */
int64_t sim_local_day(const struct sim_tz *tz, int64_t t);

#endif
