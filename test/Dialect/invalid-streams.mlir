// RUN: agtf-opt %s -split-input-file -verify-diagnostics

// Stream-level rules: every step names a bucket, collectives match the
// bucket's, dense buckets are not compressed, each bucket is unpacked once,
// and dependencies only point backwards (a DAG).

gcomm.graph @g {
  gcomm.tensor @a : tensor<4xf32>
  gcomm.bucket @b0 [@a] compress #gcomm.dense<f32> via allreduce
  // expected-error @+1 {{step names unknown bucket @b9}}
  %0 = gcomm.pack @b9 on stream 0
}

// -----

gcomm.graph @g {
  gcomm.tensor @a : tensor<4x4xf32>
  gcomm.bucket @b0 [@a] compress #gcomm.topk<density = 0.5> via allgather
  %0 = gcomm.pack @b0 on stream 0
  // expected-error @+1 {{bucket @b0 is carried by allgather, not allreduce}}
  %1 = gcomm.allreduce @b0 on stream 2 after %0
  %2 = gcomm.unpack @b0 on stream 3 after %1
}

// -----

gcomm.graph @g {
  gcomm.tensor @a : tensor<4xf32>
  gcomm.bucket @b0 [@a] compress #gcomm.dense<f32> via allreduce
  %0 = gcomm.pack @b0 on stream 0
  // expected-error @+1 {{bucket @b0 is dense: it has nothing to compress}}
  %1 = gcomm.compress @b0 on stream 0 after %0
}

// -----

gcomm.graph @g {
  gcomm.tensor @a : tensor<4xf32>
  gcomm.bucket @b0 [@a] compress #gcomm.dense<f32> via allreduce
  %0 = gcomm.pack @b0 on stream 0
  %1 = gcomm.allreduce @b0 on stream 2 after %0
  %2 = gcomm.unpack @b0 on stream 3 after %1
  // expected-error @+1 {{bucket @b0 is unpacked twice: each tensor must be produced once}}
  %3 = gcomm.unpack @b0 on stream 3 after %1
}

// -----

gcomm.graph @g {
  gcomm.tensor @a : tensor<4xf32>
  gcomm.tensor @c : tensor<4xf32>
  gcomm.bucket @b0 [@a] compress #gcomm.dense<f32> via allreduce
  // expected-error @+1 {{bucket @b1 has no unpack step: its tensors are never produced}}
  gcomm.bucket @b1 [@c] compress #gcomm.dense<f32> via allreduce
  %0 = gcomm.pack @b0 on stream 0
  %1 = gcomm.allreduce @b0 on stream 2 after %0
  %2 = gcomm.unpack @b0 on stream 3 after %1
  %3 = gcomm.allreduce @b1 on stream 2
}

// -----

// One bucket communicated twice and another never: the second would be
// left out of the average, the first summed twice.
gcomm.graph @g {
  gcomm.tensor @a : tensor<4xf32>
  gcomm.tensor @c : tensor<4xf32>
  gcomm.bucket @b0 [@a] compress #gcomm.dense<f32> via allreduce
  gcomm.bucket @b1 [@c] compress #gcomm.dense<f32> via allreduce
  %0 = gcomm.allreduce @b0 on stream 2
  // expected-error @+1 {{bucket @b0 is communicated twice: each bucket has one collective step}}
  %1 = gcomm.allreduce @b0 on stream 2
  %2 = gcomm.unpack @b0 on stream 3 after %1
  %3 = gcomm.unpack @b1 on stream 3
}

// -----

gcomm.graph @g {
  gcomm.tensor @a : tensor<4xf32>
  gcomm.tensor @c : tensor<4xf32>
  gcomm.bucket @b0 [@a] compress #gcomm.dense<f32> via allreduce
  // expected-error @+1 {{bucket @b1 has no collective step: it is never communicated}}
  gcomm.bucket @b1 [@c] compress #gcomm.dense<f32> via allreduce
  %0 = gcomm.allreduce @b0 on stream 2
  %2 = gcomm.unpack @b0 on stream 3 after %0
  %3 = gcomm.unpack @b1 on stream 3
}

// -----

gcomm.graph @g {
  gcomm.tensor @a : tensor<4xf32>
  gcomm.bucket @b0 [@a] compress #gcomm.dense<f32> via allreduce
  // A step may only wait for steps before it: no cycles.
  // expected-error @+1 {{operand #0 does not dominate this use}}
  %0 = gcomm.pack @b0 on stream 0 after %1
  // expected-note @+1 {{operand defined here}}
  %1 = gcomm.allreduce @b0 on stream 2 after %0
  %2 = gcomm.unpack @b0 on stream 3 after %1
}

// -----

gcomm.graph @g {
  gcomm.tensor @a : tensor<4xf32>
  gcomm.bucket @b0 [@a] compress #gcomm.dense<f32> via allreduce
  // expected-error @+1 {{attribute 'stream' failed to satisfy constraint}}
  %0 = gcomm.pack @b0 on stream -1
}
