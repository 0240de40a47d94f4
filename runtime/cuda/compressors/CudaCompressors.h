//===- CudaCompressors.h - the compression algorithms on a device -*- C++ -*-//
//
// Internal to the runtime's CUDA path. Each device compressor keeps the
// algorithm's state in device memory and runs on the device's compression
// and communication streams; it keeps a CPU twin of itself (the compressor
// the CPU path would use) only for --check: the twin is told each
// iteration's parameters (noteIteration) and computes reference() with
// straightforward host code from every rank's input.
//
// Dense, exact and sampled top-k, DGC and gTop-k run on the device. Low
// rank (PowerSGD, ACP-SGD) is staged through the host: its CPU compressor
// runs on a host copy of the bucket and communicates over the host
// communicator (MPI), and the result is copied back.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_CUDA_COMPRESSORS_CUDACOMPRESSORS_H
#define AGTF_RUNTIME_CUDA_COMPRESSORS_CUDACOMPRESSORS_H

#include "runtime/Compressor.h"
#include "runtime/cuda/CudaDevice.h"

#include "kernels/DeviceSelection.h"

namespace agtf::runtime {

std::unique_ptr<Compressor> makeCudaCompressor(CudaDevice &device,
                                               BucketInfo info, int rank,
                                               int size, uint64_t seed);

/// What the device compressors share: the device, the CPU twin behind
/// reference() and tolerance(), and copying the input for --check.
class CudaCompressorBase : public Compressor {
public:
  std::vector<float>
  reference(const std::vector<std::vector<float>> &inputs) const override {
    return twin->reference(inputs);
  }
  double
  tolerance(const std::vector<std::vector<float>> &inputs) const override {
    return twin->tolerance(inputs);
  }
  void noteIteration(const IterationInfo &it) override {
    twin->noteIteration(it);
  }

protected:
  CudaCompressorBase(CudaDevice &device, BucketInfo info, int rank, int size,
                     uint64_t seed);
  /// --check: input = the device buffer (waits for the compression stream).
  void captureInput(const float *deviceData, int64_t count);
  kernels::ValueFormat format() const;
  template <typename T> T *deviceArray(int64_t count) {
    return static_cast<T *>(device.allocateBytes(size_t(count) * sizeof(T)));
  }

  CudaDevice &device;
  std::unique_ptr<Compressor> twin;
};

/// One factory per kind, as CompressionMethods.def names them.
#define AGTF_COMPRESSION_KIND(Kind, Attr, Collective, Sparse, Cpu, Cuda)       \
  std::unique_ptr<Compressor> Cuda(CudaDevice &device, BucketInfo info,        \
                                   int rank, int size, uint64_t seed);
#include "runtime/CompressionMethods.def"

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_CUDA_COMPRESSORS_CUDACOMPRESSORS_H
