//===- MpiDeviceCommunicator.cpp - MPI on device buffers ------------------===//

#include "runtime/cuda/comm/MpiDeviceCommunicator.h"

#include "kernels/cuda/CudaCheck.h"

#include <mpi.h>

#include <algorithm>
#if __has_include(<mpi-ext.h>)
#include <mpi-ext.h>
#endif

using namespace agtf::runtime;
using agtf::kernels::detail::check;

bool MpiDeviceCommunicator::cudaAware() {
#if defined(MPIX_CUDA_AWARE_SUPPORT) && MPIX_CUDA_AWARE_SUPPORT
  return MPIX_Query_cuda_support() == 1;
#else
  return false;
#endif
}

MpiDeviceCommunicator::MpiDeviceCommunicator(MpiCommunicator &host)
    : host(host), direct(cudaAware()) {}

MpiDeviceCommunicator::~MpiDeviceCommunicator() {
  cudaFreeHost(pinnedIn);
  cudaFreeHost(pinnedOut);
}

std::string MpiDeviceCommunicator::name() const {
  return direct ? "mpi (CUDA-aware)" : "mpi (staged through host memory)";
}

void MpiDeviceCommunicator::reserve(int64_t in, int64_t out, cudaStream_t s) {
  // Copies still reading or filling the old buffers run on `s`.
  if (in > inBytes || out > outBytes)
    wait(s);
  if (in > inBytes) {
    cudaFreeHost(pinnedIn);
    check(cudaMallocHost(&pinnedIn, size_t(in)), "cudaMallocHost");
    inBytes = in;
  }
  if (out > outBytes) {
    cudaFreeHost(pinnedOut);
    check(cudaMallocHost(&pinnedOut, size_t(out)), "cudaMallocHost");
    outBytes = out;
  }
}

void MpiDeviceCommunicator::wait(cudaStream_t s) {
  check(cudaStreamSynchronize(s), "cudaStreamSynchronize (before MPI)");
}

void MpiDeviceCommunicator::toHost(void *h, const void *d, int64_t bytes,
                                   cudaStream_t s) {
  if (bytes > 0)
    check(cudaMemcpyAsync(h, d, size_t(bytes), cudaMemcpyDeviceToHost, s),
          "cudaMemcpyAsync (device to host, for MPI)");
  wait(s);
}

void MpiDeviceCommunicator::toDevice(void *d, const void *h, int64_t bytes,
                                     cudaStream_t s) {
  if (bytes > 0)
    check(cudaMemcpyAsync(d, h, size_t(bytes), cudaMemcpyHostToDevice, s),
          "cudaMemcpyAsync (host to device, after MPI)");
}

void MpiDeviceCommunicator::allreduceSum(float *data, int64_t count,
                                         cudaStream_t s) {
  if (direct) {
    wait(s);
    host.allreduceSum(data, count);
    return;
  }
  reserve(count * 4, 0, s);
  toHost(pinnedIn, data, count * 4, s);
  host.allreduceSum(reinterpret_cast<float *>(pinnedIn), count);
  toDevice(data, pinnedIn, count * 4, s);
}

void MpiDeviceCommunicator::allreduceSumHalf(uint16_t *data, int64_t count,
                                             cudaStream_t s) {
  reserve(count * 2, 0, s);
  toHost(pinnedIn, data, count * 2, s);
  host.allreduceSumHalf(reinterpret_cast<uint16_t *>(pinnedIn), count);
  toDevice(data, pinnedIn, count * 2, s);
}

void MpiDeviceCommunicator::allgather(const void *in, int64_t bytes, void *out,
                                      cudaStream_t s) {
  if (direct) {
    wait(s);
    host.allgather(in, bytes, out);
    return;
  }
  reserve(bytes, bytes * size(), s);
  toHost(pinnedIn, in, bytes, s);
  host.allgather(pinnedIn, bytes, pinnedOut);
  toDevice(out, pinnedOut, bytes * size(), s);
}

void MpiDeviceCommunicator::allgatherv(const void *in, int64_t bytes, void *out,
                                       const int64_t *counts,
                                       const int64_t *displs, cudaStream_t s) {
  if (direct) {
    wait(s);
    host.allgatherv(in, bytes, out, counts, displs);
    return;
  }
  int64_t total = 0;
  for (int r = 0; r < size(); ++r)
    total = std::max(total, displs[r] + counts[r]);
  reserve(bytes, total, s);
  toHost(pinnedIn, in, bytes, s);
  host.allgatherv(pinnedIn, bytes, pinnedOut, counts, displs);
  toDevice(out, pinnedOut, total, s);
}

void MpiDeviceCommunicator::broadcast(void *data, int64_t bytes, int root,
                                      cudaStream_t s) {
  if (direct) {
    wait(s);
    host.broadcast(data, bytes, root);
    return;
  }
  reserve(bytes, 0, s);
  toHost(pinnedIn, data, bytes, s);
  host.broadcast(pinnedIn, bytes, root);
  toDevice(data, pinnedIn, bytes, s);
}

void MpiDeviceCommunicator::send(const void *data, int64_t bytes, int peer,
                                 int tag, cudaStream_t s) {
  if (direct) {
    wait(s);
    host.send(data, bytes, peer, tag);
    return;
  }
  reserve(bytes, 0, s);
  toHost(pinnedIn, data, bytes, s);
  host.send(pinnedIn, bytes, peer, tag);
}

void MpiDeviceCommunicator::recv(void *data, int64_t bytes, int peer, int tag,
                                 cudaStream_t s) {
  if (direct) {
    wait(s);
    host.recv(data, bytes, peer, tag);
    return;
  }
  reserve(0, bytes, s);
  wait(s); // the previous copy out of the buffer is done
  host.recv(pinnedOut, bytes, peer, tag);
  toDevice(data, pinnedOut, bytes, s);
}
