//===- MergeBuckets.cpp - gcomm-merge pass --------------------------------===//
//
// Chooses how the gradient tensors of a graph are fused into buckets. The
// bucket's sparsity keeps the top-k budget of its members (DESIGN.md §4):
// k_G = sum_i max(1, ceil(rho_i * n_i)), with rho_i the tensor's `density`
// attribute or the pass option.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringSwitch.h"

#include <cmath>

namespace agtf::gcomm {
#define GEN_PASS_DEF_GCOMMMERGE
#include "passes/Passes.h.inc"
} // namespace agtf::gcomm

using namespace mlir;
using namespace agtf::gcomm;

namespace {

/// A bucket as a half-open range [begin, end) of tensor positions.
struct Range {
  size_t begin, end;
};

struct MergeBucketsPass
    : public agtf::gcomm::impl::GCommMergeBase<MergeBucketsPass> {
  using Base::Base;
  void runOnOperation() override;

private:
  FailureOr<SmallVector<Range>> partition(ArrayRef<TensorOp> tensors);
  FailureOr<CompressionAttrInterface>
  compressionFor(ArrayRef<TensorOp> members);
};

} // namespace

FailureOr<SmallVector<Range>>
MergeBucketsPass::partition(ArrayRef<TensorOp> tensors) {
  SmallVector<Range> ranges;
  if (strategy == "layerwise") {
    for (size_t i = 0; i < tensors.size(); ++i)
      ranges.push_back({i, i + 1});
  } else if (strategy == "single") {
    ranges.push_back({0, tensors.size()});
  } else if (strategy == "threshold") {
    if (bucketBytes < 1 || firstBucketBytes < 1)
      return getOperation().emitError()
             << "gcomm-merge: bucket-bytes and first-bucket-bytes must be "
                ">= 1";
    size_t begin = 0;
    int64_t bytes = 0;
    for (size_t i = 0; i < tensors.size(); ++i) {
      TensorOp tensor = tensors[i];
      bytes += tensor.getNumel() * tensor.getElementBytes();
      int64_t limit = ranges.empty() ? firstBucketBytes : bucketBytes;
      if (bytes >= limit || i + 1 == tensors.size()) {
        ranges.push_back({begin, i + 1});
        begin = i + 1;
        bytes = 0;
      }
    }
  } else {
    return getOperation().emitError()
           << "gcomm-merge: unknown strategy '" << strategy
           << "'; expected layerwise, single or threshold";
  }
  return ranges;
}

FailureOr<CompressionAttrInterface>
MergeBucketsPass::compressionFor(ArrayRef<TensorOp> members) {
  MLIRContext *ctx = &getContext();
  auto f32 = Float32Type::get(ctx);
  bool sparse =
      compression == "topk" || compression == "gtopk" || compression == "dgc";
  bool allVectors = llvm::all_of(
      members, [](TensorOp t) { return t.getRankedType().getRank() <= 1; });
  if (compression == "dense" ||
      ((sparse || compression == "lowrank") && allVectors))
    return cast<CompressionAttrInterface>(DenseAttr::get(ctx, f32));
  if (compression == "dense-f16")
    return cast<CompressionAttrInterface>(
        DenseAttr::get(ctx, Float16Type::get(ctx)));
  if (compression == "lowrank") {
    if (rank < 1)
      return getOperation().emitError()
             << "gcomm-merge: rank must be >= 1, got " << int64_t(rank);
    return cast<CompressionAttrInterface>(
        LowRankAttr::get(ctx, rank, LowRankMethod::acp));
  }
  if (!sparse)
    return getOperation().emitError()
           << "gcomm-merge: unknown compression '" << compression
           << "'; expected dense, dense-f16, topk, gtopk, dgc or lowrank";
  if (!(density > 0.0 && density <= 1.0))
    return getOperation().emitError()
           << "gcomm-merge: density must be in (0, 1], got "
           << formatF64(density);

  // Keep the members' total top-k budget.
  double kept = 0.0, numel = 0.0;
  for (TensorOp t : members) {
    double rho = density;
    if (FloatAttr attr = t.getDensityAttr())
      rho = attr.getValueAsDouble();
    double n = static_cast<double>(t.getNumel());
    kept += std::max(1.0, std::ceil(rho * n));
    numel += n;
  }
  llvm::APFloat rho(std::min(1.0, kept / numel));
  if (compression == "topk")
    return cast<CompressionAttrInterface>(
        TopKAttr::get(ctx, rho, SelectMethod::exact, f32));
  if (compression == "gtopk")
    return cast<CompressionAttrInterface>(GTopKAttr::get(ctx, rho, f32));
  return cast<CompressionAttrInterface>(
      DGCAttr::get(ctx, rho, llvm::APFloat(0.9), 5, f32));
}

void MergeBucketsPass::runOnOperation() {
  GraphOp graph = getOperation();
  for (BucketOp bucket : llvm::make_early_inc_range(graph.getBuckets()))
    bucket.erase();

  SmallVector<TensorOp> tensors(graph.getTensors());
  FailureOr<SmallVector<Range>> ranges = partition(tensors);
  if (failed(ranges))
    return signalPassFailure();

  SymbolTable symbols(graph);
  OpBuilder builder = OpBuilder::atBlockEnd(&graph.getBody().front());
  for (auto [index, range] : llvm::enumerate(*ranges)) {
    ArrayRef<TensorOp> members =
        ArrayRef(tensors).slice(range.begin, range.end - range.begin);
    FailureOr<CompressionAttrInterface> attr = compressionFor(members);
    if (failed(attr))
      return signalPassFailure();
    SmallVector<Attribute> refs;
    for (TensorOp t : members)
      refs.push_back(FlatSymbolRefAttr::get(t.getSymNameAttr()));
    auto bucket = builder.create<BucketOp>(
        graph.getLoc(), builder.getStringAttr("b" + std::to_string(index)),
        builder.getArrayAttr(refs), *attr,
        CollectiveAttr::get(&getContext(), attr->getDefaultCollective()),
        /*predicted=*/TimesAttr());
    // Renames the bucket if a tensor already uses the name.
    symbols.insert(bucket);
  }
}
