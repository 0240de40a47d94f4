//===- HostStagedCompressor.cpp - a CPU compressor behind a device bucket -===//
//
// For the algorithms without device kernels yet (low rank): the bucket is
// copied to the host, the CPU compressor compresses and communicates it
// over the host communicator, and the result is copied back. Correct on
// every backend, but it waits for the streams and keeps the host busy.
//
//===----------------------------------------------------------------------===//

#include "runtime/cuda/compressors/CudaCompressors.h"

#include "kernels/cuda/CudaCheck.h"

using namespace agtf;
using namespace agtf::runtime;
using agtf::kernels::detail::check;

namespace {
class HostStagedCompressor : public CudaCompressorBase {
public:
  HostStagedCompressor(CudaDevice &device, BucketInfo info, int rank, int size,
                       uint64_t seed)
      : CudaCompressorBase(device, std::move(info), rank, size, seed),
        host(size_t(bucket.numel)) {}

  void compress(const float *grad, const IterationInfo &it) override {
    if (checking)
      twin->enableCheck();
    cudaStream_t s = device.compressStream();
    check(cudaMemcpyAsync(host.data(), grad, host.size() * 4,
                          cudaMemcpyDeviceToHost, s),
          "cudaMemcpyAsync (bucket to host)");
    check(cudaStreamSynchronize(s), "cudaStreamSynchronize (compression)");
    twin->compress(host.data(), it);
    if (checking)
      input = twin->checkInput();
  }

  void communicate(float *grad, Communicator &) override {
    twin->communicate(host.data(), device.hostCommunicator());
    cudaStream_t s = device.commStream();
    check(cudaMemcpyAsync(grad, host.data(), host.size() * 4,
                          cudaMemcpyHostToDevice, s),
          "cudaMemcpyAsync (bucket to device)");
    // The host copy is reused by the next compress().
    check(cudaStreamSynchronize(s), "cudaStreamSynchronize (communication)");
  }

  int64_t kept() const override { return twin->kept(); }

private:
  std::vector<float> host;
};
} // namespace

std::unique_ptr<Compressor>
agtf::runtime::makeHostStagedCompressor(CudaDevice &device, BucketInfo info,
                                        int rank, int size, uint64_t seed) {
  return std::make_unique<HostStagedCompressor>(device, std::move(info), rank,
                                                size, seed);
}
