//===- FashionMnistTensors.h - Fashion-MNIST as tensors ---------*- C++ -*-===//
//
// The one conversion of Fashion-MNIST's bytes into tensors, for training
// (agtf-run --model, the Trainer example) and for agtf-import's profiler,
// so that the gradients profiled are those of the data trained on.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_TRAINING_FASHIONMNISTTENSORS_H
#define AGTF_RUNTIME_TRAINING_FASHIONMNISTTENSORS_H

#include <ATen/ATen.h>

#include <string>

namespace agtf::data {

struct FashionMnistTensors {
  at::Tensor images; // [n, 1, 28, 28] float: the bytes / 255, in [0, 1]
  at::Tensor labels; // [n] int64, each < 10
};

/// Reads `split` ("train" or "t10k") from `dir`, keeping the first `limit`
/// samples when `limit` > 0. Returns "" or why not.
std::string loadFashionMnist(const std::string &dir, const std::string &split,
                             int64_t limit, FashionMnistTensors &out);

} // namespace agtf::data

#endif // AGTF_RUNTIME_TRAINING_FASHIONMNISTTENSORS_H
