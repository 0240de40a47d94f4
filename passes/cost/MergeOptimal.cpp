//===- MergeOptimal.cpp - the exact optimum -------------------------------===//

#include "passes/cost/MergeSolvers.h"
#include "passes/cost/OptimalBounds.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

using namespace agtf::cost;

namespace {
/// One Pareto-optimal way to plan a prefix.
struct Label {
  double clock; // serial: sum of ts so far; stream: sparsify-stream end
  double commEnd;
  // Exact, unless `free`: then a lower bound (the exact noise of a bucket
  // that a free label extends is never needed).
  double noise;
  uint32_t begin;  // start of the last bucket
  uint32_t parent; // label index at `begin`
  // Every plan through this label meets the budget (its noise plus the
  // suffix's most noise fits it).
  bool free;
};

constexpr double kInf = std::numeric_limits<double>::infinity();
} // namespace

Partition agtf::cost::mergeOptimal(const CostTable &table,
                                   const NoiseModel *noise,
                                   std::optional<double> noiseBudget,
                                   OptimalSearch search, double gap,
                                   OptimalityCertificate *certificate) {
  const Problem &problem = table.getProblem();
  size_t n = problem.tensors.size();
  if (n == 0) {
    if (certificate)
      *certificate = {problem.forwardUs + problem.updateUs,
                      problem.forwardUs + problem.updateUs};
    return {};
  }
  bool serial = problem.cluster.timeline == Timeline::Serial;
  bool guarded = noiseBudget.has_value() && noise;
  // A plan whose noise equals the budget up to rounding (sums of the same
  // terms in another order) is within it, at any scale of noise.
  double budget = guarded ? *noiseBudget * (1.0 + 1e-12) : 0.0;
  // Noise sums are rounded in different orders below; prune on noise only
  // beyond this margin.
  double noiseCutoff = budget + 1e-9 * std::max(1.0, std::abs(budget));
  double backwardAll = table.backwardUntil(n);
  // The iteration time less forward and update, from the final comm end.
  auto tailOf = [&](double commEnd) {
    return serial ? commEnd : std::max(backwardAll, commEnd);
  };

  // Under the guard every bucket's noise is needed: lower bounds for the
  // bounds, exact where a label takes the bucket (OptimalBounds.h).
  BucketNoiseTable bucketNoise(table, guarded ? noise : nullptr);
  std::optional<SuffixBounds> bounds;
  if (search == OptimalSearch::BranchAndBound)
    bounds.emplace(table, guarded ? noise : nullptr, bucketNoise, budget,
                   noiseCutoff, gap == 0.0);
  else
    for (size_t i = 0; i < n; ++i)
      bucketNoise.computeRow(i);
  auto minNoise = [&](size_t j) { return bounds ? bounds->minNoise(j) : 0.0; };
  auto maxNoise = [&](size_t j) { return bounds ? bounds->maxNoise(j) : kInf; };
  // A state at j whose every completion is slower than the known plan by a
  // factor 1 + gap, in iteration time: the plan found is within that factor
  // of the optimum (docs/passes.md). The least bound of the states dropped
  // bounds the optimum from below, unless the search keeps the optimum.
  double fixedUs = problem.forwardUs + problem.updateUs;
  double leastDropped = kInf;
  auto hopeless = [&](size_t j, double s, double c, double noise) {
    if (!bounds)
      return false;
    double enough = (fixedUs + bounds->cutoff()) / (1.0 + gap) - fixedUs;
    double bound = bounds->lowerBound(j, s, c, noise, enough);
    if (bound <= enough)
      return false;
    leastDropped = std::min(leastDropped, bound);
    return true;
  };
  auto offer = [&](size_t j, uint32_t l, const Label &label) {
    if (bounds)
      bounds->offer(j, l, label.clock, label.commEnd, label.noise);
  };

  // fronts[j]: labels for tensors [0, j), none dominated by another.
  std::vector<std::vector<Label>> fronts(n + 1);
  // Componentwise least clock, comm end and noise of each front.
  std::vector<double> leastClock(n + 1), leastCommEnd(n + 1), leastNoise(n + 1);
  fronts[0].push_back({0.0, 0.0, 0.0, 0, 0, false});
  leastClock[0] = leastCommEnd[0] = leastNoise[0] = 0.0;
  offer(0, 0, fronts[0][0]);
  std::vector<Label> candidates;
  std::map<double, double> staircase;
  for (size_t j = 1; j <= n; ++j) {
    candidates.clear();
    double backward = table.backwardUntil(j);
    for (size_t i = j; i-- > 0;) {
      const std::vector<Label> &from = fronts[i];
      if (from.empty())
        continue;
      if (guarded &&
          leastNoise[i] + bucketNoise.lowerBound(i, j) + minNoise(j) >
              noiseCutoff)
        continue;
      TimelineMap step = bucketMap(table.bucket(i, j), backward, serial);
      // Every label of fronts[i] lands at or above this point.
      double floorClock = clockAfter(step, leastClock[i]);
      double floorEnd = commEndAfter(step, leastClock[i], leastCommEnd[i]);
      if (hopeless(j, floorClock, floorEnd,
                   leastNoise[i] + bucketNoise.lowerBound(i, j)))
        continue;
      // A free label's extensions are free: the suffix bound at i covers
      // this bucket's noise plus the suffix bound at j.
      double thisNoise = std::numeric_limits<double>::quiet_NaN();
      for (uint32_t l = 0; l < from.size(); ++l) {
        const Label &f = from[l];
        Label to;
        to.free = f.free;
        if (f.free) {
          to.noise = f.noise + bucketNoise.lowerBound(i, j);
        } else {
          if (std::isnan(thisNoise))
            thisNoise = bucketNoise.exact(i, j);
          to.noise = f.noise + thisNoise;
          if (guarded &&
              (to.noise > budget || to.noise + minNoise(j) > noiseCutoff))
            continue;
        }
        to.clock = clockAfter(step, f.clock);
        to.commEnd = commEndAfter(step, f.clock, f.commEnd);
        if (hopeless(j, to.clock, to.commEnd, to.noise))
          continue;
        to.begin = uint32_t(i);
        to.parent = l;
        candidates.push_back(to);
      }
    }
    // A label that every plan of the rest keeps within the budget competes
    // on time alone: its noise no longer matters.
    double free = guarded ? budget - maxNoise(j) : 0.0;
    if (guarded)
      for (Label &c : candidates)
        c.free = c.free || c.noise <= free;
    auto effective = [&](const Label &label) {
      return label.free ? -kInf : label.noise;
    };
    // Keep the non-dominated candidates: sort by clock, then sweep.
    std::sort(candidates.begin(), candidates.end(),
              [&](const Label &a, const Label &b) {
                if (a.clock != b.clock)
                  return a.clock < b.clock;
                if (a.commEnd != b.commEnd)
                  return a.commEnd < b.commEnd;
                return effective(a) < effective(b);
              });
    std::vector<Label> &front = fronts[j];
    if (!guarded) {
      // Two dimensions: kept when its comm end beats every earlier one.
      double bestEnd = kInf;
      for (const Label &c : candidates)
        if (c.commEnd < bestEnd) {
          front.push_back(c);
          bestEnd = c.commEnd;
        }
    } else {
      // With candidates in clock order, a candidate is dominated when an
      // earlier kept one has commEnd and (effective) noise no larger.
      // `staircase` maps commEnd to the least noise kept at or below it,
      // noise falling as commEnd grows, so that test is one lookup.
      staircase.clear();
      for (const Label &c : candidates) {
        double noise = effective(c);
        auto above = staircase.upper_bound(c.commEnd);
        if (above != staircase.begin() && std::prev(above)->second <= noise)
          continue;
        front.push_back(c);
        // Entries at or after c.commEnd with noise >= c's are covered.
        auto it = staircase.lower_bound(c.commEnd);
        while (it != staircase.end() && it->second >= noise)
          it = staircase.erase(it);
        staircase[c.commEnd] = noise;
      }
    }
    leastClock[j] = leastCommEnd[j] = leastNoise[j] = kInf;
    for (uint32_t l = 0; l < front.size(); ++l) {
      leastClock[j] = std::min(leastClock[j], front[l].clock);
      leastCommEnd[j] = std::min(leastCommEnd[j], front[l].commEnd);
      leastNoise[j] = std::min(leastNoise[j], front[l].noise);
      offer(j, l, front[l]);
    }
  }

  auto prefixOf = [&](size_t j, uint32_t l) {
    Partition plan;
    while (j > 0) {
      plan.push_back(j);
      const Label &label = fronts[j][l];
      j = label.begin;
      l = label.parent;
    }
    std::reverse(plan.begin(), plan.end());
    return plan;
  };
  // The label with the least iteration time.
  const std::vector<Label> &last = fronts[n];
  // The labels price the comm lane alone; where it slows beside the
  // sparsify lane (hasBesideSparsify) that is a lower bound of each plan's
  // time, and the final front's plans are compared by the whole price.
  bool beside = hasBesideSparsify(problem.cluster);
  auto fastestOfLast = [&] {
    uint32_t bestLabel = 0;
    double bestUs = 0.0;
    for (uint32_t l = 0; l < last.size(); ++l) {
      double us = beside ? simulate(table, prefixOf(n, l)).iterUs
                         : tailOf(last[l].commEnd);
      if (l == 0 || us < bestUs)
        bestLabel = l, bestUs = us;
    }
    return prefixOf(n, bestLabel);
  };
  // Without bounds only dominated labels and labels over the budget are
  // dropped: the front is empty only when no plan meets the budget, and
  // the layer-wise plan stands in for one (the caller sees its noise).
  if (!bounds) {
    Partition plan =
        last.empty() ? mergeLayerwise(table.getProblem()) : fastestOfLast();
    if (certificate) {
      double iterUs = simulate(table, plan).iterUs;
      // Priced with the comm lane alone, the front holds the optimum.
      double lower = iterUs;
      for (const Label &label : last)
        lower = std::min(lower, fixedUs + tailOf(label.commEnd));
      *certificate = {iterUs, lower};
    }
    return plan;
  }

  // The bounds keep every label whose plans may beat the best known one by
  // the factor, so the final front holds such a plan unless the known plan
  // is one.
  Partition plan =
      bounds->knownPlan(prefixOf(bounds->knownPrefix(), bounds->knownLabel()));
  double iterUs = simulate(table, plan).iterUs;
  // The least time of the comm lane alone among the plans kept: the
  // optimum's under that price unless one of its labels was dropped.
  double aloneUs = simulate(table, plan, /*besideSparsify=*/false).iterUs;
  for (const Label &label : last)
    aloneUs = std::min(aloneUs, fixedUs + tailOf(label.commEnd));
  if (!last.empty()) {
    Partition fastest = fastestOfLast();
    double fastestUs = simulate(table, fastest).iterUs;
    if (fastestUs <= iterUs)
      plan = std::move(fastest), iterUs = fastestUs;
  }
  if (certificate) {
    // Either no label of the optimum's was dropped, and the plan is the
    // optimum, or one was, and its bound is below the optimum; the bound
    // of the empty prefix holds for every plan. Priced with the comm lane
    // alone, the optimum bounds the whole price's from below.
    double lower = std::max(fixedUs + bounds->lowerBound(0, 0.0, 0.0, 0.0),
                            std::min(aloneUs, fixedUs + leastDropped));
    *certificate = {iterUs, std::min(lower, iterUs)};
  }
  return plan;
}
