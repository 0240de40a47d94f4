//===- CostModel.h - cost of a merge plan (DESIGN.md §4) --------*- C++ -*-===//
//
// The compiler's contract: the cost of sparsifying and communicating a
// bucket, and the predicted timeline of a plan. Plain C++ over a Problem so
// that the merge solvers and their brute-force tests need no MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_PASSES_COSTMODEL_H
#define AGTF_PASSES_COSTMODEL_H

#include <cstdint>
#include <string>
#include <vector>

namespace agtf::cost {

enum class Timeline { Serial, Stream };
/// LowRank is ACP-SGD (one factor per step); PowerSGD reduces both factors
/// in two dependent allreduces. TopKSampled is top-k with DGC's sampled
/// threshold, whose count differs per rank.
enum class Method { Dense, TopK, TopKSampled, GTopK, DGC, LowRank, PowerSGD };
enum class Collective { Allreduce, Allgather, GTopK };

/// Network and device constants. Times in microseconds.
struct Cluster {
  int64_t workers = 16;
  // Latency (us) and inverse bandwidth (us per byte) per collective.
  double alphaUs[3] = {100.0, 100.0, 100.0};
  double betaUsPerByte[3] = {8.5e-3, 8.5e-3, 8.5e-3};
  double sparsifyUs = 20.0;             // s0
  double sparsifyUsPerElement = 2.6e-5; // s1
  double packUsPerElement = 2.7e-6;     // p1
  int64_t valueBytes = 4;
  int64_t indexBytes = 4;
  Timeline timeline = Timeline::Serial;
  double peakGflops = 60000.0; // roofline of backward when unprofiled
  double efficiency = 0.5;
  double updateUsPerElement = 5.0e-6;

  double alpha(Collective c) const { return alphaUs[int(c)]; }
  double beta(Collective c) const { return betaUsPerByte[int(c)]; }
};

/// One gradient tensor, in backprop order.
struct Tensor {
  std::string name;
  int64_t numel = 1;
  int64_t rows = 1;        // first dimension, for low rank
  double backwardUs = 0.0; // from the previous gradient to this one
  double density = 1.0;    // budget; 1 = dense
  double gradNorm = 1.0;   // AGTF importance g_i
  // Gradient-magnitude sketch (empty: magnitudes assumed uniform).
  std::vector<double> kept, threshold, energy;

  /// max(1, ceil(density * numel)).
  int64_t keptCount() const;
};

struct Problem {
  std::vector<Tensor> tensors;
  Cluster cluster;
  Method sparseMethod = Method::TopK; // for buckets that are not dense
  int64_t lowRank = 4;
  double forwardUs = 0.0;
  double updateUs = 0.0;
};

/// A plan: bucket j holds tensors [ends[j-1], ends[j]), ends[-1] = 0.
using Partition = std::vector<size_t>;

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

#endif // AGTF_PASSES_COSTMODEL_H
