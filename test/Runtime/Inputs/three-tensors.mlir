// A dense vector and two matrices: layer-wise top-k plans it into a dense
// bucket and two top-k buckets (test/Runtime/trace-fit.sh,
// sparsify-planned.sh).
gcomm.graph @g attributes {forward_us = 100.0, update_us = 0.0} {
  gcomm.tensor @bias : tensor<1000xf32> {backward_us = 50.0}
  gcomm.tensor @w1 : tensor<100x200xf32> {backward_us = 100.0}
  gcomm.tensor @w2 : tensor<300x100xf32> {backward_us = 100.0}
}
