//===- MakeSeeds.cpp - valid schedules to start the fuzzer from -----------===//
//
// Writes one valid schedule per compression kind, with and without stream
// steps and a timeline, into the directory given.
//
//===----------------------------------------------------------------------===//

#include "runtime/OutputFile.h"
#include "runtime/ScheduleBuilder.h"
#include "runtime/ScheduleReader.h"

#include <cstdio>
#include <string>

using namespace agtf;
using namespace agtf::runtime;

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make-seeds DIR\n");
    return 2;
  }
  const fb::CompressionKind kinds[] = {
      fb::CompressionKind::dense, fb::CompressionKind::topk,
      fb::CompressionKind::gtopk, fb::CompressionKind::dgc,
      fb::CompressionKind::lowrank};
  const fb::Collective collectives[] = {
      fb::Collective::allreduce, fb::Collective::allgather,
      fb::Collective::gtopk, fb::Collective::allgather,
      fb::Collective::allreduce};
  int written = 0;
  for (int k = 0; k < 5; ++k) {
    for (int variant = 0; variant < 2; ++variant) {
      ScheduleSpec spec;
      spec.worldSize = 4;
      spec.tensors = {{"fc.bias", {10}},
                      {"fc.weight", {10, 84}},
                      {"conv.weight", {6, 1, 5, 5}}};
      BucketSpec dense{"b0", 0, 1, {}, fb::Collective::allreduce};
      BucketSpec other{"b1", 1, 2, {}, collectives[k]};
      other.compression.kind = kinds[k];
      other.compression.density =
          kinds[k] == fb::CompressionKind::dense ? 1.0 : 0.01;
      other.compression.rank = 2;
      other.compression.warmupEpochs = 5;
      spec.buckets = {dense, other};
      if (variant == 1) {
        // Every bucket communicated once, by its own collective.
        fb::StepKind carried = collectives[k] == fb::Collective::allgather
                                   ? fb::StepKind::allgather
                               : collectives[k] == fb::Collective::gtopk
                                   ? fb::StepKind::gtopk_reduce
                                   : fb::StepKind::allreduce;
        spec.steps = {{fb::StepKind::pack, 0, 1, {}},
                      {fb::StepKind::allreduce, 0, 2, {0}},
                      {fb::StepKind::unpack, 0, 3, {1}},
                      {carried, 1, 2, {1}},
                      {fb::StepKind::unpack, 1, 3, {3}}};
        spec.timeline =
            TimelineSpec{{{10, 10, 50}, {60, 60, 90}}, 120, 30, 0.5};
      }
      std::vector<uint8_t> bytes = buildSchedule(spec);
      ScheduleOrError check = readScheduleBuffer(bytes);
      if (!check) {
        std::fprintf(stderr, "make-seeds: seed %d-%d invalid: %s\n", k, variant,
                     check.error.c_str());
        return 1;
      }
      std::string path = std::string(argv[1]) + "/seed-" + std::to_string(k) +
                         "-" + std::to_string(variant);
      std::string error = writeFile(
          path, {reinterpret_cast<const char *>(bytes.data()), bytes.size()});
      if (!error.empty()) {
        std::fprintf(stderr, "make-seeds: %s\n", error.c_str());
        return 1;
      }
      ++written;
    }
  }
  std::printf("make-seeds: %d valid schedules\n", written);
  return 0;
}
