//===- ScheduleReader.h - read and check schedule.bin -----------*- C++ -*-===//
//
// Reads a schedule file (runtime/Schedule.fbs, docs/schedule-format.md):
// the FlatBuffers verifier first, then the semantic checks the runtime
// relies on. No MLIR, no LLVM.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_SCHEDULEREADER_H
#define AGTF_RUNTIME_SCHEDULEREADER_H

#include "runtime/Schedule_generated.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace agtf::runtime {

/// The format version this reader writes and understands.
constexpr uint32_t kScheduleFormatVersion = 1;
/// Files larger than this are refused before they are read.
constexpr uint64_t kMaxScheduleBytes = 1ull << 30;

/// A schedule that passed every check; owns its bytes.
class Schedule {
public:
  explicit Schedule(std::vector<uint8_t> bytes) : data(std::move(bytes)) {}
  const fb::Schedule &root() const { return *fb::GetSchedule(data.data()); }
  const fb::Schedule *operator->() const { return &root(); }
  const std::vector<uint8_t> &bytes() const { return data; }

private:
  std::vector<uint8_t> data;
};

/// Either a checked schedule or an error naming the problem.
struct ScheduleOrError {
  std::shared_ptr<const Schedule> schedule;
  std::string error;
  explicit operator bool() const { return schedule != nullptr; }
};

/// Reads and checks the schedule file at `path`.
ScheduleOrError readSchedule(const std::string &path);

/// Checks a schedule held in memory.
ScheduleOrError readScheduleBuffer(std::vector<uint8_t> bytes);

/// The semantic checks alone, on a buffer that already passed the
/// FlatBuffers verifier. Returns "" when the schedule is consistent.
std::string checkSchedule(const fb::Schedule &s);

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_SCHEDULEREADER_H
