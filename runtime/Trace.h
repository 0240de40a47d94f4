//===- Trace.h - the measured timeline of one rank --------------*- C++ -*-===//
//
// Spans on the lanes of the predicted trace (gcomm-simulate): compute,
// sparsify, comm. Each lane is written by one thread only (the driver, the
// compression thread, the communication thread), so recording takes no
// lock; the trace is read after the threads are idle.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_TRACE_H
#define AGTF_RUNTIME_TRACE_H

#include <chrono>
#include <string>
#include <vector>

namespace agtf::runtime {

enum class Lane { Compute = 0, Sparsify = 1, Comm = 2 };

class Trace {
public:
  Trace() : origin(std::chrono::steady_clock::now()) {}

  /// Microseconds since the trace began.
  double now() const {
    return std::chrono::duration<double, std::micro>(
               std::chrono::steady_clock::now() - origin)
        .count();
  }
  /// Waits until `untilUs` on this clock: a sleep that ends 100 us early,
  /// then yields until the time. Sleeping, so that on a small machine the
  /// engine's threads keep the cores; yielding at the end, so that a wait
  /// ends within microseconds of its time (a sleep alone ends about 50 us
  /// late on a virtual machine: a profiled 175 us forward pass ran 220).
  void waitUntil(double untilUs) const;
  void enable(bool on) { enabled = on; }
  bool isEnabled() const { return enabled; }
  void span(Lane lane, std::string name, double startUs, double endUs) {
    if (enabled)
      lanes[int(lane)].push_back({std::move(name), startUs, endUs});
  }

  struct Span {
    std::string name;
    double start, end;
  };
  const std::vector<Span> &spans(Lane lane) const { return lanes[int(lane)]; }

  /// A value at a time (a Chrome-trace counter track named `name`); written
  /// by the communication thread only.
  void counter(std::string name, std::string key, double atUs, double value) {
    if (enabled)
      counters.push_back({std::move(name), std::move(key), atUs, value});
  }
  struct Counter {
    std::string name, key;
    double at, value;
  };
  const std::vector<Counter> &counterValues() const { return counters; }

  /// Writes Chrome-trace JSON (Perfetto opens it): pid = `rank`. Returns ""
  /// or the error.
  std::string write(const std::string &path, int rank) const;

private:
  std::chrono::steady_clock::time_point origin;
  bool enabled = false;
  std::vector<Span> lanes[3];
  std::vector<Counter> counters;
};

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_TRACE_H
