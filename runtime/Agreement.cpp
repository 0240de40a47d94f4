//===- Agreement.cpp - ranks agree on the schedule before they start ------===//

#include "runtime/Agreement.h"
#include "runtime/Fnv1a.h"

#include <algorithm>
#include <cstring>
#include <sstream>

using namespace agtf::runtime;

uint64_t agtf::runtime::scheduleHash(const std::vector<uint8_t> &bytes) {
  return fnv1a(bytes.data(), bytes.size());
}

namespace {
// Fixed size, so one allgather carries it; texts are cut to fit.
struct Record {
  uint64_t scheduleHash;
  uint64_t layoutHash;
  int32_t worldSize;
  int32_t ok;
  char path[200];
  char error[280];
  char device[16];
};

void copyText(char *to, size_t room, const std::string &from) {
  size_t n = std::min(room - 1, from.size());
  std::memcpy(to, from.data(), n);
  to[n] = '\0';
}

std::string hex(uint64_t v) {
  std::ostringstream os;
  os << "0x" << std::hex << v;
  return os.str();
}
} // namespace

std::string agtf::runtime::checkAgreement(Communicator &comm,
                                          const RankIdentity &mine) {
  Record me;
  std::memset(&me, 0, sizeof(me));
  me.scheduleHash = mine.scheduleHash;
  me.layoutHash = mine.layoutHash;
  me.worldSize = comm.size();
  me.ok = mine.error.empty();
  copyText(me.path, sizeof(me.path), mine.path);
  copyText(me.error, sizeof(me.error), mine.error);
  copyText(me.device, sizeof(me.device), mine.device);
  std::vector<Record> all(comm.size());
  comm.allgather(&me, sizeof(Record), all.data());

  std::ostringstream os;
  for (int r = 0; r < comm.size(); ++r)
    if (!all[r].ok) {
      os << "rank " << r << " cannot use its schedule: " << all[r].error;
      return os.str();
    }
  const Record &first = all[0];
  for (int r = 1; r < comm.size(); ++r) {
    const Record &other = all[r];
    if (other.worldSize != first.worldSize) {
      os << "ranks disagree on the world size: rank 0 sees " << first.worldSize
         << ", rank " << r << " sees " << other.worldSize;
      return os.str();
    }
    if (std::strcmp(other.device, first.device) != 0) {
      os << "ranks disagree on the device: rank 0 asks for " << first.device
         << ", rank " << r << " for " << other.device;
      return os.str();
    }
    if (other.layoutHash != first.layoutHash) {
      os << "ranks were given schedules for different models: rank 0 has "
         << first.path << " (layout hash " << hex(first.layoutHash)
         << "), rank " << r << " has " << other.path << " (layout hash "
         << hex(other.layoutHash) << ")";
      return os.str();
    }
    if (other.scheduleHash != first.scheduleHash) {
      os << "ranks were given different schedules: rank 0 has " << first.path
         << " (hash " << hex(first.scheduleHash) << "), rank " << r << " has "
         << other.path << " (hash " << hex(other.scheduleHash) << ")";
      return os.str();
    }
  }
  return "";
}

ScheduleOrError agtf::runtime::readScheduleFor(RankIdentity &me,
                                               const std::string &path) {
  me.path = path;
  ScheduleOrError read = readSchedule(path);
  if (read) {
    me.scheduleHash = scheduleHash(read.schedule->bytes());
    me.layoutHash = read.schedule->root().layout_hash();
  } else {
    me.error = read.error;
  }
  return read;
}
