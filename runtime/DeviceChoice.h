//===- DeviceChoice.h - the device and backend a job asks for ---*- C++ -*-===//
//
// agtf-run's --device and --backend, and Trainer::open for parameters on a
// GPU: the device (null for the CPU) with its collectives' backend, made on
// every rank as a collective, so that all ranks agree on whether they have
// what was asked for.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_DEVICECHOICE_H
#define AGTF_RUNTIME_DEVICECHOICE_H

#include "runtime/Communicator.h"
#include "runtime/Device.h"

#include <memory>
#include <string>

namespace agtf::runtime {

/// `device` is "cpu" or "cuda", `backend` "mpi" or "nccl" (the device's
/// collectives). "cpu": returns null and leaves `error` empty. When any rank
/// cannot have them (a binary built without CUDA or NCCL, no GPU on a
/// host), every rank returns null with `failed` set and `error` holding the
/// reason on the ranks that failed, "" on the others, so that only they
/// print it and every rank exits with status 1.
std::unique_ptr<Device> chooseDevice(const std::string &device,
                                     const std::string &backend,
                                     Communicator &comm, bool &failed,
                                     std::string &error);

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_DEVICECHOICE_H
