//===- TimelineMap.h - a run of buckets as a max-plus map -------*- C++ -*-===//
//
// What a run of buckets does to a timeline state (s, c), s the
// sparsification clock (serial: the sum of ts so far; stream: the end of
// the sparsification stream) and c the communication end:
//   s' = max(s + a, k1),  c' = max(c + d, s + e, k2).
// One bucket of either timeline of DESIGN.md §4 is such a map, and the maps
// are closed under composition, so that a fixed suffix of a plan prices any
// prefix state in O(1): the bounds of mergeOptimal.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_PASSES_COST_TIMELINEMAP_H
#define AGTF_PASSES_COST_TIMELINEMAP_H

#include "passes/cost/CostModel.h"

#include <algorithm>
#include <limits>

namespace agtf::cost {

struct TimelineMap {
  double a, k1, d, e, k2;
};

/// The map of no buckets.
constexpr TimelineMap kIdentityMap = {
    0.0, -std::numeric_limits<double>::infinity(), 0.0,
    -std::numeric_limits<double>::infinity(),
    -std::numeric_limits<double>::infinity()};

/// The map of one bucket costing `cost` whose last tensor is ready at
/// `backward` (B of §4).
inline TimelineMap bucketMap(const BucketCost &cost, double backward,
                             bool serial) {
  constexpr double none = -std::numeric_limits<double>::infinity();
  double ts = cost.sparsifyUs, tc = cost.commUs;
  if (serial) // s' = s + ts, c' = max(c, B + s') + tc
    return {ts, none, tc, backward + ts + tc, none};
  // s' = max(s, B) + ts, c' = max(c, s') + tc
  return {ts, backward + ts, tc, ts + tc, backward + ts + tc};
}

/// `f`, then `g`.
inline TimelineMap compose(const TimelineMap &f, const TimelineMap &g) {
  return {f.a + g.a, std::max(f.k1 + g.a, g.k1), f.d + g.d,
          std::max(f.e + g.d, f.a + g.e),
          std::max({f.k2 + g.d, f.k1 + g.e, g.k2})};
}

/// The sparsification clock after `m` from (s, c).
inline double clockAfter(const TimelineMap &m, double s) {
  return std::max(s + m.a, m.k1);
}

/// The communication end after `m` from (s, c).
inline double commEndAfter(const TimelineMap &m, double s, double c) {
  return std::max({c + m.d, s + m.e, m.k2});
}

} // namespace agtf::cost

#endif // AGTF_PASSES_COST_TIMELINEMAP_H
