//===- NoiseLowerBoundsTest.cpp - cheap bounds below the noise model ------===//
//
// Every bound is at most the model's noise of its bucket, the noise where
// that takes O(1), and close enough to be worth having.
//
//===----------------------------------------------------------------------===//

#include "passes/cost/NoiseLowerBounds.h"
#include "RandomProblem.h"

#include <gtest/gtest.h>

using namespace agtf;
using namespace agtf::cost;
using namespace agtf::test;

namespace {

TEST(NoiseLowerBounds, BelowTheModel) {
  std::mt19937 rng(21);
  double boundSum = 0.0, noiseSum = 0.0;
  int tight = 0, slow = 0;
  for (int instance = 0; instance < 60; ++instance) {
    size_t n = 1 + rng() % 60;
    Problem problem = randomSketchedProblem(rng, n);
    // Some members without a sketch: their buckets assume uniform
    // magnitudes, whose noise is computed, not bounded.
    if (instance % 4 == 1)
      problem.tensors[rng() % n].kept.clear();
    CostTable table(problem);
    for (NoiseKind kind :
         {NoiseKind::Relative, NoiseKind::AgtfNorm, NoiseKind::Energy}) {
      NoiseModel noise(table, kind);
      NoiseLowerBounds bounds(table, noise);
      std::vector<float> lower;
      for (size_t i = 0; i < n; ++i) {
        bounds.row(i, lower);
        ASSERT_EQ(lower.size(), n - i);
        for (size_t j = i + 1; j <= n; ++j) {
          double model = noise.bucket(i, j), bound = lower[j - i - 1];
          double tightened = bounds.tightBound(i, j, bound);
          EXPECT_LE(bound, model)
              << "instance " << instance << " [" << i << ", " << j << ")";
          EXPECT_LE(tightened, model)
              << "instance " << instance << " [" << i << ", " << j << ")";
          EXPECT_GE(tightened, bound);
          // The agtf-norm model's noise takes O(1), and some relative
          // buckets': those are the noise, to a float's precision, and
          // tightened, the noise.
          if (kind == NoiseKind::AgtfNorm)
            EXPECT_TRUE(noise.isQuick(i, j));
          if (noise.isQuick(i, j)) {
            EXPECT_GE(bound, model * (1.0 - 1e-6) - 1e-30);
            EXPECT_EQ(tightened, model);
            continue;
          }
          boundSum += bound, noiseSum += model, ++slow;
          if (tightened >= model - 1e-3 * std::max(1.0, model))
            ++tight;
        }
      }
    }
  }
  // A bound of 0 would be below the model too: the grid's bounds hold most
  // of the noise, and tightened ones are mostly within a hair of it (not
  // where a sketch's plateau makes the kept count jump at the threshold).
  EXPECT_GT(boundSum, 0.9 * noiseSum);
  EXPECT_GT(tight, 0.85 * slow);
}

} // namespace
