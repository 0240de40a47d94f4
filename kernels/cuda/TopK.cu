//===- TopK.cu - CUDA twin of exact magnitude top-k -----------------------===//

#include "kernels/TopK.h"
#include "kernels/cuda/CudaCheck.h"
#include "kernels/cuda/RadixSelect.h"

using namespace agtf::kernels;
using namespace agtf::kernels::detail;

size_t agtf::kernels::topKCudaScratchBytes(int64_t n) {
  return selectScratchBytes(n, /*bitmap=*/true);
}

void agtf::kernels::selectTopKCuda(const float *x, int64_t n, int64_t k,
                                   const SelectionTarget &out, void *scratch,
                                   DeviceStream stream) {
  SelectScratch s = carveSelectScratch(scratch, n, true);
  resetSelect(s, stream);
  SelectInput in;
  // Not written: only a fused selection stores into x.
  in.x = const_cast<float *>(x);
  in.n = n;
  enqueueSelect(in, k, /*exactKey=*/false, s, stream);
  enqueueCompaction(x, s, out, k, stream);
}

void agtf::kernels::accumulateSelectTopKCuda(float *residual, const float *grad,
                                             int64_t n, int64_t k,
                                             const SelectionTarget &out,
                                             void *scratch,
                                             DeviceStream stream) {
  SelectScratch s = carveSelectScratch(scratch, n, true);
  resetSelect(s, stream);
  SelectInput in;
  in.x = residual;
  in.grad = grad;
  in.n = n;
  enqueueSelect(in, k, /*exactKey=*/false, s, stream);
  enqueueCompaction(residual, s, out, k, stream);
}
