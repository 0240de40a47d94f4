// RUN: agtf-opt %s --ddp-buckets | FileCheck %s
// RUN: agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-merge{strategy=threshold bucket-bytes=4000 first-bucket-bytes=400}))' | FileCheck %s --check-prefix=SMALL

// DDP's rule: a bucket closes once it holds at least the limit; the first
// bucket's limit is 1 MiB, the others' 25 MiB.
// Sizes in bytes (f32): @a 400, @b 800000, @c 400000 (1,200,400 so far:
// the first bucket closes after @c, past 1,048,576), @d 8,000,000,
// @e 20,000,000 (28,000,000 >= 26,214,400: closes), @f 40.
gcomm.graph @g {
  gcomm.tensor @a : tensor<100xf32>
  gcomm.tensor @b : tensor<200000xf32>
  gcomm.tensor @c : tensor<100x1000xf32>
  gcomm.tensor @d : tensor<2000x1000xf32>
  gcomm.tensor @e : tensor<5000x1000xf32>
  gcomm.tensor @f : tensor<10xf32>
}
// CHECK: gcomm.bucket @b0 [@a, @b, @c] compress #gcomm.dense<f32> via allreduce
// CHECK-NEXT: gcomm.bucket @b1 [@d, @e] compress #gcomm.dense<f32> via allreduce
// CHECK-NEXT: gcomm.bucket @b2 [@f] compress #gcomm.dense<f32> via allreduce

// With limits 400 then 4000: @a alone reaches 400; @b alone passes 4000;
// and so on, each tensor its own bucket.
// SMALL: [@a] compress
// SMALL-NEXT: [@b] compress
// SMALL-NEXT: [@c] compress
// SMALL-NEXT: [@d] compress
// SMALL-NEXT: [@e] compress
// SMALL-NEXT: [@f] compress
