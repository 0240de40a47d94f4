//===- SelfCommunicator.h - the one-rank communicator -----------*- C++ -*-===//
//
// A world of one: collectives copy, point-to-point is an error. Unit tests
// run the engine and the compressors on it, and agtf-run uses it when the
// project is built without MPI.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_COMM_SELFCOMMUNICATOR_H
#define AGTF_RUNTIME_COMM_SELFCOMMUNICATOR_H

#include "runtime/Communicator.h"

namespace agtf::runtime {

class SelfCommunicator : public Communicator {
public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  std::string name() const override { return "self"; }
  void allreduceSum(float *, int64_t count) override;
  void allreduceSumHalf(uint16_t *, int64_t count) override;
  void allgather(const void *in, int64_t bytes, void *out) override;
  void allgatherv(const void *in, int64_t bytes, void *out,
                  const int64_t *counts, const int64_t *displs) override;
  void broadcast(void *, int64_t, int root) override;
  void send(const void *, int64_t, int peer, int tag) override;
  void recv(void *, int64_t, int peer, int tag) override;
  void barrier() override {}
  [[noreturn]] void abort(int code) override;
};

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_COMM_SELFCOMMUNICATOR_H
