// The transformer families of make_models.py (GPT-2 with its tied LM head,
// BERT, Llama with grouped key-value heads, a mixture of experts with
// top-k routing and a shared expert) script and import, in the order that
// bench/make_graph.py gives their published configurations from the
// shapes alone (up to the order of one module's adjacent tensors), and the
// imported mixture of experts plans within its optimality gaps.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %agtf_src_root/examples/models/make_models.py %t gpt2-mini bert-mini llama-mini moe-mini | FileCheck %s --check-prefix=MODEL
// RUN: agtf-import %t/gpt2-mini.pt --input-shape 2x16 -o %t/gpt2.mlir
// RUN: agtf-import %t/bert-mini.pt --input-shape 2x16 -o %t/bert.mlir
// RUN: agtf-import %t/llama-mini.pt --input-shape 2x16 -o %t/llama.mlir
// RUN: agtf-import %t/moe-mini.pt --input-shape 2x16 -o %t/moe.mlir
// RUN: %python %agtf_src_root/bench/make_graph.py model gpt2-mini %t/gpt2-shapes.mlir
// RUN: %python %agtf_src_root/bench/make_graph.py model bert-mini %t/bert-shapes.mlir
// RUN: %python %agtf_src_root/bench/make_graph.py model llama-mini %t/llama-shapes.mlir
// RUN: %python %agtf_src_root/bench/make_graph.py model moe-mini %t/moe-shapes.mlir
// RUN: %python %S/Inputs/same-tensors.py %t/gpt2.mlir %t/gpt2-shapes.mlir | FileCheck %s --check-prefix=GPT2
// RUN: %python %S/Inputs/same-tensors.py %t/bert.mlir %t/bert-shapes.mlir | FileCheck %s --check-prefix=BERT
// RUN: %python %S/Inputs/same-tensors.py %t/llama.mlir %t/llama-shapes.mlir | FileCheck %s --check-prefix=LLAMA
// RUN: %python %S/Inputs/same-tensors.py %t/moe.mlir %t/moe-shapes.mlir | FileCheck %s --check-prefix=MOE
// RUN: FileCheck %s --check-prefix=TIED < %t/gpt2.mlir
// RUN: %python %S/../Passes/Inputs/check-optimality-gap.py agtf-opt %t/moe.mlir | FileCheck %s --check-prefix=GAP

// MODEL: gpt2-mini: 52 tensors, 236928 parameters
// MODEL: bert-mini: 73 tensors, 241346 parameters
// MODEL: llama-mini: 39 tensors, 247360 parameters
// MODEL: moe-mini: 114 tensors, 481600 parameters
// GPT2: same 52 tensors
// BERT: same 73 tensors
// LLAMA: same 39 tensors
// MOE: same 114 tensors
// The tied LM head is the token embedding: one tensor, its gradient last.
// TIED-COUNT-1: gcomm.tensor @wte.weight : tensor<512x64xf32>
// TIED-NOT: gcomm.tensor
// GAP: the plans are within their gaps
