/* Seeded hash and smooth noise for the device model. */
#include "noise.h"

#include <math.h>

uint64_t sim_mix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

double sim_hash_unit(uint64_t seed, uint64_t stream, int64_t i)
{
    uint64_t h = sim_mix64(seed ^ sim_mix64(stream * 0x100000001B3ull ^ sim_mix64((uint64_t)i)));
    return (double)(h >> 11) * (1.0 / 9007199254740992.0); /* 53 bits */
}

double sim_smooth_noise(uint64_t seed, uint64_t stream, double t, double period)
{
    double x = t / period;
    double k = floor(x);
    double f = x - k;
    double a = sim_hash_unit(seed, stream, (int64_t)k);
    double b = sim_hash_unit(seed, stream, (int64_t)k + 1);
    double s = f * f * (3.0 - 2.0 * f);
    return a + (b - a) * s;
}
