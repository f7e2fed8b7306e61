/* Arguments of the plant writes: quantities with units, on/off, durations.
 * Every refusal names the option, what was given and what is allowed. */
#include "plant_cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const struct cli_unit cli_units_w[] = {{"", 1}, {"W", 1}, {"kW", 1000}, {NULL, 0}};
const struct cli_unit cli_units_wh[] = {{"", 1}, {"Wh", 1}, {"kWh", 1000}, {NULL, 0}};
const struct cli_unit cli_units_a[] = {{"", 1}, {"A", 1}, {NULL, 0}};
const struct cli_unit cli_units_none[] = {{"", 1}, {NULL, 0}};
const struct cli_unit cli_units_pct[] = {{"", 1}, {"%", 1}, {NULL, 0}};

/* "W, kW" for a message: the named units of the list. */
static void unit_list(const struct cli_unit *u, char *buf, size_t cap)
{
    buf[0] = '\0';
    size_t n = 0;
    for (; u->name; u++) {
        if (!u->name[0])
            continue;
        int k = snprintf(buf + n, cap - n, "%s%s", n ? ", " : "", u->name);
        if (k < 0 || (size_t)k >= cap - n)
            break;
        n += (size_t)k;
    }
}

/* The leading decimal number of s (digits, at most one '.'), its end in *end.
 * Returns 0, or -1 when s does not start with one. */
static int leading_number(const char *s, double *v, const char **end)
{
    const char *p = s;
    bool digits = false, dot = false;
    for (; *p; p++) {
        if (*p >= '0' && *p <= '9')
            digits = true;
        else if (*p == '.' && !dot)
            dot = true;
        else
            break;
    }
    if (!digits || p - s > 30)
        return -1;
    char tmp[32];
    memcpy(tmp, s, (size_t)(p - s));
    tmp[p - s] = '\0';
    *v = strtod(tmp, NULL);
    *end = p;
    return 0;
}

int cli_parse_quantity(const char *cmd, const char *what, const char *s, const struct cli_unit *units, int64_t min,
                       int64_t max, int64_t *out)
{
    char ul[64];
    unit_list(units, ul, sizeof ul);
    const char *unit0 = "";
    for (const struct cli_unit *k = units; k->name; k++)
        if (k->name[0]) {
            unit0 = k->name;
            break;
        }
    const char *sp = unit0[0] ? " " : ""; /* "0..7" for a bare number */
    if (s[0] == '-')
        return cli_usage_error(cmd, "%s '%s' is negative (allowed: %lld..%lld%s%s)", what, s, (long long)min,
                               (long long)max, sp, unit0);
    double v;
    const char *end;
    const char *p = s[0] == '+' ? s + 1 : s;
    if (leading_number(p, &v, &end) != 0)
        return cli_usage_error(cmd, "%s '%s' is not a number (allowed: %lld..%lld%s%s)", what, s, (long long)min,
                               (long long)max, sp, unit0);
    const struct cli_unit *u = units;
    for (; u->name; u++)
        if (strcmp(u->name, end) == 0)
            break;
    if (!u->name && !*end)
        return cli_usage_error(cmd, "%s '%s' needs a unit (%s)", what, s, ul);
    if (!u->name && !ul[0])
        return cli_usage_error(cmd, "%s '%s' is not a whole number (allowed: %lld..%lld)", what, s, (long long)min,
                               (long long)max);
    if (!u->name)
        return cli_usage_error(cmd, "%s '%s': unknown unit '%s' (units: %s)", what, s, end, ul);
    double x = v * u->factor;
    if (x != floor(x))
        return cli_usage_error(cmd, "%s '%s' is not a whole number%s%s", what, s, unit0[0] ? " of " : "", unit0);
    if (x < (double)min || x > (double)max)
        return cli_usage_error(cmd, "%s '%s' is out of range (allowed: %lld..%lld%s%s)", what, s, (long long)min,
                               (long long)max, sp, unit0);
    *out = (int64_t)x;
    return 0;
}

int cli_parse_onoff(const char *cmd, const char *what, const char *s, bool *out)
{
    if (strcmp(s, "on") == 0 || strcmp(s, "true") == 0 || strcmp(s, "1") == 0)
        *out = true;
    else if (strcmp(s, "off") == 0 || strcmp(s, "false") == 0 || strcmp(s, "0") == 0)
        *out = false;
    else
        return cli_usage_error(cmd, "%s '%s': say on or off", what, s);
    return 0;
}

int cli_parse_duration(const char *cmd, const char *what, const char *s, int64_t *ms)
{
    const double week = 7 * 86400.0;
    double total = 0;
    const char *p = s;
    if (*p == '-')
        return cli_usage_error(cmd, "%s '%s' is negative (a duration like 90s, 5m, 1h30m)", what, s);
    while (*p) {
        double v;
        const char *end;
        if (leading_number(p, &v, &end) != 0)
            return cli_usage_error(cmd, "%s '%s' is not a duration (like 90s, 5m, 1h30m)", what, s);
        double f = 1;
        if (*end == 's') {
            end++;
        } else if (*end == 'm' && end[1] == 's') {
            f = 0.001;
            end += 2;
        } else if (*end == 'm') {
            f = 60;
            end++;
        } else if (*end == 'h') {
            f = 3600;
            end++;
        } else if (*end != '\0') {
            return cli_usage_error(cmd, "%s '%s': unknown unit '%s' (s, m, h, ms)", what, s, end);
        }
        total += v * f;
        p = end;
    }
    if (!(total > 0) || total > week)
        return cli_usage_error(cmd, "%s '%s' is out of range (more than 0, at most 7 days)", what, s);
    *ms = (int64_t)llround(total * 1000.0);
    if (*ms <= 0)
        *ms = 1;
    return 0;
}
