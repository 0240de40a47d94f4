//===- MergeStrategy.h - the merge strategies, one table --------*- C++ -*-===//
//
// Every merge strategy has one entry here: its enumerator, the name that
// gcomm-merge's `strategy` option spells, and the solver it runs. The pass
// option takes its values from this table and the pass calls the entry's
// solver, so a strategy without an entry is a build error, never a silent
// default (docs/passes.md, CONTRIBUTING.md "Add a merge strategy").
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_PASSES_COST_MERGESTRATEGY_H
#define AGTF_PASSES_COST_MERGESTRATEGY_H

#include "passes/cost/CostModel.h"
#include "passes/cost/NoiseModel.h"

#include <array>
#include <optional>

namespace agtf::cost {

struct OptimalityCertificate; // MergeSolvers.h

enum class MergeStrategy {
  Layerwise,
  Single,
  Threshold,
  Mgwfbp,
  Omgs,
  Agtf,
  Optimal,
  // Not a strategy: counts the enumerators above, so that the table's size
  // follows them.
  NumStrategies
};
constexpr size_t kNumMergeStrategies = size_t(MergeStrategy::NumStrategies);

/// What optimal's noise guard compares a plan's noise with: the layer-wise
/// plan's (the least accurate top-k plan), or top-k over one bucket's (the
/// most accurate for the same total k under the energy model).
enum class NoiseReference { Layerwise, Single };

/// The knobs of the strategies that have any; gcomm-merge sets them from
/// its options.
struct MergeOptions {
  // threshold: bytes that close a bucket, and the first bucket, counting
  // elementBytes an element (2 for dense-f16).
  int64_t bucketBytes = 25 * 1024 * 1024;
  int64_t firstBucketBytes = 1024 * 1024;
  int64_t elementBytes = 4;
  // eps of the noise guard: optimal keeps noise within (1 + eps) x
  // layer-wise, unguarded when negative; agtf applies its rule with
  // max(0, eps).
  double noiseTolerance = -1.0;
  NoiseReference noiseReference = NoiseReference::Layerwise;
  // optimal: an absolute noise budget when >= 0, in place of (1 + eps)
  // times the reference's.
  double noiseBudget = -1.0;
  // optimal: the factor 1 + optimalityGap within which its plan may miss
  // the optimum, and where it writes what it proved (may be null).
  double optimalityGap = 0.0;
  OptimalityCertificate *certificate = nullptr;
};

using MergeSolver = Partition (*)(const CostTable &table,
                                  const NoiseModel &noise,
                                  const MergeOptions &options);

struct MergeStrategyInfo {
  MergeStrategy strategy;
  const char *name;    // as the `strategy` option spells it
  const char *summary; // one line for --help
  /// Whether the solver reads backward times (the others only sizes).
  bool needsBackwardTimes;
  MergeSolver solve;
};

/// The noise budget of optimal's guard under `options`; none without one.
std::optional<double> noiseBudgetOf(const CostTable &table,
                                    const NoiseModel &noise,
                                    const MergeOptions &options);

/// Every strategy, in enumerator order.
const std::array<MergeStrategyInfo, kNumMergeStrategies> &getMergeStrategies();

inline const MergeStrategyInfo &getMergeStrategy(MergeStrategy strategy) {
  return getMergeStrategies()[size_t(strategy)];
}

} // namespace agtf::cost

#endif // AGTF_PASSES_COST_MERGESTRATEGY_H
