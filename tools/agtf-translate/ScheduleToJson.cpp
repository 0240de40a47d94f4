//===- ScheduleToJson.cpp - schedule.bin as JSON --------------------------===//

#include "Translations.h"

#include "dialect/GCommAttrs.h"
#include "runtime/ScheduleReader.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;
using namespace agtf;
namespace fb = agtf::fb;

static LogicalResult
translate(const std::shared_ptr<llvm::SourceMgr> &sourceMgr,
          llvm::raw_ostream &output, MLIRContext *ctx) {
  const llvm::MemoryBuffer *input =
      sourceMgr->getMemoryBuffer(sourceMgr->getMainFileID());
  std::vector<uint8_t> bytes(input->getBufferStart(), input->getBufferEnd());
  runtime::ScheduleOrError read = runtime::readScheduleBuffer(bytes);
  if (!read)
    return emitError(
               FileLineColLoc::get(ctx, input->getBufferIdentifier(), 0, 0))
           << read.error;
  const fb::Schedule &s = read.schedule->root();

  llvm::json::OStream j(output, 2);
  // Doubles in their shortest round-trip form (0.1, not 0.10000000000000001).
  auto number = [&](llvm::StringRef key, double value) {
    j.attributeBegin(key);
    j.rawValue([&](llvm::raw_ostream &os) { os << gcomm::formatF64(value); });
    j.attributeEnd();
  };
  j.object([&] {
    j.attribute("format_version", s.format_version());
    j.attribute("producer_version", s.producer_version()
                                        ? s.producer_version()->str()
                                        : std::string());
    char hash[19];
    snprintf(hash, sizeof(hash), "0x%016llx",
             static_cast<unsigned long long>(s.layout_hash()));
    j.attribute("layout_hash", hash);
    j.attribute("world_size", s.world_size());
    const fb::CostModel *cm = s.cost_model();
    j.attributeObject("cost_model", [&] {
      j.attributeObject("collectives", [&] {
        for (const fb::CollectiveCost *c : *cm->collectives())
          j.attributeObject(fb::EnumNameCollective(c->collective()), [&] {
            number("alpha_us", c->alpha_us());
            number("beta_us_per_byte", c->beta_us_per_byte());
          });
      });
      number("sparsify_us", cm->sparsify_us());
      number("sparsify_us_per_element", cm->sparsify_us_per_element());
      number("pack_us_per_element", cm->pack_us_per_element());
      j.attribute("value_bytes", cm->value_bytes());
      j.attribute("index_bytes", cm->index_bytes());
      j.attribute("timeline", fb::EnumNameTimelineKind(cm->timeline()));
    });
    j.attributeArray("tensors", [&] {
      for (const fb::Tensor *t : *s.tensors())
        j.object([&] {
          j.attribute("name", t->name()->str());
          j.attributeArray("shape", [&] {
            if (t->shape()) // absent: a scalar
              for (int64_t d : *t->shape())
                j.value(d);
          });
          j.attribute("numel", t->numel());
          j.attribute("dtype", fb::EnumNameDType(t->dtype()));
          j.attribute("offset", t->offset());
          number("backward_us", t->backward_us());
        });
    });
    const fb::PredictedTimeline *timeline = s.timeline();
    j.attributeArray("buckets", [&] {
      for (auto [index, b] : llvm::enumerate(*s.buckets()))
        j.object([&] {
          j.attribute("name", b->name() ? b->name()->str() : std::string());
          j.attribute("first_tensor", b->first_tensor());
          j.attribute("tensor_count", b->tensor_count());
          const fb::Compression *c = b->compression();
          j.attributeObject("compression", [&] {
            j.attribute("kind", fb::EnumNameCompressionKind(c->kind()));
            switch (c->kind()) {
            case fb::CompressionKind::dense:
              break;
            case fb::CompressionKind::lowrank:
              j.attribute("rank", c->rank());
              j.attribute("method",
                          fb::EnumNameLowRankMethod(c->lowrank_method()));
              break;
            default:
              number("density", c->density());
              j.attribute("select", fb::EnumNameSelectMethod(c->select()));
              j.attribute("index_dtype", fb::EnumNameDType(c->index_dtype()));
              if (c->kind() == fb::CompressionKind::dgc) {
                number("momentum", c->momentum());
                j.attribute("warmup_epochs", c->warmup_epochs());
              }
            }
            j.attribute("value_dtype", fb::EnumNameDType(c->value_dtype()));
          });
          j.attribute("collective", fb::EnumNameCollective(b->collective()));
          if (timeline) {
            const fb::BucketTimes *t = timeline->buckets()->Get(index);
            j.attributeObject("predicted", [&] {
              number("ready_us", t->ready_us());
              number("start_us", t->start_us());
              number("end_us", t->end_us());
            });
          }
        });
    });
    j.attributeArray("steps", [&] {
      if (s.steps())
        for (const fb::Step *step : *s.steps())
          j.object([&] {
            j.attribute("kind", fb::EnumNameStepKind(step->kind()));
            j.attribute("bucket", step->bucket());
            j.attribute("stream", step->stream());
            j.attributeArray("deps", [&] {
              if (step->deps())
                for (uint32_t d : *step->deps())
                  j.value(d);
            });
          });
    });
    if (timeline)
      j.attributeObject("predicted", [&] {
        number("iteration_us", timeline->iteration_us());
        number("exposed_comm_us", timeline->exposed_comm_us());
        number("noise", timeline->noise());
        number("forward_us", timeline->forward_us());
        number("backward_us", timeline->backward_us());
        number("update_us", timeline->update_us());
      });
  });
  output << "\n";
  return success();
}

void agtf::registerScheduleToJson() {
  TranslateRegistration registration("schedule-to-json",
                                     "Print schedule.bin as JSON", translate);
}
