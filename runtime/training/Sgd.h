//===- Sgd.h - SGD step after the engine averaged the gradients -*- C++ -*-===//
//
// The optimizer step agtf-run's training driver takes (docs/training.md):
// for every parameter p with averaged gradient g (p.grad after
// Trainer::synchronize()),
//
//   d = g + wd * p            weight decay, local, after communication
//   buf = m * buf + d; d = buf  momentum, local; skipped for tensors whose
//                             bucket is DGC (momentum correction is in the
//                             compressor already)
//   p -= lr * d
//
// as torch.optim.SGD does (no dampening, no Nesterov). The learning rate is
// the caller's, so that it can warm it up.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_TRAINING_SGD_H
#define AGTF_RUNTIME_TRAINING_SGD_H

#include "runtime/training/Trainer.h"

#include <vector>

namespace agtf::runtime {

struct SgdOptions {
  double momentum = 0.9;
  double weightDecay = 0;
};

class Sgd {
public:
  Sgd(const Trainer &trainer, SgdOptions options);
  /// One step with learning rate `lr` on every parameter of the trainer.
  void step(double lr);

private:
  const Trainer &trainer;
  SgdOptions options;
  std::vector<at::Tensor> buffers; // momentum, per parameter; lazily made
};

/// The learning rate of step `done` (counted from 0) of `totalSteps`:
/// linear warmup, lr * (done + 1) / warmupSteps, until warmupSteps steps are
/// done (Goyal et al.; DGC warms up the same way); then lr, or with `cosine`
/// lr * (1 + cos(pi * t)) / 2, t going from 0 after the warmup to 1 at the
/// last step (SGDR without restarts), so that the last epochs average out
/// the noise of a large rate.
double scheduledLr(double lr, int64_t done, int64_t warmupSteps,
                   int64_t totalSteps, bool cosine);

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_TRAINING_SGD_H
