//===- Replay.cpp - synthetic backprop that follows the profile -----------===//

#include "Replay.h"

#include "kernels/Random.h"

#include <algorithm>
#include <chrono>
#include <thread>

#ifdef __linux__
#include <sys/prctl.h>
#endif

using namespace agtf::run;
using namespace agtf::runtime;
namespace kn = agtf::kernels;

namespace {
constexpr int64_t kPoolShifts = 4093;
} // namespace

Replay::Replay(Engine &engine, int rank, ReplayTimes times)
    : engine(engine), rank(rank), times(times) {
#ifdef __linux__
  // Linux lets a sleep overrun by the thread's timer slack, 50 us by
  // default: more than many profiled backward times on a GPU.
  prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
#endif
  // The same start on every rank: parameters must stay identical.
  params.resize(size_t(engine.numel()));
  kn::fillNormalCpu(params.data(), engine.numel(), times.seed);
  pool.resize(size_t(engine.numel() + kPoolShifts));
  kn::fillHeavyTailedCpu(pool.data(), int64_t(pool.size()),
                         kn::combineSeed(times.seed, uint64_t(rank) + 1),
                         0.01f);
  if (Device *device = engine.device()) {
    deviceParams = device->allocate(engine.numel());
    device->upload(deviceParams, params.data(), engine.numel());
    devicePool = device->allocate(int64_t(pool.size()));
    device->upload(devicePool, pool.data(), int64_t(pool.size()));
  }
}

const std::vector<float> &Replay::parameters() {
  if (Device *device = engine.device())
    device->download(params.data(), deviceParams, engine.numel());
  return params;
}

const float *Replay::drawnFor(int64_t iteration) const {
  uint64_t shift = (uint64_t(iteration) * 7919u) % uint64_t(kPoolShifts);
  return (engine.device() ? devicePool : pool.data()) + shift;
}

void Replay::prepare(int64_t iteration) {
  // On the host the drawn gradients are copied before the clock starts: on
  // a device the backward kernels write them within their profiled times,
  // and a host copy of 10^8 bytes would outlast many of those times. The
  // device path copies on its compute stream, as a backward would.
  if (!engine.device())
    std::copy_n(drawnFor(iteration), engine.numel(), engine.gradients());
}

IterationRecord Replay::run(int64_t iteration) {
  Trace &clock = engine.trace();
  IterationInfo info;
  info.iteration = iteration;
  info.epoch = times.epochIters > 0 ? iteration / times.epochIters : -1;
  engine.beginIteration(info);
  IterationRecord record;
  float *grads = engine.gradients();
  const std::vector<TensorSlice> &tensors = engine.tensors();
  Device *device = engine.device();
  const float *drawn = drawnFor(iteration);

  double start = clock.now();
  clock.waitUntil(start + times.forwardUs * times.timeScale);
  double t = clock.now();
  clock.span(Lane::Compute, "forward", start, t);
  double backwardStart = t;
  // Gradient i is ready at the sum of the backward times up to i, as on a
  // device whose kernels run back to back: a late wake-up or a slow copy
  // delays that gradient, not every later one.
  double readyAt = backwardStart;
  for (uint32_t i = 0; i < tensors.size(); ++i) {
    const TensorSlice &s = tensors[i];
    double begin = t;
    readyAt += s.backwardUs * times.timeScale;
    if (device)
      device->copyOnCompute(grads + s.offset, drawn + s.offset, s.numel);
    clock.waitUntil(readyAt);
    t = clock.now();
    clock.span(Lane::Compute, "backward " + s.name, begin, t);
    engine.markReady(i);
  }
  record.backwardUs = t - backwardStart;

  engine.synchronize();
  float lr = float(times.lr);
  if (device) {
    // The step waits on the device for the last bucket; the host waits
    // for the step, so the exposed time includes the communication still
    // running on the device.
    device->sgdStepOnCompute(deviceParams, grads, engine.numel(), lr);
    device->waitForCompute();
  }
  double synced = clock.now();
  record.exposedUs = synced - t;
  record.payloadBytes = 0;
  clock.waitUntil(synced + times.updateUs * times.timeScale);
  double end = clock.now();
  clock.span(Lane::Compute, "update", synced, end);
  record.iterationUs = end - start;
  // The host step runs after the clock stops, as the copy runs before it
  // starts: the profile's update time stands for the device's step.
  if (!device)
    for (size_t i = 0; i < params.size(); ++i)
      params[i] -= lr * grads[i];
  return record;
}
