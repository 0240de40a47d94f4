//===- Train.h - agtf-run --model: LibTorch training ------------*- C++ -*-===//
//
// The training driver: every rank loads the TorchScript model, checks it
// against the schedule, and trains on its shard of the data through the
// Trainer API (runtime/training/Trainer.h) with the SGD step of runtime/training/Sgd.h.
// Rank 0 reports progress, writes the log and saves the model
// (docs/training.md). Compiled with exceptions; none leaves runTraining().
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
