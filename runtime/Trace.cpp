//===- Trace.cpp - the measured timeline of one rank ----------------------===//

#include "runtime/Trace.h"

#include "runtime/Diagnostics.h"
#include "runtime/Json.h"
#include "runtime/OutputFile.h"

#include <thread>

using namespace agtf::runtime;

void Trace::waitUntil(double untilUs) const {
  constexpr double kSleepEarlyUs = 100.0;
  double left = untilUs - now();
  if (left > kSleepEarlyUs)
    std::this_thread::sleep_for(
        std::chrono::duration<double, std::micro>(left - kSleepEarlyUs));
  while (now() < untilUs)
    std::this_thread::yield();
}

std::string Trace::write(const std::string &path, int rank) const {
  Json events = Json::array();
  const char *names[] = {"compute", "sparsify", "comm"};
  for (int lane = 0; lane < 3; ++lane)
    events.push_back({{"name", "thread_name"},
                      {"ph", "M"},
                      {"pid", rank},
                      {"tid", lane},
                      {"args", {{"name", names[lane]}}}});
  events.push_back({{"name", "process_name"},
                    {"ph", "M"},
                    {"pid", rank},
                    {"args", {{"name", "rank " + std::to_string(rank)}}}});
  // Microseconds to the nanosecond, as the trace always had them.
  for (int lane = 0; lane < 3; ++lane)
    for (const Span &s : lanes[lane])
      events.push_back({{"name", s.name},
                        {"ph", "X"},
                        {"pid", rank},
                        {"tid", lane},
                        {"ts", roundToDecimals(s.start, 3)},
                        {"dur", roundToDecimals(s.end - s.start, 3)}});
  for (const Counter &c : counters)
    events.push_back({{"name", c.name},
                      {"ph", "C"},
                      {"pid", rank},
                      {"ts", roundToDecimals(c.at, 3)},
                      {"args", {{c.key, roundToSignificant(c.value, 6)}}}});
  Json trace = {{"displayTimeUnit", "ns"}, {"traceEvents", std::move(events)}};
  std::string text =
      JsonOutput(programName(), "trace '" + path + "'").text(std::move(trace));
  return writeFile(path, text);
}
