//===- EngineTest.cpp - engine and compressors on one rank ----------------===//
//
// The semantics that --check cannot see: error feedback returns every
// gradient element eventually, DGC masks momentum, low-rank factors recover
// a low-rank gradient, buckets run in schedule order whatever the order of
// markReady, and misuse stops the run with a message.
//
//===----------------------------------------------------------------------===//

#include "runtime/Engine.h"
#include "runtime/ScheduleBuilder.h"
#include "runtime/comm/SelfCommunicator.h"

#include "ReferenceHalf.h"
#include "kernels/Random.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace agtf;
using namespace agtf::runtime;

namespace {
/// g rounded to binary16 and back, by the test's own reference.
float roundedToHalf(float g) {
  return static_cast<float>(test::halfValue(test::referenceToHalf(g)));
}

std::shared_ptr<const Schedule> oneBucket(std::vector<int64_t> shape,
                                          CompressionSpec compression) {
  ScheduleSpec spec;
  spec.tensors.push_back({"w", shape});
  BucketSpec bucket;
  bucket.name = "b0";
  bucket.tensorCount = 1;
  bucket.compression = compression;
  bucket.collective = compression.kind == fb::CompressionKind::dense ||
                              compression.kind == fb::CompressionKind::lowrank
                          ? fb::Collective::allreduce
                          : compression.kind == fb::CompressionKind::gtopk
                                ? fb::Collective::gtopk
                                : fb::Collective::allgather;
  spec.buckets.push_back(bucket);
  ScheduleOrError s = readScheduleBuffer(buildSchedule(spec));
  EXPECT_TRUE(s) << s.error;
  return s.schedule;
}

/// Runs `iterations` on one rank; the gradient of iteration i is
/// `grads(i)`. Returns every iteration's result.
std::vector<std::vector<float>>
run(std::shared_ptr<const Schedule> s, int iterations,
    const std::function<std::vector<float>(int)> &grads) {
  SelfCommunicator comm;
  std::string error;
  std::unique_ptr<Engine> engine = Engine::create(s, comm, {}, error);
  EXPECT_TRUE(engine) << error;
  std::vector<std::vector<float>> results;
  for (int i = 0; i < iterations; ++i) {
    engine->beginIteration({i, -1});
    std::vector<float> g = grads(i);
    std::copy(g.begin(), g.end(), engine->gradients());
    engine->markReady(0);
    engine->synchronize();
    results.emplace_back(engine->gradients(),
                         engine->gradients() + engine->numel());
  }
  return results;
}

std::vector<float> heavyTailed(int64_t n, uint64_t seed) {
  std::vector<float> v(n);
  kernels::fillHeavyTailedCpu(v.data(), n, seed, 1.0f);
  return v;
}

CompressionSpec sparse(fb::CompressionKind kind, double density,
                       fb::SelectMethod select = fb::SelectMethod::exact) {
  CompressionSpec c;
  c.kind = kind;
  c.density = density;
  c.select = select;
  return c;
}
} // namespace

// One gradient, then zeros: error feedback sends every element exactly once
// and the results add up to the gradient.
TEST(Engine, ErrorFeedbackReturnsEveryElement) {
  for (CompressionSpec c :
       {sparse(fb::CompressionKind::topk, 0.2),
        sparse(fb::CompressionKind::topk, 0.2, fb::SelectMethod::sampled),
        sparse(fb::CompressionKind::gtopk, 0.2)}) {
    SCOPED_TRACE(fb::EnumNameCompressionKind(c.kind) +
                 std::string(fb::EnumNameSelectMethod(c.select)));
    std::vector<float> g = heavyTailed(50, 7);
    auto results = run(oneBucket({5, 10}, c), 30, [&](int i) {
      return i == 0 ? g : std::vector<float>(50, 0.0f);
    });
    EXPECT_EQ(std::count_if(results[0].begin(), results[0].end(),
                            [](float v) { return v != 0; }),
              10);
    for (int64_t j = 0; j < 50; ++j) {
      float sum = 0;
      int sent = 0;
      for (const auto &r : results) {
        sum += r[j];
        sent += r[j] != 0;
      }
      EXPECT_EQ(sum, g[j]) << "element " << j;
      EXPECT_EQ(sent, 1) << "element " << j;
    }
  }
}

// fp16 values on the wire: the residual keeps what rounding took off, and
// later iterations send it, so the results still add up to the gradient
// (to the rounding of the rounding error).
TEST(Engine, HalfValuesKeepTheirRoundingErrorInTheResidual) {
  CompressionSpec c = sparse(fb::CompressionKind::topk, 0.2);
  c.valueDtype = fb::DType::f16;
  std::vector<float> g = heavyTailed(50, 9);
  auto results = run(oneBucket({5, 10}, c), 30, [&](int i) {
    return i == 0 ? g : std::vector<float>(50, 0.0f);
  });
  int inexact = 0;
  for (int64_t j = 0; j < 50; ++j) {
    float first = 0, sum = 0;
    for (const auto &r : results) {
      if (first == 0)
        first = r[j];
      sum += r[j];
    }
    inexact += first != g[j];
    EXPECT_EQ(first, roundedToHalf(g[j])) << "element " << j;
    EXPECT_NEAR(sum, g[j], 1e-5 * std::fabs(g[j])) << "element " << j;
  }
  EXPECT_GT(inexact, 25); // the rounding error mattered
}

// DGC: v accumulates momentum-corrected gradients; a sent element has its
// momentum masked, so with zero gradients afterwards it is never sent
// again, and what it sends after t iterations is g (1 + m + ... + m^t).
TEST(Engine, DgcMomentumCorrectionAndMasking) {
  CompressionSpec c = sparse(fb::CompressionKind::dgc, 0.1);
  c.momentum = 0.9;
  std::vector<float> g = heavyTailed(100, 3);
  auto results = run(oneBucket({10, 10}, c), 40, [&](int i) {
    return i == 0 ? g : std::vector<float>(100, 0.0f);
  });
  int everSent = 0;
  for (int64_t j = 0; j < 100; ++j) {
    int when = -1, times = 0;
    for (int t = 0; t < 40; ++t)
      if (results[t][j] != 0) {
        when = t;
        ++times;
      }
    EXPECT_LE(times, 1) << "element " << j;
    if (when < 0)
      continue;
    ++everSent;
    double expected = g[j] * (1 - std::pow(0.9, when + 1)) / (1 - 0.9);
    EXPECT_NEAR(results[when][j], expected, 1e-4 * std::fabs(expected));
  }
  EXPECT_GT(everSent, 50);
}

// DGC's density warmup: epoch e < E keeps density^((e+1)/(E+1)).
TEST(Engine, DgcDensityWarmup) {
  EXPECT_DOUBLE_EQ(warmupDensity(0.001, 4, 0), std::pow(0.001, 0.2));
  EXPECT_DOUBLE_EQ(warmupDensity(0.001, 4, 3), std::pow(0.001, 0.8));
  EXPECT_DOUBLE_EQ(warmupDensity(0.001, 4, 4), 0.001);
  EXPECT_DOUBLE_EQ(warmupDensity(0.001, 4, -1), 0.001);
  EXPECT_DOUBLE_EQ(warmupDensity(0.001, 0, 0), 0.001);
}

// A rank-2 gradient: PowerSGD recovers it in one iteration (P spans its
// columns, P P^T M = M); ACP-SGD in two (the P step projects on a random
// row space, the Q step returns the rest through error feedback).
TEST(Engine, LowRankRecoversALowRankGradient) {
  const int64_t n = 8, m = 6;
  std::vector<float> a = heavyTailed(n * 2, 11), b = heavyTailed(2 * m, 12);
  std::vector<float> g(n * m, 0.0f);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < m; ++j)
      g[i * m + j] = a[i * 2] * b[j] + a[i * 2 + 1] * b[m + j];
  for (fb::LowRankMethod method :
       {fb::LowRankMethod::powersgd, fb::LowRankMethod::acp}) {
    SCOPED_TRACE(fb::EnumNameLowRankMethod(method));
    CompressionSpec c;
    c.kind = fb::CompressionKind::lowrank;
    c.rank = 2;
    c.lowRankMethod = method;
    auto results = run(oneBucket({n, m}, c), 2, [&](int i) {
      return i == 0 ? g : std::vector<float>(n * m, 0.0f);
    });
    for (int64_t k = 0; k < n * m; ++k) {
      float got = method == fb::LowRankMethod::powersgd
                      ? results[0][k]
                      : results[0][k] + results[1][k];
      EXPECT_NEAR(got, g[k], 1e-4f * (1 + std::fabs(g[k])));
    }
  }
}

TEST(Engine, DenseHalfRoundsOnce) {
  CompressionSpec c;
  c.valueDtype = fb::DType::f16;
  std::vector<float> g = heavyTailed(64, 5);
  auto results = run(oneBucket({64}, c), 1, [&](int) { return g; });
  for (int64_t j = 0; j < 64; ++j)
    EXPECT_EQ(results[0][j], roundedToHalf(g[j])) << "element " << j;
}

// Buckets run in the order of the collectives in the stream program, not
// in the order their tensors become ready.
TEST(Engine, BucketsRunInScheduleOrder) {
  ScheduleSpec spec;
  for (int i = 0; i < 3; ++i)
    spec.tensors.push_back({"t" + std::to_string(i), {16}});
  for (uint32_t b = 0; b < 3; ++b) {
    BucketSpec bucket;
    bucket.name = "b" + std::to_string(b);
    bucket.firstTensor = b;
    bucket.tensorCount = 1;
    spec.buckets.push_back(bucket);
  }
  for (uint32_t b : {2u, 0u, 1u})
    spec.steps.push_back({fb::StepKind::allreduce, b, 2, {}});
  ScheduleOrError s = readScheduleBuffer(buildSchedule(spec));
  ASSERT_TRUE(s) << s.error;
  SelfCommunicator comm;
  std::string error;
  EngineOptions options;
  options.trace = true;
  auto engine = Engine::create(s.schedule, comm, options, error);
  ASSERT_TRUE(engine) << error;
  engine->beginIteration({0, -1});
  for (uint32_t t : {0u, 1u, 2u})
    engine->markReady(t);
  engine->synchronize();
  const auto &comms = engine->trace().spans(Lane::Comm);
  ASSERT_EQ(comms.size(), 3u);
  EXPECT_EQ(comms[0].name, "comm b2");
  EXPECT_EQ(comms[1].name, "comm b0");
  EXPECT_EQ(comms[2].name, "comm b1");
}

// Sparse buckets index with int32: one past 2^31 - 1 elements is refused
// before anything is allocated, naming the bucket; a dense one is not.
TEST(Engine, SparseBucketsPastInt32IndicesAreRefused) {
  const int64_t tooMany = int64_t(1) << 31;
  for (fb::CompressionKind kind :
       {fb::CompressionKind::topk, fb::CompressionKind::dgc,
        fb::CompressionKind::gtopk}) {
    SCOPED_TRACE(fb::EnumNameCompressionKind(kind));
    auto s = oneBucket({2, tooMany / 2}, sparse(kind, 0.001));
    SelfCommunicator comm;
    std::string error;
    EXPECT_FALSE(Engine::create(s, comm, {}, error));
    EXPECT_NE(error.find("bucket 'b0'"), std::string::npos) << error;
    EXPECT_NE(error.find("2147483648 elements"), std::string::npos) << error;
    EXPECT_NE(error.find("int32"), std::string::npos) << error;
  }
}

TEST(EngineDeathTest, MarkingATensorTwiceStopsTheRun) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  auto s = oneBucket({4, 4}, sparse(fb::CompressionKind::topk, 0.5));
  EXPECT_EXIT(
      {
        SelfCommunicator comm;
        std::string error;
        auto engine = Engine::create(s, comm, {}, error);
        engine->beginIteration({0, -1});
        engine->markReady(0);
        engine->markReady(0);
      },
      testing::ExitedWithCode(1), "tensor 'w' was marked ready twice");
}
