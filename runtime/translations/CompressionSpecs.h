//===- CompressionSpecs.h - compression attributes and the schedule -*- C++
//-*-//
//
// Both directions between a bucket's compression attribute and the
// schedule's compression table, side by side: --gcomm-to-schedule writes
// compressionSpecOf(attr), --schedule-to-gcomm reads attributeOf(spec), and
// gcomm-merge writes a method's attribute through attributeOf. The kinds
// come from runtime/CompressionMethods.def; each kind's attribute has one
// pair of conversions in CompressionSpecs.cpp, and a kind without them does
// not build.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_TRANSLATIONS_COMPRESSIONSPECS_H
#define AGTF_RUNTIME_TRANSLATIONS_COMPRESSIONSPECS_H

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

#endif // AGTF_RUNTIME_TRANSLATIONS_COMPRESSIONSPECS_H
