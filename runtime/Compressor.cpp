//===- Compressor.cpp - one bucket's compression algorithm ----------------===//

#include "runtime/Compressor.h"

#include "runtime/compressors/Compressors.h"

#include "kernels/Random.h"

#include <algorithm>
#include <cmath>

using namespace agtf::runtime;

Compressor::~Compressor() = default;

double
agtf::runtime::largestMagnitude(const std::vector<std::vector<float>> &inputs) {
  double scale = 0;
  for (const std::vector<float> &in : inputs)
    for (float v : in)
      scale = std::max(scale, double(std::fabs(v)));
  return std::max(scale, 1e-30);
}

double
Compressor::tolerance(const std::vector<std::vector<float>> &inputs) const {
  // Sums of `size` float terms in another order: a few ulps of the largest
  // term each.
  return 8.0 * size * 1.2e-7 * largestMagnitude(inputs);
}

uint64_t agtf::runtime::selectionSeed(uint64_t seed, int rank,
                                      int64_t iteration, uint32_t bucket) {
  namespace kn = agtf::kernels;
  return kn::combineSeed(kn::combineSeed(seed, uint64_t(rank)),
                         kn::combineSeed(uint64_t(iteration), bucket));
}

double agtf::runtime::warmupDensity(double density, int32_t warmupEpochs,
                                    int64_t epoch) {
  if (epoch < 0 || epoch >= warmupEpochs)
    return density;
  return std::pow(density, double(epoch + 1) / double(warmupEpochs + 1));
}

std::unique_ptr<Compressor> agtf::runtime::makeCompressor(BucketInfo info,
                                                          int rank, int size,
                                                          uint64_t seed) {
  switch (info.params.kind) {
  case fb::CompressionKind::topk:
    return makeTopKCompressor(std::move(info), rank, size, seed, false);
  case fb::CompressionKind::dgc:
    return makeTopKCompressor(std::move(info), rank, size, seed, true);
  case fb::CompressionKind::gtopk:
    return makeGTopKCompressor(std::move(info), rank, size, seed);
  case fb::CompressionKind::lowrank:
    return makeLowRankCompressor(std::move(info), rank, size, seed);
  default:
    return makeDenseCompressor(std::move(info), rank, size, seed);
  }
}
