//===- AgreedOptions.h - the options every rank must have alike -*- C++ -*-===//
//
// agtf-run's part of the startup agreement (runtime/Agreement.h): every
// option that changes what is computed or how many collectives are issued.
// Every option of the usage is either in agreedOptions() or in
// perRankOptions, which a test checks, so that a new option cannot be left
// out of the agreement by mistake.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_TOOLS_AGTFRUN_AGREEDOPTIONS_H
#define AGTF_TOOLS_AGTFRUN_AGREEDOPTIONS_H

#include "Options.h"

#include "runtime/Agreement.h"

#include <string>
#include <vector>

namespace agtf::run {

/// The agreed options, each named as in the usage with its value. --model
/// and --data-dir are compared by their files' bytes (read here), since
/// each rank may keep its own copy under another path.
std::vector<runtime::AgreedItem> agreedOptions(const Options &options);

/// The options of the usage that each rank may set for itself: what it
/// prints or writes, and how long it waits for its peers.
extern const std::vector<std::string> perRankOptions;

} // namespace agtf::run

#endif // AGTF_TOOLS_AGTFRUN_AGREEDOPTIONS_H
