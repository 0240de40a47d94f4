//===- CompressionMethods.cpp - the methods gcomm-merge plans with --------===//

#include "passes/CompressionMethods.h"

#include "dialect/GCommAttrs.h"

#include "mlir/IR/BuiltinTypes.h"

#include <array>

using namespace mlir;
using namespace agtf;
using namespace agtf::gcomm;

namespace {
Type f32(MLIRContext *ctx) { return Float32Type::get(ctx); }

Attribute dense(MLIRContext *ctx, llvm::APFloat, int64_t) {
  return DenseAttr::get(ctx, f32(ctx));
}
Attribute denseHalf(MLIRContext *ctx, llvm::APFloat, int64_t) {
  return DenseAttr::get(ctx, Float16Type::get(ctx));
}
Attribute topK(MLIRContext *ctx, llvm::APFloat density, int64_t) {
  return TopKAttr::get(ctx, density, SelectMethod::exact, f32(ctx));
}
Attribute topKSampled(MLIRContext *ctx, llvm::APFloat density, int64_t) {
  return TopKAttr::get(ctx, density, SelectMethod::sampled, f32(ctx));
}
Attribute gTopK(MLIRContext *ctx, llvm::APFloat density, int64_t) {
  return GTopKAttr::get(ctx, density, f32(ctx));
}
// DGC's published momentum and warmup epochs.
Attribute dgc(MLIRContext *ctx, llvm::APFloat density, int64_t) {
  return DGCAttr::get(ctx, density, llvm::APFloat(0.9), 5, f32(ctx));
}
Attribute acp(MLIRContext *ctx, llvm::APFloat, int64_t rank) {
  return LowRankAttr::get(ctx, rank, LowRankMethod::acp);
}
Attribute powerSgd(MLIRContext *ctx, llvm::APFloat, int64_t rank) {
  return LowRankAttr::get(ctx, rank, LowRankMethod::powersgd);
}

bool isDense(Attribute a) { return isa<DenseAttr>(a); }
bool isTopKExact(Attribute a) {
  auto t = dyn_cast<TopKAttr>(a);
  return t && t.getSelect() == SelectMethod::exact;
}
bool isTopKSampled(Attribute a) {
  auto t = dyn_cast<TopKAttr>(a);
  return t && t.getSelect() == SelectMethod::sampled;
}
bool isGTopK(Attribute a) { return isa<GTopKAttr>(a); }
bool isDgc(Attribute a) { return isa<DGCAttr>(a); }
bool isAcp(Attribute a) {
  auto l = dyn_cast<LowRankAttr>(a);
  return l && l.getMethod() == LowRankMethod::acp;
}
bool isPowerSgd(Attribute a) {
  auto l = dyn_cast<LowRankAttr>(a);
  return l && l.getMethod() == LowRankMethod::powersgd;
}

using R = ResidualUpdate;
const std::array<CompressionMethodRow, 8> kMethods = {{
    {"dense", "", cost::Method::Dense, false, &dense, &isDense, R::None},
    {"dense-f16", "", cost::Method::Dense, true, &denseHalf, &isDense, R::None},
    {"topk", "", cost::Method::TopK, false, &topK, &isTopKExact,
     R::AfterCompress},
    {"topk-sampled", "", cost::Method::TopKSampled, false, &topKSampled,
     &isTopKSampled, R::AfterCompress},
    {"gtopk", "", cost::Method::GTopK, false, &gTopK, &isGTopK,
     R::AfterCollective},
    {"dgc", "", cost::Method::DGC, false, &dgc, &isDgc, R::AfterCompress},
    {"lowrank", "acp", cost::Method::LowRank, false, &acp, &isAcp,
     R::AfterDecompress},
    {"powersgd", "", cost::Method::PowerSGD, false, &powerSgd, &isPowerSgd,
     R::AfterDecompress},
}};
} // namespace

llvm::ArrayRef<CompressionMethodRow> agtf::gcomm::compressionMethods() {
  return kMethods;
}

const CompressionMethodRow *
agtf::gcomm::findCompressionMethod(llvm::StringRef name) {
  for (const CompressionMethodRow &row : kMethods)
    if (name == row.name || (!row.alias.empty() && name == row.alias))
      return &row;
  return nullptr;
}

const CompressionMethodRow &agtf::gcomm::rowOf(cost::Method method,
                                               bool halfPrecision) {
  for (const CompressionMethodRow &row : kMethods)
    if (row.method == method &&
        (method != cost::Method::Dense || row.halfPrecision == halfPrecision))
      return row;
  llvm_unreachable("a cost::Method without a row in kMethods");
}

const CompressionMethodRow &agtf::gcomm::rowOf(Attribute compression) {
  for (const CompressionMethodRow &row : kMethods)
    if (row.matches(compression))
      return row;
  llvm_unreachable("a compression attribute without a row in kMethods");
}

std::string agtf::gcomm::compressionMethodList() {
  std::string list;
  for (size_t i = 0; i < kMethods.size(); ++i) {
    list += i == 0 ? "" : i + 1 == kMethods.size() ? " or " : ", ";
    list += kMethods[i].name.str();
    if (!kMethods[i].alias.empty())
      list += " (" + kMethods[i].alias.str() + ")";
  }
  return list;
}
