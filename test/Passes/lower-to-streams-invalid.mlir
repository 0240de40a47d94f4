// RUN: not agtf-opt %s --gcomm-lower-to-streams 2>&1 | FileCheck %s
// CHECK: error: gcomm-lower-to-streams: @g has no buckets: run gcomm-merge first
gcomm.graph @g {
  gcomm.tensor @w : tensor<4xf32>
}
