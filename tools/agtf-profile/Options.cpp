//===- Options.cpp - agtf-profile's command line --------------------------===//

#include "Options.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

using namespace agtf::profile;

const char *const agtf::profile::usage =
    R"(usage: mpirun -np P agtf-profile -o CLUSTER.json [options]

Measures this cluster's cost constants and writes the cluster file that
gcomm-annotate-cost reads (docs/cli.md, docs/passes.md).

  -o FILE              the cluster file to write (rank 0; required)
  --device cpu         where the sparsification kernels run (cpu only for now)
  --max-bytes N        largest message of the collectives (default 33554432)
  --max-elements N     largest tensor of the sparsification and pack
                       measurements, >= 1000 (default 10000000)
  --min-elements N     smallest one, >= 1000 and below --max-elements
                       (default 1000)
  --reps N             timed repetitions per size (default 10)
  --warmup N           untimed repetitions before them (default 2)
  --kernels-on-every-rank
                       every rank times the kernels at the same time (ranks
                       sharing one host's cores); the slowest rank's time
                       counts. Default: rank 0 alone
  --selection exact|sampled
                       the top-k fit written as sparsify_us and
                       sparsify_us_per_element (default exact)
  --timeout S          end the job when one communication call waits longer
                       than S seconds (default 120; 0: never)
)";

namespace {
bool parseInt(const char *s, int64_t &out) {
  char *end = nullptr;
  errno = 0;
  long long v = std::strtoll(s, &end, 10);
  if (errno || end == s || *end)
    return false;
  out = v;
  return true;
}

bool parseDouble(const char *s, double &out) {
  char *end = nullptr;
  errno = 0;
  double v = std::strtod(s, &end);
  if (errno || end == s || *end || !std::isfinite(v))
    return false;
  out = v;
  return true;
}
} // namespace

std::string agtf::profile::parseOptions(int argc, char **argv, Options &o,
                                        bool &help) {
  help = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    const char *v = nullptr;
    auto value = [&]() -> bool {
      if (i + 1 >= argc)
        return false;
      v = argv[++i];
      return true;
    };
    int64_t n = 0;
    if (arg == "--help" || arg == "-h") {
      help = true;
      return "";
    } else if (arg == "-o" || arg == "--output") {
      if (!value())
        return arg + " needs a file";
      o.output = v;
    } else if (arg == "--device") {
      if (!value())
        return arg + " needs a value";
      if (std::string(v) != "cpu")
        return std::string("--device '") + v +
               "': only 'cpu' is supported for now";
      o.device = v;
    } else if (arg == "--kernels-on-every-rank") {
      o.kernelsOnEveryRank = true;
    } else if (arg == "--selection") {
      if (!value())
        return arg + " needs a value";
      if (std::string(v) != "exact" && std::string(v) != "sampled")
        return std::string("--selection '") + v +
               "': expected 'exact' or 'sampled'";
      o.selection = v;
    } else if (arg == "--max-bytes" || arg == "--max-elements" ||
               arg == "--min-elements" ||
               arg == "--reps" || arg == "--warmup") {
      if (!value())
        return arg + " needs a value";
      // Bounds keep every size list at least two points long.
      int64_t least = arg == "--max-bytes"      ? 64
                      : arg == "--max-elements" ? 1000
                      : arg == "--min-elements" ? 1000
                      : arg == "--reps"         ? 1
                                                : 0;
      if (!parseInt(v, n) || n < least)
        return arg + ": '" + v +
               "' is not an integer >= " + std::to_string(least);
      if (arg == "--max-bytes")
        o.maxBytes = n;
      else if (arg == "--max-elements")
        o.maxElements = n;
      else if (arg == "--min-elements")
        o.minElements = n;
      else if (arg == "--reps")
        o.reps = n;
      else
        o.warmup = n;
    } else if (arg == "--timeout") {
      double d = 0;
      if (!value())
        return arg + " needs a value";
      if (!parseDouble(v, d) || d < 0)
        return arg + ": '" + v + "' is not a non-negative number";
      o.timeoutSeconds = d;
    } else {
      return "unknown argument '" + arg + "'";
    }
  }
  if (o.output.empty())
    return "no output file: give -o CLUSTER.json";
  // MPI counts are int; the allreduce counts floats.
  if (o.maxBytes > (int64_t(1) << 30))
    return "--max-bytes: at most 1073741824";
  if (o.maxElements > (int64_t(1) << 30))
    return "--max-elements: at most 1073741824";
  if (o.minElements >= o.maxElements)
    return "--min-elements must be below --max-elements";
  return "";
}
