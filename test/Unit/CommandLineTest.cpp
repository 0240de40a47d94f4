//===- CommandLineTest.cpp - the runtime tools' command lines -------------===//
//
// `--x=y` and `--x y` mean the same, the last of a repeated option counts,
// --help and --version stop with status 0, and a bad command line stops
// with one message, the usage and status 2.
//
//===----------------------------------------------------------------------===//

#include "tools/CommandLine.h"
#include "tools/Version.h"

#include <gtest/gtest.h>

using namespace agtf::cli;

namespace {
struct Parsed {
  std::optional<int> status;
  std::string out, err;
  int64_t iters = 20;
  double lr = 0.01;
  std::string trace, device = "cpu";
  bool json = false;
  std::vector<std::string> positionals;
};

Parsed parse(std::vector<std::string> args) {
  Parsed p;
  CommandLine line("agtf-test", "usage: agtf-test [options]\n");
  line.integer("--iters", p.iters, 1, "is not a positive integer");
  line.nonNegative("--lr", p.lr);
  line.text("-t,--trace", p.trace);
  line.choice("--device", p.device, {"cpu", "cuda"});
  line.flag("--json", p.json);
  line.positionals(p.positionals);
  args.insert(args.begin(), "agtf-test");
  std::vector<char *> argv;
  for (std::string &a : args)
    argv.push_back(a.data());
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  p.status = line.parse(int(argv.size()), argv.data(), [&] {
    return p.positionals.size() > 1 ? std::string("one file only")
                                    : std::string();
  });
  p.out = testing::internal::GetCapturedStdout();
  p.err = testing::internal::GetCapturedStderr();
  return p;
}

TEST(CommandLine, EqualsAndSpaceAreTheSame) {
  Parsed spaced = parse({"s.bin", "--iters", "2", "--lr", "0.5", "--trace",
                         "t.json", "--device", "cuda", "--json"});
  Parsed equals = parse({"s.bin", "--iters=2", "--lr=0.5", "--trace=t.json",
                         "--device=cuda", "--json"});
  for (const Parsed &p : {spaced, equals}) {
    EXPECT_FALSE(p.status) << p.err;
    EXPECT_EQ(p.iters, 2);
    EXPECT_EQ(p.lr, 0.5);
    EXPECT_EQ(p.trace, "t.json");
    EXPECT_EQ(p.device, "cuda");
    EXPECT_TRUE(p.json);
    EXPECT_EQ(p.positionals, std::vector<std::string>{"s.bin"});
  }
  EXPECT_EQ(parse({"-t", "u.json"}).trace, "u.json");
}

TEST(CommandLine, TheLastOfARepeatedOptionCounts) {
  Parsed p = parse({"--iters", "5", "--iters=6"});
  EXPECT_FALSE(p.status) << p.err;
  EXPECT_EQ(p.iters, 6);
}

TEST(CommandLine, DefaultsStayWhenNotGiven) {
  Parsed p = parse({});
  EXPECT_FALSE(p.status) << p.err;
  EXPECT_EQ(p.iters, 20);
  EXPECT_EQ(p.lr, 0.01);
  EXPECT_EQ(p.device, "cpu");
  EXPECT_FALSE(p.json);
}

TEST(CommandLine, HelpAndVersion) {
  Parsed help = parse({"--help"});
  EXPECT_EQ(help.status, 0);
  EXPECT_EQ(help.out, "usage: agtf-test [options]\n");
  EXPECT_EQ(parse({"-h"}).status, 0);
  Parsed version = parse({"--version"});
  EXPECT_EQ(version.status, 0);
  EXPECT_EQ(version.out,
            "agtf-test (AGTF) " + std::string(agtf::kVersion) + "\n");
}

TEST(CommandLine, BadCommandLinesExitWithTwoAndTheUsage) {
  const std::pair<std::vector<std::string>, std::string> cases[] = {
      {{"--iters", "0"}, "--iters: '0' is not a positive integer"},
      {{"--iters=2x"}, "--iters: '2x' is not a positive integer"},
      {{"--iters=010x"}, "--iters: '010x' is not a positive integer"},
      {{"--lr", "-1"}, "--lr: '-1' is not a non-negative number"},
      {{"--lr=nan"}, "--lr: 'nan' is not a non-negative number"},
      {{"--device", "tpu"}, "--device: 'tpu' is not cpu or cuda"},
      {{"--iters"}, "--iters needs a value"},
      {{"--frobnicate"}, "unknown option '--frobnicate'"},
      {{"--json=maybe"}, ""}, // CLI11's own words
      {{"a.bin", "b.bin"}, "one file only"},
  };
  for (const auto &[args, message] : cases) {
    Parsed p = parse(args);
    EXPECT_EQ(p.status, 2) << args[0];
    EXPECT_EQ(p.out, "");
    EXPECT_EQ(p.err.rfind("agtf-test: " + message, 0), 0u) << p.err;
    EXPECT_NE(p.err.find("\nusage: agtf-test [options]\n"), std::string::npos)
        << p.err;
  }
}

TEST(CommandLine, BaseTenIntegers) {
  // CLI11 would read "010" as octal; the tools always read base 10.
  EXPECT_EQ(parse({"--iters=010"}).iters, 10);
  int64_t n = 0;
  EXPECT_FALSE(parseInteger("0x10", n));
  EXPECT_FALSE(parseInteger("", n));
  EXPECT_FALSE(parseInteger("99999999999999999999", n));
  double d = 0;
  EXPECT_FALSE(parseNumber("inf", d));
  EXPECT_TRUE(parseNumber("1e-3", d));
  EXPECT_EQ(d, 1e-3);
}
} // namespace
