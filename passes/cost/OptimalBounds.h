//===- OptimalBounds.h - the bounds of mergeOptimal's search ----*- C++ -*-===//
//
// Branch and bound around the exact DP of MergeOptimal.cpp. A label (a plan
// of a prefix [0, j) as its timeline state and noise) whose best completion
// is slower than a known plan, or whose noise plus the least noise of any
// suffix exceeds the budget, is no ancestor of a better plan: the DP drops
// it. The bounds of the suffixes [j, n) are computed once, from the last:
// low(j) bounds, entry by entry, the TimelineMap of every plan of the
// suffix (composition is monotone in both maps' entries, so the entrywise
// minimum over first buckets of compose(bucket, low(k)) is below every
// suffix plan's map), and minNoise(j) its noise. The known plans complete
// labels with a few concrete suffix plans: layer-wise, the least noisy
// one, and the ones that attain each entry of low() greedily, among all
// suffix plans and, under the guard, among those whose buckets are each no
// noisier than layer-wise.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_PASSES_COST_OPTIMALBOUNDS_H
#define AGTF_PASSES_COST_OPTIMALBOUNDS_H

#include "passes/cost/NoiseModel.h"
#include "passes/cost/TimelineMap.h"

#include <array>

namespace agtf::cost {

/// The noise of every bucket [i, j), computed a row (one i) at a time. A
/// bucket that is likely too noisy for any plan may get a lower bound of
/// its noise instead, which is all that the bounds need; its exact noise is
/// computed, from where the bound's search stopped, on first use.
class BucketNoiseTable {
public:
  /// Without `noise` (no guard) every bucket's noise is 0.
  BucketNoiseTable(const NoiseModel *noise, size_t numTensors);
  /// The row of buckets [i, j), j > i. With `enough`, a bucket [i, j) whose
  /// noise exceeds enough[j] may get a lower bound.
  void computeRow(size_t i, const std::vector<double> *enough);
  double lowerBound(size_t i, size_t j) const {
    return noise ? value[i][j - i - 1] : 0.0;
  }
  double exact(size_t i, size_t j);

private:
  const NoiseModel *noise;
  std::vector<std::vector<double>> value, root;
  std::vector<std::vector<bool>> isExact;
};

/// The bounds of the plans of every suffix [j, n), and the best plan known
/// from the labels offered to it.
class SuffixBounds {
public:
  /// Computes the bounds and, with them, every row of `bucketNoise` (a row
  /// uses the bounds of the suffixes after it). `noise` is null without the
  /// guard; `budget` and `noiseCutoff` are the DP's.
  SuffixBounds(const CostTable &table, const NoiseModel *noise,
               BucketNoiseTable &bucketNoise, double budget,
               double noiseCutoff);

  /// A lower bound of the iteration time, less forward and update, of every
  /// plan whose prefix [0, j) ends in the timeline state (s, c).
  double lowerBound(size_t j, double s, double c) const {
    return tailOf(commEndAfter(low[j], s, c));
  }
  /// A lower bound of the noise of every plan of the suffix [j, n).
  double minNoise(size_t j) const { return leastNoise[j]; }

  /// Completes label `label` of prefix [0, j) with each concrete suffix
  /// plan within the budget, keeping the fastest as the known plan.
  void offer(size_t j, uint32_t label, double clock, double commEnd,
             double noise);
  /// Labels whose lower bound exceeds this cannot beat the known plan.
  double cutoff() const { return knownCutoff; }
  /// The known plan's label: the prefix it plans and its index there.
  size_t knownPrefix() const { return knownAt; }
  uint32_t knownLabel() const { return knownLabelIndex; }
  /// The known plan, from the plan of its label's prefix.
  Partition knownPlan(Partition prefix) const;

private:
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

  double tailOf(double commEnd) const {
    return serial ? commEnd : std::max(backwardAll, commEnd);
  }

  bool serial;
  double backwardAll, budget;
  size_t n;
  int numSuffixes;
  std::vector<TimelineMap> low;
  std::vector<double> leastNoise;
  // Per suffix [j, n) and kind: the concrete plan's next bucket end, map
  // and noise.
  std::vector<std::array<uint32_t, kNumSuffixes>> suffixNext;
  std::vector<std::array<TimelineMap, kNumSuffixes>> suffixMap;
  std::vector<std::array<double, kNumSuffixes>> suffixNoise;
  bool guarded;
  double knownTime, knownCutoff;
  size_t knownAt = 0;
  uint32_t knownLabelIndex = 0;
  int knownKind = kLayerwise;
};

} // namespace agtf::cost

#endif // AGTF_PASSES_COST_OPTIMALBOUNDS_H
