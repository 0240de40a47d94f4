//===- DeviceCommunicator.h - collectives on device buffers -----*- C++ -*-===//
//
// The device path's view of the network: the same collectives as
// Communicator, on device pointers, ordered on a CUDA stream. NCCL enqueues
// them on the stream; MPI (CUDA-aware, or staged through pinned host
// memory) waits for the stream first. Only the engine's communication
// thread calls one. Failures end every rank with a message naming the call,
// as Communicator's do; payload bytes are counted on the host
// communicator, so agtf-run reports them the same way on both paths.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_CUDA_DEVICECOMMUNICATOR_H
#define AGTF_RUNTIME_CUDA_DEVICECOMMUNICATOR_H

#include <cuda_runtime.h>

#include <cstdint>
#include <string>

namespace agtf::runtime {

class DeviceCommunicator {
public:
  virtual ~DeviceCommunicator();
  /// "nccl", "mpi (CUDA-aware)", "mpi (staged through host memory)",
  /// "self".
  virtual std::string name() const = 0;
  virtual int rank() const = 0;
  virtual int size() const = 0;

  virtual void allreduceSum(float *data, int64_t count, cudaStream_t s) = 0;
  virtual void allreduceSumHalf(uint16_t *data, int64_t count,
                                cudaStream_t s) = 0;
  virtual void allgather(const void *in, int64_t bytes, void *out,
                         cudaStream_t s) = 0;
  /// counts and displs are host arrays of size() byte counts and offsets.
  virtual void allgatherv(const void *in, int64_t bytes, void *out,
                          const int64_t *counts, const int64_t *displs,
                          cudaStream_t s) = 0;
  virtual void broadcast(void *data, int64_t bytes, int root,
                         cudaStream_t s) = 0;
  virtual void send(const void *data, int64_t bytes, int peer, int tag,
                    cudaStream_t s) = 0;
  virtual void recv(void *data, int64_t bytes, int peer, int tag,
                    cudaStream_t s) = 0;
};

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_CUDA_DEVICECOMMUNICATOR_H
