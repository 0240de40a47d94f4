//===- NcclCommunicator.h - collectives over NCCL ---------------*- C++ -*-===//
//
// Bootstrapped over the host communicator: rank 0 makes the ncclUniqueId
// and broadcasts it, then every rank joins with ncclCommInitRank on its
// current device. Collectives are enqueued on the caller's stream and do
// not block the host. NCCL has no allgatherv: it is a group of one
// broadcast per rank. NCCL refuses two ranks on one GPU ("Duplicate GPU
// detected"): on the one lent GPU, NCCL runs with one rank.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_CUDA_COMM_NCCLCOMMUNICATOR_H
#define AGTF_RUNTIME_CUDA_COMM_NCCLCOMMUNICATOR_H

#include "runtime/Communicator.h"
#include "runtime/cuda/DeviceCommunicator.h"

#include <memory>

namespace agtf::runtime {

class NcclCommunicator : public DeviceCommunicator {
public:
  /// A collective over `host` (every rank calls it). On failure prints the
  /// cause and ends every rank.
  static std::unique_ptr<NcclCommunicator> create(Communicator &host);
  ~NcclCommunicator() override;

  std::string name() const override { return "nccl"; }
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
  explicit NcclCommunicator(Communicator &host) : host(host) {}
  void check(int result, const char *call);

  Communicator &host;
  void *comm = nullptr; // ncclComm_t, kept opaque to keep nccl.h private
};

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_CUDA_COMM_NCCLCOMMUNICATOR_H
