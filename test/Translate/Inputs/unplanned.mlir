gcomm.graph @g {
  gcomm.tensor @a : tensor<10x100xf32>
}
