//===- CudaCompressors.cpp - picks a device compressor --------------------===//

#include "runtime/cuda/compressors/CudaCompressors.h"

#include "kernels/cuda/CudaCheck.h"

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

std::unique_ptr<Compressor>
agtf::runtime::makeCudaCompressor(CudaDevice &device, BucketInfo info, int rank,
                                  int size, uint64_t seed) {
  switch (info.params.kind) {
  case fb::CompressionKind::topk:
    return makeCudaTopKCompressor(device, std::move(info), rank, size, seed,
                                  false);
  case fb::CompressionKind::dgc:
    return makeCudaTopKCompressor(device, std::move(info), rank, size, seed,
                                  true);
  case fb::CompressionKind::gtopk:
    return makeCudaGTopKCompressor(device, std::move(info), rank, size, seed);
  case fb::CompressionKind::lowrank:
    return makeHostStagedCompressor(device, std::move(info), rank, size, seed);
  default:
    return makeCudaDenseCompressor(device, std::move(info), rank, size, seed);
  }
}
