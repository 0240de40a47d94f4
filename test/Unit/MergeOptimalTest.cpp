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

// The reference noise agrees with the production model up to rounding, so
// plans within this relative margin of the budget are neither required nor
// forbidden.
constexpr double kNoiseMargin = 1e-7;
constexpr double kTimeTolerance = 1e-9;

/// A random instance small enough for brute force: its noise budget (the
/// guard's, priced by the reference model) and the brute-force optimum
/// within it.
struct SmallInstance {
  Problem problem;
  NoiseKind kind;
  bool guard;
  double epsilon = -1.0; // of the guard; negative without one
  double referenceBudget = 0.0, margin = 0.0;
  double best = std::numeric_limits<double>::infinity();

  bool withinBudget(const Partition &plan, double slack) const {
    return !guard ||
           referenceNoise(problem, kind, plan) <= referenceBudget + slack;
  }
  /// The budget that the solvers get, from the production model.
  std::optional<double> budget(const NoiseModel &noise) const {
    if (!guard)
      return std::nullopt;
    return (1.0 + epsilon) * noise.layerwise(problem.tensors.size());
  }
};

/// Calls `check(instance, index, table, noise)` on `count` random small
/// instances from `seed`.
template <typename Check>
void forSmallInstances(Timeline timeline, bool guard, NoiseKind kind,
                       unsigned seed, int count, Check check) {
  std::mt19937 rng(seed);
  for (int index = 0; index < count; ++index) {
    size_t n = 1 + rng() % 12;
    SmallInstance instance{randomProblem(rng, n, timeline, true), kind, guard};
    if (guard) {
      instance.epsilon = 0.02 * (rng() % 4);
      instance.referenceBudget =
          (1.0 + instance.epsilon) *
          referenceNoise(instance.problem, kind,
                         mergeLayerwise(instance.problem));
    }
    instance.margin = kNoiseMargin * instance.referenceBudget;
    for (const Partition &plan : allPartitions(n))
      if (instance.withinBudget(plan, -instance.margin))
        instance.best =
            std::min(instance.best, referenceIterUs(instance.problem, plan));
    CostTable table(instance.problem);
    NoiseModel noise(table, kind);
    check(instance, index, table, noise);
  }
}

/// Returns how many instances had a binding noise guard (the unguarded
/// optimum exceeds the budget).
int checkAgainstBruteForce(Timeline timeline, bool guard, NoiseKind kind,
                           unsigned seed, int instances) {
  int binding = 0;
  forSmallInstances(
      timeline, guard, kind, seed, instances,
      [&](const SmallInstance &small, int instance, const CostTable &table,
          const NoiseModel &noise) {
        const Problem &problem = small.problem;
        size_t n = problem.tensors.size();
        Partition plan = mergeOptimal(table, &noise, small.budget(noise));
        double got = referenceIterUs(problem, plan);
        EXPECT_TRUE(small.withinBudget(plan, small.margin))
            << "instance " << instance << " n=" << n;
        EXPECT_LE(got, small.best + kTimeTolerance * small.best)
            << "instance " << instance << " n=" << n;
        if (guard &&
            !small.withinBudget(mergeOptimal(table, nullptr, std::nullopt),
                                small.margin))
          ++binding;

        // No strategy of the table beats it under the same guard.
        MergeOptions options;
        options.noiseTolerance = small.epsilon;
        for (const MergeStrategyInfo &other : getMergeStrategies()) {
          Partition theirs = other.solve(table, noise, options);
          if (small.withinBudget(theirs, -small.margin))
            EXPECT_LE(got,
                      referenceIterUs(problem, theirs) + kTimeTolerance * got)
                << other.name << ", instance " << instance;
        }
      });
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
                 Case{Timeline::Stream, NoiseKind::AgtfNorm, 6, 100, 15},
                 Case{Timeline::Serial, NoiseKind::Energy, 13, 100, 10},
                 Case{Timeline::Stream, NoiseKind::Energy, 14, 100, 10}})
    EXPECT_GE(
        checkAgainstBruteForce(c.timeline, true, c.kind, c.seed, c.instances),
        c.binding)
        << "seed " << c.seed;
}

/// With an optimality gap: the plan within (1 + gap) of the brute-force
/// optimum and within the budget, the certificate's lower bound below the
/// optimum and its time the plan's. Returns how many plans missed the
/// optimum (the gap let the search stop short).
int checkWithinGap(Timeline timeline, bool guard, NoiseKind kind, double gap,
                   unsigned seed, int instances) {
  int missed = 0;
  forSmallInstances(
      timeline, guard, kind, seed, instances,
      [&](const SmallInstance &small, int instance, const CostTable &table,
          const NoiseModel &noise) {
        size_t n = small.problem.tensors.size();
        OptimalityCertificate certificate;
        Partition plan =
            mergeOptimal(table, &noise, small.budget(noise),
                         OptimalSearch::BranchAndBound, gap, &certificate);
        double got = referenceIterUs(small.problem, plan);
        double best = small.best;
        EXPECT_TRUE(small.withinBudget(plan, small.margin))
            << "instance " << instance << " n=" << n;
        EXPECT_LE(got, (1.0 + gap) * best * (1.0 + kTimeTolerance))
            << "instance " << instance << " n=" << n;
        EXPECT_NEAR(certificate.iterUs, got, kTimeTolerance * got)
            << "instance " << instance << " n=" << n;
        EXPECT_LE(certificate.lowerBoundUs, best * (1.0 + kTimeTolerance))
            << "instance " << instance << " n=" << n;
        EXPECT_LE(certificate.lowerBoundUs, certificate.iterUs);
        if (got > best * (1.0 + kTimeTolerance))
          ++missed;
      });
  return missed;
}

TEST(MergeOptimal, WithinGapOfBruteForce) {
  struct Case {
    Timeline timeline;
    bool guard;
    NoiseKind kind;
    unsigned seed;
  };
  int missed = 0;
  for (double gap : {0.01, 0.1, 0.5})
    for (Case c : {Case{Timeline::Serial, false, NoiseKind::Relative, 31},
                   Case{Timeline::Stream, false, NoiseKind::Relative, 32},
                   Case{Timeline::Shared, false, NoiseKind::Relative, 33},
                   Case{Timeline::Serial, true, NoiseKind::Relative, 34},
                   Case{Timeline::Stream, true, NoiseKind::Relative, 35},
                   Case{Timeline::Shared, true, NoiseKind::Relative, 36},
                   Case{Timeline::Serial, true, NoiseKind::AgtfNorm, 37},
                   Case{Timeline::Stream, true, NoiseKind::AgtfNorm, 38}})
      missed += checkWithinGap(c.timeline, c.guard, c.kind, gap, c.seed, 30);
  // The gap must let the search stop short somewhere, or this would test
  // the exact search again.
  EXPECT_GT(missed, 10);
}

/// Instances too large for brute force: the bounds must not drop the
/// optimum that the exhaustive search keeps, and with a gap, no plan within
/// (1 + gap) of it. Cheap sparsification and latency-bound communication
/// make long buckets and wide fronts, where pruning bites.
void checkAgainstExhaustive(Timeline timeline, bool guard, NoiseKind kind,
                            unsigned seed, int instances, double gap = 0.0) {
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
    OptimalityCertificate certificate;
    Partition bounded =
        mergeOptimal(table, &noise, budget, OptimalSearch::BranchAndBound, gap,
                     &certificate);
    double want = referenceIterUs(problem, exhaustive);
    double got = referenceIterUs(problem, bounded);
    double tolerance = kTimeTolerance * std::max(1.0, want);
    if (gap == 0.0)
      EXPECT_NEAR(got, want, tolerance)
          << "instance " << instance << " n=" << n;
    else
      EXPECT_LE(got, (1.0 + gap) * want + tolerance)
          << "instance " << instance << " n=" << n;
    EXPECT_LE(certificate.lowerBoundUs, want + tolerance)
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

TEST(MergeOptimal, GapAgainstTheExhaustiveOptimum) {
  checkAgainstExhaustive(Timeline::Serial, true, NoiseKind::Relative, 41, 30,
                         0.01);
  checkAgainstExhaustive(Timeline::Stream, true, NoiseKind::Relative, 42, 30,
                         0.05);
  checkAgainstExhaustive(Timeline::Shared, true, NoiseKind::Relative, 43, 30,
                         0.01);
  checkAgainstExhaustive(Timeline::Serial, true, NoiseKind::AgtfNorm, 44, 30,
                         0.05);
}

} // namespace

// An absolute budget below every plan's noise leaves no plan within it:
// both searches still return a whole plan (the caller sees that its noise
// is over the budget), rather than reading an empty front.
TEST(MergeOptimal, ABudgetNoPlanMeetsStillYieldsAPlan) {
  std::mt19937 rng(51);
  for (int instance = 0; instance < 20; ++instance) {
    size_t n = 2 + rng() % 12;
    Problem problem = randomProblem(rng, n, Timeline::Serial, true);
    for (Tensor &t : problem.tensors)
      t.density = 0.001; // every tensor sparse: every plan has noise
    CostTable table(problem);
    NoiseModel noise(table, NoiseKind::Relative);
    double least = std::numeric_limits<double>::infinity();
    for (const Partition &plan : allPartitions(n))
      least = std::min(least, noise.plan(plan));
    ASSERT_GT(least, 0.0);
    for (OptimalSearch search :
         {OptimalSearch::Exhaustive, OptimalSearch::BranchAndBound}) {
      Partition plan = mergeOptimal(table, &noise, 0.5 * least, search);
      ASSERT_FALSE(plan.empty());
      EXPECT_EQ(plan.back(), n);
      EXPECT_TRUE(std::is_sorted(plan.begin(), plan.end()));
      EXPECT_GT(noise.plan(plan), 0.5 * least);
    }
  }
}
