//===- CompressionMethods.cpp - the methods gcomm-merge plans with --------===//

#include "passes/CompressionMethods.h"

#include "runtime/translations/CompressionSpecs.h"

#include <array>

using namespace mlir;
using namespace agtf;
using namespace agtf::gcomm;

namespace {
runtime::CompressionSpec shapeOf(fb::CompressionKind kind,
                                 fb::SelectMethod select,
                                 fb::LowRankMethod lowRank, fb::DType values,
                                 int32_t warmupEpochs) {
  runtime::CompressionSpec spec;
  spec.kind = kind;
  spec.select = select;
  spec.lowRankMethod = lowRank;
  spec.valueDtype = values;
  spec.warmupEpochs = warmupEpochs;
  return spec;
}

// The rows of runtime/CompressionMethods.def, in its order.
const CompressionMethodRow kMethods[] = {
#define AGTF_COMPRESSION_METHOD(Name, Alias, Kind, Select, LowRank, Values,    \
                                Warmup, Cost, Residual)                        \
  {Name,                                                                       \
   Alias,                                                                      \
   cost::Method::Cost,                                                         \
   fb::DType::Values == fb::DType::f16,                                        \
   shapeOf(fb::CompressionKind::Kind, fb::SelectMethod::Select,                \
           fb::LowRankMethod::LowRank, fb::DType::Values, Warmup),             \
   ResidualUpdate::Residual},
#include "runtime/CompressionMethods.def"
};

// Every cost::Method is some row's: writePlan finds a row for each.
constexpr bool pricesEveryMethod() {
  constexpr cost::Method costs[] = {
#define AGTF_COMPRESSION_METHOD(Name, Alias, Kind, Select, LowRank, Values,    \
                                Warmup, Cost, Residual)                        \
  cost::Method::Cost,
#include "runtime/CompressionMethods.def"
  };
  for (int m = 0; m <= int(cost::Method::Last); ++m) {
    bool found = false;
    for (cost::Method c : costs)
      found |= int(c) == m;
    if (!found)
      return false;
  }
  return true;
}
static_assert(pricesEveryMethod(), "a cost::Method without a method row in "
                                   "runtime/CompressionMethods.def");
} // namespace

Attribute CompressionMethodRow::attribute(MLIRContext *ctx,
                                          llvm::APFloat density,
                                          int64_t rank) const {
  runtime::CompressionSpec spec = shape;
  spec.density = density.convertToDouble();
  spec.rank = int32_t(rank);
  return attributeOf(ctx, spec);
}

bool CompressionMethodRow::matches(Attribute compression) const {
  runtime::CompressionSpec spec = compressionSpecOf(compression);
  return spec.kind == shape.kind && spec.select == shape.select &&
         spec.lowRankMethod == shape.lowRankMethod;
}

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
  // The method's row with the plan's values; a method without a binary16
  // row (every selection today) keeps its f32 row.
  const CompressionMethodRow *f32Row = nullptr;
  for (const CompressionMethodRow &row : kMethods) {
    if (row.method != method)
      continue;
    if (row.halfPrecision == halfPrecision)
      return row;
    if (!f32Row && !row.halfPrecision)
      f32Row = &row;
  }
  assert(f32Row && "pricesEveryMethod: every cost::Method has a row");
  return *f32Row;
}

const CompressionMethodRow &agtf::gcomm::rowOf(Attribute compression) {
  for (const CompressionMethodRow &row : kMethods)
    if (row.matches(compression))
      return row;
  llvm_unreachable("a compression attribute without a row in kMethods");
}

namespace {
/// The methods' spellings, "name (alias)", joined by `separator` and the
/// last two by `last`.
std::string joinMethods(llvm::StringRef separator, llvm::StringRef last) {
  std::string list;
  for (size_t i = 0; i < std::size(kMethods); ++i) {
    if (i > 0)
      list += (i + 1 == std::size(kMethods) ? last : separator).str();
    list += kMethods[i].name.str();
    if (!kMethods[i].alias.empty())
      list += " (" + kMethods[i].alias.str() + ")";
  }
  return list;
}
} // namespace

std::string agtf::gcomm::compressionMethodList() {
  return joinMethods(", ", " or ");
}

llvm::StringRef agtf::gcomm::compressionMethodHelp() {
  static const std::string help = joinMethods(" | ", " | ");
  return help;
}
