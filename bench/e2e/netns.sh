# Emulated hosts on one machine, for bench/e2e. Source it, then:
#   e2e_net_up PREFIX P RATE     P ranks, each in network namespace
#                                PREFIX-rN (address 10.213.0.N+1/24 on
#                                interface e2e0), all joined by a bridge in
#                                namespace PREFIX-sw; every link shaped with
#                                tc tbf to RATE (e.g. 1gbit) both ways
#   e2e_net_rate PREFIX P RATE   reshape the links of a running network
#   e2e_net_stop PREFIX          end (by pid) the processes in the namespaces
#                                named PREFIX-*
#   e2e_net_down PREFIX          e2e_net_stop, then delete the namespaces
#   e2e_net_check                exit status 0 when namespaces, veth and tbf
#                                work here; else prints why on stderr
#   e2e_autogroups on|off|keep   sets kernel.sched_autogroup_enabled for
#                                the processes started from now on (off:
#                                every emulated host in one scheduling
#                                group, as on a cluster, see below); undone
#                                by e2e_net_down (by the last of several
#                                harnesses that run at once)
# Needs root (ip netns, tc) and iproute2. The host's own network namespace is
# never touched: the bridge lives in its own namespace, and deleting the
# namespaces deletes their veths and qdiscs.

E2E_SUBNET=10.213.0
E2E_IF=e2e0

e2e_addr() { echo "$E2E_SUBNET.$(($1 + 1))"; }

# tbf on one interface: the bucket holds 1 ms at RATE (at least 64 KiB, so
# a GSO segment fits), the queue 50 ms (TCP keeps it far emptier).
e2e_shape() {
  local ns=$1 dev=$2 rate=$3 bits burst
  bits=$(tc_rate_bits "$rate")
  burst=$((bits / 8 / 1000))
  [ "$burst" -ge 65536 ] || burst=65536
  ip netns exec "$ns" tc qdisc replace dev "$dev" root tbf rate "$rate" \
    burst "$burst" latency 50ms
}

# 1gbit -> 1000000000 (tc's decimal units).
tc_rate_bits() {
  local r=$1 n unit
  n=${r%%[a-zA-Z]*}
  unit=${r#"$n"}
  case $unit in
    gbit) echo $((n * 1000000000)) ;;
    mbit) echo $((n * 1000000)) ;;
    kbit) echo $((n * 1000)) ;;
    bit | "") echo "$n" ;;
    *) echo "netns.sh: unsupported rate unit in '$r'" >&2; return 1 ;;
  esac
}

e2e_net_up() {
  local prefix=$1 p=$2 rate=$3 sw=$1-sw i
  ip netns add "$sw"
  ip -n "$sw" link set lo up
  ip -n "$sw" link add br0 type bridge
  ip -n "$sw" link set br0 up
  for ((i = 0; i < p; i++)); do
    local ns=$prefix-r$i
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    ip -n "$sw" link add "p$i" type veth peer name "$E2E_IF" netns "$ns"
    ip -n "$sw" link set "p$i" master br0 up
    ip -n "$ns" addr add "$(e2e_addr "$i")/24" dev "$E2E_IF"
    ip -n "$ns" link set "$E2E_IF" up
  done
  e2e_net_rate "$prefix" "$p" "$rate"
}

e2e_net_rate() {
  local prefix=$1 p=$2 rate=$3 i
  for ((i = 0; i < p; i++)); do
    e2e_shape "$prefix-r$i" "$E2E_IF" "$rate" # what rank i sends
    e2e_shape "$prefix-sw" "p$i" "$rate"      # what rank i receives
  done
}

# Ends (by pid) every process in the namespaces named PREFIX-*.
e2e_net_stop() {
  local prefix=$1 ns
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
    case $ns in
      "$prefix"-*) ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true ;;
    esac
  done
}

e2e_net_down() {
  e2e_net_delete "$1"
  e2e_autogroups_restore
}

e2e_net_delete() {
  local prefix=$1 ns
  # A namespace lives on while a process is in it.
  e2e_net_stop "$prefix"
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
    case $ns in "$prefix"-*) ip netns del "$ns" 2>/dev/null || true ;; esac
  done
}

# Every emulated host has its own launch daemon, so every rank is a session
# of its own, and Linux schedules each session as one group (autogroups):
# sched_yield(), all that a rank polling in a collective does, then hands
# the core only to its own group's threads, and another host's woken thread
# waits for the poller's slice to end (25-28 ms stalls; docs/benchmarks.md,
# "What causes the stalls"). On a cluster the hosts have a kernel each, and
# no such contention; off puts the emulated hosts in one group. The setting
# is read when a process is forked or starts a session, so it holds for the
# ranks started after it, and each process keeps its group.
#
# The setting is the host's, and harnesses may run at once: the first to
# change it saves the host's value in E2E_AUTOGROUP_STATE, each holds it by
# a file named by its pid, and the last to leave restores the saved value
# (a holder that was killed counts as gone, so the next one to leave
# restores for it). Both variables may be set beforehand (the tests do).
E2E_AUTOGROUP_FILE=${E2E_AUTOGROUP_FILE:-/proc/sys/kernel/sched_autogroup_enabled}
E2E_AUTOGROUP_STATE=${E2E_AUTOGROUP_STATE:-/run/agtf-e2e-autogroups}
E2E_AUTOGROUP_HELD=""

# Removes the holder files of processes that no longer run; exit status 0
# when some holder is left.
e2e_autogroups_prune() {
  local f live=1
  for f in "$E2E_AUTOGROUP_STATE"/holder.*; do
    [ -e "$f" ] || continue
    if kill -0 "${f##*.}" 2>/dev/null; then live=0; else rm -f "$f"; fi
  done
  return $live
}

e2e_autogroups() {
  local want
  case $1 in
    keep) return 0 ;;
    on) want=1 ;;
    off) want=0 ;;
    *) echo "netns.sh: autogroups must be on, off or keep, not '$1'" >&2; return 2 ;;
  esac
  if [ ! -e "$E2E_AUTOGROUP_FILE" ]; then
    # A kernel without autogroups already schedules as 'off'.
    [ "$want" = 0 ] && return 0
    echo "netns.sh: this kernel has no autogroups ($E2E_AUTOGROUP_FILE)" >&2
    return 1
  fi
  mkdir -p "$E2E_AUTOGROUP_STATE" ||
    { echo "netns.sh: cannot make $E2E_AUTOGROUP_STATE" >&2; return 1; }
  (
    flock 9
    # A saved value left by a killed holder is still the host's own.
    [ -s "$E2E_AUTOGROUP_STATE/saved" ] ||
      cat "$E2E_AUTOGROUP_FILE" > "$E2E_AUTOGROUP_STATE/saved"
    echo "$want" > "$E2E_AUTOGROUP_FILE" &&
      : > "$E2E_AUTOGROUP_STATE/holder.$$"
  ) 9> "$E2E_AUTOGROUP_STATE/lock" ||
    { echo "netns.sh: cannot write $E2E_AUTOGROUP_FILE" >&2; return 1; }
  E2E_AUTOGROUP_HELD=1
}

e2e_autogroups_restore() {
  [ -n "$E2E_AUTOGROUP_HELD" ] || return 0
  E2E_AUTOGROUP_HELD=""
  (
    flock 9
    rm -f "$E2E_AUTOGROUP_STATE/holder.$$"
    if ! e2e_autogroups_prune && [ -s "$E2E_AUTOGROUP_STATE/saved" ]; then
      cat "$E2E_AUTOGROUP_STATE/saved" > "$E2E_AUTOGROUP_FILE" &&
        rm -f "$E2E_AUTOGROUP_STATE/saved"
    fi
  ) 9> "$E2E_AUTOGROUP_STATE/lock" 2>/dev/null || true
}

e2e_net_check() {
  local probe=agtf-probe-$$ ok=0
  if [ "$(id -u)" -ne 0 ]; then
    echo "not root: network namespaces need root" >&2; return 1
  fi
  for tool in ip tc; do
    command -v "$tool" >/dev/null ||
      { echo "no '$tool' (install iproute2)" >&2; return 1; }
  done
  if (e2e_net_up "$probe" 2 1gbit) 2>/dev/null; then ok=1; fi
  e2e_net_delete "$probe"
  [ $ok = 1 ] || { echo "cannot create network namespaces, veths and tbf here" >&2; return 1; }
}
