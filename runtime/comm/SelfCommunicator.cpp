//===- SelfCommunicator.cpp - the one-rank communicator -------------------===//

#include "runtime/comm/SelfCommunicator.h"

#include "runtime/Diagnostics.h"

#include <cstdlib>
#include <cstring>

using namespace agtf::runtime;

Communicator::~Communicator() = default;

void SelfCommunicator::allreduceSum(float *, int64_t count) {
  sent += count * int64_t(sizeof(float));
}

void SelfCommunicator::allreduceSumHalf(uint16_t *, int64_t count) {
  sent += count * int64_t(sizeof(uint16_t));
}

void SelfCommunicator::allgather(const void *in, int64_t bytes, void *out) {
  sent += bytes;
  if (out != in)
    std::memmove(out, in, size_t(bytes));
}

void SelfCommunicator::allgatherv(const void *in, int64_t bytes, void *out,
                                  const int64_t *, const int64_t *displs) {
  sent += bytes;
  std::memmove(static_cast<char *>(out) + displs[0], in, size_t(bytes));
}

void SelfCommunicator::broadcast(void *, int64_t, int root) {
  if (root != 0) {
    reportError(0, "the one-rank communicator cannot broadcast from rank " +
                       std::to_string(root));
    abort(1);
  }
}

void SelfCommunicator::send(const void *, int64_t, int peer, int) {
  reportError(0, "the one-rank communicator cannot send to rank " +
                     std::to_string(peer));
  abort(1);
}

void SelfCommunicator::recv(void *, int64_t, int peer, int) {
  reportError(0, "the one-rank communicator cannot receive from rank " +
                     std::to_string(peer));
  abort(1);
}

void SelfCommunicator::abort(int code) {
  std::fflush(stdout);
  std::fflush(stderr);
  std::_Exit(code);
}
