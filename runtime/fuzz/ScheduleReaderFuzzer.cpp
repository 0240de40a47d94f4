//===- ScheduleReaderFuzzer.cpp - libFuzzer target on the reader ----------===//
//
// Any bytes go to readScheduleBuffer; a schedule it accepts is walked field
// by field, so that AddressSanitizer sees any read the checks let through.
//
//===----------------------------------------------------------------------===//

#include "runtime/ScheduleReader.h"

#include <cstddef>
#include <cstdint>

using namespace agtf;

namespace {
volatile double sink;

void walk(const fb::Schedule &s) {
  double sum = s.world_size() + double(s.layout_hash() & 0xffff);
  for (const fb::CollectiveCost *c : *s.cost_model()->collectives())
    sum += c->alpha_us() + c->beta_us_per_byte();
  for (const fb::Tensor *t : *s.tensors()) {
    sum += t->name()->size() + t->numel() + t->offset() + t->backward_us();
    if (t->shape())
      for (int64_t d : *t->shape())
        sum += d;
  }
  for (const fb::Bucket *b : *s.buckets()) {
    sum += b->first_tensor() + b->tensor_count();
    sum += b->compression()->density() + b->compression()->rank();
    sum += b->name()->size();
  }
  if (s.steps())
    for (const fb::Step *step : *s.steps()) {
      sum += step->bucket() + step->stream();
      if (step->deps())
        for (uint32_t d : *step->deps())
          sum += d;
    }
  if (const fb::PredictedTimeline *t = s.timeline()) {
    sum += t->iteration_us();
    for (const fb::BucketTimes *b : *t->buckets())
      sum += b->ready_us() + b->end_us();
  }
  sink = sum;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  runtime::ScheduleOrError read =
      runtime::readScheduleBuffer(std::vector<uint8_t>(data, data + size));
  if (read)
    walk(read.schedule->root());
  return 0;
}
