//===- Train.h - agtf-run --model: LibTorch training ------------*- C++ -*-===//
//
// The training driver: agtf-run's options handed to the training library's
// loop (runtime/training/TrainingLoop.h, docs/training.md).
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_TOOLS_AGTFRUN_TRAIN_H
#define AGTF_TOOLS_AGTFRUN_TRAIN_H

#include "Options.h"

#include "runtime/Communicator.h"
#include "runtime/Device.h"
#include "runtime/ScheduleReader.h"

#include <memory>

namespace agtf::run {

/// Trains, on `device`'s GPU when there is one; returns the rank's exit
/// status. Every rank reaches the same verdict on the model before any
/// collective.
int runTraining(runtime::Communicator &comm, const Options &options,
                std::shared_ptr<const runtime::Schedule> schedule,
                runtime::Device *device);

} // namespace agtf::run

#endif // AGTF_TOOLS_AGTFRUN_TRAIN_H
