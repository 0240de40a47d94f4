//===- ScheduleCosts.h - the cost model a schedule was planned with -*- C++
//-*-===//
//
// A schedule carries the cluster constants and measured curves of its plan
// (docs/schedule-format.md); this gives them back as the cost library's
// Cluster, so that the runtime can price a bucket the way the passes did
// (agtf-run --sparsify-time planned) and the translation back to MLIR
// restores them. Plain C++: the runtime half links it without MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_SCHEDULECOSTS_H
#define AGTF_RUNTIME_SCHEDULECOSTS_H

#include "passes/cost/Problem.h"
#include "runtime/Schedule_generated.h"

#include <vector>

namespace agtf::runtime {

/// The schedule's cost model (a checked schedule: ScheduleReader).
cost::Cluster clusterOf(const fb::Schedule &schedule);

/// Each bucket's sparsification as the plan priced it: the compress curve
/// or s0 + s1 N for a compressed bucket, p1 N for a dense one.
std::vector<double> plannedSparsifyUs(const fb::Schedule &schedule);

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_SCHEDULECOSTS_H
