//===- TrainingLoop.cpp - a training run through the Trainer
//---------------===//

#include "runtime/training/TrainingLoop.h"

#include "runtime/Agreement.h"
#include "runtime/Diagnostics.h"
#include "runtime/FirstTensor.h"
#include "runtime/Fnv1a.h"
#include "runtime/Json.h"
#include "runtime/OutputFile.h"
#include "runtime/ResidualReport.h"
#include "runtime/TorchErrorText.h"
#include "runtime/training/Datasets.h"
#include "runtime/training/FiniteCheck.h"
#include "runtime/training/Sgd.h"
#include "runtime/training/Trainer.h"
#include "runtime/training/TrainingError.h"
#include "runtime/training/TrainingLog.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <sstream>
#include <thread>

using namespace agtf;
using namespace agtf::runtime;

namespace {
using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

at::Tensor logits(torch::jit::Module &module, const at::Tensor &input) {
  at::Tensor out = firstTensor(module.forward({input}));
  if (!out.defined() || out.dim() != 2)
    throw TrainingError("the model's forward must return N x classes logits");
  return out;
}

std::vector<int64_t> parseShape(const std::string &text) {
  std::vector<int64_t> shape;
  std::istringstream in(text);
  for (std::string part; std::getline(in, part, 'x');) {
    char *end = nullptr;
    long long v = std::strtoll(part.c_str(), &end, 10);
    if (part.empty() || *end || v < 1)
      throw TrainingError("--input-shape: '" + text + "' is not CxHxW");
    shape.push_back(v);
  }
  if (shape.empty())
    throw TrainingError("--input-shape: '" + text + "' is not CxHxW");
  return shape;
}

/// The number of outputs per sample of `input`, from a forward in eval
/// mode (a probe must not move batch-norm statistics).
int64_t probeClasses(torch::jit::Module &module, const at::Tensor &input) {
  torch::NoGradGuard noGrad;
  module.eval();
  int64_t classes = logits(module, input).size(1);
  module.train();
  return classes;
}

/// The sample shape the model takes: its first convolution's input
/// channels with 28x28, 32x32 or 224x224, whichever forward accepts.
std::vector<int64_t> guessInputShape(torch::jit::Module &module,
                                     at::Device device) {
  int64_t channels = 0;
  for (const auto &p : module.named_parameters(true))
    if (p.value.dim() == 4) {
      channels = p.value.size(1);
      break;
    }
  if (!channels)
    throw TrainingError(
        "cannot tell the model's input shape: give --input-shape");
  for (int64_t side : {28, 32, 224}) {
    try {
      probeClasses(module, torch::zeros({2, channels, side, side}).to(device));
      return {channels, side, side};
    } catch (const std::exception &) {
      module.train();
    }
  }
  throw TrainingError(
      "cannot tell the model's input shape: give --input-shape");
}

/// Same permutation on every rank: mt19937_64 and a modulo Fisher-Yates
/// are the same everywhere (std::uniform_int_distribution is not).
std::vector<int64_t> shuffled(int64_t n, uint64_t seed) {
  std::vector<int64_t> order(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i)
    order[size_t(i)] = i;
  std::mt19937_64 rng(seed);
  for (int64_t i = n - 1; i > 0; --i)
    std::swap(order[size_t(i)], order[size_t(rng() % uint64_t(i + 1))]);
  return order;
}

uint64_t parameterHash(const Trainer &trainer) {
  uint64_t h = kFnv1aBasis;
  for (const NamedParameter &p : trainer.parameters()) {
    at::Tensor c = p.value.detach().to(at::kCPU, at::kFloat).contiguous();
    h = fnv1a(c.data_ptr(), size_t(c.numel()) * sizeof(float), h);
  }
  return h;
}

/// Test accuracy over all ranks: each evaluates every P-th test sample.
double evaluate(torch::jit::Module &module, const Dataset &test,
                Communicator &comm) {
  torch::NoGradGuard noGrad;
  module.eval();
  float counts[2] = {0, 0}; // correct, seen
  std::vector<int64_t> index;
  auto flush = [&] {
    if (index.empty())
      return;
    auto [input, labels] = test.batch(index);
    at::Tensor predicted = logits(module, input).argmax(1);
    counts[0] += float(predicted.eq(labels).sum().item<int64_t>());
    counts[1] += float(index.size());
    index.clear();
  };
  for (int64_t i = comm.rank(); i < test.size(); i += comm.size()) {
    index.push_back(i);
    if (index.size() == 256)
      flush();
  }
  flush();
  module.train();
  comm.allreduceSum(counts, 2);
  return counts[1] > 0 ? double(counts[0]) / double(counts[1]) : 0.0;
}

/// Intra-op threads: the cores divided among the ranks on this host, unless
/// OMP_NUM_THREADS says otherwise; the engine's threads need cores too.
void chooseThreads(int ranks) {
  if (std::getenv("OMP_NUM_THREADS"))
    return;
  int local = ranks;
  if (const char *s = std::getenv("OMPI_COMM_WORLD_LOCAL_SIZE"))
    local = std::max(1, std::atoi(s));
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  torch::set_num_threads(std::max(1, int(cores) / local));
}

} // namespace

int agtf::runtime::trainModel(Communicator &comm,
                              const TrainingOptions &options,
                              std::shared_ptr<const Schedule> schedule,
                              Device *device) {
  int rank = comm.rank(), ranks = comm.size();
  auto say = [&](const std::string &message) { reportError(rank, message); };

  // Up to the Trainer and after it until training, each rank checks its
  // own files, model and data; the verdicts are then shared.
  std::unique_ptr<Trainer> trainer;
  torch::jit::Module module;
  std::unique_ptr<Dataset> trainSet, testSet;
  // Where the model, the data and the engine's buffers live.
  at::Device place = at::kCPU;
  // TrainingError or LibTorch's, as one line.
  auto messageOf = [](const std::exception &e) -> std::string {
    return dynamic_cast<const c10::Error *>(&e) ? torchErrorLine(e) : e.what();
  };
  // What a rank checks of its own (its files, its model, its data) may
  // fail on it alone: every rank learns of it before the next collective,
  // and all stop together rather than the others waiting for it there.
  auto stopIfAnyFailed = [&](const std::string &failure) {
    std::string first = firstFailure(comm, failure);
    if (!first.empty())
      reportError(-1, first);
    return !first.empty();
  };
  std::string failure;
  try {
    if (device) {
      if (!torch::cuda::is_available())
        throw TrainingError("--device cuda: this build's LibTorch has no "
                            "CUDA (it was built against a CPU-only "
                            "LibTorch); build against a LibTorch with CUDA "
                            "(docs/building.md), or train with --device cpu");
      place = at::Device(at::kCUDA, c10::DeviceIndex(device->index()));
    }
    // Every rank checks rank 0's outputs (and the trace's directory), so
    // that all of them stop with the message before training rather than
    // rank 0 alone after it.
    for (const std::string *path :
         {&options.save, &options.log, &options.trace})
      if (!path->empty())
        if (std::string why = checkWritable(*path); !why.empty())
          throw TrainingError(why);
    torch::manual_seed(options.seed);
    chooseThreads(ranks);
    try {
      module = torch::jit::load(options.model, torch::kCPU);
    } catch (const std::exception &e) {
      throw TrainingError("cannot load '" + options.model +
                          "' as a TorchScript model: " + torchErrorLine(e));
    }
    module.to(place);
    module.train();
  } catch (const std::exception &e) {
    failure = messageOf(e);
  }
  if (stopIfAnyFailed(failure))
    return 1;
  // The model against the schedule, before the data: the Trainer's
  // agreement, the first collective, and errors the same on every rank.
  try {
    TrainerOptions trainerOptions;
    trainerOptions.seed = options.seed;
    trainerOptions.trace = !options.trace.empty();
    trainerOptions.scheduleLabel = options.schedule;
    trainerOptions.modelLabel = options.model;
    trainerOptions.device = device;
    trainer = std::make_unique<Trainer>(schedule, comm, module, trainerOptions);
  } catch (const std::exception &e) {
    say(messageOf(e));
    return 1;
  }
  try {
    if (options.data == "fashion-mnist") {
      trainSet = std::make_unique<FashionMnistSplit>(options.dataDir, "train",
                                                     options.trainSamples);
      testSet = std::make_unique<FashionMnistSplit>(options.dataDir, "t10k",
                                                    options.testSamples);
    } else {
      std::vector<int64_t> shape = options.inputShape.empty()
                                       ? guessInputShape(module, place)
                                       : parseShape(options.inputShape);
      std::vector<int64_t> one{1};
      one.insert(one.end(), shape.begin(), shape.end());
      int64_t classes = probeClasses(module, torch::zeros(one).to(place));
      trainSet = std::make_unique<SyntheticSplit>(
          shape, classes, options.trainSamples ? options.trainSamples : 60000,
          mixSeed(options.seed, 11));
      testSet = std::make_unique<SyntheticSplit>(
          shape, classes, options.testSamples ? options.testSamples : 10000,
          mixSeed(options.seed, 12));
    }
    if (trainSet->size() < ranks)
      throw TrainingError("the training data has " +
                          std::to_string(trainSet->size()) +
                          " samples, fewer "
                          "than the " +
                          std::to_string(ranks) + " ranks");
    if (device) {
      trainSet->place(place);
      testSet->place(place);
    }
    if (options.data == "fashion-mnist") {
      int64_t classes = probeClasses(module, trainSet->batch({0}).first);
      if (classes < 10)
        throw TrainingError(
            "the model gives " + std::to_string(classes) +
            " outputs per sample; Fashion-MNIST has 10 classes");
    }
  } catch (const std::exception &e) {
    failure = messageOf(e);
  }
  if (stopIfAnyFailed(failure))
    return 1;

  // From here on every rank is in the collectives: a failure ends the job.
  try {
    int64_t perRank = trainSet->size() / ranks;
    int64_t steps = (perRank + options.batchSize - 1) / options.batchSize;
    int64_t warmupSteps = int64_t(options.lrWarmupEpochs * double(steps));
    SgdOptions sgdOptions;
    sgdOptions.momentum = options.momentum;
    sgdOptions.weightDecay = options.weightDecay;
    Sgd sgd(*trainer, sgdOptions);
    Progress progress(rank == 0 && !options.json);
    std::unique_ptr<TrainingLog> log;
    if (rank == 0)
      log = std::make_unique<TrainingLog>(options.log);

    std::vector<EpochRecord> records;
    Clock::time_point started = Clock::now();
    for (int64_t epoch = 0; epoch < options.epochs; ++epoch) {
      std::vector<int64_t> order =
          shuffled(trainSet->size(), mixSeed(options.seed, uint64_t(epoch)));
      Clock::time_point epochStart = Clock::now();
      // Summed where the loss is: a GPU's steps then never wait for the host.
      at::Tensor lossSum = torch::zeros(
          {}, at::TensorOptions().dtype(at::kDouble).device(place));
      for (int64_t step = 0; step < steps; ++step) {
        std::vector<int64_t> index;
        for (int64_t j = step * options.batchSize;
             j < std::min(perRank, (step + 1) * options.batchSize); ++j)
          index.push_back(order[size_t(j * ranks + rank)]);
        auto [input, labels] = trainSet->batch(index);
        trainer->beginStep(epoch);
        at::Tensor loss = torch::nll_loss(
            torch::log_softmax(logits(module, input), 1), labels);
        loss.backward();
        trainer->synchronize();
        sgd.step(scheduledLr(options.lr, epoch * steps + step, warmupSteps,
                             options.epochs * steps,
                             options.lrSchedule == "cosine"));
        lossSum += loss.detach();
        // Every rank checks at the same steps, so all stop at one.
        if ((step + 1) % kFiniteCheckSteps == 0 || step + 1 == steps)
          if (std::string error = checkFiniteOnEveryRank(
                  comm, std::isfinite(lossSum.item<double>()),
                  parametersFinite(module), epoch, step);
              !error.empty()) {
            say(error);
            return 1;
          }
        if (progress.drawing())
          progress.update(epoch, options.epochs, step + 1, steps,
                          lossSum.item<double>() / double(step + 1),
                          double((step + 1) * options.batchSize * ranks) /
                              std::max(secondsSince(epochStart), 1e-9));
      }
      double lossTotal = lossSum.item<double>(); // waits for the last step
      EpochRecord r;
      r.seconds = secondsSince(epochStart);
      r.samplesPerS = double(perRank * ranks) / std::max(r.seconds, 1e-9);
      float loss[1] = {float(lossTotal / double(steps))};
      comm.allreduceSum(loss, 1);
      r.loss = loss[0] / float(ranks);
      r.accuracy = evaluate(module, *testSet, comm);
      records.push_back(r);
      progress.epochDone(epoch, options.epochs, r);
      if (log)
        log->add(epoch, r);
    }
    double seconds = secondsSince(started);
    if (log)
      log->finish();

    std::vector<uint64_t> hashes;
    std::string differ =
        compareParameters(comm, parameterHash(*trainer), hashes);
    bool identical = differ.empty();
    ResidualReport residual =
        gatherResidualReport(trainer->engine().compressors(), comm);
    std::optional<double> predictedNoise;
    if (const fb::PredictedTimeline *predicted = schedule->root().timeline())
      predictedNoise = predicted->noise();
    // Every rank fails; rank 0 still prints its summary.
    if (!identical)
      say(differ);

    std::string traceError;
    if (!options.trace.empty())
      traceError = trainer->engine().trace().write(
          rank == 0 ? options.trace
                    : options.trace + ".rank" + std::to_string(rank),
          rank);
    if (!traceError.empty())
      say(traceError);
    // Ranks that ended apart trained no one model: nothing to save.
    if (rank == 0 && identical && !options.save.empty()) {
      module.to(at::kCPU); // loadable where there is no GPU
      std::string error;
      std::unique_ptr<OutputFile> file = OutputFile::open(options.save, error);
      if (!file)
        throw TrainingError(error);
      // Through the file's stream: LibTorch's own file writer aborts the
      // process when a write fails.
      module.save(file->stream());
      if (std::string why = file->commit(); !why.empty())
        throw TrainingError(why);
    }
    if (rank != 0)
      return traceError.empty() && identical ? 0 : 1;

    if (options.json) {
      // Per-epoch figures with the six decimals they always had.
      auto list = [&](double EpochRecord::*field) {
        Json values = Json::array();
        for (const EpochRecord &r : records)
          values.push_back(roundToDecimals(r.*field, 6));
        return values;
      };
      Json hashList = Json::array();
      for (uint64_t h : hashes) {
        char text[32];
        std::snprintf(text, sizeof(text), "0x%016llx", (unsigned long long)h);
        hashList.push_back(text);
      }
      Json summary = {{"schedule", options.schedule},
                      {"model", options.model},
                      {"data", options.data},
                      {"ranks", ranks},
                      {"epochs", options.epochs},
                      {"batch_size", options.batchSize},
                      {"steps_per_epoch", steps},
                      {"train_samples", trainSet->size()},
                      {"test_samples", testSet->size()},
                      {"train_loss", list(&EpochRecord::loss)},
                      {"test_accuracy", list(&EpochRecord::accuracy)},
                      {"samples_per_s", list(&EpochRecord::samplesPerS)},
                      {"seconds", roundToDecimals(seconds, 3)},
                      {"parameter_hashes", std::move(hashList)},
                      {"parameters_identical", identical},
                      {"residual", residualJson(residual, predictedNoise)}};
      std::fputs(JsonOutput(programName(), options.summaryName)
                     .text(std::move(summary), /*indent=*/2)
                     .c_str(),
                 stdout);
    } else {
      std::printf("%s%strained %s on %d ranks, %lld epochs of %lld "
                  "steps: train loss %.4f, test accuracy %.2f%%, %.0f "
                  "samples/s, %.1f s\n",
                  programName().c_str(), programName().empty() ? "" : ": ",
                  options.model.c_str(), ranks, (long long)options.epochs,
                  (long long)steps, records.back().loss,
                  100 * records.back().accuracy, records.back().samplesPerS,
                  seconds);
      std::fputs(residualText(residual, predictedNoise).c_str(), stdout);
      std::printf("  parameters identical on all ranks: %s\n",
                  identical ? "yes" : "no");
    }
    return traceError.empty() && identical ? 0 : 1;
  } catch (const std::exception &e) {
    say(dynamic_cast<const c10::Error *>(&e) ? torchErrorLine(e) : e.what());
    comm.abort(1);
  }
  return 1; // not reached: abort() ends the job
}
