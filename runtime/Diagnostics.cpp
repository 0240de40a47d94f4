//===- Diagnostics.cpp - how the runtime's messages are signed ------------===//

#include "runtime/Diagnostics.h"

#include <cstdio>
#include <cstdlib>

using namespace agtf::runtime;

namespace {
std::string &name() {
  static std::string program;
  return program;
}
} // namespace

void agtf::runtime::setProgramName(const std::string &program) {
  name() = program;
}

const std::string &agtf::runtime::programName() { return name(); }

void agtf::runtime::reportError(int rank, const std::string &message) {
  std::string line;
  if (!name().empty())
    line = name() + ": ";
  if (rank >= 0)
    line += "rank " + std::to_string(rank) + ": ";
  line += message;
  line += '\n';
  // One write, so that ranks sharing a terminal do not interleave mid-line.
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
}

int agtf::runtime::launcherRank() {
  for (const char *name : {"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK"})
    if (const char *value = std::getenv(name))
      return std::atoi(value);
  return -1;
}
