//===- CudaTopKCompressor.cpp - top-k selections on the device ------------===//
//
// TopKCompressor's semantics (exact and sampled top-k, DGC) with the state
// in device memory. Exact top-k without --check runs the fused kernel:
// residual += grad, selection and error feedback in two reads of the
// bucket; the selection is written straight into the message, and every
// rank's message has k entries: one allgather. Sampled selections differ in
// size: the counts are gathered and read on the host (the one wait for the
// device in this compressor), then the messages go by allgatherv. A message
// is k int32 indices, then k values in the wire format, padded to 4 bytes so
// the next rank's indices stay aligned.
//
//===----------------------------------------------------------------------===//

#include "runtime/cuda/compressors/CudaCompressors.h"

#include "kernels/DenseOps.h"
#include "kernels/SampledTopK.h"
#include "kernels/SparseOps.h"
#include "kernels/TopK.h"
#include "kernels/cuda/CudaCheck.h"

#include <algorithm>

using namespace agtf;
using namespace agtf::runtime;
using agtf::kernels::detail::check;
namespace kn = agtf::kernels;

namespace {
class CudaTopKCompressor : public CudaCompressorBase {
public:
  CudaTopKCompressor(CudaDevice &device, BucketInfo info, int rank, int size,
                     uint64_t seed, bool dgc)
      : CudaCompressorBase(device, std::move(info), rank, size, seed),
        dgc(dgc) {
    int64_t n = bucket.numel;
    residual = device.allocate(n);
    if (dgc)
      momentum = device.allocate(n);
    // DGC's warmup keeps more in its first epoch than later.
    double most = dgc ? warmupDensity(bucket.params.density,
                                      bucket.params.warmupEpochs, 0)
                      : bucket.params.density;
    int64_t kMost = kn::topKCount(n, std::max(most, bucket.params.density));
    int64_t kLeast = kn::topKCount(n, std::min(most, bucket.params.density));
    capacity = sampled() ? kn::sampledTopKCapacity(n, kMost) : kMost;
    message = deviceArray<char>(messageBytes(capacity));
    gathered = deviceArray<char>(messageBytes(capacity) * size);
    if (sampled()) {
      indices = deviceArray<int32_t>(capacity);
      values = deviceArray<char>(capacity * kn::valueBytes(format()));
      // The messages are largest at the warmup's k, the sample at the
      // final (smallest) k.
      selectScratch = deviceArray<char>(
          int64_t(kn::sampledTopKCudaScratchBytes(n, kLeast)));
    } else {
      selectScratch = deviceArray<char>(int64_t(kn::topKCudaScratchBytes(n)));
    }
    counts = deviceArray<int64_t>(size + 1);
    averageScratch =
        deviceArray<char>(int64_t(kn::averageSelectionsCudaScratchBytes(n)));
    check(cudaMallocHost(&hostCounts, sizeof(int64_t) * size),
          "cudaMallocHost");
  }
  ~CudaTopKCompressor() override { cudaFreeHost(hostCounts); }

  bool sampled() const {
    return dgc || bucket.params.select == fb::SelectMethod::sampled;
  }

  int64_t messageBytes(int64_t count) const {
    return count * 4 + (count * kn::valueBytes(format()) + 3) / 4 * 4;
  }

  void compress(const float *grad, const IterationInfo &it) override {
    noteIteration(it);
    int64_t n = bucket.numel;
    iteration = it.iteration;
    double density = dgc ? warmupDensity(bucket.params.density,
                                         bucket.params.warmupEpochs, it.epoch)
                         : bucket.params.density;
    k = kn::topKCount(n, density);
    cudaStream_t s = device.compressStream();
    bool fused = !dgc && !sampled() && !checking;
    if (dgc)
      kn::momentumAccumulateCuda(momentum, residual, grad, n,
                                 float(bucket.params.momentum), s);
    else if (!fused)
      kn::addCuda(residual, grad, n, s);
    if (checking)
      captureInput(residual, n);

    kn::SelectionTarget out;
    out.format = format();
    out.subtractFrom = residual;
    out.zeroAt = momentum;
    out.count = counts + size; // this rank's count, on the device
    if (sampled()) {
      out.indices = indices;
      out.values = values;
      kn::selectSampledTopKCuda(
          residual, n, k, selectionSeed(seed, rank, iteration, bucket.index),
          out, nullptr, selectScratch, s);
      return;
    }
    out.indices = reinterpret_cast<int32_t *>(message);
    out.values = message + k * 4;
    if (fused)
      kn::accumulateSelectTopKCuda(residual, grad, n, k, out, selectScratch, s);
    else
      kn::selectTopKCuda(residual, n, k, out, selectScratch, s);
  }

  void communicate(float *grad, Communicator &) override {
    cudaStream_t s = device.commStream();
    DeviceCommunicator &comm = device.communicator();
    std::vector<kn::RankSelection> selections(size);
    if (!sampled()) {
      int64_t bytes = messageBytes(k);
      comm.allgather(message, bytes, gathered, s);
      for (int r = 0; r < size; ++r)
        selections[r] = {reinterpret_cast<int32_t *>(gathered + r * bytes),
                         gathered + r * bytes + k * 4, k};
      count = k;
    } else {
      comm.allgather(counts + size, sizeof(int64_t), counts, s);
      check(cudaMemcpyAsync(hostCounts, counts, sizeof(int64_t) * size,
                            cudaMemcpyDeviceToHost, s),
            "cudaMemcpyAsync (selection counts)");
      check(cudaStreamSynchronize(s), "cudaStreamSynchronize (counts)");
      count = hostCounts[rank];
      // This rank's message: its indices, then its values.
      check(cudaMemcpyAsync(message, indices, size_t(count) * 4,
                            cudaMemcpyDeviceToDevice, s),
            "cudaMemcpyAsync (message indices)");
      check(cudaMemcpyAsync(message + count * 4, values,
                            size_t(count * kn::valueBytes(format())),
                            cudaMemcpyDeviceToDevice, s),
            "cudaMemcpyAsync (message values)");
      std::vector<int64_t> bytes(size), displs(size);
      int64_t total = 0;
      for (int r = 0; r < size; ++r) {
        bytes[r] = messageBytes(hostCounts[r]);
        displs[r] = total;
        total += bytes[r];
      }
      comm.allgatherv(message, bytes[rank], gathered, bytes.data(),
                      displs.data(), s);
      for (int r = 0; r < size; ++r)
        selections[r] = {reinterpret_cast<int32_t *>(gathered + displs[r]),
                         gathered + displs[r] + hostCounts[r] * 4,
                         hostCounts[r]};
    }
    kn::averageSelectionsCuda(selections.data(), size, format(), grad,
                              bucket.numel, 1.0f / float(size), averageScratch,
                              s);
  }

  int64_t kept() const override { return count; }

private:
  bool dgc;
  int64_t iteration = 0, k = 1, count = 0, capacity = 1;
  float *residual = nullptr, *momentum = nullptr;
  int32_t *indices = nullptr;
  char *values = nullptr, *message = nullptr, *gathered = nullptr;
  char *selectScratch = nullptr, *averageScratch = nullptr;
  int64_t *counts = nullptr; // size() gathered counts, then this rank's
  int64_t *hostCounts = nullptr;
};
} // namespace

std::unique_ptr<Compressor>
agtf::runtime::makeCudaTopKCompressor(CudaDevice &device, BucketInfo info,
                                      int rank, int size, uint64_t seed) {
  return std::make_unique<CudaTopKCompressor>(device, std::move(info), rank,
                                              size, seed, /*dgc=*/false);
}

std::unique_ptr<Compressor>
agtf::runtime::makeCudaDgcCompressor(CudaDevice &device, BucketInfo info,
                                     int rank, int size, uint64_t seed) {
  return std::make_unique<CudaTopKCompressor>(device, std::move(info), rank,
                                              size, seed, /*dgc=*/true);
}
