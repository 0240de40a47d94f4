//===- Compressor.h - one bucket's compression algorithm --------*- C++ -*-===//
//
// A compressor owns one bucket's algorithm and its state across iterations
// (error-feedback residual, DGC momentum, low-rank factors). The engine
// calls compress() on its compression thread and communicate() on its
// communication thread, bucket by bucket in schedule order, so that every
// rank issues the same collectives in the same order. After communicate()
// the bucket's gradient slice holds the average over ranks of what the
// algorithm kept (docs/runtime.md gives each algorithm's exact semantics).
//
// For agtf-run --check, compress() also keeps the input the algorithm saw;
// reference() recomputes the expected result from every rank's input with
// straightforward code, and the engine compares.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_COMPRESSOR_H
#define AGTF_RUNTIME_COMPRESSOR_H

#include "runtime/Communicator.h"
#include "runtime/ResidualMeter.h"
#include "runtime/ScheduleBuilder.h"
#include "runtime/Schedule_generated.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace agtf::runtime {

/// A bucket member as the compressors see it.
struct BucketTensor {
  std::string name;
  std::vector<int64_t> shape;
  int64_t offset = 0; // in elements, from the bucket's start
  int64_t numel = 0;
};

struct BucketInfo {
  uint32_t index = 0;
  std::string name;
  int64_t numel = 0;
  std::vector<BucketTensor> tensors;
  /// The schedule's Compression table as plain fields.
  CompressionSpec params;
};

/// Where in training an iteration is; the same on every rank.
struct IterationInfo {
  int64_t iteration = 0;
  /// For DGC's density warmup; negative: warmup over.
  int64_t epoch = -1;
};

class Compressor {
public:
  virtual ~Compressor();

  /// Reads the bucket's fresh gradients and prepares what to send.
  virtual void compress(const float *grad, const IterationInfo &it) = 0;
  /// Communicates and writes the average over ranks into `grad`.
  virtual void communicate(float *grad, Communicator &comm) = 0;

  /// Sets what reference() needs to know of iteration `it` (k, the
  /// selection seeds) without compressing: a device compressor keeps a CPU
  /// twin for --check and calls this instead of its compress().
  virtual void noteIteration(const IterationInfo &it) { (void)it; }

  /// --check: keep the algorithm's input from now on.
  void enableCheck() { checking = true; }
  /// The input of the last compress() (same length on every rank).
  const std::vector<float> &checkInput() const { return input; }
  /// The expected result from every rank's checkInput().
  virtual std::vector<float>
  reference(const std::vector<std::vector<float>> &inputs) const = 0;
  /// Largest admissible |result - reference| given every rank's input.
  virtual double tolerance(const std::vector<std::vector<float>> &inputs) const;

  /// Elements a rank keeps this iteration (k, or N for dense).
  virtual int64_t kept() const = 0;
  const BucketInfo &info() const { return bucket; }

  /// What the selection left behind, per iteration (the CPU's sparse
  /// kinds); null where it is not measured: dense buckets leave nothing,
  /// low-rank and device compressors do not measure it.
  const ResidualMeter *residualMeter() const { return meter.get(); }
  ResidualMeter *residualMeter() { return meter.get(); }

protected:
  Compressor(BucketInfo info, int rank, int size, uint64_t seed)
      : bucket(std::move(info)), rank(rank), size(size), seed(seed) {}

  BucketInfo bucket;
  int rank, size;
  uint64_t seed;
  bool checking = false;
  std::vector<float> input;
  std::unique_ptr<ResidualMeter> meter;
};

/// A meter for `info`'s members.
std::unique_ptr<ResidualMeter> makeResidualMeter(const BucketInfo &info);

/// The compressor for `info.params`; `seed` is the same on every rank.
std::unique_ptr<Compressor> makeCompressor(BucketInfo info, int rank, int size,
                                           uint64_t seed);

/// max |v| over every rank's input (at least 1e-30): the scale of
/// tolerances.
double largestMagnitude(const std::vector<std::vector<float>> &inputs);

/// The seed of rank `rank`'s sampled selection in (iteration, bucket): the
/// same on the rank that selects and on every rank that checks it.
uint64_t selectionSeed(uint64_t seed, int rank, int64_t iteration,
                       uint32_t bucket);

/// The density of a DGC bucket in `epoch` of its warmup (DGC's schedule:
/// density^((e + 1) / (E + 1)) for e < E, then density).
double warmupDensity(double density, int32_t warmupEpochs, int64_t epoch);

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_COMPRESSOR_H
