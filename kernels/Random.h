//===- Random.h - seeded, platform-independent random numbers --*- C++ -*-===//
//
// Counter-based (splitmix64): element i of a fill depends only on (seed, i),
// so every rank, thread and device draws the same numbers. The standard
// library's distributions are implementation-defined and are not used.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_KERNELS_RANDOM_H
#define AGTF_KERNELS_RANDOM_H

#include <cstdint>

namespace agtf::kernels {

/// splitmix64 of (seed, counter): 64 uniformly mixed bits.
uint64_t randomBits(uint64_t seed, uint64_t counter);
/// Uniform in [0, 1) from randomBits (53 bits).
double randomUniform(uint64_t seed, uint64_t counter);
/// Mixes several words into one seed (seed, rank, iteration, bucket ...).
uint64_t combineSeed(uint64_t a, uint64_t b);

/// x[i] ~ N(0, 1) by Box-Muller on (seed, i).
void fillNormalCpu(float *x, int64_t n, uint64_t seed);

/// x[i] = scale * t_3 (Student's t with 3 degrees of freedom): heavy tails
/// like real gradients, finite variance; deterministic in (seed, i).
void fillHeavyTailedCpu(float *x, int64_t n, uint64_t seed, float scale);

} // namespace agtf::kernels

#endif // AGTF_KERNELS_RANDOM_H
