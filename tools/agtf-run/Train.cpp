//===- Train.cpp - agtf-run --model: LibTorch training --------------------===//

#include "Train.h"

#include "runtime/training/TrainingLoop.h"

using namespace agtf;
using namespace agtf::runtime;

int agtf::run::runTraining(Communicator &comm, const Options &options,
                           std::shared_ptr<const Schedule> schedule,
                           Device *device) {
  TrainingOptions t = options.training;
  t.schedule = options.schedule;
  t.lr = options.lr;
  t.seed = options.seed;
  t.trace = options.trace;
  t.json = options.json;
  t.summaryName = "the --json summary";
  return trainModel(comm, t, std::move(schedule), device);
}
