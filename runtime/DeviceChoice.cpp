//===- DeviceChoice.cpp - the device and backend a job asks for -----------===//

#include "runtime/DeviceChoice.h"

#ifdef AGTF_HAVE_CUDA
#include "runtime/cuda/CudaDevice.h"
#include "runtime/cuda/comm/DeviceBackends.h"
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
#ifdef AGTF_HAVE_CUDA
  std::unique_ptr<CudaDevice> cuda = CudaDevice::create(comm, error);
  const DeviceBackend *chosen = findDeviceBackend(backend);
  if (cuda && !chosen) {
    error = "--backend " + backend + ": no such backend (";
    for (const DeviceBackend &b : deviceBackends())
      error +=
          std::string(&b == &deviceBackends().front() ? "" : ", ") + b.name;
    error += ")";
  } else if (cuda && !chosen->make) {
    error = "--backend " + backend + ": " + chosen->missing;
  }
#else
  (void)backend;
  error = "--device cuda: this build has no CUDA (no nvcc at configure "
          "time); rebuild where nvcc is, or use --device cpu";
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
  cuda->setCommunicator(chosen->make(comm));
  return cuda;
#else
  return nullptr;
#endif
}
