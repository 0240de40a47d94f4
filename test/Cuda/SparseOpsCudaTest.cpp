//===- SparseOpsCudaTest.cpp - CUDA scatter, gather, merge vs CPU ---------===//

#include "DeviceBuffer.h"
#include "Inputs.h"

#include "kernels/Half.h"
#include "kernels/Random.h"
#include "kernels/SparseOps.h"
#include "kernels/TopK.h"

#include <algorithm>
#include <cstring>
#include <numeric>

using namespace agtf;
using namespace agtf::kernels;
using namespace agtf::test;

namespace {

/// `count` distinct increasing indices below n.
std::vector<int32_t> distinctIndices(int64_t n, int64_t count, uint64_t seed) {
  std::vector<int32_t> all(n);
  std::iota(all.begin(), all.end(), 0);
  for (int64_t i = 0; i < count; ++i)
    std::swap(all[i], all[i + randomBits(seed, i) % uint64_t(n - i)]);
  all.resize(count);
  std::sort(all.begin(), all.end());
  return all;
}

void expectBitsEqual(const std::vector<float> &a, const std::vector<float> &b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i)
    ASSERT_EQ(std::memcmp(&a[i], &b[i], 4), 0)
        << "element " << i << ": " << a[i] << " vs " << b[i];
}

TEST(SparseOpsCuda, ScatterZeroGather) {
  AGTF_REQUIRE_CUDA_DEVICE();
  uint64_t seed = freshSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  const int64_t n = 1000003, count = 20011;
  std::vector<float> x = heavyTailed(n, seed);
  std::vector<int32_t> idx = distinctIndices(n, count, seed + 1);
  std::vector<float> vals = heavyTailed(count, seed + 2);
  DeviceBuffer<float> dx(x), dvals(vals), gathered(count);
  DeviceBuffer<int32_t> didx(idx);

  scatterAddCpu(idx.data(), vals.data(), count, x.data());
  scatterAddCuda(didx.get(), dvals.get(), count, dx.get(), nullptr);
  expectBitsEqual(dx.download(), x);

  std::vector<float> expected(count);
  gatherAtCpu(x.data(), idx.data(), count, expected.data());
  gatherAtCuda(dx.get(), didx.get(), count, gathered.get(), nullptr);
  expectBitsEqual(gathered.download(), expected);

  zeroAtCpu(idx.data(), count, x.data());
  zeroAtCuda(didx.get(), count, dx.get(), nullptr);
  expectBitsEqual(dx.download(), x);
}

TEST(SparseOpsCuda, AverageOfGatheredSelections) {
  AGTF_REQUIRE_CUDA_DEVICE();
  uint64_t seed = freshSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  const int64_t n = 200003;
  for (int ranks : {1, 2, 3, 4, 7})
    for (bool half : {false, true}) {
      std::vector<float> expected(n, 0.0f);
      std::vector<std::unique_ptr<DeviceBuffer<int32_t>>> indices;
      std::vector<std::unique_ptr<DeviceBuffer<uint16_t>>> halves;
      std::vector<std::unique_ptr<DeviceBuffer<float>>> floats;
      std::vector<RankSelection> selections;
      for (int r = 0; r < ranks; ++r) {
        // Selections overlap: a tenth of n each, from a fifth of the range.
        int64_t count = n / 10 - r;
        std::vector<int32_t> idx = distinctIndices(n / 5, count, seed + r);
        std::vector<float> vals = heavyTailed(count, seed + 100 + r);
        RankSelection s;
        s.count = count;
        indices.push_back(std::make_unique<DeviceBuffer<int32_t>>(idx));
        s.indices = indices.back()->get();
        if (half) {
          std::vector<uint16_t> h(count);
          floatToHalfCpu(vals.data(), count, h.data());
          halfToFloatCpu(h.data(), count, vals.data());
          halves.push_back(std::make_unique<DeviceBuffer<uint16_t>>(h));
          s.values = halves.back()->get();
        } else {
          floats.push_back(std::make_unique<DeviceBuffer<float>>(vals));
          s.values = floats.back()->get();
        }
        selections.push_back(s);
        scatterAddCpu(idx.data(), vals.data(), count, expected.data());
      }
      float scale = 1.0f / float(ranks);
      for (float &v : expected)
        v *= scale;
      DeviceBuffer<float> out(n);
      DeviceBuffer<uint8_t> scratch(averageSelectionsCudaScratchBytes(n));
      averageSelectionsCuda(selections.data(), ranks,
                            half ? ValueFormat::f16 : ValueFormat::f32,
                            out.get(), n, scale, scratch.get(), nullptr);
      SCOPED_TRACE("ranks " + std::to_string(ranks));
      expectBitsEqual(out.download(), expected);
    }
}

TEST(SparseOpsCuda, MergeTopKMatchesCpu) {
  AGTF_REQUIRE_CUDA_DEVICE();
  uint64_t seed = freshSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  const int64_t capacity = 5000;
  for (int trial = 0; trial < 12; ++trial) {
    int64_t range = trial % 3 == 0 ? 6000 : 100000; // dense overlap or not
    int64_t aCount =
        trial == 1 ? 0 : 1 + int64_t(randomBits(seed, trial) % capacity);
    int64_t bCount = 1 + int64_t(randomBits(seed, trial + 50) % capacity);
    std::vector<int32_t> a = distinctIndices(range, aCount, seed + trial);
    std::vector<int32_t> b = distinctIndices(range, bCount, seed + 99 + trial);
    std::vector<float> av = heavyTailed(aCount, seed + 7 + trial);
    std::vector<float> bv = trial % 4 == 2
                                ? withTies(heavyTailed(bCount, seed), 1.0f)
                                : heavyTailed(bCount, seed + 8 + trial);
    for (int64_t k : {int64_t(1), int64_t(100), capacity, 3 * capacity}) {
      SCOPED_TRACE("trial " + std::to_string(trial) + " k " +
                   std::to_string(k));
      std::vector<int32_t> outIdx(k);
      std::vector<float> outVal(k);
      int64_t count =
          mergeTopKCpu(a.data(), av.data(), aCount, b.data(), bv.data(), bCount,
                       k, outIdx.data(), outVal.data());
      a.resize(capacity);
      b.resize(capacity);
      av.resize(capacity);
      bv.resize(capacity);
      DeviceBuffer<int32_t> da(a), db(b), dIdx(k);
      DeviceBuffer<float> dav(av), dbv(bv), dVal(k);
      DeviceBuffer<int64_t> counts(std::vector<int64_t>{aCount, bCount, -1});
      DeviceBuffer<uint8_t> scratch(mergeTopKCudaScratchBytes(capacity, k));
      mergeTopKCuda(da.get(), dav.get(), counts.get(), db.get(), dbv.get(),
                    counts.get() + 1, capacity, k, dIdx.get(), dVal.get(),
                    counts.get() + 2, scratch.get(), nullptr);
      ASSERT_EQ(cudaGetLastError(), cudaSuccess);
      ASSERT_EQ(counts.download()[2], count);
      std::vector<int32_t> gotIdx = dIdx.download(count);
      outIdx.resize(count);
      outVal.resize(count);
      ASSERT_EQ(gotIdx, outIdx);
      expectBitsEqual(dVal.download(count), outVal);
      a.resize(aCount);
      b.resize(bCount);
      av.resize(aCount);
      bv.resize(bCount);
    }
  }
}

} // namespace
