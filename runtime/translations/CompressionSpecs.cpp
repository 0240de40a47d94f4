//===- CompressionSpecs.cpp - compression attributes and the schedule -----===//

#include "runtime/translations/CompressionSpecs.h"

#include "dialect/GCommAttrs.h"

using namespace mlir;
using namespace agtf;
using namespace agtf::gcomm;
namespace fb = agtf::fb;
using runtime::CompressionSpec;

namespace {
fb::DType wireOf(Type t) {
  return t.isF16() ? fb::DType::f16
                   : (t.isBF16() ? fb::DType::bf16 : fb::DType::f32);
}
fb::SelectMethod selectOf(SelectMethod m) {
  return m == SelectMethod::sampled ? fb::SelectMethod::sampled
                                    : fb::SelectMethod::exact;
}
SelectMethod selectOf(fb::SelectMethod m) {
  return m == fb::SelectMethod::sampled ? SelectMethod::sampled
                                        : SelectMethod::exact;
}
fb::LowRankMethod lowRankOf(LowRankMethod m) {
  return m == LowRankMethod::powersgd ? fb::LowRankMethod::powersgd
                                      : fb::LowRankMethod::acp;
}
LowRankMethod lowRankOf(fb::LowRankMethod m) {
  return m == fb::LowRankMethod::powersgd ? LowRankMethod::powersgd
                                          : LowRankMethod::acp;
}

// One pair per kind's attribute: the fields it carries into the schedule
// (readSpec) and back (build). The pointer only picks the overload.
void readSpec(DenseAttr a, CompressionSpec &s) {
  s.valueDtype = wireOf(a.getValueType());
}
Attribute build(DenseAttr *, MLIRContext *ctx, const CompressionSpec &s) {
  return DenseAttr::get(ctx, typeOf(ctx, s.valueDtype));
}

void readSpec(TopKAttr a, CompressionSpec &s) {
  s.density = a.getDensity().convertToDouble();
  s.select = selectOf(a.getSelect());
  s.valueDtype = wireOf(a.getValue());
}
Attribute build(TopKAttr *, MLIRContext *ctx, const CompressionSpec &s) {
  return TopKAttr::get(ctx, llvm::APFloat(s.density), selectOf(s.select),
                       typeOf(ctx, s.valueDtype));
}

void readSpec(GTopKAttr a, CompressionSpec &s) {
  s.density = a.getDensity().convertToDouble();
  s.valueDtype = wireOf(a.getValue());
}
Attribute build(GTopKAttr *, MLIRContext *ctx, const CompressionSpec &s) {
  return GTopKAttr::get(ctx, llvm::APFloat(s.density),
                        typeOf(ctx, s.valueDtype));
}

void readSpec(DGCAttr a, CompressionSpec &s) {
  s.density = a.getDensity().convertToDouble();
  s.momentum = a.getMomentum().convertToDouble();
  s.warmupEpochs = int32_t(a.getWarmup());
  s.valueDtype = wireOf(a.getValue());
}
Attribute build(DGCAttr *, MLIRContext *ctx, const CompressionSpec &s) {
  return DGCAttr::get(ctx, llvm::APFloat(s.density), llvm::APFloat(s.momentum),
                      s.warmupEpochs, typeOf(ctx, s.valueDtype));
}

void readSpec(LowRankAttr a, CompressionSpec &s) {
  s.rank = int32_t(a.getRank());
  s.lowRankMethod = lowRankOf(a.getMethod());
}
Attribute build(LowRankAttr *, MLIRContext *ctx, const CompressionSpec &s) {
  return LowRankAttr::get(ctx, s.rank, lowRankOf(s.lowRankMethod));
}
} // namespace

CompressionSpec agtf::gcomm::compressionSpecOf(Attribute attr) {
  CompressionSpec spec;
#define AGTF_COMPRESSION_KIND(Kind, Name, Collective, Sparse, Cpu, Cuda)       \
  if (auto a = dyn_cast<Name##Attr>(attr)) {                                   \
    spec.kind = fb::CompressionKind::Kind;                                     \
    readSpec(a, spec);                                                         \
    return spec;                                                               \
  }
#include "runtime/CompressionMethods.def"
  llvm_unreachable("a compression attribute without a kind row in "
                   "runtime/CompressionMethods.def");
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
                                   const CompressionSpec &spec) {
  // Every kind, no default: a kind in the schema without a row is a -Wswitch
  // warning, and a row without its build overload does not compile.
  switch (spec.kind) {
#define AGTF_COMPRESSION_KIND(Kind, Name, Collective, Sparse, Cpu, Cuda)       \
  case fb::CompressionKind::Kind:                                              \
    return build(static_cast<Name##Attr *>(nullptr), ctx, spec);
#include "runtime/CompressionMethods.def"
  }
  llvm_unreachable("the schedule reader refuses unknown kinds");
}
