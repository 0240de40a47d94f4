//===- CostModelTest.cpp - the cost model against its formulas ------------===//

#include "passes/cost/CostModel.h"
#include "RandomProblem.h"
#include "ReferenceModel.h"

#include <gtest/gtest.h>

using namespace agtf;
using namespace agtf::cost;
using namespace agtf::test;

namespace {

TEST(CostModel, FormulasOfDesign) {
  Problem problem;
  problem.cluster.workers = 16;
  problem.cluster.alphaUs[0] = problem.cluster.alphaUs[1] =
      problem.cluster.alphaUs[2] = 10.0;
  problem.cluster.betaUsPerByte[0] = problem.cluster.betaUsPerByte[1] =
      problem.cluster.betaUsPerByte[2] = 0.01;
  // Dense ring allreduce: 2(P-1)a + 2(P-1)/P * 4N * b.
  EXPECT_DOUBLE_EQ(commCost(problem.cluster, Method::Dense, 1000, 1000),
                   2 * 15 * 10.0 + 2.0 * 15 / 16 * 4000 * 0.01);
  // Sparse allgather: log2(P) a + (P-1) k 8 b.
  EXPECT_DOUBLE_EQ(commCost(problem.cluster, Method::TopK, 1000, 10),
                   4 * 10.0 + 15 * 10 * 8 * 0.01);
  // Sampled top-k and DGC: the counts' allgather (8 bytes a rank) first.
  for (Method sampled : {Method::TopKSampled, Method::DGC})
    EXPECT_DOUBLE_EQ(commCost(problem.cluster, sampled, 1000, 10),
                     4 * 10.0 + 15 * 8 * 0.01 + 4 * 10.0 + 15 * 10 * 8 * 0.01);
  // gTop-k: 2 log2(P) a + 2 log2(P) k 8 b.
  EXPECT_DOUBLE_EQ(commCost(problem.cluster, Method::GTopK, 1000, 10),
                   8 * 10.0 + 8 * 10 * 8 * 0.01);
  // Low rank: an allreduce of the factors' values; PowerSGD two.
  // ACP: one allreduce of the mean factor values; PowerSGD: P (with the
  // dense members), then Q.
  LowRankLoad load;
  load.acpValues = 50;
  load.firstValues = 30;
  load.secondValues = 70;
  load.factored = true;
  EXPECT_DOUBLE_EQ(commCost(problem.cluster, Method::LowRank, 1000, 10, load),
                   2 * 15 * 10.0 + 2.0 * 15 / 16 * 200 * 0.01);
  EXPECT_DOUBLE_EQ(commCost(problem.cluster, Method::PowerSGD, 1000, 10, load),
                   2 * 15 * 10.0 + 2.0 * 15 / 16 * 120 * 0.01 + 2 * 15 * 10.0 +
                       2.0 * 15 / 16 * 280 * 0.01);
  // Nothing factored: PowerSGD's second allreduce does not run.
  load.factored = false;
  load.secondValues = 0;
  EXPECT_DOUBLE_EQ(commCost(problem.cluster, Method::PowerSGD, 1000, 10, load),
                   2 * 15 * 10.0 + 2.0 * 15 / 16 * 120 * 0.01);
  // P not a power of two rounds up; P = 1 communicates nothing.
  problem.cluster.workers = 5;
  EXPECT_DOUBLE_EQ(commCost(problem.cluster, Method::TopK, 1000, 10),
                   3 * 10.0 + 4 * 10 * 8 * 0.01);
  problem.cluster.workers = 1;
  EXPECT_DOUBLE_EQ(commCost(problem.cluster, Method::Dense, 1000, 1000), 0.0);
}

/// The values a low-rank bucket sends, as the table derives them, read off
/// its communication time: with P = 2, alpha = 0, 4-byte values and beta =
/// 1/4 us per byte a ring allreduce of v values takes exactly v us.
double lowRankValuesOf(const std::vector<Tensor> &tensors, int64_t rank,
                       Method method = Method::LowRank) {
  Problem problem;
  problem.tensors = tensors;
  problem.sparseMethod = method;
  problem.lowRank = rank;
  problem.cluster.workers = 2;
  problem.cluster.valueBytes = 4;
  for (int c = 0; c < 3; ++c) {
    problem.cluster.alphaUs[c] = 0.0;
    problem.cluster.betaUsPerByte[c] = 0.25;
  }
  CostTable table(problem);
  return table.bucket(0, tensors.size()).commUs;
}

Tensor matrix(int64_t rows, int64_t cols, double density) {
  Tensor t;
  t.numel = rows * cols;
  t.rows = rows;
  t.density = density;
  return t;
}

TEST(CostModel, LowRankValuesByHand) {
  // The runtime's rule (LowRankCompressor.cpp): a member of shape [n, m...]
  // is factored at r = min(rank, n, m) when r (n + m) < n m; ACP sends one
  // factor a step, r (n + m) / 2 on average; the others travel whole.
  // 64x784 at rank 4: 4 * (64 + 784) / 2 = 1696.
  EXPECT_EQ(lowRankValuesOf({matrix(64, 784, 0.01)}, 4), 1696.0);
  // PowerSGD reduces P (4 * 64), then Q (4 * 784): twice the mean.
  EXPECT_EQ(lowRankValuesOf({matrix(64, 784, 0.01)}, 4, Method::PowerSGD),
            2 * 1696.0);
  // An odd product keeps its half: 7x6 at rank 3 (3 * 13 = 39 < 42) sends
  // 3 * (7 + 6) / 2 = 19.5 a step on average.
  EXPECT_EQ(lowRankValuesOf({matrix(7, 6, 0.5)}, 3), 19.5);
  // Factors no smaller than the matrix: sent whole. 5x4 at rank 3:
  // 3 * 9 = 27 >= 20; 2x3 at rank 4: r = 2, 2 * 5 = 10 >= 6.
  EXPECT_EQ(lowRankValuesOf({matrix(5, 4, 0.5)}, 3), 20.0);
  EXPECT_EQ(lowRankValuesOf({matrix(2, 3, 0.5)}, 4), 6.0);
  // Rank 0 factors nothing.
  EXPECT_EQ(lowRankValuesOf({matrix(64, 784, 0.01)}, 0), 64.0 * 784);
  // A vector (one row) sends every element; so does a member without a
  // budget, which the runtime still factors when it is a matrix: 10x64 at
  // rank 4 is 4 * 74 / 2 = 148.
  EXPECT_EQ(lowRankValuesOf({matrix(1, 64, 0.01)}, 4), 64.0);
  EXPECT_EQ(
      lowRankValuesOf(
          {matrix(64, 784, 0.01), matrix(1, 64, 1.0), matrix(10, 64, 1.0)}, 4),
      1696.0 + 64 + 148);
  // PowerSGD: dense members go with P only: 4 * 64 + 64 + 4 * 10, then
  // 4 * 784 + 4 * 64.
  EXPECT_EQ(lowRankValuesOf({matrix(64, 784, 0.01), matrix(1, 64, 1.0),
                             matrix(10, 64, 1.0)},
                            4, Method::PowerSGD),
            (256.0 + 64 + 40) + (3136.0 + 256));
}

/// A random partition of n tensors.
Partition randomPlan(std::mt19937 &rng, size_t n) {
  Partition plan;
  for (size_t i = 1; i < n; ++i)
    if (rng() % 3 == 0)
      plan.push_back(i);
  plan.push_back(n);
  return plan;
}

TEST(CostModel, MatchesReferenceModel) {
  std::mt19937 rng(22);
  int instance = 0;
  for (Problem &problem : randomProblems(21, 200, 30, /*sketches=*/false)) {
    size_t n = problem.tensors.size();
    // Every method, low rank included.
    problem.sparseMethod = Method(1 + instance++ % 6);
    problem.lowRank = 1 + rng() % 8;
    CostTable table(problem);
    for (size_t i = 0; i < n; ++i)
      for (size_t j = i + 1; j <= n; ++j) {
        BucketCost cost = table.bucket(i, j);
        ReferenceBucket want = referenceBucket(problem, i, j);
        EXPECT_NEAR(cost.sparsifyUs, want.sparsifyUs,
                    1e-12 * std::max(1.0, want.sparsifyUs));
        EXPECT_NEAR(cost.commUs, want.commUs,
                    1e-12 * std::max(1.0, want.commUs));
      }
    Partition plan = randomPlan(rng, n);
    double want = referenceIterUs(problem, plan);
    EXPECT_NEAR(simulate(table, plan).iterUs, want, 1e-12 * want)
        << "instance " << instance;
  }
}

// The shared timeline prices one lane per rank that sparsifies and then
// communicates each bucket (the reference walks that lane itself).
TEST(CostModel, SharedTimelineIsOneLane) {
  std::mt19937 rng(23);
  for (Problem &problem : randomProblems(24, 100, 30, /*sketches=*/false)) {
    problem.cluster.timeline = Timeline::Shared;
    problem.cluster.bucketUs = double(rng() % 50);
    CostTable table(problem);
    Partition plan = randomPlan(rng, problem.tensors.size());
    double want = referenceIterUs(problem, plan);
    EXPECT_NEAR(simulate(table, plan).iterUs, want, 1e-12 * want);
  }
}

// docs/passes.md, "The comm lane beside the sparsify lane", by hand: bucket
// 0 communicates from 15 to 20 alone (a quarter of its 20 us), 20 to 30
// beside bucket 1's sparsification at 40 us (another quarter), then alone
// again for the last half, 10 us.
TEST(CostModel, CommSlowsBesideSparsify) {
  Problem problem;
  problem.cluster.workers = 2;
  problem.cluster.timeline = Timeline::Stream;
  problem.tensors.resize(2);
  problem.tensors[0].backwardUs = problem.tensors[1].backwardUs = 10.0;
  std::vector<BucketCost> costs(2);
  costs[0].sparsifyUs = 5.0;
  costs[0].commUs = 20.0;
  costs[1].sparsifyUs = 10.0;
  costs[1].commUs = 10.0;
  Partition plan = {1, 2};
  EXPECT_DOUBLE_EQ(simulate(problem, plan, costs).iterUs, 45.0);
  problem.cluster.curve(Curve::CommBesideSparsify) = {{1.0, 40.0}};
  ASSERT_TRUE(hasBesideSparsify(problem.cluster));
  EXPECT_DOUBLE_EQ(besideSparsifyUs(problem.cluster, 20.0), 40.0);
  EXPECT_DOUBLE_EQ(besideSparsifyUs(problem.cluster, 80.0), 80.0);
  PlanTimeline beside = simulate(problem, plan, costs);
  EXPECT_DOUBLE_EQ(beside.buckets[0].end, 40.0);
  EXPECT_DOUBLE_EQ(beside.buckets[1].start, 40.0);
  EXPECT_DOUBLE_EQ(beside.iterUs, 50.0);
  // The comm lane alone, on request.
  EXPECT_DOUBLE_EQ(simulate(problem, plan, costs, false).iterUs, 45.0);
  // One lane for both under the shared timeline: nothing runs beside.
  problem.cluster.timeline = Timeline::Shared;
  EXPECT_FALSE(hasBesideSparsify(problem.cluster));
}

// Beside the sparsify lane a plan never takes less time than alone, and a
// curve that slows nothing changes nothing.
TEST(CostModel, BesideSparsifyNeverFaster) {
  std::mt19937 rng(25);
  int instance = 0;
  for (Problem &problem : randomProblems(26, 100, 30, /*sketches=*/false)) {
    problem.cluster.timeline =
        instance++ % 2 ? Timeline::Stream : Timeline::Serial;
    problem.sparseMethod = Method::TopK;
    CostTable table(problem);
    Partition plan = randomPlan(rng, problem.tensors.size());
    double alone = simulate(table, plan).iterUs;
    problem.cluster.curve(Curve::CommBesideSparsify) = {{1.0, 1.0},
                                                        {1e12, 1e12}};
    EXPECT_NEAR(simulate(table, plan).iterUs, alone, 1e-9 * alone);
    problem.cluster.curve(Curve::CommBesideSparsify) = {
        {1.0, 1.0 + double(rng() % 100)}, {1e6, 1e6 * (1 + rng() % 5)}};
    EXPECT_GE(simulate(table, plan).iterUs, alone * (1 - 1e-12));
    EXPECT_NEAR(simulate(table, plan, false).iterUs, alone, 1e-12 * alone);
  }
}

} // namespace
