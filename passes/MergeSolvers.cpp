//===- MergeSolvers.cpp - merge strategies over a Problem -----------------===//

#include "passes/MergeSolvers.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <map>

using namespace agtf::cost;

Partition agtf::cost::mergeLayerwise(const Problem &problem) {
  Partition plan;
  for (size_t i = 1; i <= problem.tensors.size(); ++i)
    plan.push_back(i);
  return plan;
}

Partition agtf::cost::mergeSingle(const Problem &problem) {
  return {problem.tensors.size()};
}

Partition agtf::cost::mergeThreshold(const Problem &problem, int64_t bytes,
                                     int64_t firstBytes, int64_t elementBytes) {
  Partition plan;
  int64_t held = 0;
  size_t n = problem.tensors.size();
  for (size_t i = 0; i < n; ++i) {
    held += problem.tensors[i].numel * elementBytes;
    int64_t limit = plan.empty() ? firstBytes : bytes;
    if (held >= limit || i + 1 == n) {
      plan.push_back(i + 1);
      held = 0;
    }
  }
  return plan;
}

Partition agtf::cost::mergeMgwfbp(const CostTable &table) {
  const Problem &problem = table.getProblem();
  size_t n = problem.tensors.size();
  Partition plan = {1};
  for (size_t j = 1; j < n; ++j) {
    // The current last bucket's communication under the plan so far.
    PlanTimeline timeline = simulate(table, plan);
    const BucketTimes &last = timeline.buckets.back();
    Collective c = timeline.costs.back().sparse ? Collective::Allgather
                                                : Collective::Allreduce;
    double alpha = problem.cluster.alpha(c);
    double ready = table.backwardUntil(j + 1);
    bool merge =
        ready < last.end && (last.start > ready || ready - last.start < alpha);
    if (merge)
      plan.back() = j + 1;
    else
      plan.push_back(j + 1);
  }
  return plan;
}

Partition agtf::cost::mergeOmgs(const CostTable &table) {
  const Problem &problem = table.getProblem();
  size_t n = problem.tensors.size();
  Partition plan = {1};
  for (size_t j = 1; j < n; ++j) {
    PlanTimeline timeline = simulate(table, plan);
    size_t begin = plan.size() > 1 ? plan[plan.size() - 2] : 0;
    BucketCost group = table.bucket(begin, j);
    BucketCost next = table.bucket(j, j + 1);
    BucketCost merged = table.bucket(begin, j + 1);
    const BucketTimes &last = timeline.buckets.back();
    // Waiting for tensor j delays the bucket by its backward time and the
    // extra sparsification, less the time the bucket would idle anyway.
    double slack = last.start - last.ready;
    double wait = problem.tensors[j].backwardUs + merged.sparsifyUs -
                  group.sparsifyUs - next.sparsifyUs - slack;
    double save = group.commUs + next.commUs - merged.commUs;
    if (wait < save)
      plan.back() = j + 1;
    else
      plan.push_back(j + 1);
  }
  return plan;
}

Partition agtf::cost::mergeAgtf(const CostTable &table, const NoiseModel &noise,
                                double tolerance) {
  size_t n = table.getProblem().tensors.size();
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> best(n + 1, inf), bestNoise(n + 1, 0.0);
  std::vector<size_t> parent(n + 1, 0);
  best[0] = 0.0;
  for (size_t j = 1; j <= n; ++j) {
    double limit = (1.0 + tolerance) * noise.layerwise(j) + 1e-12;
    for (size_t i = 0; i < j; ++i) {
      double candidateNoise = bestNoise[i] + noise.bucket(i, j);
      // A single-tensor bucket is the layer-wise choice, always allowed.
      if (j - i > 1 && candidateNoise > limit)
        continue;
      double end =
          std::max(best[i], table.backwardUntil(j)) + table.bucket(i, j).commUs;
      if (end < best[j]) {
        best[j] = end;
        bestNoise[j] = candidateNoise;
        parent[j] = i;
      }
    }
  }
  Partition plan;
  for (size_t j = n; j > 0; j = parent[j])
    plan.push_back(j);
  std::reverse(plan.begin(), plan.end());
  return plan;
}

namespace {
/// One Pareto-optimal way to plan a prefix.
struct Label {
  double clock; // serial: sum of ts so far; stream: sparsify-stream end
  double commEnd;
  double noise;
  size_t begin;    // start of the last bucket
  uint32_t parent; // label index at `begin`
};
} // namespace

Partition agtf::cost::mergeOptimal(const CostTable &table,
                                   const NoiseModel *noise,
                                   std::optional<double> noiseBudget) {
  const Problem &problem = table.getProblem();
  size_t n = problem.tensors.size();
  bool serial = problem.cluster.timeline == Timeline::Serial;
  bool guarded = noiseBudget.has_value() && noise;
  double budget = guarded ? *noiseBudget + 1e-12 : 0.0;

  // fronts[j]: labels for tensors [0, j), none dominated by another.
  std::vector<std::vector<Label>> fronts(n + 1);
  fronts[0].push_back({0.0, 0.0, 0.0, 0, 0});
  std::vector<Label> candidates;
  for (size_t j = 1; j <= n; ++j) {
    candidates.clear();
    double backward = table.backwardUntil(j);
    for (size_t i = 0; i < j; ++i) {
      BucketCost cost = table.bucket(i, j);
      double bucketNoise = guarded ? noise->bucket(i, j) : 0.0;
      for (uint32_t l = 0; l < fronts[i].size(); ++l) {
        const Label &from = fronts[i][l];
        Label to;
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
              [](const Label &a, const Label &b) {
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
    std::vector<Label> &front = fronts[j];
    std::map<double, double> staircase;
    for (const Label &c : candidates) {
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
  const std::vector<Label> &last = fronts[n];
  assert(!last.empty() && "the layer-wise plan is always feasible");
  double backwardAll = table.backwardUntil(n);
  auto tail = [&](const Label &l) {
    return serial ? l.commEnd : std::max(backwardAll, l.commEnd);
  };
  uint32_t bestLabel = 0;
  for (uint32_t l = 1; l < last.size(); ++l)
    if (tail(last[l]) < tail(last[bestLabel]))
      bestLabel = l;
  Partition plan;
  size_t j = n;
  uint32_t l = bestLabel;
  while (j > 0) {
    plan.push_back(j);
    const Label &label = fronts[j][l];
    j = label.begin;
    l = label.parent;
  }
  std::reverse(plan.begin(), plan.end());
  return plan;
}
