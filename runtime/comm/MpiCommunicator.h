//===- MpiCommunicator.h - collectives over MPI -----------------*- C++ -*-===//
//
// Host buffers over Open MPI. MPI is initialised with
// MPI_THREAD_SERIALIZED because the engine's communication thread, not the
// main thread, issues the collectives. Errors return instead of aborting
// inside MPI, so the message names the call; a watchdog ends the rank when
// one call waits longer than the timeout (a peer died or stalled), from
// MPI_Init (a rank that never joins) to MPI_Finalize (a rank that never
// finishes), and names the stage that stalled.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_COMM_MPICOMMUNICATOR_H
#define AGTF_RUNTIME_COMM_MPICOMMUNICATOR_H

#include "runtime/Communicator.h"
#include "runtime/comm/MpiWait.h"

#include <atomic>
#include <memory>
#include <thread>

namespace agtf::runtime {

class MpiCommunicator : public Communicator {
public:
  /// Initialises MPI (once per process), under the watchdog: a call that
  /// waits longer than `timeoutSeconds` ends the rank (0: wait forever). On
  /// failure returns null and sets `error`.
  static std::unique_ptr<MpiCommunicator>
  create(int *argc, char ***argv, double timeoutSeconds, std::string &error);
  /// Waits for every rank at a barrier, then finalises MPI, both under the
  /// watchdog: a rank that does not finish ends the others.
  ~MpiCommunicator() override;

  int rank() const override { return myRank; }
  int size() const override { return worldSize; }
  std::string name() const override { return "mpi"; }

  void allreduceSum(float *data, int64_t count) override;
  void allreduceSumHalf(uint16_t *data, int64_t count) override;
  void allgather(const void *in, int64_t bytes, void *out) override;
  void allgatherv(const void *in, int64_t bytes, void *out,
                  const int64_t *counts, const int64_t *displs) override;
  void broadcast(void *data, int64_t bytes, int root) override;
  void send(const void *data, int64_t bytes, int peer, int tag) override;
  void recv(void *data, int64_t bytes, int peer, int tag) override;
  void barrier() override;
  [[noreturn]] void abort(int code) override;
  void setStallMeaning(const char *meaning) override;

private:
  MpiCommunicator() = default;
  struct Watch;
  void check(int status, const char *call);
  /// Runs `blocking` (spin) or `start`s the nonblocking call and tests it
  /// between short sleeps (sleep); either way checks the status.
  template <typename Blocking, typename Start>
  void collective(const char *call, Blocking blocking, Start start);
  void watchdog();

  /// Before MPI_Init: the rank the launcher gave (-1 if none).
  std::atomic<int> myRank{-1};
  int worldSize = 1;
  /// The job's, agreed in create().
  MpiWait waitMode = MpiWait::Spin;
  bool initialised = false;
  void *comm = nullptr; // the MPI_Comm, kept opaque to keep mpi.h private
  void *halfSum = nullptr;
  std::atomic<double> timeoutSeconds{0};
  std::atomic<const char *> waitingIn{nullptr};
  /// What the wait means when it times out: the call's, else the stage's.
  std::atomic<const char *> waitMeaning{nullptr}, stageMeaning{nullptr};
  std::atomic<double> waitingSince{0};
  std::atomic<bool> stopping{false};
  std::thread watchdogThread;
};

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_COMM_MPICOMMUNICATOR_H
