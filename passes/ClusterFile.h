//===- ClusterFile.h - cluster cost constants as JSON and attributes -*- C++
//-*-//
//
// The cluster file (docs/passes.md) and the `cluster` dictionary that
// gcomm-annotate-cost attaches to a graph share one set of keys.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_PASSES_CLUSTERFILE_H
#define AGTF_PASSES_CLUSTERFILE_H

#include "passes/cost/CostModel.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/Support/LogicalResult.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace agtf::gcomm {

/// Reads a cluster file over `cluster`'s values. On failure returns failure
/// and sets `error` to a message naming the file and the problem.
mlir::LogicalResult readClusterFile(llvm::StringRef path,
                                    cost::Cluster &cluster, std::string &error);

/// The cluster as a flat dictionary attribute.
mlir::DictionaryAttr clusterToAttr(mlir::MLIRContext *ctx,
                                   const cost::Cluster &cluster);

/// Reads a dictionary written by clusterToAttr (or by hand) over `cluster`.
mlir::LogicalResult clusterFromAttr(mlir::DictionaryAttr attr,
                                    cost::Cluster &cluster, std::string &error);

/// Checks that the constants make sense (workers >= 1, costs >= 0, ...).
mlir::LogicalResult validateCluster(const cost::Cluster &cluster,
                                    std::string &error);

} // namespace agtf::gcomm

#endif // AGTF_PASSES_CLUSTERFILE_H
