//===- ResidualReport.h - measured residuals of a run, every rank -*- C++ -*-//
//
// The end of a run (replay or training): every rank's mean ratios of each
// bucket's ResidualMeter, gathered in one collective, and their means over
// the ranks, for agtf-run's summaries (docs/runtime.md, "Measured
// residual"). Set beside the plan's predicted noise: gcomm-simulate's
// `relative` noise is the sum over sparse buckets of the sum over members
// of (1 - energy kept), which `measuredNoise` measures.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_RESIDUALREPORT_H
#define AGTF_RUNTIME_RESIDUALREPORT_H

#include "runtime/Communicator.h"
#include "runtime/Json.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace agtf::runtime {

class Compressor;

struct BucketResidual {
  std::string bucket, kind;
  /// Null: not measured (low-rank, device compressors).
  std::optional<double> ratio; // mean over ranks of the per-iteration mean
  std::vector<double> ratioPerRank;
  /// Sum over members of each member's ratio (mean over ranks).
  std::optional<double> memberSum;
  std::vector<std::string> members;
  std::vector<double> memberRatio; // mean over ranks, per member
};

struct ResidualReport {
  int64_t iterations = 0; // averaged over, per rank
  std::vector<BucketResidual> buckets;
  /// Sum of memberSum over the measured buckets.
  double measuredNoise = 0;
  /// The number of sparse buckets that were not measured.
  int unmeasuredSparse = 0;
};

/// Collective (one allgather), on every rank; every rank's report is the
/// same.
ResidualReport
gatherResidualReport(const std::vector<std::unique_ptr<Compressor>> &buckets,
                     Communicator &comm);

/// The summary's "residual" object; `predictedNoise` (the schedule's, when
/// it has a predicted timeline) goes beside the measured noise.
Json residualJson(const ResidualReport &report,
                  std::optional<double> predictedNoise);

/// The text summary's lines: the plan's figure and one per sparse bucket.
std::string residualText(const ResidualReport &report,
                         std::optional<double> predictedNoise);

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_RESIDUALREPORT_H
