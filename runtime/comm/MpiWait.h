//===- MpiWait.h - how a rank waits inside an MPI collective ----*- C++ -*-===//
//
// Open MPI waits by polling. Asked to yield while idle it calls
// sched_yield(), which gives the core only to threads of the same scheduling
// group: where every rank is a session of its own (Linux's autogroups, one
// per session, as when each rank has its own launch daemon), a rank polling
// in a collective keeps its core until its group's slice ends, and another
// rank's thread woken meanwhile waits 25-28 ms for it (docs/benchmarks.md,
// "Where the error comes from"). A sleeping wait starts the collective
// nonblocking and tests it between short sleeps, leaving the core to
// whichever thread needs it.
//
// AGTF_MPI_WAIT chooses: spin (MPI's own blocking calls, the default),
// sleep, or auto (sleep where some rank's node has fewer than two cores per
// rank). Spin stays the default because measured on the emulated network
// sleeping removed most stalls but made each collective about four times
// slower (Open MPI's nonblocking collectives progress only in MPI_Test).
// Blocking and nonblocking collectives do not match each other, so the
// job agrees on one mode at startup.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_COMM_MPIWAIT_H
#define AGTF_RUNTIME_COMM_MPIWAIT_H

#include <string>

namespace agtf::runtime {

enum class MpiWait { Spin, Sleep };

/// What one rank asks for: AGTF_MPI_WAIT's value, and whether its node's
/// cores are shared.
struct MpiWaitRequest {
  enum Kind { Unset, Auto, Spin, Sleep, Invalid };
  Kind kind = Unset;
  bool coresShared = false;
};

/// `value` is AGTF_MPI_WAIT (null or empty: unset, which follows the
/// other ranks' choice, else spins); `localRanks` and `cores`
/// are this node's ranks and the cores this process may run on.
MpiWaitRequest requestMpiWait(const char *value, long localRanks, long cores);

/// One rank's request as integers for one MPI_MAX allreduce, and the job's
/// mode from their maximum: an invalid value anywhere, or ranks that name
/// different modes, is an error (returns false with `error` set).
constexpr int kMpiWaitVotes = 5;
void mpiWaitVotes(const MpiWaitRequest &request, int votes[kMpiWaitVotes]);
bool decideMpiWait(const int maxVotes[kMpiWaitVotes], MpiWait &mode,
                   std::string &error);

/// "spin" or "sleep".
const char *mpiWaitName(MpiWait mode);

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_COMM_MPIWAIT_H
