//===- FashionMnist.h - Fashion-MNIST from its gzipped IDX files -*- C++
//-*-===//
//
// Reads the four gzipped IDX files of Fashion-MNIST (train-images-idx3-ubyte.gz
// and friends) as raw bytes; depends on zlib only. FashionMnistTensors.h
// turns them into the tensors that training and agtf-import's profiler
// share.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_TRAINING_FASHIONMNIST_H
#define AGTF_RUNTIME_TRAINING_FASHIONMNIST_H

#include <cstdint>
#include <string>
#include <vector>

namespace agtf::data {

/// Where Debian-style installs keep the data set.
constexpr const char *kFashionMnistDir = "/usr/share/datasets/fashion-mnist";

/// One split: `count` images of 28x28 bytes, row-major, and their labels.
struct IdxImages {
  int64_t count = 0;
  std::vector<uint8_t> pixels; // count * 784
  std::vector<uint8_t> labels; // count, each < 10
};

/// The files of one split ("train" or "t10k") in `dir`: images, labels.
inline std::vector<std::string> fashionMnistFiles(const std::string &dir,
                                                  const std::string &split) {
  return {dir + "/" + split + "-images-idx3-ubyte.gz",
          dir + "/" + split + "-labels-idx1-ubyte.gz"};
}

/// Reads the training split ("train", 60000 images) or the test split
/// ("t10k", 10000) from `dir`. Returns "" or why not.
std::string readFashionMnist(const std::string &dir, const std::string &split,
                             IdxImages &out);

} // namespace agtf::data

#endif // AGTF_RUNTIME_TRAINING_FASHIONMNIST_H
