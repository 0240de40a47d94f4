// An element index narrowed to 32 bits: wrong above 2^31 elements. The
// clang check (-Wshorten-64-to-32) must refuse it.
__global__ void gatherAt(const float *x, const long long *where, long long n,
                         float *out) {
  for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n;
       i += (long long)gridDim.x * blockDim.x) {
    int j = where[i];
    out[i] = x[j];
  }
}

void gather(const float *x, const long long *where, long long n, float *out,
            cudaStream_t stream) {
  gatherAt<<<8, 256, 0, stream>>>(x, where, n, out);
}
