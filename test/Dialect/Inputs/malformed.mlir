gcomm.graph @g {
  gcomm.tensor @w : tensor<4xf32> {backward_us = }
}
