//===- CudaDevice.cpp - the engine on a CUDA device -----------------------===//

#include "runtime/cuda/CudaDevice.h"

#include "runtime/Diagnostics.h"
#include "runtime/cuda/compressors/CudaCompressors.h"

#include "kernels/DenseOps.h"
#include "kernels/cuda/CudaCheck.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>

using namespace agtf::runtime;
using agtf::kernels::detail::check;

namespace {
// The communicator that ends the job when a CUDA call fails anywhere.
std::atomic<Communicator *> failing{nullptr};

void endEveryRank(const char *message) {
  Communicator *c = failing.load();
  reportError(c ? c->rank() : -1, message);
  if (c)
    c->abort(1);
  std::abort();
}

/// The rank among the ranks on this host, from the launcher's environment
/// (Open MPI, then MPICH and Slurm); the global rank when none is set.
int localRank(int globalRank) {
  for (const char *name :
       {"OMPI_COMM_WORLD_LOCAL_RANK", "MPI_LOCALRANKID", "SLURM_LOCALID"})
    if (const char *v = std::getenv(name))
      return std::atoi(v);
  return globalRank;
}
} // namespace

std::unique_ptr<CudaDevice> CudaDevice::create(Communicator &host,
                                               std::string &error) {
  int count = agtf::kernels::cudaDeviceCountOrZero();
  if (count == 0) {
    error = "--device cuda: no CUDA device is visible on this host "
            "(cudaGetDeviceCount found none, or no driver)";
    return nullptr;
  }
  failing.store(&host);
  agtf::kernels::setCudaErrorHandler(&endEveryRank);
  std::unique_ptr<CudaDevice> d(new CudaDevice(host));
  d->ordinal = localRank(host.rank()) % count;
  check(cudaSetDevice(d->ordinal), "cudaSetDevice");
  for (cudaStream_t *s : {&d->compute, &d->compress, &d->communicate})
    check(cudaStreamCreateWithFlags(s, cudaStreamNonBlocking),
          "cudaStreamCreateWithFlags");
  return d;
}

CudaDevice::~CudaDevice() {
  // A kernel that failed after the last checked call reports here: the job
  // must not end as if its results were good.
  check(cudaDeviceSynchronize(), "cudaDeviceSynchronize (device teardown)");
  for (auto *events : {&tensorEvents, &compressedEvents, &communicatedEvents})
    for (cudaEvent_t e : *events)
      cudaEventDestroy(e);
  for (void *p : allocations)
    cudaFree(p);
  for (cudaStream_t s :
       {sharedCompute ? nullptr : compute, compress, communicate})
    if (s)
      cudaStreamDestroy(s);
  // Later failures (outside any device) must not name a communicator that
  // may be gone.
  Communicator *mine = &host;
  failing.compare_exchange_strong(mine, nullptr);
}

void CudaDevice::bindThread() {
  check(cudaSetDevice(ordinal), "cudaSetDevice (engine thread)");
}

void CudaDevice::computeOnLibTorchStream() {
  // LibTorch's default stream is the legacy default stream. Our compression
  // and communication streams are non-blocking, so they still overlap it.
  if (!sharedCompute)
    check(cudaStreamDestroy(compute), "cudaStreamDestroy");
  compute = cudaStreamLegacy;
  sharedCompute = true;
}

std::string CudaDevice::describe() const {
  cudaDeviceProp props{};
  check(cudaGetDeviceProperties(&props, ordinal), "cudaGetDeviceProperties");
  return "cuda:" + std::to_string(ordinal) + " (" + props.name + "), " +
         (comm ? comm->name() : std::string("no communicator"));
}

void *CudaDevice::allocateBytes(size_t bytes) {
  void *p = nullptr;
  check(cudaMalloc(&p, bytes ? bytes : 1), "cudaMalloc");
  allocations.push_back(p);
  return p;
}

// cudaMemset and a pageable cudaMemcpy may return before the device has
// finished, on the legacy default stream, which our non-blocking streams do
// not wait for: both run on the compute stream and the host waits, so that
// every stream sees the zeros and the data.
float *CudaDevice::allocate(int64_t count) {
  auto *p = static_cast<float *>(allocateBytes(size_t(count) * 4));
  check(cudaMemsetAsync(p, 0, size_t(count) * 4, compute), "cudaMemsetAsync");
  check(cudaStreamSynchronize(compute), "cudaStreamSynchronize (zeroing)");
  return p;
}

void CudaDevice::upload(float *device, const float *hostData, int64_t count) {
  check(cudaMemcpyAsync(device, hostData, size_t(count) * 4,
                        cudaMemcpyHostToDevice, compute),
        "cudaMemcpyAsync (host to device)");
  check(cudaStreamSynchronize(compute), "cudaStreamSynchronize (upload)");
}

void CudaDevice::download(float *hostData, const float *device, int64_t count) {
  // Results may still be in flight on any stream.
  check(cudaDeviceSynchronize(), "cudaDeviceSynchronize");
  check(cudaMemcpy(hostData, device, size_t(count) * 4, cudaMemcpyDeviceToHost),
        "cudaMemcpy (device to host)");
}

void CudaDevice::copyOnCompute(float *to, const float *from, int64_t count) {
  check(cudaMemcpyAsync(to, from, size_t(count) * 4, cudaMemcpyDeviceToDevice,
                        compute),
        "cudaMemcpyAsync (gradient)");
}

void CudaDevice::sgdStepOnCompute(float *params, const float *grads,
                                  int64_t count, float lr) {
  agtf::kernels::subtractScaledCuda(params, grads, count, lr, compute);
}

void CudaDevice::waitForCompute() {
  check(cudaStreamSynchronize(compute), "cudaStreamSynchronize (compute)");
}

void CudaDevice::prepare(uint32_t tensors, uint32_t buckets) {
  auto make = [](std::vector<cudaEvent_t> &events, uint32_t n) {
    events.resize(n);
    for (cudaEvent_t &e : events)
      check(cudaEventCreateWithFlags(&e, cudaEventDisableTiming),
            "cudaEventCreateWithFlags");
  };
  make(tensorEvents, tensors);
  make(compressedEvents, buckets);
  make(communicatedEvents, buckets);
  communicatedOnce.assign(buckets, 0);
}

void CudaDevice::tensorReady(uint32_t tensor, DeviceStream producer) {
  check(cudaEventRecord(tensorEvents[tensor], producer ? producer : compute),
        "cudaEventRecord (tensor ready)");
}

void CudaDevice::beforeCompress(uint32_t bucket, uint32_t firstTensor,
                                uint32_t tensorCount) {
  for (uint32_t t = firstTensor; t < firstTensor + tensorCount; ++t)
    check(cudaStreamWaitEvent(compress, tensorEvents[t], 0),
          "cudaStreamWaitEvent (gradient ready)");
  // The bucket's buffers are free once its last communication read them.
  if (communicatedOnce[bucket])
    check(cudaStreamWaitEvent(compress, communicatedEvents[bucket], 0),
          "cudaStreamWaitEvent (previous communication)");
}

void CudaDevice::afterCompress(uint32_t bucket) {
  check(cudaEventRecord(compressedEvents[bucket], compress),
        "cudaEventRecord (compressed)");
}

void CudaDevice::beforeCommunicate(uint32_t bucket) {
  check(cudaStreamWaitEvent(communicate, compressedEvents[bucket], 0),
        "cudaStreamWaitEvent (compressed)");
}

void CudaDevice::afterCommunicate(uint32_t bucket) {
  check(cudaEventRecord(communicatedEvents[bucket], communicate),
        "cudaEventRecord (communicated)");
  communicatedOnce[bucket] = 1;
}

void CudaDevice::joinCommunication(uint32_t lastBucket, DeviceStream consumer) {
  // The communication stream runs buckets in order: its last event covers
  // every bucket.
  check(cudaStreamWaitEvent(consumer ? consumer : compute,
                            communicatedEvents[lastBucket], 0),
        "cudaStreamWaitEvent (results ready)");
}

std::unique_ptr<Compressor>
CudaDevice::makeCompressor(BucketInfo info, int rank, int size, uint64_t seed) {
  return makeCudaCompressor(*this, std::move(info), rank, size, seed);
}
