//===- PlanRepairTest.cpp - a noisy plan repaired into the budget ---------===//

#include "passes/cost/PlanRepair.h"
#include "RandomProblem.h"
#include "passes/cost/MergeSolvers.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace agtf;
using namespace agtf::cost;
using namespace agtf::test;

namespace {

// The unguarded optimum repaired with layer-wise: a plan of every tensor,
// within the layer-wise noise, made of the two plans' buckets, and no
// noisier than the fast plan.
TEST(PlanRepair, FitsTheBudgetWithBothPlansBuckets) {
  std::mt19937 rng(51);
  int repaired = 0;
  for (int instance = 0; instance < 200; ++instance) {
    size_t n = 1 + rng() % 80;
    Problem problem = randomProblem(rng, n, Timeline(instance % 3), true);
    CostTable table(problem);
    NoiseModel noise(table,
                     instance % 2 ? NoiseKind::AgtfNorm : NoiseKind::Relative);
    Partition fast = mergeOptimal(table, nullptr, std::nullopt);
    Partition quiet = mergeLayerwise(problem);
    double budget = noise.plan(quiet);
    auto noiseOf = [&](size_t i, size_t j) { return noise.bucket(i, j); };
    Partition plan = repairNoise(table, noiseOf, fast, quiet, budget);
    ASSERT_FALSE(plan.empty());
    EXPECT_EQ(plan.back(), n);
    size_t begin = 0;
    for (size_t end : plan) {
      ASSERT_GT(end, begin) << "instance " << instance;
      auto from = [&](const Partition &p) {
        auto it = std::find(p.begin(), p.end(), end);
        return it != p.end() && (it == p.begin() ? 0 : *(it - 1)) == begin;
      };
      EXPECT_TRUE(from(fast) || from(quiet)) << "instance " << instance;
      begin = end;
    }
    EXPECT_LE(noise.plan(plan), budget * (1.0 + 1e-9) + 1e-12)
        << "instance " << instance;
    EXPECT_LE(noise.plan(plan), std::max(budget, noise.plan(fast)) + 1e-9);
    if (plan != quiet && noise.plan(fast) > budget)
      ++repaired;
  }
  // Some repairs keep part of the fast plan.
  EXPECT_GT(repaired, 10);
}

} // namespace
