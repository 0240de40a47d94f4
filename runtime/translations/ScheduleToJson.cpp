//===- ScheduleToJson.cpp - schedule.bin as JSON --------------------------===//

#include "runtime/translations/Translations.h"

#include "runtime/Json.h"
#include "runtime/ScheduleReader.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;
using namespace agtf;
namespace fb = agtf::fb;
using agtf::runtime::Json;

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

  char hash[19];
  snprintf(hash, sizeof(hash), "0x%016llx",
           static_cast<unsigned long long>(s.layout_hash()));
  const fb::CostModel *cm = s.cost_model();
  Json collectives = Json::object();
  for (const fb::CollectiveCost *c : *cm->collectives())
    collectives[fb::EnumNameCollective(c->collective())] = {
        {"alpha_us", c->alpha_us()},
        {"beta_us_per_byte", c->beta_us_per_byte()}};
  Json tensors = Json::array();
  for (const fb::Tensor *t : *s.tensors()) {
    Json shape = Json::array();
    if (t->shape()) // absent: a scalar
      for (int64_t d : *t->shape())
        shape.push_back(d);
    tensors.push_back({{"name", t->name()->str()},
                       {"shape", std::move(shape)},
                       {"numel", t->numel()},
                       {"dtype", fb::EnumNameDType(t->dtype())},
                       {"offset", t->offset()},
                       {"backward_us", t->backward_us()}});
  }
  const fb::PredictedTimeline *timeline = s.timeline();
  Json buckets = Json::array();
  for (auto [index, b] : llvm::enumerate(*s.buckets())) {
    const fb::Compression *c = b->compression();
    Json compression = {{"kind", fb::EnumNameCompressionKind(c->kind())}};
    switch (c->kind()) {
    case fb::CompressionKind::dense:
      break;
    case fb::CompressionKind::lowrank:
      compression["rank"] = c->rank();
      compression["method"] = fb::EnumNameLowRankMethod(c->lowrank_method());
      break;
    default:
      compression["density"] = c->density();
      compression["select"] = fb::EnumNameSelectMethod(c->select());
      compression["index_dtype"] = fb::EnumNameDType(c->index_dtype());
      if (c->kind() == fb::CompressionKind::dgc) {
        compression["momentum"] = c->momentum();
        compression["warmup_epochs"] = c->warmup_epochs();
      }
    }
    compression["value_dtype"] = fb::EnumNameDType(c->value_dtype());
    Json bucket = {{"name", b->name() ? b->name()->str() : std::string()},
                   {"first_tensor", b->first_tensor()},
                   {"tensor_count", b->tensor_count()},
                   {"compression", std::move(compression)},
                   {"collective", fb::EnumNameCollective(b->collective())}};
    if (timeline) {
      const fb::BucketTimes *t = timeline->buckets()->Get(index);
      bucket["predicted"] = {{"ready_us", t->ready_us()},
                             {"start_us", t->start_us()},
                             {"end_us", t->end_us()}};
    }
    buckets.push_back(std::move(bucket));
  }
  // Measured curves: {"<name>": [[size, us], ...]}.
  Json curves = Json::object();
  if (cm->curves())
    for (const fb::CostCurve *curve : *cm->curves()) {
      Json points = Json::array();
      for (uint32_t i = 0; i < curve->size()->size(); ++i)
        points.push_back({curve->size()->Get(i), curve->us()->Get(i)});
      curves[curve->name()->str()] = std::move(points);
    }
  Json steps = Json::array();
  if (s.steps())
    for (const fb::Step *step : *s.steps()) {
      Json deps = Json::array();
      if (step->deps())
        for (uint32_t d : *step->deps())
          deps.push_back(d);
      steps.push_back({{"kind", fb::EnumNameStepKind(step->kind())},
                       {"bucket", step->bucket()},
                       {"stream", step->stream()},
                       {"deps", std::move(deps)}});
    }
  Json schedule = {
      {"format_version", s.format_version()},
      {"producer_version",
       s.producer_version() ? s.producer_version()->str() : std::string()},
      {"layout_hash", hash},
      {"world_size", s.world_size()},
      {"cost_model",
       {{"collectives", std::move(collectives)},
        {"sparsify_us", cm->sparsify_us()},
        {"sparsify_us_per_element", cm->sparsify_us_per_element()},
        {"pack_us_per_element", cm->pack_us_per_element()},
        {"decompress_us_per_element", cm->decompress_us_per_element()},
        {"bucket_us", cm->bucket_us()},
        {"curves", std::move(curves)},
        {"value_bytes", cm->value_bytes()},
        {"index_bytes", cm->index_bytes()},
        {"timeline", fb::EnumNameTimelineKind(cm->timeline())}}},
      {"tensors", std::move(tensors)},
      {"buckets", std::move(buckets)},
      {"steps", std::move(steps)}};
  if (timeline)
    schedule["predicted"] = {{"iteration_us", timeline->iteration_us()},
                             {"exposed_comm_us", timeline->exposed_comm_us()},
                             {"noise", timeline->noise()},
                             {"forward_us", timeline->forward_us()},
                             {"backward_us", timeline->backward_us()},
                             {"update_us", timeline->update_us()}};
  // The reader leaves the predicted times unchecked: a schedule with a NaN
  // in them still prints as JSON.
  output << runtime::JsonOutput("agtf-translate", "--schedule-to-json")
                .text(std::move(schedule), /*indent=*/2);
  return success();
}

void agtf::registerScheduleToJson() {
  TranslateRegistration registration("schedule-to-json",
                                     "Print schedule.bin as JSON", translate);
}
