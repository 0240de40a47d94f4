//===- TopKCpuBench.cpp - speed of the CPU selections ---------------------===//
//
// agtf-topk-cpu-bench [--sizes 10000000,25000000] [--densities 0.001,0.01]
//                     [--reps 11] [--seed 1]
// For each size, on normal floats (fillNormalCpu, fixed seed), times one
// pass of std::fabs into an output array, then for each density exact
// top-k (selectTopKCpu) and DGC's sampled selection (selectSampledTopKCpu,
// a different sampling seed each repetition, so that some samples trim or
// lower the threshold, as the notes count): min and median of --reps runs
// after one warm-up, on one thread. Prints markdown rows with the
// ratios of each median and min to the fabs pass's (the min is the steadier
// on a busy machine); bench/topk-cpu/run.sh adds
// torch's rows of the same run.
//
//===----------------------------------------------------------------------===//

#include "kernels/Random.h"
#include "kernels/SampledTopK.h"
#include "kernels/TopK.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

using namespace agtf::kernels;

namespace {

struct Timing {
  double minMs = 0, medianMs = 0;
};

Timing timeRuns(int reps, const std::function<void(int)> &work) {
  work(-1);
  std::vector<double> ms;
  for (int r = 0; r < reps; ++r) {
    auto start = std::chrono::steady_clock::now();
    work(r);
    auto stop = std::chrono::steady_clock::now();
    ms.push_back(
        std::chrono::duration<double, std::milli>(stop - start).count());
  }
  std::sort(ms.begin(), ms.end());
  return {ms.front(), ms[ms.size() / 2]};
}

std::vector<std::string> split(const std::string &text) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, ',');)
    if (!part.empty())
      parts.push_back(part);
  return parts;
}

[[noreturn]] void usage() {
  std::fprintf(stderr,
               "usage: agtf-topk-cpu-bench [--sizes N,N] [--densities D,D] "
               "[--reps R] [--seed S]\n");
  std::exit(2);
}

void row(const char *what, int64_t n, double density, int64_t k, Timing t,
         Timing abs, const std::string &note) {
  std::printf("| %s | %lld | %g | %lld | %.2f | %.2f | %.2f | %.2f | %s |\n",
              what, static_cast<long long>(n), density,
              static_cast<long long>(k), t.minMs, t.medianMs,
              t.medianMs / abs.medianMs, t.minMs / abs.minMs, note.c_str());
  std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv) {
  std::vector<int64_t> sizes = {10000000, 25000000};
  std::vector<double> densities = {0.001, 0.01};
  int reps = 11;
  uint64_t seed = 1;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i], value;
    auto eq = arg.find('=');
    if (eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      usage();
    }
    if (arg == "--sizes") {
      sizes.clear();
      for (const std::string &s : split(value))
        sizes.push_back(std::atoll(s.c_str()));
    } else if (arg == "--densities") {
      densities.clear();
      for (const std::string &s : split(value))
        densities.push_back(std::atof(s.c_str()));
    } else if (arg == "--reps") {
      reps = std::max(1, std::atoi(value.c_str()));
    } else if (arg == "--seed") {
      seed = std::strtoull(value.c_str(), nullptr, 10);
    } else {
      usage();
    }
  }
  for (int64_t n : sizes)
    if (n < 1 || n > (int64_t(1) << 31) - 1)
      usage();

  volatile float sink = 0;
  std::printf(
      "| what | n | density | k | min ms | median ms | median / fabs "
      "| min / fabs | notes |\n|---|---|---|---|---|---|---|---|---|\n");
  for (int64_t n : sizes) {
    std::vector<float> x(n), out(n);
    fillNormalCpu(x.data(), n, seed);
    Timing abs = timeRuns(reps, [&](int) {
      const float *in = x.data();
      float *o = out.data();
      for (int64_t i = 0; i < n; ++i)
        o[i] = std::fabs(in[i]);
      sink = o[n / 2];
    });
    row("one pass: std::fabs into an array", n, 0, 0, abs, abs,
        std::to_string(reps) + " reps, one thread");
    for (double density : densities) {
      int64_t k = topKCount(n, density);
      std::vector<int32_t> indices(sampledTopKCapacity(n, k));
      std::vector<float> values(indices.size());
      Timing exact = timeRuns(reps, [&](int) {
        selectTopKCpu(x.data(), n, k, indices.data(), values.data());
        sink = values[0];
      });
      row("selectTopKCpu", n, density, k, exact, abs, "exact");
      Timing sampled = timeRuns(reps, [&](int r) {
        selectSampledTopKCpu(x.data(), n, k, static_cast<uint64_t>(r + 2),
                             indices.data(), values.data());
        sink = values[0];
      });
      // Which path each timed seed took, untimed: trimmed to k (more than
      // 1.3k candidates) and threshold lowered (rounds > 1).
      int trimmed = 0, lowered = 0;
      for (int r = 0; r < reps; ++r) {
        SampledSelection s =
            selectSampledTopKCpu(x.data(), n, k, static_cast<uint64_t>(r + 2),
                                 indices.data(), values.data());
        int64_t candidates = std::count_if(x.begin(), x.end(), [&](float v) {
          return std::fabs(v) >= s.threshold;
        });
        trimmed += candidates != s.count;
        lowered += s.rounds > 1;
      }
      row("selectSampledTopKCpu", n, density, k, sampled, abs,
          "seeds 2.." + std::to_string(reps + 1) + ": trimmed in " +
              std::to_string(trimmed) + ", rounds > 1 in " +
              std::to_string(lowered));
    }
  }
  (void)sink;
  return 0;
}
