//===- CommandLine.cpp - the runtime tools' command lines -----------------===//

#include "tools/CommandLine.h"

#include "tools/Version.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

using namespace agtf::cli;

CommandLine::CommandLine(std::string tool, std::string usage)
    : tool(std::move(tool)), usage(std::move(usage)) {
  // Unknown arguments are reported by parse(), in the tools' own words.
  app.allow_extras();
  // As before CLI11: `--iters 5 --iters 6` runs 6 iterations.
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.set_version_flag("--version", agtf::versionLine(this->tool));
}

void CommandLine::option(const std::string &names, Store store) {
  app.add_option_function<std::string>(
      names, [store = std::move(store)](const std::string &value) {
        std::string error = store(value);
        if (!error.empty())
          throw CLI::ValidationError(error);
      });
}

void CommandLine::text(const std::string &names, std::string &out) {
  option(names, [&out](const std::string &value) {
    out = value;
    return std::string();
  });
}

void CommandLine::integer(const std::string &name, int64_t &out, int64_t least,
                          const std::string &complaint) {
  option(name, [=, &out](const std::string &value) {
    int64_t n = 0;
    if (!parseInteger(value, n) || n < least)
      return name + ": '" + value + "' " + complaint;
    if (n > kMaxCount)
      return name + ": '" + value + "' is above 10^9";
    out = n;
    return std::string();
  });
}

void CommandLine::nonNegative(const std::string &name, double &out) {
  option(name, [=, &out](const std::string &value) {
    double d = 0;
    if (!parseNumber(value, d) || d < 0)
      return name + ": '" + value + "' is not a non-negative number";
    out = d;
    return std::string();
  });
}

void CommandLine::choice(const std::string &name, std::string &out,
                         std::vector<std::string> choices) {
  option(name, [=, &out](const std::string &value) {
    for (const std::string &c : choices)
      if (value == c) {
        out = value;
        return std::string();
      }
    std::string list;
    for (size_t i = 0; i < choices.size(); ++i)
      list += (i == 0                    ? ""
               : i + 1 == choices.size() ? " or "
                                         : ", ") +
              choices[i];
    return name + ": '" + value + "' is not " + list;
  });
}

void CommandLine::flag(const std::string &name, bool &out) {
  app.add_flag(name, out);
}

void CommandLine::positionals(std::vector<std::string> &out) {
  app.add_option("arguments", out);
}

std::optional<int>
CommandLine::parse(int argc, char **argv,
                   const std::function<std::string()> &check) {
  std::string error;
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp &) {
    std::fputs(usage.c_str(), stdout);
    return 0;
  } catch (const CLI::CallForVersion &) {
    std::printf("%s\n", agtf::versionLine(tool).c_str());
    return 0;
  } catch (const CLI::ArgumentMismatch &e) {
    // CLI11 says "--iters: 1 required TEXT missing"; the tools always said
    // "--iters needs a value".
    std::string what = e.what();
    error = what.substr(0, what.find(':')) + " needs a value";
  } catch (const CLI::ParseError &e) {
    error = e.what();
  }
  if (error.empty() && !app.remaining().empty()) {
    std::string first = app.remaining().front();
    error = (first.size() > 1 && first[0] == '-' ? "unknown option '"
                                                 : "unknown argument '") +
            first + "'";
  }
  if (error.empty())
    error = check();
  if (error.empty())
    return std::nullopt;
  std::fprintf(stderr, "%s: %s\n%s", tool.c_str(), error.c_str(),
               usage.c_str());
  return 2;
}

bool agtf::cli::parseInteger(const std::string &text, int64_t &out) {
  char *end = nullptr;
  errno = 0;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (errno || end == text.c_str() || *end)
    return false;
  out = v;
  return true;
}

bool agtf::cli::parseNumber(const std::string &text, double &out) {
  char *end = nullptr;
  errno = 0;
  double v = std::strtod(text.c_str(), &end);
  if (errno || end == text.c_str() || *end || !std::isfinite(v))
    return false;
  out = v;
  return true;
}
