//===- MpiWait.cpp - how a rank waits inside an MPI collective ------------===//

#include "runtime/comm/MpiWait.h"

#include <cstring>

using namespace agtf::runtime;

MpiWaitRequest agtf::runtime::requestMpiWait(const char *value, long localRanks,
                                             long cores) {
  MpiWaitRequest r;
  // The engine keeps two threads per rank busy (see MpiCommunicator.cpp).
  r.coresShared = localRanks > 0 && cores > 0 && 2 * localRanks > cores;
  if (!value || !*value)
    r.kind = MpiWaitRequest::Unset;
  else if (!std::strcmp(value, "auto"))
    r.kind = MpiWaitRequest::Auto;
  else if (!std::strcmp(value, "spin"))
    r.kind = MpiWaitRequest::Spin;
  else if (!std::strcmp(value, "sleep"))
    r.kind = MpiWaitRequest::Sleep;
  else
    r.kind = MpiWaitRequest::Invalid;
  return r;
}

void agtf::runtime::mpiWaitVotes(const MpiWaitRequest &request,
                                 int votes[kMpiWaitVotes]) {
  votes[0] = request.kind == MpiWaitRequest::Invalid;
  votes[1] = request.kind == MpiWaitRequest::Spin;
  votes[2] = request.kind == MpiWaitRequest::Sleep;
  votes[3] = request.kind == MpiWaitRequest::Auto && request.coresShared;
  votes[4] = request.kind == MpiWaitRequest::Auto;
}

bool agtf::runtime::decideMpiWait(const int maxVotes[kMpiWaitVotes],
                                  MpiWait &mode, std::string &error) {
  if (maxVotes[0]) {
    error = "AGTF_MPI_WAIT is not spin, sleep or auto on some rank";
    return false;
  }
  if (maxVotes[1] && maxVotes[2]) {
    error = "ranks disagree: AGTF_MPI_WAIT is spin on some ranks and sleep "
            "on others (blocking and nonblocking collectives do not match)";
    return false;
  }
  // A rank's explicit choice holds for the job; else, under auto, one node
  // whose cores are shared makes every rank sleep; unset everywhere spins.
  if (maxVotes[1])
    mode = MpiWait::Spin;
  else if (maxVotes[2])
    mode = MpiWait::Sleep;
  else
    mode = maxVotes[3] ? MpiWait::Sleep : MpiWait::Spin;
  return true;
}

const char *agtf::runtime::mpiWaitName(MpiWait mode) {
  return mode == MpiWait::Sleep ? "sleep" : "spin";
}
