//===- Options.cpp - agtf-profile's command line --------------------------===//

#include "Options.h"

#include "tools/CommandLine.h"

using namespace agtf::profile;

const char *const agtf::profile::usage =
    R"(usage: mpirun -np P agtf-profile -o CLUSTER.json [options]
       agtf-profile --from-trace --cluster CLUSTER.json -o FITTED.json
                    SCHEDULE.bin TRACE.json [SCHEDULE.bin TRACE.json ...]

Measures this cluster's cost constants and writes the cluster file that
gcomm-annotate-cost reads (docs/cli.md, docs/passes.md). With
--from-trace it measures nothing: it fits CLUSTER.json to what agtf-run
measured while it ran those schedules (agtf-run SCHEDULE.bin --trace
TRACE.json writes TRACE.json and, from the other ranks, TRACE.json.rankN)
and writes FITTED.json. Options take their value as --name VALUE or
--name=VALUE.

  --help               print this and exit
  --version            print agtf-profile's version and exit
  -o FILE              the cluster file to write (rank 0; required)
  --device cpu         where the sparsification kernels run (cpu only for now)
  --max-bytes N        largest message of the collectives (default 33554432)
  --max-elements N     largest tensor of the sparsification and pack
                       measurements, >= 1000 (default 10000000)
  --min-elements N     smallest one, >= 1000 and below --max-elements
                       (default 1000)
  --reps N             timed repetitions per size (default 10)
  --warmup N           untimed repetitions before them (default 2)
  --kernels-on-every-rank
                       every rank times the kernels at the same time (ranks
                       sharing one host's cores); the slowest rank's time
                       counts. Default: rank 0 alone
  --selection exact|sampled
                       the top-k fit written as sparsify_us and
                       sparsify_us_per_element (default exact)
  --timeout S          end the job when one communication call waits longer
                       than S seconds (default 120; 0: never)
  --from-trace         fit --cluster to the traced runs given as arguments
  --cluster FILE       the cluster file the traced schedules were planned
                       with (--from-trace)
)";

std::optional<int> agtf::profile::parseOptions(int argc, char **argv,
                                               Options &o) {
  cli::CommandLine line("agtf-profile", usage);
  line.text("-o,--output", o.output);
  line.option("--device", [&o](const std::string &value) {
    if (value != "cpu")
      return "--device '" + value + "': only 'cpu' is supported for now";
    o.device = value;
    return std::string();
  });
  line.flag("--kernels-on-every-rank", o.kernelsOnEveryRank);
  line.option("--selection", [&o](const std::string &value) {
    if (value != "exact" && value != "sampled")
      return "--selection '" + value + "': expected 'exact' or 'sampled'";
    o.selection = value;
    return std::string();
  });
  // Bounds keep every size list at least two points long.
  auto atLeast = [&](const char *name, int64_t &out, int64_t least) {
    line.integer(name, out, least,
                 "is not an integer >= " + std::to_string(least));
  };
  atLeast("--max-bytes", o.maxBytes, 64);
  atLeast("--max-elements", o.maxElements, 1000);
  atLeast("--min-elements", o.minElements, 1000);
  atLeast("--reps", o.reps, 1);
  atLeast("--warmup", o.warmup, 0);
  line.nonNegative("--timeout", o.timeoutSeconds);
  line.flag("--from-trace", o.fromTrace);
  line.text("--cluster", o.cluster);
  line.positionals(o.runs);

  return line.parse(argc, argv, [&]() -> std::string {
    if (o.output.empty())
      return "no output file: give -o CLUSTER.json";
    if (!o.fromTrace && (!o.runs.empty() || !o.cluster.empty()))
      return "schedules, traces and --cluster are read with --from-trace";
    if (o.fromTrace) {
      if (o.cluster.empty())
        return "--from-trace needs --cluster CLUSTER.json, the file the "
               "schedules were planned with";
      if (o.runs.empty() || o.runs.size() % 2 != 0)
        return "--from-trace needs SCHEDULE.bin TRACE.json pairs, got " +
               std::to_string(o.runs.size()) + " arguments";
    }
    // MPI counts are int; the allreduce counts floats.
    if (o.maxBytes > (int64_t(1) << 30))
      return "--max-bytes: at most 1073741824";
    if (o.maxElements > (int64_t(1) << 30))
      return "--max-elements: at most 1073741824";
    if (o.minElements >= o.maxElements)
      return "--min-elements must be below --max-elements";
    return "";
  });
}
