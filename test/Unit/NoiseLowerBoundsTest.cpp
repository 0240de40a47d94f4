//===- NoiseLowerBoundsTest.cpp - cheap bounds below the noise model ------===//
//
// Every lower bound is at most the model's noise of its bucket, every upper
// bound at least it, each the noise where that takes O(1), and close
// enough to be worth having.
//
//===----------------------------------------------------------------------===//

#include "passes/cost/NoiseLowerBounds.h"
#include "RandomProblem.h"

#include <gtest/gtest.h>

using namespace agtf;
using namespace agtf::cost;
using namespace agtf::test;

namespace {

/// Calls visit(instance, n, kind, noise, bounds) on 60 random sketched problems
/// under every noise model. Some members have no sketch: their buckets
/// assume uniform magnitudes, whose noise is computed, not bounded.
template <typename Visit> void forEachInstance(unsigned seed, Visit visit) {
  std::mt19937 rng(seed);
  for (int instance = 0; instance < 60; ++instance) {
    size_t n = 1 + rng() % 60;
    Problem problem = randomSketchedProblem(rng, n);
    if (instance % 4 == 1)
      problem.tensors[rng() % n].kept.clear();
    CostTable table(problem);
    for (NoiseKind kind :
         {NoiseKind::Relative, NoiseKind::AgtfNorm, NoiseKind::Energy}) {
      NoiseModel noise(table, kind);
      NoiseLowerBounds bounds(table, noise);
      visit(instance, n, kind, noise, bounds);
    }
  }
}

TEST(NoiseLowerBounds, BelowTheModel) {
  double boundSum = 0.0, noiseSum = 0.0;
  int tight = 0, slow = 0;
  forEachInstance(21, [&](int instance, size_t n, NoiseKind kind,
                          const NoiseModel &noise,
                          const NoiseLowerBounds &bounds) {
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
  });
  // A bound of 0 would be below the model too: the grid's bounds hold most
  // of the noise, and tightened ones are mostly within a hair of it (not
  // where a sketch's plateau makes the kept count jump at the threshold).
  EXPECT_GT(boundSum, 0.9 * noiseSum);
  EXPECT_GT(tight, 0.85 * slow);
}

TEST(NoiseLowerBounds, UpperBoundsAboveTheModel) {
  double boundSum = 0.0, noiseSum = 0.0;
  forEachInstance(22, [&](int instance, size_t n, NoiseKind,
                          const NoiseModel &noise,
                          const NoiseLowerBounds &bounds) {
    std::vector<double> upper;
    for (size_t i = 0; i < n; ++i) {
      bounds.upperRow(i, upper);
      ASSERT_EQ(upper.size(), n - i);
      for (size_t j = i + 1; j <= n; ++j) {
        double model = noise.bucket(i, j), bound = upper[j - i - 1];
        EXPECT_GE(bound, model)
            << "instance " << instance << " [" << i << ", " << j << ")";
        if (noise.isQuick(i, j)) {
          EXPECT_EQ(bound, model);
          continue;
        }
        boundSum += bound, noiseSum += model;
      }
    }
  });
  // Every member's whole weight would be above the model too: the grid's
  // bounds are within a few percent of the noise in sum.
  EXPECT_LT(boundSum, 1.1 * noiseSum);
}

} // namespace
