//===- DeviceBackends.h - the ways to run a device's collectives -*- C++
//-*-===//
//
// One table of the device communicators (agtf-run's and the Trainer's
// --backend): adding a backend adds a row here and its communicator in
// this folder. A backend this build lacks keeps its row, with the reason,
// so that asking for it is a clear error, never a silent fallback.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_CUDA_COMM_DEVICEBACKENDS_H
#define AGTF_RUNTIME_CUDA_COMM_DEVICEBACKENDS_H

#include "runtime/Communicator.h"
#include "runtime/cuda/DeviceCommunicator.h"

#include <memory>
#include <string>
#include <vector>

namespace agtf::runtime {

struct DeviceBackend {
  /// As --backend spells it.
  const char *name;
  /// Makes the communicator over `host` (a collective: every rank calls
  /// it). Null when this build lacks the backend.
  std::unique_ptr<DeviceCommunicator> (*make)(Communicator &host);
  /// Why `make` is null.
  const char *missing;
};

/// Every backend, the default first.
const std::vector<DeviceBackend> &deviceBackends();
/// The row named `name`, or null.
const DeviceBackend *findDeviceBackend(const std::string &name);

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_CUDA_COMM_DEVICEBACKENDS_H
