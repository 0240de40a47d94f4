//===- Random.cpp - counter-based splitmix64 random numbers ---------------===//
//
// Element i of a fill reads only the counters derived from i, so a fill can
// be split over threads or devices and still give the same numbers. The
// transforms use only +, *, sqrt, log and cos in double, then round to float.
//
//===----------------------------------------------------------------------===//

#include "kernels/Random.h"

#include <cmath>

using namespace agtf::kernels;

namespace {

constexpr uint64_t kGolden = 0x9e3779b97f4a7c15ULL;

// splitmix64's output function, a bijection on 64-bit words.
uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Standard normal from the counter pair (2c, 2c + 1), cosine half of
// Box-Muller. 1 - u lies in (0, 1], so the logarithm is finite.
double normalAt(uint64_t seed, uint64_t c) {
  double u1 = randomUniform(seed, 2 * c);
  double u2 = randomUniform(seed, 2 * c + 1);
  constexpr double kTwoPi = 6.283185307179586476925286766559;
  return std::sqrt(-2.0 * std::log(1.0 - u1)) * std::cos(kTwoPi * u2);
}

} // namespace

uint64_t agtf::kernels::randomBits(uint64_t seed, uint64_t counter) {
  // The counter-th output of a splitmix64 stream whose state starts at the
  // mixed seed; mixing the seed first keeps streams of nearby seeds apart.
  return mix64(mix64(seed + kGolden) + kGolden * (counter + 1));
}

double agtf::kernels::randomUniform(uint64_t seed, uint64_t counter) {
  return static_cast<double>(randomBits(seed, counter) >> 11) * 0x1p-53;
}

uint64_t agtf::kernels::combineSeed(uint64_t a, uint64_t b) {
  // For a fixed `a` this is a bijection in `b`, and it is not symmetric.
  return mix64(mix64(a + kGolden) + b);
}

void agtf::kernels::fillNormalCpu(float *x, int64_t n, uint64_t seed) {
  for (int64_t i = 0; i < n; ++i)
    x[i] = static_cast<float>(normalAt(seed, static_cast<uint64_t>(i)));
}

void agtf::kernels::fillHeavyTailedCpu(float *x, int64_t n, uint64_t seed,
                                       float scale) {
  for (int64_t i = 0; i < n; ++i) {
    // t_3 = Z0 / sqrt(chi2_3 / 3), with chi2_3 = Z1^2 + Z2^2 + Z3^2; element
    // i owns the normals 4i .. 4i + 3.
    auto base = 4 * static_cast<uint64_t>(i);
    double z0 = normalAt(seed, base);
    double chi2 = 0.0;
    for (uint64_t j = 1; j <= 3; ++j) {
      double z = normalAt(seed, base + j);
      chi2 += z * z;
    }
    // chi2 == 0 needs three exact zeros (probability ~2^-150); the floor only
    // keeps the result finite.
    double t = z0 / std::sqrt(std::fmax(chi2, 1e-300) / 3.0);
    x[i] = static_cast<float>(static_cast<double>(scale) * t);
  }
}
