//===- RandomProblem.cpp - random merge problems for the tests ------------===//

#include "RandomProblem.h"

#include <cmath>

using namespace agtf;
using namespace agtf::cost;

Problem agtf::test::randomProblem(std::mt19937 &rng, size_t n,
                                  Timeline timeline, bool sketches) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  Problem problem;
  problem.cluster.workers = 1 + rng() % 16;
  for (int c = 0; c < 3; ++c) {
    problem.cluster.alphaUs[c] = 10.0 + 2000.0 * unit(rng);
    problem.cluster.betaUsPerByte[c] = 1e-4 + 1e-2 * unit(rng);
  }
  problem.cluster.sparsifyUs = 50.0 * unit(rng);
  problem.cluster.sparsifyUsPerElement = 1e-3 * unit(rng);
  // Derived, not drawn, so that the instances stay those of before.
  problem.cluster.decompressUsPerElement =
      0.5 * problem.cluster.sparsifyUsPerElement;
  problem.cluster.bucketUs = 0.1 * problem.cluster.sparsifyUs;
  problem.cluster.timeline = timeline;
  problem.sparseMethod = Method(1 + rng() % 3); // topk, topk-sampled, gtopk
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

Problem agtf::test::randomSketchedProblem(std::mt19937 &rng, size_t n) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  Problem problem;
  for (size_t i = 0; i < n; ++i) {
    Tensor t;
    t.numel = 1 + int64_t(std::pow(10.0, 6.0 * unit(rng)));
    t.density = unit(rng) < 0.3 ? 1.0 : std::pow(10.0, -3.5 * unit(rng));
    double scale = 0.01 + unit(rng), a = 0.05 + 2.0 * unit(rng),
           b = 0.05 + 0.9 * unit(rng);
    int shape = rng() % 8;
    for (double f : {1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0}) {
      double th = f == 1.0 ? 0.0 : scale * std::pow(f, -a);
      if (shape == 0 && f < 1e-2) // a plateau
        th = scale * std::pow(1e-2, -a);
      if (shape == 1 && f > 1e-3) // magnitudes mostly zero
        th = 0.0;
      t.kept.push_back(f);
      t.threshold.push_back(th);
      t.energy.push_back(std::pow(f, b));
    }
    problem.tensors.push_back(t);
  }
  return problem;
}

std::vector<Problem> agtf::test::randomProblems(unsigned seed, int count,
                                                size_t maxTensors,
                                                bool sketches) {
  std::mt19937 rng(seed);
  std::vector<Problem> problems;
  for (int i = 0; i < count; ++i) {
    size_t n = 1 + rng() % maxTensors;
    problems.push_back(randomProblem(
        rng, n, i % 2 ? Timeline::Stream : Timeline::Serial, sketches));
  }
  return problems;
}

std::vector<Partition> agtf::test::allPartitions(size_t n) {
  std::vector<Partition> result;
  // Bit i of `cuts` ends a bucket after tensor i + 1.
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
