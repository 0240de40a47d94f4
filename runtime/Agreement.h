//===- Agreement.h - ranks agree on what they run -------------*- C++ -*-===//
//
// One exchange at startup (DESIGN.md section 8): every rank contributes
// whether it could read its schedule and a list of named values that must
// be alike on every rank: the world size, the schedule's hashes, and what
// the caller adds (agtf-run: every option that changes what is computed or
// how many collectives are issued, and the identity of the input files).
// Every rank gets the same verdict, naming the value, the rank and both
// values, so all of them stop together with one message instead of hanging
// in mismatched collectives or training apart later.
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

/// One thing every rank must have alike: compared by `value`, named in the
/// message by `name` ("--seed", "the schedule") and shown as `shown` (the
/// value when empty), so that a value may be compared by a hash and shown
/// with the path it came from.
struct AgreedItem {
  std::string name;
  std::string value;
  std::string shown;
};

struct RankIdentity {
  /// Empty when the rank read its schedule; else why not.
  std::string error;
  /// Compared in this order: the first that differs is the one named.
  std::vector<AgreedItem> items;

  void agree(std::string name, std::string value, std::string shown = "") {
    items.push_back({std::move(name), std::move(value), std::move(shown)});
  }
};

/// Reads the schedule at `path` and records in `me` what the ranks compare:
/// the schedule's model (its layout hash) and the schedule (its hash), or
/// why it could not be read.
ScheduleOrError readScheduleFor(RankIdentity &me, const std::string &path);

/// What the ranks compare of input files that each rank reads for itself
/// (its own copy, perhaps under another path): "bytes hash 0x…" over the
/// files in order, or "cannot read 'PATH': why".
std::string filesIdentity(const std::vector<std::string> &paths);

/// Exchanges every rank's identity and the world size it sees. Returns ""
/// when every rank read its schedule and every item is alike, else one
/// message, the same on every rank: the first rank that cannot use its
/// schedule, or the first item that differs, e.g. "ranks disagree: --seed is
/// 2 on rank 1 but 1 on rank 0". A rank that does not arrive within the
/// communicator's timeout ends the job with a message naming the agreement.
std::string checkAgreement(Communicator &comm, const RankIdentity &mine);

/// The end of a run: gathers every rank's hash of its final parameters into
/// `all`. Returns "" when they are equal, else a message naming the first
/// rank whose parameters differ from rank 0's (the same on every rank).
std::string compareParameters(Communicator &comm, uint64_t mine,
                              std::vector<uint64_t> &all);

/// Where ranks each check something of their own (a file they write, the
/// model they load) before a collective: every rank gives "" or why it
/// cannot go on, and gets "" when all can, else "rank R: why" of the first
/// that cannot, the same on every rank, so that all stop together instead
/// of the others waiting for it in the next collective.
std::string firstFailure(Communicator &comm, const std::string &mine);

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_AGREEMENT_H
