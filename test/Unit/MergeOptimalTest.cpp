//===- MergeOptimalTest.cpp - the optimal merge against brute force -------===//
//
// Small instances: the optimum over every partition into contiguous
// buckets, each priced by the reference model. Large instances: the
// branch-and-bound search finds what the exhaustive search finds.
//
//===----------------------------------------------------------------------===//

#include "RandomProblem.h"
#include "ReferenceModel.h"
#include "passes/cost/MergeSolvers.h"
#include "passes/cost/MergeStrategy.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace agtf;
using namespace agtf::cost;
using namespace agtf::test;

namespace {

/// Every partition of n tensors into contiguous buckets: bit i of `cuts`
/// ends a bucket after tensor i.
std::vector<Partition> allPartitions(size_t n) {
  std::vector<Partition> result;
  for (uint32_t cuts = 0; cuts < (1u << (n - 1)); ++cuts) {
    Partition plan;
    for (size_t i = 1; i < n; ++i)
      if (cuts & (1u << (i - 1)))
        plan.push_back(i);
    plan.push_back(n);
    result.push_back(plan);
  }
  return result;
}

// The reference noise agrees with the production model up to rounding, so
// plans within this relative margin of the budget are neither required nor
// forbidden.
constexpr double kNoiseMargin = 1e-7;
constexpr double kTimeTolerance = 1e-9;

/// Returns how many instances had a binding noise guard (the unguarded
/// optimum exceeds the budget).
int checkAgainstBruteForce(Timeline timeline, bool guard, NoiseKind kind,
                           unsigned seed, int instances) {
  std::mt19937 rng(seed);
  int binding = 0;
  for (int instance = 0; instance < instances; ++instance) {
    size_t n = 1 + rng() % 12;
    Problem problem = randomProblem(rng, n, timeline, true);
    CostTable table(problem);
    NoiseModel noise(table, kind);
    double epsilon = guard ? 0.02 * (rng() % 4) : -1.0;
    std::optional<double> budget;
    double referenceBudget = 0.0;
    if (guard) {
      budget = (1.0 + epsilon) * noise.layerwise(n);
      referenceBudget = (1.0 + epsilon) *
                        referenceNoise(problem, kind, mergeLayerwise(problem));
    }
    double margin = kNoiseMargin * referenceBudget;
    auto withinBudget = [&](const Partition &plan, double slack) {
      return !guard ||
             referenceNoise(problem, kind, plan) <= referenceBudget + slack;
    };

    double best = std::numeric_limits<double>::infinity();
    for (const Partition &plan : allPartitions(n))
      if (withinBudget(plan, -margin))
        best = std::min(best, referenceIterUs(problem, plan));

    Partition plan = mergeOptimal(table, &noise, budget);
    double got = referenceIterUs(problem, plan);
    EXPECT_TRUE(withinBudget(plan, margin))
        << "instance " << instance << " n=" << n;
    EXPECT_LE(got, best + kTimeTolerance * best)
        << "instance " << instance << " n=" << n;
    if (guard &&
        !withinBudget(mergeOptimal(table, nullptr, std::nullopt), margin))
      ++binding;

    // No strategy of the table beats it under the same guard.
    MergeOptions options;
    options.noiseTolerance = epsilon;
    for (const MergeStrategyInfo &other : getMergeStrategies()) {
      Partition theirs = other.solve(table, noise, options);
      if (withinBudget(theirs, -margin))
        EXPECT_LE(got, referenceIterUs(problem, theirs) + kTimeTolerance * got)
            << other.name << ", instance " << instance;
    }
  }
  return binding;
}

TEST(MergeOptimal, MatchesBruteForce) {
  checkAgainstBruteForce(Timeline::Serial, false, NoiseKind::Relative, 1, 200);
  checkAgainstBruteForce(Timeline::Stream, false, NoiseKind::Relative, 2, 200);
  checkAgainstBruteForce(Timeline::Shared, false, NoiseKind::Relative, 7, 200);
}

// The guard must bind in a good share of instances, or these tests would
// not exercise the noise dimension of the Pareto front.
TEST(MergeOptimal, MatchesBruteForceGuarded) {
  struct Case {
    Timeline timeline;
    NoiseKind kind;
    unsigned seed;
    int instances, binding;
  };
  for (Case c : {Case{Timeline::Serial, NoiseKind::Relative, 3, 200, 50},
                 Case{Timeline::Serial, NoiseKind::AgtfNorm, 4, 100, 15},
                 Case{Timeline::Stream, NoiseKind::Relative, 5, 200, 50},
                 Case{Timeline::Stream, NoiseKind::AgtfNorm, 6, 100, 15}})
    EXPECT_GE(
        checkAgainstBruteForce(c.timeline, true, c.kind, c.seed, c.instances),
        c.binding)
        << "seed " << c.seed;
}

/// Instances too large for brute force: the bounds must not drop the
/// optimum that the exhaustive search keeps. Cheap sparsification and
/// latency-bound communication make long buckets and wide fronts, where
/// pruning bites.
void checkAgainstExhaustive(Timeline timeline, bool guard, NoiseKind kind,
                            unsigned seed, int instances) {
  std::mt19937 rng(seed);
  for (int instance = 0; instance < instances; ++instance) {
    size_t n = 13 + rng() % 60;
    Problem problem = randomProblem(rng, n, timeline, true);
    if (instance % 2)
      problem.cluster.sparsifyUs *= 0.1;
    CostTable table(problem);
    NoiseModel noise(table, kind);
    std::optional<double> budget;
    if (guard)
      budget = (1.0 + 0.02 * (rng() % 4)) * noise.layerwise(n);
    Partition exhaustive =
        mergeOptimal(table, &noise, budget, OptimalSearch::Exhaustive);
    Partition bounded = mergeOptimal(table, &noise, budget);
    double want = referenceIterUs(problem, exhaustive);
    EXPECT_NEAR(referenceIterUs(problem, bounded), want,
                kTimeTolerance * std::max(1.0, want))
        << "instance " << instance << " n=" << n;
    if (budget) {
      double slack = kNoiseMargin * std::max(1.0, *budget);
      EXPECT_LE(referenceNoise(problem, kind, bounded), *budget + slack);
      EXPECT_LE(referenceNoise(problem, kind, exhaustive), *budget + slack);
    }
  }
}

TEST(MergeOptimal, BoundsKeepTheExhaustiveOptimum) {
  checkAgainstExhaustive(Timeline::Serial, false, NoiseKind::Relative, 7, 100);
  checkAgainstExhaustive(Timeline::Stream, false, NoiseKind::Relative, 8, 100);
  checkAgainstExhaustive(Timeline::Serial, true, NoiseKind::Relative, 9, 50);
  checkAgainstExhaustive(Timeline::Stream, true, NoiseKind::Relative, 10, 50);
  checkAgainstExhaustive(Timeline::Serial, true, NoiseKind::AgtfNorm, 11, 50);
  checkAgainstExhaustive(Timeline::Stream, true, NoiseKind::AgtfNorm, 12, 50);
}

} // namespace
