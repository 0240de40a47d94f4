//===- Replay.cpp - synthetic backprop that follows the profile -----------===//

#include "Replay.h"

#include "kernels/Random.h"

#include <algorithm>
#include <chrono>
#include <thread>

using namespace agtf::run;
using namespace agtf::runtime;
namespace kn = agtf::kernels;

namespace {
constexpr int64_t kPoolShifts = 4093;

/// Sleeps until `untilUs` on the trace clock. A sleep, not a spin: on a
/// small machine the ranks' communication threads need the cores.
void waitUntil(const Trace &clock, double untilUs) {
  double left = untilUs - clock.now();
  if (left > 0)
    std::this_thread::sleep_for(std::chrono::duration<double, std::micro>(left));
}
} // namespace

Replay::Replay(Engine &engine, int rank, ReplayTimes times)
    : engine(engine), rank(rank), times(times) {
  // The same start on every rank: parameters must stay identical.
  params.resize(size_t(engine.numel()));
  kn::fillNormalCpu(params.data(), engine.numel(), times.seed);
  pool.resize(size_t(engine.numel() + kPoolShifts));
  kn::fillHeavyTailedCpu(
      pool.data(), int64_t(pool.size()),
      kn::combineSeed(times.seed, uint64_t(rank) + 1), 0.01f);
}

IterationRecord Replay::run(int64_t iteration) {
  Trace &clock = engine.trace();
  IterationInfo info;
  info.iteration = iteration;
  info.epoch = times.epochIters > 0 ? iteration / times.epochIters : -1;
  engine.beginIteration(info);
  IterationRecord record;

  double start = clock.now();
  waitUntil(clock, start + times.forwardUs * times.timeScale);
  double t = clock.now();
  clock.span(Lane::Compute, "forward", start, t);
  double backwardStart = t;
  float *grads = engine.gradients();
  const std::vector<TensorSlice> &tensors = engine.tensors();
  const float *drawn =
      pool.data() + (uint64_t(iteration) * 7919u) % uint64_t(kPoolShifts);
  for (uint32_t i = 0; i < tensors.size(); ++i) {
    const TensorSlice &s = tensors[i];
    double begin = t;
    std::copy_n(drawn + s.offset, s.numel, grads + s.offset);
    waitUntil(clock, begin + s.backwardUs * times.timeScale);
    t = clock.now();
    clock.span(Lane::Compute, "backward " + s.name, begin, t);
    engine.markReady(i);
  }
  record.backwardUs = t - backwardStart;

  engine.synchronize();
  double synced = clock.now();
  record.exposedUs = synced - t;
  record.payloadBytes = 0;
  float lr = float(times.lr);
  for (size_t i = 0; i < params.size(); ++i)
    params[i] -= lr * grads[i];
  waitUntil(clock, synced + times.updateUs * times.timeScale);
  double end = clock.now();
  clock.span(Lane::Compute, "update", synced, end);
  record.iterationUs = end - start;
  return record;
}
