//===- TimelineMapTest.cpp - buckets as max-plus maps of the timeline -----===//

#include "passes/cost/TimelineMap.h"
#include "RandomProblem.h"
#include "ReferenceModel.h"

#include <gtest/gtest.h>

using namespace agtf;
using namespace agtf::cost;
using namespace agtf::test;

namespace {

TEST(TimelineMap, ComposedBucketsGiveTheTimeline) {
  std::mt19937 rng(41);
  for (const Problem &problem : randomProblems(42, 200, 30, false)) {
    size_t n = problem.tensors.size();
    bool serial = problem.cluster.timeline == Timeline::Serial;
    CostTable table(problem);
    // A random plan, its buckets applied one at a time and composed.
    TimelineMap composed = kIdentityMap;
    double clock = 0.0, commEnd = 0.0;
    Partition plan;
    for (size_t begin = 0; begin < n;) {
      size_t end = std::min(n, begin + 1 + rng() % 4);
      TimelineMap step =
          bucketMap(table.bucket(begin, end), table.backwardUntil(end), serial);
      commEnd = commEndAfter(step, clock, commEnd);
      clock = clockAfter(step, clock);
      composed = compose(composed, step);
      plan.push_back(end);
      begin = end;
    }
    double tail = commEndAfter(composed, 0.0, 0.0);
    EXPECT_NEAR(tail, commEnd, 1e-12 * commEnd);
    if (!serial)
      tail = std::max(tail, table.backwardUntil(n));
    double want = referenceIterUs(problem, plan);
    EXPECT_NEAR(problem.forwardUs + tail + problem.updateUs, want,
                1e-12 * want);
  }
}

} // namespace
