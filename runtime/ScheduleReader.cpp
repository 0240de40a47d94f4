//===- ScheduleReader.cpp - read and check schedule.bin -------------------===//

#include "runtime/ScheduleReader.h"

#include "runtime/CompressionKinds.h"
#include "runtime/LayoutHash.h"
#include "runtime/Limits.h"

#include "passes/cost/Problem.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

namespace agtf::runtime {
namespace {

template <typename T> bool inRange(T value) {
  return static_cast<unsigned>(value) <= static_cast<unsigned>(T::MAX);
}

bool finite(double x) { return std::isfinite(x); }

/// A time the replay waits out: finite, >= 0, at most an hour.
bool computeTime(double us) {
  return std::isfinite(us) && us >= 0 && us <= limits::kMaxComputeUs;
}

/// A predicted time or noise: finite and >= 0 (the JSON printers write it).
bool nonNegative(double x) { return std::isfinite(x) && x >= 0; }

/// The FlatBuffers verifier checks the alignment of vector lengths, not of
/// 8-byte elements; a damaged offset could make them unaligned.
bool aligned8(const void *p) { return reinterpret_cast<uintptr_t>(p) % 8 == 0; }

std::string str(const std::ostringstream &os) { return os.str(); }

std::string checkTensors(const fb::Schedule &s) {
  const auto *tensors = s.tensors();
  if (!tensors || tensors->size() == 0)
    return "schedule has no tensors";
  std::set<std::string> names;
  LayoutHasher hasher;
  int64_t next = 0;
  for (uint32_t i = 0; i < tensors->size(); ++i) {
    const fb::Tensor *t = tensors->Get(i);
    std::ostringstream os;
    std::string name = t->name()->str();
    os << "tensor " << i << " '" << name << "': ";
    if (name.empty())
      return "tensor " + std::to_string(i) + " has an empty name";
    if (!names.insert(name).second) {
      os << "duplicate name";
      return str(os);
    }
    if (!inRange(t->dtype()) || t->dtype() == fb::DType::int32) {
      os << "dtype must be f32, f16 or bf16";
      return str(os);
    }
    int64_t product = 1;
    const auto *shape = t->shape();
    uint32_t rank = shape ? shape->size() : 0;
    if (rank && !aligned8(shape->data())) {
      os << "shape is not aligned";
      return str(os);
    }
    for (uint32_t d = 0; d < rank; ++d) {
      int64_t dim = shape->Get(d);
      if (dim < 1 || product > limits::kMaxElements / dim) {
        os << "dimension " << d << " is " << dim
           << " (must be >= 1, numel at most 2^48)";
        return str(os);
      }
      product *= dim;
    }
    if (t->numel() != product) {
      os << "numel " << t->numel() << " is not the product of its shape ("
         << product << ")";
      return str(os);
    }
    if (t->offset() != next) {
      os << "offset " << t->offset() << " should be " << next
         << " (tensors are contiguous in the flat gradient buffer)";
      return str(os);
    }
    if (!computeTime(t->backward_us())) {
      os << "backward_us " << t->backward_us()
         << " must be finite, >= 0 and at most an hour (3.6e9 us)";
      return str(os);
    }
    next += product;
    if (next > limits::kMaxElements) {
      os << "flat gradient buffer exceeds 2^48 elements";
      return str(os);
    }
    hasher.add(name, shape ? shape->data() : nullptr, rank);
  }
  if (hasher.value() != s.layout_hash()) {
    std::ostringstream os;
    os << std::hex << "layout hash 0x" << s.layout_hash()
       << " does not match the tensors (0x" << hasher.value() << ")";
    return str(os);
  }
  return "";
}

std::string checkCompression(const fb::Bucket &b, const std::string &where) {
  const fb::Compression &c = *b.compression();
  if (!inRange(c.kind()))
    return where + "unknown compression kind " +
           std::to_string(static_cast<unsigned>(c.kind()));
  if (!inRange(b.collective()))
    return where + "unknown collective " +
           std::to_string(static_cast<unsigned>(b.collective()));
  const char *kind = fb::EnumNameCompressionKind(c.kind());
  if (traitsOf(c.kind()).collective != b.collective())
    return where + kind + " cannot use collective " +
           fb::EnumNameCollective(b.collective());
  if (!inRange(c.value_dtype()) || c.value_dtype() == fb::DType::int32)
    return where + "value dtype must be f32, f16 or bf16";
  if (traitsOf(c.kind()).sparse) {
    if (!(c.density() > 0.0 && c.density() <= 1.0)) {
      std::ostringstream os;
      os << where << "density must be in (0, 1], got " << c.density();
      return str(os);
    }
    if (c.index_dtype() != fb::DType::int32)
      return where + "index dtype must be int32";
    if (!inRange(c.select()))
      return where + "unknown select method";
  }
  if (c.kind() == fb::CompressionKind::dgc) {
    if (!(c.momentum() >= 0.0 && c.momentum() < 1.0)) {
      std::ostringstream os;
      os << where << "momentum must be in [0, 1), got " << c.momentum();
      return str(os);
    }
    if (c.warmup_epochs() < 0)
      return where + "warmup epochs must be >= 0, got " +
             std::to_string(c.warmup_epochs());
  }
  if (c.kind() == fb::CompressionKind::lowrank) {
    if (c.rank() < 1)
      return where + "rank must be >= 1, got " + std::to_string(c.rank());
    if (!inRange(c.lowrank_method()))
      return where + "unknown low-rank method";
  }
  return "";
}

std::string checkBuckets(const fb::Schedule &s) {
  const auto *buckets = s.buckets();
  uint32_t ntensors = s.tensors()->size();
  if (!buckets || buckets->size() == 0)
    return "schedule has no buckets";
  uint64_t next = 0;
  std::set<std::string> bucketNames;
  for (uint32_t i = 0; i < buckets->size(); ++i) {
    const fb::Bucket *b = buckets->Get(i);
    std::string where = "bucket " + std::to_string(i);
    // Names become symbols when the schedule is read back as MLIR.
    if (!b->name() || b->name()->size() == 0)
      return where + " has no name";
    where += " '" + b->name()->str() + "'";
    if (!bucketNames.insert(b->name()->str()).second)
      return where + ": name used twice";
    where += ": ";
    if (b->tensor_count() == 0)
      return where + "has no tensors";
    if (b->first_tensor() != next)
      return where + "starts at tensor " + std::to_string(b->first_tensor()) +
             ", expected " + std::to_string(next) +
             " (buckets are contiguous runs of tensors in order)";
    next += b->tensor_count();
    if (next > ntensors)
      return where + "runs past the last tensor (" + std::to_string(next) +
             " > " + std::to_string(ntensors) + ")";
    std::string err = checkCompression(*b, where);
    if (!err.empty())
      return err;
  }
  if (next != ntensors)
    return "buckets cover " + std::to_string(next) + " of " +
           std::to_string(ntensors) + " tensors";
  return "";
}

/// The collective a step issues, if it is a collective step.
std::optional<fb::Collective> collectiveOf(fb::StepKind kind) {
  switch (kind) {
  case fb::StepKind::allreduce:
    return fb::Collective::allreduce;
  case fb::StepKind::allgather:
    return fb::Collective::allgather;
  case fb::StepKind::gtopk_reduce:
    return fb::Collective::gtopk;
  default:
    return std::nullopt;
  }
}

std::string checkSteps(const fb::Schedule &s) {
  const auto *steps = s.steps();
  if (!steps)
    return "";
  uint32_t nbuckets = s.buckets()->size();
  std::vector<uint32_t> collectives(nbuckets, 0);
  for (uint32_t i = 0; i < steps->size(); ++i) {
    const fb::Step *st = steps->Get(i);
    std::string where = "step " + std::to_string(i) + ": ";
    if (!inRange(st->kind()))
      return where + "unknown op kind " +
             std::to_string(static_cast<unsigned>(st->kind()));
    if (st->bucket() >= nbuckets)
      return where + "bucket " + std::to_string(st->bucket()) +
             " out of range (" + std::to_string(nbuckets) + " buckets)";
    if (const auto *deps = st->deps())
      for (uint32_t d : *deps)
        if (d >= i)
          return where + "depends on step " + std::to_string(d) +
                 ", which is not an earlier step";
    if (std::optional<fb::Collective> c = collectiveOf(st->kind())) {
      const fb::Bucket *b = s.buckets()->Get(st->bucket());
      if (*c != b->collective())
        return where + "communicates bucket " + std::to_string(st->bucket()) +
               " by " + fb::EnumNameCollective(*c) + ", but the bucket is " +
               "carried by " + fb::EnumNameCollective(b->collective());
      if (++collectives[st->bucket()] > 1)
        return where + "communicates bucket " + std::to_string(st->bucket()) +
               " a second time (each bucket has one collective step)";
    }
  }
  // A stream program that leaves a bucket out would never average it.
  if (steps->size())
    for (uint32_t b = 0; b < nbuckets; ++b)
      if (!collectives[b])
        return "steps never communicate bucket " + std::to_string(b) +
               " (each bucket has one collective step)";
  return "";
}

std::string checkCostAndTimeline(const fb::Schedule &s) {
  const fb::CostModel *cm = s.cost_model();
  if (!cm)
    return "schedule has no cost model";
  if (!inRange(cm->timeline()))
    return "cost model: unknown timeline";
  // Every collective once: readers look each one up.
  const auto *cs = cm->collectives();
  unsigned seen[3] = {0, 0, 0};
  if (cs)
    for (const fb::CollectiveCost *c : *cs) {
      if (!inRange(c->collective()) || !finite(c->alpha_us()) ||
          !finite(c->beta_us_per_byte()) || c->alpha_us() < 0 ||
          c->beta_us_per_byte() < 0)
        return "cost model: bad collective cost";
      ++seen[int(c->collective())];
    }
  if (seen[0] != 1 || seen[1] != 1 || seen[2] != 1)
    return "cost model must give allreduce, allgather and gtopk once each";
  if (!finite(cm->bucket_us()) || cm->bucket_us() < 0)
    return "cost model: bad bucket_us";
  // Curves: the names the compiler knows, sizes increasing, times positive.
  if (const auto *curves = cm->curves())
    for (const fb::CostCurve *c : *curves) {
      std::string name = c->name()->str();
      int known = 0;
      while (known < cost::kCurves &&
             name != cost::curveName(cost::Curve(known)))
        ++known;
      if (known == cost::kCurves)
        return "cost model: unknown curve '" + name + "'";
      uint32_t n = c->size() ? c->size()->size() : 0;
      if (n == 0 || !c->us() || c->us()->size() != n)
        return "cost model: curve '" + name +
               "' needs as many times as sizes, at least one";
      for (uint32_t i = 0; i < n; ++i) {
        double size = c->size()->Get(i), us = c->us()->Get(i);
        if (!finite(size) || !finite(us) || size <= 0 || us <= 0 ||
            (i > 0 && size <= c->size()->Get(i - 1)))
          return "cost model: curve '" + name +
                 "' must have sizes > 0 in increasing order and times > 0";
      }
    }
  if (const fb::PredictedTimeline *tl = s.timeline()) {
    uint32_t n = tl->buckets() ? tl->buckets()->size() : 0;
    if (n && !aligned8(tl->buckets()->data()))
      return "predicted timeline is not aligned";
    if (n != s.buckets()->size())
      return "predicted timeline has " + std::to_string(n) + " entries for " +
             std::to_string(s.buckets()->size()) + " buckets";
    for (uint32_t b = 0; b < n; ++b) {
      const fb::BucketTimes *t = tl->buckets()->Get(b);
      if (!nonNegative(t->ready_us()) || !nonNegative(t->start_us()) ||
          !nonNegative(t->end_us()))
        return "predicted timeline: bucket " + std::to_string(b) +
               "'s times must be finite and >= 0";
    }
    if (!nonNegative(tl->iteration_us()) ||
        !nonNegative(tl->exposed_comm_us()) || !nonNegative(tl->noise()))
      return "predicted timeline: iteration_us, exposed_comm_us and noise "
             "must be finite and >= 0";
    if (!computeTime(tl->forward_us()) || !computeTime(tl->backward_us()) ||
        !computeTime(tl->update_us()))
      return "predicted timeline: forward_us, backward_us and update_us must "
             "be finite, >= 0 and at most an hour (3.6e9 us)";
  }
  return "";
}

} // namespace

std::string checkSchedule(const fb::Schedule &s) {
  if (s.world_size() < 1)
    return "world size must be >= 1";
  for (auto check :
       {checkTensors, checkBuckets, checkSteps, checkCostAndTimeline}) {
    std::string err = check(s);
    if (!err.empty())
      return err;
  }
  return "";
}

ScheduleOrError readScheduleBuffer(std::vector<uint8_t> bytes) {
  ScheduleOrError result;
  if (bytes.size() < 8 ||
      std::memcmp(bytes.data() + 4, fb::ScheduleIdentifier(), 4) != 0) {
    result.error = "not an AGTF schedule (no 'AGTF' file identifier)";
    return result;
  }
  if (bytes.size() > kMaxScheduleBytes) {
    result.error =
        "schedule is too large (" + std::to_string(bytes.size()) + " bytes)";
    return result;
  }
  flatbuffers::Verifier verifier(bytes.data(), bytes.size());
  if (!fb::VerifyScheduleBuffer(verifier)) {
    result.error = "schedule is corrupt (FlatBuffers verification failed)";
    return result;
  }
  const fb::Schedule *root = fb::GetSchedule(bytes.data());
  uint32_t version = root->format_version();
  if (version > kScheduleFormatVersion) {
    result.error = "schedule format version " + std::to_string(version) +
                   " is newer than this agtf-run supports (" +
                   std::to_string(kScheduleFormatVersion) + ")";
    return result;
  }
  if (version < 1) {
    result.error = "schedule format version 0 is not valid";
    return result;
  }
  std::string err = checkSchedule(*root);
  if (!err.empty()) {
    result.error = "invalid schedule: " + err;
    return result;
  }
  result.schedule = std::make_shared<const Schedule>(std::move(bytes));
  return result;
}

ScheduleOrError readSchedule(const std::string &path) {
  ScheduleOrError result;
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) {
    int why = errno;
    result.error = "cannot read schedule '" + path + "'";
    if (why)
      result.error += std::string(": ") + std::strerror(why);
    return result;
  }
  std::streamoff size = in.tellg();
  if (size < 0 || static_cast<uint64_t>(size) > kMaxScheduleBytes) {
    result.error = "schedule '" + path + "' has an unreasonable size";
    return result;
  }
  std::vector<uint8_t> bytes(static_cast<size_t>(size));
  in.seekg(0);
  if (size > 0 && !in.read(reinterpret_cast<char *>(bytes.data()), size)) {
    result.error = "cannot read schedule '" + path + "'";
    return result;
  }
  result = readScheduleBuffer(std::move(bytes));
  if (!result)
    result.error = path + ": " + result.error;
  return result;
}

} // namespace agtf::runtime
