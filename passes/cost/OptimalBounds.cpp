//===- OptimalBounds.cpp - the bounds of mergeOptimal's search ------------===//

#include "passes/cost/OptimalBounds.h"
#include "passes/cost/PlanRepair.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

using namespace agtf::cost;

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr TimelineMap kNoPlan = {0.0, 0.0, kInf, kInf, kInf};

/// `m` with each entry raised by `w`: a bucket whose noise is priced at w.
TimelineMap raised(const TimelineMap &m, double w) {
  return {m.a + w, m.k1 + w, m.d + w, m.e + w, m.k2 + w};
}

/// Prices of noise: first a factor 2 apart, from 1/64 to 32 times the
/// layer-wise plan's tail per unit of the budget; then, around the one
/// whose bound of the whole problem is best, a factor 2^(1/4) apart (any
/// price gives a bound; a fine spread around the best lets each label take
/// one close to the best for the noise it has left).
constexpr int kCoarsePrices = 12, kCoarseBelow = 6;
constexpr int kFinePrices = 6, kFineSteps = 4; // 2^(+-i/4), i = 1, 2, 3
/// How many times a row of priced bounds tightens the noise bound of the
/// bucket its decisive entry comes from and finds the entry again.
constexpr int kTightRounds = 2;

/// The buckets [j, k) of one row that a plan within the budget may hold:
/// their ends, maps and noise: a lower bound, tight where it is exact or
/// was tightened.
struct BucketRow {
  size_t begin = 0;
  std::vector<uint32_t> ends;
  std::vector<TimelineMap> steps; // by end
  std::vector<double> noise;      // by end
  std::vector<char> tight;        // by end

  double exactNoise(BucketNoiseTable &table, size_t end) {
    noise[end] = table.exact(begin, end), tight[end] = 1;
    return noise[end];
  }
  void tighten(BucketNoiseTable &table, size_t end) {
    noise[end] = table.tighten(begin, end), tight[end] = 1;
  }
};
} // namespace

BucketNoiseTable::BucketNoiseTable(const CostTable &table,
                                   const NoiseModel *noise)
    : noise(noise), numTensors(table.getProblem().tensors.size()),
      lower(noise ? numTensors : 0) {
  if (noise)
    bounds.emplace(table, *noise);
}

void BucketNoiseTable::computeRow(size_t i) {
  if (noise)
    bounds->row(i, lower[i]);
}

void BucketNoiseTable::upperRow(size_t i, std::vector<double> &upper) const {
  if (noise)
    bounds->upperRow(i, upper);
  else
    upper.assign(numTensors - i, 0.0);
}

double BucketNoiseTable::exact(size_t i, size_t j) {
  if (!noise)
    return 0.0;
  if (noise->isQuick(i, j))
    return noise->bucket(i, j);
  auto [it, inserted] = slowValues.emplace(key(i, j), 0.0);
  if (inserted)
    it->second = noise->bucket(i, j, bounds->startOfSearch(i, j));
  return it->second;
}

double BucketNoiseTable::tighten(size_t i, size_t j) {
  if (!noise)
    return 0.0;
  auto known = slowValues.find(key(i, j));
  double bound = known != slowValues.end()
                     ? known->second
                     : bounds->tightBound(i, j, lowerBound(i, j));
  float rounded = float(bound);
  if (double(rounded) > bound)
    rounded = std::nextafter(rounded, 0.0f);
  lower[i][j - i - 1] = std::max(lower[i][j - i - 1], rounded);
  return bound;
}

SuffixBounds::SuffixBounds(const CostTable &table, const NoiseModel *noise,
                           BucketNoiseTable &bucketNoise, double budget,
                           double noiseCutoff, bool tightenAll)
    : serial(table.getProblem().cluster.timeline == Timeline::Serial),
      budget(budget), n(table.getProblem().tensors.size()),
      low(n + 1, kIdentityMap), leastNoise(n + 1, 0.0), mostNoise(n + 1, 0.0),
      guarded(noise != nullptr), noiseTable(&bucketNoise), knownTime(kInf),
      knownCutoff(kInf) {
  backwardAll = table.backwardUntil(n);
  auto stepOf = [&](size_t i, size_t j) {
    return bucketMap(table.bucket(i, j), table.backwardUntil(j), serial);
  };
  // Prices need a budget to spend: with none, no plan may add noise.
  if (guarded && budget > 0.0) {
    TimelineMap layerwise = kIdentityMap;
    for (size_t j = 0; j < n; ++j)
      layerwise = compose(layerwise, stepOf(j, j + 1));
    double middle = tailOf(commEndAfter(layerwise, 0.0, 0.0)) / budget;
    for (int q = 0; q < kCoarsePrices; ++q)
      prices.push_back(std::ldexp(middle, q - kCoarseBelow));
  }
  size_t maxPrices = prices.empty() ? 0 : kCoarsePrices + kFinePrices;
  priced.assign((n + 1) * maxPrices, kIdentityMap);
  lastDecisive.assign(n + 1, 0);
  numSuffixes = guarded ? kNumFixedSuffixes + int(prices.size()) : kMinNoise;
  stride = guarded ? kNumFixedSuffixes + maxPrices : kMinNoise;
  suffixNext.assign((n + 1) * stride, 0);
  suffixMap.assign((n + 1) * stride, kIdentityMap);
  suffixNoise.assign((n + 1) * stride, 0.0);
  suffixExactNoise.assign((n + 1) * stride,
                          std::numeric_limits<double>::quiet_NaN());
  for (size_t kind = 0; kind < stride; ++kind)
    suffixExactNoise[n * stride + kind] = 0.0;

  // leastPrefix[j]: a lower bound of the noise of every plan of [0, j).
  // A bucket [j, k) whose noise bound, with the least noise before and
  // after it, exceeds the cutoff is in no plan within the budget: no bound
  // needs it.
  std::vector<double> leastPrefix(n + 1, 0.0);
  if (guarded) {
    std::fill(leastPrefix.begin() + 1, leastPrefix.end(), kInf);
    for (size_t i = 0; i < n; ++i) {
      bucketNoise.computeRow(i);
      for (size_t j = i + 1; j <= n; ++j)
        leastPrefix[j] = std::min(
            leastPrefix[j], leastPrefix[i] + bucketNoise.lowerBound(i, j));
    }
  }
  BucketRow row;
  row.steps.resize(n + 1);
  row.noise.assign(n + 1, 0.0);
  row.tight.assign(n + 1, 1);
  auto fillRow = [&](size_t j) {
    row.begin = j;
    row.ends.clear();
    for (size_t k = j + 1; k <= n; ++k)
      if (!guarded ||
          leastPrefix[j] + bucketNoise.lowerBound(j, k) + leastNoise[k] <=
              noiseCutoff) {
        row.ends.push_back(uint32_t(k));
        row.steps[k] = stepOf(j, k);
        row.tight[k] = bucketNoise.isQuick(j, k);
        row.noise[k] = row.tight[k] ? bucketNoise.exact(j, k)
                                    : bucketNoise.lowerBound(j, k);
      }
  };
  // Extends the concrete suffix plan of `kind` from j by its next bucket.
  auto extendSuffix = [&](size_t j, size_t kind, uint32_t k) {
    suffixNext[j * stride + kind] = k;
    suffixMap[j * stride + kind] =
        compose(stepOf(j, k), suffixMap[k * stride + kind]);
    suffixNoise[j * stride + kind] =
        row.noise[k] + suffixNoise[k * stride + kind];
  };
  // A lower bound of a bucket's noise lowers a priced bound: the bound
  // stays below every plan's. Where an entry comes from a bucket whose
  // noise bound is loose, the bound is tightened and the entry found
  // again, a few times: each time the bound can only rise. That is done
  // for the entry that decides the comm end from the layer-wise plan's
  // state at j, a state like the labels'. Returns the end that attains the
  // d entry.
  std::vector<double> layerwiseClock(n + 1, 0.0), layerwiseEnd(n + 1, 0.0);
  for (size_t j = 0; j < n; ++j) {
    TimelineMap step = stepOf(j, j + 1);
    layerwiseClock[j + 1] = clockAfter(step, layerwiseClock[j]);
    layerwiseEnd[j + 1] =
        commEndAfter(step, layerwiseClock[j], layerwiseEnd[j]);
  }
  auto pricedRow = [&](size_t q, bool tighten) {
    size_t j = row.begin;
    const TimelineMap *after = priced.data() + q * (n + 1);
    for (int round = 1;; ++round) {
      TimelineMap bound = kNoPlan;
      uint32_t argD = uint32_t(j + 1), argE = argD, argK2 = argD;
      for (uint32_t k : row.ends) {
        TimelineMap m =
            compose(raised(row.steps[k], prices[q] * row.noise[k]), after[k]);
        if (m.d < bound.d)
          bound.d = m.d, argD = k;
        if (m.e < bound.e)
          bound.e = m.e, argE = k;
        if (m.k2 < bound.k2)
          bound.k2 = m.k2, argK2 = k;
      }
      double viaD = layerwiseEnd[j] + bound.d;
      double viaE = layerwiseClock[j] + bound.e;
      uint32_t decisive = viaD >= viaE && viaD >= bound.k2 ? argD
                          : viaE >= bound.k2               ? argE
                                                           : argK2;
      bool again = tighten && round < kTightRounds && !row.ends.empty() &&
                   !row.tight[decisive];
      if (again)
        row.tighten(bucketNoise, decisive);
      else {
        priced[q * (n + 1) + j] = bound;
        return argD;
      }
    }
  };

  std::vector<TimelineMap> calmLow(n + 1, kIdentityMap);
  std::vector<uint32_t> arg(stride);
  std::vector<double> upperNoise;
  for (size_t j = n; j-- > 0;) {
    fillRow(j);
    TimelineMap best = kNoPlan, calm = kNoPlan;
    std::fill(arg.begin(), arg.end(), uint32_t(j + 1));
    double bestNoise = kInf;
    double layerwiseFrom = guarded ? noise->layerwise(j) : 0.0;
    if (guarded)
      bucketNoise.upperRow(j, upperNoise);
    // Lowers each entry of `bound` that `m` beats; k attains it: the
    // suffix kinds first, first + 1 and first + 2 follow d, e and k2.
    auto lower = [&](TimelineMap &bound, const TimelineMap &m, int first,
                     size_t k) {
      if (m.d < bound.d)
        bound.d = m.d, arg[first] = k;
      if (m.e < bound.e)
        bound.e = m.e, arg[first + 1] = k;
      if (m.k2 < bound.k2)
        bound.k2 = m.k2, arg[first + 2] = k;
    };
    for (uint32_t k : row.ends) {
      const TimelineMap &step = row.steps[k];
      lower(best, compose(step, low[k]), kMinD, k);
      if (!guarded)
        continue;
      if (row.noise[k] + leastNoise[k] < bestNoise)
        bestNoise = row.noise[k] + leastNoise[k], arg[kMinNoise] = k;
      double layerwiseNoise = noise->layerwise(k) - layerwiseFrom;
      // The calm suffixes only make known plans: they take the buckets
      // whose upper bound is within layer-wise's, without exact noise.
      if (upperNoise[k - j - 1] > layerwiseNoise)
        continue;
      lower(calm, compose(step, calmLow[k]), kCalmD, k);
    }
    for (size_t q = 0; q < prices.size(); ++q)
      arg[kNumFixedSuffixes + q] = pricedRow(q, tightenAll);
    low[j] = best;
    calmLow[j] = calm;
    leastNoise[j] = guarded ? bestNoise : 0.0;
    // An upper bound of the noise of every plan of the suffix, from upper
    // bounds of each bucket's (exact where that takes O(1)).
    if (guarded)
      for (size_t k = j + 1; k <= n; ++k)
        mostNoise[j] =
            std::max(mostNoise[j], upperNoise[k - j - 1] + mostNoise[k]);
    for (size_t kind = 0; kind < size_t(numSuffixes); ++kind)
      extendSuffix(j, kind, arg[kind]);
  }

  if (!guarded)
    return;
  // The fine prices, around the coarse one whose bound of the whole
  // problem is best, when one beats the bound that ignores noise (else the
  // budget hardly binds); they and the coarse ones next to the best get
  // their decisive buckets' noise bounds tightened (the rest of the coarse
  // ones, far from most labels' best, keep the grid's, unless every price
  // is to be tightened).
  double unpriced = tailOf(commEndAfter(low[0], 0.0, 0.0));
  double bestBound = unpriced;
  std::optional<size_t> bestPrice;
  for (size_t q = 0; q < prices.size(); ++q) {
    double bound = tailOf(commEndAfter(priced[q * (n + 1)], 0.0, 0.0) -
                          prices[q] * budget);
    if (bound > bestBound)
      bestBound = bound, bestPrice = q;
  }
  if (bestPrice) {
    size_t coarse = prices.size();
    for (int i = 1; i <= kFinePrices / 2; ++i)
      for (int sign : {-1, 1})
        prices.push_back(prices[*bestPrice] *
                         std::exp2(double(sign * i) / kFineSteps));
    numSuffixes = kNumFixedSuffixes + int(prices.size());
    std::vector<size_t> again;
    for (size_t q = *bestPrice > 0 ? *bestPrice - 1 : 0;
         q < std::min(coarse, *bestPrice + 2) && !tightenAll; ++q)
      again.push_back(q);
    for (size_t q = coarse; q < prices.size(); ++q)
      again.push_back(q);
    for (size_t j = n; j-- > 0;) {
      fillRow(j);
      for (size_t q : again)
        extendSuffix(j, kNumFixedSuffixes + q, pricedRow(q, true));
    }
  }
  seedRepairedPlans(table);
}

void SuffixBounds::seedRepairedPlans(const CostTable &table) {
  // Each suffix kind from 0 is a plan of the whole problem; the fast ones
  // over the budget, repaired with the fastest within it, are known plans
  // from the start.
  auto planOf = [&](size_t kind) {
    Partition plan;
    for (size_t j = 0; j < n; j = suffixNext[j * stride + kind])
      plan.push_back(suffixNext[j * stride + kind]);
    return plan;
  };
  auto timeOf = [&](size_t kind) {
    return tailOf(commEndAfter(suffixMap[kind], 0.0, 0.0));
  };
  // The fastest within the budget (layer-wise is), and those faster: over
  // it.
  std::vector<size_t> kinds;
  for (size_t kind = 0; kind < size_t(numSuffixes); ++kind)
    kinds.push_back(kind);
  std::sort(kinds.begin(), kinds.end(),
            [&](size_t a, size_t b) { return timeOf(a) < timeOf(b); });
  size_t quiet = kLayerwise;
  for (size_t kind : kinds)
    if (suffixNoise[kind] <= budget && exactSuffixNoise(0, kind) <= budget) {
      quiet = kind;
      break;
    }
  Partition quietPlan = planOf(quiet);
  auto noiseOf = [&](size_t i, size_t j) { return noiseTable->exact(i, j); };
  for (size_t kind : kinds) {
    if (timeOf(kind) >= timeOf(quiet))
      break;
    Partition plan =
        repairNoise(table, noiseOf, planOf(kind), quietPlan, budget);
    double planNoise = 0.0;
    TimelineMap map = kIdentityMap;
    for (size_t begin = 0, b = 0; b < plan.size(); begin = plan[b++]) {
      planNoise += noiseOf(begin, plan[b]);
      map = compose(map, bucketMap(table.bucket(begin, plan[b]),
                                   table.backwardUntil(plan[b]), serial));
    }
    double t = tailOf(commEndAfter(map, 0.0, 0.0));
    if (planNoise <= budget && t < knownTime) {
      knownTime = t;
      knownCutoff = knownTime + 1e-9 * std::max(1.0, std::abs(knownTime));
      knownAt = 0, knownLabelIndex = 0, knownKind = kWholePlan;
      wholePlan = std::move(plan);
    }
  }
}

double SuffixBounds::lowerBound(size_t j, double s, double c, double noise,
                                double enough) const {
  double bound = tailOf(commEndAfter(low[j], s, c));
  // Each price's bound less the noise the rest of the plan may add, at the
  // price.
  double room = budget - noise;
  size_t numPrices = prices.size();
  for (size_t tried = 0, q = lastDecisive[j];
       tried < numPrices && bound <= enough; ++tried, q = (q + 1) % numPrices) {
    const TimelineMap &map = priced[q * (n + 1) + j];
    bound = std::max(bound, tailOf(commEndAfter(map, s, c) - prices[q] * room));
    if (bound > enough)
      lastDecisive[j] = uint32_t(q);
  }
  return bound;
}

double SuffixBounds::exactSuffixNoise(size_t j, size_t kind) {
  // Down the chain to where its noise is known, then back up.
  std::vector<size_t> &chain = chainScratch;
  chain.clear();
  for (size_t at = j; std::isnan(suffixExactNoise[at * stride + kind]);
       at = suffixNext[at * stride + kind])
    chain.push_back(at);
  for (size_t c = chain.size(); c-- > 0;) {
    size_t at = chain[c], next = suffixNext[at * stride + kind];
    suffixExactNoise[at * stride + kind] =
        noiseTable->exact(at, next) + suffixExactNoise[next * stride + kind];
  }
  return suffixExactNoise[j * stride + kind];
}

void SuffixBounds::offer(size_t j, uint32_t label, double clock, double commEnd,
                         double noise) {
  for (int kind = 0; kind < numSuffixes; ++kind) {
    // The bound of the suffix's noise rules most out; a faster plan has
    // its noise computed.
    if (guarded && noise + suffixNoise[j * stride + kind] > budget)
      continue;
    double t =
        tailOf(commEndAfter(suffixMap[j * stride + kind], clock, commEnd));
    if (t < knownTime &&
        (!guarded || noise + exactSuffixNoise(j, kind) <= budget)) {
      knownTime = t;
      // Rounding differs between this bound and the DP's own sums: keep
      // whatever is within a hair of the best known time.
      knownCutoff = knownTime + 1e-9 * std::max(1.0, std::abs(knownTime));
      knownAt = j, knownLabelIndex = label, knownKind = kind;
    }
  }
}

Partition SuffixBounds::knownPlan(Partition prefix) const {
  if (knownKind == kWholePlan)
    return wholePlan;
  for (size_t j = knownAt; j < n; j = suffixNext[j * stride + knownKind])
    prefix.push_back(suffixNext[j * stride + knownKind]);
  return prefix;
}
