//===- AgreedOptionsTest.cpp - agtf-run's part of the startup agreement ---===//
//
// Every option of agtf-run's usage is either agreed between the ranks or
// marked as each rank's own, so that a new option cannot be left out of the
// agreement; agreed values differ exactly when the options do; input files
// are compared by their bytes.
//
//===----------------------------------------------------------------------===//

#include "tools/agtf-run/AgreedOptions.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

using namespace agtf;
using namespace agtf::run;

namespace {
/// The options the usage lists, one per line starting "  --name".
std::set<std::string> usageOptions() {
  std::set<std::string> names;
  std::istringstream in(usage);
  std::regex entry("^  (--[a-z][a-z0-9-]*)");
  std::smatch m;
  for (std::string line; std::getline(in, line);)
    if (std::regex_search(line, m, entry))
      names.insert(m[1]);
  return names;
}

std::set<std::string> agreedNames() {
  std::set<std::string> names;
  for (const runtime::AgreedItem &item : agreedOptions(Options()))
    names.insert(item.name);
  return names;
}

std::string valueOf(const Options &o, const std::string &name) {
  for (const runtime::AgreedItem &item : agreedOptions(o))
    if (item.name == name)
      return item.value;
  ADD_FAILURE() << name << " is not agreed";
  return "";
}

std::string tempFile(const std::string &name, const std::string &bytes) {
  std::string path = testing::TempDir() + name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}
} // namespace

TEST(AgreedOptions, EveryOptionOfTheUsageIsAgreedOrPerRank) {
  std::set<std::string> usageNames = usageOptions(), agreed = agreedNames();
  ASSERT_GE(usageNames.size(), 30u);
  std::set<std::string> perRank(perRankOptions.begin(), perRankOptions.end());
  for (const std::string &name : usageNames)
    EXPECT_TRUE(agreed.count(name) + perRank.count(name) == 1)
        << name << " must be in agreedOptions() or in perRankOptions, "
        << "exactly once";
  for (const std::string &name : agreed)
    EXPECT_TRUE(usageNames.count(name)) << name << " is not in the usage";
  for (const std::string &name : perRank)
    EXPECT_TRUE(usageNames.count(name)) << name << " is not in the usage";
}

TEST(AgreedOptions, ValuesDifferWhenTheOptionsDo) {
  Options a, b;
  b.seed = 2;
  b.lr = 0.01 + 1e-12;
  b.replay = true;
  b.training.inputShape = "1x28x28";
  for (const char *name : {"--seed", "--lr", "--replay", "--input-shape"})
    EXPECT_NE(valueOf(a, name), valueOf(b, name)) << name;
  EXPECT_EQ(valueOf(a, "--iters"), valueOf(b, "--iters"));
  EXPECT_EQ(valueOf(a, "--lr"), "0.01");
  // A per-rank path is not compared: the same bytes under two paths agree.
  a.training.data = b.training.data = "synthetic";
  a.training.model = tempFile("agreed-a.pt", "model bytes");
  b.training.model = tempFile("agreed-b.pt", "model bytes");
  EXPECT_EQ(valueOf(a, "--model"), valueOf(b, "--model"));
  b.training.model = tempFile("agreed-c.pt", "other bytes");
  EXPECT_NE(valueOf(a, "--model"), valueOf(b, "--model"));
}

TEST(AgreedOptions, FilesAreComparedByTheirBytes) {
  std::string one = tempFile("agreed-1", "abc"),
              two = tempFile("agreed-2", "d");
  std::string both = runtime::filesIdentity({one, two});
  EXPECT_EQ(both.rfind("bytes hash 0x", 0), 0u) << both;
  EXPECT_EQ(both, runtime::filesIdentity({tempFile("agreed-3", "abcd")}));
  EXPECT_NE(both, runtime::filesIdentity({one}));
  std::string missing = runtime::filesIdentity({one, "/no/such/file"});
  EXPECT_EQ(missing, "cannot read '/no/such/file': No such file or directory");
  EXPECT_EQ(
      runtime::filesIdentity({testing::TempDir()}).rfind("cannot read", 0), 0u);
}
