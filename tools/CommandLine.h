//===- CommandLine.h - the runtime tools' command lines ---------*- C++ -*-===//
//
// agtf-run, agtf-profile and agtf-kernel-bench parse their command lines
// with CLI11, under the same conventions: `--x=y` and `--x y` alike, the
// last of a repeated option counts, -h/--help prints the tool's usage text
// and --version the project's version, and a bad command line prints one
// error and the usage on stderr and exits with status 2. Each tool checks
// its values itself, so its messages say what it accepts.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_TOOLS_COMMANDLINE_H
#define AGTF_TOOLS_COMMANDLINE_H

#include <CLI/CLI.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace agtf::cli {

/// Checks and keeps an option's value: returns "" or the error.
using Store = std::function<std::string(const std::string &value)>;

/// The largest count an integer option takes (iterations, samples, sizes):
/// sums and products of a few of them stay far inside int64_t.
constexpr int64_t kMaxCount = 1'000'000'000;

class CommandLine {
public:
  /// `usage` is what --help prints and what follows every error.
  CommandLine(std::string tool, std::string usage);

  /// An option with a value; `names` as CLI11 spells them ("-o,--output").
  void option(const std::string &names, Store store);
  /// An option whose value is kept as it is.
  void text(const std::string &names, std::string &out);
  /// A base-10 integer >= `least`, else "NAME: 'VALUE' <complaint>"; and at
  /// most kMaxCount, else "NAME: 'VALUE' is above 10^9".
  void integer(const std::string &name, int64_t &out, int64_t least,
               const std::string &complaint);
  /// A finite number >= 0, else "NAME: 'VALUE' is not a non-negative
  /// number".
  void nonNegative(const std::string &name, double &out);
  /// One of `choices`, else "NAME: 'VALUE' is not A or B".
  void choice(const std::string &name, std::string &out,
              std::vector<std::string> choices);
  /// An option without a value.
  void flag(const std::string &name, bool &out);
  /// The arguments that are not options, in order.
  void positionals(std::vector<std::string> &out);

  /// Parses argv, then runs `check` for the rules between options ("" or
  /// the error). Returns the exit status when the tool should stop (after
  /// --help, --version or an error, each printed), nothing when it should
  /// run.
  std::optional<int> parse(int argc, char **argv,
                           const std::function<std::string()> &check);

private:
  std::string tool, usage;
  CLI::App app;
};

/// The whole of `text` as a base-10 integer.
bool parseInteger(const std::string &text, int64_t &out);
/// The whole of `text` as a finite number.
bool parseNumber(const std::string &text, double &out);

} // namespace agtf::cli

#endif // AGTF_TOOLS_COMMANDLINE_H
