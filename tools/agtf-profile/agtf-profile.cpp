//===- agtf-profile.cpp - measure the cluster's cost constants ------------===//
//
// mpirun -np P agtf-profile -o cluster.json (docs/cli.md). Times the
// collectives over log-spaced message sizes and the sparsification kernels
// over tensor sizes, fits the cost model's forms (DESIGN.md section 4) and
// writes the cluster file that gcomm-annotate-cost reads. Every rank takes
// part in the collectives; rank 0 times the kernels and writes the file.
// With --from-trace it fits a cluster file to agtf-run's traces instead
// (TraceFit.h), on one process, without MPI.
//
//===----------------------------------------------------------------------===//

#include "ClusterJson.h"
#include "Fit.h"
#include "Measure.h"
#include "Options.h"
#include "TraceFit.h"

#include "kernels/TopK.h"
#include "runtime/Agreement.h"
#include "runtime/Diagnostics.h"
#include "runtime/HostMemory.h"
#include "runtime/Limits.h"
#include "runtime/NestingDepth.h"
#include "runtime/OutputFile.h"
#include "runtime/comm/HostCommunicator.h"

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace agtf;
using namespace agtf::profile;
using runtime::Communicator;

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

void installTerminateHandler(int rank) {
  int n = std::snprintf(stopMessage, sizeof(stopMessage),
                        "agtf-profile: rank %d: stopped by the launcher "
                        "(another rank failed, or the job was cancelled)\n",
                        rank);
  stopMessageLength = n > 0 ? size_t(n) : 0;
  std::signal(SIGTERM, onTerminate);
}

/// Rank 0's verdict ("" or an error) reaches every rank, so that all stop
/// together with a non-zero status instead of waiting for rank 0.
bool agreeOk(Communicator &comm, const std::string &error) {
  int32_t ok = error.empty() ? 1 : 0;
  comm.broadcast(&ok, sizeof(ok), 0);
  return ok == 1;
}

/// Replaces each sample's time by the largest over the ranks.
void slowestRank(Communicator &comm, std::vector<Sample> &samples) {
  std::vector<double> mine(samples.size()), all(samples.size() * comm.size());
  for (size_t i = 0; i < samples.size(); ++i)
    mine[i] = samples[i].us;
  comm.allgather(mine.data(), int64_t(mine.size() * sizeof(double)),
                 all.data());
  for (size_t i = 0; i < samples.size(); ++i)
    for (int r = 0; r < comm.size(); ++r)
      samples[i].us = std::max(samples[i].us, all[r * samples.size() + i]);
}

std::string utcNow() {
  std::time_t now = std::time(nullptr);
  std::tm utc;
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::string hostName() {
  char name[256] = {0};
  if (gethostname(name, sizeof(name) - 1) != 0)
    return "unknown";
  return name;
}

void printFit(const char *what, const char *a, const char *b, const Fit &fit,
              size_t points) {
  std::printf("  %-12s %s %-10.4g %s %-10.4g max err %5.1f%%  rms err "
              "%5.1f%%  (%zu sizes)\n",
              what, a, fit.a, b, fit.b, 100 * fit.maxRelError,
              100 * fit.rmsRelError, points);
}

int profileCluster(Communicator &comm, const Options &options) {
  int P = comm.size(), rank = comm.rank();
  std::string error;
  if (rank == 0)
    error = runtime::checkWritable(options.output);
  if (!agreeOk(comm, error)) {
    if (rank == 0)
      std::fprintf(stderr, "agtf-profile: %s\n", error.c_str());
    return 1;
  }

  Profile p;
  p.workers = P;
  p.device = options.device;
  p.host = hostName();
  p.date = utcNow();
  p.maxBytes = options.maxBytes;
  p.reps = options.reps;
  p.warmup = options.warmup;
  if (rank == 0)
    std::printf("agtf-profile: %d rank%s (%s), device %s, messages 8 B to "
                "%lld B, %lld reps after %lld warmup\n",
                P, P == 1 ? "" : "s", comm.name().c_str(),
                options.device.c_str(),
                static_cast<long long>(options.maxBytes),
                static_cast<long long>(options.reps),
                static_cast<long long>(options.warmup));

  if (P == 1) {
    if (rank == 0)
      std::printf("communication: one rank, no communication; alpha and "
                  "beta written as 0\n");
  } else {
    std::vector<int64_t> sizes = logSizes(8, options.maxBytes, 4);
    // allgather's output is P blocks: the block stays within --max-bytes.
    std::vector<int64_t> blocks = logSizes(8, options.maxBytes / P, 4);
    if (rank == 0)
      std::printf("communication (T = A*alpha + B*bytes*beta, fit weighted "
                  "1/T^2):\n");
    for (int c = 0; c < numCollectives; ++c) {
      Collective which = Collective(c);
      p.commSamples[c] = measureCollective(
          comm, which, which == Collective::Allgather ? blocks : sizes,
          options.reps, options.warmup);
      double A = 0, B = 0;
      modelMultipliers(which, P, A, B);
      p.comm[c] = fitCost(p.commSamples[c], A, B);
      if (rank == 0) {
        printFit(collectiveName(which), "alpha_us", "beta_us_per_byte",
                 p.comm[c], p.commSamples[c].size());
        std::fflush(stdout);
      }
    }
  }

  // By default the kernels run on rank 0 alone: ranks sharing a host would
  // otherwise slow each other down. Emulated hosts do share the cores, and
  // then every rank times them at once and the slowest rank counts.
  std::vector<int64_t> elements =
      logSizes(options.minElements, options.maxElements, std::sqrt(10.0));
  if (options.kernelsOnEveryRank) {
    comm.barrier();
    p.kernelSamples = measureKernelsCpu(elements, options.reps, options.warmup);
    slowestRank(comm, p.kernelSamples.exactTopK);
    slowestRank(comm, p.kernelSamples.sampledTopK);
    slowestRank(comm, p.kernelSamples.pack);
  } else if (rank == 0) {
    p.kernelSamples = measureKernelsCpu(elements, options.reps, options.warmup);
  }
  // The engine's compressor as agtf-run runs it, on every rank at once:
  // what the sparsification lane and the decompression on the comm lane
  // cost beyond the bare kernel and the collectives.
  p.sampledSelection = options.selection == "sampled";
  p.compressorSamples = measureCompressorCpu(comm, elements, p.sampledSelection,
                                             options.reps, options.warmup);
  slowestRank(comm, p.compressorSamples.compress);
  slowestRank(comm, p.compressorSamples.communicate);
  if (rank == 0) {
    p.kernelsOnEveryRank = options.kernelsOnEveryRank;
    p.compress = fitCost(p.compressorSamples.compress, 1, 1);
    // The comm lane less the modelled collectives (the allgather of k
    // pairs, and of the counts for a sampled selection) is decompression.
    std::vector<Sample> decompress;
    for (const Sample &s : p.compressorSamples.communicate) {
      double collectives = 0.0;
      if (P > 1) {
        double A = 0, B = 0;
        modelMultipliers(Collective::Allgather, P, A, B);
        const Fit &gather = p.comm[int(Collective::Allgather)];
        double k = double(kernels::topKCount(int64_t(s.x), profiledDensity));
        collectives = A * gather.a + B * 8.0 * k * gather.b;
        if (p.sampledSelection)
          collectives += A * gather.a + B * 8.0 * gather.b;
      }
      // Positive, as the cost model reads a curve: at least 1 % of the
      // lane's time where the modelled gathers take nearly all of it.
      decompress.push_back({s.x, std::max(0.01 * s.us, s.us - collectives)});
    }
    p.decompressSamples = decompress;
    p.decompress = fitSlope(decompress);
    p.exactTopK = fitCost(p.kernelSamples.exactTopK, 1, 1);
    p.sampledTopK = fitCost(p.kernelSamples.sampledTopK, 1, 1);
    p.pack = fitSlope(p.kernelSamples.pack);
    std::printf("sparsification at density %g on %s (ts = s0 + s1*N), "
                "N = %lld to %lld:\n",
                profiledDensity, options.device.c_str(),
                static_cast<long long>(options.minElements),
                static_cast<long long>(options.maxElements));
    std::printf("  (timed on %s; sparsify_us from the engine's compressor, "
                "below)\n",
                options.kernelsOnEveryRank ? "every rank at once" : "rank 0");
    printFit("topk", "s0_us   ", "s1_us_per_elem   ", p.exactTopK,
             elements.size());
    printFit("sampled", "s0_us   ", "s1_us_per_elem   ", p.sampledTopK,
             elements.size());
    printFit("pack", "-       ", "p1_us_per_elem   ", p.pack, elements.size());
    std::printf("the engine's top-k compressor (%s), every rank at once:\n",
                options.selection.c_str());
    printFit("compress", "s0_us   ", "s1_us_per_elem   ", p.compress,
             elements.size());
    printFit("decompress", "-       ", "d1_us_per_elem   ", p.decompress,
             elements.size());
    runtime::JsonOutput file("agtf-profile",
                             "the cluster file '" + options.output + "'");
    error = runtime::writeFile(options.output,
                               file.text(clusterJson(p), /*indent=*/2));
    if (error.empty())
      std::printf("wrote %s (workers = %d; broadcast, sendrecv, sampled_topk "
                  "and the fit errors under \"measured\")\n",
                  options.output.c_str(), P);
    else
      std::fprintf(stderr, "agtf-profile: %s\n", error.c_str());
    std::fflush(stdout);
  }
  return agreeOk(comm, error) ? 0 : 1;
}
/// --from-trace: the fitted cluster file, and per run what it measured
/// against what its schedule predicted.
int fitClusterToTraces(const Options &options) {
  std::ifstream in(options.cluster, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "agtf-profile: cannot read cluster file '%s'\n",
                 options.cluster.c_str());
    return 1;
  }
  std::ostringstream text;
  text << in.rdbuf();
  // The same bound as agtf-opt's reader of the file (passes/ClusterFile).
  if (int depth = nestingDepth(text.str()); depth > limits::kMaxNesting) {
    std::fprintf(stderr,
                 "agtf-profile: cluster file '%s' is nested %d deep (at most "
                 "%d)\n",
                 options.cluster.c_str(), depth, limits::kMaxNesting);
    return 1;
  }
  runtime::Json base =
      runtime::Json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (base.is_discarded() || !base.is_object()) {
    std::fprintf(stderr,
                 "agtf-profile: cluster file '%s' is not a JSON object\n",
                 options.cluster.c_str());
    return 1;
  }
  std::vector<TracedRun> runs;
  for (size_t i = 0; i + 1 < options.runs.size(); i += 2)
    runs.push_back({options.runs[i], options.runs[i + 1]});
  TraceFitResult fit;
  std::string error = runtime::checkWritable(options.output);
  if (error.empty())
    error = fitFromTraces(base, runs, fit);
  if (error.empty()) {
    runtime::JsonOutput file("agtf-profile",
                             "the cluster file '" + options.output + "'");
    error = runtime::writeFile(options.output,
                               file.text(fit.cluster, /*indent=*/2));
  }
  if (!error.empty()) {
    std::fprintf(stderr, "agtf-profile: %s\n", error.c_str());
    return 1;
  }
  std::printf("%-40s %5s %7s %5s %14s %14s %9s\n", "schedule", "ranks",
              "buckets", "iters", "measured us", "predicted us", "meas/pred");
  for (const RunSummary &r : fit.runs)
    std::printf("%-40s %5d %7u %5d %14.1f %14.1f %9.2f\n", r.schedule.c_str(),
                r.ranks, r.buckets, r.iterations, r.measuredUs, r.predictedUs,
                r.predictedUs > 0 ? r.measuredUs / r.predictedUs : 0.0);
  std::printf("fitted: bucket_us %.3g, timeline %s (the lanes replayed: "
              "stream %.1f%%, shared %.1f%% median error); points from the "
              "traces: allreduce %d, allgather %d, gtopk %d, compress %d, "
              "decompress %d, comm_beside_sparsify %d (buckets beside the "
              "sparsify lanes %d, alone %d)\n",
              fit.bucketUs, fit.timeline.c_str(), 100 * fit.timelineErrors[0],
              100 * fit.timelineErrors[1], fit.curvePoints[0],
              fit.curvePoints[1], fit.curvePoints[2], fit.curvePoints[3],
              fit.curvePoints[4], fit.curvePoints[5], fit.bucketsBeside,
              fit.bucketsAlone);
  std::printf("wrote %s\n", options.output.c_str());
  return 0;
}
} // namespace

int main(int argc, char **argv) {
  runtime::setProgramName("agtf-profile");
  Options options;
  // Every rank parses the same argv, so every rank stops here.
  if (std::optional<int> status = parseOptions(argc, argv, options))
    return *status;
  if (options.fromTrace)
    return fitClusterToTraces(options);
  std::string error;

  std::unique_ptr<runtime::Communicator> comm = runtime::makeHostCommunicator(
      &argc, &argv, options.timeoutSeconds, error);
  if (!comm) {
    // Every rank may fail here (the wait mode is agreed here): name it.
    runtime::reportError(runtime::launcherRank(), error);
    return 1;
  }
  installTerminateHandler(comm->rank());
  // Ranks with other sizes or repetitions would issue other collectives
  // and wait for each other until --timeout.
  runtime::RankIdentity me;
  for (auto [name, value] :
       {std::pair("--device", options.device),
        std::pair("--max-bytes", std::to_string(options.maxBytes)),
        std::pair("--max-elements", std::to_string(options.maxElements)),
        std::pair("--min-elements", std::to_string(options.minElements)),
        std::pair("--reps", std::to_string(options.reps)),
        std::pair("--warmup", std::to_string(options.warmup)),
        std::pair("--kernels-on-every-rank",
                  std::string(options.kernelsOnEveryRank ? "on" : "off")),
        std::pair("--selection", options.selection)})
    me.agree(name, value);
  if (std::string disagreement = runtime::checkAgreement(*comm, me);
      !disagreement.empty()) {
    std::fprintf(stderr, "agtf-profile: rank %d: %s\n", comm->rank(),
                 disagreement.c_str());
    return 1;
  }
  // Before the first buffer: the kernels' inputs and the compressor's
  // buffers at --max-elements (six float arrays), the collectives' pool
  // and every rank's share of the largest allgather.
  double needed = 24.0 * double(options.maxElements) +
                  std::max(2.0 * double(options.maxBytes), 128.0 * (1 << 20)) +
                  double(comm->size()) * double(options.maxBytes);
  if (double memory = runtime::usableMemoryBytes();
      memory > 0 && needed > memory) {
    std::fprintf(stderr,
                 "agtf-profile: rank %d: --max-elements %lld and --max-bytes "
                 "%lld need at least %.1f GiB of memory and this process may "
                 "allocate %.1f GiB\n",
                 comm->rank(), static_cast<long long>(options.maxElements),
                 static_cast<long long>(options.maxBytes), needed / (1 << 30),
                 memory / (1 << 30));
    return 1;
  }
  return profileCluster(*comm, options);
}
