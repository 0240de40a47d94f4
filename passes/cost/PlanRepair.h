//===- PlanRepair.h - a noisy plan made to fit the budget -------*- C++ -*-===//
//
// A known plan for mergeOptimal's search under the guard. The plans that
// attain the priced bounds (OptimalBounds.h) are fast but, at a price too
// low, a little over the budget; at the next price they are within it but
// slower. Between the boundaries that both plans share, each segment of one
// can replace the other's: the fast plan takes over the quiet plan's
// segments that save the most noise per unit of time, until it fits.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_PASSES_COST_PLANREPAIR_H
#define AGTF_PASSES_COST_PLANREPAIR_H

#include "passes/cost/CostModel.h"

#include <functional>

namespace agtf::cost {

/// `fast` with segments of `quiet` until its noise is at most `budget`
/// (`quiet` is within it); `bucketNoise(i, j)` is the noise of [i, j).
Partition repairNoise(const CostTable &table,
                      const std::function<double(size_t, size_t)> &bucketNoise,
                      const Partition &fast, const Partition &quiet,
                      double budget);

} // namespace agtf::cost

#endif // AGTF_PASSES_COST_PLANREPAIR_H
