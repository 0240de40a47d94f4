//===- Datasets.cpp - the data a training run draws batches from ----------===//

#include "runtime/training/Datasets.h"

#include "runtime/training/FashionMnistTensors.h"
#include "runtime/training/TrainingError.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <numeric>

using namespace agtf;
using namespace agtf::runtime;

uint64_t agtf::runtime::mixSeed(uint64_t a, uint64_t b) {
  uint64_t z = a * 0x9e3779b97f4a7c15ull + b + 0x632be59bd9b4e019ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

namespace {
/// The rows `index` of `inputs` and `labels`, which live on one device.
std::pair<at::Tensor, at::Tensor> rows(const at::Tensor &inputs,
                                       const at::Tensor &labels,
                                       const std::vector<int64_t> &index) {
  at::Tensor i = torch::tensor(index, at::kLong).to(inputs.device());
  return {inputs.index_select(0, i), labels.index_select(0, i)};
}
} // namespace

FashionMnistSplit::FashionMnistSplit(const std::string &dir,
                                     const std::string &split, int64_t limit) {
  data::FashionMnistTensors set;
  std::string error = data::loadFashionMnist(dir, split, limit, set);
  if (!error.empty())
    throw TrainingError(error);
  images = set.images;
  labels = set.labels;
}

std::pair<at::Tensor, at::Tensor>
FashionMnistSplit::batch(const std::vector<int64_t> &index) const {
  return rows(images, labels, index);
}

void FashionMnistSplit::place(at::Device device) {
  images = images.to(device);
  labels = labels.to(device);
}

std::pair<at::Tensor, at::Tensor>
SyntheticSplit::batch(const std::vector<int64_t> &index) const {
  if (inputs.defined())
    return rows(inputs, labels, index);
  auto [x, y] = generate(index);
  return {x.to(device), y.to(device)};
}

void SyntheticSplit::place(at::Device to) {
  device = to;
  int64_t sample = 1;
  for (int64_t d : shape)
    sample *= d;
  // Up to 2 GiB (ImageNet-shaped: 3,500 samples) is made once and kept.
  if (count * sample * int64_t(sizeof(float)) > (int64_t(2) << 30))
    return;
  std::vector<int64_t> all(static_cast<size_t>(count));
  std::iota(all.begin(), all.end(), int64_t(0));
  auto [x, y] = generate(all);
  inputs = x.to(device);
  labels = y.to(device);
}

std::pair<at::Tensor, at::Tensor>
SyntheticSplit::generate(const std::vector<int64_t> &index) const {
  std::vector<at::Tensor> samples;
  std::vector<int64_t> targets;
  for (int64_t i : index) {
    uint64_t s = mixSeed(seed, uint64_t(i));
    at::Generator gen = at::detail::createCPUGenerator(s);
    samples.push_back(torch::randn(shape, gen, at::kFloat));
    targets.push_back(int64_t(mixSeed(s, 1) % uint64_t(classes)));
  }
  return {torch::stack(samples), torch::tensor(targets, at::kLong)};
}
