//===- ReadFloor.cu - the floor of a selection's time ---------------------===//

#include "ReadFloor.h"

#include <cuda_runtime.h>

namespace {
__device__ float sink;

__global__ void readKernel(const float4 *x, long long quads, const float *tail,
                           int rest) {
  float sum = 0;
  for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
       i < quads; i += (long long)gridDim.x * blockDim.x) {
    float4 v = x[i];
    sum += v.x + v.y + v.z + v.w;
  }
  if (blockIdx.x == 0 && (int)threadIdx.x < rest)
    sum += tail[threadIdx.x];
  if (sum == 12345.678f) // never: keeps the loads
    sink = sum;
}

__global__ void fillKernel(float *x, long long n, unsigned long long seed) {
  for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n;
       i += (long long)gridDim.x * blockDim.x) {
    unsigned long long z = (seed + 0x9e3779b97f4a7c15ull) * (i + 1);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    float u = float(z >> 40) * 0x1p-24f, v = float(z & 0xffffff) * 0x1p-24f;
    x[i] = (2 * u - 1) * rsqrtf(1.0f - v);
  }
}
} // namespace

void readOnce(const float *x, int64_t n) {
  int sms = 0;
  if (cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, 0) !=
      cudaSuccess)
    sms = 1;
  long long quads = n / 4;
  // The default stream, named: the benchmark times it with events there.
  readKernel<<<sms * 8, 512, 0, 0>>>(reinterpret_cast<const float4 *>(x), quads,
                                     x + quads * 4, int(n - quads * 4));
}

void fillHeavyTailedOnDevice(float *x, int64_t n, uint64_t seed) {
  fillKernel<<<1024, 256, 0, 0>>>(x, n, seed);
}
