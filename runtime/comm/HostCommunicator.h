//===- HostCommunicator.h - the job's communicator between hosts -*- C++
//-*-===//
//
// The one place that chooses the host communicator, for agtf-run,
// agtf-profile and Trainer::open: MPI where this build has it, else the
// one-rank SelfCommunicator.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_COMM_HOSTCOMMUNICATOR_H
#define AGTF_RUNTIME_COMM_HOSTCOMMUNICATOR_H

#include "runtime/Communicator.h"

#include <memory>
#include <string>

namespace agtf::runtime {

/// MPI is initialised from `argc` and `argv` (both may be null); a call
/// that waits longer than `timeoutSeconds` (0: no limit) ends the rank.
/// Returns null with `error` set when MPI cannot start.
std::unique_ptr<Communicator> makeHostCommunicator(int *argc, char ***argv,
                                                   double timeoutSeconds,
                                                   std::string &error);

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_COMM_HOSTCOMMUNICATOR_H
