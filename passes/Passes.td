//===- Passes.td - gcomm passes ----------------------------*- tablegen -*-===//

#ifndef AGTF_PASSES_TD
#define AGTF_PASSES_TD

include "mlir/Pass/PassBase.td"

def GCommMerge : Pass<"gcomm-merge", "::agtf::gcomm::GraphOp"> {
  let summary = "Fuse gradient tensors into buckets";
  let description = [{
    Replaces any existing plan of a `gcomm.graph` with buckets chosen by
    `strategy`:

    * `layerwise`: one bucket per tensor;
    * `single`: one bucket holding every tensor;
    * `threshold`: PyTorch DDP's rule: walk the tensors in backprop order and
      close a bucket once it holds at least `bucket-bytes` bytes; the first
      bucket closes at `first-bucket-bytes` so communication starts early.

    Each bucket gets the compression given by `compression`: `dense`
    (`#gcomm.dense<f32>`), `dense-f16`, `topk` at `density`, `gtopk` at
    `density`, `dgc` at `density`, or `lowrank` at `rank`; and the collective
    that the compression uses by default. With a sparse compression, buckets
    whose tensors are all 1-D stay dense (biases and norms, as DGC does).
  }];
  let options = [
    Option<"strategy", "strategy", "std::string", "\"layerwise\"",
           "layerwise | single | threshold">,
    Option<"bucketBytes", "bucket-bytes", "int64_t", "25 * 1024 * 1024",
           "bytes that close a bucket (threshold)">,
    Option<"firstBucketBytes", "first-bucket-bytes", "int64_t",
           "1024 * 1024", "bytes that close the first bucket (threshold)">,
    Option<"compression", "compression", "std::string", "\"dense\"",
           "dense | dense-f16 | topk | gtopk | dgc | lowrank">,
    Option<"density", "density", "double", "0.001",
           "fraction of elements kept by sparse compression">,
    Option<"rank", "rank", "int64_t", "4", "rank of low-rank compression">,
  ];
}

#endif // AGTF_PASSES_TD
