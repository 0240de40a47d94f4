//===- Options.h - agtf-run's command line ----------------------*- C++ -*-===//

#ifndef AGTF_TOOLS_AGTFRUN_OPTIONS_H
#define AGTF_TOOLS_AGTFRUN_OPTIONS_H

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
  /// Iterations per epoch for DGC's density warmup; 0: warmup over.
  int64_t epochIters = 0;
  /// A communication call that waits longer ends the job; 0: never.
  double timeoutSeconds = 120;
  double lr = 0.01;
  /// Where gradients and compression live: "cpu" or "cuda".
  std::string device = "cpu";
  /// Who carries the collectives: "mpi" or "nccl" (needs cuda).
  std::string backend = "mpi";

  // Training (--model; docs/training.md).
  std::string model;
  std::string data = "fashion-mnist"; // or "synthetic"
  std::string dataDir = "/usr/share/datasets/fashion-mnist";
  std::string inputShape; // CxHxW for synthetic data; "" from the model
  int64_t epochs = 1;
  int64_t batchSize = 32;
  double momentum = 0.9;
  double weightDecay = 0;
  double lrWarmupEpochs = 0;
  std::string lrSchedule = "constant"; // or "cosine"
  std::string save;
  std::string log;
  int64_t trainSamples = 0; // 0: the whole split
  int64_t testSamples = 0;
};

/// Parses argv. Returns the exit status when agtf-run should stop (after
/// --help, --version, or a bad command line, each printed), nothing when
/// it should run.
std::optional<int> parseOptions(int argc, char **argv, Options &options);
extern const char *const usage;

} // namespace agtf::run

#endif // AGTF_TOOLS_AGTFRUN_OPTIONS_H
