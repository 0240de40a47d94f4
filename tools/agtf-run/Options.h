//===- Options.h - agtf-run's command line ----------------------*- C++ -*-===//

#ifndef AGTF_TOOLS_AGTFRUN_OPTIONS_H
#define AGTF_TOOLS_AGTFRUN_OPTIONS_H

#include "runtime/training/TrainingLoop.h"

#include <cstdint>
#include <optional>
#include <string>

namespace agtf::run {

struct Options {
  std::string schedule;
  bool replay = false;
  int64_t iters = 20;
  int64_t warmup = 3;
  uint64_t seed = 1;
  bool check = false;
  std::string trace;
  bool json = false;
  /// Multiplies the profiled forward, backward and update times.
  double timeScale = 1.0;
  /// Replay: "measured" (compression runs on the sparsify lane, timed) or
  /// "planned" (it runs before the clock; the lane takes the time the plan
  /// charged for it, as backward takes the profile's).
  std::string sparsifyTime = "measured";
  /// Iterations per epoch for DGC's density warmup; 0: warmup over.
  int64_t epochIters = 0;
  /// A communication call that waits longer ends the job; 0: never.
  double timeoutSeconds = 120;
  double lr = 0.01;
  /// Where gradients and compression live: "cpu" or "cuda".
  std::string device = "cpu";
  /// Who carries the collectives: "mpi" or "nccl" (needs cuda).
  std::string backend = "mpi";

  /// Training (--model; docs/training.md): the training library's options
  /// but the ones above (schedule, seed, lr, trace, json), which replay
  /// shares and runTraining copies in.
  runtime::TrainingOptions training;
};

/// Parses argv. Returns the exit status when agtf-run should stop (after
/// --help, --version, or a bad command line, each printed), nothing when
/// it should run.
std::optional<int> parseOptions(int argc, char **argv, Options &options);
extern const char *const usage;

} // namespace agtf::run

#endif // AGTF_TOOLS_AGTFRUN_OPTIONS_H
