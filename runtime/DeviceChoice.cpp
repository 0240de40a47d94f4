//===- DeviceChoice.cpp - the device and backend a job asks for -----------===//

#include "runtime/DeviceChoice.h"

#ifdef AGTF_HAVE_CUDA
#include "runtime/cuda/CudaDevice.h"
#include "runtime/cuda/SelfDeviceCommunicator.h"
#ifdef AGTF_HAVE_MPI
#include "runtime/MpiCommunicator.h"
#include "runtime/cuda/MpiDeviceCommunicator.h"
#endif
#ifdef AGTF_HAVE_NCCL
#include "runtime/cuda/NcclCommunicator.h"
#endif
#endif

#include <vector>

using namespace agtf::runtime;

std::unique_ptr<Device>
agtf::runtime::chooseDevice(const std::string &deviceName,
                            const std::string &backend, Communicator &comm,
                            bool &failed, std::string &error) {
  failed = false;
  error.clear();
  if (deviceName == "cpu")
    return nullptr;
  std::unique_ptr<Device> device;
#ifdef AGTF_HAVE_CUDA
  std::unique_ptr<CudaDevice> cuda = CudaDevice::create(comm, error);
#ifndef AGTF_HAVE_NCCL
  if (cuda && backend == "nccl")
    error = "--backend nccl: this agtf-run was built without NCCL (nccl.h "
            "and libnccl were not found at configure time)";
#endif
#else
  error = "--device cuda: this agtf-run was built without CUDA (no nvcc at "
          "configure time); rebuild where nvcc is, or use --device cpu";
#endif
  // Every rank learns whether all of them have what was asked for.
  int ok = error.empty() ? 1 : 0;
  std::vector<int> all(size_t(comm.size()));
  comm.allgather(&ok, sizeof(ok), all.data());
  comm.uncountPayloadBytes(sizeof(ok));
  for (int r : all)
    failed = failed || !r;
  if (failed)
    return nullptr;
#ifdef AGTF_HAVE_CUDA
  if (backend == "nccl") {
#ifdef AGTF_HAVE_NCCL
    cuda->setCommunicator(NcclCommunicator::create(comm));
#endif
  } else {
#ifdef AGTF_HAVE_MPI
    cuda->setCommunicator(std::make_unique<MpiDeviceCommunicator>(
        static_cast<MpiCommunicator &>(comm)));
#else
    cuda->setCommunicator(std::make_unique<SelfDeviceCommunicator>(comm));
#endif
  }
  device = std::move(cuda);
#endif
  return device;
}
