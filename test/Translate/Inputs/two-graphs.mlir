gcomm.graph @g {
  gcomm.tensor @a : tensor<10x100xf32>
  gcomm.bucket @b0 [@a] compress #gcomm.dense<f32> via allreduce
}
gcomm.graph @h {
  gcomm.tensor @a : tensor<10x100xf32>
  gcomm.bucket @b0 [@a] compress #gcomm.dense<f32> via allreduce
}
