//===- MpiWaitTest.cpp - AGTF_MPI_WAIT and the job's one wait mode --------===//

#include "runtime/comm/MpiWait.h"

#include <gtest/gtest.h>

using namespace agtf::runtime;

namespace {
/// The mode the job agrees on from these ranks' requests (false: refused).
bool decide(std::initializer_list<MpiWaitRequest> ranks, MpiWait &mode,
            std::string &error) {
  int maxVotes[kMpiWaitVotes] = {};
  for (const MpiWaitRequest &r : ranks) {
    int votes[kMpiWaitVotes];
    mpiWaitVotes(r, votes);
    for (int i = 0; i < kMpiWaitVotes; ++i)
      maxVotes[i] = std::max(maxVotes[i], votes[i]);
  }
  return decideMpiWait(maxVotes, mode, error);
}
} // namespace

TEST(MpiWait, ParsesTheValueAndSeesSharedCores) {
  EXPECT_EQ(requestMpiWait(nullptr, 4, 2).kind, MpiWaitRequest::Unset);
  EXPECT_EQ(requestMpiWait("", 4, 2).kind, MpiWaitRequest::Unset);
  EXPECT_EQ(requestMpiWait("auto", 4, 2).kind, MpiWaitRequest::Auto);
  EXPECT_EQ(requestMpiWait("spin", 4, 2).kind, MpiWaitRequest::Spin);
  EXPECT_EQ(requestMpiWait("sleep", 4, 2).kind, MpiWaitRequest::Sleep);
  EXPECT_EQ(requestMpiWait("Sleep", 4, 2).kind, MpiWaitRequest::Invalid);
  EXPECT_EQ(requestMpiWait("1", 4, 2).kind, MpiWaitRequest::Invalid);
  // Two busy threads per rank: 4 ranks need 8 cores.
  EXPECT_TRUE(requestMpiWait(nullptr, 4, 2).coresShared);
  EXPECT_TRUE(requestMpiWait(nullptr, 4, 7).coresShared);
  EXPECT_FALSE(requestMpiWait(nullptr, 4, 8).coresShared);
  EXPECT_FALSE(requestMpiWait(nullptr, 0, 2).coresShared); // no launcher
}

TEST(MpiWait, AutoSleepsWhereAnyNodeSharesCores) {
  MpiWait mode = MpiWait::Sleep;
  std::string error;
  ASSERT_TRUE(decide({requestMpiWait("auto", 1, 8)}, mode, error));
  EXPECT_EQ(mode, MpiWait::Spin);
  ASSERT_TRUE(
      decide({requestMpiWait("auto", 1, 8), requestMpiWait("auto", 4, 2)}, mode,
             error));
  EXPECT_EQ(mode, MpiWait::Sleep);
  // Unset spins, shared cores or not, unless a rank asks otherwise.
  ASSERT_TRUE(
      decide({requestMpiWait(nullptr, 4, 2), requestMpiWait(nullptr, 4, 2)},
             mode, error));
  EXPECT_EQ(mode, MpiWait::Spin);
  ASSERT_TRUE(
      decide({requestMpiWait(nullptr, 4, 2), requestMpiWait("auto", 4, 2)},
             mode, error));
  EXPECT_EQ(mode, MpiWait::Sleep);
  // A named mode holds for the job, shared cores or not.
  ASSERT_TRUE(
      decide({requestMpiWait("spin", 4, 2), requestMpiWait(nullptr, 4, 2)},
             mode, error));
  EXPECT_EQ(mode, MpiWait::Spin);
  ASSERT_TRUE(decide({requestMpiWait("sleep", 1, 8)}, mode, error));
  EXPECT_EQ(mode, MpiWait::Sleep);
}

TEST(MpiWait, RefusesAnInvalidValueOrRanksThatDisagree) {
  MpiWait mode;
  std::string error;
  EXPECT_FALSE(
      decide({requestMpiWait("yes", 1, 8), requestMpiWait(nullptr, 1, 8)}, mode,
             error));
  EXPECT_NE(error.find("AGTF_MPI_WAIT is not spin, sleep or auto"),
            std::string::npos)
      << error;
  EXPECT_FALSE(
      decide({requestMpiWait("spin", 1, 8), requestMpiWait("sleep", 1, 8)},
             mode, error));
  EXPECT_NE(error.find("ranks disagree"), std::string::npos) << error;
}
