//===- Passes.td - gcomm passes ----------------------------*- tablegen -*-===//

#ifndef AGTF_PASSES_TD
#define AGTF_PASSES_TD

include "mlir/Pass/PassBase.td"

def GCommAnnotateTiming : Pass<"gcomm-annotate-timing",
                               "::agtf::gcomm::GraphOp"> {
  let summary = "Fill in backward, forward and update times";
  let description = [{
    Keeps profiled `backward_us`. A tensor without one gets
    `flops / (peak_gflops * 1e3 * efficiency)` from the graph's cluster (a
    roofline); a tensor with neither is an error. The graph gets
    `backward_us` (the sum) when missing, `forward_us` = half of it when
    missing (backward costs about twice forward), and `update_us` =
    `update_us_per_element` times the parameter count when missing.
  }];
}

def GCommAnnotateCost : Pass<"gcomm-annotate-cost", "::agtf::gcomm::GraphOp"> {
  let summary = "Attach the cluster's cost constants to the graph";
  let description = [{
    Writes the graph's `cluster` dictionary (alpha, beta per collective,
    sparsification and pack costs, value and index bytes, timeline) and its
    `workers`: defaults describing 16 workers on 1 GbE, then the graph's
    existing `cluster`, then `cluster-file`, then the options given.
  }];
  let options = [
    Option<"clusterFile", "cluster-file", "std::string", "\"\"",
           "JSON cluster file (see docs/passes.md)">,
    Option<"workers", "workers", "std::string", "\"\"",
           "number of workers P (empty: keep)">,
    Option<"alpha", "alpha", "std::string", "\"\"",
           "latency alpha in us, all collectives (empty: keep)">,
    Option<"beta", "beta", "std::string", "\"\"",
           "inverse bandwidth beta in us/byte, all collectives (empty: keep)">,
    Option<"timeline", "timeline", "std::string", "\"\"",
           "serial (sparsify on the compute stream) | stream | shared "
           "(sparsify and communicate on one lane) (empty: keep)">,
  ];
}

def GCommSparsityBudget : Pass<"gcomm-sparsity-budget",
                               "::agtf::gcomm::GraphOp"> {
  let summary = "Choose each tensor's density";
  let description = [{
    Writes `density` on every tensor; 1-D tensors and tensors under
    `min-numel` elements stay dense (density 1).

    * `uniform`: every other tensor gets `density`.
    * `importance`: k_i proportional to n_i * (rms_i / mean rms)^gamma,
      scaled so that the total k equals the uniform rule's; tensors whose
      share would exceed their size are capped dense and the rest rescaled.
    * `lags` (LAGS-SGD): the largest density whose allgather hides behind
      the next tensor's backward time:
      rho = (tb_next - ceil(log2 P) alpha) / ((P - 1) (bv + bi) beta n),
      at least `density`, dense above 1.
  }];
  let options = [
    Option<"rule", "rule", "std::string", "\"uniform\"",
           "uniform | importance | lags">,
    Option<"density", "density", "double", "0.001",
           "density (uniform, importance) or floor (lags)">,
    Option<"gamma", "gamma", "double", "1.0", "importance exponent">,
    Option<"minNumel", "min-numel", "int64_t", "1024",
           "tensors smaller than this stay dense">,
  ];
}

def GCommMerge : Pass<"gcomm-merge", "::agtf::gcomm::GraphOp"> {
  let summary = "Fuse gradient tensors into buckets";
  let description = [{
    Replaces any existing plan of a `gcomm.graph` with buckets chosen by
    `strategy`: the values of the option and the solvers they run come from
    one table, `passes/cost/MergeStrategy.cpp` (`agtf-opt --help` lists
    them; docs/passes.md states each rule). A bucket keeps its members'
    top-k budget.
    With `noise-tolerance` = eps, `optimal` only takes plans whose noise is
    at most (1 + eps) times the `noise-reference` plan's (layer-wise, or
    top-k over one bucket); with `noise-budget` >= 0, at most that. With `optimality-gap` =
    delta > 0, `optimal`'s plan is predicted at most (1 + delta) times
    slower than the optimum, and the search stops sooner; it writes
    `optimal_lower_bound_us`, a proven lower bound of the predicted
    iteration time of every plan within the guard.
  }];
  let options = [
    Option<"strategy", "strategy", "::agtf::cost::MergeStrategy",
           "::agtf::cost::MergeStrategy::Layerwise",
           "how tensors are fused into buckets (docs/passes.md)",
           "::agtf::gcomm::MergeStrategyValues()">,
    Option<"bucketBytes", "bucket-bytes", "int64_t", "25 * 1024 * 1024",
           "bytes that close a bucket (threshold)">,
    Option<"firstBucketBytes", "first-bucket-bytes", "int64_t",
           "1024 * 1024", "bytes that close the first bucket (threshold)">,
    Option<"compression", "compression", "std::string", "\"dense\"",
           "compression method (the methods of "
           "runtime/CompressionMethods.def)",
           "::agtf::gcomm::CompressionMethodNames()">,
    Option<"density", "density", "double", "0.001",
           "density of tensors without a budget">,
    Option<"rank", "rank", "int64_t", "4", "rank of low-rank compression">,
    Option<"noise", "noise", "std::string", "\"relative\"",
           "noise model: relative | agtf-norm | energy">,
    Option<"noiseTolerance", "noise-tolerance", "double", "-1.0",
           "eps of the noise guard of optimal: noise at most (1 + eps) x "
           "the noise-reference plan's; negative: no guard (agtf always "
           "applies its rule, with eps = max(0, this), against layer-wise)">,
    Option<"noiseReference", "noise-reference", "std::string",
           "\"layerwise\"",
           "the plan that noise-tolerance is relative to: layerwise | "
           "single (top-k over one bucket)">,
    Option<"noiseBudget", "noise-budget", "double", "-1.0",
           "an absolute noise budget of optimal, in place of "
           "noise-tolerance when >= 0 (under noise=energy: the fraction of "
           "the gradient's energy a plan may leave unsent)">,
    Option<"optimalityGap", "optimality-gap", "double", "0.0",
           "delta of optimal: its plan at most (1 + delta) x the optimum's "
           "predicted iteration time; 0: the exact optimum">,
  ];
}

def GCommSimulate : Pass<"gcomm-simulate", "::agtf::gcomm::GraphOp"> {
  let summary = "Predict the timeline of the graph's plan";
  let description = [{
    Writes `predicted = #gcomm.times<ready, start, end>` on every bucket and
    `predicted_iter_us`, `predicted_exposed_comm_us` and `predicted_noise`
    on the graph, under the graph's cluster. With `trace`, writes a Chrome
    trace (compute, sparsify and comm lanes) that Perfetto opens.
  }];
  let options = [
    Option<"trace", "trace", "std::string", "\"\"", "Chrome trace JSON file">,
    Option<"noise", "noise", "std::string", "\"relative\"",
           "noise model: relative | agtf-norm | energy">,
  ];
}

def GCommLowerToStreams : Pass<"gcomm-lower-to-streams",
                               "::agtf::gcomm::GraphOp"> {
  let summary = "Turn each bucket into explicit stream-level steps";
  let description = [{
    Appends, in bucket order, each bucket's stream program (replacing any
    earlier one):

    * dense: `pack`, `allreduce`, `unpack`;
    * top-k and DGC: `pack`, `compress`, `allgather`, `residual_update`
      (after compress), `decompress` (scatter-add and average), `unpack`;
    * gTop-k: `pack`, `compress`, `gtopk_reduce`, `residual_update` (after
      the reduction: local values outside the global top-k go back to the
      residual), `decompress`, `unpack`;
    * low rank: `pack`, `compress` (factor product), `allreduce`,
      `decompress` (rebuild), `residual_update` (after decompress), `unpack`.

    Streams: 2 carries every collective, in bucket order, so all ranks issue
    the same collectives in the same order; packing, compression and the
    top-k residual update run on stream 1, or on stream 0 (the compute
    stream) when the graph's cluster timeline is `serial`, as the cost model
    assumes; everything that waits for a collective (decompress, unpack and
    the residual updates of gTop-k and low rank) runs on stream 3, so that
    it never holds up the buckets behind it. Steps on one stream run in
    order; each step also waits for the steps whose data it reads (`after`).
  }];
}

#endif // AGTF_PASSES_TD
