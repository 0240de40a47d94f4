//===- TrainingLoop.h - a training run through the Trainer ------*- C++ -*-===//
//
// What `agtf-run --model` runs (docs/training.md): every rank loads the
// TorchScript model, checks it against the schedule, and trains on its
// shard of the data through the Trainer with the SGD step of Sgd.h; rank 0
// reports progress, writes the log and saves the model. Compiled with
// exceptions; none leaves trainModel().
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_TRAINING_TRAININGLOOP_H
#define AGTF_RUNTIME_TRAINING_TRAININGLOOP_H

#include "runtime/Communicator.h"
#include "runtime/Device.h"
#include "runtime/ScheduleReader.h"

#include <cstdint>
#include <memory>
#include <string>

namespace agtf::runtime {

struct TrainingOptions {
  /// For messages: where the schedule came from.
  std::string schedule;
  std::string model;
  std::string data = "fashion-mnist"; // or "synthetic"
  std::string dataDir = "/usr/share/datasets/fashion-mnist";
  std::string inputShape; // CxHxW for synthetic data; "" from the model
  int64_t epochs = 1;
  int64_t batchSize = 32;
  double lr = 0.01;
  double momentum = 0.9;
  double weightDecay = 0;
  double lrWarmupEpochs = 0;
  std::string lrSchedule = "constant"; // or "cosine"
  uint64_t seed = 1;
  int64_t trainSamples = 0; // 0: the whole split
  int64_t testSamples = 0;
  /// Files rank 0 writes ("" for none): the trained model, the per-epoch
  /// log; the trace is every rank's (rank r > 0 adds ".rank<r>").
  std::string save, log, trace;
  /// A JSON summary on stdout instead of the text one, and its name in
  /// warnings.
  bool json = false;
  std::string summaryName = "the summary";
};

/// Trains, on `device`'s GPU when there is one; returns the rank's exit
/// status. Every rank reaches the same verdict on the model before any
/// collective; a failure after that ends the job.
int trainModel(Communicator &comm, const TrainingOptions &options,
               std::shared_ptr<const Schedule> schedule, Device *device);

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_TRAINING_TRAININGLOOP_H
