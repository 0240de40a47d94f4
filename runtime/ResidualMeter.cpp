//===- ResidualMeter.cpp - the gradient energy a selection leaves ---------===//

#include "runtime/ResidualMeter.h"

#include <algorithm>

using namespace agtf::runtime;

ResidualMeter::ResidualMeter(std::vector<int64_t> memberNumel)
    : numel(std::move(memberNumel)) {
  int64_t at = 0;
  for (int64_t n : numel) {
    start.push_back(at);
    at += n;
  }
  accumulated.assign(numel.size(), 0.0);
  left.assign(numel.size(), 0.0);
  memberSum.assign(numel.size(), 0.0);
}

void ResidualMeter::accumulate(float *acc, const float *add) {
  // Eight partial sums, so that the compiler can keep the loop in vector
  // registers without reordering one sum.
  constexpr int kLanes = 8;
  for (size_t m = 0; m < numel.size(); ++m) {
    float *a = acc + start[m];
    const float *g = add + start[m];
    int64_t n = numel[m], body = n / kLanes * kLanes;
    double lane[kLanes] = {};
    for (int64_t i = 0; i < body; i += kLanes)
      for (int l = 0; l < kLanes; ++l) {
        a[i + l] += g[i + l];
        lane[l] += double(a[i + l]) * double(a[i + l]);
      }
    double e = 0;
    for (int64_t i = body; i < n; ++i) {
      a[i] += g[i];
      e += double(a[i]) * double(a[i]);
    }
    for (double v : lane)
      e += v;
    accumulated[m] = left[m] = e;
  }
}

void ResidualMeter::sent(int64_t index, float before, float after) {
  size_t m = size_t(std::upper_bound(start.begin(), start.end(), index) -
                    start.begin()) -
             1;
  left[m] -= double(before) * double(before) - double(after) * double(after);
}

void ResidualMeter::endIteration() {
  double acc = 0, rest = 0;
  for (size_t m = 0; m < numel.size(); ++m) {
    // The difference of sums can round below 0 when (almost) all is sent.
    double l = std::clamp(left[m], 0.0, accumulated[m]);
    memberSum[m] += accumulated[m] > 0 ? l / accumulated[m] : 0.0;
    acc += accumulated[m];
    rest += l;
  }
  lastBucket = acc > 0 ? rest / acc : 0.0;
  bucketSum += lastBucket;
  ++count;
}

void ResidualMeter::restart() {
  std::fill(memberSum.begin(), memberSum.end(), 0.0);
  bucketSum = 0;
  count = 0;
}

double ResidualMeter::meanBucketRatio() const {
  return count ? bucketSum / double(count) : 0.0;
}

double ResidualMeter::meanMemberRatio(size_t member) const {
  return count ? memberSum[member] / double(count) : 0.0;
}
