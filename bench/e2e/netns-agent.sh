#!/usr/bin/env bash
# mpirun's launch agent (plm_rsh_agent) for the emulated hosts: where
# mpirun would ssh to host 10.213.0.N+1 to start its daemon, this runs the
# daemon in network namespace $AGTF_E2E_PREFIX-rN instead, so that the
# daemon, the rank it starts and the rank's local PMIx traffic all live in
# that host's namespace.
# Usage (by mpirun): netns-agent.sh [ssh options] HOST COMMAND...
set -euo pipefail
while [ $# -gt 0 ] && [ "${1#-}" != "$1" ]; do shift; done # ssh options
host=$1
shift
last=${host##*.}
exec ip netns exec "${AGTF_E2E_PREFIX:?}-r$((last - 1))" /bin/sh -c "$*"
