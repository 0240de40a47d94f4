//===- MergeStrategyTest.cpp - the strategy table and the simple rules ----===//

#include "passes/cost/MergeStrategy.h"
#include "RandomProblem.h"
#include "passes/cost/MergeSolvers.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

using namespace agtf;
using namespace agtf::cost;
using namespace agtf::test;

namespace {

TEST(MergeStrategy, OneEntryPerStrategyWithItsOwnName) {
  std::set<std::string> names;
  for (size_t i = 0; i < kNumMergeStrategies; ++i) {
    const MergeStrategyInfo &info = getMergeStrategy(MergeStrategy(i));
    EXPECT_EQ(info.strategy, MergeStrategy(i));
    EXPECT_TRUE(names.insert(info.name).second) << info.name;
  }
  // The names the pass option, the docs and the scripts use.
  EXPECT_EQ(names,
            (std::set<std::string>{"layerwise", "single", "threshold", "mgwfbp",
                                   "omgs", "agtf", "optimal"}));
}

/// Ends strictly increasing up to n: every tensor in exactly one bucket.
bool isPartition(const Partition &plan, size_t n) {
  size_t begin = 0;
  for (size_t end : plan) {
    if (end <= begin)
      return false;
    begin = end;
  }
  return begin == n;
}

TEST(MergeStrategy, EverySolverPartitionsTheTensors) {
  int instance = 0;
  for (const Problem &problem : randomProblems(31, 40, 40, /*sketches=*/true)) {
    size_t n = problem.tensors.size();
    CostTable table(problem);
    NoiseModel noise(table, NoiseKind::Relative);
    MergeOptions options;
    options.bucketBytes = 1 << 20;
    options.firstBucketBytes = 1 << 16;
    options.noiseTolerance = instance++ % 3 ? 0.05 : -1.0;
    // Strategies that read no backward times plan the same without them.
    Problem untimed = problem;
    for (Tensor &t : untimed.tensors)
      t.backwardUs = 0.0;
    CostTable untimedTable(untimed);
    NoiseModel untimedNoise(untimedTable, NoiseKind::Relative);
    for (const MergeStrategyInfo &info : getMergeStrategies()) {
      Partition plan = info.solve(table, noise, options);
      EXPECT_TRUE(isPartition(plan, n)) << info.name;
      if (!info.needsBackwardTimes)
        EXPECT_EQ(plan, info.solve(untimedTable, untimedNoise, options))
            << info.name;
    }
  }
}

TEST(MergeStrategy, NoTensorsNoBuckets) {
  Problem problem;
  CostTable table(problem);
  NoiseModel noise(table, NoiseKind::Relative);
  for (const MergeStrategyInfo &info : getMergeStrategies())
    EXPECT_EQ(info.solve(table, noise, MergeOptions()), Partition())
        << info.name;
}

TEST(MergeStrategy, StructuralRules) {
  Problem problem;
  for (int64_t numel : {5, 5, 20, 10, 30}) {
    Tensor t;
    t.numel = numel;
    problem.tensors.push_back(t);
  }
  EXPECT_EQ(mergeLayerwise(problem), (Partition{1, 2, 3, 4, 5}));
  EXPECT_EQ(mergeSingle(problem), (Partition{5}));
  // 4-byte elements: 20, 20, 80, 40, 120 bytes. The first bucket closes at
  // 40 bytes (after 20 + 20), the next at 100 (after 80 + 40 = 120), the
  // last holds the 120 bytes that remain.
  EXPECT_EQ(mergeThreshold(problem, /*bytes=*/100, /*firstBytes=*/40,
                           /*elementBytes=*/4),
            (Partition{2, 4, 5}));
}

TEST(MergeStrategy, MgwfbpWaitsLessThanOneCollectivesStartup) {
  // gTop-k at P = 4: two rounds of reduce and broadcast, so one bucket's
  // startup is 2 * 2 * alpha_gtopk = 400 (allgather's alpha, 10, is not
  // the collective used). No bandwidth term: every bucket takes 400.
  // Serial timeline, 5 us of sparsification per bucket.
  Problem problem;
  problem.cluster.workers = 4;
  problem.cluster.alphaUs[0] = problem.cluster.alphaUs[1] = 10.0;
  problem.cluster.alphaUs[2] = 100.0;
  for (double &beta : problem.cluster.betaUsPerByte)
    beta = 0.0;
  problem.cluster.sparsifyUs = 5.0;
  problem.cluster.sparsifyUsPerElement = 0.0;
  problem.cluster.timeline = Timeline::Serial;
  problem.sparseMethod = Method::GTopK;
  for (double backward : {10.0, 100.0, 1000.0}) {
    Tensor t;
    t.numel = 100;
    t.density = 0.1;
    t.backwardUs = backward;
    problem.tensors.push_back(t);
  }
  CostTable table(problem);
  // [t0] is ready at 10 + 5, runs 15 .. 415. t1 would be ready at
  // 110 + 5 + 5 = 120 (its sparsification after t0's): 120 < 415 and
  // 120 - 15 = 105 < 400: merge. [t0, t1] ready 115, runs 115 .. 515; t2
  // would be ready at 1110 + 5 + 5 >= 515: its own bucket.
  EXPECT_EQ(mergeMgwfbp(table), (Partition{2, 3}));
}

} // namespace
