//===- Agreement.h - ranks agree on the schedule before they start -*- C++ -*-//
//
// One allgather at startup (DESIGN.md section 8): every rank contributes
// whether it could read its schedule, the schedule's hash, the model layout
// hash, the world size it sees and the device it asks for. Every rank gets the
// same verdict, so all of them stop together with one message instead of
// hanging in mismatched collectives later.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_AGREEMENT_H
#define AGTF_RUNTIME_AGREEMENT_H

#include "runtime/Communicator.h"
#include "runtime/ScheduleReader.h"

#include <cstdint>
#include <string>
#include <vector>

namespace agtf::runtime {

/// FNV-1a over the schedule file's bytes.
uint64_t scheduleHash(const std::vector<uint8_t> &bytes);

struct RankIdentity {
  /// Empty when the rank read its schedule; else why not.
  std::string error;
  std::string path;
  uint64_t scheduleHash = 0;
  uint64_t layoutHash = 0;
  /// Where the rank computes and how its device communicates: "cpu",
  /// "cuda/mpi" or "cuda/nccl". Making a device is a collective, so ranks
  /// that ask for different ones would hang in it.
  std::string device = "cpu";
};

/// Reads the schedule at `path` and records in `me` what the ranks compare:
/// the path, and the hashes or why it could not be read.
ScheduleOrError readScheduleFor(RankIdentity &me, const std::string &path);

/// Returns "" when every rank read a schedule with the same hashes and asks
/// for the same device, else a
/// message naming the first rank that differs from rank 0 (the same text on
/// every rank).
std::string checkAgreement(Communicator &comm, const RankIdentity &mine);

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_AGREEMENT_H
