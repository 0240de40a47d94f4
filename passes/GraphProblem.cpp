//===- GraphProblem.cpp - gcomm.graph to and from the cost model ----------===//

#include "passes/GraphProblem.h"
#include "kernels/TopK.h"
#include "passes/ClusterFile.h"
#include "passes/CompressionMethods.h"

#include "mlir/IR/Builders.h"

#include <cmath>
#include <map>

using namespace mlir;
using namespace agtf;
using namespace agtf::gcomm;

FailureOr<CompressionChoice> agtf::gcomm::parseCompression(Operation *op,
                                                           StringRef name,
                                                           double density,
                                                           int64_t rank) {
  CompressionChoice choice;
  choice.density = density;
  choice.rank = rank;
  const CompressionMethodRow *row = findCompressionMethod(name);
  if (!row)
    return op->emitError() << "unknown compression '" << name << "'; expected "
                           << compressionMethodList();
  choice.row = row;
  choice.method = row->method;
  choice.halfPrecision = row->halfPrecision;
  if (!(density > 0.0 && density <= 1.0))
    return op->emitError() << "density must be in (0, 1], got "
                           << formatF64(density);
  if (rank < 1)
    return op->emitError() << "rank must be >= 1, got " << rank;
  return choice;
}

FailureOr<cost::NoiseKind> agtf::gcomm::parseNoiseKind(Operation *op,
                                                       StringRef name) {
  if (name == "relative")
    return cost::NoiseKind::Relative;
  if (name == "agtf-norm")
    return cost::NoiseKind::AgtfNorm;
  if (name == "energy")
    return cost::NoiseKind::Energy;
  return op->emitError() << "unknown noise model '" << name
                         << "'; expected relative, agtf-norm or energy";
}

FailureOr<cost::Cluster> agtf::gcomm::graphCluster(GraphOp graph) {
  cost::Cluster cluster;
  if (auto dict = graph->getAttrOfType<DictionaryAttr>("cluster")) {
    std::string error;
    if (failed(clusterFromAttr(dict, cluster, error)))
      return graph.emitOpError()
             << "@" << graph.getSymName() << ": cluster attribute: " << error;
  }
  if (std::optional<uint64_t> workers = graph.getWorkers())
    cluster.workers = int64_t(*workers);
  return cluster;
}

FailureOr<cost::Problem>
agtf::gcomm::buildProblem(GraphOp graph, const CompressionChoice &choice,
                          bool needTimes) {
  FailureOr<cost::Cluster> cluster = graphCluster(graph);
  if (failed(cluster))
    return failure();
  cost::Problem problem;
  problem.cluster = *cluster;
  problem.sparseMethod = choice.method;
  problem.lowRank = choice.rank;
  if (choice.halfPrecision)
    problem.cluster.valueBytes = 2;
  if (FloatAttr forward = graph.getForwardUsAttr())
    problem.forwardUs = forward.getValueAsDouble();
  if (FloatAttr update = graph.getUpdateUsAttr())
    problem.updateUs = update.getValueAsDouble();
  bool compress = choice.method != cost::Method::Dense;
  for (TensorOp op : graph.getTensors()) {
    cost::Tensor t;
    t.name = op.getSymName().str();
    t.numel = op.getNumel();
    RankedTensorType type = op.getRankedType();
    t.rows = type.getRank() >= 2 ? type.getDimSize(0) : 1;
    if (FloatAttr backward = op.getBackwardUsAttr())
      t.backwardUs = backward.getValueAsDouble();
    else if (needTimes)
      return op.emitOpError()
             << "tensor @" << op.getSymName()
             << " has no backward_us: run gcomm-annotate-timing first";
    // Budgets come from gcomm-sparsity-budget; without one, matrices take
    // the option's density and vectors stay dense.
    if (FloatAttr density = op.getDensityAttr())
      t.density = compress ? density.getValueAsDouble() : 1.0;
    else
      t.density = compress && type.getRank() >= 2 ? choice.density : 1.0;
    if ((choice.method == cost::Method::LowRank ||
         choice.method == cost::Method::PowerSGD) &&
        t.density < 1.0) {
      // A low-rank member keeps its factors' share of the elements (by the
      // runtime's rule: ACP's mean values a step).
      double share =
          cost::LowRankLoad::ofMember(t.numel, t.rows, choice.rank).acpValues /
          double(t.numel);
      t.density = share < 1.0 ? share : 1.0;
    }
    if (FloatAttr norm = op.getGradNormAttr())
      t.gradNorm = norm.getValueAsDouble();
    else if (FloatAttr rms = op.getRmsAttr())
      t.gradNorm = rms.getValueAsDouble() * std::sqrt(double(t.numel));
    if (std::optional<SketchAttr> sketch = op.getSketch()) {
      t.kept.assign(sketch->getKept().asArrayRef().begin(),
                    sketch->getKept().asArrayRef().end());
      t.threshold.assign(sketch->getThreshold().asArrayRef().begin(),
                         sketch->getThreshold().asArrayRef().end());
      t.energy.assign(sketch->getEnergy().asArrayRef().begin(),
                      sketch->getEnergy().asArrayRef().end());
    }
    problem.tensors.push_back(std::move(t));
  }
  return problem;
}

ExistingPlan agtf::gcomm::readPlan(GraphOp graph,
                                   const cost::Problem &problem) {
  ExistingPlan plan;
  std::map<std::string, size_t> position;
  for (size_t i = 0; i < problem.tensors.size(); ++i)
    position[problem.tensors[i].name] = i;
  for (BucketOp bucket : graph.getBuckets()) {
    ArrayRef<Attribute> members = bucket.getMembers().getValue();
    size_t end =
        position[cast<FlatSymbolRefAttr>(members.back()).getValue().str()] + 1;
    size_t begin = end - members.size();
    Attribute compression = bucket.getCompression();
    auto lowRankAttr = dyn_cast<LowRankAttr>(compression);
    int64_t numel = 0;
    cost::LowRankLoad lowRank;
    for (size_t i = begin; i < end; ++i) {
      const cost::Tensor &t = problem.tensors[i];
      numel += t.numel;
      if (lowRankAttr)
        lowRank +=
            cost::LowRankLoad::ofMember(t.numel, t.rows, lowRankAttr.getRank());
    }
    cost::Method method = methodOf(compression);
    double density = 1.0;
    if (auto topk = dyn_cast<TopKAttr>(compression)) {
      density = topk.getDensity().convertToDouble();
    } else if (auto gtopk = dyn_cast<GTopKAttr>(compression)) {
      density = gtopk.getDensity().convertToDouble();
    } else if (auto dgc = dyn_cast<DGCAttr>(compression)) {
      density = dgc.getDensity().convertToDouble();
    }
    // The bucket's own values, as the runtime sends them.
    cost::Cluster cluster = problem.cluster;
    cluster.valueBytes = cast<CompressionAttrInterface>(compression)
                             .getWireValueType()
                             .getIntOrFloatBitWidth() /
                         8;
    int64_t kept = kernels::topKCount(numel, density);
    plan.partition.push_back(end);
    plan.costs.push_back(
        cost::bucketCost(cluster, method, numel, kept, lowRank));
  }
  return plan;
}

void agtf::gcomm::writePlan(GraphOp graph, const cost::Partition &plan,
                            const cost::CostTable &table,
                            const CompressionChoice &choice) {
  for (BucketOp bucket : llvm::make_early_inc_range(graph.getBuckets()))
    bucket.erase();
  MLIRContext *ctx = graph.getContext();
  SmallVector<TensorOp> tensors(graph.getTensors());
  SymbolTable symbols(graph);
  OpBuilder builder = OpBuilder::atBlockEnd(&graph.getBody().front());
  size_t begin = 0;
  for (auto [index, end] : llvm::enumerate(plan)) {
    cost::BucketCost cost = table.bucket(begin, end);
    // The runtime keeps topKCount(N, density): pick the density that gives
    // back exactly k.
    double rho = double(cost.kept) / double(cost.numel);
    while (kernels::topKCount(cost.numel, rho) > cost.kept)
      rho = std::nextafter(rho, 0.0);
    llvm::APFloat density(rho);
    const CompressionMethodRow &row =
        choice.row && choice.row->method == cost.method
            ? *choice.row
            : rowOf(cost.method, choice.halfPrecision);
    Attribute compression = row.attribute(ctx, density, choice.rank);
    auto attr = cast<CompressionAttrInterface>(compression);
    SmallVector<Attribute> refs;
    for (size_t i = begin; i < end; ++i)
      refs.push_back(FlatSymbolRefAttr::get(tensors[i].getSymNameAttr()));
    auto bucket = builder.create<BucketOp>(
        graph.getLoc(), builder.getStringAttr("b" + std::to_string(index)),
        builder.getArrayAttr(refs), attr,
        CollectiveAttr::get(ctx, attr.getDefaultCollective()), TimesAttr());
    // Renames the bucket if a tensor already uses the name.
    symbols.insert(bucket);
    begin = end;
  }
}
