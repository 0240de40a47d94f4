//===- KernelBench.cpp - speed of the CUDA kernels ------------------------===//
//
// agtf-kernel-bench [--sizes 25000000,100000000] [--density 0.001]
//                   [--reps 20] [--ranks 4]   (--help says more)
// Prints a markdown table: for each size, exact top-k (plain and fused
// with the residual add), DGC's sampled selection, the averaging of P
// gathered selections, and packing 161 tensors into a bucket; each the
// median of --reps runs timed with CUDA events after two warm-up runs,
// with the time of one read of the input (the floor of any selection)
// and the bandwidth of a device-to-device copy beside it. Runs where a
// device is; bench/kernels/run.sh adds torch.topk on the same sizes.
//
//===----------------------------------------------------------------------===//

#include "ReadFloor.h"

#include "tools/CommandLine.h"

#include "kernels/Pack.h"
#include "kernels/SampledTopK.h"
#include "kernels/SparseOps.h"
#include "kernels/TopK.h"

#include <cuda_runtime.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

using namespace agtf::kernels;

namespace {

void require(cudaError_t e, const char *what) {
  if (e != cudaSuccess) {
    std::fprintf(stderr, "agtf-kernel-bench: %s: %s\n", what,
                 cudaGetErrorString(e));
    std::exit(1);
  }
}

template <typename T> T *deviceAlloc(size_t count) {
  void *p = nullptr;
  require(cudaMalloc(&p, std::max<size_t>(1, count) * sizeof(T)), "cudaMalloc");
  return static_cast<T *>(p);
}

/// Median milliseconds of `reps` runs of `work` on the default stream.
double medianMs(int reps, const std::function<void()> &work) {
  cudaEvent_t start, stop;
  require(cudaEventCreate(&start), "cudaEventCreate");
  require(cudaEventCreate(&stop), "cudaEventCreate");
  for (int i = 0; i < 2; ++i)
    work();
  std::vector<double> ms;
  for (int i = 0; i < reps; ++i) {
    require(cudaEventRecord(start), "cudaEventRecord");
    work();
    require(cudaEventRecord(stop), "cudaEventRecord");
    require(cudaEventSynchronize(stop), "cudaEventSynchronize");
    float t = 0;
    require(cudaEventElapsedTime(&t, start, stop), "cudaEventElapsedTime");
    ms.push_back(t);
  }
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

/// "25000000,100000000": positive sizes, or nothing.
std::vector<int64_t> parseSizes(const std::string &text) {
  std::vector<int64_t> sizes;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, ',');) {
    int64_t n = 0;
    if (!agtf::cli::parseInteger(part, n) || n < 1)
      return {};
    sizes.push_back(n);
  }
  return sizes;
}

const char *const usage =
    R"(usage: agtf-kernel-bench [--sizes N,N,...] [--density D] [--reps R]
                         [--ranks P]

Times the CUDA kernels on this host's first GPU and prints a markdown table
(docs/benchmarks.md). Options take their value as --name VALUE or
--name=VALUE.

  --help               print this and exit
  --version            print agtf-kernel-bench's version and exit
  --sizes N,N,...      tensor sizes in elements (default 25000000,100000000)
  --density D          kept fraction of the top-k selections, in (0, 1]
                       (default 0.001)
  --reps R             timed runs per kernel; the median counts (default 20)
  --ranks P            gathered selections the averaging sums (default 4)
)";

void row(const std::string &what, int64_t n, double ms, const char *measure,
         const std::string &goal) {
  std::printf("| %s | %lld | %.4f | %s | %s |\n", what.c_str(),
              static_cast<long long>(n), ms, measure, goal.c_str());
}

} // namespace

int main(int argc, char **argv) {
  std::vector<int64_t> sizes = {25000000, 100000000};
  double density = 0.001;
  int64_t repsOption = 20, ranksOption = 4;
  agtf::cli::CommandLine line("agtf-kernel-bench", usage);
  line.option("--sizes", [&](const std::string &value) {
    sizes = parseSizes(value);
    return sizes.empty()
               ? "--sizes: '" + value + "' is not a list of positive integers"
               : std::string();
  });
  line.option("--density", [&](const std::string &value) {
    if (!agtf::cli::parseNumber(value, density) || density <= 0 || density > 1)
      return "--density: '" + value + "' is not in (0, 1]";
    return std::string();
  });
  line.integer("--reps", repsOption, 1, "is not a positive integer");
  line.integer("--ranks", ranksOption, 1, "is not a positive integer");
  if (std::optional<int> status = line.parse(argc, argv, [&] {
        return repsOption > 100000 || ranksOption > 100000
                   ? std::string("--reps and --ranks: at most 100000")
                   : std::string();
      }))
    return *status;
  int reps = int(repsOption), ranks = int(ranksOption);
  int devices = 0;
  if (cudaGetDeviceCount(&devices) != cudaSuccess || devices == 0) {
    std::fprintf(stderr, "agtf-kernel-bench: no CUDA device\n");
    return 1;
  }
  cudaDeviceProp props{};
  require(cudaGetDeviceProperties(&props, 0), "cudaGetDeviceProperties");
  std::printf("device: %s, density %g, median of %d runs, %d ranks' "
              "selections averaged\n\n",
              props.name, density, reps, ranks);
  std::printf("| kernel | elements | ms | measure | goal |\n");
  std::printf("| --- | --- | --- | --- | --- |\n");

  for (int64_t n : sizes) {
    int64_t k = topKCount(n, density);
    float *x = deviceAlloc<float>(n), *copy = deviceAlloc<float>(n),
          *grad = deviceAlloc<float>(n);
    fillHeavyTailedOnDevice(x, n, 1);
    fillHeavyTailedOnDevice(grad, n, 2);
    require(cudaDeviceSynchronize(), "fill");
    double bytes = double(n) * 4;

    double copyMs = medianMs(reps, [&] {
      require(cudaMemcpyAsync(copy, x, size_t(bytes), cudaMemcpyDeviceToDevice),
              "cudaMemcpyAsync");
    });
    double copyBandwidth = 2 * bytes / (copyMs * 1e-3);
    double readMs = medianMs(reps, [&] { readOnce(x, n); });
    row("device-to-device copy", n, copyMs,
        (std::to_string(int(copyBandwidth / 1e9)) + " GB/s (read + write)")
            .c_str(),
        "");
    row("one read of the input (floor)", n, readMs,
        (std::to_string(int(bytes / (readMs * 1e-3) / 1e9)) + " GB/s").c_str(),
        "");

    int32_t *indices = deviceAlloc<int32_t>(sampledTopKCapacity(n, k));
    float *values = deviceAlloc<float>(sampledTopKCapacity(n, k));
    char *scratch = deviceAlloc<char>(
        std::max(topKCudaScratchBytes(n), sampledTopKCudaScratchBytes(n, k)));
    SelectionTarget out;
    out.indices = indices;
    out.values = values;
    double topkMs =
        medianMs(reps, [&] { selectTopKCuda(x, n, k, out, scratch, nullptr); });
    char ratio[64];
    std::snprintf(ratio, sizeof(ratio), "%.2f reads", topkMs / readMs);
    std::string goal = n == 25000000    ? "<= 0.10 ms"
                       : n == 100000000 ? "<= 0.35 ms"
                                        : "";
    row("exact top-k (selectTopKCuda)", n, topkMs, ratio, goal);

    require(cudaMemcpy(copy, x, size_t(bytes), cudaMemcpyDeviceToDevice),
            "cudaMemcpy");
    SelectionTarget feedback = out;
    feedback.subtractFrom = copy;
    double fusedMs = medianMs(reps, [&] {
      accumulateSelectTopKCuda(copy, grad, n, k, feedback, scratch, nullptr);
    });
    std::snprintf(ratio, sizeof(ratio), "%.2f reads", fusedMs / readMs);
    row("residual += grad, exact top-k, error feedback (fused)", n, fusedMs,
        ratio, "");

    double sampledMs = medianMs(reps, [&] {
      selectSampledTopKCuda(x, n, k, 7, out, nullptr, scratch, nullptr);
    });
    std::snprintf(ratio, sizeof(ratio), "%.2f reads", sampledMs / readMs);
    row("DGC sampled top-k (selectSampledTopKCuda)", n, sampledMs, ratio, "");

    // P selections of k distinct increasing indices each (a stride per
    // rank) averaged into the bucket.
    std::vector<int32_t> hostIndices(size_t(k) * ranks);
    for (int r = 0; r < ranks; ++r)
      for (int64_t i = 0; i < k; ++i)
        hostIndices[r * k + i] = int32_t((i * (n / k) + r) % n);
    int32_t *selIndices = deviceAlloc<int32_t>(hostIndices.size());
    require(cudaMemcpy(selIndices, hostIndices.data(), hostIndices.size() * 4,
                       cudaMemcpyHostToDevice),
            "cudaMemcpy");
    std::vector<RankSelection> selections(ranks);
    for (int r = 0; r < ranks; ++r)
      selections[r] = {selIndices + r * k, x + r * k, k};
    char *averageScratch =
        deviceAlloc<char>(averageSelectionsCudaScratchBytes(n));
    double averageMs = medianMs(reps, [&] {
      averageSelectionsCuda(selections.data(), ranks, ValueFormat::f32, copy, n,
                            1.0f / float(ranks), averageScratch, nullptr);
    });
    double averageBytes = bytes + double(ranks) * double(k) * 8;
    char fraction[96];
    std::snprintf(fraction, sizeof(fraction), "%.0f%% of copy bandwidth",
                  100 * averageBytes / (averageMs * 1e-3) / copyBandwidth);
    row("average of gathered selections (scatter-add)", n, averageMs, fraction,
        ">= 70%");

    // A bucket of 161 tensors (ResNet-50 has 161 parameters), sizes spread
    // over three orders of magnitude.
    std::vector<PackSegment> segments;
    int64_t offset = 0, tensors = 161, unit = 0;
    for (int64_t t = 0; t < tensors; ++t)
      unit += 1 + t % 20 * 50;
    for (int64_t t = 0; t < tensors; ++t) {
      int64_t numel =
          t + 1 == tensors ? n - offset : n / unit * (1 + t % 20 * 50);
      segments.push_back({x + offset, offset, numel});
      offset += numel;
    }
    PackSegment *table = deviceAlloc<PackSegment>(segments.size());
    require(cudaMemcpy(table, segments.data(),
                       segments.size() * sizeof(PackSegment),
                       cudaMemcpyHostToDevice),
            "cudaMemcpy");
    double packMs = medianMs(
        reps, [&] { packCuda(table, int(tensors), n, copy, nullptr); });
    std::snprintf(fraction, sizeof(fraction), "%.0f%% of copy bandwidth",
                  100 * (2 * bytes / (packMs * 1e-3)) / copyBandwidth);
    row("pack 161 tensors into a bucket", n, packMs, fraction, ">= 70%");

    for (void *p : {(void *)x, (void *)copy, (void *)grad, (void *)indices,
                    (void *)values, (void *)scratch, (void *)selIndices,
                    (void *)averageScratch, (void *)table})
      cudaFree(p);
  }

  // The CPU twin on the first size, for scale (one run).
  int64_t n = sizes.front(), k = topKCount(n, density);
  std::vector<float> host(n);
  for (int64_t i = 0; i < n; ++i)
    host[i] = float((i * 2654435761u) % 1000003) - 500000.0f;
  std::vector<int32_t> hostIndices(k);
  std::vector<float> hostValues(k);
  auto t0 = std::chrono::steady_clock::now();
  selectTopKCpu(host.data(), n, k, hostIndices.data(), hostValues.data());
  double cpuMs = std::chrono::duration<double, std::milli>(
                     std::chrono::steady_clock::now() - t0)
                     .count();
  row("exact top-k on the CPU (selectTopKCpu, one core)", n, cpuMs, "one run",
      "");
  return 0;
}
