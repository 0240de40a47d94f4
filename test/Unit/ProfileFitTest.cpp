//===- ProfileFitTest.cpp - agtf-profile's least-squares fits -------------===//

#include "Fit.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace agtf::profile;

namespace {
/// T = a·A + b·B·x at log-spaced x, times (1 + noise[i]).
std::vector<Sample> model(double a, double b, double A, double B,
                          std::vector<double> noise = {}) {
  std::vector<Sample> s;
  double x = 8;
  for (size_t i = 0; i < 12; ++i, x *= 4)
    s.push_back(
        {x, (a * A + b * B * x) * (i < noise.size() ? 1 + noise[i] : 1.0)});
  return s;
}
} // namespace

TEST(ProfileFit, RecoversRingAllreduceConstants) {
  // P = 4: A = 2(P-1) = 6, B = 2(P-1)/P = 1.5.
  Fit fit = fitCost(model(25.0, 0.0085, 6, 1.5), 6, 1.5);
  EXPECT_NEAR(fit.a, 25.0, 1e-9 * 25.0);
  EXPECT_NEAR(fit.b, 0.0085, 1e-9 * 0.0085);
  EXPECT_LT(fit.maxRelError, 1e-9);
  EXPECT_LT(fit.rmsRelError, 1e-9);
}

TEST(ProfileFit, RelativeWeightsKeepTheLatency) {
  // Unweighted least squares would let the 67 MB point swamp the 8-byte
  // ones; relative weights keep alpha within the noise of the small sizes.
  Fit fit = fitCost(model(10.0, 1e-3, 1, 1,
                          {0.05, -0.05, 0.05, -0.05, 0, 0, 0, 0, 0, 0, 0, 0.1}),
                    1, 1);
  EXPECT_NEAR(fit.a, 10.0, 1.0);
  EXPECT_NEAR(fit.b, 1e-3, 1e-4);
  EXPECT_GT(fit.maxRelError, 0.04);
  EXPECT_LT(fit.rmsRelError, 0.1);
}

TEST(ProfileFit, ClampsANegativeLatencyToZero) {
  // Times that fall short of proportional at small sizes pull the free fit's
  // alpha below zero: the clamped fit is bandwidth only.
  std::vector<Sample> s = {{1000, 0.5}, {10000, 9.0}, {100000, 100.0}};
  Fit fit = fitCost(s, 1, 1);
  EXPECT_EQ(fit.a, 0.0);
  EXPECT_GT(fit.b, 0.0);
  EXPECT_TRUE(std::isfinite(fit.maxRelError));
}

TEST(ProfileFit, ClampsANegativeBandwidthToZero) {
  std::vector<Sample> s = {{8, 10.0}, {1024, 9.0}, {65536, 8.0}};
  Fit fit = fitCost(s, 2, 2);
  EXPECT_EQ(fit.b, 0.0);
  EXPECT_GT(fit.a, 0.0);
}

TEST(ProfileFit, SkipsEmptyAndZeroSamples) {
  Fit none = fitCost({}, 1, 1);
  EXPECT_EQ(none.a, 0.0);
  EXPECT_EQ(none.b, 0.0);
  EXPECT_EQ(none.rmsRelError, 0.0);
  Fit zeros = fitCost({{8, 0.0}, {16, 0.0}}, 1, 1);
  EXPECT_EQ(zeros.a, 0.0);
  EXPECT_EQ(zeros.b, 0.0);
}

TEST(ProfileFit, SlopeThroughTheOrigin) {
  Fit fit = fitSlope({{1000, 3.0}, {10000, 30.0}, {100000, 300.0}});
  EXPECT_EQ(fit.a, 0.0);
  EXPECT_NEAR(fit.b, 3e-3, 1e-12);
  EXPECT_LT(fit.maxRelError, 1e-9);
}

TEST(ProfileFit, NonDecreasingKeepsAMonotoneCurve) {
  std::vector<double> t{1, 2, 2, 5, 9};
  EXPECT_EQ(nonDecreasing(t, {1, 1, 1, 1, 1}), t);
}

TEST(ProfileFit, NonDecreasingPoolsViolatorsByWeightedGeometricMean) {
  // A stalled 953 us between 43 and 60: it pools with the points after it
  // that it exceeds, and 54 before it stays.
  std::vector<double> out = nonDecreasing({54, 953, 43, 60}, {1, 1, 1, 1});
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0], 54);
  double pooled = std::cbrt(953.0 * 43.0 * 60.0);
  for (int i = 1; i < 4; ++i)
    EXPECT_NEAR(out[i], pooled, 1e-9 * pooled) << i;
}

TEST(ProfileFit, NonDecreasingWeightsByObservations) {
  // A point seen ten times outweighs a neighbour seen once.
  std::vector<double> out = nonDecreasing({100, 10}, {10, 1});
  double pooled = std::exp((10 * std::log(100.0) + std::log(10.0)) / 11);
  EXPECT_NEAR(out[0], pooled, 1e-9 * pooled);
  EXPECT_NEAR(out[1], pooled, 1e-9 * pooled);
  EXPECT_GT(pooled, 80.0);
}

TEST(ProfileFit, NonDecreasingIsMonotoneOnRandomInput) {
  std::vector<double> t, w;
  uint64_t state = 7;
  for (int i = 0; i < 200; ++i) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    t.push_back(1.0 + double(state >> 40) / 1e4);
    w.push_back(1.0 + double((state >> 20) & 7));
  }
  std::vector<double> out = nonDecreasing(t, w);
  ASSERT_EQ(out.size(), t.size());
  for (size_t i = 1; i < out.size(); ++i)
    EXPECT_LE(out[i - 1], out[i] * (1 + 1e-12));
  // The weighted mean of log time is kept (the pooled blocks' means are).
  double before = 0, after = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    before += w[i] * std::log(t[i]);
    after += w[i] * std::log(out[i]);
  }
  EXPECT_NEAR(before, after, 1e-9 * std::fabs(before));
}
