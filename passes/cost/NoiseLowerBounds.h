//===- NoiseLowerBounds.h - cheap lower bounds of bucket noise --*- C++ -*-===//
//
// The bounds of mergeOptimal's search need the noise of every bucket, and
// the relative model's noise of a bucket takes a pass over its members per
// step of its threshold search: O(L^3) for all buckets. A lower bound is
// enough for the bounds, and costs O(1) amortized: the model's threshold
// theta of a bucket G solves sum_i n_i f_i(theta) = k_G and the noise
// sum_i (1 - e_i(f_i(theta))) rises with theta, so at any point x where
// the members' kept elements exceed k_G (x lies below theta), their
// residuals sum to a lower bound of the noise. Prefix sums of both over a
// fixed grid of points give each bucket's sums in O(1), and a bucket's
// best point moves little from one end to the next.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_PASSES_COST_NOISELOWERBOUNDS_H
#define AGTF_PASSES_COST_NOISELOWERBOUNDS_H

#include "passes/cost/NoiseModel.h"

#include <vector>

namespace agtf::cost {

class NoiseLowerBounds {
public:
  NoiseLowerBounds(const CostTable &table, const NoiseModel &noise);

  /// Lower bounds of the noise of the buckets [begin, end) for end = begin
  /// + 1, ..., L: lower[end - begin - 1] receives each, rounded down to a
  /// float; for the buckets whose noise takes O(1) (NoiseModel::isQuick),
  /// it is their noise so rounded.
  void row(size_t begin, std::vector<float> &lower) const;
  /// Upper bounds of the same buckets' noise, to upper[end - begin - 1]:
  /// the residuals just below the point of the grid after the first where
  /// the members keep fewer than k_G elements (that lies above the
  /// threshold, and the noise rises with it), or every member's whole
  /// weight where there is none; the noise itself for the quick buckets.
  void upperRow(size_t begin, std::vector<double> &upper) const;
  /// A lower bound of the noise of [begin, end) within a hair of it, from
  /// one or two passes over its members at a point just below the
  /// threshold the grid brackets; `bound` if none is found (O(len), a
  /// third or less of the model's own search).
  double tightBound(size_t begin, size_t end, double bound) const;
  /// log(theta) of the largest point of the grid where the members of
  /// [begin, end) keep more than k_G elements: near, and most likely below,
  /// the bucket's threshold, a start for its search; NaN if none.
  double startOfSearch(size_t begin, size_t end) const;

private:
  const CostTable &table;
  const NoiseModel &noise;
  size_t numPoints = 0;
  // Grid point g at log theta = first + g * step; kept[g * (L + 1) + i]
  // and residual[g * (L + 1) + i] sum tensors [0, i) there (the residuals
  // a last halving below it, see row()); weights[i] sums their weights.
  double first = 0.0, step = 0.0, lastHalving = 0.0;
  std::vector<double> kept, residual, weights;
  std::vector<double> leastThreshold;       // each sketch's least positive one
  std::vector<std::vector<double>> logKept; // log of each sketch's fractions

  /// The last point of the grid where the members of [begin, end) keep
  /// more than k_G elements; numPoints if none.
  size_t lastAbove(size_t begin, size_t end) const;
};

} // namespace agtf::cost

#endif // AGTF_PASSES_COST_NOISELOWERBOUNDS_H
