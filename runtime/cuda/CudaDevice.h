//===- CudaDevice.h - the engine on a CUDA device ---------------*- C++ -*-===//
//
// runtime/Device.h's CUDA implementation: one device per rank (the local
// rank modulo the visible devices), a compute, a compression and a
// communication stream, one event per tensor and two per bucket, and the
// device communicator the compressors use. Every CUDA failure, in the
// runtime or in a kernel, prints the rank and the call and ends every rank
// through the host communicator.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_CUDA_CUDADEVICE_H
#define AGTF_RUNTIME_CUDA_CUDADEVICE_H

#include "runtime/Communicator.h"
#include "runtime/Device.h"
#include "runtime/cuda/DeviceCommunicator.h"

#include <cuda_runtime.h>

#include <memory>
#include <vector>

namespace agtf::runtime {

class CudaDevice : public Device {
public:
  /// Selects this rank's device and makes the streams. Returns null and
  /// sets `error` when there is no usable device.
  static std::unique_ptr<CudaDevice> create(Communicator &host,
                                            std::string &error);
  ~CudaDevice() override;

  /// The collectives' backend; set once, before the engine starts.
  void setCommunicator(std::unique_ptr<DeviceCommunicator> c) {
    comm = std::move(c);
  }
  DeviceCommunicator &communicator() { return *comm; }
  Communicator &hostCommunicator() { return host; }
  cudaStream_t computeStream() const { return compute; }
  cudaStream_t compressStream() const { return compress; }
  cudaStream_t commStream() const { return communicate; }
  /// Device memory of `bytes`, owned by the device (not zeroed).
  void *allocateBytes(size_t bytes);

  std::string describe() const override;
  int index() const override { return ordinal; }
  void bindThread() override;
  void computeOnLibTorchStream() override;
  float *allocate(int64_t count) override;
  void upload(float *device, const float *host, int64_t count) override;
  void download(float *host, const float *device, int64_t count) override;
  void copyOnCompute(float *to, const float *from, int64_t count) override;
  void sgdStepOnCompute(float *params, const float *grads, int64_t count,
                        float lr) override;
  void waitForCompute() override;
  void prepare(uint32_t tensors, uint32_t buckets) override;
  void tensorReady(uint32_t tensor, DeviceStream producer) override;
  void beforeCompress(uint32_t bucket, uint32_t firstTensor,
                      uint32_t tensorCount) override;
  void afterCompress(uint32_t bucket) override;
  void beforeCommunicate(uint32_t bucket) override;
  void afterCommunicate(uint32_t bucket) override;
  void joinCommunication(uint32_t lastBucket, DeviceStream consumer) override;
  std::unique_ptr<Compressor> makeCompressor(BucketInfo info, int rank,
                                             int size, uint64_t seed) override;

private:
  explicit CudaDevice(Communicator &host) : host(host) {}

  Communicator &host;
  std::unique_ptr<DeviceCommunicator> comm;
  int ordinal = 0;
  /// The compute stream is LibTorch's (not ours to destroy).
  bool sharedCompute = false;
  cudaStream_t compute = nullptr, compress = nullptr, communicate = nullptr;
  std::vector<cudaEvent_t> tensorEvents, compressedEvents, communicatedEvents;
  std::vector<char> communicatedOnce;
  std::vector<void *> allocations;
};

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_CUDA_CUDADEVICE_H
