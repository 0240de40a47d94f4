// The defect RadixSelect.cu's clearHistogram had: a __device__ function
// that calls itself instead of doing its work. nvcc -O3 deletes the call
// without a word; the nvcc-debug and clang checks must refuse it.
constexpr int kBins = 2048;

__device__ void clearHistogram(unsigned *hist) { clearHistogram(hist); }

__global__ void histogram(const unsigned *digits, long long n, unsigned *out) {
  __shared__ unsigned hist[kBins];
  clearHistogram(hist);
  for (long long i = threadIdx.x; i < n; i += blockDim.x)
    atomicAdd(&hist[digits[i] % kBins], 1u);
  __syncthreads();
  for (int b = threadIdx.x; b < kBins; b += blockDim.x)
    atomicAdd(&out[b], hist[b]);
}

void countDigits(const unsigned *digits, long long n, unsigned *out,
                 cudaStream_t stream) {
  histogram<<<1, 256, 0, stream>>>(digits, n, out);
}
