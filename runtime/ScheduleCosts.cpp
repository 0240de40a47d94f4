//===- ScheduleCosts.cpp - the cost model a schedule was planned with -----===//

#include "runtime/ScheduleCosts.h"

#include "passes/cost/CostModel.h"

using namespace agtf;

cost::Cluster agtf::runtime::clusterOf(const fb::Schedule &s) {
  cost::Cluster cluster;
  cluster.workers = s.world_size();
  const fb::CostModel *cm = s.cost_model();
  for (const fb::CollectiveCost *c : *cm->collectives()) {
    cluster.alphaUs[int(c->collective())] = c->alpha_us();
    cluster.betaUsPerByte[int(c->collective())] = c->beta_us_per_byte();
  }
  cluster.sparsifyUs = cm->sparsify_us();
  cluster.sparsifyUsPerElement = cm->sparsify_us_per_element();
  cluster.packUsPerElement = cm->pack_us_per_element();
  cluster.decompressUsPerElement = cm->decompress_us_per_element();
  cluster.bucketUs = cm->bucket_us();
  if (cm->curves())
    for (const fb::CostCurve *curve : *cm->curves())
      for (int c = 0; c < cost::kCurves; ++c) {
        if (curve->name()->str() != cost::curveName(cost::Curve(c)))
          continue;
        for (uint32_t i = 0; i < curve->size()->size(); ++i)
          cluster.samples[c].push_back(
              {curve->size()->Get(i), curve->us()->Get(i)});
      }
  cluster.valueBytes = cm->value_bytes();
  cluster.indexBytes = cm->index_bytes();
  static_assert(int(fb::TimelineKind::shared) == int(cost::Timeline::Shared),
                "the schedule's timelines follow cost::Timeline");
  cluster.timeline = cost::Timeline(int(cm->timeline()));
  return cluster;
}

std::vector<double> agtf::runtime::plannedSparsifyUs(const fb::Schedule &s) {
  cost::Cluster cluster = clusterOf(s);
  std::vector<double> out;
  for (const fb::Bucket *b : *s.buckets()) {
    int64_t numel = 0;
    for (uint32_t t = b->first_tensor();
         t < b->first_tensor() + b->tensor_count(); ++t)
      numel += s.tensors()->Get(t)->numel();
    out.push_back(b->compression()->kind() == fb::CompressionKind::dense
                      ? cluster.packUsPerElement * double(numel)
                      : cost::sparsifyCost(cluster, numel));
  }
  return out;
}
