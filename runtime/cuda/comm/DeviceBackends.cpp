//===- DeviceBackends.cpp - the ways to run a device's collectives --------===//

#include "runtime/cuda/comm/DeviceBackends.h"

#include "runtime/cuda/comm/SelfDeviceCommunicator.h"
#ifdef AGTF_HAVE_MPI
#include "runtime/comm/MpiCommunicator.h"
#include "runtime/cuda/comm/MpiDeviceCommunicator.h"
#endif
#ifdef AGTF_HAVE_NCCL
#include "runtime/cuda/comm/NcclCommunicator.h"
#endif

using namespace agtf::runtime;

namespace {
/// MPI on device buffers; a build without MPI has one rank and needs none.
std::unique_ptr<DeviceCommunicator> makeMpi(Communicator &host) {
#ifdef AGTF_HAVE_MPI
  if (host.name() == "mpi")
    return std::make_unique<MpiDeviceCommunicator>(
        static_cast<MpiCommunicator &>(host));
#endif
  return std::make_unique<SelfDeviceCommunicator>(host);
}

#ifdef AGTF_HAVE_NCCL
std::unique_ptr<DeviceCommunicator> makeNccl(Communicator &host) {
  return NcclCommunicator::create(host);
}
#endif
} // namespace

const std::vector<DeviceBackend> &agtf::runtime::deviceBackends() {
  static const std::vector<DeviceBackend> backends = {
      {"mpi", &makeMpi, ""},
#ifdef AGTF_HAVE_NCCL
      {"nccl", &makeNccl, ""},
#else
      {"nccl", nullptr,
       "this build has no NCCL (nccl.h and libnccl were not found at "
       "configure time)"},
#endif
  };
  return backends;
}

const DeviceBackend *agtf::runtime::findDeviceBackend(const std::string &name) {
  for (const DeviceBackend &b : deviceBackends())
    if (name == b.name)
      return &b;
  return nullptr;
}
