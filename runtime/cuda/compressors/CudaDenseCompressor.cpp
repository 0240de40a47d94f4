//===- CudaDenseCompressor.cpp - allreduce of the whole bucket, on device -===//
//
// DenseCompressor's semantics: fp32 summed in place; fp16 rounded once and
// summed in 16 bits (NCCL's fp16 sum, or MPI's user-defined one); bf16
// rounded, summed in fp32; then / P.
//
//===----------------------------------------------------------------------===//

#include "runtime/cuda/compressors/CudaCompressors.h"

#include "kernels/DenseOps.h"
#include "kernels/Half.h"
#include "kernels/cuda/CudaCheck.h"

using namespace agtf;
using namespace agtf::runtime;
using agtf::kernels::detail::check;
namespace kn = agtf::kernels;

namespace {
class CudaDenseCompressor : public CudaCompressorBase {
public:
  CudaDenseCompressor(CudaDevice &device, BucketInfo info, int rank, int size,
                      uint64_t seed)
      : CudaCompressorBase(device, std::move(info), rank, size, seed) {
    if (format() != kn::ValueFormat::f32)
      sixteen = deviceArray<uint16_t>(bucket.numel);
  }

  void compress(const float *grad, const IterationInfo &it) override {
    noteIteration(it);
    int64_t n = bucket.numel;
    if (checking)
      captureInput(grad, n);
    if (sixteen)
      kn::encodeValuesCuda(grad, n, format(), sixteen, device.compressStream());
  }

  void communicate(float *grad, Communicator &) override {
    int64_t n = bucket.numel;
    cudaStream_t s = device.commStream();
    DeviceCommunicator &comm = device.communicator();
    switch (format()) {
    case kn::ValueFormat::f16:
      comm.allreduceSumHalf(sixteen, n, s);
      kn::halfToFloatCuda(sixteen, n, grad, s);
      break;
    case kn::ValueFormat::bf16:
      kn::decodeValuesCuda(sixteen, n, format(), grad, s);
      comm.allreduceSum(grad, n, s);
      break;
    default:
      comm.allreduceSum(grad, n, s);
    }
    kn::scaleCuda(grad, n, 1.0f / float(size), s);
  }

  int64_t kept() const override { return bucket.numel; }

private:
  uint16_t *sixteen = nullptr;
};
} // namespace

std::unique_ptr<Compressor>
agtf::runtime::makeCudaDenseCompressor(CudaDevice &device, BucketInfo info,
                                       int rank, int size, uint64_t seed) {
  return std::make_unique<CudaDenseCompressor>(device, std::move(info), rank,
                                               size, seed);
}
