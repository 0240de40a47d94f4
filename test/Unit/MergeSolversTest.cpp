//===- MergeSolversTest.cpp - optimal merging against brute force ---------===//

#include "passes/MergeSolvers.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
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

/// One Pareto-optimal way to plan a prefix.
struct RefLabel {
  double clock; // serial: sum of ts so far; stream: sparsify-stream end
  double commEnd;
  double noise;
  size_t begin;    // start of the last bucket
  uint32_t parent; // label index at `begin`
};

/// The DP of mergeOptimal without its bounds: every prefix keeps its whole
/// Pareto front (the solver before branch and bound).
Partition referenceOptimal(const CostTable &table,
                                   const NoiseModel *noise,
                                   std::optional<double> noiseBudget) {
  const Problem &problem = table.getProblem();
  size_t n = problem.tensors.size();
  bool serial = problem.cluster.timeline == Timeline::Serial;
  bool guarded = noiseBudget.has_value() && noise;
  double budget = guarded ? *noiseBudget + 1e-12 : 0.0;

  // fronts[j]: labels for tensors [0, j), none dominated by another.
  std::vector<std::vector<RefLabel>> fronts(n + 1);
  fronts[0].push_back({0.0, 0.0, 0.0, 0, 0});
  std::vector<RefLabel> candidates;
  for (size_t j = 1; j <= n; ++j) {
    candidates.clear();
    double backward = table.backwardUntil(j);
    for (size_t i = 0; i < j; ++i) {
      BucketCost cost = table.bucket(i, j);
      double bucketNoise = guarded ? noise->bucket(i, j) : 0.0;
      for (uint32_t l = 0; l < fronts[i].size(); ++l) {
        const RefLabel &from = fronts[i][l];
        RefLabel to;
        double ready;
        if (serial) {
          to.clock = from.clock + cost.sparsifyUs;
          ready = backward + to.clock;
        } else {
          to.clock = std::max(from.clock, backward) + cost.sparsifyUs;
          ready = to.clock;
        }
        to.commEnd = std::max(from.commEnd, ready) + cost.commUs;
        to.noise = from.noise + bucketNoise;
        if (guarded && to.noise > budget)
          continue;
        to.begin = i;
        to.parent = l;
        candidates.push_back(to);
      }
    }
    // Keep the non-dominated candidates: sort by clock, then sweep.
    std::sort(candidates.begin(), candidates.end(),
              [](const RefLabel &a, const RefLabel &b) {
                if (a.clock != b.clock)
                  return a.clock < b.clock;
                if (a.commEnd != b.commEnd)
                  return a.commEnd < b.commEnd;
                return a.noise < b.noise;
              });
    // With candidates in clock order, a candidate is dominated when an
    // earlier kept one has commEnd and noise no larger. `staircase` maps
    // commEnd to the least noise kept at or below it, noise falling as
    // commEnd grows, so that test is one lookup.
    std::vector<RefLabel> &front = fronts[j];
    std::map<double, double> staircase;
    for (const RefLabel &c : candidates) {
      auto above = staircase.upper_bound(c.commEnd);
      if (above != staircase.begin() && std::prev(above)->second <= c.noise)
        continue;
      front.push_back(c);
      // Entries at or after c.commEnd with noise >= c.noise are now covered.
      auto it = staircase.lower_bound(c.commEnd);
      while (it != staircase.end() && it->second >= c.noise)
        it = staircase.erase(it);
      staircase[c.commEnd] = c.noise;
    }
  }

  // The label with the least iteration time. The layer-wise plan always
  // meets the budget, so the front is never empty.
  const std::vector<RefLabel> &last = fronts[n];
  assert(!last.empty() && "the layer-wise plan is always feasible");
  double backwardAll = table.backwardUntil(n);
  auto tail = [&](const RefLabel &l) {
    return serial ? l.commEnd : std::max(backwardAll, l.commEnd);
  };
  uint32_t bestRefLabel = 0;
  for (uint32_t l = 1; l < last.size(); ++l)
    if (tail(last[l]) < tail(last[bestRefLabel]))
      bestRefLabel = l;
  Partition plan;
  size_t j = n;
  uint32_t l = bestRefLabel;
  while (j > 0) {
    plan.push_back(j);
    const RefLabel &label = fronts[j][l];
    j = label.begin;
    l = label.parent;
  }
  std::reverse(plan.begin(), plan.end());
  return plan;
}

/// The relative noise of a fully sketched bucket as the model defines it:
/// 40 halvings of log(theta), each deciding by keptAt (the solver before
/// its Newton shortcut).
/// Fraction of elements whose magnitude is at least theta; `logKept` holds
/// log(t.kept).
double refFractionAbove(const Tensor &t, const std::vector<double> &logKept,
                     double theta) {
  const auto &th = t.threshold;
  const auto &f = t.kept;
  if (theta >= th.front())
    return th.front() > 0.0 ? f.front() * th.front() / theta : 0.0;
  if (theta <= th.back())
    return f.back();
  auto it = std::lower_bound(th.begin(), th.end(), theta, std::greater<>());
  size_t hi = it - th.begin(); // th[hi] <= theta < th[hi-1]
  size_t lo = hi - 1;
  double span = th[lo] - th[hi];
  double w = span > 0.0 ? (th[lo] - theta) / span : 1.0;
  return std::exp((1.0 - w) * logKept[lo] + w * logKept[hi]);
}

/// Fraction of squared norm kept by the top fraction `kept`.
double refEnergyKept(const Tensor &t, const std::vector<double> &logKept,
                  double kept) {
  const auto &f = t.kept;
  const auto &e = t.energy;
  if (kept <= f.front())
    return e.front() * kept / f.front();
  if (kept >= f.back())
    return e.back();
  auto it = std::lower_bound(f.begin(), f.end(), kept);
  size_t hi = it - f.begin();
  size_t lo = hi - 1;
  double w = (std::log(kept) - logKept[lo]) / (logKept[hi] - logKept[lo]);
  return (1.0 - w) * e[lo] + w * e[hi];
}

double referenceRelative(const Problem &problem, size_t begin, size_t end) {
  const auto &tensors = problem.tensors;
  std::vector<std::vector<double>> logKept(tensors.size());
  for (size_t i = 0; i < tensors.size(); ++i)
    for (double f : tensors[i].kept)
      logKept[i].push_back(std::log(f));
  double n = 0.0, k = 0.0;
  for (size_t i = begin; i < end; ++i) {
    n += double(tensors[i].numel);
    k += double(tensors[i].keptCount());
  }
  if (k >= n)
    return 0.0;
  auto keptAt = [&](double theta) {
    double sum = 0.0;
    for (size_t i = begin; i < end; ++i)
      sum += double(tensors[i].numel) *
             refFractionAbove(tensors[i], logKept[i], theta);
    return sum;
  };
  // Bisect log(theta): keptAt falls as theta grows.
  double hi = 0.0;
  for (size_t i = begin; i < end; ++i)
    hi = std::max(hi, tensors[i].threshold.front());
  if (hi <= 0.0)
    return 0.0; // all-zero gradients lose nothing
  double lo = hi;
  for (size_t i = begin; i < end; ++i)
    for (double t : tensors[i].threshold)
      if (t > 0.0)
        lo = std::min(lo, t);
  double logLo = std::log(lo) - 1.0, logHi = std::log(hi) + 12.0;
  for (int iter = 0; iter < 40; ++iter) {
    double mid = 0.5 * (logLo + logHi);
    if (keptAt(std::exp(mid)) > k)
      logLo = mid;
    else
      logHi = mid;
  }
  double theta = std::exp(0.5 * (logLo + logHi));
  double noise = 0.0;
  for (size_t i = begin; i < end; ++i) {
    double f = std::min(1.0, refFractionAbove(tensors[i], logKept[i], theta));
    noise += 1.0 - refEnergyKept(tensors[i], logKept[i], f);
  }
  return noise;
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

/// Instances too large for brute force: the bounded DP must find the
/// unbounded DP's optimum. Cheap sparsification and latency-bound
/// communication make long buckets and wide fronts, where pruning bites.
void checkAgainstReference(Timeline timeline, bool guard, NoiseKind kind,
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
    double want = simulate(table, referenceOptimal(table, &noise, budget)).iterUs;
    Partition plan = mergeOptimal(table, &noise, budget);
    EXPECT_NEAR(simulate(table, plan).iterUs, want, 1e-9 * std::max(1.0, want))
        << "instance " << instance << " n=" << n;
    if (budget)
      EXPECT_LE(noise.plan(plan), *budget + 1e-9);
  }
}

TEST(MergeOptimal, MatchesUnboundedDP) {
  checkAgainstReference(Timeline::Serial, false, NoiseKind::Relative, 7, 100);
  checkAgainstReference(Timeline::Stream, false, NoiseKind::Relative, 8, 100);
  checkAgainstReference(Timeline::Serial, true, NoiseKind::Relative, 9, 50);
  checkAgainstReference(Timeline::Stream, true, NoiseKind::Relative, 10, 50);
  checkAgainstReference(Timeline::Serial, true, NoiseKind::AgtfNorm, 11, 50);
  checkAgainstReference(Timeline::Stream, true, NoiseKind::AgtfNorm, 12, 50);
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

TEST(NoiseModel, RelativeMatchesBisectionBitForBit) {
  // Sketches from flat to steep, with repeated and zero thresholds.
  std::mt19937 rng(13);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int instance = 0; instance < 40; ++instance) {
    Problem problem;
    size_t n = 1 + rng() % 60;
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
    CostTable table(problem);
    NoiseModel noise(table, NoiseKind::Relative);
    for (size_t i = 0; i < n; ++i) {
      std::vector<double> row = noise.bucketsFrom(i);
      // Bounds where the noise exceeds `enough`, resumed searches.
      std::vector<double> enough(n + 1), roots;
      for (double &e : enough)
        e = 3.0 * unit(rng);
      std::vector<bool> exact;
      std::vector<double> bounded =
          noise.bucketsFrom(i, &enough, &exact, &roots);
      for (size_t j = i + 1; j <= n; ++j) {
        double want = referenceRelative(problem, i, j);
        EXPECT_EQ(noise.bucket(i, j), want) << i << " " << j;
        EXPECT_EQ(row[j - i - 1], want) << i << " " << j;
        EXPECT_EQ(noise.bucket(i, j, roots[j - i - 1]), want);
        if (exact[j - i - 1]) {
          EXPECT_EQ(bounded[j - i - 1], want);
        } else {
          EXPECT_LE(bounded[j - i - 1], want);
          EXPECT_GT(bounded[j - i - 1], enough[j]);
        }
      }
    }
  }
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
  // Sampled top-k and DGC: the counts' allgather (8 bytes a rank) first.
  for (Method sampled : {Method::TopKSampled, Method::DGC})
    EXPECT_DOUBLE_EQ(commCost(problem.cluster, sampled, 1000, 10, 0),
                     4 * 10.0 + 15 * 8 * 0.01 + 4 * 10.0 + 15 * 10 * 8 * 0.01);
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
