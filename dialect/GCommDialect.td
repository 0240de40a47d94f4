//===- GCommDialect.td - gcomm dialect definition ----------*- tablegen -*-===//
//
// The gcomm dialect describes one training iteration's gradient traffic:
// the gradient tensors in the order backprop produces them, the buckets they
// are fused into, how each bucket is compressed and which collective carries
// it.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_DIALECT_GCOMM_DIALECT_TD
#define AGTF_DIALECT_GCOMM_DIALECT_TD

include "mlir/IR/OpBase.td"

def GComm_Dialect : Dialect {
  let name = "gcomm";
  let cppNamespace = "::agtf::gcomm";
  let summary = "Gradient communication of data-parallel training";
  let description = [{
    The `gcomm` dialect holds one training iteration's gradient traffic at
    three levels.

    * Graph level (what `agtf-import` writes): a `gcomm.graph` with one
      `gcomm.tensor` per trainable parameter, in the order its gradient
      becomes ready during backprop, with its shape, element type, backward
      time and gradient profile.
    * Plan level (what `gcomm-merge` writes): `gcomm.bucket` ops that fuse
      contiguous runs of tensors, each with a compression attribute and the
      collective that carries it.
    * Stream level (what `gcomm-lower-to-streams` writes): explicit pack,
      compress, collective and unpack steps on streams.

    Times are in microseconds throughout.
  }];
  let useDefaultAttributePrinterParser = 1;
  let useDefaultTypePrinterParser = 1;
  let extraClassDeclaration = [{
    // Defined beside the attribute and type storage classes.
    void registerAttributes();
    void registerTypes();
  }];
}

#endif // AGTF_DIALECT_GCOMM_DIALECT_TD
