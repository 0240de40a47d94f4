//===- FiniteCheck.cpp - training stops when a number is no longer finite -===//

#include "runtime/training/FiniteCheck.h"

#include <torch/torch.h>

#include <vector>

using namespace agtf::runtime;

bool agtf::runtime::parametersFinite(const torch::jit::Module &module) {
  for (const at::Tensor &p : module.parameters()) {
    if (!torch::isfinite(p).all().item<bool>())
      return false;
    if (p.grad().defined() && !torch::isfinite(p.grad()).all().item<bool>())
      return false;
  }
  return true;
}

std::string agtf::runtime::checkFiniteOnEveryRank(Communicator &comm,
                                                  bool lossFinite,
                                                  bool parametersAreFinite,
                                                  int64_t epoch, int64_t step) {
  uint8_t mine[2] = {uint8_t(lossFinite), uint8_t(parametersAreFinite)};
  std::vector<uint8_t> all(2 * size_t(comm.size()));
  comm.allgather(mine, sizeof mine, all.data());
  std::string loss, parameters;
  for (int r = 0; r < comm.size(); ++r) {
    if (!all[2 * r])
      loss += (loss.empty() ? "" : ", ") + std::to_string(r);
    if (!all[2 * r + 1])
      parameters += (parameters.empty() ? "" : ", ") + std::to_string(r);
  }
  if (loss.empty() && parameters.empty())
    return "";
  std::string what;
  if (!loss.empty())
    what = "the loss is not finite on rank " + loss;
  if (!parameters.empty())
    what += (what.empty() ? "" : "; ") +
            std::string("parameters or gradients are not finite on rank ") +
            parameters;
  return what + " (epoch " + std::to_string(epoch + 1) + ", by step " +
         std::to_string(step + 1) +
         "): training stopped on every rank, nothing saved";
}
