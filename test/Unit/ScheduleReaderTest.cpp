//===- ScheduleReaderTest.cpp - schedule.bin reader and writer ------------===//

#include "runtime/ScheduleReader.h"
#include "runtime/LayoutHash.h"
#include "runtime/ScheduleBuilder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>

using namespace agtf::runtime;
namespace fb = agtf::fb;

namespace {

/// Four tensors in three buckets (dense, top-k, low rank), a stream program
/// and a predicted timeline.
ScheduleSpec validSpec() {
  ScheduleSpec s;
  s.worldSize = 8;
  s.tensors = {{"fc2.bias", {10}, {}, fb::DType::f32, {}, 3.5},
               {"fc2.weight", {10, 64}, {}, fb::DType::f32, {}, 12},
               {"fc1.bias", {64}, {}, fb::DType::f32, {}, 2},
               {"fc1.weight", {64, 784}, {}, fb::DType::f32, {}, 80}};
  BucketSpec b0{"b0", 0, 2, {}, fb::Collective::allreduce};
  b0.compression.valueDtype = fb::DType::f16;
  BucketSpec b1{"b1", 2, 1, {}, fb::Collective::allgather};
  b1.compression.kind = fb::CompressionKind::topk;
  b1.compression.density = 0.01;
  b1.compression.select = fb::SelectMethod::sampled;
  BucketSpec b2{"b2", 3, 1, {}, fb::Collective::allreduce};
  b2.compression.kind = fb::CompressionKind::lowrank;
  b2.compression.rank = 4;
  b2.compression.lowRankMethod = fb::LowRankMethod::powersgd;
  s.buckets = {b0, b1, b2};
  s.steps = {{fb::StepKind::pack, 0, 0, {}},
             {fb::StepKind::allreduce, 0, 1, {0}},
             {fb::StepKind::unpack, 0, 0, {1}},
             {fb::StepKind::compress, 1, 0, {}},
             {fb::StepKind::allgather, 1, 1, {3, 1}},
             {fb::StepKind::decompress, 1, 0, {4}},
             {fb::StepKind::residual_update, 1, 0, {3}},
             {fb::StepKind::compress, 2, 0, {}},
             {fb::StepKind::allreduce, 2, 1, {7, 4}},
             {fb::StepKind::decompress, 2, 0, {8}},
             {fb::StepKind::unpack, 2, 0, {9}}};
  s.timeline =
      TimelineSpec{{{3, 5, 50}, {20, 50, 90}, {100, 100, 140}}, 150, 40, 0.02};
  return s;
}

std::string errorOf(const ScheduleSpec &spec) {
  ScheduleOrError r = readScheduleBuffer(buildSchedule(spec));
  EXPECT_FALSE(r) << "expected an error";
  return r.error;
}

std::vector<uint8_t> bytesOf(const std::string &text) {
  return std::vector<uint8_t>(text.begin(), text.end());
}

/// FNV-1a 64 of `text`, from its definition (docs/schedule-format.md).
uint64_t fnv1a64(const std::string &text) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ull;
  }
  return h;
}

} // namespace

TEST(LayoutHash, IsFnv1aOverNamesAndShapes) {
  // FNV-1a 64 of the empty string is the offset basis.
  EXPECT_EQ(layoutHash({}, {}), 0xcbf29ce484222325ull);
  // FNV-1a 64 of "a:;" (a scalar named "a").
  EXPECT_EQ(layoutHash({"a"}, {{}}), fnv1a64("a:;"));
  // "name:d0,d1,...;" per tensor, in order, dimensions in decimal.
  EXPECT_EQ(layoutHash({"a", "bc"}, {{2, 3}, {40}}), fnv1a64("a:2,3;bc:40;"));
  // Order, names and shapes all matter.
  uint64_t ab = layoutHash({"a", "b"}, {{2, 3}, {4}});
  EXPECT_NE(ab, layoutHash({"b", "a"}, {{4}, {2, 3}}));
  EXPECT_NE(ab, layoutHash({"a", "b"}, {{3, 2}, {4}}));
  EXPECT_NE(ab, layoutHash({"a", "b"}, {{23}, {4}}));
  EXPECT_NE(ab, layoutHash({"a", "c"}, {{2, 3}, {4}}));
  EXPECT_EQ(ab, layoutHash({"a", "b"}, {{2, 3}, {4}}));
}

TEST(ScheduleReader, ValidScheduleRoundTrips) {
  ScheduleSpec spec = validSpec();
  ScheduleOrError r = readScheduleBuffer(buildSchedule(spec));
  ASSERT_TRUE(r) << r.error;
  const fb::Schedule &s = r.schedule->root();
  EXPECT_EQ(s.format_version(), kScheduleFormatVersion);
  EXPECT_EQ(s.producer_version()->str(), "agtf 0.1.0");
  EXPECT_EQ(s.world_size(), 8u);
  // The layout string of docs/schedule-format.md for validSpec's tensors.
  EXPECT_EQ(s.layout_hash(), fnv1a64("fc2.bias:10;fc2.weight:10,64;fc1.bias:64;"
                                     "fc1.weight:64,784;"));
  ASSERT_EQ(s.tensors()->size(), 4u);
  EXPECT_EQ(s.tensors()->Get(1)->name()->str(), "fc2.weight");
  EXPECT_EQ(s.tensors()->Get(1)->numel(), 640);
  EXPECT_EQ(s.tensors()->Get(3)->offset(), 10 + 640 + 64);
  EXPECT_EQ(s.tensors()->Get(3)->backward_us(), 80);
  ASSERT_EQ(s.buckets()->size(), 3u);
  EXPECT_EQ(s.buckets()->Get(0)->compression()->value_dtype(), fb::DType::f16);
  const fb::Compression *c1 = s.buckets()->Get(1)->compression();
  EXPECT_EQ(c1->kind(), fb::CompressionKind::topk);
  EXPECT_EQ(c1->density(), 0.01);
  EXPECT_EQ(c1->select(), fb::SelectMethod::sampled);
  EXPECT_EQ(s.buckets()->Get(1)->collective(), fb::Collective::allgather);
  const fb::Compression *c2 = s.buckets()->Get(2)->compression();
  EXPECT_EQ(c2->rank(), 4);
  EXPECT_EQ(c2->lowrank_method(), fb::LowRankMethod::powersgd);
  ASSERT_EQ(s.steps()->size(), 11u);
  EXPECT_EQ(s.steps()->Get(4)->kind(), fb::StepKind::allgather);
  EXPECT_EQ(s.steps()->Get(4)->stream(), 1u);
  EXPECT_EQ(s.steps()->Get(4)->deps()->size(), 2u);
  EXPECT_EQ(s.cost_model()->collectives()->size(), 3u);
  EXPECT_EQ(s.cost_model()->sparsify_us(), 20);
  EXPECT_EQ(s.cost_model()->timeline(), fb::TimelineKind::serial);
  ASSERT_NE(s.timeline(), nullptr);
  EXPECT_EQ(s.timeline()->buckets()->Get(1)->start_us(), 50);
  EXPECT_EQ(s.timeline()->iteration_us(), 150);
  EXPECT_EQ(s.timeline()->exposed_comm_us(), 40);
  EXPECT_EQ(s.timeline()->noise(), 0.02);
}

TEST(ScheduleReader, ReadsFiles) {
  std::string path = ::testing::TempDir() + "agtf-schedule-test.bin";
  std::vector<uint8_t> bytes = buildSchedule(validSpec());
  {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char *>(bytes.data()), bytes.size());
  }
  ScheduleOrError r = readSchedule(path);
  ASSERT_TRUE(r) << r.error;
  EXPECT_EQ(r.schedule->bytes(), bytes);
  std::remove(path.c_str());

  r = readSchedule(path);
  EXPECT_FALSE(r);
  EXPECT_EQ(r.error,
            "cannot read schedule '" + path + "': No such file or directory");

  { std::ofstream out(path); }
  r = readSchedule(path);
  EXPECT_EQ(r.error, path + ": not an AGTF schedule (no 'AGTF' file "
                            "identifier)");
  std::remove(path.c_str());
}

TEST(ScheduleReader, RejectsOtherFormats) {
  const char *texts[] = {"{\"format_version\": 1, \"tensors\": []}\n",
                         "module {\n  func.func @f() { return }\n}\n",
                         "#gcomm.topk<density = 0.001>", ""};
  for (const char *text : texts) {
    ScheduleOrError r = readScheduleBuffer(bytesOf(text));
    EXPECT_FALSE(r) << text;
    EXPECT_EQ(r.error, "not an AGTF schedule (no 'AGTF' file identifier)");
  }
}

TEST(ScheduleReader, RejectsNewerFormatVersion) {
  ScheduleSpec spec = validSpec();
  spec.formatVersion = 2;
  EXPECT_EQ(errorOf(spec),
            "schedule format version 2 is newer than this agtf-run supports "
            "(1)");
  spec.formatVersion = 0;
  EXPECT_EQ(errorOf(spec), "schedule format version 0 is not valid");
}

TEST(ScheduleReader, SemanticRules) {
  struct Case {
    const char *what;
    void (*mutate)(ScheduleSpec &);
    const char *error;
  };
  const Case cases[] = {
      {"world size", [](ScheduleSpec &s) { s.worldSize = 0; },
       "world size must be >= 1"},
      {"no tensors",
       [](ScheduleSpec &s) {
         s.tensors.clear();
         s.buckets.clear();
       },
       "schedule has no tensors"},
      {"empty name", [](ScheduleSpec &s) { s.tensors[0].name = ""; },
       "tensor 0 has an empty name"},
      {"duplicate name",
       [](ScheduleSpec &s) { s.tensors[2].name = "fc2.bias"; },
       "tensor 2 'fc2.bias': duplicate name"},
      {"numel", [](ScheduleSpec &s) { s.tensors[1].numel = 641; },
       "tensor 1 'fc2.weight': numel 641 is not the product of its shape "
       "(640)"},
      {"zero dim",
       [](ScheduleSpec &s) {
         s.tensors[1].shape = {10, 0};
       },
       "tensor 1 'fc2.weight': dimension 1 is 0 (must be >= 1, numel at "
       "most 2^48)"},
      {"numel overflow",
       [](ScheduleSpec &s) {
         s.tensors[1].shape = {int64_t(1) << 32, int64_t(1) << 32};
       },
       "tensor 1 'fc2.weight': dimension 1 is 4294967296 (must be >= 1, "
       "numel at most 2^48)"},
      {"gap", [](ScheduleSpec &s) { s.tensors[2].offset = 651; },
       "tensor 2 'fc1.bias': offset 651 should be 650 (tensors are "
       "contiguous in the flat gradient buffer)"},
      {"first offset", [](ScheduleSpec &s) { s.tensors[0].offset = 4; },
       "tensor 0 'fc2.bias': offset 4 should be 0 (tensors are contiguous "
       "in the flat gradient buffer)"},
      {"dtype", [](ScheduleSpec &s) { s.tensors[0].dtype = fb::DType::int32; },
       "tensor 0 'fc2.bias': dtype must be f32, f16 or bf16"},
      {"backward time", [](ScheduleSpec &s) { s.tensors[0].backwardUs = -1; },
       "tensor 0 'fc2.bias': backward_us -1 must be finite, >= 0 and at most "
       "an hour (3.6e9 us)"},
      // The replay would wait for days.
      {"backward time of days",
       [](ScheduleSpec &s) { s.tensors[0].backwardUs = 1e12; },
       "tensor 0 'fc2.bias': backward_us 1e+12 must be finite, >= 0 and at "
       "most an hour (3.6e9 us)"},
      {"backward time nan",
       [](ScheduleSpec &s) { s.tensors[0].backwardUs = std::nan(""); },
       "tensor 0 'fc2.bias': backward_us nan must be finite"},
      {"layout hash", [](ScheduleSpec &s) { s.layoutHash = 0x1234; },
       "layout hash 0x1234 does not match the tensors"},
      {"no buckets", [](ScheduleSpec &s) { s.buckets.clear(); },
       "schedule has no buckets"},
      // Found by scripts/fuzz-schedule.sh: readers look every collective
      // up and name every bucket.
      {"no collective costs",
       [](ScheduleSpec &s) { s.costModel->collectives.clear(); },
       "cost model must give allreduce, allgather and gtopk once each"},
      {"collective cost twice",
       [](ScheduleSpec &s) {
         s.costModel->collectives[2].collective = fb::Collective::allgather;
       },
       "cost model must give allreduce, allgather and gtopk once each"},
      {"negative bucket_us",
       [](ScheduleSpec &s) { s.costModel->bucketUs = -1; },
       "cost model: bad bucket_us"},
      {"unknown curve",
       [](ScheduleSpec &s) {
         s.costModel->curves.push_back({"broadcast", {8}, {1}});
       },
       "cost model: unknown curve 'broadcast'"},
      {"curve lengths",
       [](ScheduleSpec &s) {
         s.costModel->curves.push_back({"compress", {10, 100}, {1}});
       },
       "cost model: curve 'compress' needs as many times as sizes, at least "
       "one"},
      {"curve order",
       [](ScheduleSpec &s) {
         s.costModel->curves.push_back({"allreduce", {100, 10}, {1, 2}});
       },
       "cost model: curve 'allreduce' must have sizes > 0 in increasing "
       "order and times > 0"},
      {"curve time",
       [](ScheduleSpec &s) {
         s.costModel->curves.push_back({"decompress", {10}, {0}});
       },
       "cost model: curve 'decompress' must have sizes > 0 in increasing "
       "order and times > 0"},
      {"unnamed bucket", [](ScheduleSpec &s) { s.buckets[1].name = ""; },
       "bucket 1 has no name"},
      {"bucket name twice", [](ScheduleSpec &s) { s.buckets[1].name = "b0"; },
       "bucket 1 'b0': name used twice"},
      {"empty bucket",
       [](ScheduleSpec &s) {
         s.buckets.insert(s.buckets.begin() + 1, BucketSpec{"e", 2, 0});
       },
       "bucket 1 'e': has no tensors"},
      {"overlap", [](ScheduleSpec &s) { s.buckets[1].firstTensor = 1; },
       "bucket 1 'b1': starts at tensor 1, expected 2 (buckets are "
       "contiguous runs of tensors in order)"},
      {"past end", [](ScheduleSpec &s) { s.buckets[2].tensorCount = 2; },
       "bucket 2 'b2': runs past the last tensor (5 > 4)"},
      {"uncovered",
       [](ScheduleSpec &s) {
         s.buckets.pop_back();
         s.timeline.reset();
         s.steps.clear();
       },
       "buckets cover 3 of 4 tensors"},
      {"density zero",
       [](ScheduleSpec &s) { s.buckets[1].compression.density = 0; },
       "bucket 1 'b1': density must be in (0, 1], got 0"},
      {"density above one",
       [](ScheduleSpec &s) { s.buckets[1].compression.density = 1.5; },
       "bucket 1 'b1': density must be in (0, 1], got 1.5"},
      {"rank", [](ScheduleSpec &s) { s.buckets[2].compression.rank = 0; },
       "bucket 2 'b2': rank must be >= 1, got 0"},
      {"topk on allreduce",
       [](ScheduleSpec &s) {
         s.buckets[1].collective = fb::Collective::allreduce;
       },
       "bucket 1 'b1': topk cannot use collective allreduce"},
      {"dense on gtopk",
       [](ScheduleSpec &s) { s.buckets[0].collective = fb::Collective::gtopk; },
       "bucket 0 'b0': dense cannot use collective gtopk"},
      {"gtopk on allgather",
       [](ScheduleSpec &s) {
         s.buckets[1].compression.kind = fb::CompressionKind::gtopk;
       },
       "bucket 1 'b1': gtopk cannot use collective allgather"},
      {"dgc momentum",
       [](ScheduleSpec &s) {
         s.buckets[1].compression.kind = fb::CompressionKind::dgc;
         s.buckets[1].compression.momentum = 1.0;
       },
       "bucket 1 'b1': momentum must be in [0, 1), got 1"},
      {"dgc warmup",
       [](ScheduleSpec &s) {
         s.buckets[1].compression.kind = fb::CompressionKind::dgc;
         s.buckets[1].compression.warmupEpochs = -1;
       },
       "bucket 1 'b1': warmup epochs must be >= 0, got -1"},
      {"index dtype",
       [](ScheduleSpec &s) {
         s.buckets[1].compression.indexDtype = fb::DType::f32;
       },
       "bucket 1 'b1': index dtype must be int32"},
      {"value dtype",
       [](ScheduleSpec &s) {
         s.buckets[0].compression.valueDtype = fb::DType::int32;
       },
       "bucket 0 'b0': value dtype must be f32, f16 or bf16"},
      {"unknown kind",
       [](ScheduleSpec &s) {
         s.buckets[0].compression.kind = static_cast<fb::CompressionKind>(9);
       },
       "bucket 0 'b0': unknown compression kind 9"},
      {"step bucket", [](ScheduleSpec &s) { s.steps[2].bucket = 3; },
       "step 2: bucket 3 out of range (3 buckets)"},
      {"self dependency", [](ScheduleSpec &s) { s.steps[2].deps = {2}; },
       "step 2: depends on step 2, which is not an earlier step"},
      {"forward dependency", [](ScheduleSpec &s) { s.steps[0].deps = {5}; },
       "step 0: depends on step 5, which is not an earlier step"},
      {"step kind",
       [](ScheduleSpec &s) { s.steps[0].kind = static_cast<fb::StepKind>(8); },
       "step 0: unknown op kind 8"},
      {"no cost model", [](ScheduleSpec &s) { s.costModel.reset(); },
       "schedule has no cost model"},
      {"timeline size", [](ScheduleSpec &s) { s.timeline->buckets.pop_back(); },
       "predicted timeline has 2 entries for 3 buckets"},
      // The JSON printers would write nan or inf, which is not JSON.
      {"timeline nan",
       [](ScheduleSpec &s) { s.timeline->buckets[1].endUs = std::nan(""); },
       "predicted timeline: bucket 1's times must be finite and >= 0"},
      {"timeline infinite",
       [](ScheduleSpec &s) { s.timeline->iterationUs = INFINITY; },
       "predicted timeline: iteration_us, exposed_comm_us and noise must be "
       "finite and >= 0"},
      {"timeline negative", [](ScheduleSpec &s) { s.timeline->noise = -1; },
       "predicted timeline: iteration_us, exposed_comm_us and noise must be "
       "finite and >= 0"},
      {"timeline forward of days",
       [](ScheduleSpec &s) { s.timeline->forwardUs = 1e12; },
       "predicted timeline: forward_us, backward_us and update_us must be "
       "finite, >= 0 and at most an hour (3.6e9 us)"},
      // A stream program communicates every bucket exactly once, by the
      // bucket's own collective.
      {"bucket communicated twice",
       [](ScheduleSpec &s) {
         s.steps.push_back({fb::StepKind::allreduce, 0, 1, {}});
       },
       "step 11: communicates bucket 0 a second time (each bucket has one "
       "collective step)"},
      {"bucket never communicated",
       [](ScheduleSpec &s) { s.steps[8].kind = fb::StepKind::pack; },
       "steps never communicate bucket 2 (each bucket has one collective "
       "step)"},
      {"twice and never", [](ScheduleSpec &s) { s.steps[8].bucket = 0; },
       "step 8: communicates bucket 0 a second time"},
      {"step of another collective",
       [](ScheduleSpec &s) { s.steps[4].kind = fb::StepKind::gtopk_reduce; },
       "step 4: communicates bucket 1 by gtopk, but the bucket is carried by "
       "allgather"},
  };
  for (const Case &c : cases) {
    ScheduleSpec spec = validSpec();
    c.mutate(spec);
    std::string error = errorOf(spec);
    EXPECT_EQ(error.rfind(std::string("invalid schedule: ") + c.error, 0), 0u)
        << c.what << ": got '" << error << "'";
  }
}

TEST(ScheduleReader, OptionalPartsMayBeAbsent) {
  ScheduleSpec spec = validSpec();
  spec.steps.clear();
  spec.timeline.reset();
  ScheduleOrError r = readScheduleBuffer(buildSchedule(spec));
  ASSERT_TRUE(r) << r.error;
  EXPECT_EQ(r.schedule->root().timeline(), nullptr);
}

// Every outcome of the reader on damaged input is an error or a schedule
// that passed every check; nothing crashes (run under ASan/UBSan to see).
static void expectErrorOrValid(const std::vector<uint8_t> &bytes) {
  ScheduleOrError r = readScheduleBuffer(bytes);
  if (r)
    EXPECT_EQ(checkSchedule(r.schedule->root()), "");
  else
    EXPECT_FALSE(r.error.empty());
}

TEST(ScheduleReaderFuzz, EveryTruncation) {
  std::vector<uint8_t> bytes = buildSchedule(validSpec());
  for (size_t n = 0; n < bytes.size(); ++n) {
    std::vector<uint8_t> prefix(bytes.begin(), bytes.begin() + n);
    ScheduleOrError r = readScheduleBuffer(prefix);
    EXPECT_FALSE(r) << "prefix of " << n << " of " << bytes.size()
                    << " bytes accepted";
  }
}

TEST(ScheduleReaderFuzz, RandomBitFlips) {
  std::vector<uint8_t> bytes = buildSchedule(validSpec());
  std::mt19937_64 rng(20261123);
  int accepted = 0;
  for (int i = 0; i < 5000; ++i) {
    std::vector<uint8_t> copy = bytes;
    int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; ++f)
      copy[rng() % copy.size()] ^= static_cast<uint8_t>(1u << (rng() % 8));
    ScheduleOrError r = readScheduleBuffer(copy);
    accepted += static_cast<bool>(r);
    expectErrorOrValid(copy);
  }
  // Flips in padding, doubles and timeline values are harmless.
  EXPECT_LT(accepted, 5000);
}

TEST(ScheduleReaderFuzz, RandomBytes) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 2000; ++i) {
    std::vector<uint8_t> bytes(rng() % 512);
    for (uint8_t &b : bytes)
      b = static_cast<uint8_t>(rng());
    // Half of them carry the identifier so that the verifier is exercised.
    if (i % 2 == 0 && bytes.size() >= 8)
      std::copy_n("AGTF", 4, bytes.begin() + 4);
    expectErrorOrValid(bytes);
  }
}
