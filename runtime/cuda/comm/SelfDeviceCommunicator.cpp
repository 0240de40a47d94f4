//===- SelfDeviceCommunicator.cpp - one rank on one device ----------------===//

#include "runtime/cuda/comm/SelfDeviceCommunicator.h"

#include "runtime/Diagnostics.h"

#include "kernels/cuda/CudaCheck.h"

using namespace agtf::runtime;
using agtf::kernels::detail::check;

DeviceCommunicator::~DeviceCommunicator() = default;

void SelfDeviceCommunicator::allreduceSum(float *, int64_t count,
                                          cudaStream_t) {
  host.countPayloadBytes(count * 4);
}

void SelfDeviceCommunicator::allreduceSumHalf(uint16_t *, int64_t count,
                                              cudaStream_t) {
  host.countPayloadBytes(count * 2);
}

void SelfDeviceCommunicator::allgather(const void *in, int64_t bytes, void *out,
                                       cudaStream_t s) {
  host.countPayloadBytes(bytes);
  if (out != in && bytes > 0)
    check(cudaMemcpyAsync(out, in, size_t(bytes), cudaMemcpyDeviceToDevice, s),
          "cudaMemcpyAsync (allgather on one rank)");
}

void SelfDeviceCommunicator::allgatherv(const void *in, int64_t bytes,
                                        void *out, const int64_t *,
                                        const int64_t *displs, cudaStream_t s) {
  allgather(in, bytes, static_cast<char *>(out) + displs[0], s);
}

void SelfDeviceCommunicator::broadcast(void *, int64_t, int root,
                                       cudaStream_t) {
  if (root != 0) {
    reportError(0, "the one-rank communicator cannot broadcast from rank " +
                       std::to_string(root));
    host.abort(1);
  }
}

void SelfDeviceCommunicator::send(const void *, int64_t, int peer, int,
                                  cudaStream_t) {
  reportError(0, "the one-rank communicator cannot send to rank " +
                     std::to_string(peer));
  host.abort(1);
}

void SelfDeviceCommunicator::recv(void *, int64_t, int peer, int,
                                  cudaStream_t) {
  reportError(0, "the one-rank communicator cannot receive from rank " +
                     std::to_string(peer));
  host.abort(1);
}
