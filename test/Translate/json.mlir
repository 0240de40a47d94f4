// RUN: agtf-opt %s --gcomm-lower-to-streams | agtf-translate --gcomm-to-schedule -o %t.bin
// RUN: agtf-translate --schedule-to-json %t.bin | FileCheck %s
// RUN: agtf-translate --schedule-to-json %t.bin | %python -c "import json,sys; d=json.load(sys.stdin); print(len(d['tensors']), len(d['buckets']), len(d['steps']))" | FileCheck %s --check-prefix=COUNTS

// CHECK:      "format_version": 1,
// CHECK:      "world_size": 2,
// CHECK:      "timeline": "stream"
// CHECK:      "name": "a",
// CHECK-NEXT: "shape": [
// CHECK-NEXT:   10,
// CHECK-NEXT:   100
// CHECK-NEXT: ],
// CHECK-NEXT: "numel": 1000,
// CHECK-NEXT: "dtype": "f32",
// CHECK-NEXT: "offset": 0,
// CHECK-NEXT: "backward_us": 10.0
// CHECK:      "name": "b",
// CHECK:      "offset": 1000,
// CHECK:      "name": "b0",
// CHECK:      "kind": "topk",
// CHECK-NEXT: "density": 0.1,
// CHECK-NEXT: "select": "sampled",
// CHECK-NEXT: "index_dtype": "int32",
// CHECK-NEXT: "value_dtype": "f16"
// CHECK:      "collective": "allgather",
// CHECK-NEXT: "predicted": {
// CHECK-NEXT:   "ready_us": 20.0,
// CHECK:      "kind": "dgc",
// CHECK:      "momentum": 0.95,
// CHECK-NEXT: "warmup_epochs": 3,
// CHECK:      "steps": [
// CHECK:        "kind": "pack",
// CHECK-NEXT:   "bucket": 0,
// CHECK-NEXT:   "stream": 1,
// CHECK-NEXT:   "deps": []
// CHECK:        "kind": "compress",
// CHECK-NEXT:   "bucket": 0,
// CHECK-NEXT:   "stream": 1,
// CHECK-NEXT:   "deps": [
// CHECK-NEXT:     0
// CHECK:      "predicted": {
// CHECK-NEXT:   "iteration_us": 300.0,
// COUNTS: 3 2 12
gcomm.graph @g attributes {workers = 2 : i64, predicted_iter_us = 300.0, predicted_exposed_comm_us = 10.0, predicted_noise = 0.5,
    cluster = {timeline = "stream"}} {
  gcomm.tensor @a : tensor<10x100xf32> {backward_us = 10.0}
  gcomm.tensor @b : tensor<100xf32> {backward_us = 20.0}
  gcomm.tensor @c : tensor<10x10xf32> {backward_us = 5.0}
  gcomm.bucket @b0 [@a] compress #gcomm.topk<density = 0.1, select = sampled, value = f16> via allgather {predicted = #gcomm.times<ready = 20.0, start = 20.0, end = 100.0>}
  gcomm.bucket @b1 [@b, @c] compress #gcomm.dgc<density = 0.2, momentum = 0.95, warmup = 3> via allgather {predicted = #gcomm.times<ready = 40.0, start = 100.0, end = 200.0>}
}
