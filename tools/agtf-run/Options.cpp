//===- Options.cpp - agtf-run's command line ------------------------------===//

#include "Options.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>

using namespace agtf::run;

const char *const agtf::run::usage =
    R"(usage: mpirun -np P agtf-run SCHEDULE.bin --replay [options]

Runs a schedule written by agtf-translate on every rank (docs/runtime.md).

  --replay             synthetic backprop that follows each tensor's profiled
                       backward time, seeded heavy-tailed gradients, real
                       compression and communication, an SGD step
  --iters N            measured iterations (default 20)
  --warmup N           iterations run before measuring (default 3)
  --seed S             seeds gradients, DGC samples, low-rank factors (1)
  --check              every rank recomputes each bucket's result from all
                       ranks' inputs; any mismatch beyond rounding fails
  --trace FILE         measured timeline as Chrome-trace JSON; rank r > 0
                       writes FILE.rank<r>
  --json               print a machine-readable summary instead of text
  --time-scale X       multiply profiled compute times by X (default 1)
  --epoch-iters N      iterations per epoch for DGC's density warmup
                       (default 0: warmup already over)
  --timeout S          end the job when one communication call waits longer
                       than S seconds (default 120; 0: never)
  --lr X               SGD learning rate of the replayed step (0.01)
  --device cpu|cuda    gradients, compression and decompression on the CPU
                       (default) or on this rank's GPU (local rank modulo
                       the visible GPUs)
  --backend mpi|nccl   collectives over MPI (default; device buffers go
                       directly when MPI is CUDA-aware, else through pinned
                       host memory) or NCCL (needs --device cuda)
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

std::string agtf::run::parseOptions(int argc, char **argv, Options &o,
                                    bool &help) {
  help = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](const char *&out) -> bool {
      if (i + 1 >= argc)
        return false;
      out = argv[++i];
      return true;
    };
    const char *v = nullptr;
    int64_t n = 0;
    if (arg == "--help" || arg == "-h") {
      help = true;
      return "";
    } else if (arg == "--replay") {
      o.replay = true;
    } else if (arg == "--check") {
      o.check = true;
    } else if (arg == "--json") {
      o.json = true;
    } else if (arg == "--iters" || arg == "--warmup" || arg == "--seed" ||
               arg == "--epoch-iters") {
      if (!value(v))
        return arg + " needs a value";
      if (!parseInt(v, n) || n < 0 || (arg == "--iters" && n < 1))
        return arg + ": '" + v + "' is not a " +
               (arg == "--iters" ? "positive" : "non-negative") + " integer";
      if (arg == "--iters")
        o.iters = n;
      else if (arg == "--warmup")
        o.warmup = n;
      else if (arg == "--seed")
        o.seed = uint64_t(n);
      else
        o.epochIters = n;
    } else if (arg == "--time-scale" || arg == "--timeout" || arg == "--lr") {
      double d = 0;
      if (!value(v))
        return arg + " needs a value";
      if (!parseDouble(v, d) || d < 0)
        return arg + ": '" + v + "' is not a non-negative number";
      if (arg == "--time-scale")
        o.timeScale = d;
      else if (arg == "--timeout")
        o.timeoutSeconds = d;
      else
        o.lr = d;
    } else if (arg == "--device" || arg == "--backend") {
      if (!value(v))
        return arg + " needs a value";
      std::string choice = v;
      bool device = arg == "--device";
      if (device ? choice != "cpu" && choice != "cuda"
                 : choice != "mpi" && choice != "nccl")
        return arg + ": '" + choice + "' is not " +
               (device ? "cpu or cuda" : "mpi or nccl");
      (device ? o.device : o.backend) = choice;
    } else if (arg == "--trace") {
      if (!value(v))
        return arg + " needs a file";
      o.trace = v;
    } else if (!arg.empty() && arg[0] == '-') {
      return "unknown option '" + arg + "'";
    } else if (o.schedule.empty()) {
      o.schedule = arg;
    } else {
      return "more than one schedule given ('" + o.schedule + "', '" + arg +
             "')";
    }
  }
  if (o.schedule.empty())
    return "no schedule given";
  if (!o.replay)
    return "nothing to run: give --replay";
  if (o.backend == "nccl" && o.device != "cuda")
    return "--backend nccl needs --device cuda (NCCL moves device buffers)";
  return "";
}
