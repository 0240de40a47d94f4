//===- OptimalBounds.cpp - the bounds of mergeOptimal's search ------------===//

#include "passes/cost/OptimalBounds.h"

#include <cmath>
#include <limits>

using namespace agtf::cost;

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
} // namespace

BucketNoiseTable::BucketNoiseTable(const NoiseModel *noise, size_t numTensors)
    : noise(noise), value(noise ? numTensors : 0), root(noise ? numTensors : 0),
      isExact(noise ? numTensors : 0) {}

void BucketNoiseTable::computeRow(size_t i, const std::vector<double> *enough) {
  if (noise)
    value[i] = noise->bucketsFrom(i, enough, &isExact[i], &root[i]);
}

double BucketNoiseTable::exact(size_t i, size_t j) {
  if (!noise)
    return 0.0;
  if (!isExact[i][j - i - 1]) {
    value[i][j - i - 1] = noise->bucket(i, j, root[i][j - i - 1]);
    isExact[i][j - i - 1] = true;
  }
  return value[i][j - i - 1];
}

SuffixBounds::SuffixBounds(const CostTable &table, const NoiseModel *noise,
                           BucketNoiseTable &bucketNoise, double budget,
                           double noiseCutoff)
    : serial(table.getProblem().cluster.timeline == Timeline::Serial),
      budget(budget), n(table.getProblem().tensors.size()),
      numSuffixes(noise ? kNumSuffixes : kMinNoise), low(n + 1, kIdentityMap),
      leastNoise(n + 1, 0.0), suffixNext(n + 1), suffixMap(n + 1),
      suffixNoise(n + 1), guarded(noise != nullptr), knownTime(kInf),
      knownCutoff(kInf) {
  backwardAll = table.backwardUntil(n);
  auto stepOf = [&](size_t i, size_t j) {
    return bucketMap(table.bucket(i, j), table.backwardUntil(j), serial);
  };
  std::vector<TimelineMap> calmLow(n + 1, kIdentityMap);
  suffixMap[n].fill(kIdentityMap);
  suffixNoise[n].fill(0.0);
  // enough[k]: noise a plan of [k, n) may add to stay within the cutoff.
  std::vector<double> enough(n + 1, 0.0), rowEnough(n + 1, 0.0);
  enough[n] = noiseCutoff;
  for (size_t j = n; j-- > 0;) {
    if (guarded) {
      // Labels at j carry about the layer-wise noise of [0, j). That is a
      // guess, not a bound: a bucket bounded here only has its exact noise
      // computed on first use.
      for (size_t k = j + 1; k <= n; ++k)
        rowEnough[k] = enough[k] - noise->layerwise(j);
      bucketNoise.computeRow(j, &rowEnough);
    }
    TimelineMap best = {0.0, 0.0, kInf, kInf, kInf}, calm = best;
    std::array<uint32_t, kNumSuffixes> arg;
    arg.fill(uint32_t(j + 1));
    double bestNoise = kInf;
    double layerwiseFrom = guarded ? noise->layerwise(j) : 0.0;
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
    for (size_t k = j + 1; k <= n; ++k) {
      TimelineMap step = stepOf(j, k);
      lower(best, compose(step, low[k]), kMinD, k);
      if (!guarded)
        continue;
      double thisNoise = bucketNoise.lowerBound(j, k);
      if (thisNoise + leastNoise[k] < bestNoise)
        bestNoise = thisNoise + leastNoise[k], arg[kMinNoise] = k;
      if (thisNoise > noise->layerwise(k) - layerwiseFrom ||
          bucketNoise.exact(j, k) > noise->layerwise(k) - layerwiseFrom)
        continue;
      lower(calm, compose(step, calmLow[k]), kCalmD, k);
    }
    low[j] = best;
    calmLow[j] = calm;
    leastNoise[j] = guarded ? bestNoise : 0.0;
    enough[j] = noiseCutoff - leastNoise[j];
    for (int kind = 0; kind < numSuffixes; ++kind) {
      uint32_t k = arg[kind];
      suffixNext[j][kind] = k;
      suffixMap[j][kind] = compose(stepOf(j, k), suffixMap[k][kind]);
      suffixNoise[j][kind] = bucketNoise.exact(j, k) + suffixNoise[k][kind];
    }
  }
}

void SuffixBounds::offer(size_t j, uint32_t label, double clock, double commEnd,
                         double noise) {
  for (int kind = 0; kind < numSuffixes; ++kind) {
    if (guarded && noise + suffixNoise[j][kind] > budget)
      continue;
    double t = tailOf(commEndAfter(suffixMap[j][kind], clock, commEnd));
    if (t < knownTime) {
      knownTime = t;
      // Rounding differs between this bound and the DP's own sums: keep
      // whatever is within a hair of the best known time.
      knownCutoff = knownTime + 1e-9 * std::max(1.0, std::abs(knownTime));
      knownAt = j, knownLabelIndex = label, knownKind = kind;
    }
  }
}

Partition SuffixBounds::knownPlan(Partition prefix) const {
  for (size_t j = knownAt; j < n; j = suffixNext[j][knownKind])
    prefix.push_back(suffixNext[j][knownKind]);
  return prefix;
}
