//===- DenseCompressor.cpp - allreduce of the whole bucket ----------------===//
//
// fp32: MPI's sum, then / P. fp16 (or bf16) on the wire: each rank rounds
// its gradient to 16 bits, the allreduce sums in float and rounds once per
// step; no residual (the rounding error is below what training notices).
//
//===----------------------------------------------------------------------===//

#include "runtime/WireValues.h"
#include "runtime/compressors/Compressors.h"

#include "kernels/Half.h"

#include <algorithm>
#include <cmath>
#include <cstring>

using namespace agtf;
using namespace agtf::runtime;

namespace {
class DenseCompressor : public Compressor {
public:
  DenseCompressor(BucketInfo info, int rank, int size, uint64_t seed)
      : Compressor(std::move(info), rank, size, seed) {}

  void compress(const float *grad, const IterationInfo &) override {
    int64_t n = bucket.numel;
    if (checking)
      input.assign(grad, grad + n);
    if (bucket.params.valueDtype == fb::DType::f16) {
      half.resize(n);
      kernels::floatToHalfCpu(grad, n, half.data());
    } else if (bucket.params.valueDtype == fb::DType::bf16) {
      // bf16 has no MPI sum here: round to bf16, sum in fp32.
      rounded.resize(n);
      for (int64_t i = 0; i < n; ++i)
        rounded[i] = wireRound(grad[i], fb::DType::bf16);
    }
  }

  void communicate(float *grad, Communicator &comm) override {
    int64_t n = bucket.numel;
    float scale = 1.0f / float(size);
    switch (bucket.params.valueDtype) {
    case fb::DType::f16:
      comm.allreduceSumHalf(half.data(), n);
      kernels::halfToFloatCpu(half.data(), n, grad);
      break;
    case fb::DType::bf16:
      std::memcpy(grad, rounded.data(), size_t(n) * 4);
      comm.allreduceSum(grad, n);
      break;
    default:
      comm.allreduceSum(grad, n);
    }
    for (int64_t i = 0; i < n; ++i)
      grad[i] *= scale;
  }

  std::vector<float>
  reference(const std::vector<std::vector<float>> &inputs) const override {
    std::vector<double> sum(bucket.numel, 0.0);
    for (const std::vector<float> &in : inputs)
      for (int64_t i = 0; i < bucket.numel; ++i)
        sum[i] += wireRound(in[i], bucket.params.valueDtype);
    std::vector<float> out(bucket.numel);
    for (int64_t i = 0; i < bucket.numel; ++i)
      out[i] = float(sum[i] / double(inputs.size()));
    return out;
  }

  double
  tolerance(const std::vector<std::vector<float>> &inputs) const override {
    if (bucket.params.valueDtype == fb::DType::f32)
      return Compressor::tolerance(inputs);
    // One 16-bit rounding of a partial sum (at most P times the largest
    // input) per reduction step, then / P.
    double ulp =
        bucket.params.valueDtype == fb::DType::f16 ? 1.0 / 1024 : 1.0 / 128;
    return 2.0 * size * ulp * largestMagnitude(inputs);
  }

  int64_t kept() const override { return bucket.numel; }

private:
  std::vector<uint16_t> half;
  std::vector<float> rounded;
};
} // namespace

std::unique_ptr<Compressor> agtf::runtime::makeDenseCompressor(BucketInfo info,
                                                               int rank,
                                                               int size,
                                                               uint64_t seed) {
  return std::unique_ptr<Compressor>(
      new DenseCompressor(std::move(info), rank, size, seed));
}
