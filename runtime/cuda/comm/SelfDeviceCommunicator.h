//===- SelfDeviceCommunicator.h - one rank on one device --------*- C++ -*-===//
//
// The device twin of SelfCommunicator: gathers copy on the stream,
// reductions leave the data as it is, point-to-point is an error. The GPU
// engine tests run on it, and agtf-run without MPI.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_CUDA_COMM_SELFDEVICECOMMUNICATOR_H
#define AGTF_RUNTIME_CUDA_COMM_SELFDEVICECOMMUNICATOR_H

#include "runtime/Communicator.h"
#include "runtime/cuda/DeviceCommunicator.h"

namespace agtf::runtime {

class SelfDeviceCommunicator : public DeviceCommunicator {
public:
  explicit SelfDeviceCommunicator(Communicator &host) : host(host) {}
  std::string name() const override { return "self"; }
  int rank() const override { return 0; }
  int size() const override { return 1; }
  void allreduceSum(float *, int64_t count, cudaStream_t) override;
  void allreduceSumHalf(uint16_t *, int64_t count, cudaStream_t) override;
  void allgather(const void *in, int64_t bytes, void *out,
                 cudaStream_t s) override;
  void allgatherv(const void *in, int64_t bytes, void *out,
                  const int64_t *counts, const int64_t *displs,
                  cudaStream_t s) override;
  void broadcast(void *, int64_t, int root, cudaStream_t) override;
  void send(const void *, int64_t, int peer, int, cudaStream_t) override;
  void recv(void *, int64_t, int peer, int, cudaStream_t) override;

private:
  Communicator &host;
};

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_CUDA_COMM_SELFDEVICECOMMUNICATOR_H
