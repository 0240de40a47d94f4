// RUN: agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{timeline=stream},gcomm-lower-to-streams))' | FileCheck %s --check-prefix=STREAM
// RUN: agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{timeline=serial},gcomm-lower-to-streams,gcomm-lower-to-streams))' | FileCheck %s --check-prefix=SERIAL
// RUN: agtf-opt %s --gcomm-lower-to-streams | agtf-opt --mlir-print-op-generic | agtf-opt | FileCheck %s --check-prefix=SERIAL

// One bucket of each kind. Collectives go on stream 2 in bucket order;
// packing and compressing on stream 1 (stream timeline) or 0 (serial);
// what waits for a collective on stream 3. Lowering twice gives one program.
gcomm.graph @g {
  gcomm.tensor @d : tensor<8xf32>
  gcomm.tensor @t : tensor<8x8xf32>
  gcomm.tensor @g : tensor<8x8xf32>
  gcomm.tensor @l : tensor<8x8xf32>
  gcomm.bucket @bd [@d] compress #gcomm.dense<f32> via allreduce
  gcomm.bucket @bt [@t] compress #gcomm.topk<density = 0.1> via allgather
  gcomm.bucket @bg [@g] compress #gcomm.gtopk<density = 0.1> via gtopk
  gcomm.bucket @bl [@l] compress #gcomm.lowrank<rank = 2> via allreduce
}
// STREAM:      %[[P0:.*]] = gcomm.pack @bd on stream 1
// STREAM-NEXT: %[[R0:.*]] = gcomm.allreduce @bd on stream 2 after %[[P0]]
// STREAM-NEXT: gcomm.unpack @bd on stream 3 after %[[R0]]
// STREAM-NEXT: %[[P1:.*]] = gcomm.pack @bt on stream 1
// STREAM-NEXT: %[[C1:.*]] = gcomm.compress @bt on stream 1 after %[[P1]]
// STREAM-NEXT: %[[A1:.*]] = gcomm.allgather @bt on stream 2 after %[[C1]]
// STREAM-NEXT: gcomm.residual_update @bt on stream 1 after %[[C1]]
// STREAM-NEXT: %[[D1:.*]] = gcomm.decompress @bt on stream 3 after %[[A1]]
// STREAM-NEXT: gcomm.unpack @bt on stream 3 after %[[D1]]
// STREAM-NEXT: %[[P2:.*]] = gcomm.pack @bg on stream 1
// STREAM-NEXT: %[[C2:.*]] = gcomm.compress @bg on stream 1 after %[[P2]]
// STREAM-NEXT: %[[G2:.*]] = gcomm.gtopk_reduce @bg on stream 2 after %[[C2]]
// STREAM-NEXT: gcomm.residual_update @bg on stream 3 after %[[G2]]
// STREAM-NEXT: %[[D2:.*]] = gcomm.decompress @bg on stream 3 after %[[G2]]
// STREAM-NEXT: gcomm.unpack @bg on stream 3 after %[[D2]]
// STREAM-NEXT: %[[P3:.*]] = gcomm.pack @bl on stream 1
// STREAM-NEXT: %[[C3:.*]] = gcomm.compress @bl on stream 1 after %[[P3]]
// STREAM-NEXT: %[[R3:.*]] = gcomm.allreduce @bl on stream 2 after %[[C3]]
// STREAM-NEXT: %[[D3:.*]] = gcomm.decompress @bl on stream 3 after %[[R3]]
// STREAM-NEXT: gcomm.residual_update @bl on stream 3 after %[[D3]]
// STREAM-NEXT: gcomm.unpack @bl on stream 3 after %[[D3]]
// STREAM-NEXT: }

// SERIAL:      gcomm.pack @bd on stream 0
// SERIAL-NEXT: gcomm.allreduce @bd on stream 2
// SERIAL-NEXT: gcomm.unpack @bd on stream 3
// SERIAL-NEXT: gcomm.pack @bt on stream 0
// SERIAL-NEXT: gcomm.compress @bt on stream 0
// SERIAL-COUNT-16: gcomm.
// SERIAL-NEXT: }
