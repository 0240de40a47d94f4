//===- Passes.h - gcomm passes ----------------------------------*- C++ -*-===//

#ifndef AGTF_PASSES_PASSES_H
#define AGTF_PASSES_PASSES_H

#include "dialect/GCommOps.h"

#include "mlir/Pass/Pass.h"

namespace agtf::gcomm {

#define GEN_PASS_DECL
#include "passes/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "passes/Passes.h.inc"

/// Registers the gcomm passes and pass pipelines.
void registerGCommPipelines();

} // namespace agtf::gcomm

#endif // AGTF_PASSES_PASSES_H
