//===- TopKCompressor.cpp - top-k selections exchanged by allgather -------===//
//
// Exact top-k (kind topk, select exact), sampled top-k (select sampled) and
// DGC (kind dgc). Per iteration, on each rank:
//   acc = residual + grad                       (topk)
//   u = m * u + grad; acc = v += u              (dgc: momentum correction)
//   select about k = ceil(rho * N) entries of acc by magnitude
//   send (indices, values rounded to the value dtype)
//   residual = acc - what was sent              (error feedback)
//   dgc: u = 0 where selected (momentum-factor masking)
// then result = (scatter-add of every rank's selection) / P.
// Exact selections have k entries on every rank: one allgather. Sampled
// ones differ per rank: an allgather of the counts, then an allgatherv.
// Every rank sends at least one entry.
//
//===----------------------------------------------------------------------===//

#include "runtime/WireValues.h"
#include "runtime/compressors/Compressors.h"

#include "kernels/Random.h"
#include "kernels/SampledTopK.h"
#include "kernels/SparseOps.h"
#include "kernels/TopK.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

using namespace agtf;
using namespace agtf::runtime;
namespace kn = agtf::kernels;

namespace {
class TopKCompressor : public Compressor {
public:
  TopKCompressor(BucketInfo info, int rank, int size, uint64_t seed, bool dgc)
      : Compressor(std::move(info), rank, size, seed), dgc(dgc) {
    residual.assign(bucket.numel, 0.0f);
    if (dgc)
      momentum.assign(bucket.numel, 0.0f);
    meter = makeResidualMeter(bucket);
  }

  bool sampled() const {
    return dgc || bucket.params.select == fb::SelectMethod::sampled;
  }

  /// The selection seed of `r` in this iteration.
  uint64_t selectionSeed(int r) const {
    return runtime::selectionSeed(seed, r, iteration, bucket.index);
  }

  void noteIteration(const IterationInfo &it) override {
    iteration = it.iteration;
    double density = dgc ? warmupDensity(bucket.params.density,
                                         bucket.params.warmupEpochs, it.epoch)
                         : bucket.params.density;
    k = kn::topKCount(bucket.numel, density);
  }

  void compress(const float *grad, const IterationInfo &it) override {
    int64_t n = bucket.numel;
    noteIteration(it);
    if (dgc) {
      float m = float(bucket.params.momentum);
      for (int64_t i = 0; i < n; ++i)
        momentum[i] = m * momentum[i] + grad[i];
      meter->accumulate(residual.data(), momentum.data());
    } else {
      meter->accumulate(residual.data(), grad);
    }
    if (checking)
      input = residual;

    int64_t room = sampled() ? kn::sampledTopKCapacity(n, k) : k;
    indices.resize(room);
    values.resize(room);
    if (sampled())
      count =
          kn::selectSampledTopKCpu(residual.data(), n, k, selectionSeed(rank),
                                   indices.data(), values.data())
              .count;
    else {
      kn::selectTopKCpu(residual.data(), n, k, indices.data(), values.data());
      count = k;
    }

    // Message: count int32 indices, then count values in the wire dtype.
    fb::DType dtype = bucket.params.valueDtype;
    int64_t vb = wireBytes(dtype);
    message.resize(size_t(count * (4 + vb)));
    std::memcpy(message.data(), indices.data(), size_t(count) * 4);
    encodeValues(values.data(), count, dtype, message.data() + count * 4);
    for (int64_t i = 0; i < count; ++i) {
      int32_t j = indices[i];
      float before = residual[j];
      residual[j] -= wireRound(values[i], dtype);
      meter->sent(j, before, residual[j]);
      if (dgc)
        momentum[j] = 0.0f;
    }
    meter->endIteration();
  }

  void communicate(float *grad, Communicator &comm) override {
    int64_t vb = wireBytes(bucket.params.valueDtype);
    int64_t entry = 4 + vb;
    std::vector<int64_t> counts(size), displs(size);
    if (sampled()) {
      comm.allgather(&count, sizeof(int64_t), counts.data());
    } else {
      std::fill(counts.begin(), counts.end(), count);
    }
    int64_t total = 0;
    for (int r = 0; r < size; ++r) {
      displs[r] = total * entry;
      total += counts[r];
      counts[r] *= entry;
    }
    gathered.resize(size_t(total * entry));
    if (sampled())
      comm.allgatherv(message.data(), int64_t(message.size()), gathered.data(),
                      counts.data(), displs.data());
    else
      comm.allgather(message.data(), int64_t(message.size()), gathered.data());

    std::fill(grad, grad + bucket.numel, 0.0f);
    std::vector<float> decoded;
    for (int r = 0; r < size; ++r) {
      int64_t c = counts[r] / entry;
      const uint8_t *block = gathered.data() + displs[r];
      decoded.resize(c);
      decodeValues(block + c * 4, c, bucket.params.valueDtype, decoded.data());
      std::vector<int32_t> idx(c);
      std::memcpy(idx.data(), block, size_t(c) * 4);
      kn::scatterAddCpu(idx.data(), decoded.data(), c, grad);
    }
    float scale = 1.0f / float(size);
    for (int64_t i = 0; i < bucket.numel; ++i)
      grad[i] *= scale;
  }

  std::vector<float>
  reference(const std::vector<std::vector<float>> &inputs) const override {
    int64_t n = bucket.numel;
    std::vector<double> sum(n, 0.0);
    for (int r = 0; r < int(inputs.size()); ++r) {
      const std::vector<float> &acc = inputs[r];
      std::vector<int32_t> chosen;
      if (sampled()) {
        // The rule itself is DGC's; the check is that each rank's choice
        // reached every rank intact.
        std::vector<int32_t> idx(kn::sampledTopKCapacity(n, k));
        std::vector<float> val(idx.size());
        int64_t c = kn::selectSampledTopKCpu(acc.data(), n, k, selectionSeed(r),
                                             idx.data(), val.data())
                        .count;
        chosen.assign(idx.begin(), idx.begin() + c);
      } else {
        // Independent of the kernel: a full sort by (|x| desc, index asc).
        chosen.resize(n);
        std::iota(chosen.begin(), chosen.end(), 0);
        std::sort(chosen.begin(), chosen.end(), [&](int32_t a, int32_t b) {
          float ma = std::fabs(acc[a]), mb = std::fabs(acc[b]);
          return ma > mb || (ma == mb && a < b);
        });
        chosen.resize(k);
      }
      for (int32_t j : chosen)
        sum[j] += wireRound(acc[j], bucket.params.valueDtype);
    }
    std::vector<float> out(n);
    for (int64_t i = 0; i < n; ++i)
      out[i] = float(sum[i] / double(inputs.size()));
    return out;
  }

  int64_t kept() const override { return count; }

private:
  bool dgc;
  int64_t iteration = 0, k = 1, count = 0;
  std::vector<float> residual, momentum;
  std::vector<int32_t> indices;
  std::vector<float> values;
  std::vector<uint8_t> message, gathered;
};
} // namespace

std::unique_ptr<Compressor> agtf::runtime::makeTopKCompressor(BucketInfo info,
                                                              int rank,
                                                              int size,
                                                              uint64_t seed) {
  return std::unique_ptr<Compressor>(
      new TopKCompressor(std::move(info), rank, size, seed, /*dgc=*/false));
}

std::unique_ptr<Compressor> agtf::runtime::makeDgcCompressor(BucketInfo info,
                                                             int rank, int size,
                                                             uint64_t seed) {
  return std::unique_ptr<Compressor>(
      new TopKCompressor(std::move(info), rank, size, seed, /*dgc=*/true));
}
