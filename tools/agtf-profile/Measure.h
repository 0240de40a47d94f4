//===- Measure.h - timing collectives and sparsification kernels -*- C++
//-*-===//
//
// The measurements behind agtf-profile's fits. A collective's time at one
// size is the median over repetitions (each after a barrier) on every rank,
// then the maximum over ranks: a step ends when its slowest rank does.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_TOOLS_AGTFPROFILE_MEASURE_H
#define AGTF_TOOLS_AGTFPROFILE_MEASURE_H

#include "Fit.h"

#include "runtime/Communicator.h"

#include <cstdint>
#include <vector>

namespace agtf::profile {

enum class Collective { Allreduce, Allgather, GTopK, Broadcast, SendRecv };
constexpr int numCollectives = 5;

/// "allreduce", "allgather", "gtopk", "broadcast", "sendrecv".
const char *collectiveName(Collective c);

/// The model's multipliers of alpha (A) and of bytes·beta (B) on P ranks
/// (DESIGN.md section 4), so that T = A·alpha + B·bytes·beta.
void modelMultipliers(Collective c, int P, double &A, double &B);

/// Log-spaced sizes from `least` to `most` (factor 4), `most` included.
std::vector<int64_t> logSizes(int64_t least, int64_t most, double factor);

/// Times `c` at each message size (bytes; allgather: one rank's block) on
/// every rank and returns, on every rank, the max over ranks of the median.
std::vector<Sample> measureCollective(runtime::Communicator &comm, Collective c,
                                      const std::vector<int64_t> &sizes,
                                      int64_t reps, int64_t warmup);

/// The CPU kernels' times over tensor sizes (elements), on this rank.
struct KernelSamples {
  std::vector<Sample> exactTopK;   // kernels::selectTopKCpu, density 0.001
  std::vector<Sample> sampledTopK; // kernels::selectSampledTopKCpu, likewise
  std::vector<Sample> pack;        // memcpy of N floats into a fused buffer
};
constexpr double profiledDensity = 0.001;
KernelSamples measureKernelsCpu(const std::vector<int64_t> &sizes, int64_t reps,
                                int64_t warmup);

/// The engine's compressor of one top-k bucket (exact, or sampled with
/// `sampled`) at profiledDensity, run as agtf-run runs it: compress() (the
/// compression lane: error feedback, selection, packing) and communicate()
/// (the comm lane: the collectives and the decompression into the bucket),
/// on every rank at once. Every rank returns the slowest rank's medians.
struct CompressorSamples {
  std::vector<Sample> compress, communicate;
};
CompressorSamples measureCompressorCpu(runtime::Communicator &comm,
                                       const std::vector<int64_t> &sizes,
                                       bool sampled, int64_t reps,
                                       int64_t warmup);

} // namespace agtf::profile

#endif // AGTF_TOOLS_AGTFPROFILE_MEASURE_H
