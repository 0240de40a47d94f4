//===- TraceFit.h - the cost model fitted to agtf-run's traces --*- C++ -*-===//
//
// agtf-profile --from-trace: what agtf-run measured, lane by lane, while it
// ran schedules on the target cluster, folded into a cluster file. Each
// bucket's sparsification (the slowest rank's span) and communication (from
// the last rank's start to the last rank's end, on clocks aligned across
// ranks: before, the others wait for that rank; until the end, the next
// collective waits for the rank that leaves last) become points of the
// measured curves; the gaps between a lane's spans, where the work was
// ready and the lane idle, become the engine's cost per bucket. The planner
// then prices what the engine does, as it does it (docs/cli.md).
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_TOOLS_AGTFPROFILE_TRACEFIT_H
#define AGTF_TOOLS_AGTFPROFILE_TRACEFIT_H

#include "passes/cost/Problem.h"
#include "runtime/Json.h"

#include <string>
#include <vector>

namespace agtf::profile {

/// One traced run: the schedule agtf-run ran and rank 0's trace (the other
/// ranks' beside it, TRACE.rank1, TRACE.rank2, ...).
struct TracedRun {
  std::string schedule, trace;
};

/// What one run measured against what its schedule predicted.
struct RunSummary {
  std::string schedule;
  int ranks = 0;
  int iterations = 0; // used: the first iteration of a trace is left out
  uint32_t buckets = 0;
  double measuredUs = 0;  // median iteration of the slowest rank
  double predictedUs = 0; // the schedule's predicted_iter_us
};

struct TraceFitResult {
  runtime::Json cluster;
  std::vector<RunSummary> runs;
  double bucketUs = 0;
  /// Buckets (one per schedule) whose collectives ran mostly beside the
  /// sparsify lanes, and the others.
  int bucketsBeside = 0, bucketsAlone = 0;
  /// Points each curve took from the traces, in cost::Curve order.
  int curvePoints[cost::kCurves] = {};
  /// The timeline written: the one under which the measured lanes make the
  /// measured iterations best (stream or shared; serial stays), and the
  /// median relative error of each.
  std::string timeline;
  double timelineErrors[2] = {0, 0};
};

/// Fits `base` (a cluster file's JSON) to the runs. Returns "" or an error
/// that names the file at fault.
std::string fitFromTraces(const runtime::Json &base,
                          const std::vector<TracedRun> &runs,
                          TraceFitResult &result);

} // namespace agtf::profile

#endif // AGTF_TOOLS_AGTFPROFILE_TRACEFIT_H
