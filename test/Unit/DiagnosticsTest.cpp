//===- DiagnosticsTest.cpp - the runtime's messages name no tool ----------===//
//
// The runtime library says what failed and on which rank; only the program
// that embeds it adds a name (agtf-run, agtf-profile, or none in a user's
// program).
//
//===----------------------------------------------------------------------===//

#include "runtime/Diagnostics.h"
#include "runtime/Engine.h"
#include "runtime/ScheduleBuilder.h"
#include "runtime/comm/SelfCommunicator.h"

#include <gtest/gtest.h>

using namespace agtf;
using namespace agtf::runtime;

namespace {
std::string reported(int rank, const std::string &message) {
  testing::internal::CaptureStderr();
  reportError(rank, message);
  return testing::internal::GetCapturedStderr();
}
} // namespace

TEST(Diagnostics, TheProgramAddsItsNameTheLibraryOnlyTheRank) {
  setProgramName("");
  EXPECT_EQ(reported(3, "MPI_Allreduce failed"),
            "rank 3: MPI_Allreduce failed\n");
  EXPECT_EQ(reported(-1, "no device"), "no device\n");
  setProgramName("my-trainer");
  EXPECT_EQ(reported(0, "x"), "my-trainer: rank 0: x\n");
  EXPECT_EQ(reported(-1, "y"), "my-trainer: y\n");
  setProgramName("");
}

// The engine's own failures inside a user's program: no tool's name.
TEST(DiagnosticsDeathTest, EngineFailuresInAUsersProgramNameNoTool) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  ScheduleSpec spec;
  spec.tensors.push_back({"w", {4, 4}});
  BucketSpec bucket;
  bucket.name = "b0";
  bucket.tensorCount = 1;
  spec.buckets.push_back(bucket);
  ScheduleOrError s = readScheduleBuffer(buildSchedule(spec));
  ASSERT_TRUE(s) << s.error;
  EXPECT_EXIT(
      {
        setProgramName("");
        SelfCommunicator comm;
        std::string error;
        auto engine = Engine::create(s.schedule, comm, {}, error);
        engine->markReady(0);
      },
      testing::ExitedWithCode(1),
      "^rank 0: markReady\\(0\\) outside an iteration");
}
