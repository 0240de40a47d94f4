//===- SparsityBudget.cpp - gcomm-sparsity-budget pass --------------------===//

#include "passes/GraphProblem.h"
#include "passes/Passes.h"

#include "mlir/IR/Builders.h"

#include <cmath>

namespace agtf::gcomm {
#define GEN_PASS_DEF_GCOMMSPARSITYBUDGET
#include "passes/Passes.h.inc"
} // namespace agtf::gcomm

using namespace mlir;
using namespace agtf;
using namespace agtf::gcomm;

namespace {
struct SparsityBudgetPass
    : public agtf::gcomm::impl::GCommSparsityBudgetBase<SparsityBudgetPass> {
  using Base::Base;
  void runOnOperation() override;

private:
  /// Densities of the sparsifiable tensors by importance; Σk preserved.
  std::vector<double> importance(ArrayRef<TensorOp> tensors);
  FailureOr<std::vector<double>> lags(ArrayRef<TensorOp> all,
                                      ArrayRef<size_t> positions);
};
} // namespace

std::vector<double> SparsityBudgetPass::importance(ArrayRef<TensorOp> tensors) {
  size_t n = tensors.size();
  std::vector<double> numel(n), weight(n), result(n, 1.0);
  double meanRms = 0.0;
  size_t withRms = 0;
  for (size_t i = 0; i < n; ++i) {
    TensorOp t = tensors[i];
    numel[i] = double(t.getNumel());
    if (FloatAttr rms = t.getRmsAttr()) {
      meanRms += rms.getValueAsDouble();
      ++withRms;
    }
  }
  meanRms = withRms ? meanRms / double(withRms) : 1.0;
  double budget = 0.0;
  for (size_t i = 0; i < n; ++i) {
    TensorOp t = tensors[i];
    double rms = t.getRmsAttr() ? t.getRmsAttr().getValueAsDouble() : meanRms;
    double ratio = meanRms > 0.0 ? rms / meanRms : 1.0;
    weight[i] = numel[i] * std::pow(ratio, gamma);
    budget += density * numel[i];
  }
  // Share the budget by weight; a tensor whose share reaches its size is
  // dense and leaves the pool, and the rest share what remains.
  std::vector<bool> open(n, true);
  for (bool changed = true; changed;) {
    changed = false;
    double weights = 0.0;
    for (size_t i = 0; i < n; ++i)
      if (open[i])
        weights += weight[i];
    for (size_t i = 0; i < n; ++i) {
      if (!open[i])
        continue;
      double k =
          weights > 0.0 ? budget * weight[i] / weights : density * numel[i];
      if (k >= numel[i]) {
        open[i] = false;
        result[i] = 1.0;
        budget -= numel[i];
        changed = true;
        break;
      }
      result[i] = std::max(k / numel[i], 1.0 / numel[i]);
    }
  }
  return result;
}

FailureOr<std::vector<double>>
SparsityBudgetPass::lags(ArrayRef<TensorOp> all, ArrayRef<size_t> positions) {
  FailureOr<cost::Cluster> cluster = graphCluster(getOperation());
  if (failed(cluster))
    return failure();
  const int64_t p = cluster->workers;
  int64_t rounds = cost::ceilLog2(p);
  auto ag = cost::Collective::Allgather;
  double pairBytes = double(cluster->valueBytes + cluster->indexBytes);
  std::vector<double> result;
  for (size_t pos : positions) {
    TensorOp t = all[pos];
    if (p <= 1) {
      result.push_back(1.0);
      continue;
    }
    // The next gradient's backward time hides this tensor's allgather.
    double hide = 0.0;
    if (pos + 1 < all.size()) {
      TensorOp nextTensor = all[pos + 1];
      FloatAttr next = nextTensor.getBackwardUsAttr();
      if (!next) {
        nextTensor.emitOpError()
            << "tensor @" << nextTensor.getSymName()
            << " has no backward_us: run gcomm-annotate-timing first";
        return failure();
      }
      hide = next.getValueAsDouble();
    }
    double rho =
        (hide - double(rounds) * cluster->alpha(ag)) /
        (double(p - 1) * pairBytes * cluster->beta(ag) * double(t.getNumel()));
    result.push_back(rho >= 1.0 ? 1.0 : std::max(rho, double(density)));
  }
  return result;
}

void SparsityBudgetPass::runOnOperation() {
  GraphOp graph = getOperation();
  if (!(density > 0.0 && density <= 1.0)) {
    graph.emitError() << "gcomm-sparsity-budget: density must be in (0, 1], "
                         "got "
                      << formatF64(density);
    return signalPassFailure();
  }
  if (!std::isfinite(gamma)) {
    graph.emitError() << "gcomm-sparsity-budget: gamma must be finite, got "
                      << formatF64(gamma);
    return signalPassFailure();
  }
  SmallVector<TensorOp> all(graph.getTensors());
  SmallVector<TensorOp> sparse;
  SmallVector<size_t> positions;
  for (auto [pos, t] : llvm::enumerate(all)) {
    if (t.getRankedType().getRank() >= 2 && t.getNumel() >= minNumel) {
      sparse.push_back(t);
      positions.push_back(pos);
    }
  }
  std::vector<double> densities;
  if (rule == "uniform") {
    densities.assign(sparse.size(), density);
  } else if (rule == "importance") {
    densities = importance(sparse);
  } else if (rule == "lags") {
    FailureOr<std::vector<double>> result = lags(all, positions);
    if (failed(result))
      return signalPassFailure();
    densities = std::move(*result);
  } else {
    graph.emitError() << "gcomm-sparsity-budget: unknown rule '" << rule
                      << "'; expected uniform, importance or lags";
    return signalPassFailure();
  }
  Builder builder(&getContext());
  for (TensorOp t : all)
    t.setDensityAttr(builder.getF64FloatAttr(1.0));
  for (auto [t, rho] : llvm::zip(sparse, densities))
    t.setDensityAttr(builder.getF64FloatAttr(std::min(1.0, rho)));
}
