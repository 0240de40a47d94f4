//===- Inputs.cpp - inputs for the GPU kernel tests -----------------------===//

#include "Inputs.h"
#include "DeviceBuffer.h"

#include "kernels/Random.h"

#include <cmath>
#include <cstdlib>
#include <random>

using namespace agtf;

uint64_t agtf::test::freshSeed() {
  if (const char *fixed = std::getenv("AGTF_TEST_SEED"))
    return std::strtoull(fixed, nullptr, 10);
  return (uint64_t(std::random_device{}()) << 32) ^ std::random_device{}();
}

std::vector<float> agtf::test::heavyTailed(int64_t n, uint64_t seed) {
  std::vector<float> x(n);
  for (int64_t i = 0; i < n; ++i) {
    double u = kernels::randomUniform(seed, 2 * uint64_t(i));
    double v = kernels::randomUniform(seed, 2 * uint64_t(i) + 1);
    x[i] = float((2 * u - 1) / std::sqrt(1 - v));
  }
  return x;
}

std::vector<float> agtf::test::withTies(std::vector<float> x, float step) {
  for (float &v : x)
    v = std::round(v / step) * step;
  return x;
}

std::vector<float> agtf::test::uniform(int64_t n, uint64_t seed) {
  std::vector<float> x(n);
  for (int64_t i = 0; i < n; ++i)
    x[i] = float(kernels::randomUniform(seed, uint64_t(i)));
  return x;
}
