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

/// What a low-rank bucket sends (runtime/compressors/LowRankCompressor.cpp):
/// each member factored by kernels::factorRank contributes its factors, the
/// others travel whole in the first allreduce.
struct LowRankLoad {
  /// ACP-SGD: one factor a step, P (r rows) then Q (r cols); on average
  /// r (rows + cols) / 2 per factored member.
  double acpValues = 0.0;
  /// PowerSGD: the P allreduce (and the dense members), then the Q one,
  /// which runs only when some member is factored.
  int64_t firstValues = 0, secondValues = 0;
  bool factored = false;

  /// The load of one member of `numel` elements whose first dimension is
  /// `rows` (1 for a vector), at `rank`.
  static LowRankLoad ofMember(int64_t numel, int64_t rows, int64_t rank);
  LowRankLoad &operator+=(const LowRankLoad &other);
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
  LowRankLoad lowRankIn(size_t begin, size_t end) const {
    LowRankLoad load;
    load.acpValues = double(acpTwice[end] - acpTwice[begin]) / 2.0;
    load.firstValues = firstValues[end] - firstValues[begin];
    load.secondValues = secondValues[end] - secondValues[begin];
    load.factored = factored[end] > factored[begin];
    return load;
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
  std::vector<int64_t> numel, kept, sparseMembers;
  // Prefix sums of LowRankLoad: twice the ACP values (integers), PowerSGD's
  // two allreduces, factored members.
  std::vector<int64_t> acpTwice, firstValues, secondValues, factored;
};

/// Rounds of a binary tree over p ranks: ceil(log2 p).
int64_t ceilLog2(int64_t p);

/// Piecewise linear in log-log between `samples` (non-empty, increasing in
/// size): the smallest sample's time below them, the last segment's slope
/// above.
double interpolate(const std::vector<Sample> &samples, double size);

/// Sparsifying a bucket of `numel` elements (accumulating the residual,
/// selecting, packing, updating the residual): the measured compress
/// curve when the cluster has one, else s0 + s1 numel.
double sparsifyCost(const Cluster &cluster, int64_t numel);

/// Decompressing a selection into its bucket of `numel` elements after the
/// collective: the measured decompress curve, else d1 numel.
double decompressCost(const Cluster &cluster, int64_t numel);

/// The time of one `collective` moving `count` elements of `width` bytes
/// per rank (bytes = count * width): interpolated
/// piecewise linearly in log-log between the cluster's measured samples when
/// it has them (the smallest sample's time below them, the last segment's
/// slope above), else the collective's alpha-beta line (ring allreduce
/// 2(P-1) alpha + 2(P-1)/P bytes beta, allgather ceil(log2 P) alpha + (P-1)
/// bytes beta, gTop-k 2 ceil(log2 P) (alpha + bytes beta)).
double collectiveUs(const Cluster &cluster, Collective collective, double count,
                    double width);

/// Communication time of `numel` elements (`kept` of them for a selection,
/// `lowRank` for a low-rank bucket) under the collectives' alpha-beta
/// models.
double commCost(const Cluster &cluster, Method method, int64_t numel,
                int64_t kept, const LowRankLoad &lowRank = {});

/// The part of one bucket's communication that does not grow with its size:
/// the latency terms of its collectives (2(P-1) alpha for a ring allreduce,
/// ceil(log2 P) alpha for an allgather, ...), what MG-WFBP calls the
/// startup time of one allreduce.
double fixedCommCost(const Cluster &cluster, Method method);

/// Whether the comm lane runs slower while the sparsify lane works: the
/// cluster has a comm_beside_sparsify curve and two lanes (under the shared
/// timeline one lane does both, never at once).
bool hasBesideSparsify(const Cluster &cluster);

/// A comm-lane task that takes `aloneUs` alone, while the sparsify lane runs
/// beside it for all of its time: the comm_beside_sparsify curve at
/// `aloneUs`, never less than `aloneUs`.
double besideSparsifyUs(const Cluster &cluster, double aloneUs);

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
/// Under the shared timeline its sparsification is part of its comm time
/// (Timeline::Shared).
BucketCost bucketCost(const Cluster &cluster, Method method, int64_t numel,
                      int64_t kept, const LowRankLoad &lowRank = {});

/// Predicted timeline of a plan whose buckets cost `costs` (DESIGN.md §4).
/// Where the cluster has a comm_beside_sparsify curve, a bucket's
/// communication progresses at 1 / commUs of it per microsecond while no
/// bucket sparsifies and at 1 / besideSparsifyUs(commUs) while one does (the
/// sparsify lane works on bucket j over [ready_j - sparsifyUs_j, ready_j]),
/// so a plan takes at least as long as without the curve. `besideSparsify`
/// false prices the comm lane alone (a lower bound of the whole price).
PlanTimeline simulate(const Problem &problem, const Partition &plan,
                      const std::vector<BucketCost> &costs,
                      bool besideSparsify = true);
/// Predicted timeline of a plan priced by `table`.
PlanTimeline simulate(const CostTable &table, const Partition &plan,
                      bool besideSparsify = true);

} // namespace agtf::cost

#endif // AGTF_PASSES_COST_COSTMODEL_H
