//===- Problem.h - what a merge plan is chosen for --------------*- C++ -*-===//
//
// The input of every merge solver: the gradient tensors in backprop order,
// the cluster's cost constants and the compression of sparse buckets; and
// the output, a Partition into contiguous buckets. Plain C++: passes build a
// Problem from a gcomm.graph (GraphProblem.h), tests build one by hand.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_PASSES_COST_PROBLEM_H
#define AGTF_PASSES_COST_PROBLEM_H

#include <cstdint>
#include <string>
#include <vector>

namespace agtf::cost {

/// Where a bucket's sparsification runs: on the compute stream before
/// backprop goes on (Serial), on a stream of its own beside it (Stream), or
/// on the lane that also communicates (Shared: a host whose ranks have one
/// core each for the engine's two threads, so that one waits for the
/// other). Names: timelineName.
enum class Timeline { Serial, Stream, Shared };
/// "serial", "stream", "shared".
const char *timelineName(Timeline timeline);
/// LowRank is ACP-SGD (one factor per step); PowerSGD reduces both factors
/// in two dependent allreduces. TopKSampled is top-k with DGC's sampled
/// threshold, whose count differs per rank. Each is some row's cost method
/// in runtime/CompressionMethods.def (a static_assert checks up to Last).
enum class Method {
  Dense,
  TopK,
  TopKSampled,
  GTopK,
  DGC,
  LowRank,
  PowerSGD,
  Last = PowerSGD
};
enum class Collective { Allreduce, Allgather, GTopK };

/// One measured point of a cost curve: `us` at `size` (agtf-profile's
/// samples, the slowest rank's time). A collective's size is the bytes each
/// rank contributes; a compressor's, the elements of its bucket.
struct Sample {
  double size, us;
};

/// The measured curves a cluster file may carry, by the key agtf-profile
/// writes them under ("measured.<name>.samples"). CommBesideSparsify maps
/// a comm-lane task's time alone (its size, in us) to its time while the
/// sparsify lane runs beside it (ranks whose compression and collectives
/// share a host's cores; agtf-profile --from-trace fits it).
enum class Curve {
  Allreduce,
  Allgather,
  GTopK,
  Compress,
  Decompress,
  CommBesideSparsify
};
constexpr int kCurves = 6;
/// "allreduce", "allgather", "gtopk", "compress", "decompress",
/// "comm_beside_sparsify".
const char *curveName(Curve curve);

/// Network and device constants. Times in microseconds.
struct Cluster {
  int64_t workers = 16;
  // Latency (us) and inverse bandwidth (us per byte) per collective.
  double alphaUs[3] = {100.0, 100.0, 100.0};
  double betaUsPerByte[3] = {8.5e-3, 8.5e-3, 8.5e-3};
  double sparsifyUs = 20.0;             // s0
  double sparsifyUsPerElement = 2.6e-5; // s1
  double packUsPerElement = 2.7e-6;     // p1
  /// d1: a selection's decompression into its bucket, on the comm lane
  /// (zeroing, scattering and averaging every rank's k; agtf-profile
  /// measures it; 0 in a cluster written by hand).
  double decompressUsPerElement = 0.0;
  /// h: the engine's fixed cost per bucket on the comm lane (the hand-offs
  /// between its threads, dispatch), beyond the collectives' own latency;
  /// fitted from agtf-run's traces (agtf-profile --from-trace), 0 by hand.
  double bucketUs = 0.0;
  int64_t valueBytes = 4;
  int64_t indexBytes = 4;
  Timeline timeline = Timeline::Serial;
  double peakGflops = 60000.0; // roofline of backward when unprofiled
  double efficiency = 0.5;
  double updateUsPerElement = 5.0e-6;

  /// Measured curves, increasing in size (agtf-profile): a collective's at
  /// these `workers` price it instead of its alpha and beta; the
  /// compressor's price a selection's sparsification and decompression
  /// instead of s0, s1 and d1 (CostModel.h, collectiveUs, sparsifyCost).
  std::vector<Sample> samples[kCurves];

  std::vector<Sample> &curve(Curve c) { return samples[int(c)]; }
  const std::vector<Sample> &curve(Curve c) const { return samples[int(c)]; }
  void clearCollectiveSamples() {
    for (Curve c : {Curve::Allreduce, Curve::Allgather, Curve::GTopK})
      curve(c).clear();
  }

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

} // namespace agtf::cost

#endif // AGTF_PASSES_COST_PROBLEM_H
