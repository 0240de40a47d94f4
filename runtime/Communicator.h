//===- Communicator.h - collectives the engine issues -----------*- C++ -*-===//
//
// The engine's view of the network (DESIGN.md section 8). One thread calls a
// communicator at a time (the engine's communication thread; the main
// thread before the engine starts). A failing call does not return: it
// reports the rank, the call and the cause, then ends the job, so that no
// rank waits forever on a peer that is gone.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_COMMUNICATOR_H
#define AGTF_RUNTIME_COMMUNICATOR_H

#include <cstdint>
#include <string>

namespace agtf::runtime {

class Communicator {
public:
  virtual ~Communicator();

  virtual int rank() const = 0;
  virtual int size() const = 0;
  /// The backend's name for messages ("mpi", "self").
  virtual std::string name() const = 0;

  /// In-place sum over all ranks.
  virtual void allreduceSum(float *data, int64_t count) = 0;
  /// In-place sum of IEEE binary16 values (accumulated in float per step).
  virtual void allreduceSumHalf(uint16_t *data, int64_t count) = 0;
  /// Every rank contributes `bytes`; `out` receives size() * bytes, rank r's
  /// block at r * bytes.
  virtual void allgather(const void *in, int64_t bytes, void *out) = 0;
  /// Like allgather with per-rank sizes: rank r contributes counts[r] bytes,
  /// placed at displs[r] in `out`.
  virtual void allgatherv(const void *in, int64_t bytes, void *out,
                          const int64_t *counts, const int64_t *displs) = 0;
  virtual void broadcast(void *data, int64_t bytes, int root) = 0;
  virtual void send(const void *data, int64_t bytes, int peer, int tag) = 0;
  virtual void recv(void *data, int64_t bytes, int peer, int tag) = 0;
  virtual void barrier() = 0;

  /// Ends every rank of the job with exit status `code` after this rank
  /// printed why. Never returns.
  [[noreturn]] virtual void abort(int code) = 0;

  /// What a call that stalls from now on would mean, for the message of a
  /// communicator that times out ("a rank did not reach the startup
  /// agreement"); null: a rank died or stalled.
  virtual void setStallMeaning(const char *meaning) { (void)meaning; }

  /// Bytes this rank handed to collectives as its own contribution since
  /// the last reset (payload, not counting what the algorithm forwards).
  int64_t payloadBytes() const { return sent; }
  void resetPayloadBytes() { sent = 0; }
  /// Takes back bytes that were not payload (--check's own gathers).
  void uncountPayloadBytes(int64_t bytes) { sent -= bytes; }
  /// Counts bytes a device communicator sent on this rank's behalf.
  void countPayloadBytes(int64_t bytes) { sent += bytes; }

protected:
  int64_t sent = 0;
};

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_COMMUNICATOR_H
