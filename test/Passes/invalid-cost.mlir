// RUN: not agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=%S/Inputs/missing.json}))' 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=%S/Inputs/bad-json.json}))' 2>&1 | FileCheck %s --check-prefix=JSON
// RUN: not agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=%S/Inputs/bad-key.json}))' 2>&1 | FileCheck %s --check-prefix=KEY
// RUN: not agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=%S/Inputs/bad-workers.json}))' 2>&1 | FileCheck %s --check-prefix=FILEWORKERS
// RUN: not agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=%S/Inputs/bad-collective.json}))' 2>&1 | FileCheck %s --check-prefix=COLLECTIVE
// RUN: not agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=%S/Inputs/bad-value-bytes.json}))' 2>&1 | FileCheck %s --check-prefix=VALUEBYTES
// RUN: not agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=%S/Inputs/bad-samples.json}))' 2>&1 | FileCheck %s --check-prefix=SAMPLES
// RUN: not agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{workers=0}))' 2>&1 | FileCheck %s --check-prefix=WORKERS
// RUN: not agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{alpha=-1}))' 2>&1 | FileCheck %s --check-prefix=ALPHA
// RUN: not agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{beta=inf}))' 2>&1 | FileCheck %s --check-prefix=BETA
// RUN: not agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{timeline=async}))' 2>&1 | FileCheck %s --check-prefix=TIMELINE
// RUN: not agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-sparsity-budget{density=0}))' 2>&1 | FileCheck %s --check-prefix=DENSITY
// RUN: not agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-sparsity-budget{rule=magic}))' 2>&1 | FileCheck %s --check-prefix=RULE
// RUN: not agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-sparsity-budget{rule=importance gamma=nan}))' 2>&1 | FileCheck %s --check-prefix=GAMMA
// RUN: not agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-sparsity-budget{density=nan}))' 2>&1 | FileCheck %s --check-prefix=DENSITYNAN
// RUN: not agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-timing))' 2>&1 | FileCheck %s --check-prefix=TIMING
// RUN: not agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-merge{strategy=optimal compression=topk}))' 2>&1 | FileCheck %s --check-prefix=NEEDTIMES
// RUN: not agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-simulate))' 2>&1 | FileCheck %s --check-prefix=UNPLANNED
// RUN: not agtf-opt %S/merge-one-worker.mlir --fuse-sparse=workers=0 2>&1 | FileCheck %s --check-prefix=WORKERS
// RUN: not agtf-opt %S/merge-one-worker.mlir --fuse-sparse=density=0 2>&1 | FileCheck %s --check-prefix=DENSITY

// MISSING: error: gcomm-annotate-cost: cluster file '{{.*}}missing.json': No such file or directory
// JSON: error: gcomm-annotate-cost: cluster file '{{.*}}bad-json.json': not valid JSON:
// KEY: error: gcomm-annotate-cost: cluster file '{{.*}}bad-key.json': unknown key 'latency'
// FILEWORKERS: error: gcomm-annotate-cost: cluster file '{{.*}}bad-workers.json': 'workers' must be >= 1, got 0
// COLLECTIVE: error: gcomm-annotate-cost: cluster file '{{.*}}': unknown collective 'broadcast' in 'alpha_us' (allreduce, allgather, gtopk)
// VALUEBYTES: error: gcomm-annotate-cost: cluster file '{{.*}}bad-value-bytes.json': 'value_bytes' and 'index_bytes' must be 4 (got 2 and 4): the compression decides the width of values on the wire
// SAMPLES: error: gcomm-annotate-cost: cluster file '{{.*}}bad-samples.json': the samples of allgather must have sizes > 0 in increasing order and times > 0
// WORKERS: error: gcomm-annotate-cost: workers must be an integer >= 1, got '0'
// BETA: error: gcomm-annotate-cost: beta must be a finite number >= 0, got 'inf'
// GAMMA: error: gcomm-sparsity-budget: gamma must be finite, got nan
// DENSITYNAN: error: gcomm-sparsity-budget: density must be in (0, 1], got nan
// ALPHA: error: gcomm-annotate-cost: alpha must be a finite number >= 0, got '-1'
// TIMELINE: error: gcomm-annotate-cost: timeline must be serial, stream or shared, got 'async'
// DENSITY: error: gcomm-sparsity-budget: density must be in (0, 1], got 0.0
// RULE: error: gcomm-sparsity-budget: unknown rule 'magic'; expected uniform, importance or lags
// TIMING: error: 'gcomm.tensor' op tensor @w has neither backward_us nor flops
// NEEDTIMES: error: 'gcomm.tensor' op tensor @w has no backward_us: run gcomm-annotate-timing first
// UNPLANNED: error: gcomm-simulate: @g has no buckets: run gcomm-merge first
gcomm.graph @g {
  gcomm.tensor @w : tensor<10x100xf32>
}
