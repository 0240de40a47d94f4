// RUN: agtf-opt %s -split-input-file -verify-diagnostics

// One case per verifier rule (DESIGN.md §3).

// expected-error @+1 {{@empty has no tensors}}
gcomm.graph @empty {
}

// -----

gcomm.graph @g {
  gcomm.tensor @a : tensor<4xf32>
  // expected-error @+1 {{bucket @b0 names unknown tensor @nope}}
  gcomm.bucket @b0 [@a, @nope] compress #gcomm.dense<f32> via allreduce
}

// -----

gcomm.graph @g {
  gcomm.tensor @a : tensor<4xf32>
  gcomm.tensor @b : tensor<4xf32>
  gcomm.bucket @b0 [@a, @b] compress #gcomm.dense<f32> via allreduce
  // expected-error @+1 {{tensor @b is in bucket @b0 and in bucket @b1}}
  gcomm.bucket @b1 [@b] compress #gcomm.dense<f32> via allreduce
}

// -----

gcomm.graph @g {
  gcomm.tensor @a : tensor<4xf32>
  // expected-error @+1 {{tensor @b is in no bucket}}
  gcomm.tensor @b : tensor<4xf32>
  gcomm.bucket @b0 [@a] compress #gcomm.dense<f32> via allreduce
}

// -----

gcomm.graph @g {
  gcomm.tensor @a : tensor<4xf32>
  gcomm.tensor @b : tensor<4xf32>
  gcomm.tensor @c : tensor<4xf32>
  // expected-error @+1 {{bucket @b0 is not a contiguous run in backprop order: @c does not directly follow @a}}
  gcomm.bucket @b0 [@a, @c] compress #gcomm.dense<f32> via allreduce
  gcomm.bucket @b1 [@b] compress #gcomm.dense<f32> via allreduce
}

// -----

gcomm.graph @g {
  gcomm.tensor @a : tensor<4xf32>
  gcomm.tensor @b : tensor<4xf32>
  // expected-error @+1 {{bucket @b0 starts at @b but the next tensor in backprop order is @a}}
  gcomm.bucket @b0 [@b, @a] compress #gcomm.dense<f32> via allreduce
}

// -----

gcomm.graph @g {
  gcomm.tensor @a : tensor<4xf32>
  gcomm.tensor @b : tensor<4xf32>
  // expected-error @+1 {{bucket @b0 starts at @b but the next tensor in backprop order is @a}}
  gcomm.bucket @b0 [@b] compress #gcomm.dense<f32> via allreduce
  gcomm.bucket @b1 [@a] compress #gcomm.dense<f32> via allreduce
}

// -----

gcomm.graph @g {
  gcomm.tensor @a : tensor<4xf32>
  // expected-error @+1 {{bucket @b0 has no tensors}}
  gcomm.bucket @b0 [] compress #gcomm.dense<f32> via allreduce
}

// -----

gcomm.graph @g {
  gcomm.tensor @a : tensor<4xf32>
  // expected-error @+1 {{bucket @b0: density must be in (0, 1], got 0.0}}
  gcomm.bucket @b0 [@a] compress #gcomm.topk<density = 0.0> via allgather
}

// -----

gcomm.graph @g {
  gcomm.tensor @a : tensor<4xf32>
  // expected-error @+1 {{bucket @b0: density must be in (0, 1], got 1.5}}
  gcomm.bucket @b0 [@a] compress #gcomm.gtopk<density = 1.5> via gtopk
}

// -----

gcomm.graph @g {
  gcomm.tensor @a : tensor<4xf32>
  // expected-error @+1 {{bucket @b0: density must be in (0, 1], got -0.1}}
  gcomm.bucket @b0 [@a] compress #gcomm.dgc<density = -0.1> via allgather
}

// -----

gcomm.graph @g {
  gcomm.tensor @a : tensor<4xf32>
  // expected-error @+1 {{bucket @b0: momentum must be in [0, 1), got 1.0}}
  gcomm.bucket @b0 [@a] compress #gcomm.dgc<density = 0.1, momentum = 1.0> via allgather
}

// -----

gcomm.graph @g {
  gcomm.tensor @a : tensor<4xf32>
  // expected-error @+1 {{bucket @b0: warmup must be >= 0 epochs, got -1}}
  gcomm.bucket @b0 [@a] compress #gcomm.dgc<density = 0.1, warmup = -1> via allgather
}

// -----

gcomm.graph @g {
  gcomm.tensor @a : tensor<4x4xf32>
  // expected-error @+1 {{bucket @b0: rank must be >= 1, got 0}}
  gcomm.bucket @b0 [@a] compress #gcomm.lowrank<rank = 0> via allreduce
}

// -----

gcomm.graph @g {
  gcomm.tensor @a : tensor<4xf32>
  // expected-error @+1 {{bucket @b0: values on the wire must be f32, f16 or bf16, got 'i8'}}
  gcomm.bucket @b0 [@a] compress #gcomm.dense<i8> via allreduce
}

// -----

gcomm.graph @g {
  gcomm.tensor @a : tensor<4xf32>
  // expected-error @+1 {{bucket @b0: #gcomm.topk<density = 0.5> cannot be carried by allreduce; use allgather}}
  gcomm.bucket @b0 [@a] compress #gcomm.topk<density = 0.5> via allreduce
}

// -----

gcomm.graph @g {
  gcomm.tensor @a : tensor<4xf32>
  // expected-error @+1 {{bucket @b0: predicted times must be finite and >= 0, got -1.0}}
  gcomm.bucket @b0 [@a] compress #gcomm.dense<f32> via allreduce {predicted = #gcomm.times<ready = -1.0, start = 0.0, end = 1.0>}
}

// -----

gcomm.graph @g {
  gcomm.tensor @a : tensor<4xf32>
  // expected-error @+1 {{bucket @b0: predicted times must satisfy ready <= start <= end, got 2.0, 1.0, 3.0}}
  gcomm.bucket @b0 [@a] compress #gcomm.dense<f32> via allreduce {predicted = #gcomm.times<ready = 2.0, start = 1.0, end = 3.0>}
}

// -----

gcomm.graph @g {
  // expected-error @+1 {{tensor @a: shape 'tensor<4x0xf32>' must have dimensions >= 1 and at most 2^48 elements}}
  gcomm.tensor @a : tensor<4x0xf32>
}

// -----

// 2^32 x 2^32 elements: the product is checked before it wraps to 0.
gcomm.graph @g {
  // expected-error @+1 {{tensor @a: shape 'tensor<4294967296x4294967296xf32>' must have dimensions >= 1 and at most 2^48 elements}}
  gcomm.tensor @a : tensor<4294967296x4294967296xf32>
}


// -----

gcomm.graph @g {
  // expected-error @+1 {{tensor @a: backward_us 1.0e+12 is over an hour (at most 3.6e9 us)}}
  gcomm.tensor @a : tensor<4xf32> {backward_us = 1.0e12}
}

// -----

// expected-error @+1 {{@g: forward_us 4.0e+09 is over an hour (at most 3.6e9 us)}}
gcomm.graph @g attributes {forward_us = 4.0e9} {
  gcomm.tensor @a : tensor<4xf32>
}

// -----

// A graph inside a graph would be planned by no pass: its tensors would
// vanish in lowering.
gcomm.graph @outer {
  gcomm.tensor @a : tensor<4xf32>
  // expected-error @+1 {{'gcomm.graph' op expects parent op 'builtin.module'}}
  gcomm.graph @inner {
    gcomm.tensor @b : tensor<4xf32>
  }
}

// -----

gcomm.graph @g {
  gcomm.tensor @a : tensor<4xf32>
  // expected-error @+1 {{is not allowed in gcomm.graph @g: a graph holds only gcomm tensors, buckets and steps}}
  builtin.module {}
}

// -----

gcomm.graph @g {
  // expected-error @+1 {{tensor @a: element type must be a float type, got 'i32'}}
  gcomm.tensor @a : tensor<4xi32>
}

// -----

gcomm.graph @g {
  // expected-error @+1 {{attribute 'tensor_type' failed to satisfy constraint: type attribute of statically shaped tensor}}
  gcomm.tensor @a : tensor<?xf32>
}

// -----

gcomm.graph @g {
  // expected-error @+1 {{tensor @a: backward_us must be finite and >= 0, got -3.0}}
  gcomm.tensor @a : tensor<4xf32> {backward_us = -3.0}
}

// -----

gcomm.graph @g {
  // expected-error @+1 {{tensor @a: backward_us must be finite and >= 0, got inf}}
  gcomm.tensor @a : tensor<4xf32> {backward_us = 0x7FF0000000000000 : f64}
}

// -----

gcomm.graph @g {
  // expected-error @+1 {{tensor @a: flops must be finite and >= 0, got nan}}
  gcomm.tensor @a : tensor<4xf32> {flops = 0x7FF8000000000000 : f64}
}

// -----

gcomm.graph @g {
  // expected-error @+1 {{tensor @a: density must be in (0, 1], got 2.0}}
  gcomm.tensor @a : tensor<4xf32> {density = 2.0}
}

// -----

gcomm.graph @g {
  // expected-error @+1 {{tensor @a: sketch kept fractions must increase within (0, 1], entry 1 is 0.1}}
  gcomm.tensor @a : tensor<4xf32> {sketch = #gcomm.sketch<kept = [0.5, 0.1], threshold = [1.0, 0.5], energy = [0.5, 1.0]>}
}

// -----

gcomm.graph @g {
  // expected-error @+1 {{tensor @a: sketch thresholds must be finite, >= 0 and non-increasing, entry 1 is 2.0}}
  gcomm.tensor @a : tensor<4xf32> {sketch = #gcomm.sketch<kept = [0.1, 0.5], threshold = [1.0, 2.0], energy = [0.5, 1.0]>}
}

// -----

gcomm.graph @g {
  // expected-error @+1 {{tensor @a: sketch energy must be non-decreasing within [0, 1], entry 1 is 1.5}}
  gcomm.tensor @a : tensor<4xf32> {sketch = #gcomm.sketch<kept = [0.1, 0.5], threshold = [1.0, 0.5], energy = [0.5, 1.5]>}
}

// -----

gcomm.graph @g {
  // expected-error @+1 {{tensor @a: sketch needs kept, threshold and energy of one non-zero length, got 2, 1, 2}}
  gcomm.tensor @a : tensor<4xf32> {sketch = #gcomm.sketch<kept = [0.1, 0.5], threshold = [1.0], energy = [0.5, 1.0]>}
}

// -----

// expected-error @+1 {{@g: forward_us must be finite and >= 0, got -1.0}}
gcomm.graph @g attributes {forward_us = -1.0} {
  gcomm.tensor @a : tensor<4xf32>
}

// -----

// expected-error @+1 {{attribute 'workers' failed to satisfy constraint}}
gcomm.graph @g attributes {workers = 0 : i64} {
  gcomm.tensor @a : tensor<4xf32>
}

// -----

gcomm.graph @g {
  // expected-note @+1 {{see existing symbol definition here}}
  gcomm.tensor @a : tensor<4xf32>
  // expected-error @+1 {{redefinition of symbol named 'a'}}
  gcomm.tensor @a : tensor<4xf32>
}

// -----

module {
  // expected-error @+1 {{expects parent op 'gcomm.graph'}}
  gcomm.tensor @a : tensor<4xf32>
}
