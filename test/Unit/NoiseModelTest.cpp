//===- NoiseModelTest.cpp - the noise model against its definitions -------===//

#include "passes/cost/NoiseModel.h"
#include "RandomProblem.h"
#include "ReferenceModel.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace agtf;
using namespace agtf::cost;
using namespace agtf::test;

namespace {

std::vector<double> logsOf(const std::vector<double> &values) {
  std::vector<double> logs;
  for (double v : values)
    logs.push_back(std::log(v));
  return logs;
}

TEST(NoiseModel, SketchReadBetweenItsPoints) {
  Tensor t;
  t.kept = {1e-4, 1e-2, 1.0};
  t.threshold = {2.0, 1.0, 0.0};
  t.energy = {0.1, 0.5, 1.0};
  std::vector<double> logKept = logsOf(t.kept);
  // At a point, log-linear between points (halfway in theta is the
  // geometric mean of the fractions), f0 * theta0 / theta above the first.
  EXPECT_DOUBLE_EQ(fractionAbove(t, logKept, 2.0), 1e-4);
  EXPECT_DOUBLE_EQ(fractionAbove(t, logKept, 4.0), 5e-5);
  EXPECT_NEAR(fractionAbove(t, logKept, 1.5), 1e-3, 1e-15);
  EXPECT_NEAR(fractionAbove(t, logKept, 0.5), 0.1, 1e-15);
  EXPECT_DOUBLE_EQ(fractionAbove(t, logKept, 0.0), 1.0);
  // Linear in log(kept) between points, linear in kept below the first.
  EXPECT_NEAR(energyKept(t, logKept, 1e-3), 0.3, 1e-15);
  EXPECT_NEAR(energyKept(t, logKept, 0.1), 0.75, 1e-15);
  EXPECT_DOUBLE_EQ(energyKept(t, logKept, 5e-5), 0.05);
  EXPECT_DOUBLE_EQ(energyKept(t, logKept, 1.0), 1.0);
}

TEST(NoiseModel, LayerwiseRelativeMatchesSketchEnergy) {
  // One tensor keeping 1e-3 of its elements loses 1 - energy(1e-3).
  Problem problem;
  Tensor t;
  t.numel = 1000000;
  t.density = 1e-3;
  t.kept = {1e-5, 1e-3, 1.0};
  t.threshold = {4.0, 1.0, 0.0};
  t.energy = {0.05, 0.3, 1.0};
  problem.tensors.push_back(t);
  CostTable table(problem);
  NoiseModel noise(table, NoiseKind::Relative);
  EXPECT_NEAR(noise.layerwise(1), 0.7, 1e-6);
  NoiseModel agtf(table, NoiseKind::AgtfNorm);
  EXPECT_NEAR(agtf.layerwise(1), (1e6 / 1000.0 - 1.0) * 1.0, 1e-9);
}

TEST(NoiseModel, MatchesReferenceModel) {
  std::mt19937 rng(14);
  for (int instance = 0; instance < 30; ++instance) {
    size_t n = 1 + rng() % 20;
    Problem problem =
        randomProblem(rng, n, Timeline::Serial, /*sketches=*/instance % 3 != 0);
    // Some members without a sketch: the bucket assumes uniform magnitudes.
    if (instance % 3 == 1)
      problem.tensors[rng() % n].kept.clear();
    CostTable table(problem);
    for (NoiseKind kind : {NoiseKind::Relative, NoiseKind::AgtfNorm}) {
      NoiseModel noise(table, kind);
      for (size_t i = 0; i < n; ++i)
        for (size_t j = i + 1; j <= n; ++j) {
          double want = referenceBucketNoise(problem, kind, i, j);
          EXPECT_NEAR(noise.bucket(i, j), want, 1e-7 * std::max(1.0, want))
              << "instance " << instance << " [" << i << ", " << j << ")";
        }
    }
  }
}

/// The relative noise of a fully sketched bucket as docs/passes.md defines
/// it: theta where 40 halvings of log(theta) end, each deciding by the
/// sketches' kept count. The model reaches the same theta by Newton steps
/// that decide most halvings. The sketches are read and k_G counted by
/// ReferenceModel's evaluators, not the model's own.
double fortyHalvings(const Problem &problem, size_t begin, size_t end) {
  double numel = 0.0, kept = 0.0, largest = 0.0, smallest = INFINITY;
  for (size_t i = begin; i < end; ++i) {
    const Tensor &t = problem.tensors[i];
    numel += double(t.numel);
    kept += double(referenceKeptCount(t));
    largest = std::max(largest, t.threshold.front());
    for (double th : t.threshold)
      if (th > 0.0)
        smallest = std::min(smallest, th);
  }
  if (kept >= numel || largest <= 0.0)
    return 0.0;
  auto keptAbove = [&](double theta) {
    double sum = 0.0;
    for (size_t i = begin; i < end; ++i)
      sum += double(problem.tensors[i].numel) *
             referenceFractionAbove(problem.tensors[i], theta);
    return sum;
  };
  double low = std::log(smallest) - 1.0, high = std::log(largest) + 12.0;
  for (int halving = 0; halving < 40; ++halving) {
    double mid = 0.5 * (low + high);
    if (keptAbove(std::exp(mid)) > kept)
      low = mid;
    else
      high = mid;
  }
  double theta = std::exp(0.5 * (low + high));
  double noise = 0.0;
  for (size_t i = begin; i < end; ++i) {
    const Tensor &t = problem.tensors[i];
    double f = std::min(1.0, referenceFractionAbove(t, theta));
    noise += 1.0 - referenceEnergyKept(t, f);
  }
  return noise;
}

TEST(NoiseModel, RelativeIsFortyHalvings) {
  std::mt19937 rng(13);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int instance = 0; instance < 40; ++instance) {
    Problem problem = randomSketchedProblem(rng, 1 + rng() % 60);
    size_t n = problem.tensors.size();
    CostTable table(problem);
    NoiseModel noise(table, NoiseKind::Relative);
    for (size_t i = 0; i < n; ++i)
      for (size_t j = i + 1; j <= n; ++j) {
        // The reference interpolates with other (equally exact) arithmetic
        // than the model, so the two differ in the last bits: at most
        // 7e-16 * max(1, noise) on these instances. Not bit for bit, but
        // far below what one halving decided differently (log theta moved
        // by 2^-41 of the search range or more) does to the noise.
        double want = fortyHalvings(problem, i, j);
        double model = noise.bucket(i, j);
        EXPECT_NEAR(model, want, 1e-13 * std::max(1.0, want)) << i << " " << j;
        // A search that starts elsewhere ends at the same threshold.
        double start = std::log(0.01) + 10.0 * unit(rng);
        EXPECT_EQ(noise.bucket(i, j, start), model) << i << " " << j;
      }
  }
}

} // namespace
