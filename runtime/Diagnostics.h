//===- Diagnostics.h - how the runtime's messages are signed ----*- C++ -*-===//
//
// The runtime is a library: it runs under agtf-run and agtf-profile and
// inside a user's own training program. Its messages say what failed and on
// which rank; the program that embeds it puts its own name in front, set
// once at startup, so that under agtf-run a message reads
// "agtf-run: rank 2: MPI_Allreduce failed: ..." and in a user's program
// "rank 2: MPI_Allreduce failed: ...".
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_DIAGNOSTICS_H
#define AGTF_RUNTIME_DIAGNOSTICS_H

#include <string>

namespace agtf::runtime {

/// The name that starts every message of the runtime ("" for none). Set it
/// before the runtime starts threads (the engine's, MPI's watchdog).
void setProgramName(const std::string &name);
const std::string &programName();

/// "<program>: rank <rank>: <message>" (without "rank" when rank < 0, and
/// without the program's name when none is set), on stderr, flushed.
void reportError(int rank, const std::string &message);

/// The rank the launcher gave this process (Open MPI's, PMIx's or PMI's
/// variable), for messages before MPI has started; -1 when none did.
int launcherRank();

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_DIAGNOSTICS_H
