//===- MpiCommunicator.cpp - collectives over MPI -------------------------===//

#include "runtime/comm/MpiCommunicator.h"

#include "runtime/Diagnostics.h"
#include "runtime/comm/MpiWait.h"

#include "kernels/Half.h"

#include <mpi.h>

#ifdef __linux__
#include <sched.h>
#include <sys/prctl.h>
#endif

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace agtf::runtime;

namespace {

MPI_Comm &commOf(void *&handle) { return *static_cast<MPI_Comm *>(handle); }

double nowSeconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

// MPI has no binary16 type: sum as float, round once per step.
void sumHalves(void *in, void *inout, int *len, MPI_Datatype *) {
  auto *a = static_cast<const uint16_t *>(in);
  auto *b = static_cast<uint16_t *>(inout);
  for (int i = 0; i < *len; ++i)
    b[i] = agtf::kernels::floatToHalf(agtf::kernels::halfToFloat(a[i]) +
                                      agtf::kernels::halfToFloat(b[i]));
}

/// MPI counts are int: larger messages are refused with a clear message
/// rather than truncated.
int countOf(int64_t n, const char *call, int rank) {
  if (n < 0 || n > INT_MAX) {
    reportError(rank, std::string(call) + " of " + std::to_string(n) +
                          " elements exceeds MPI's int count; split the "
                          "bucket");
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  return int(n);
}

/// This node's ranks (0 when the launcher does not say) and the cores this
/// process may run on.
long localRanks() {
  const char *localSize = std::getenv("OMPI_COMM_WORLD_LOCAL_SIZE");
  return localSize ? std::strtol(localSize, nullptr, 10) : 0;
}

long usableCores() {
  long cores = long(std::thread::hardware_concurrency());
#ifdef __linux__
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0)
    cores = CPU_COUNT(&set);
#endif
  return cores;
}

/// The engine keeps two threads per rank busy (compression and
/// communication). Where a node's ranks have fewer cores than that, an MPI
/// wait that spins takes the core that the other rank's compression needs,
/// and each waits for the other: on this project's 2-core host that doubled
/// a 59-bucket iteration. Open MPI yields while idle when asked (it does on
/// its own only when ranks outnumber slots); a user's own setting wins.
/// Yielding reaches only the threads of the rank's own scheduling group:
/// the collectives' waits sleep as well (MpiWait.h).
void yieldWhenCoresAreShared() {
  if (std::getenv("OMPI_MCA_mpi_yield_when_idle"))
    return;
  if (requestMpiWait(nullptr, localRanks(), usableCores()).coresShared)
    setenv("OMPI_MCA_mpi_yield_when_idle", "1", /*overwrite=*/0);
}

} // namespace

/// Marks the calling thread as waiting in an MPI call for the watchdog;
/// `meaning` says what a stall there means (null: the stage's).
struct MpiCommunicator::Watch {
  Watch(MpiCommunicator &c, const char *call, const char *meaning = nullptr)
      : c(c) {
    c.waitingSince.store(nowSeconds());
    c.waitMeaning.store(meaning);
    c.waitingIn.store(call);
  }
  ~Watch() { c.waitingIn.store(nullptr); }
  MpiCommunicator &c;
};

std::unique_ptr<MpiCommunicator> MpiCommunicator::create(int *argc,
                                                         char ***argv,
                                                         double timeoutSeconds,
                                                         std::string &error) {
  yieldWhenCoresAreShared();
  std::unique_ptr<MpiCommunicator> c(new MpiCommunicator());
  c->myRank = launcherRank();
  c->timeoutSeconds.store(timeoutSeconds);
  c->watchdogThread = std::thread([raw = c.get()] { raw->watchdog(); });
  int provided = 0, status;
  {
    // Open MPI's MPI_Init waits for every rank of the job: one that never
    // starts would keep the others here.
    Watch w(*c, "MPI_Init", "a rank did not join the job");
    status = MPI_Init_thread(argc, argv, MPI_THREAD_SERIALIZED, &provided);
  }
  if (status != MPI_SUCCESS) {
    error = "MPI_Init_thread failed";
    return nullptr;
  }
  c->initialised = true;
  if (provided < MPI_THREAD_SERIALIZED) {
    error = "this MPI does not provide MPI_THREAD_SERIALIZED (the engine "
            "calls MPI from its communication thread)";
    return nullptr;
  }
  c->comm = new MPI_Comm;
  MPI_Comm_dup(MPI_COMM_WORLD, &commOf(c->comm));
  MPI_Comm_set_errhandler(commOf(c->comm), MPI_ERRORS_RETURN);
  int rank = 0;
  MPI_Comm_rank(commOf(c->comm), &rank);
  c->myRank = rank;
  MPI_Comm_size(commOf(c->comm), &c->worldSize);
  auto *op = new MPI_Op;
  MPI_Op_create(&sumHalves, /*commute=*/1, op);
  c->halfSum = op;
  // One wait mode for the job, agreed before the first collective.
  const char *value = std::getenv("AGTF_MPI_WAIT");
  MpiWaitRequest request = requestMpiWait(value, localRanks(), usableCores());
  int votes[kMpiWaitVotes], maxVotes[kMpiWaitVotes];
  mpiWaitVotes(request, votes);
  {
    Watch w(*c, "MPI_Allreduce (AGTF_MPI_WAIT)",
            "a rank did not reach the startup agreement");
    if (MPI_Allreduce(votes, maxVotes, kMpiWaitVotes, MPI_INT, MPI_MAX,
                      commOf(c->comm)) != MPI_SUCCESS) {
      error = "MPI_Allreduce of AGTF_MPI_WAIT failed";
      return nullptr;
    }
  }
  if (request.kind == MpiWaitRequest::Invalid) {
    error = "AGTF_MPI_WAIT is '" + std::string(value) +
            "'; expected spin, sleep or auto";
    return nullptr;
  }
  if (!decideMpiWait(maxVotes, c->waitMode, error))
    return nullptr;
  return c;
}

MpiCommunicator::~MpiCommunicator() {
  if (initialised) {
    if (comm) {
      {
        // On MPI_COMM_WORLD, which the collectives never use: a rank that
        // left early cannot match a collective its peers still wait in.
        Watch w(*this, "MPI_Barrier before MPI_Finalize",
                "a rank did not finish");
        MPI_Barrier(MPI_COMM_WORLD);
      }
      MPI_Op_free(static_cast<MPI_Op *>(halfSum));
      delete static_cast<MPI_Op *>(halfSum);
      MPI_Comm_free(&commOf(comm));
      delete static_cast<MPI_Comm *>(comm);
    }
    // Open MPI's MPI_Finalize waits for every rank, too.
    Watch w(*this, "MPI_Finalize", "a rank did not finish");
    MPI_Finalize();
  }
  stopping.store(true);
  if (watchdogThread.joinable())
    watchdogThread.join();
}

void MpiCommunicator::setStallMeaning(const char *meaning) {
  stageMeaning.store(meaning);
}

void MpiCommunicator::watchdog() {
  while (!stopping.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const char *call = waitingIn.load();
    double limit = timeoutSeconds.load();
    if (!call || limit <= 0)
      continue;
    double waited = nowSeconds() - waitingSince.load();
    if (waited > limit && waitingIn.load() == call) {
      const char *meaning = waitMeaning.load();
      if (!meaning)
        meaning = stageMeaning.load();
      if (!meaning)
        meaning = "a rank died or stalled";
      // The communication thread is inside MPI: calling MPI_Abort from here
      // would break MPI_THREAD_SERIALIZED (and before MPI_Init there is no
      // MPI to call). Exiting makes the launcher end the other ranks.
      char text[256];
      std::snprintf(text, sizeof(text),
                    "%s has waited %.0f s for its peers; %s (limit: "
                    "--timeout %g)",
                    call, waited, meaning, limit);
      reportError(myRank, text);
      std::_Exit(1);
    }
  }
}

void MpiCommunicator::check(int status, const char *call) {
  if (status == MPI_SUCCESS)
    return;
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(status, text, &length);
  reportError(myRank, std::string(call) +
                          " failed: " + std::string(text, size_t(length)));
  abort(1);
}

template <typename Blocking, typename Start>
void MpiCommunicator::collective(const char *call, Blocking blocking,
                                 Start start) {
  if (waitMode == MpiWait::Spin) {
    check(blocking(), call);
    return;
  }
  MPI_Request request;
  check(start(&request), call);
#ifdef __linux__
  // The default timer slack (50 us) would stretch every short sleep.
  static thread_local bool slackSet =
      prctl(PR_SET_TIMERSLACK, 1000UL, 0UL, 0UL, 0UL) == 0;
  (void)slackSet;
#endif
  // Test without sleeping for the first 200 us (a short collective ends
  // sooner), then between sleeps of 5 us doubling to 20 us: MPI progresses
  // only inside MPI_Test, so each round of the collective waits for its
  // peers' next test, and TCP's socket buffers are read only then.
  using Clock = std::chrono::steady_clock;
  const auto sleepFrom = Clock::now() + std::chrono::microseconds(200);
  std::chrono::microseconds pause(5);
  for (int done = 0;;) {
    check(MPI_Test(&request, &done, MPI_STATUS_IGNORE), call);
    if (done)
      return;
    if (Clock::now() < sleepFrom)
      continue;
    std::this_thread::sleep_for(pause);
    pause = std::min(2 * pause, std::chrono::microseconds(20));
  }
}

void MpiCommunicator::allreduceSum(float *data, int64_t count) {
  Watch w(*this, "MPI_Allreduce");
  sent += count * int64_t(sizeof(float));
  int n = countOf(count, "MPI_Allreduce", myRank);
  collective(
      "MPI_Allreduce",
      [&] {
        return MPI_Allreduce(MPI_IN_PLACE, data, n, MPI_FLOAT, MPI_SUM,
                             commOf(comm));
      },
      [&](MPI_Request *r) {
        return MPI_Iallreduce(MPI_IN_PLACE, data, n, MPI_FLOAT, MPI_SUM,
                              commOf(comm), r);
      });
}

void MpiCommunicator::allreduceSumHalf(uint16_t *data, int64_t count) {
  Watch w(*this, "MPI_Allreduce (fp16)");
  sent += count * int64_t(sizeof(uint16_t));
  int n = countOf(count, "MPI_Allreduce", myRank);
  MPI_Op op = *static_cast<MPI_Op *>(halfSum);
  collective(
      "MPI_Allreduce (fp16)",
      [&] {
        return MPI_Allreduce(MPI_IN_PLACE, data, n, MPI_UINT16_T, op,
                             commOf(comm));
      },
      [&](MPI_Request *r) {
        return MPI_Iallreduce(MPI_IN_PLACE, data, n, MPI_UINT16_T, op,
                              commOf(comm), r);
      });
}

void MpiCommunicator::allgather(const void *in, int64_t bytes, void *out) {
  Watch w(*this, "MPI_Allgather");
  sent += bytes;
  int n = countOf(bytes, "MPI_Allgather", myRank);
  collective(
      "MPI_Allgather",
      [&] {
        return MPI_Allgather(in, n, MPI_BYTE, out, n, MPI_BYTE, commOf(comm));
      },
      [&](MPI_Request *r) {
        return MPI_Iallgather(in, n, MPI_BYTE, out, n, MPI_BYTE, commOf(comm),
                              r);
      });
}

void MpiCommunicator::allgatherv(const void *in, int64_t bytes, void *out,
                                 const int64_t *counts, const int64_t *displs) {
  Watch w(*this, "MPI_Allgatherv");
  sent += bytes;
  std::vector<int> c(worldSize), d(worldSize);
  for (int r = 0; r < worldSize; ++r) {
    c[r] = countOf(counts[r], "MPI_Allgatherv", myRank);
    d[r] = countOf(displs[r], "MPI_Allgatherv", myRank);
  }
  int n = countOf(bytes, "MPI_Allgatherv", myRank);
  collective(
      "MPI_Allgatherv",
      [&] {
        return MPI_Allgatherv(in, n, MPI_BYTE, out, c.data(), d.data(),
                              MPI_BYTE, commOf(comm));
      },
      [&](MPI_Request *r) {
        return MPI_Iallgatherv(in, n, MPI_BYTE, out, c.data(), d.data(),
                               MPI_BYTE, commOf(comm), r);
      });
}

void MpiCommunicator::broadcast(void *data, int64_t bytes, int root) {
  Watch w(*this, "MPI_Bcast");
  if (root == myRank)
    sent += bytes;
  int n = countOf(bytes, "MPI_Bcast", myRank);
  collective(
      "MPI_Bcast",
      [&] { return MPI_Bcast(data, n, MPI_BYTE, root, commOf(comm)); },
      [&](MPI_Request *r) {
        return MPI_Ibcast(data, n, MPI_BYTE, root, commOf(comm), r);
      });
}

void MpiCommunicator::send(const void *data, int64_t bytes, int peer, int tag) {
  Watch w(*this, "MPI_Send");
  sent += bytes;
  int n = countOf(bytes, "MPI_Send", myRank);
  collective(
      "MPI_Send",
      [&] { return MPI_Send(data, n, MPI_BYTE, peer, tag, commOf(comm)); },
      [&](MPI_Request *r) {
        return MPI_Isend(data, n, MPI_BYTE, peer, tag, commOf(comm), r);
      });
}

void MpiCommunicator::recv(void *data, int64_t bytes, int peer, int tag) {
  Watch w(*this, "MPI_Recv");
  int n = countOf(bytes, "MPI_Recv", myRank);
  collective(
      "MPI_Recv",
      [&] {
        return MPI_Recv(data, n, MPI_BYTE, peer, tag, commOf(comm),
                        MPI_STATUS_IGNORE);
      },
      [&](MPI_Request *r) {
        return MPI_Irecv(data, n, MPI_BYTE, peer, tag, commOf(comm), r);
      });
}

void MpiCommunicator::barrier() {
  Watch w(*this, "MPI_Barrier");
  collective(
      "MPI_Barrier", [&] { return MPI_Barrier(commOf(comm)); },
      [&](MPI_Request *r) { return MPI_Ibarrier(commOf(comm), r); });
}

void MpiCommunicator::abort(int code) {
  std::fflush(stdout);
  std::fflush(stderr);
  MPI_Abort(MPI_COMM_WORLD, code);
  std::_Exit(code);
}
