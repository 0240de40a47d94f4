//===- ResidualMeterTest.cpp - the measured residual on known gradients ---===//
//
// What agtf-run reports as the residual a bucket leaves (docs/runtime.md,
// "Measured residual"): on gradients small enough to work out by hand, the
// energy not sent over the energy accumulated, per member and over the
// bucket, averaged over iterations; its trace counter; and the report's
// figures, with dense buckets at 0.
//
//===----------------------------------------------------------------------===//

#include "runtime/ResidualMeter.h"
#include "runtime/Engine.h"
#include "runtime/ResidualReport.h"
#include "runtime/ScheduleBuilder.h"
#include "runtime/comm/SelfCommunicator.h"

#include <gtest/gtest.h>

#include <numeric>

using namespace agtf;
using namespace agtf::runtime;

namespace {
double energy(const std::vector<float> &v) {
  double e = 0;
  for (float x : v)
    e += double(x) * double(x);
  return e;
}

/// Tensors a and b (4 elements each) in bucket b0 of `kind`, then c (dense)
/// in bucket b1.
std::shared_ptr<const Schedule> twoBuckets(fb::CompressionKind kind) {
  ScheduleSpec spec;
  spec.tensors = {{"a", {4}}, {"b", {2, 2}}, {"c", {3}}};
  BucketSpec sparse;
  sparse.name = "b0";
  sparse.tensorCount = 2;
  sparse.compression.kind = kind;
  sparse.compression.density = 0.25; // k = 2 of 8
  sparse.collective = kind == fb::CompressionKind::gtopk
                          ? fb::Collective::gtopk
                          : fb::Collective::allgather;
  BucketSpec dense;
  dense.name = "b1";
  dense.firstTensor = 2;
  dense.tensorCount = 1;
  spec.buckets = {sparse, dense};
  ScheduleOrError s = readScheduleBuffer(buildSchedule(spec));
  EXPECT_TRUE(s) << s.error;
  return s.schedule;
}

const std::vector<float> kA = {3.0f, -4.0f, 0.5f, 1.0f};
const std::vector<float> kB = {0.25f, 2.0f, -0.1f, 0.0f};
const std::vector<float> kC = {1.0f, 2.0f, 3.0f};

/// Two iterations on one rank: the gradients above, then zeros.
std::unique_ptr<Engine> runTwice(fb::CompressionKind kind,
                                 SelfCommunicator &comm) {
  EngineOptions options;
  options.trace = true;
  std::string error;
  std::unique_ptr<Engine> engine =
      Engine::create(twoBuckets(kind), comm, options, error);
  EXPECT_TRUE(engine) << error;
  for (int i = 0; i < 2; ++i) {
    engine->beginIteration({i, -1});
    float *g = engine->gradients();
    std::fill(g, g + engine->numel(), 0.0f);
    if (i == 0) {
      std::copy(kA.begin(), kA.end(), g);
      std::copy(kB.begin(), kB.end(), g + 4);
      std::copy(kC.begin(), kC.end(), g + 8);
    }
    for (uint32_t t = 0; t < 3; ++t)
      engine->markReady(t);
    engine->synchronize();
  }
  return engine;
}
} // namespace

// The meter alone: accumulate forms the same sums the compressor did, and
// the ratios are the energies left over the energies accumulated.
TEST(ResidualMeter, RatiosOfAKnownSelection) {
  ResidualMeter meter({2, 3});
  std::vector<float> acc = {1.0f, 0.0f, 0.0f, 2.0f, 0.0f};
  std::vector<float> g = {2.0f, 1.0f, -2.0f, 0.0f, 1.0f};
  meter.accumulate(acc.data(), g.data());
  EXPECT_EQ(acc, (std::vector<float>{3.0f, 1.0f, -2.0f, 2.0f, 1.0f}));
  // Send 3 whole and half of -2: member 0 keeps 1 of 10, member 1 keeps
  // 1 + 4 + 1 of 9.
  meter.sent(0, 3.0f, 0.0f);
  meter.sent(2, -2.0f, -1.0f);
  meter.endIteration();
  EXPECT_DOUBLE_EQ(meter.meanMemberRatio(0), 1.0 / 10.0);
  EXPECT_DOUBLE_EQ(meter.meanMemberRatio(1), 6.0 / 9.0);
  EXPECT_DOUBLE_EQ(meter.meanBucketRatio(), 7.0 / 19.0);
  EXPECT_DOUBLE_EQ(meter.lastBucketRatio(), 7.0 / 19.0);
  // Nothing accumulated: nothing lost.
  std::vector<float> zero(5, 0.0f);
  std::fill(acc.begin(), acc.end(), 0.0f);
  meter.accumulate(acc.data(), zero.data());
  meter.endIteration();
  EXPECT_EQ(meter.iterations(), 2);
  EXPECT_DOUBLE_EQ(meter.meanBucketRatio(), 7.0 / 19.0 / 2.0);
  meter.restart();
  EXPECT_EQ(meter.iterations(), 0);
  EXPECT_EQ(meter.meanBucketRatio(), 0.0);
}

// Exact top-k and gTop-k on one rank keep 3 and -4 first, then, with the
// residual alone, 2 and 1. Each ratio is worked out from the floats.
TEST(ResidualMeter, TopKBucketOnKnownGradients) {
  for (fb::CompressionKind kind :
       {fb::CompressionKind::topk, fb::CompressionKind::gtopk}) {
    SCOPED_TRACE(fb::EnumNameCompressionKind(kind));
    SelfCommunicator comm;
    std::unique_ptr<Engine> engine = runTwice(kind, comm);
    // Iteration 1: a leaves {0.5, 1}, b all of itself.
    double a1 = energy(kA), b1 = energy(kB);
    double aLeft1 = energy({0.5f, 1.0f}), bLeft1 = b1;
    // Iteration 2 accumulates exactly that; 2 (in b) and 1 (in a) go.
    double aLeft2 = energy({0.5f}), bLeft2 = energy({0.25f, -0.1f});
    double a2 = aLeft1, b2 = bLeft1;
    double bucket1 = (aLeft1 + bLeft1) / (a1 + b1);
    double bucket2 = (aLeft2 + bLeft2) / (a2 + b2);

    const ResidualMeter *meter = engine->compressors()[0]->residualMeter();
    ASSERT_NE(meter, nullptr);
    EXPECT_EQ(meter->iterations(), 2);
    EXPECT_NEAR(meter->lastBucketRatio(), bucket2, 1e-12);
    EXPECT_NEAR(meter->meanBucketRatio(), (bucket1 + bucket2) / 2, 1e-12);
    EXPECT_NEAR(meter->meanMemberRatio(0), (aLeft1 / a1 + aLeft2 / a2) / 2,
                1e-12);
    EXPECT_NEAR(meter->meanMemberRatio(1), (bLeft1 / b1 + bLeft2 / b2) / 2,
                1e-12);
    EXPECT_EQ(engine->compressors()[1]->residualMeter(), nullptr);

    // One counter per sparse bucket and iteration, at the comm span's end.
    const auto &counters = engine->trace().counterValues();
    ASSERT_EQ(counters.size(), 2u);
    EXPECT_EQ(counters[0].name, "residual b0");
    EXPECT_EQ(counters[0].key, "relative_residual");
    EXPECT_NEAR(counters[0].value, bucket1, 1e-12);
    EXPECT_NEAR(counters[1].value, bucket2, 1e-12);

    ResidualReport report = gatherResidualReport(engine->compressors(), comm);
    EXPECT_EQ(report.iterations, 2);
    ASSERT_EQ(report.buckets.size(), 2u);
    const BucketResidual &b0 = report.buckets[0], &dense = report.buckets[1];
    ASSERT_TRUE(b0.ratio && b0.memberSum);
    EXPECT_NEAR(*b0.ratio, (bucket1 + bucket2) / 2, 1e-12);
    EXPECT_EQ(b0.ratioPerRank.size(), 1u);
    EXPECT_EQ(b0.members, (std::vector<std::string>{"a", "b"}));
    EXPECT_NEAR(*b0.memberSum,
                meter->meanMemberRatio(0) + meter->meanMemberRatio(1), 1e-12);
    ASSERT_TRUE(dense.ratio && dense.memberSum);
    EXPECT_EQ(*dense.ratio, 0.0);
    EXPECT_EQ(*dense.memberSum, 0.0);
    EXPECT_NEAR(report.measuredNoise, *b0.memberSum, 1e-12);
    EXPECT_EQ(report.unmeasuredSparse, 0);

    Json json = residualJson(report, 1.5);
    EXPECT_EQ(json["predicted_noise"], 1.5);
    EXPECT_EQ(json["buckets"][1]["relative_residual"], 0.0);
    EXPECT_EQ(json["buckets"][0]["members"][1]["tensor"], "b");
  }
}

// The replay's warmup: a restart forgets what came before.
TEST(ResidualMeter, RestartForgetsEarlierIterations) {
  SelfCommunicator comm;
  std::unique_ptr<Engine> engine = runTwice(fb::CompressionKind::topk, comm);
  engine->restartResidualMeasurement();
  ResidualReport report = gatherResidualReport(engine->compressors(), comm);
  EXPECT_EQ(report.iterations, 0);
  EXPECT_EQ(*report.buckets[0].ratio, 0.0);
}
