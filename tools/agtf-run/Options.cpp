//===- Options.cpp - agtf-run's command line ------------------------------===//

#include "Options.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>

using namespace agtf::run;

const char *const agtf::run::usage =
    R"(usage: mpirun -np P agtf-run SCHEDULE.bin --replay [options]
       mpirun -np P agtf-run SCHEDULE.bin --model MODEL.pt [options]

Runs a schedule written by agtf-translate on every rank (docs/runtime.md),
in a synthetic backprop (--replay) or training a TorchScript model with
LibTorch (--model, docs/training.md).

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
  --lr X               SGD learning rate (0.01)
  --device cpu|cuda    gradients, compression and decompression on the CPU
                       (default) or on this rank's GPU (local rank modulo
                       the visible GPUs); with --model, where the model runs
                       (cuda needs an agtf-run built with CUDA training)
  --backend mpi|nccl   collectives over MPI (default; device buffers go
                       directly when MPI is CUDA-aware, else through pinned
                       host memory) or NCCL (needs --device cuda)

Training (--model):
  --model FILE         TorchScript model; the schedule must be made for it
  --data NAME          fashion-mnist (default) or synthetic
  --data-dir DIR       Fashion-MNIST's gz IDX files
                       (/usr/share/datasets/fashion-mnist)
  --input-shape CxHxW  sample shape of synthetic data (default: from the model)
  --epochs E           passes over the training data (1)
  --batch-size B       samples per rank per step (32)
  --momentum M         SGD momentum, not applied to DGC buckets (0.9)
  --weight-decay WD    added to the averaged gradient locally (0)
  --lr-warmup-epochs W linear learning-rate warmup over W epochs (0)
  --lr-schedule NAME   constant (default) or cosine: after the warmup the
                       rate falls as a half cosine to 0 at the last step
  --save FILE          rank 0 saves the trained model (TorchScript)
  --log FILE           per-epoch log: CSV if FILE ends in .csv, else JSON lines
  --train-samples N    use the first N training samples (0: all)
  --test-samples N     use the first N test samples (0: all)
  --json               print a JSON summary with every rank's parameter hash
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
    } else if (arg == "--epochs" || arg == "--batch-size" ||
               arg == "--train-samples" || arg == "--test-samples") {
      if (!value(v))
        return arg + " needs a value";
      bool positive = arg == "--epochs" || arg == "--batch-size";
      if (!parseInt(v, n) || n < 0 || (positive && n < 1))
        return arg + ": '" + v + "' is not a " +
               (positive ? "positive" : "non-negative") + " integer";
      if (arg == "--epochs")
        o.epochs = n;
      else if (arg == "--batch-size")
        o.batchSize = n;
      else if (arg == "--train-samples")
        o.trainSamples = n;
      else
        o.testSamples = n;
    } else if (arg == "--momentum" || arg == "--weight-decay" ||
               arg == "--lr-warmup-epochs") {
      double d = 0;
      if (!value(v))
        return arg + " needs a value";
      if (!parseDouble(v, d) || d < 0)
        return arg + ": '" + v + "' is not a non-negative number";
      if (arg == "--momentum")
        o.momentum = d;
      else if (arg == "--weight-decay")
        o.weightDecay = d;
      else
        o.lrWarmupEpochs = d;
    } else if (arg == "--model" || arg == "--data" || arg == "--data-dir" ||
               arg == "--input-shape" || arg == "--lr-schedule" ||
               arg == "--save" || arg == "--log") {
      if (!value(v))
        return arg + " needs a value";
      std::string text = v;
      if (arg == "--model")
        o.model = text;
      else if (arg == "--data") {
        if (text != "fashion-mnist" && text != "synthetic")
          return "--data: '" + text + "' is not fashion-mnist or synthetic";
        o.data = text;
      } else if (arg == "--data-dir")
        o.dataDir = text;
      else if (arg == "--input-shape")
        o.inputShape = text;
      else if (arg == "--lr-schedule") {
        if (text != "constant" && text != "cosine")
          return "--lr-schedule: '" + text + "' is not constant or cosine";
        o.lrSchedule = text;
      } else if (arg == "--save")
        o.save = text;
      else
        o.log = text;
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
  if (o.replay && !o.model.empty())
    return "--replay and --model exclude each other";
  if (o.check && !o.model.empty())
    return "--check runs with --replay only";
  if (!o.replay && o.model.empty())
    return "nothing to run: give --replay or --model";
#ifndef AGTF_HAVE_TORCH
  if (!o.model.empty())
    return "--model needs LibTorch, and this agtf-run was built without it";
#endif
  if (o.backend == "nccl" && o.device != "cuda")
    return "--backend nccl needs --device cuda (NCCL moves device buffers)";
  return "";
}
