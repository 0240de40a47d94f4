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
