//===- GCommTypes.td - gcomm types -------------------------*- tablegen -*-===//

#ifndef AGTF_DIALECT_GCOMM_TYPES_TD
#define AGTF_DIALECT_GCOMM_TYPES_TD

include "GCommDialect.td"
include "mlir/IR/AttrTypeBase.td"

def GComm_EventType : TypeDef<GComm_Dialect, "Event"> {
  let mnemonic = "event";
  let summary = "Completion of one stream-level step";
  let description = [{
    Produced by every stream-level op; a step lists the events it waits for
    in `after`. Since an op can only use events defined before it, the
    dependencies always form a DAG.
  }];
}

#endif // AGTF_DIALECT_GCOMM_TYPES_TD
