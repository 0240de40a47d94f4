//===- Sgd.cpp - SGD step after the engine averaged the gradients ---------===//

#include "runtime/training/Sgd.h"

#include <algorithm>
#include <cmath>

using namespace agtf::runtime;

Sgd::Sgd(const Trainer &trainer, SgdOptions options)
    : trainer(trainer), options(options), buffers(trainer.parameters().size()) {
}

void Sgd::step(double lr) {
  torch::NoGradGuard noGrad;
  const std::vector<NamedParameter> &params = trainer.parameters();
  for (size_t i = 0; i < params.size(); ++i) {
    at::Tensor p = params[i].value;
    if (!p.grad().defined())
      continue;
    at::Tensor d = p.grad();
    if (options.weightDecay != 0)
      d = d.add(p, options.weightDecay);
    if (options.momentum != 0 && !trainer.momentumInCompressor(i)) {
      if (!buffers[i].defined())
        buffers[i] = d.clone();
      else
        buffers[i].mul_(options.momentum).add_(d);
      d = buffers[i];
    }
    p.add_(d, -lr);
  }
}

double agtf::runtime::scheduledLr(double lr, int64_t done, int64_t warmupSteps,
                                  int64_t totalSteps, bool cosine) {
  if (done < warmupSteps)
    return lr * double(done + 1) / double(warmupSteps);
  if (!cosine || totalSteps - warmupSteps <= 1)
    return lr;
  double t = double(done - warmupSteps) / double(totalSteps - warmupSteps - 1);
  return lr * 0.5 * (1 + std::cos(M_PI * std::min(t, 1.0)));
}
