//===- ScheduleCompression.cpp - compression and the schedule ------------===//

#include "ScheduleCompression.h"

#include "dialect/GCommAttrs.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace agtf;
using namespace agtf::gcomm;
namespace fb = agtf::fb;

runtime::CompressionSpec agtf::gcomm::compressionSpecOf(Attribute attr) {
  runtime::CompressionSpec spec;
  auto wire = [](Type t) {
    return t.isF16() ? fb::DType::f16
                     : (t.isBF16() ? fb::DType::bf16 : fb::DType::f32);
  };
  llvm::TypeSwitch<Attribute>(attr)
      .Case([&](DenseAttr a) { spec.valueDtype = wire(a.getValueType()); })
      .Case([&](TopKAttr a) {
        spec.kind = fb::CompressionKind::topk;
        spec.density = a.getDensity().convertToDouble();
        spec.select = a.getSelect() == SelectMethod::sampled
                          ? fb::SelectMethod::sampled
                          : fb::SelectMethod::exact;
        spec.valueDtype = wire(a.getValue());
      })
      .Case([&](GTopKAttr a) {
        spec.kind = fb::CompressionKind::gtopk;
        spec.density = a.getDensity().convertToDouble();
        spec.valueDtype = wire(a.getValue());
      })
      .Case([&](DGCAttr a) {
        spec.kind = fb::CompressionKind::dgc;
        spec.density = a.getDensity().convertToDouble();
        spec.momentum = a.getMomentum().convertToDouble();
        spec.warmupEpochs = int32_t(a.getWarmup());
        spec.valueDtype = wire(a.getValue());
      })
      .Case([&](LowRankAttr a) {
        spec.kind = fb::CompressionKind::lowrank;
        spec.rank = int32_t(a.getRank());
        spec.lowRankMethod = a.getMethod() == LowRankMethod::powersgd
                                 ? fb::LowRankMethod::powersgd
                                 : fb::LowRankMethod::acp;
      });
  return spec;
}

Type agtf::gcomm::typeOf(MLIRContext *ctx, fb::DType d) {
  switch (d) {
  case fb::DType::f16:
    return Float16Type::get(ctx);
  case fb::DType::bf16:
    return BFloat16Type::get(ctx);
  default:
    return Float32Type::get(ctx);
  }
}

Attribute agtf::gcomm::attributeOf(MLIRContext *ctx,
                                   const runtime::CompressionSpec &spec) {
  Type value = typeOf(ctx, spec.valueDtype);
  llvm::APFloat density(spec.density);
  // Every kind, no default: a kind added to the schedule without its
  // attribute here is a -Wswitch warning, not a silent dense.
  switch (spec.kind) {
  case fb::CompressionKind::dense:
    return DenseAttr::get(ctx, value);
  case fb::CompressionKind::topk:
    return TopKAttr::get(ctx, density,
                         spec.select == fb::SelectMethod::sampled
                             ? SelectMethod::sampled
                             : SelectMethod::exact,
                         value);
  case fb::CompressionKind::gtopk:
    return GTopKAttr::get(ctx, density, value);
  case fb::CompressionKind::dgc:
    return DGCAttr::get(ctx, density, llvm::APFloat(spec.momentum),
                        spec.warmupEpochs, value);
  case fb::CompressionKind::lowrank:
    return LowRankAttr::get(ctx, spec.rank,
                            spec.lowRankMethod == fb::LowRankMethod::powersgd
                                ? LowRankMethod::powersgd
                                : LowRankMethod::acp);
  }
  llvm_unreachable("the schedule reader refuses unknown kinds");
}
