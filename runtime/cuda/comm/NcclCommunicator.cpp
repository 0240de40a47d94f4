//===- NcclCommunicator.cpp - collectives over NCCL -----------------------===//

#include "runtime/cuda/comm/NcclCommunicator.h"

#include "runtime/Diagnostics.h"

#include <nccl.h>

#include <cstdio>

using namespace agtf::runtime;

namespace {
ncclComm_t commOf(void *handle) { return static_cast<ncclComm_t>(handle); }
} // namespace

void NcclCommunicator::check(int result, const char *call) {
  if (result == ncclSuccess)
    return;
  reportError(host.rank(), std::string(call) + " failed: " +
                               ncclGetErrorString(ncclResult_t(result)));
  host.abort(1);
}

std::unique_ptr<NcclCommunicator> NcclCommunicator::create(Communicator &host) {
  std::unique_ptr<NcclCommunicator> c(new NcclCommunicator(host));
  ncclUniqueId id{};
  if (host.rank() == 0)
    c->check(ncclGetUniqueId(&id), "ncclGetUniqueId");
  // The id is bootstrap data, not payload.
  host.broadcast(&id, sizeof(id), 0);
  host.uncountPayloadBytes(host.rank() == 0 ? int64_t(sizeof(id)) : 0);
  ncclComm_t comm = nullptr;
  c->check(ncclCommInitRank(&comm, host.size(), id, host.rank()),
           "ncclCommInitRank");
  c->comm = comm;
  return c;
}

NcclCommunicator::~NcclCommunicator() {
  if (comm)
    ncclCommDestroy(commOf(comm));
}

void NcclCommunicator::allreduceSum(float *data, int64_t count,
                                    cudaStream_t s) {
  host.countPayloadBytes(count * 4);
  check(ncclAllReduce(data, data, size_t(count), ncclFloat32, ncclSum,
                      commOf(comm), s),
        "ncclAllReduce");
}

void NcclCommunicator::allreduceSumHalf(uint16_t *data, int64_t count,
                                        cudaStream_t s) {
  host.countPayloadBytes(count * 2);
  check(ncclAllReduce(data, data, size_t(count), ncclFloat16, ncclSum,
                      commOf(comm), s),
        "ncclAllReduce (fp16)");
}

void NcclCommunicator::allgather(const void *in, int64_t bytes, void *out,
                                 cudaStream_t s) {
  host.countPayloadBytes(bytes);
  check(ncclAllGather(in, out, size_t(bytes), ncclUint8, commOf(comm), s),
        "ncclAllGather");
}

void NcclCommunicator::allgatherv(const void *in, int64_t bytes, void *out,
                                  const int64_t *counts, const int64_t *displs,
                                  cudaStream_t s) {
  host.countPayloadBytes(bytes);
  check(ncclGroupStart(), "ncclGroupStart");
  for (int r = 0; r < size(); ++r)
    check(ncclBroadcast(r == rank() ? in : nullptr,
                        static_cast<char *>(out) + displs[r], size_t(counts[r]),
                        ncclUint8, r, commOf(comm), s),
          "ncclBroadcast (allgatherv)");
  check(ncclGroupEnd(), "ncclGroupEnd (allgatherv)");
}

void NcclCommunicator::broadcast(void *data, int64_t bytes, int root,
                                 cudaStream_t s) {
  if (root == rank())
    host.countPayloadBytes(bytes);
  check(ncclBroadcast(data, data, size_t(bytes), ncclUint8, root, commOf(comm),
                      s),
        "ncclBroadcast");
}

// NCCL orders point-to-point messages per peer by issue order, which is the
// schedule's order on every rank: the tag is not needed.
void NcclCommunicator::send(const void *data, int64_t bytes, int peer, int,
                            cudaStream_t s) {
  host.countPayloadBytes(bytes);
  check(ncclSend(data, size_t(bytes), ncclUint8, peer, commOf(comm), s),
        "ncclSend");
}

void NcclCommunicator::recv(void *data, int64_t bytes, int peer, int,
                            cudaStream_t s) {
  check(ncclRecv(data, size_t(bytes), ncclUint8, peer, commOf(comm), s),
        "ncclRecv");
}
