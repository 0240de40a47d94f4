//===- MergeSolversTest.cpp - optimal merging against brute force ---------===//

#include "passes/MergeSolvers.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace agtf::cost;

namespace {

Problem randomProblem(std::mt19937 &rng, size_t n, Timeline timeline,
                      bool sketches) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  Problem problem;
  problem.cluster.workers = 1 + rng() % 16;
  for (int c = 0; c < 3; ++c) {
    problem.cluster.alphaUs[c] = 10.0 + 2000.0 * unit(rng);
    problem.cluster.betaUsPerByte[c] = 1e-4 + 1e-2 * unit(rng);
  }
  problem.cluster.sparsifyUs = 50.0 * unit(rng);
  problem.cluster.sparsifyUsPerElement = 1e-3 * unit(rng);
  problem.cluster.timeline = timeline;
  problem.sparseMethod = Method(1 + rng() % 3); // topk, gtopk or dgc
  problem.forwardUs = 1000.0 * unit(rng);
  problem.updateUs = 100.0 * unit(rng);
  for (size_t i = 0; i < n; ++i) {
    Tensor t;
    t.name = "t" + std::to_string(i);
    t.numel = 1 + int64_t(std::pow(10.0, 6.0 * unit(rng)));
    t.rows = 1 + rng() % 64;
    t.backwardUs = 2000.0 * unit(rng);
    t.density = unit(rng) < 0.25 ? 1.0 : std::pow(10.0, -3.0 * unit(rng));
    t.gradNorm = 0.1 + unit(rng);
    if (sketches) {
      // Power-law magnitudes: threshold(f) = s * f^-a, energy(f) = f^b.
      double scale = 0.01 + unit(rng), a = 0.2 + unit(rng),
             b = 0.1 + 0.8 * unit(rng);
      for (double f : {1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0}) {
        t.kept.push_back(f);
        t.threshold.push_back(f == 1.0 ? 0.0 : scale * std::pow(f, -a));
        t.energy.push_back(std::pow(f, b));
      }
    }
    problem.tensors.push_back(t);
  }
  return problem;
}

/// Every contiguous partition: 2^(n-1) of them.
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
    std::optional<double> budget;
    if (guard)
      budget = (1.0 + 0.02 * (rng() % 4)) * noise.layerwise(n);
    double best = std::numeric_limits<double>::infinity();
    for (const Partition &plan : allPartitions(n)) {
      if (budget && noise.plan(plan) > *budget + 1e-12)
        continue;
      best = std::min(best, simulate(table, plan).iterUs);
    }
    Partition plan = mergeOptimal(table, &noise, budget);
    double got = simulate(table, plan).iterUs;
    if (budget &&
        noise.plan(mergeOptimal(table, nullptr, std::nullopt)) > *budget)
      ++binding;
    EXPECT_NEAR(got, best, 1e-9 * std::max(1.0, best))
        << "instance " << instance << " n=" << n;
    if (budget)
      EXPECT_LE(noise.plan(plan), *budget + 1e-9);
    // No other strategy beats it.
    for (const Partition &other :
         {mergeLayerwise(problem), mergeSingle(problem), mergeOmgs(table),
          mergeMgwfbp(table), mergeAgtf(table, noise, 0.0)}) {
      if (budget && noise.plan(other) > *budget + 1e-12)
        continue;
      EXPECT_LE(got, simulate(table, other).iterUs + 1e-9 * best);
    }
  }
  return binding;
}

TEST(MergeOptimal, MatchesBruteForceSerial) {
  checkAgainstBruteForce(Timeline::Serial, false, NoiseKind::Relative, 1, 200);
}
TEST(MergeOptimal, MatchesBruteForceStream) {
  checkAgainstBruteForce(Timeline::Stream, false, NoiseKind::Relative, 2, 200);
}
// The guard must bind in a good share of instances, or these tests would
// not exercise the noise dimension of the Pareto front.
TEST(MergeOptimal, MatchesBruteForceSerialGuarded) {
  EXPECT_GE(checkAgainstBruteForce(Timeline::Serial, true, NoiseKind::Relative,
                                   3, 200),
            50);
  EXPECT_GE(checkAgainstBruteForce(Timeline::Serial, true, NoiseKind::AgtfNorm,
                                   4, 100),
            15);
}
TEST(MergeOptimal, MatchesBruteForceStreamGuarded) {
  EXPECT_GE(checkAgainstBruteForce(Timeline::Stream, true, NoiseKind::Relative,
                                   5, 200),
            50);
  EXPECT_GE(checkAgainstBruteForce(Timeline::Stream, true, NoiseKind::AgtfNorm,
                                   6, 100),
            15);
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

TEST(CostModel, FormulasOfDesign) {
  Problem problem;
  problem.cluster.workers = 16;
  problem.cluster.alphaUs[0] = problem.cluster.alphaUs[1] =
      problem.cluster.alphaUs[2] = 10.0;
  problem.cluster.betaUsPerByte[0] = problem.cluster.betaUsPerByte[1] =
      problem.cluster.betaUsPerByte[2] = 0.01;
  // Dense ring allreduce: 2(P-1)a + 2(P-1)/P * 4N * b.
  EXPECT_DOUBLE_EQ(commCost(problem.cluster, Method::Dense, 1000, 1000, 0),
                   2 * 15 * 10.0 + 2.0 * 15 / 16 * 4000 * 0.01);
  // Sparse allgather: log2(P) a + (P-1) k 8 b.
  EXPECT_DOUBLE_EQ(commCost(problem.cluster, Method::TopK, 1000, 10, 0),
                   4 * 10.0 + 15 * 10 * 8 * 0.01);
  // gTop-k: 2 log2(P) a + 2 log2(P) k 8 b.
  EXPECT_DOUBLE_EQ(commCost(problem.cluster, Method::GTopK, 1000, 10, 0),
                   8 * 10.0 + 8 * 10 * 8 * 0.01);
  // P not a power of two rounds up; P = 1 communicates nothing.
  problem.cluster.workers = 5;
  EXPECT_DOUBLE_EQ(commCost(problem.cluster, Method::TopK, 1000, 10, 0),
                   3 * 10.0 + 4 * 10 * 8 * 0.01);
  problem.cluster.workers = 1;
  EXPECT_DOUBLE_EQ(commCost(problem.cluster, Method::Dense, 1000, 1000, 0),
                   0.0);
}

} // namespace
