//===- agtf-run.cpp - run a schedule on every rank ------------------------===//
//
// mpirun -np P agtf-run schedule.bin --replay|--model M.pt [options]
// (docs/runtime.md, docs/training.md). Every rank reads the schedule, all
// ranks agree on it (or all stop with one message), then the engine runs
// the replayed backprop and rank 0 prints measured against predicted time,
// or the ranks train the model with LibTorch (Train.cpp).
//
//===----------------------------------------------------------------------===//

#include "AgreedOptions.h"
#include "Options.h"
#include "Replay.h"

#include "runtime/ScheduleCosts.h"
#ifdef AGTF_HAVE_TORCH
#include "Train.h"
#endif

#include "runtime/Agreement.h"
#include "runtime/DeviceChoice.h"
#include "runtime/Engine.h"
#include "runtime/Fnv1a.h"
#include "runtime/HostMemory.h"
#include "runtime/Json.h"
#include "runtime/Limits.h"
#include "runtime/ResidualReport.h"
#include "runtime/ScheduleReader.h"

#include "runtime/Diagnostics.h"
#include "runtime/comm/HostCommunicator.h"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <unistd.h>

using namespace agtf;
using namespace agtf::runtime;

namespace {
char stopMessage[160];
size_t stopMessageLength = 0;

// mpirun sends SIGTERM to the survivors when a rank dies: say so instead of
// vanishing. Only async-signal-safe calls here.
extern "C" void onTerminate(int) {
  if (stopMessageLength)
    (void)!write(2, stopMessage, stopMessageLength);
  _exit(1);
}

/// `rank` < 0: not known yet (no launcher set it before MPI started).
void installTerminateHandler(int rank) {
  char who[32] = "";
  if (rank >= 0)
    std::snprintf(who, sizeof(who), "rank %d: ", rank);
  int n = std::snprintf(stopMessage, sizeof(stopMessage),
                        "agtf-run: %sstopped by the launcher (another "
                        "rank failed, or the job was cancelled)\n",
                        who);
  stopMessageLength = n > 0 ? size_t(n) : 0;
  std::signal(SIGTERM, onTerminate);
}

double quantile(std::vector<double> v, double q) {
  if (v.empty())
    return 0;
  std::sort(v.begin(), v.end());
  double at = q * double(v.size() - 1);
  size_t lo = size_t(at);
  size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (at - double(lo));
}

/// Per-iteration records of every rank, gathered for the summary.
struct Gathered {
  std::vector<double> iterationUs, exposedUs, backwardUs; // per iteration
  double payloadBytes = 0; // per rank per iteration, mean over ranks
  /// "" when every rank ended with the same parameters, else why not.
  std::string parametersDiffer;
};

Gathered gather(Communicator &comm, const std::vector<run::IterationRecord> &r,
                const std::vector<float> &params) {
  int p = comm.size();
  size_t n = r.size();
  std::vector<double> mine(4 * n);
  for (size_t i = 0; i < n; ++i) {
    mine[4 * i] = r[i].iterationUs;
    mine[4 * i + 1] = r[i].exposedUs;
    mine[4 * i + 2] = r[i].backwardUs;
    mine[4 * i + 3] = double(r[i].payloadBytes);
  }
  std::vector<double> all(mine.size() * p);
  comm.allgather(mine.data(), int64_t(mine.size() * sizeof(double)),
                 all.data());
  Gathered g;
  std::vector<uint64_t> hashes;
  g.parametersDiffer = compareParameters(
      comm, fnv1a(params.data(), params.size() * sizeof(float)), hashes);
  double bytes = 0;
  for (size_t i = 0; i < n; ++i) {
    double slowest = 0, exposed = 0, backward = 0;
    for (int q = 0; q < p; ++q) {
      const double *rec = all.data() + q * 4 * n + 4 * i;
      slowest = std::max(slowest, rec[0]);
      exposed += rec[1] / p;
      backward += rec[2] / p;
      bytes += rec[3];
    }
    g.iterationUs.push_back(slowest);
    g.exposedUs.push_back(exposed);
    g.backwardUs.push_back(backward);
  }
  g.payloadBytes = n ? bytes / double(n * p) : 0;
  return g;
}

int runReplay(Communicator &comm, const run::Options &options,
              std::shared_ptr<const Schedule> schedule, Device *device) {
  const fb::Schedule &s = schedule->root();
  EngineOptions engineOptions;
  engineOptions.seed = options.seed;
  engineOptions.check = options.check;
  engineOptions.trace = !options.trace.empty();
  engineOptions.device = device;
  if (options.sparsifyTime == "planned")
    engineOptions.chargedSparsifyUs = runtime::plannedSparsifyUs(s);
  std::string deviceName = device ? device->describe() : "cpu";
  std::string error;
  // The replay waits out every compute time; the schedule and the options
  // agree on every rank, so every rank stops here alike.
  double computeUs = 0;
  for (const fb::Tensor *t : *s.tensors())
    computeUs += t->backward_us();
  if (s.timeline())
    computeUs += s.timeline()->forward_us() + s.timeline()->update_us();
  if (!(computeUs * options.timeScale <= limits::kMaxComputeUs)) {
    std::fprintf(stderr,
                 "agtf-run: rank %d: --time-scale %g makes an iteration's "
                 "compute %g us, over an hour (at most 3.6e9 us)\n",
                 comm.rank(), options.timeScale, computeUs * options.timeScale);
    return 1;
  }
  std::unique_ptr<Engine> engine =
      Engine::create(schedule, comm, engineOptions, error);
  if (!engine) {
    std::fprintf(stderr, "agtf-run: rank %d: %s\n", comm.rank(), error.c_str());
    return 1;
  }
  run::ReplayTimes times;
  const fb::PredictedTimeline *predicted = s.timeline();
  if (predicted) {
    times.forwardUs = predicted->forward_us();
    times.updateUs = predicted->update_us();
  }
  times.timeScale = options.timeScale;
  times.lr = options.lr;
  times.seed = options.seed;
  times.epochIters = options.epochIters;
  run::Replay replay(*engine, comm.rank(), times);

  std::vector<run::IterationRecord> records;
  for (int64_t i = 0; i < options.warmup + options.iters; ++i) {
    if (i == options.warmup)
      engine->restartResidualMeasurement();
    replay.prepare(i);
    // Every rank starts the clock together: otherwise the host work between
    // iterations, which the clock leaves out, would put the first rank's
    // wait for the last one into its first collective.
    comm.barrier();
    run::IterationRecord r = replay.run(i);
    r.payloadBytes = comm.payloadBytes();
    if (i >= options.warmup)
      records.push_back(r);
  }
  Gathered g = gather(comm, records, replay.parameters());
  ResidualReport residual = gatherResidualReport(engine->compressors(), comm);

  std::string traceError;
  if (!options.trace.empty()) {
    std::string path = comm.rank() == 0 ? options.trace
                                        : options.trace + ".rank" +
                                              std::to_string(comm.rank());
    traceError = engine->trace().write(path, comm.rank());
    if (!traceError.empty())
      std::fprintf(stderr, "agtf-run: rank %d: %s\n", comm.rank(),
                   traceError.c_str());
  }
  // Every rank fails; rank 0 still prints its summary.
  bool identical = g.parametersDiffer.empty();
  if (!identical)
    reportError(comm.rank(), g.parametersDiffer);
  int status = traceError.empty() && identical ? 0 : 1;
  if (comm.rank() != 0)
    return status;

  std::map<std::string, int> kinds;
  int64_t denseBytes = 0;
  for (const fb::Tensor *t : *s.tensors())
    denseBytes += t->numel() * 4;
  for (const fb::Bucket *b : *s.buckets())
    ++kinds[fb::EnumNameCompressionKind(b->compression()->kind())];
  std::string kindList;
  for (auto &[k, n] : kinds)
    kindList += (kindList.empty() ? "" : ", ") + k + " " + std::to_string(n);
  double predictedUs = predicted ? predicted->iteration_us() : 0;
  double predictedExposed = predicted ? predicted->exposed_comm_us() : 0;
  double median = quantile(g.iterationUs, 0.5);
  std::optional<double> predictedNoise;
  if (predicted)
    predictedNoise = predicted->noise();

  if (options.json) {
    // The digits the summary always had: microseconds to the nanosecond,
    // whole bytes, %g's six digits for the scale.
    auto us = [](double v) { return roundToDecimals(v, 3); };
    Json summary = {
        {"schedule", options.schedule},
        {"ranks", comm.size()},
        {"planned_workers", s.world_size()},
        {"tensors", s.tensors()->size()},
        {"buckets", s.buckets()->size()},
        {"iterations", options.iters},
        {"warmup", options.warmup},
        {"time_scale", roundToSignificant(options.timeScale, 6)},
        {"checked", options.check},
        {"sparsify_time", options.sparsifyTime},
        {"measured_iteration_us",
         {{"median", us(median)},
          {"p10", us(quantile(g.iterationUs, 0.1))},
          {"p90", us(quantile(g.iterationUs, 0.9))}}},
        {"measured_backward_us", us(quantile(g.backwardUs, 0.5))},
        {"measured_exposed_comm_us", us(quantile(g.exposedUs, 0.5))},
        {"predicted_iteration_us", us(predictedUs * options.timeScale)},
        {"predicted_exposed_comm_us", us(predictedExposed * options.timeScale)},
        {"payload_bytes_per_rank", roundToDecimals(g.payloadBytes, 0)},
        {"dense_bytes", denseBytes},
        {"parameters_identical", identical},
        {"device", deviceName},
        {"residual", residualJson(residual, predictedNoise)}};
    std::fputs(JsonOutput("agtf-run", "the --json summary")
                   .text(std::move(summary), /*indent=*/2)
                   .c_str(),
               stdout);
    return status;
  }
  std::printf("agtf-run: %s: %u tensors, %u buckets (%s) on %d ranks "
              "(planned for %u)\n",
              options.schedule.c_str(), s.tensors()->size(),
              s.buckets()->size(), kindList.c_str(), comm.size(),
              s.world_size());
  if (device)
    std::printf("device: %s\n", deviceName.c_str());
  std::printf(
      "replay: %lld iterations after %lld warmup, seed %llu%s%s%s\n",
      static_cast<long long>(options.iters),
      static_cast<long long>(options.warmup),
      static_cast<unsigned long long>(options.seed),
      options.timeScale != 1 ? ", compute times scaled" : "",
      options.sparsifyTime == "planned" ? ", sparsification charged as planned"
                                        : "",
      options.check ? ", every bucket checked against the reference" : "");
  std::printf("  measured iteration  median %10.1f us   p10 %10.1f   p90 "
              "%10.1f   (slowest rank)\n",
              median, quantile(g.iterationUs, 0.1),
              quantile(g.iterationUs, 0.9));
  if (predicted)
    std::printf("  predicted iteration        %10.1f us   measured/predicted "
                "%.2f\n",
                predictedUs * options.timeScale,
                predictedUs > 0 ? median / (predictedUs * options.timeScale)
                                : 0.0);
  std::printf("  exposed comm        median %10.1f us   (predicted %.1f)\n",
              quantile(g.exposedUs, 0.5), predictedExposed * options.timeScale);
  std::printf("  payload sent        %.0f bytes per rank per iteration "
              "(dense fp32: %lld)\n",
              g.payloadBytes, static_cast<long long>(denseBytes));
  std::fputs(residualText(residual, predictedNoise).c_str(), stdout);
  std::printf("  parameters identical on all ranks: %s\n",
              identical ? "yes" : "no");
  if (comm.size() != int(s.world_size()))
    std::printf("  note: the schedule was planned for %u workers; predicted "
                "times assume that many\n",
                s.world_size());
  return status;
}
} // namespace

int main(int argc, char **argv) {
  setProgramName("agtf-run");
  run::Options options;
  if (std::optional<int> status = run::parseOptions(argc, argv, options))
    return *status;
  std::string error;

  // The launcher ends the others when a rank stalls in MPI_Init and its
  // watchdog gives up: they say so too.
  installTerminateHandler(launcherRank());
  std::unique_ptr<Communicator> comm =
      makeHostCommunicator(&argc, &argv, options.timeoutSeconds, error);
  if (!comm) {
    // Every rank may fail here (the wait mode is agreed here): name it.
    reportError(launcherRank(), error);
    return 1;
  }
  installTerminateHandler(comm->rank());

  RankIdentity me;
  ScheduleOrError read = readScheduleFor(me, options.schedule);
  // Before any buffer is made; the agreement tells every rank.
  if (read && me.error.empty())
    me.error = checkFitsHostMemory(read.schedule->root(), comm->size(),
                                   usableMemoryBytes());
  for (AgreedItem &item : run::agreedOptions(options))
    me.items.push_back(std::move(item));
  std::string disagreement = checkAgreement(*comm, me);
  if (!disagreement.empty()) {
    // Every rank says it; none leaves before all have (the communicator's
    // barrier before MPI_Finalize).
    reportError(comm->rank(), disagreement);
    return 1;
  }
  bool failed = false;
  std::unique_ptr<Device> device =
      chooseDevice(options.device, options.backend, *comm, failed, error);
  if (failed) {
    std::signal(SIGTERM, SIG_DFL);
    if (!error.empty())
      std::fprintf(stderr, "agtf-run: rank %d: %s\n", comm->rank(),
                   error.c_str());
    return 1;
  }
  int status;
#ifdef AGTF_HAVE_TORCH
  if (!options.training.model.empty())
    status = run::runTraining(*comm, options, read.schedule, device.get());
  else
#endif
    status = runReplay(*comm, options, read.schedule, device.get());
  // The device (its streams, NCCL) goes before MPI is finalised.
  device.reset();
  return status;
}
