//===- PlanRepair.cpp - a noisy plan made to fit the budget ---------------===//

#include "passes/cost/PlanRepair.h"
#include "passes/cost/TimelineMap.h"

#include <algorithm>

using namespace agtf::cost;

namespace {
/// A stretch between two shared boundaries where the quiet plan is less
/// noisy: the noise it saves and the time it costs when the fast plan takes
/// it over alone.
struct Segment {
  size_t from, to;
  double noiseSaved, timeCost;
};
} // namespace

Partition agtf::cost::repairNoise(
    const CostTable &table,
    const std::function<double(size_t, size_t)> &bucketNoise,
    const Partition &fast, const Partition &quiet, double budget) {
  bool serial = table.getProblem().cluster.timeline == Timeline::Serial;
  size_t n = table.getProblem().tensors.size();
  // The map and the noise of the buckets of `plan` in [from, to), which
  // starts and ends at boundaries of the plan.
  auto mapOf = [&](const Partition &plan, size_t from, size_t to) {
    TimelineMap m = kIdentityMap;
    size_t begin = from;
    for (auto it = std::upper_bound(plan.begin(), plan.end(), from);
         it != plan.end() && *it <= to; begin = *it++)
      m = compose(m, bucketMap(table.bucket(begin, *it),
                               table.backwardUntil(*it), serial));
    return m;
  };
  auto noiseOf = [&](const Partition &plan, size_t from, size_t to) {
    double noise = 0.0;
    size_t begin = from;
    for (auto it = std::upper_bound(plan.begin(), plan.end(), from);
         it != plan.end() && *it <= to; begin = *it++)
      noise += bucketNoise(begin, *it);
    return noise;
  };
  auto timeOf = [&](const TimelineMap &m) {
    double c = commEndAfter(m, 0.0, 0.0);
    return serial ? c : std::max(table.backwardUntil(n), c);
  };
  // The boundaries both plans share, 0 and n among them.
  std::vector<size_t> shared = {0};
  std::set_intersection(fast.begin(), fast.end(), quiet.begin(), quiet.end(),
                        std::back_inserter(shared));
  // The fast plan's maps before and after each shared boundary.
  size_t m = shared.size();
  std::vector<TimelineMap> before(m, kIdentityMap), after(m, kIdentityMap);
  for (size_t s = 1; s < m; ++s)
    before[s] = compose(before[s - 1], mapOf(fast, shared[s - 1], shared[s]));
  for (size_t s = m - 1; s-- > 0;)
    after[s] = compose(mapOf(fast, shared[s], shared[s + 1]), after[s + 1]);
  double fastTime = timeOf(before[m - 1]);
  double noise = noiseOf(fast, 0, n);
  std::vector<Segment> segments;
  for (size_t s = 0; s + 1 < m; ++s) {
    size_t from = shared[s], to = shared[s + 1];
    double saved = noiseOf(fast, from, to) - noiseOf(quiet, from, to);
    if (saved <= 0.0)
      continue;
    TimelineMap swapped =
        compose(compose(before[s], mapOf(quiet, from, to)), after[s + 1]);
    segments.push_back({from, to, saved, timeOf(swapped) - fastTime});
  }
  std::sort(segments.begin(), segments.end(),
            [](const Segment &a, const Segment &b) {
              return a.timeCost * b.noiseSaved < b.timeCost * a.noiseSaved;
            });
  std::vector<char> takeQuiet(n + 1, 0);
  for (const Segment &segment : segments) {
    if (noise <= budget)
      break;
    takeQuiet[segment.to] = 1;
    noise -= segment.noiseSaved;
  }
  // Each segment ends at its own shared boundary: a plan's buckets in
  // [from, to) come from one plan or the other.
  Partition plan;
  size_t s = 0;
  for (size_t end = 1; end <= n; ++end) {
    while (shared[s + 1] < end)
      ++s;
    const Partition &from = takeQuiet[shared[s + 1]] ? quiet : fast;
    if (std::binary_search(from.begin(), from.end(), end))
      plan.push_back(end);
  }
  return plan;
}
