//===- Agreement.cpp - ranks agree on what they run -----------------------===//

#include "runtime/Agreement.h"
#include "runtime/Fnv1a.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sstream>

using namespace agtf::runtime;

uint64_t agtf::runtime::scheduleHash(const std::vector<uint8_t> &bytes) {
  return fnv1a(bytes.data(), bytes.size());
}

namespace {
std::string hex(uint64_t v) {
  std::ostringstream os;
  os << "0x" << std::hex << v;
  return os.str();
}

/// A rank's identity as bytes: strings with 32-bit lengths, so that ranks
/// whose texts differ in length exchange them in one allgatherv.
void put(std::string &out, const std::string &text) {
  uint32_t n = uint32_t(text.size());
  out.append(reinterpret_cast<const char *>(&n), sizeof(n));
  out += text;
}

struct Reader {
  const char *at, *end;
  bool ok = true;
  std::string take() {
    uint32_t n = 0;
    if (size_t(end - at) < sizeof(n)) {
      ok = false;
      return "";
    }
    std::memcpy(&n, at, sizeof(n));
    at += sizeof(n);
    if (size_t(end - at) < n) {
      ok = false;
      return "";
    }
    std::string text(at, n);
    at += n;
    return text;
  }
};

std::string encode(const RankIdentity &me) {
  std::string out;
  put(out, me.error);
  put(out, std::to_string(me.items.size()));
  for (const AgreedItem &item : me.items) {
    put(out, item.name);
    put(out, item.value);
    put(out, item.shown);
  }
  return out;
}

bool decode(const char *data, size_t size, RankIdentity &out) {
  Reader in{data, data + size};
  out.error = in.take();
  size_t count = std::strtoul(in.take().c_str(), nullptr, 10);
  for (size_t i = 0; in.ok && i < count; ++i) {
    AgreedItem item;
    item.name = in.take();
    item.value = in.take();
    item.shown = in.take();
    out.items.push_back(std::move(item));
  }
  return in.ok && in.at == in.end;
}

const AgreedItem *find(const RankIdentity &identity, const std::string &name) {
  for (const AgreedItem &item : identity.items)
    if (item.name == name)
      return &item;
  return nullptr;
}

std::string shown(const AgreedItem &item) {
  return item.shown.empty() ? item.value : item.shown;
}

/// Names the stage for the watchdog while the ranks exchange.
struct StallMeaning {
  StallMeaning(Communicator &comm, const char *meaning) : comm(comm) {
    comm.setStallMeaning(meaning);
  }
  ~StallMeaning() { comm.setStallMeaning(nullptr); }
  Communicator &comm;
};

/// Every rank's `bytes`, by rank: their sizes in one allgather, then the
/// bytes in one allgatherv.
std::vector<std::string> allgatherText(Communicator &comm,
                                       const std::string &bytes) {
  int p = comm.size();
  std::vector<int64_t> counts(p), displs(p);
  int64_t size = int64_t(bytes.size());
  comm.allgather(&size, sizeof(size), counts.data());
  int64_t total = 0;
  for (int r = 0; r < p; ++r) {
    displs[r] = total;
    total += counts[r];
  }
  std::vector<char> all(size_t(total) + 1);
  comm.allgatherv(bytes.data(), size, all.data(), counts.data(), displs.data());
  std::vector<std::string> texts(p);
  for (int r = 0; r < p; ++r)
    texts[r].assign(all.data() + displs[r], size_t(counts[r]));
  return texts;
}

std::vector<RankIdentity> exchange(Communicator &comm,
                                   const RankIdentity &mine) {
  StallMeaning stage(comm, "a rank did not reach the startup agreement");
  std::vector<std::string> records = allgatherText(comm, encode(mine));
  std::vector<RankIdentity> identities(records.size());
  for (size_t r = 0; r < records.size(); ++r)
    if (!decode(records[r].data(), records[r].size(), identities[r]))
      identities[r].error = "its agreement record cannot be read (is it "
                            "running another build?)";
  return identities;
}
} // namespace

std::string agtf::runtime::checkAgreement(Communicator &comm,
                                          const RankIdentity &mine) {
  RankIdentity me;
  me.error = mine.error;
  me.agree("the world size", std::to_string(comm.size()));
  me.items.insert(me.items.end(), mine.items.begin(), mine.items.end());
  std::vector<RankIdentity> all = exchange(comm, me);

  std::ostringstream os;
  for (int r = 0; r < comm.size(); ++r)
    if (!all[r].error.empty()) {
      os << "rank " << r << " cannot use its schedule: " << all[r].error;
      return os.str();
    }
  // Item by item, so that the most basic difference is named (the schedule
  // before an option), whichever rank has it.
  const RankIdentity &first = all[0];
  for (const AgreedItem &item : first.items)
    for (int r = 1; r < comm.size(); ++r) {
      const AgreedItem *other = find(all[r], item.name);
      if (!other) {
        os << "ranks disagree: rank 0 compares " << item.name << " but rank "
           << r << " does not (are they running different builds?)";
        return os.str();
      }
      if (other->value != item.value) {
        os << "ranks disagree: " << item.name << " is " << shown(*other)
           << " on rank " << r << " but " << shown(item) << " on rank 0";
        return os.str();
      }
    }
  for (int r = 1; r < comm.size(); ++r)
    for (const AgreedItem &item : all[r].items)
      if (!find(first, item.name)) {
        os << "ranks disagree: rank " << r << " compares " << item.name
           << " but rank 0 does not (are they running different builds?)";
        return os.str();
      }
  return "";
}

ScheduleOrError agtf::runtime::readScheduleFor(RankIdentity &me,
                                               const std::string &path) {
  ScheduleOrError read = readSchedule(path);
  if (read) {
    // Compared by hash, shown with the path, which may differ by rank.
    uint64_t layout = read.schedule->root().layout_hash();
    me.agree("the schedule's model", hex(layout),
             path + " (layout hash " + hex(layout) + ")");
    uint64_t whole = scheduleHash(read.schedule->bytes());
    me.agree("the schedule", hex(whole), path + " (hash " + hex(whole) + ")");
  } else {
    me.error = read.error;
  }
  return read;
}

std::string
agtf::runtime::filesIdentity(const std::vector<std::string> &paths) {
  uint64_t hash = kFnv1aBasis;
  std::vector<char> buffer(1 << 20);
  for (const std::string &path : paths) {
    std::FILE *f = std::fopen(path.c_str(), "rb");
    if (!f)
      return "cannot read '" + path + "': " + std::strerror(errno);
    size_t n;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), f)) > 0)
      hash = fnv1a(buffer.data(), n, hash);
    bool failed = std::ferror(f);
    std::fclose(f);
    if (failed)
      return "cannot read '" + path + "'";
  }
  return "bytes hash " + hex(hash);
}

std::string agtf::runtime::compareParameters(Communicator &comm, uint64_t mine,
                                             std::vector<uint64_t> &all) {
  all.assign(size_t(comm.size()), 0);
  comm.allgather(&mine, sizeof(mine), all.data());
  for (int r = 1; r < comm.size(); ++r)
    if (all[r] != all[0])
      return "the ranks' parameters differ after the run: rank " +
             std::to_string(r) + "'s hash " + hex(all[r]) +
             " is not rank 0's " + hex(all[0]) +
             " (a compressor or a collective gave the ranks different "
             "results)";
  return "";
}

std::string agtf::runtime::firstFailure(Communicator &comm,
                                        const std::string &mine) {
  std::vector<std::string> all = allgatherText(comm, mine);
  for (size_t r = 0; r < all.size(); ++r)
    if (!all[r].empty())
      return "rank " + std::to_string(r) + ": " + all[r];
  return "";
}
