//===- CudaCompressors.cpp - picks a device compressor --------------------===//

#include "runtime/cuda/compressors/CudaCompressors.h"

#include "runtime/CompressionKinds.h"
#include "runtime/Diagnostics.h"

#include "kernels/cuda/CudaCheck.h"

#include <array>
#include <cstdlib>

using namespace agtf;
using namespace agtf::runtime;
using agtf::kernels::detail::check;

CudaCompressorBase::CudaCompressorBase(CudaDevice &device, BucketInfo info,
                                       int rank, int size, uint64_t seed)
    : Compressor(info, rank, size, seed), device(device),
      twin(runtime::makeCompressor(std::move(info), rank, size, seed)) {}

void CudaCompressorBase::captureInput(const float *deviceData, int64_t count) {
  input.resize(size_t(count));
  check(cudaMemcpyAsync(input.data(), deviceData, size_t(count) * 4,
                        cudaMemcpyDeviceToHost, device.compressStream()),
        "cudaMemcpyAsync (--check input)");
  check(cudaStreamSynchronize(device.compressStream()),
        "cudaStreamSynchronize (--check input)");
}

kernels::ValueFormat CudaCompressorBase::format() const {
  switch (bucket.params.valueDtype) {
  case fb::DType::f16:
    return kernels::ValueFormat::f16;
  case fb::DType::bf16:
    return kernels::ValueFormat::bf16;
  default:
    return kernels::ValueFormat::f32;
  }
}

namespace {
using Factory = std::unique_ptr<Compressor> (*)(CudaDevice &, BucketInfo, int,
                                                int, uint64_t);
struct FactoryRow {
  fb::CompressionKind kind;
  Factory make;
};

/// The device compressor of each kind (CompressionMethods.def; low rank is
/// staged through the host): a kind without one does not build.
constexpr std::array<FactoryRow, kCompressionKinds.size()> kFactories = {{
#define AGTF_COMPRESSION_KIND(Kind, Attr, Collective, Sparse, Cpu, Cuda)       \
  {fb::CompressionKind::Kind, &Cuda},
#include "runtime/CompressionMethods.def"
}};
static_assert(coversEveryKind(kFactories),
              "every CompressionKind needs its device compressor, in order");
} // namespace

std::unique_ptr<Compressor>
agtf::runtime::makeCudaCompressor(CudaDevice &device, BucketInfo info, int rank,
                                  int size, uint64_t seed) {
  size_t kind = size_t(info.params.kind);
  if (kind >= kFactories.size()) { // the reader refuses these
    reportError(rank, "bucket '" + info.name + "': unknown compression kind " +
                          std::to_string(kind));
    std::abort();
  }
  return kFactories[kind].make(device, std::move(info), rank, size, seed);
}
