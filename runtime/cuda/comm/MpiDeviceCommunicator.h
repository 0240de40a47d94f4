//===- MpiDeviceCommunicator.h - MPI on device buffers ----------*- C++ -*-===//
//
// MPI with device pointers: when Open MPI says it is CUDA-aware
// (MPIX_Query_cuda_support), the device pointers go to MPI directly after
// the stream has been waited for; otherwise every buffer is staged through
// pinned host memory on the stream. The fp16 sum is a user-defined MPI_Op
// that reads host memory, so it is always staged. Calls wait for the
// stream (MPI is a host API); the watchdog and error reporting are
// MpiCommunicator's.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_CUDA_COMM_MPIDEVICECOMMUNICATOR_H
#define AGTF_RUNTIME_CUDA_COMM_MPIDEVICECOMMUNICATOR_H

#include "runtime/comm/MpiCommunicator.h"
#include "runtime/cuda/DeviceCommunicator.h"

namespace agtf::runtime {

class MpiDeviceCommunicator : public DeviceCommunicator {
public:
  explicit MpiDeviceCommunicator(MpiCommunicator &host);
  ~MpiDeviceCommunicator() override;

  /// Whether this MPI reads device memory itself (MPIX_Query_cuda_support).
  static bool cudaAware();

  std::string name() const override;
  int rank() const override { return host.rank(); }
  int size() const override { return host.size(); }
  void allreduceSum(float *data, int64_t count, cudaStream_t s) override;
  void allreduceSumHalf(uint16_t *data, int64_t count, cudaStream_t s) override;
  void allgather(const void *in, int64_t bytes, void *out,
                 cudaStream_t s) override;
  void allgatherv(const void *in, int64_t bytes, void *out,
                  const int64_t *counts, const int64_t *displs,
                  cudaStream_t s) override;
  void broadcast(void *data, int64_t bytes, int root, cudaStream_t s) override;
  void send(const void *data, int64_t bytes, int peer, int tag,
            cudaStream_t s) override;
  void recv(void *data, int64_t bytes, int peer, int tag,
            cudaStream_t s) override;

private:
  /// Pinned host buffers of at least `in` and `out` bytes.
  void reserve(int64_t in, int64_t out, cudaStream_t s);
  void toHost(void *host, const void *device, int64_t bytes, cudaStream_t s);
  void toDevice(void *device, const void *host, int64_t bytes, cudaStream_t s);
  void wait(cudaStream_t s);

  MpiCommunicator &host;
  bool direct;
  char *pinnedIn = nullptr, *pinnedOut = nullptr;
  int64_t inBytes = 0, outBytes = 0;
};

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_CUDA_COMM_MPIDEVICECOMMUNICATOR_H
