//===- FashionMnistTensors.cpp - Fashion-MNIST as tensors -----------------===//

#include "runtime/training/FashionMnistTensors.h"

#include "runtime/training/FashionMnist.h"

#include <algorithm>

using namespace agtf::data;

std::string agtf::data::loadFashionMnist(const std::string &dir,
                                         const std::string &split,
                                         int64_t limit,
                                         FashionMnistTensors &out) {
  IdxImages raw;
  std::string error = readFashionMnist(dir, split, raw);
  if (!error.empty())
    return error;
  int64_t n = limit > 0 ? std::min(limit, raw.count) : raw.count;
  // from_blob borrows the bytes: the conversions copy before they go.
  out.images = at::from_blob(raw.pixels.data(), {n, 1, 28, 28}, at::kByte)
                   .to(at::kFloat)
                   .div_(255.0);
  out.labels = at::from_blob(raw.labels.data(), {n}, at::kByte).to(at::kLong);
  return "";
}
