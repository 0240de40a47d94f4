//===- CudaGTopKCompressor.cpp - global top-k by tree merge, on device ----===//
//
// GTopKCompressor's binomial tree with the selections, merges and residual
// in device memory. A message is the entry count (int64), then k int32
// indices, then k values in the wire format; counts stay on the device
// through the tree, and are read on the host once, after the broadcast, to
// scatter the global set.
//
//===----------------------------------------------------------------------===//

#include "runtime/cuda/compressors/CudaCompressors.h"

#include "kernels/DenseOps.h"
#include "kernels/SparseOps.h"
#include "kernels/TopK.h"
#include "kernels/cuda/CudaCheck.h"

#include <utility>

using namespace agtf;
using namespace agtf::runtime;
using agtf::kernels::detail::check;
namespace kn = agtf::kernels;

namespace {
/// A selection on the device: up to k entries, the count on the device.
struct DeviceSelection {
  int32_t *indices = nullptr;
  float *values = nullptr;
  int64_t *count = nullptr;
};

class CudaGTopKCompressor : public CudaCompressorBase {
public:
  CudaGTopKCompressor(CudaDevice &device, BucketInfo info, int rank, int size,
                      uint64_t seed)
      : CudaCompressorBase(device, std::move(info), rank, size, seed) {
    int64_t n = bucket.numel;
    k = kn::topKCount(n, bucket.params.density);
    residual = device.allocate(n);
    for (DeviceSelection *s : {&local, &current, &other, &merged}) {
      s->indices = deviceArray<int32_t>(k);
      s->values = deviceArray<float>(k);
      s->count = deviceArray<int64_t>(1);
    }
    messageSize = 8 + k * 4 + (k * kn::valueBytes(format()) + 3) / 4 * 4;
    message = deviceArray<char>(messageSize);
    selectScratch = deviceArray<char>(int64_t(kn::topKCudaScratchBytes(n)));
    mergeScratch =
        deviceArray<char>(int64_t(kn::mergeTopKCudaScratchBytes(k, k)));
    averageScratch =
        deviceArray<char>(int64_t(kn::averageSelectionsCudaScratchBytes(n)));
    check(cudaMallocHost(&hostCount, sizeof(int64_t)), "cudaMallocHost");
  }
  ~CudaGTopKCompressor() override { cudaFreeHost(hostCount); }

  void compress(const float *grad, const IterationInfo &it) override {
    noteIteration(it);
    int64_t n = bucket.numel;
    cudaStream_t s = device.compressStream();
    kn::SelectionTarget out;
    out.indices = local.indices;
    out.values = local.values;
    out.count = local.count;
    if (checking) {
      kn::addCuda(residual, grad, n, s);
      captureInput(residual, n);
      kn::selectTopKCuda(residual, n, k, out, selectScratch, s);
    } else {
      kn::accumulateSelectTopKCuda(residual, grad, n, k, out, selectScratch, s);
    }
    kn::roundValuesCuda(local.values, local.count, k, format(), s);
  }

  void communicate(float *grad, Communicator &) override {
    cudaStream_t s = device.commStream();
    DeviceCommunicator &comm = device.communicator();
    copy(current, local, s);
    int tag = int(bucket.index % 32768);
    bool active = true;
    for (int step = 1; step < size && active; step *= 2) {
      if (rank % (2 * step) == step) {
        pack(current, s);
        comm.send(message, messageSize, rank - step, tag, s);
        active = false;
      } else if (rank % (2 * step) == 0 && rank + step < size) {
        comm.recv(message, messageSize, rank + step, tag, s);
        unpack(other, s);
        kn::mergeTopKCuda(current.indices, current.values, current.count,
                          other.indices, other.values, other.count, k, k,
                          merged.indices, merged.values, merged.count,
                          mergeScratch, s);
        kn::roundValuesCuda(merged.values, merged.count, k, format(), s);
        std::swap(current, merged);
      }
    }
    if (rank == 0)
      pack(current, s);
    comm.broadcast(message, messageSize, 0, s);
    unpack(current, s);

    // Local entries in the global set were sent; the rest stay.
    kn::subtractInSetCuda(residual, local.indices, local.values, k,
                          current.indices, current.count, s);
    check(cudaMemcpyAsync(hostCount, current.count, sizeof(int64_t),
                          cudaMemcpyDeviceToHost, s),
          "cudaMemcpyAsync (global count)");
    check(cudaStreamSynchronize(s), "cudaStreamSynchronize (global count)");
    kn::RankSelection global{current.indices, current.values, *hostCount};
    kn::averageSelectionsCuda(&global, 1, kn::ValueFormat::f32, grad,
                              bucket.numel, 1.0f / float(size), averageScratch,
                              s);
  }

  int64_t kept() const override { return k; }

private:
  void copy(const DeviceSelection &to, const DeviceSelection &from,
            cudaStream_t s) {
    check(cudaMemcpyAsync(to.indices, from.indices, size_t(k) * 4,
                          cudaMemcpyDeviceToDevice, s),
          "cudaMemcpyAsync (selection)");
    check(cudaMemcpyAsync(to.values, from.values, size_t(k) * 4,
                          cudaMemcpyDeviceToDevice, s),
          "cudaMemcpyAsync (selection)");
    check(cudaMemcpyAsync(to.count, from.count, 8, cudaMemcpyDeviceToDevice, s),
          "cudaMemcpyAsync (selection)");
  }
  void pack(const DeviceSelection &from, cudaStream_t s) {
    check(cudaMemcpyAsync(message, from.count, 8, cudaMemcpyDeviceToDevice, s),
          "cudaMemcpyAsync (message)");
    check(cudaMemcpyAsync(message + 8, from.indices, size_t(k) * 4,
                          cudaMemcpyDeviceToDevice, s),
          "cudaMemcpyAsync (message)");
    kn::encodeValuesCuda(from.values, k, format(), message + 8 + k * 4, s);
  }
  void unpack(const DeviceSelection &to, cudaStream_t s) {
    check(cudaMemcpyAsync(to.count, message, 8, cudaMemcpyDeviceToDevice, s),
          "cudaMemcpyAsync (message)");
    check(cudaMemcpyAsync(to.indices, message + 8, size_t(k) * 4,
                          cudaMemcpyDeviceToDevice, s),
          "cudaMemcpyAsync (message)");
    kn::decodeValuesCuda(message + 8 + k * 4, k, format(), to.values, s);
  }

  int64_t k = 1, messageSize = 0;
  float *residual = nullptr;
  DeviceSelection local, current, other, merged;
  char *message = nullptr, *selectScratch = nullptr, *mergeScratch = nullptr,
       *averageScratch = nullptr;
  int64_t *hostCount = nullptr;
};
} // namespace

std::unique_ptr<Compressor>
agtf::runtime::makeCudaGTopKCompressor(CudaDevice &device, BucketInfo info,
                                       int rank, int size, uint64_t seed) {
  return std::make_unique<CudaGTopKCompressor>(device, std::move(info), rank,
                                               size, seed);
}
