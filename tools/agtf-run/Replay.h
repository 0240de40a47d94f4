//===- Replay.h - synthetic backprop that follows the profile ---*- C++ -*-===//
//
// Each iteration: the forward time, then the tensors in backprop order,
// each taking its profiled backward time while its gradient is filled with
// seeded heavy-tailed values (Student's t, 3 dof; different on every rank,
// drawn once and copied at a shift that changes every iteration) and marked
// ready, then synchronize() and the update time. On the host the copy runs
// before the iteration's clock starts and the SGD step on a flat parameter
// buffer after it stops, because they stand in for device kernels that the
// profile times; with a device both run on its compute stream, in the
// clock. Compression and communication are real.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_TOOLS_AGTFRUN_REPLAY_H
#define AGTF_TOOLS_AGTFRUN_REPLAY_H

#include "runtime/Engine.h"

#include <vector>

namespace agtf::run {

struct ReplayTimes {
  double forwardUs = 0, updateUs = 0, timeScale = 1;
  double lr = 0.01;
  uint64_t seed = 1;
  int64_t epochIters = 0;
};

/// One measured iteration on this rank.
struct IterationRecord {
  double iterationUs = 0; // forward start to update end
  double backwardUs = 0;  // forward end to last markReady
  double exposedUs = 0;   // synchronize()'s wait: comm not hidden
  int64_t payloadBytes = 0;
};

class Replay {
public:
  Replay(runtime::Engine &engine, int rank, ReplayTimes times);
  /// The host work before iteration `iteration`'s clock starts: the drawn
  /// gradients copied into place (nothing with a device).
  void prepare(int64_t iteration);
  /// One iteration, from its forward pass to its update; after prepare().
  IterationRecord run(int64_t iteration);
  /// The parameters on the host (copied from the device when there is
  /// one).
  const std::vector<float> &parameters();

private:
  /// This iteration's drawn gradients: the pool at a shift.
  const float *drawnFor(int64_t iteration) const;

  runtime::Engine &engine;
  int rank;
  ReplayTimes times;
  std::vector<float> params;
  std::vector<float> pool; // numel + kPoolShifts values
  /// With a device: the parameters and the pool in device memory.
  float *deviceParams = nullptr, *devicePool = nullptr;
};

} // namespace agtf::run

#endif // AGTF_TOOLS_AGTFRUN_REPLAY_H
