//===- Measure.cpp - timing collectives and sparsification kernels --------===//

#include "Measure.h"

#include "runtime/Compressor.h"

#include "kernels/Random.h"
#include "kernels/SampledTopK.h"
#include "kernels/TopK.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>

using namespace agtf;
using namespace agtf::profile;
using runtime::Communicator;

namespace {
double nowUs() {
  using namespace std::chrono;
  return duration<double, std::micro>(steady_clock::now().time_since_epoch())
      .count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/// Larger than the last-level cache of the hosts this runs on (32 MiB here,
/// shared by its ranks).
constexpr int64_t kColdPoolBytes = int64_t(128) << 20;

int ceilLog2(int p) {
  int rounds = 0;
  while ((1 << rounds) < p)
    ++rounds;
  return rounds;
}

/// Back-to-back calls per timed repetition: small messages take a few
/// microseconds, close to the clock's and the barrier's jitter.
int64_t innerCalls(int64_t bytes) {
  return std::clamp<int64_t>((int64_t(1) << 16) / std::max<int64_t>(bytes, 1),
                             1, 32);
}

/// The gTop-k pattern of GTopKCompressor without the merge: a binomial tree
/// of point-to-point messages towards rank 0, then a broadcast.
void gtopkPattern(Communicator &comm, uint8_t *message, int64_t bytes) {
  int rank = comm.rank(), size = comm.size();
  for (int step = 1; step < size; step *= 2) {
    if (rank % (2 * step) == step) {
      comm.send(message, bytes, rank - step, /*tag=*/7);
      break;
    }
    if (rank % (2 * step) == 0 && rank + step < size)
      comm.recv(message, bytes, rank + step, /*tag=*/7);
  }
  comm.broadcast(message, bytes, 0);
}
} // namespace

const char *agtf::profile::collectiveName(Collective c) {
  switch (c) {
  case Collective::Allreduce:
    return "allreduce";
  case Collective::Allgather:
    return "allgather";
  case Collective::GTopK:
    return "gtopk";
  case Collective::Broadcast:
    return "broadcast";
  case Collective::SendRecv:
    return "sendrecv";
  }
  return "?";
}

void agtf::profile::modelMultipliers(Collective c, int P, double &A,
                                     double &B) {
  switch (c) {
  case Collective::Allreduce:
    A = 2.0 * (P - 1);
    B = 2.0 * (P - 1) / P;
    return;
  case Collective::Allgather:
    A = ceilLog2(P);
    B = P - 1;
    return;
  case Collective::GTopK:
    A = B = 2.0 * ceilLog2(P);
    return;
  case Collective::Broadcast:
  case Collective::SendRecv:
    A = B = 1;
    return;
  }
}

std::vector<int64_t> agtf::profile::logSizes(int64_t least, int64_t most,
                                             double factor) {
  std::vector<int64_t> sizes;
  for (double s = double(least); s <= double(most) * (1 + 1e-9); s *= factor)
    sizes.push_back(int64_t(std::llround(s)));
  if (sizes.empty() || sizes.back() < most)
    sizes.push_back(most);
  return sizes;
}

std::vector<Sample>
agtf::profile::measureCollective(Communicator &comm, Collective c,
                                 const std::vector<int64_t> &sizes,
                                 int64_t reps, int64_t warmup) {
  int P = comm.size(), rank = comm.rank();
  std::vector<Sample> samples;
  for (int64_t bytes : sizes) {
    // Each call takes the next slice of a pool larger than a host's caches:
    // the engine sends each bucket once an iteration, from memory that the
    // caches no longer hold, and on shared memory a cached message moves
    // twice as fast (4 MiB allreduce on 2 ranks here: 0.66 ms against 1.3).
    int64_t slot = (bytes + 63) / 64 * 64;
    int64_t slots = std::max<int64_t>(2, kColdPoolBytes / slot);
    std::vector<float> floats;
    std::vector<uint8_t> in, out;
    if (c == Collective::Allreduce)
      floats.assign(size_t(slot / 4 * slots), 1.0f);
    else
      in.assign(size_t(slot * slots), uint8_t(rank));
    if (c == Collective::Allgather)
      out.resize(size_t(bytes) * P);
    int64_t call = 0;
    auto once = [&] {
      int64_t at = (call++ % slots) * slot;
      uint8_t *message = in.data() + (in.empty() ? 0 : at);
      switch (c) {
      case Collective::Allreduce:
        comm.allreduceSum(floats.data() + at / 4, bytes / 4);
        break;
      case Collective::Allgather:
        comm.allgather(message, bytes, out.data());
        break;
      case Collective::GTopK:
        gtopkPattern(comm, message, bytes);
        break;
      case Collective::Broadcast:
        comm.broadcast(message, bytes, 0);
        break;
      case Collective::SendRecv:
        // Ping-pong between ranks 0 and 1; the others wait at the barrier.
        if (rank == 0) {
          comm.send(message, bytes, 1, /*tag=*/8);
          comm.recv(message, bytes, 1, /*tag=*/8);
        } else if (rank == 1) {
          comm.recv(message, bytes, 0, /*tag=*/8);
          comm.send(message, bytes, 0, /*tag=*/8);
        }
        break;
      }
    };
    int64_t inner = innerCalls(bytes);
    std::vector<double> times;
    for (int64_t r = 0; r < warmup + reps; ++r) {
      comm.barrier();
      double start = nowUs();
      for (int64_t i = 0; i < inner; ++i)
        once();
      double us = (nowUs() - start) / double(inner);
      if (c == Collective::SendRecv)
        us = rank <= 1 ? us / 2 : 0; // one way of the round trip
      if (r >= warmup)
        times.push_back(us);
    }
    double mine = median(times);
    std::vector<double> all(static_cast<size_t>(P));
    comm.allgather(&mine, sizeof(double), all.data());
    samples.push_back(
        {double(bytes), *std::max_element(all.begin(), all.end())});
  }
  return samples;
}

KernelSamples
agtf::profile::measureKernelsCpu(const std::vector<int64_t> &sizes,
                                 int64_t reps, int64_t warmup) {
  KernelSamples out;
  int64_t most = sizes.empty() ? 0 : sizes.back();
  std::vector<float> x(static_cast<size_t>(most)),
      fused(static_cast<size_t>(most));
  kernels::fillHeavyTailedCpu(x.data(), most, /*seed=*/1, 1.0f);
  std::vector<int32_t> indices;
  std::vector<float> values;
  // Median over reps of the mean over `inner` back-to-back calls.
  auto time = [&](int64_t inner, auto &&call) {
    std::vector<double> t;
    for (int64_t r = 0; r < warmup + reps; ++r) {
      double start = nowUs();
      for (int64_t i = 0; i < inner; ++i)
        call();
      if (r >= warmup)
        t.push_back((nowUs() - start) / double(inner));
    }
    return median(t);
  };
  for (int64_t n : sizes) {
    int64_t k = kernels::topKCount(n, profiledDensity);
    indices.resize(size_t(kernels::sampledTopKCapacity(n, k)));
    values.resize(indices.size());
    int64_t inner = std::clamp<int64_t>(100000 / n, 1, 100);
    out.exactTopK.push_back({double(n), time(inner, [&] {
                               kernels::selectTopKCpu(x.data(), n, k,
                                                      indices.data(),
                                                      values.data());
                             })});
    uint64_t seed = 0;
    out.sampledTopK.push_back({double(n), time(inner, [&] {
                                 kernels::selectSampledTopKCpu(
                                     x.data(), n, k, ++seed, indices.data(),
                                     values.data());
                               })});
    int64_t copies = std::clamp<int64_t>(1000000 / n, 1, 1000);
    out.pack.push_back({double(n), time(copies, [&] {
                          std::memcpy(fused.data(), x.data(),
                                      size_t(n) * sizeof(float));
                        })});
  }
  // Reading the copy keeps the compiler from dropping it.
  volatile float sink = fused.empty() ? 0.0f : fused[0];
  (void)sink;
  return out;
}

CompressorSamples agtf::profile::measureCompressorCpu(
    runtime::Communicator &comm, const std::vector<int64_t> &sizes,
    bool sampled, int64_t reps, int64_t warmup) {
  CompressorSamples out;
  int64_t most = sizes.empty() ? 0 : sizes.back();
  std::vector<float> drawn(static_cast<size_t>(most)),
      grad(static_cast<size_t>(most));
  kernels::fillHeavyTailedCpu(drawn.data(), most,
                              /*seed=*/uint64_t(3 + comm.rank()), 1.0f);
  for (int64_t n : sizes) {
    runtime::BucketInfo info;
    info.name = "profile";
    info.numel = n;
    info.tensors.push_back({"profile", {n}, 0, n});
    info.params.kind = fb::CompressionKind::topk;
    info.params.density = profiledDensity;
    info.params.select =
        sampled ? fb::SelectMethod::sampled : fb::SelectMethod::exact;
    std::unique_ptr<runtime::Compressor> compressor =
        runtime::makeCompressor(info, comm.rank(), comm.size(), /*seed=*/1);
    std::vector<double> compressUs, communicateUs;
    for (int64_t r = 0; r < warmup + reps; ++r) {
      std::copy_n(drawn.data(), n, grad.data());
      comm.barrier();
      double start = nowUs();
      compressor->compress(grad.data(), runtime::IterationInfo{r, -1});
      double compressed = nowUs();
      compressor->communicate(grad.data(), comm);
      double end = nowUs();
      if (r >= warmup) {
        compressUs.push_back(compressed - start);
        communicateUs.push_back(end - compressed);
      }
    }
    out.compress.push_back({double(n), median(compressUs)});
    out.communicate.push_back({double(n), median(communicateUs)});
  }
  return out;
}
