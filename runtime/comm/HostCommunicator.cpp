//===- HostCommunicator.cpp - the job's communicator between hosts --------===//

#include "runtime/comm/HostCommunicator.h"

#ifdef AGTF_HAVE_MPI
#include "runtime/comm/MpiCommunicator.h"
#else
#include "runtime/comm/SelfCommunicator.h"
#endif

using namespace agtf::runtime;

std::unique_ptr<Communicator>
agtf::runtime::makeHostCommunicator(int *argc, char ***argv,
                                    double timeoutSeconds, std::string &error) {
#ifdef AGTF_HAVE_MPI
  return MpiCommunicator::create(argc, argv, timeoutSeconds, error);
#else
  (void)argc;
  (void)argv;
  (void)timeoutSeconds;
  error.clear();
  return std::make_unique<SelfCommunicator>();
#endif
}
