//===- Options.h - agtf-profile's command line ------------------*- C++ -*-===//

#ifndef AGTF_TOOLS_AGTFPROFILE_OPTIONS_H
#define AGTF_TOOLS_AGTFPROFILE_OPTIONS_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace agtf::profile {

struct Options {
  std::string output;
  std::string device = "cpu";
  /// Largest message of the collectives (allgather: the gathered buffer).
  int64_t maxBytes = int64_t(32) << 20;
  /// Largest tensor of the sparsification and pack measurements.
  int64_t maxElements = 10000000;
  /// Smallest tensor of those measurements: the fits weigh relative error,
  /// so the range should be the sizes the buckets will have.
  int64_t minElements = 1000;
  int64_t reps = 10;
  int64_t warmup = 2;
  /// Every rank times the kernels at once (ranks that share a host's cores,
  /// as emulated hosts do, slow each other down); else rank 0 alone.
  bool kernelsOnEveryRank = false;
  /// Which top-k fit becomes sparsify_us and sparsify_us_per_element:
  /// "exact" (kernels::selectTopKCpu) or "sampled" (DGC's threshold).
  std::string selection = "exact";
  /// A communication call that waits longer ends the job; 0: never.
  double timeoutSeconds = 120;
  /// --from-trace: fit `cluster` to agtf-run's traces instead of measuring;
  /// `runs` holds SCHEDULE.bin TRACE.json pairs.
  bool fromTrace = false;
  std::string cluster;
  std::vector<std::string> runs;
};

/// Parses argv. Returns the exit status when agtf-profile should stop
/// (after --help, --version, or a bad command line, each printed), nothing
/// when it should run.
std::optional<int> parseOptions(int argc, char **argv, Options &options);
extern const char *const usage;

} // namespace agtf::profile

#endif // AGTF_TOOLS_AGTFPROFILE_OPTIONS_H
