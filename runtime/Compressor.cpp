//===- Compressor.cpp - one bucket's compression algorithm ----------------===//

#include "runtime/Compressor.h"

#include "runtime/CompressionKinds.h"
#include "runtime/Diagnostics.h"
#include "runtime/compressors/Compressors.h"

#include "kernels/Random.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>

using namespace agtf;
using namespace agtf::runtime;

Compressor::~Compressor() = default;

std::unique_ptr<ResidualMeter>
agtf::runtime::makeResidualMeter(const BucketInfo &info) {
  std::vector<int64_t> numel;
  for (const BucketTensor &t : info.tensors)
    numel.push_back(t.numel);
  return std::make_unique<ResidualMeter>(std::move(numel));
}

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

namespace {
using Factory = std::unique_ptr<Compressor> (*)(BucketInfo, int, int, uint64_t);
struct FactoryRow {
  fb::CompressionKind kind;
  Factory make;
};

/// The CPU compressor of each kind (CompressionMethods.def): a kind without
/// one does not build.
constexpr std::array<FactoryRow, kCompressionKinds.size()> kFactories = {{
#define AGTF_COMPRESSION_KIND(Kind, Attr, Collective, Sparse, Cpu, Cuda)       \
  {fb::CompressionKind::Kind, &Cpu},
#include "runtime/CompressionMethods.def"
}};
static_assert(coversEveryKind(kFactories),
              "every CompressionKind needs its CPU compressor, in order");
} // namespace

std::unique_ptr<Compressor> agtf::runtime::makeCompressor(BucketInfo info,
                                                          int rank, int size,
                                                          uint64_t seed) {
  size_t kind = size_t(info.params.kind);
  if (kind >= kFactories.size()) { // the reader refuses these
    reportError(rank, "bucket '" + info.name + "': unknown compression kind " +
                          std::to_string(kind));
    std::abort();
  }
  return kFactories[kind].make(std::move(info), rank, size, seed);
}
