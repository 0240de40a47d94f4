//===- GTopKCompressor.cpp - global top-k by tree merge and broadcast -----===//
//
// gTop-k S-SGD (REFERENCES.md), correct for any P. Each rank selects the
// exact top-k of acc = residual + grad. Reduction over a binomial tree: in
// round s = 1, 2, 4, ..., a rank with rank % 2s == s sends its current k
// entries to rank - s and drops out; a rank with rank % 2s == 0 receives
// from rank + s when that rank exists and merges (union, equal indices
// summed, the k of largest magnitude kept). After ceil(log2 P) rounds rank
// 0 broadcasts the global k. Each rank keeps in its residual the local
// entries whose index did not make the global set (the reference's rule),
// and result = scatter(global set) / P.
//
//===----------------------------------------------------------------------===//

#include "runtime/WireValues.h"
#include "runtime/compressors/Compressors.h"

#include "kernels/SparseOps.h"
#include "kernels/TopK.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <numeric>
#include <utility>

using namespace agtf;
using namespace agtf::runtime;
namespace kn = agtf::kernels;

namespace {
/// A selection in the reference: index -> value, ordered by index.
using Selection = std::map<int32_t, float>;

Selection topOf(const Selection &all, int64_t k) {
  std::vector<std::pair<int32_t, float>> v(all.begin(), all.end());
  std::stable_sort(v.begin(), v.end(), [](const auto &a, const auto &b) {
    return std::fabs(a.second) > std::fabs(b.second);
  });
  if (int64_t(v.size()) > k)
    v.resize(k);
  return Selection(v.begin(), v.end());
}

class GTopKCompressor : public Compressor {
public:
  GTopKCompressor(BucketInfo info, int rank, int size, uint64_t seed)
      : Compressor(std::move(info), rank, size, seed) {
    residual.assign(bucket.numel, 0.0f);
    meter = makeResidualMeter(bucket);
  }

  void noteIteration(const IterationInfo &) override {
    k = kn::topKCount(bucket.numel, bucket.params.density);
  }

  void compress(const float *grad, const IterationInfo &it) override {
    int64_t n = bucket.numel;
    meter->accumulate(residual.data(), grad);
    if (checking)
      input = residual;
    noteIteration(it);
    localIndices.resize(k);
    localValues.resize(k);
    kn::selectTopKCpu(residual.data(), n, k, localIndices.data(),
                      localValues.data());
    for (float &v : localValues)
      v = wireRound(v, bucket.params.valueDtype);
  }

  void communicate(float *grad, Communicator &comm) override {
    fb::DType dtype = bucket.params.valueDtype;
    int64_t vb = wireBytes(dtype);
    std::vector<int32_t> idx = localIndices, otherIdx(k), mergedIdx(k);
    std::vector<float> val = localValues, otherVal(k), mergedVal(k);
    int64_t count = k;
    std::vector<uint8_t> message(size_t(k * (4 + vb) + 8));
    auto pack = [&] {
      std::memcpy(message.data(), &count, 8);
      std::memcpy(message.data() + 8, idx.data(), size_t(count) * 4);
      encodeValues(val.data(), count, dtype, message.data() + 8 + count * 4);
    };
    auto unpack = [&](std::vector<int32_t> &i, std::vector<float> &v) {
      int64_t c;
      std::memcpy(&c, message.data(), 8);
      std::memcpy(i.data(), message.data() + 8, size_t(c) * 4);
      decodeValues(message.data() + 8 + c * 4, c, dtype, v.data());
      return c;
    };

    bool active = true;
    for (int step = 1; step < size; step *= 2) {
      if (!active)
        break;
      if (rank % (2 * step) == step) {
        pack();
        comm.send(message.data(), int64_t(message.size()), rank - step,
                  /*tag=*/int(bucket.index % 32768));
        active = false;
      } else if (rank % (2 * step) == 0 && rank + step < size) {
        comm.recv(message.data(), int64_t(message.size()), rank + step,
                  int(bucket.index % 32768));
        int64_t otherCount = unpack(otherIdx, otherVal);
        count = kn::mergeTopKCpu(idx.data(), val.data(), count, otherIdx.data(),
                                 otherVal.data(), otherCount, k,
                                 mergedIdx.data(), mergedVal.data());
        std::swap(idx, mergedIdx);
        std::swap(val, mergedVal);
        for (int64_t i = 0; i < count; ++i)
          val[i] = wireRound(val[i], dtype);
      }
    }
    if (rank == 0)
      pack();
    comm.broadcast(message.data(), int64_t(message.size()), 0);
    count = unpack(idx, val);

    // Local entries in the global set were sent (as rounded for the wire);
    // the rest stay. Both lists are sorted by index.
    for (int64_t a = 0, b = 0; a < k && b < count;) {
      if (localIndices[a] < idx[b]) {
        ++a;
      } else if (idx[b] < localIndices[a]) {
        ++b;
      } else {
        int32_t j = localIndices[a];
        float before = residual[j];
        residual[j] -= localValues[a];
        meter->sent(j, before, residual[j]);
        ++a, ++b;
      }
    }
    meter->endIteration();
    std::fill(grad, grad + bucket.numel, 0.0f);
    kn::scatterAddCpu(idx.data(), val.data(), count, grad);
    float scale = 1.0f / float(size);
    for (int64_t i = 0; i < bucket.numel; ++i)
      grad[i] *= scale;
  }

  std::vector<float>
  reference(const std::vector<std::vector<float>> &inputs) const override {
    int p = int(inputs.size());
    fb::DType dtype = bucket.params.valueDtype;
    std::vector<Selection> at(p);
    for (int r = 0; r < p; ++r) {
      Selection all;
      for (int64_t i = 0; i < bucket.numel; ++i)
        all[int32_t(i)] = inputs[r][i];
      at[r] = topOf(all, k);
      for (auto &[i, v] : at[r])
        v = wireRound(v, dtype);
    }
    for (int step = 1; step < p; step *= 2)
      for (int r = 0; r + step < p; r += 2 * step) {
        Selection both = at[r];
        for (const auto &[i, v] : at[r + step]) {
          auto [it, fresh] = both.emplace(i, v);
          if (!fresh)
            it->second += v;
        }
        at[r] = topOf(both, k);
        for (auto &[i, v] : at[r])
          v = wireRound(v, dtype);
      }
    std::vector<float> out(bucket.numel, 0.0f);
    for (const auto &[i, v] : at[0])
      out[i] = v / float(p);
    return out;
  }

  int64_t kept() const override { return k; }

private:
  int64_t k = 1;
  std::vector<float> residual;
  std::vector<int32_t> localIndices;
  std::vector<float> localValues;
};
} // namespace

std::unique_ptr<Compressor> agtf::runtime::makeGTopKCompressor(BucketInfo info,
                                                               int rank,
                                                               int size,
                                                               uint64_t seed) {
  return std::unique_ptr<Compressor>(
      new GTopKCompressor(std::move(info), rank, size, seed));
}
