//===- GCommOps.cpp - gcomm operations ------------------------------------===//

#include "dialect/GCommOps.h"
#include "runtime/Limits.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/DenseMap.h"

#include <cmath>

using namespace mlir;
using namespace agtf::gcomm;

#define GET_OP_CLASSES
#include "dialect/GCommOps.cpp.inc"

// A time or FLOP count attribute must be finite and non-negative.
static LogicalResult
verifyNonNegative(StringRef what, FloatAttr attr,
                  llvm::function_ref<InFlightDiagnostic()> emitError) {
  if (!attr)
    return success();
  double value = attr.getValueAsDouble();
  if (!(std::isfinite(value) && value >= 0.0))
    return emitError() << what << " must be finite and >= 0, got "
                       << formatF64(value);
  return success();
}

// A profiled compute time: non-negative, and at most an hour, since the
// replay waits it out.
static LogicalResult
verifyComputeTime(StringRef what, FloatAttr attr,
                  llvm::function_ref<InFlightDiagnostic()> emitError) {
  if (failed(verifyNonNegative(what, attr, emitError)))
    return failure();
  if (attr && attr.getValueAsDouble() > agtf::limits::kMaxComputeUs)
    return emitError() << what << " " << formatF64(attr.getValueAsDouble())
                       << " is over an hour (at most 3.6e9 us)";
  return success();
}

//===----------------------------------------------------------------------===//
// GraphOp
//===----------------------------------------------------------------------===//

void GraphOp::build(OpBuilder &builder, OperationState &state, StringRef name) {
  state.addAttribute(mlir::SymbolTable::getSymbolAttrName(),
                     builder.getStringAttr(name));
  Region *body = state.addRegion();
  body->push_back(new Block());
}

LogicalResult GraphOp::verify() {
  auto emit = [&] { return emitOpError() << "@" << getSymName() << ": "; };
  return success(
      succeeded(verifyComputeTime("forward_us", getForwardUsAttr(), emit)) &&
      succeeded(verifyComputeTime("backward_us", getBackwardUsAttr(), emit)) &&
      succeeded(verifyComputeTime("update_us", getUpdateUsAttr(), emit)) &&
      succeeded(verifyNonNegative("predicted_iter_us", getPredictedIterUsAttr(),
                                  emit)) &&
      succeeded(verifyNonNegative("predicted_exposed_comm_us",
                                  getPredictedExposedCommUsAttr(), emit)) &&
      succeeded(verifyNonNegative("predicted_noise", getPredictedNoiseAttr(),
                                  emit)) &&
      succeeded(verifyNonNegative("optimal_lower_bound_us",
                                  getOptimalLowerBoundUsAttr(), emit)));
}

LogicalResult GraphOp::verifyRegions() {
  for (Operation &op : getBody().front())
    if (isa<GraphOp>(op) || op.getDialect() != getOperation()->getDialect())
      return op.emitOpError()
             << "is not allowed in gcomm.graph @" << getSymName()
             << ": a graph holds only gcomm tensors, buckets and steps";
  // Position of each tensor in backprop order.
  llvm::DenseMap<StringAttr, unsigned> position;
  SmallVector<TensorOp> tensors;
  for (TensorOp tensor : getTensors()) {
    position[tensor.getSymNameAttr()] = tensors.size();
    tensors.push_back(tensor);
  }
  if (tensors.empty())
    return emitOpError() << "@" << getSymName() << " has no tensors";

  // The bucket holding each tensor, once planned.
  SmallVector<BucketOp> owner(tensors.size());
  // First tensor position not yet covered by an earlier bucket.
  unsigned next = 0;
  for (BucketOp bucket : getBuckets()) {
    ArrayRef<Attribute> members = bucket.getMembers().getValue();
    if (members.empty())
      return bucket.emitOpError()
             << "bucket @" << bucket.getSymName() << " has no tensors";
    std::optional<unsigned> previous;
    for (Attribute member : members) {
      auto ref = cast<FlatSymbolRefAttr>(member);
      auto it = position.find(ref.getAttr());
      if (it == position.end())
        return bucket.emitOpError() << "bucket @" << bucket.getSymName()
                                    << " names unknown tensor " << ref;
      unsigned pos = it->second;
      if (BucketOp other = owner[pos])
        return bucket.emitOpError()
               << "tensor " << ref << " is in bucket @" << other.getSymName()
               << " and in bucket @" << bucket.getSymName();
      owner[pos] = bucket;
      if (previous && pos != *previous + 1)
        return bucket.emitOpError()
               << "bucket @" << bucket.getSymName()
               << " is not a contiguous run in backprop order: " << ref
               << " does not directly follow @"
               << tensors[*previous].getSymName();
      if (!previous && pos != next)
        return bucket.emitOpError()
               << "bucket @" << bucket.getSymName() << " starts at " << ref
               << " but the next tensor in backprop order is @"
               << tensors[next].getSymName();
      previous = pos;
    }
    next = *previous + 1;
  }
  if (isPlanned() && next != tensors.size())
    return tensors[next].emitOpError()
           << "tensor @" << tensors[next].getSymName() << " is in no bucket";
  return verifySteps();
}

LogicalResult GraphOp::verifySteps() {
  llvm::DenseMap<StringAttr, BucketOp> buckets;
  for (BucketOp bucket : getBuckets())
    buckets[bucket.getSymNameAttr()] = bucket;
  llvm::DenseMap<StringAttr, unsigned> unpacks, collectives;
  bool lowered = false;
  for (Operation &op : getBody().front()) {
    if (isa<TensorOp, BucketOp>(op))
      continue;
    auto ref = op.getAttrOfType<FlatSymbolRefAttr>("bucket");
    if (!ref)
      continue;
    lowered = true;
    auto it = buckets.find(ref.getAttr());
    if (it == buckets.end())
      return op.emitOpError() << "step names unknown bucket " << ref;
    BucketOp bucket = it->second;
    Collective collective = bucket.getCollective();
    auto mismatch = [&](Collective expected) -> LogicalResult {
      if (collective == expected)
        return success();
      return op.emitOpError() << "bucket " << ref << " is carried by "
                              << stringifyCollective(collective) << ", not "
                              << stringifyCollective(expected);
    };
    bool compressed = !isa<DenseAttr>(bucket.getCompression());
    if (isa<AllreduceOp>(op) && failed(mismatch(Collective::allreduce)))
      return failure();
    if (isa<AllgatherOp>(op) && failed(mismatch(Collective::allgather)))
      return failure();
    if (isa<GTopKReduceOp>(op) && failed(mismatch(Collective::gtopk)))
      return failure();
    if (isa<CompressOp, ResidualUpdateOp, DecompressOp>(op) && !compressed)
      return op.emitOpError()
             << "bucket " << ref << " is dense: it has nothing to "
             << op.getName().stripDialect();
    if (isa<AllreduceOp, AllgatherOp, GTopKReduceOp>(op) &&
        ++collectives[ref.getAttr()] > 1)
      return op.emitOpError()
             << "bucket " << ref
             << " is communicated twice: each bucket has one collective step";
    if (isa<UnpackOp>(op) && ++unpacks[ref.getAttr()] > 1)
      return op.emitOpError()
             << "bucket " << ref
             << " is unpacked twice: each tensor must be produced once";
  }
  if (lowered)
    for (BucketOp bucket : getBuckets()) {
      if (!collectives.count(bucket.getSymNameAttr()))
        return bucket.emitOpError() << "bucket @" << bucket.getSymName()
                                    << " has no collective step: it is "
                                       "never communicated";
      if (!unpacks.count(bucket.getSymNameAttr()))
        return bucket.emitOpError() << "bucket @" << bucket.getSymName()
                                    << " has no unpack step: its tensors "
                                       "are never produced";
    }
  return success();
}

//===----------------------------------------------------------------------===//
// TensorOp
//===----------------------------------------------------------------------===//

LogicalResult TensorOp::verify() {
  auto emit = [&] {
    return emitOpError() << "tensor @" << getSymName() << ": ";
  };
  RankedTensorType type = getRankedType();
  if (!isa<FloatType>(type.getElementType()))
    return emit() << "element type must be a float type, got "
                  << type.getElementType();
  // Every dimension static and >= 1, the product checked before it is
  // formed: 2^32 x 2^32 would wrap to 0.
  if (!type.hasStaticShape() || agtf::limits::checkedNumel(type.getShape()) < 0)
    return emit() << "shape " << type
                  << " must have dimensions >= 1 and at most 2^48 elements";
  if (failed(verifyComputeTime("backward_us", getBackwardUsAttr(), emit)) ||
      failed(verifyNonNegative("flops", getFlopsAttr(), emit)) ||
      failed(verifyNonNegative("rms", getRmsAttr(), emit)) ||
      failed(verifyNonNegative("grad_norm", getGradNormAttr(), emit)))
    return failure();
  if (FloatAttr densityAttr = getDensityAttr()) {
    double density = densityAttr.getValueAsDouble();
    if (!(density > 0.0 && density <= 1.0))
      return emit() << "density must be in (0, 1], got " << formatF64(density);
  }
  if (std::optional<SketchAttr> sketch = getSketch())
    return sketch->verifyParameters(emit);
  return success();
}

//===----------------------------------------------------------------------===//
// BucketOp
//===----------------------------------------------------------------------===//

LogicalResult BucketOp::verify() {
  auto emit = [&] {
    return emitOpError() << "bucket @" << getSymName() << ": ";
  };
  CompressionAttrInterface compression = getCompression();
  if (failed(compression.verifyParameters(emit)))
    return failure();
  if (!compression.supportsCollective(getCollective()))
    return emit() << compression << " cannot be carried by "
                  << stringifyCollective(getCollective()) << "; use "
                  << stringifyCollective(compression.getDefaultCollective());
  if (std::optional<TimesAttr> predicted = getPredicted())
    return predicted->verifyParameters(emit);
  return success();
}
