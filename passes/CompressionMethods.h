//===- CompressionMethods.h - the methods gcomm-merge plans with -*- C++
//-*-===//
//
// One row per method that gcomm-merge's `compression` option (and
// --fuse-sparse's) names, expanded from runtime/CompressionMethods.def: its
// spelling, the cost model's method, the bucket attribute a plan writes for
// it and reads back, and the stream steps it lowers to. Parsing the option,
// reading a plan, writing one and the lowering look rows up here instead of
// spelling the methods (the bridge between IR and problem, with
// GraphProblem.h).
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_PASSES_COMPRESSIONMETHODS_H
#define AGTF_PASSES_COMPRESSIONMETHODS_H

#include "passes/cost/Problem.h"
#include "runtime/ScheduleBuilder.h"

#include "mlir/IR/Attributes.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace agtf::gcomm {

/// Where a method's stream program (gcomm-lower-to-streams) updates its
/// residual: after compressing (error feedback of a selection), after the
/// collective (gTop-k: what the global set left out), after decompressing
/// (low rank: the gradient less its approximation), or never (dense, which
/// neither compresses nor keeps a residual).
enum class ResidualUpdate {
  None,
  AfterCompress,
  AfterCollective,
  AfterDecompress
};

struct CompressionMethodRow {
  /// As the option spells it; `alias` ("" for none) is accepted too.
  llvm::StringLiteral name, alias;
  cost::Method method;
  /// dense-f16: dense buckets send binary16.
  bool halfPrecision;
  /// The schedule's table of a bucket of this method, less its density and
  /// rank: the kind and the fields that tell methods of one kind apart.
  runtime::CompressionSpec shape;
  ResidualUpdate residual;

  /// The attribute of a bucket that this method compresses, keeping
  /// `density` (as the runtime counts k) or factors of `rank`.
  mlir::Attribute attribute(mlir::MLIRContext *ctx, llvm::APFloat density,
                            int64_t rank) const;
  /// Whether a bucket's `compression` attribute is this method's.
  bool matches(mlir::Attribute compression) const;
};

/// Every row, in the order the option's help lists them.
llvm::ArrayRef<CompressionMethodRow> compressionMethods();

/// The row named `name` (or aliased so), null when there is none.
const CompressionMethodRow *findCompressionMethod(llvm::StringRef name);

/// The row a plan writes for a bucket priced with `method`: the one with
/// the plan's values (`halfPrecision`: binary16, as dense-f16 sends), else
/// the method's f32 row.
const CompressionMethodRow &rowOf(cost::Method method, bool halfPrecision);

/// The row of a bucket's `compression` attribute.
const CompressionMethodRow &rowOf(mlir::Attribute compression);

/// The cost model's method of a bucket's `compression` attribute.
inline cost::Method methodOf(mlir::Attribute compression) {
  return rowOf(compression).method;
}

/// "dense, dense-f16, ..., lowrank (acp) or powersgd", for messages.
std::string compressionMethodList();

/// "dense | dense-f16 | ... | lowrank (acp) | powersgd", for --help (a
/// string that lives as long as the program).
llvm::StringRef compressionMethodHelp();

} // namespace agtf::gcomm

#endif // AGTF_PASSES_COMPRESSIONMETHODS_H
