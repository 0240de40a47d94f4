/*===- MpiFaults.c - faults injected into one rank for the tests ---------===//
 *
 * Loaded with LD_PRELOAD into the one rank that should have the fault, it
 * takes MPI's calls through the profiling interface (PMPI_*) and does what
 * AGTF_FAULT says:
 *   stop-in-init       stops (SIGSTOP) on entering MPI_Init_thread: never
 *                      joins
 *   stop-in-finalize   stops on entering MPI_Finalize: never finishes
 *   corrupt-allreduce  adds 1 to the first element of every float sum of
 *                      more than one element: its parameters drift from
 *                      the other ranks' (MPI_Allreduce, and
 *                      MPI_Iallreduce when its MPI_Test completes it:
 *                      AGTF_MPI_WAIT=sleep)
 * Used by test/Runtime/faulty-rank.sh.
 *
 *===----------------------------------------------------------------------===*/

#include <mpi.h>

#include <signal.h>
#include <stdlib.h>
#include <string.h>

static int fault(const char *name) {
  const char *f = getenv("AGTF_FAULT");
  return f && strcmp(f, name) == 0;
}

int MPI_Init_thread(int *argc, char ***argv, int required, int *provided) {
  if (fault("stop-in-init"))
    raise(SIGSTOP);
  return PMPI_Init_thread(argc, argv, required, provided);
}

int MPI_Finalize(void) {
  if (fault("stop-in-finalize"))
    raise(SIGSTOP);
  return PMPI_Finalize();
}

int MPI_Allreduce(const void *in, void *out, int count, MPI_Datatype type,
                  MPI_Op op, MPI_Comm comm) {
  int status = PMPI_Allreduce(in, out, count, type, op, comm);
  if (fault("corrupt-allreduce") && type == MPI_FLOAT && count > 1)
    ((float *)out)[0] += 1.0f;
  return status;
}

/* The last float sum started nonblocking, corrupted when it completes. */
static MPI_Request pendingSum = MPI_REQUEST_NULL;
static float *pendingOut;

int MPI_Iallreduce(const void *in, void *out, int count, MPI_Datatype type,
                   MPI_Op op, MPI_Comm comm, MPI_Request *request) {
  int status = PMPI_Iallreduce(in, out, count, type, op, comm, request);
  if (fault("corrupt-allreduce") && type == MPI_FLOAT && count > 1) {
    pendingSum = *request;
    pendingOut = (float *)out;
  }
  return status;
}

int MPI_Test(MPI_Request *request, int *flag, MPI_Status *status) {
  MPI_Request r = *request;
  int result = PMPI_Test(request, flag, status);
  if (*flag && r != MPI_REQUEST_NULL && r == pendingSum) {
    pendingOut[0] += 1.0f;
    pendingSum = MPI_REQUEST_NULL;
  }
  return result;
}
