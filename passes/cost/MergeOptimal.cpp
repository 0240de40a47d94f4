//===- MergeOptimal.cpp - the exact optimum -------------------------------===//

#include "passes/cost/MergeSolvers.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <limits>
#include <map>

using namespace agtf::cost;

namespace {
/// One Pareto-optimal way to plan a prefix.
struct Label {
  double clock; // serial: sum of ts so far; stream: sparsify-stream end
  double commEnd;
  double noise;
  uint32_t begin;  // start of the last bucket
  uint32_t parent; // label index at `begin`
};

constexpr double kNegInf = -std::numeric_limits<double>::infinity();
constexpr double kInf = std::numeric_limits<double>::infinity();

/// What a run of buckets does to a timeline state (s, c), s the
/// sparsification clock and c the communication end:
///   s' = max(s + a, k1),  c' = max(c + d, s + e, k2).
/// One bucket of either timeline of §4 is such a max-plus map, and the
/// maps are closed under composition, so a fixed suffix of a plan prices
/// any prefix state in O(1).
struct StateMap {
  double a, k1, d, e, k2;
};

constexpr StateMap kIdentity = {0.0, kNegInf, 0.0, kNegInf, kNegInf};

StateMap bucketMap(const BucketCost &cost, double backward, bool serial) {
  double ts = cost.sparsifyUs, tc = cost.commUs;
  if (serial) // s' = s + ts, c' = max(c, B + s') + tc
    return {ts, kNegInf, tc, backward + ts + tc, kNegInf};
  // s' = max(s, B) + ts, c' = max(c, s') + tc
  return {ts, backward + ts, tc, ts + tc, backward + ts + tc};
}

/// `f`, then `g`.
StateMap compose(const StateMap &f, const StateMap &g) {
  return {f.a + g.a, std::max(f.k1 + g.a, g.k1), f.d + g.d,
          std::max(f.e + g.d, f.a + g.e),
          std::max({f.k2 + g.d, f.k1 + g.e, g.k2})};
}

/// Communication end after `m` from (s, c).
double commEndAfter(const StateMap &m, double s, double c) {
  return std::max({c + m.d, s + m.e, m.k2});
}
} // namespace

Partition agtf::cost::mergeOptimal(const CostTable &table,
                                   const NoiseModel *noise,
                                   std::optional<double> noiseBudget,
                                   OptimalSearch search) {
  const Problem &problem = table.getProblem();
  size_t n = problem.tensors.size();
  if (n == 0)
    return {};
  bool serial = problem.cluster.timeline == Timeline::Serial;
  bool guarded = noiseBudget.has_value() && noise;
  bool bounded = search == OptimalSearch::BranchAndBound;
  double budget = guarded ? *noiseBudget + 1e-12 : 0.0;
  // Noise sums are rounded in different orders below; prune on noise only
  // beyond this margin.
  double noiseCutoff = budget + 1e-9 * std::max(1.0, std::abs(budget));
  double backwardAll = table.backwardUntil(n);
  // The iteration time less forward and update, from the final comm end.
  auto tailOf = [&](double commEnd) {
    return serial ? commEnd : std::max(backwardAll, commEnd);
  };
  auto stepOf = [&](size_t i, size_t j) {
    return bucketMap(table.bucket(i, j), table.backwardUntil(j), serial);
  };

  // Under the guard every bucket's noise is needed (for minNoise below),
  // row by row from the last. A bucket [i, j) that is likely too noisy for
  // any plan gets a lower bound of its noise instead, which is all that
  // minNoise and the pruning need; the exact noise is computed, from where
  // the bound's search stopped, when a use needs it.
  std::vector<std::vector<double>> pairNoise(guarded ? n : 0);
  std::vector<std::vector<bool>> pairExact(guarded ? n : 0);
  std::vector<std::vector<double>> pairRoot(guarded ? n : 0);
  std::vector<double> minNoise(n + 1, 0.0), enough(n + 1, 0.0);
  // A lower bound of the noise of [i, j).
  auto noiseOf = [&](size_t i, size_t j) {
    return guarded ? pairNoise[i][j - i - 1] : 0.0;
  };
  auto exactNoiseOf = [&](size_t i, size_t j) {
    if (!guarded)
      return 0.0;
    if (!pairExact[i][j - i - 1]) {
      pairNoise[i][j - i - 1] = noise->bucket(i, j, pairRoot[i][j - i - 1]);
      pairExact[i][j - i - 1] = true;
    }
    return pairNoise[i][j - i - 1];
  };

  // Branch and bound around the exact DP below. low[j] bounds, entry by
  // entry, the map of every plan of the suffix [j, n): composition is
  // monotone in both maps' entries, so the entrywise minimum over first
  // buckets of compose(bucket, low[k]) is below every suffix plan's map.
  // minNoise[j] bounds the noise of any plan of [j, n). A label whose
  // best completion under low[j] is slower than a known plan, or whose
  // noise plus minNoise[j] exceeds the budget, is no ancestor of a better
  // plan and is dropped. The known plans complete labels with a few
  // concrete suffix plans: layer-wise, the least noisy one, and the ones
  // that attain each entry of low[] greedily, among all suffix plans and,
  // under the guard, among those whose buckets are each no noisier than
  // layer-wise.
  // kMinD, kMinE, kMinK2 and kCalmD, kCalmE, kCalmK2 each in this order.
  enum {
    kLayerwise,
    kMinD,
    kMinE,
    kMinK2,
    kMinNoise,
    kCalmD,
    kCalmE,
    kCalmK2,
    kNumSuffixes
  };
  int numSuffixes = guarded ? kNumSuffixes : kMinNoise;
  std::vector<StateMap> low(n + 1, kIdentity), calmLow(n + 1, kIdentity);
  std::vector<std::array<StateMap, kNumSuffixes>> suffixMap(n + 1);
  std::vector<std::array<uint32_t, kNumSuffixes>> suffixNext(n + 1);
  std::vector<std::array<double, kNumSuffixes>> suffixNoise(n + 1);
  suffixMap[n].fill(kIdentity);
  suffixNoise[n].fill(0.0);
  enough[n] = noiseCutoff;
  std::vector<double> rowEnough(n + 1, 0.0);
  for (size_t j = n; j-- > 0;) {
    if (guarded) {
      // Labels at j carry about the layer-wise noise of [0, j). That is a
      // guess, not a bound: a bucket bounded here only has its exact noise
      // computed on first use.
      for (size_t k = j + 1; k <= n; ++k)
        rowEnough[k] = enough[k] - noise->layerwise(j);
      pairNoise[j] = noise->bucketsFrom(j, bounded ? &rowEnough : nullptr,
                                        &pairExact[j], &pairRoot[j]);
    }
    if (!bounded)
      continue;
    StateMap best = {0.0, 0.0, kInf, kInf, kInf}, calm = best;
    std::array<uint32_t, kNumSuffixes> arg;
    arg.fill(uint32_t(j + 1));
    double bestNoise = kInf;
    double layerwiseFrom = guarded ? noise->layerwise(j) : 0.0;
    // Lowers each entry of `bound` that `m` beats; k attains it: the
    // suffix kinds first, first + 1 and first + 2 follow d, e and k2.
    auto lower = [&](StateMap &bound, const StateMap &m, int first, size_t k) {
      if (m.d < bound.d)
        bound.d = m.d, arg[first] = k;
      if (m.e < bound.e)
        bound.e = m.e, arg[first + 1] = k;
      if (m.k2 < bound.k2)
        bound.k2 = m.k2, arg[first + 2] = k;
    };
    for (size_t k = j + 1; k <= n; ++k) {
      StateMap step = stepOf(j, k);
      lower(best, compose(step, low[k]), kMinD, k);
      if (!guarded)
        continue;
      double bucketNoise = noiseOf(j, k);
      if (bucketNoise + minNoise[k] < bestNoise)
        bestNoise = bucketNoise + minNoise[k], arg[kMinNoise] = k;
      if (bucketNoise > noise->layerwise(k) - layerwiseFrom ||
          exactNoiseOf(j, k) > noise->layerwise(k) - layerwiseFrom)
        continue;
      lower(calm, compose(step, calmLow[k]), kCalmD, k);
    }
    low[j] = best;
    calmLow[j] = calm;
    minNoise[j] = guarded ? bestNoise : 0.0;
    enough[j] = noiseCutoff - minNoise[j];
    for (int kind = 0; kind < numSuffixes; ++kind) {
      uint32_t k = arg[kind];
      suffixNext[j][kind] = k;
      suffixMap[j][kind] = compose(stepOf(j, k), suffixMap[k][kind]);
      suffixNoise[j][kind] = exactNoiseOf(j, k) + suffixNoise[k][kind];
    }
  }
  auto lowerBound = [&](size_t j, double s, double c) {
    return tailOf(commEndAfter(low[j], s, c));
  };

  // The best known plan: a label and the suffix plan completing it.
  double upper = kInf, cutoff = kInf;
  size_t upperAt = 0;
  uint32_t upperLabel = 0;
  int upperKind = kLayerwise;
  auto tryCompletions = [&](size_t j, uint32_t l, const Label &label) {
    if (!bounded)
      return;
    for (int kind = 0; kind < numSuffixes; ++kind) {
      if (guarded && label.noise + suffixNoise[j][kind] > budget)
        continue;
      double t =
          tailOf(commEndAfter(suffixMap[j][kind], label.clock, label.commEnd));
      if (t < upper) {
        upper = t;
        // Rounding differs between this bound and the DP's own sums: keep
        // whatever is within a hair of the best known time.
        cutoff = upper + 1e-9 * std::max(1.0, std::abs(upper));
        upperAt = j, upperLabel = l, upperKind = kind;
      }
    }
  };

  // fronts[j]: labels for tensors [0, j), none dominated by another.
  std::vector<std::vector<Label>> fronts(n + 1);
  // Componentwise least clock, comm end and noise of each front.
  std::vector<double> leastClock(n + 1), leastCommEnd(n + 1), leastNoise(n + 1);
  fronts[0].push_back({0.0, 0.0, 0.0, 0, 0});
  leastClock[0] = leastCommEnd[0] = leastNoise[0] = 0.0;
  tryCompletions(0, 0, fronts[0][0]);
  std::vector<Label> candidates;
  std::map<double, double> staircase;
  for (size_t j = 1; j <= n; ++j) {
    candidates.clear();
    double backward = table.backwardUntil(j);
    for (size_t i = j; i-- > 0;) {
      const std::vector<Label> &from = fronts[i];
      if (from.empty())
        continue;
      if (guarded && leastNoise[i] + noiseOf(i, j) + minNoise[j] > noiseCutoff)
        continue;
      double bucketNoise = exactNoiseOf(i, j);
      StateMap step = bucketMap(table.bucket(i, j), backward, serial);
      // Every label of fronts[i] lands at or above this point.
      double floorClock = std::max(leastClock[i] + step.a, step.k1);
      double floorEnd = commEndAfter(step, leastClock[i], leastCommEnd[i]);
      if (lowerBound(j, floorClock, floorEnd) > cutoff)
        continue;
      for (uint32_t l = 0; l < from.size(); ++l) {
        const Label &f = from[l];
        Label to;
        to.noise = f.noise + bucketNoise;
        if (guarded &&
            (to.noise > budget || to.noise + minNoise[j] > noiseCutoff))
          continue;
        to.clock = std::max(f.clock + step.a, step.k1);
        to.commEnd = commEndAfter(step, f.clock, f.commEnd);
        if (lowerBound(j, to.clock, to.commEnd) > cutoff)
          continue;
        to.begin = uint32_t(i);
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
      // earlier kept one has commEnd and noise no larger. `staircase` maps
      // commEnd to the least noise kept at or below it, noise falling as
      // commEnd grows, so that test is one lookup.
      staircase.clear();
      for (const Label &c : candidates) {
        auto above = staircase.upper_bound(c.commEnd);
        if (above != staircase.begin() && std::prev(above)->second <= c.noise)
          continue;
        front.push_back(c);
        // Entries at or after c.commEnd with noise >= c.noise are covered.
        auto it = staircase.lower_bound(c.commEnd);
        while (it != staircase.end() && it->second >= c.noise)
          it = staircase.erase(it);
        staircase[c.commEnd] = c.noise;
      }
    }
    leastClock[j] = leastCommEnd[j] = leastNoise[j] = kInf;
    for (uint32_t l = 0; l < front.size(); ++l) {
      leastClock[j] = std::min(leastClock[j], front[l].clock);
      leastCommEnd[j] = std::min(leastCommEnd[j], front[l].commEnd);
      leastNoise[j] = std::min(leastNoise[j], front[l].noise);
      tryCompletions(j, l, front[l]);
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
  auto fastestOfLast = [&] {
    uint32_t bestLabel = 0;
    for (uint32_t l = 1; l < last.size(); ++l)
      if (tailOf(last[l].commEnd) < tailOf(last[bestLabel].commEnd))
        bestLabel = l;
    return prefixOf(n, bestLabel);
  };
  // Without bounds only dominated labels and labels over the budget are
  // dropped, and the layer-wise plan meets the budget: the front is never
  // empty.
  if (!bounded) {
    assert(!last.empty() && "the layer-wise plan is always feasible");
    return fastestOfLast();
  }

  Partition known = prefixOf(upperAt, upperLabel);
  for (size_t j = upperAt; j < n; j = suffixNext[j][upperKind])
    known.push_back(suffixNext[j][upperKind]);
  // The bounds keep every label whose plans may beat the best known one,
  // so the final front holds the optimum; the known plan stands in only if
  // rounding dropped it.
  if (last.empty())
    return known;
  Partition plan = fastestOfLast();
  if (simulate(table, known).iterUs < simulate(table, plan).iterUs)
    return known;
  return plan;
}
