//===- OptimalBounds.h - the bounds of mergeOptimal's search ----*- C++ -*-===//
//
// Branch and bound around the exact DP of MergeOptimal.cpp. A label (a plan
// of a prefix [0, j) as its timeline state and noise) whose best completion
// is slower than a known plan, or whose noise plus the least noise of any
// suffix exceeds the budget, is no ancestor of a better plan: the DP drops
// it. The bounds of the suffixes [j, n) are computed once, from the last,
// over the buckets that a plan within the budget may hold (a bucket whose
// noise, with the least noise of any prefix before it and any suffix after
// it, exceeds the budget is in none): low(j) bounds, entry by entry, the
// TimelineMap of every plan of the suffix (composition is monotone in both
// maps' entries, so the entrywise minimum over first buckets of
// compose(bucket, low(k)) is below every suffix plan's map), and
// minNoise(j) its noise. The known plans complete labels with a few
// concrete suffix plans: layer-wise, the least noisy one, and the ones that
// attain each entry of low() greedily, among all suffix plans and, under
// the guard, among those whose buckets are each no noisier than layer-wise.
//
// Under the guard the bounds that ignore noise are weak: the plans that
// attain them are noisier than any budget. For each of a few prices lambda,
// priced(j, lambda) bounds the maps of the suffix plans whose every bucket
// also costs lambda times its noise in each entry (a Lagrangian relaxation
// of the budget): from (s, c), every suffix plan of noise N ends its
// communication at or after commEndAfter(priced, s, c) - lambda N, and N is
// at most what the budget leaves (docs/passes.md has the argument). A
// bucket's noise bound is enough for these bounds; the buckets that attain
// an entry have their noise computed, so that the bound is tight where it
// matters. The suffixes that attain each priced bound are known plans too,
// and from the empty prefix, those over the budget are repaired into known
// plans of the whole problem (PlanRepair.h).
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_PASSES_COST_OPTIMALBOUNDS_H
#define AGTF_PASSES_COST_OPTIMALBOUNDS_H

#include "passes/cost/NoiseLowerBounds.h"
#include "passes/cost/NoiseModel.h"
#include "passes/cost/TimelineMap.h"

#include <limits>
#include <optional>
#include <unordered_map>
#include <vector>

namespace agtf::cost {

/// The noise of every bucket [i, j): a lower bound of each, computed a row
/// (one i) at a time in O(1) amortized per bucket (all that the bounds
/// need), tighter bounds on request, and its exact noise on use, kept
/// where it takes more than O(1).
class BucketNoiseTable {
public:
  /// Without `noise` (no guard) every bucket's noise is 0.
  BucketNoiseTable(const CostTable &table, const NoiseModel *noise);
  /// The row of buckets [i, j), j > i.
  void computeRow(size_t i);
  double lowerBound(size_t i, size_t j) const {
    return noise ? double(lower[i][j - i - 1]) : 0.0;
  }
  /// Upper bounds of the noise of the buckets [i, j), j > i, to
  /// upper[j - i - 1] (NoiseLowerBounds::upperRow).
  void upperRow(size_t i, std::vector<double> &upper) const;
  /// Whether exact(i, j) takes O(1).
  bool isQuick(size_t i, size_t j) const {
    return !noise || noise->isQuick(i, j);
  }
  double exact(size_t i, size_t j);
  /// Raises the lower bound of [i, j) to within a hair of its noise, at a
  /// third of the cost of exact(), and returns it.
  double tighten(size_t i, size_t j);

private:
  static uint64_t key(size_t i, size_t j) { return uint64_t(i) << 32 | j; }

  const NoiseModel *noise;
  size_t numTensors;
  std::optional<NoiseLowerBounds> bounds;
  std::vector<std::vector<float>> lower;
  std::unordered_map<uint64_t, double> slowValues;
};

/// The bounds of the plans of every suffix [j, n), and the best plan known
/// from the labels offered to it.
class SuffixBounds {
public:
  /// Computes every row of `bucketNoise` and the bounds. `noise` is null
  /// without the guard; `budget` and `noiseCutoff` are the DP's. With
  /// `tightenAll`, every priced bound gets its buckets' bounds tightened
  /// (worth it for an exact search); else those of the prices near the
  /// best.
  SuffixBounds(const CostTable &table, const NoiseModel *noise,
               BucketNoiseTable &bucketNoise, double budget, double noiseCutoff,
               bool tightenAll);

  /// A lower bound of the iteration time, less forward and update, of every
  /// plan within the budget whose prefix [0, j) ends in the timeline state
  /// (s, c) with noise `noise`.
  double lowerBound(size_t j, double s, double c, double noise) const {
    return lowerBound(j, s, c, noise, kNoEnough);
  }
  /// The same, or a smaller bound that exceeds `enough`: all that pruning
  /// needs to know.
  double lowerBound(size_t j, double s, double c, double noise,
                    double enough) const;
  /// A lower bound of the noise of every plan of the suffix [j, n).
  double minNoise(size_t j) const { return leastNoise[j]; }
  /// An upper bound of the same (infinite unless the noise of every
  /// bucket of the suffix is known).
  double maxNoise(size_t j) const { return mostNoise[j]; }

  /// Completes label `label` of prefix [0, j) with each concrete suffix
  /// plan within the budget, keeping the fastest as the known plan.
  void offer(size_t j, uint32_t label, double clock, double commEnd,
             double noise);
  /// Labels whose lower bound exceeds this cannot beat the known plan.
  double cutoff() const { return knownCutoff; }
  /// The known plan's label: the prefix it plans and its index there (0
  /// and 0 when the known plan is one of the whole problem).
  size_t knownPrefix() const { return knownAt; }
  uint32_t knownLabel() const { return knownLabelIndex; }
  /// The known plan, from the plan of its label's prefix.
  Partition knownPlan(Partition prefix) const;

private:
  // kMinD, kMinE, kMinK2 and kCalmD, kCalmE, kCalmK2 each in this order;
  // after kCalmK2, one suffix per price (the attainer of its d entry).
  enum {
    kLayerwise,
    kMinD,
    kMinE,
    kMinK2,
    kMinNoise,
    kCalmD,
    kCalmE,
    kCalmK2,
    kNumFixedSuffixes
  };

  static constexpr double kNoEnough = std::numeric_limits<double>::infinity();

  double tailOf(double commEnd) const {
    return serial ? commEnd : std::max(backwardAll, commEnd);
  }
  /// Repairs the suffix plans of the empty prefix that are over the budget
  /// into known plans (PlanRepair.h).
  void seedRepairedPlans(const CostTable &table);

  bool serial;
  double backwardAll, budget;
  size_t n;
  int numSuffixes;
  std::vector<TimelineMap> low;
  std::vector<double> leastNoise, mostNoise;
  // The prices of noise, in us per unit, and priced[q * (n + 1) + j] the
  // bound of suffix [j, n) at price q.
  std::vector<double> prices;
  std::vector<TimelineMap> priced;
  // Per prefix, the price whose bound last exceeded `enough` there: the
  // labels of a prefix tend to share it, so lowerBound tries it first.
  mutable std::vector<uint32_t> lastDecisive;
  // Per suffix [j, n) and kind, at [j * stride + kind]: the concrete
  // plan's next bucket end, map and noise; numSuffixes kinds are in use.
  size_t stride;
  std::vector<uint32_t> suffixNext;
  std::vector<TimelineMap> suffixMap;
  // Lower bounds of the noise of the concrete suffixes, and their noise
  // where computed (NaN: not yet).
  std::vector<double> suffixNoise, suffixExactNoise;
  std::vector<size_t> chainScratch;
  /// The noise of the concrete suffix `kind` from j.
  double exactSuffixNoise(size_t j, size_t kind);
  bool guarded;
  BucketNoiseTable *noiseTable;
  double knownTime, knownCutoff;
  size_t knownAt = 0;
  uint32_t knownLabelIndex = 0;
  int knownKind = kLayerwise; // kWholePlan: wholePlan
  static constexpr int kWholePlan = -1;
  Partition wholePlan;
};

} // namespace agtf::cost

#endif // AGTF_PASSES_COST_OPTIMALBOUNDS_H
