//===- Profiler.h - LibTorch side of agtf-import ----------------*- C++ -*-===//
//
// Loads a TorchScript model, runs it forward and backward, and records per
// trainable parameter the order its gradient becomes ready, its backward time,
// backward FLOPs and a gradient-magnitude sketch. This interface uses neither
// LibTorch nor MLIR types: the torch-facing code (Profiler.cpp) catches every
// exception LibTorch throws, so none crosses into MLIR frames.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_TOOLS_AGTF_IMPORT_PROFILER_H
#define AGTF_TOOLS_AGTF_IMPORT_PROFILER_H

#include <cstdint>
#include <string>
#include <vector>

namespace agtf::import {

struct ProfileOptions {
  std::string modelPath;
  /// NxCxHxW (or any float shape), or NxT for token models.
  std::vector<int64_t> inputShape;
  /// Measured iterations; 0: no timing, analytic FLOPs only.
  unsigned profileIters = 0;
  unsigned warmup = 2;
  std::string device = "cpu";
  uint64_t seed = 0;
  /// "" (random inputs) or "fashion-mnist".
  std::string data;
  /// Directory of the Fashion-MNIST idx files.
  std::string dataDir = "/usr/share/datasets/fashion-mnist";
  /// > 0: inputs are int64 token ids below this; 0: detect from the model.
  int64_t vocab = 0;
};

/// One trainable parameter.
struct TensorProfile {
  std::string name;
  std::vector<int64_t> shape;
  /// MLIR spelling of the element type: f32, f16, bf16 or f64.
  std::string dtype;
  /// Analytic backward FLOPs (weight gradient and, where cheap to attribute,
  /// bias/scale gradients); see docs/import.md.
  double flops = 0;
  /// Whether the gradient was produced in the backward pass.
  bool hasGradient = false;
  // Measured (profileIters > 0) only.
  double backwardUs = 0;
  double rms = 0;
  double gradNorm = 0;
  std::vector<double> kept, threshold, energy;
};

struct ModelProfile {
  /// In the order gradients become ready; parameters without a gradient last.
  std::vector<TensorProfile> tensors;
  bool profiled = false;
  /// Means over measured iterations (forward includes the loss).
  double forwardUs = 0;
  double backwardUs = 0;
  /// Description of the inputs actually fed, for the output's header.
  std::string inputDescription;
  /// Whether the first pass's output and loss were finite, and the
  /// parameters whose gradient was not (by name, in parameter order).
  bool outputFinite = true;
  std::vector<std::string> nonFiniteGradients;
};

/// Fills `profile`. On failure returns false and sets `error` to one line
/// naming the problem (without the "agtf-import: error: " prefix).
bool profileModel(const ProfileOptions &options, ModelProfile &profile,
                  std::string &error);

} // namespace agtf::import

#endif // AGTF_TOOLS_AGTF_IMPORT_PROFILER_H
