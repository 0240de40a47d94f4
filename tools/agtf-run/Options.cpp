//===- Options.cpp - agtf-run's command line ------------------------------===//

#include "Options.h"

#include "tools/CommandLine.h"

using namespace agtf::run;

const char *const agtf::run::usage =
    R"(usage: mpirun -np P agtf-run SCHEDULE.bin --replay [options]
       mpirun -np P agtf-run SCHEDULE.bin --model MODEL.pt [options]

Runs a schedule written by agtf-translate on every rank (docs/runtime.md),
in a synthetic backprop (--replay) or training a TorchScript model with
LibTorch (--model, docs/training.md). Options take their value as
--name VALUE or --name=VALUE.

  --help               print this and exit
  --version            print agtf-run's version and exit
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
  --sparsify-time measured|planned
                       measured (default): compression runs on the sparsify
                       lane as it takes; planned: it runs before each
                       iteration's clock, and the lane takes the time the
                       plan's cost model charged (the network path alone;
                       CPU only)
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

std::optional<int> agtf::run::parseOptions(int argc, char **argv, Options &o) {
  cli::CommandLine line("agtf-run", usage);
  std::vector<std::string> schedules;
  line.positionals(schedules);
  const std::string positive = "is not a positive integer",
                    nonNegative = "is not a non-negative integer";
  // Grouped as in the usage: the replay options, then training.
  line.flag("--replay", o.replay);
  line.integer("--iters", o.iters, 1, positive);
  line.integer("--warmup", o.warmup, 0, nonNegative);
  line.option("--seed", [&o, nonNegative](const std::string &value) {
    int64_t n = 0;
    if (!cli::parseInteger(value, n) || n < 0)
      return "--seed: '" + value + "' " + nonNegative;
    o.seed = uint64_t(n);
    return std::string();
  });
  line.flag("--check", o.check);
  line.text("--trace", o.trace);
  line.flag("--json", o.json);
  line.nonNegative("--time-scale", o.timeScale);
  line.choice("--sparsify-time", o.sparsifyTime, {"measured", "planned"});
  line.integer("--epoch-iters", o.epochIters, 0, nonNegative);
  line.nonNegative("--timeout", o.timeoutSeconds);
  line.nonNegative("--lr", o.lr);
  line.choice("--device", o.device, {"cpu", "cuda"});
  line.choice("--backend", o.backend, {"mpi", "nccl"});

  line.text("--model", o.training.model);
  line.choice("--data", o.training.data, {"fashion-mnist", "synthetic"});
  line.choice("--lr-schedule", o.training.lrSchedule, {"constant", "cosine"});
  line.text("--data-dir", o.training.dataDir);
  line.text("--input-shape", o.training.inputShape);
  line.integer("--epochs", o.training.epochs, 1, positive);
  line.integer("--batch-size", o.training.batchSize, 1, positive);
  line.nonNegative("--momentum", o.training.momentum);
  line.nonNegative("--weight-decay", o.training.weightDecay);
  line.nonNegative("--lr-warmup-epochs", o.training.lrWarmupEpochs);
  line.text("--save", o.training.save);
  line.text("--log", o.training.log);
  line.integer("--train-samples", o.training.trainSamples, 0, nonNegative);
  line.integer("--test-samples", o.training.testSamples, 0, nonNegative);

  return line.parse(argc, argv, [&]() -> std::string {
    if (schedules.empty())
      return "no schedule given";
    if (schedules.size() > 1)
      return "more than one schedule given ('" + schedules[0] + "', '" +
             schedules[1] + "')";
    o.schedule = schedules[0];
    if (o.replay && !o.training.model.empty())
      return "--replay and --model exclude each other";
    if (o.check && !o.training.model.empty())
      return "--check runs with --replay only";
    if (o.sparsifyTime == "planned" && !o.replay)
      return "--sparsify-time planned runs with --replay only";
    if (o.sparsifyTime == "planned" && o.device != "cpu")
      return "--sparsify-time planned runs on --device cpu only (a device "
             "replay times its own kernels)";
    if (!o.replay && o.training.model.empty())
      return "nothing to run: give --replay or --model";
#ifndef AGTF_HAVE_TORCH
    if (!o.training.model.empty())
      return "--model needs LibTorch, and this agtf-run was built without it";
#endif
    if (o.backend == "nccl" && o.device != "cuda")
      return "--backend nccl needs --device cuda (NCCL moves device buffers)";
    return "";
  });
}
