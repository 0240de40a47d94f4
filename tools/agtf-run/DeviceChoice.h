//===- DeviceChoice.h - agtf-run's --device and --backend -------*- C++ -*-===//

#ifndef AGTF_TOOLS_AGTFRUN_DEVICECHOICE_H
#define AGTF_TOOLS_AGTFRUN_DEVICECHOICE_H

#include "Options.h"

#include "runtime/Communicator.h"
#include "runtime/Device.h"

#include <memory>
#include <string>

namespace agtf::run {

/// The device and backend the options ask for, made on every rank (a
/// collective over `comm`). --device cpu: returns null and leaves `error`
/// empty. When any rank cannot have them (a binary built without CUDA or
/// NCCL, no GPU on a host), every rank returns null with `error` set: the
/// reason on the ranks that failed, "" on the others, so that only they
/// print it and every rank exits with status 1.
std::unique_ptr<runtime::Device> chooseDevice(const Options &options,
                                              runtime::Communicator &comm,
                                              bool &failed, std::string &error);

} // namespace agtf::run

#endif // AGTF_TOOLS_AGTFRUN_DEVICECHOICE_H
