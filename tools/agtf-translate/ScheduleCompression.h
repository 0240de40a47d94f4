//===- ScheduleCompression.h - compression and the schedule ----*- C++ -*-===//
//
// Both directions between a bucket's compression attribute and the
// schedule's compression table, side by side, so that a compression kind or
// a parameter is added in one file: --gcomm-to-schedule writes
// compressionSpecOf(attr), --schedule-to-gcomm reads attributeOf(spec).
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_TOOLS_AGTF_TRANSLATE_SCHEDULECOMPRESSION_H
#define AGTF_TOOLS_AGTF_TRANSLATE_SCHEDULECOMPRESSION_H

#include "runtime/ScheduleBuilder.h"

#include "mlir/IR/Attributes.h"
#include "mlir/IR/MLIRContext.h"

namespace agtf::gcomm {

/// The schedule's table of a bucket's `compression` attribute.
runtime::CompressionSpec compressionSpecOf(mlir::Attribute compression);

/// The element type of a schedule's dtype (f32 for int32, which no value
/// has).
mlir::Type typeOf(mlir::MLIRContext *ctx, fb::DType dtype);

/// The `compression` attribute of a schedule's table.
mlir::Attribute attributeOf(mlir::MLIRContext *ctx,
                            const runtime::CompressionSpec &spec);

} // namespace agtf::gcomm

#endif // AGTF_TOOLS_AGTF_TRANSLATE_SCHEDULECOMPRESSION_H
