//===- CostModel.h - cost of a merge plan (DESIGN.md §4) --------*- C++ -*-===//
//
// The compiler's contract: the cost of sparsifying and communicating a
// bucket, and the predicted timeline of a plan. Plain C++ over a Problem so
// that the merge solvers and their tests need no MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_PASSES_COST_COSTMODEL_H
#define AGTF_PASSES_COST_COSTMODEL_H

#include "passes/cost/Problem.h"

namespace agtf::cost {

/// Cost of one bucket [begin, end).
struct BucketCost {
  int64_t numel = 0; // N_G
  int64_t kept = 0;  // k_G (N_G when dense)
  bool sparse = false;
  Method method = Method::Dense;
  double sparsifyUs = 0.0; // ts(G), the pack cost when dense
  double commUs = 0.0;     // tc(G)
};

/// Prefix sums that make bucketCost O(1).
class CostTable {
public:
  explicit CostTable(const Problem &problem);
  BucketCost bucket(size_t begin, size_t end) const;
  /// B(end): backward time until tensor end-1 is ready.
  double backwardUntil(size_t end) const { return backward[end]; }
  /// N_G, k_G and whether any member is sparse, for [begin, end).
  int64_t numelIn(size_t begin, size_t end) const {
    return numel[end] - numel[begin];
  }
  int64_t keptIn(size_t begin, size_t end) const {
    return kept[end] - kept[begin];
  }
  bool anySparse(size_t begin, size_t end) const {
    return sparseMembers[end] > sparseMembers[begin];
  }
  const Problem &getProblem() const { return problem; }

private:
  const Problem &problem;
  std::vector<double> backward;
  std::vector<int64_t> numel, kept, sparseMembers, lowRankValues;
};

/// Rounds of a binary tree over p ranks: ceil(log2 p).
int64_t ceilLog2(int64_t p);

/// Communication time of `values` elements (and `kept` for sparse) under
/// the collectives' alpha-beta models.
double commCost(const Cluster &cluster, Method method, int64_t numel,
                int64_t kept, int64_t lowRankValues);

struct BucketTimes {
  double ready, start, end;
};

struct PlanTimeline {
  std::vector<BucketTimes> buckets;
  std::vector<BucketCost> costs;
  double iterUs = 0.0;
  /// Iteration time beyond forward, backward and update.
  double exposedCommUs = 0.0;
};

/// Cost of a bucket of `numel` elements keeping `kept` (all when dense).
BucketCost bucketCost(const Cluster &cluster, Method method, int64_t numel,
                      int64_t kept, int64_t lowRankValues);

/// Predicted timeline of a plan whose buckets cost `costs` (DESIGN.md §4).
PlanTimeline simulate(const Problem &problem, const Partition &plan,
                      const std::vector<BucketCost> &costs);
/// Predicted timeline of a plan priced by `table`.
PlanTimeline simulate(const CostTable &table, const Partition &plan);

} // namespace agtf::cost

#endif // AGTF_PASSES_COST_COSTMODEL_H
