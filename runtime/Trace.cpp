//===- Trace.cpp - the measured timeline of one rank ----------------------===//

#include "runtime/Trace.h"

#include "runtime/JsonString.h"

#include <cstdio>
#include <fstream>

using namespace agtf::runtime;

std::string Trace::write(const std::string &path, int rank) const {
  // Write beside, then rename: a failed run leaves no half-written trace.
  std::string partial = path + ".partial";
  {
    std::ofstream os(partial);
    if (!os)
      return "cannot write trace '" + path + "'";
    os << "{\"displayTimeUnit\": \"ns\", \"traceEvents\": [\n";
    const char *names[] = {"compute", "sparsify", "comm"};
    for (int lane = 0; lane < 3; ++lane)
      os << "{\"name\": \"thread_name\", \"ph\": \"M\", \"pid\": " << rank
         << ", \"tid\": " << lane << ", \"args\": {\"name\": \"" << names[lane]
         << "\"}},\n";
    os << "{\"name\": \"process_name\", \"ph\": \"M\", \"pid\": " << rank
       << ", \"args\": {\"name\": \"rank " << rank << "\"}}";
    char buffer[128];
    for (int lane = 0; lane < 3; ++lane)
      for (const Span &s : lanes[lane]) {
        std::snprintf(buffer, sizeof(buffer),
                      ", \"ph\": \"X\", \"pid\": %d, \"tid\": %d, \"ts\": "
                      "%.3f, \"dur\": %.3f}",
                      rank, lane, s.start, s.end - s.start);
        os << ",\n{\"name\": " << jsonQuoted(s.name) << buffer;
      }
    os << "\n]}\n";
    if (!os.flush())
      return "cannot write trace '" + path + "'";
  }
  if (std::rename(partial.c_str(), path.c_str()) != 0) {
    std::remove(partial.c_str());
    return "cannot write trace '" + path + "'";
  }
  return "";
}
