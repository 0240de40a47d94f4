// A small Fashion-MNIST CNN, written by hand: tensors in backprop order
// (the last layer's gradients are ready first), times in microseconds.
gcomm.graph @lenet attributes {workers = 4 : i64, forward_us = 180.0, update_us = 15.0} {
  gcomm.tensor @fc3.bias : tensor<10xf32> {backward_us = 3.0}
  gcomm.tensor @fc3.weight : tensor<10x84xf32> {backward_us = 6.5}
  gcomm.tensor @fc2.bias : tensor<84xf32> {backward_us = 2.0}
  gcomm.tensor @fc2.weight : tensor<84x120xf32> {backward_us = 21.0}
  gcomm.tensor @fc1.bias : tensor<120xf32> {backward_us = 2.5}
  gcomm.tensor @fc1.weight : tensor<120x256xf32> {backward_us = 48.0}
  gcomm.tensor @conv2.bias : tensor<16xf32> {backward_us = 4.0}
  gcomm.tensor @conv2.weight : tensor<16x6x5x5xf32> {backward_us = 95.0}
  gcomm.tensor @conv1.bias : tensor<6xf32> {backward_us = 3.5}
  gcomm.tensor @conv1.weight : tensor<6x1x5x5xf32> {backward_us = 40.0}
}
