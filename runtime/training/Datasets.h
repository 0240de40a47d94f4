//===- Datasets.h - the data a training run draws batches from --*- C++ -*-===//
//
// A split of the data (docs/training.md, "What a step does"): Fashion-MNIST
// through its one tensor conversion, or seeded synthetic samples that are
// the same on every rank and in every epoch.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_TRAINING_DATASETS_H
#define AGTF_RUNTIME_TRAINING_DATASETS_H

#include <ATen/ATen.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace agtf::runtime {

/// SplitMix64 of two words: seeds derived from the run's seed.
uint64_t mixSeed(uint64_t a, uint64_t b);

/// A split of the data: samples by index, made on demand.
class Dataset {
public:
  virtual ~Dataset() = default;
  virtual int64_t size() const = 0;
  /// Inputs [n, C, H, W] and int64 labels [n] of the samples `index`, on
  /// the device given to place() (the CPU before).
  virtual std::pair<at::Tensor, at::Tensor>
  batch(const std::vector<int64_t> &index) const = 0;
  /// Keeps the split on `device` where it fits, so that a GPU's steps do
  /// not wait for the host to gather and copy every batch.
  virtual void place(at::Device device) = 0;
};

/// Fashion-MNIST's "train" or "t10k" split from `dir`, the first `limit`
/// samples when `limit` > 0. Throws TrainingError when it cannot be read.
class FashionMnistSplit : public Dataset {
public:
  FashionMnistSplit(const std::string &dir, const std::string &split,
                    int64_t limit);
  int64_t size() const override { return labels.size(0); }
  std::pair<at::Tensor, at::Tensor>
  batch(const std::vector<int64_t> &index) const override;
  void place(at::Device device) override;

private:
  at::Tensor images, labels;
};

/// Seeded normal inputs of `shape` and uniform labels below `classes`;
/// sample i is the same on every rank and in every epoch.
class SyntheticSplit : public Dataset {
public:
  SyntheticSplit(std::vector<int64_t> shape, int64_t classes, int64_t count,
                 uint64_t seed)
      : shape(std::move(shape)), classes(classes), count(count), seed(seed) {}
  int64_t size() const override { return count; }
  std::pair<at::Tensor, at::Tensor>
  batch(const std::vector<int64_t> &index) const override;
  void place(at::Device to) override;

private:
  std::pair<at::Tensor, at::Tensor>
  generate(const std::vector<int64_t> &index) const;

  std::vector<int64_t> shape;
  int64_t classes, count;
  uint64_t seed;
  at::Device device = at::kCPU;
  at::Tensor inputs, labels; // every sample, once placed
};

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_TRAINING_DATASETS_H
