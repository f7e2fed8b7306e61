/* Deterministic pseudo-random helpers for the simulator: every value is a
 * pure function of (seed, stream, position), so any point in simulated time
 * can be evaluated without replaying the past. */
#ifndef SIM_NOISE_H
#define SIM_NOISE_H

#include <stdint.h>

/* splitmix64 finaliser: a well-mixed 64-bit hash of x. */
uint64_t sim_mix64(uint64_t x);

/* Uniform in [0, 1) from (seed, stream, i). */
double sim_hash_unit(uint64_t seed, uint64_t stream, int64_t i);

/* Smooth value noise in [0, 1): random knots every `period` seconds,
 * joined by a smoothstep curve. Continuous in t. */
double sim_smooth_noise(uint64_t seed, uint64_t stream, double t, double period);

#endif
