//===- Passes.h - gcomm passes ----------------------------------*- C++ -*-===//

#ifndef AGTF_PASSES_PASSES_H
#define AGTF_PASSES_PASSES_H

#include "dialect/GCommOps.h"
#include "passes/CompressionMethods.h"
#include "passes/cost/MergeStrategy.h"

#include "mlir/Pass/Pass.h"

namespace agtf::gcomm {

/// The values of gcomm-merge's `strategy` option: every entry of
/// cost::getMergeStrategies(), so that the option, its parser and the
/// solvers share one table.
struct MergeStrategyValues {
  template <typename Option> void apply(Option &option) const {
    for (const cost::MergeStrategyInfo &info : cost::getMergeStrategies())
      option.getParser().addLiteralOption(info.name, info.strategy,
                                          info.summary);
  }
};

/// The description of a `compression` option: every method of
/// compressionMethods(), so that --help lists what the parser takes.
struct CompressionMethodNames {
  template <typename Option> void apply(Option &option) const {
    option.setDescription(compressionMethodHelp());
  }
};

#define GEN_PASS_DECL
#include "passes/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "passes/Passes.h.inc"

/// Registers the gcomm passes and pass pipelines.
void registerGCommPipelines();

} // namespace agtf::gcomm

#endif // AGTF_PASSES_PASSES_H
