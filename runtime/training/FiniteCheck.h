//===- FiniteCheck.h - training stops when a number is no longer finite -*- C++
//-*-===//
//
// A NaN loss or parameter on one rank spreads through the averaged gradient
// to every rank, or stays in one rank's error-feedback residual for ever;
// either way the run would end "successfully" with a model that is NaN. The
// ranks exchange one flag pair at a check, so that all of them stop at the
// same step with the same message.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_TRAINING_FINITECHECK_H
#define AGTF_RUNTIME_TRAINING_FINITECHECK_H

#include "runtime/Communicator.h"

#include <torch/script.h>

#include <cstdint>
#include <string>

namespace agtf::runtime {

/// Steps between checks; the last step of every epoch is also checked. Each
/// check reads the loss on the host (a device sync) and scans the
/// parameters and their gradients once.
constexpr int64_t kFiniteCheckSteps = 50;

/// Whether every parameter of `module`, and every gradient it holds, is
/// finite.
bool parametersFinite(const torch::jit::Module &module);

/// One allgather of (loss finite, parameters finite) over the ranks.
/// Returns "" when all are, else a message naming what is not finite and on
/// which ranks, at `epoch` and `step` (both from 0): the same text on every
/// rank.
std::string checkFiniteOnEveryRank(Communicator &comm, bool lossFinite,
                                   bool parametersAreFinite, int64_t epoch,
                                   int64_t step);

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_TRAINING_FINITECHECK_H
