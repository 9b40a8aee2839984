# shellcheck shell=bash
# A Docker Swarm of $BERTH_SWARM_SIZE (3) separate dockerd processes on this one
# machine, for tests that need real nodes (a node that dies, tasks moved):
#
#   swarm_up                 builds (or finds) the swarm; exports the variables below
#   swarm_down               removes every trace of it; the shared engine keeps working
#   swarm_status             per-node state and `docker node ls`
#   swarm_node_kill N        SIGKILLs everything of node N (dockerd, containerd,
#                            shims, its containers, its registry relays)
#   swarm_node_start N       starts node N again on its old data: it rejoins by itself
#   swarm_env                prints the `export ...` lines (for eval)
#
# Exported by swarm_up (and swarm_env):
#   BERTH_TEST_SWARM_HOST   unix:///run/berth-swarm/berth-sw1/docker.sock (the first manager,
#                           and the raft leader unless it died)
#   BERTH_TEST_SWARM_NODES  the sockets of all nodes, manager first, space separated
#
# Layout: node N is berth-swN with
#   - network namespace berth-swN (ip netns), eth0 = 10.231.0.(10+N)/24 on a veth
#     whose host end (berthswNh) sits in the host bridge berthsw0 = 10.231.0.1/24;
#     one iptables FORWARD rule (comment "berth-swarm") lets frames cross the bridge;
#   - its own mount and UTS namespace (hostname berth-swN), in which /sys/class/net
#     shows the node's own interfaces, /run/containerd and /etc/docker are per-node
#     directories (so no containerd socket, shim socket or engine key is shared
#     with the shared engine), $BERTH_SWARM_NODE_RUN (/run/berth-node) is the
#     node's own run directory, so /run/berth-node/docker.sock in a bind mount is
#     the engine of the node the container runs on, as /var/run/docker.sock is on
#     a real node, and every mount dockerd makes stays invisible to the host and
#     vanishes with the node's processes;
#   - dockerd with its own socket, data root ($BERTH_SWARM_DATA_DIR/berth-swN),
#     exec root, pid file, config file, containerd (started by dockerd under the
#     exec root, containerd namespaces berth-swN / berth-swN-plugins), cgroup parent
#     /berth-swN, docker0 10.232.N.1/24 and address pools 10.232.(64N).0/18 inside
#     its namespace; the log is $BERTH_SWARM_RUN_DIR/berth-swN/dockerd.log;
#   - socat relays: localhost:5000 and localhost:5001 inside the namespace reach the
#     host's registries on 127.0.0.1 through a unix socket (host relay
#     $BERTH_SWARM_RUN_DIR/registry-PORT.sock), so digest-pinned
#     localhost:5000/...@sha256:... references pull on every node.
# Swarm: all nodes are managers (and run tasks), as a production swarm has 3 managers:
# the raft quorum survives one node down, so a test may kill any one node, and Berth
# run as a Swarm service can move to another manager. Nodes join as managers from the
# start: promoting and demoting nodes test after test left raft members that could
# not start again ("can't initialize raft node").
# Overlay subnets come from 10.234.0.0/16; the dispatcher heartbeat is
# $BERTH_SWARM_HEARTBEAT (a dead worker is marked down after about 3 heartbeats).
#
# Needs root, iproute2, iptables, nsenter/unshare (util-linux), socat and the
# docker.io engine binaries (installed when missing). Never touches the shared
# engine, its docker0 or its containerd, and never pulls from a public registry.

# shellcheck source=SCRIPTDIR/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

: "${BERTH_SWARM_SIZE:=3}"
: "${BERTH_SWARM_RUN_DIR:=/run/berth-swarm}"
: "${BERTH_SWARM_DATA_DIR:=/var/lib/berth-swarm}"
: "${BERTH_SWARM_NODE_RUN:=/run/berth-node}"
: "${BERTH_SWARM_BRIDGE:=berthsw0}"
: "${BERTH_SWARM_NET:=10.231.0}"
: "${BERTH_SWARM_HEARTBEAT:=2s}"
: "${BERTH_SWARM_WAIT_SECONDS:=60}"
: "${BERTH_SWARM_REGISTRY_PORTS:=5000 5001}"

BERTH_SWARM_IPT_COMMENT=berth-swarm

_berth_swarm_node() { printf 'berth-sw%s\n' "$1"; }
_berth_swarm_ip() { printf '%s.%s\n' "$BERTH_SWARM_NET" $((10 + $1)); }
_berth_swarm_dir() { printf '%s/berth-sw%s\n' "$BERTH_SWARM_RUN_DIR" "$1"; }
_berth_swarm_sock() { printf 'unix://%s/berth-sw%s/docker.sock\n' "$BERTH_SWARM_RUN_DIR" "$1"; }

# _berth_swarm_docker N ARGS...: the docker CLI against node N (bounded in time).
_berth_swarm_docker() {
  local n=$1
  shift
  timeout 30 docker -H "$(_berth_swarm_sock "$n")" "$@"
}

# The pid of node N's dockerd (the launcher that execs it has the same pid), if any.
_berth_swarm_dockerd_pid() {
  pgrep -f -- "dockerd -H $(_berth_swarm_sock "$1")( |\$)" | head -n 1
}

_berth_swarm_answers() {
  [[ -S "$(_berth_swarm_dir "$1")/docker.sock" ]] &&
    timeout 5 docker -H "$(_berth_swarm_sock "$1")" version -f '{{.Server.Version}}' >/dev/null 2>&1
}

_berth_swarm_check_n() {
  if [[ ! "${1:-}" =~ ^[0-9]+$ ]] || (($1 < 1 || $1 > BERTH_SWARM_SIZE)); then
    berth_ci_die "node number must be 1..$BERTH_SWARM_SIZE, got '${1:-}'"
    return 1
  fi
}

_berth_swarm_tools() {
  local need=()
  command -v socat >/dev/null 2>&1 || need+=(socat)
  command -v ip >/dev/null 2>&1 || need+=(iproute2)
  command -v iptables >/dev/null 2>&1 || need+=(iptables)
  command -v nsenter >/dev/null 2>&1 || need+=(util-linux)
  if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
    need+=(docker.io containerd runc)
  fi
  if ((${#need[@]} > 0)); then
    berth_ci_apt_install "${need[@]}" || return 1
  fi
  if [[ $(id -u) -ne 0 ]]; then
    berth_ci_die "the swarm needs root (network namespaces, mounts, iptables)"
    return 1
  fi
}

# --- host network -----------------------------------------------------------

_berth_swarm_bridge_up() {
  local br=$BERTH_SWARM_BRIDGE
  if [[ ! -e /sys/class/net/$br ]]; then
    berth_ci_log "swarm: creating bridge $br ($BERTH_SWARM_NET.1/24)"
    ip link add "$br" type bridge || return 1
  fi
  ip addr replace "$BERTH_SWARM_NET.1/24" dev "$br" || return 1
  ip link set "$br" up || return 1
  # Frames between the nodes cross the bridge; with br_netfilter they go through
  # FORWARD, whose policy is DROP once the shared engine runs. Nothing else is
  # forwarded: the nodes reach only each other and the host.
  if ! iptables -C FORWARD -i "$br" -o "$br" -m comment --comment "$BERTH_SWARM_IPT_COMMENT" -j ACCEPT 2>/dev/null; then
    iptables -I FORWARD 1 -i "$br" -o "$br" -m comment --comment "$BERTH_SWARM_IPT_COMMENT" -j ACCEPT || return 1
  fi
}

# _berth_swarm_netns_up N: the namespace, its veth into the bridge, lo, eth0, route.
_berth_swarm_netns_up() {
  local n=$1 ns host_if node_if
  ns=$(_berth_swarm_node "$n")
  host_if="berthsw${n}h"
  node_if="berthsw${n}n"
  if [[ ! -e /run/netns/$ns ]]; then
    ip netns add "$ns" || return 1
  fi
  if [[ ! -e /sys/class/net/$host_if ]]; then
    ip -n "$ns" link del eth0 2>/dev/null || true
    ip link add "$host_if" type veth peer name "$node_if" netns "$ns" || return 1
    ip -n "$ns" link set "$node_if" name eth0 || return 1
  fi
  ip link set "$host_if" master "$BERTH_SWARM_BRIDGE" || return 1
  ip link set "$host_if" up || return 1
  ip -n "$ns" link set lo up || return 1
  ip -n "$ns" addr replace "$(_berth_swarm_ip "$n")/24" dev eth0 || return 1
  ip -n "$ns" link set eth0 up || return 1
  ip -n "$ns" route replace default via "$BERTH_SWARM_NET.1" dev eth0 || return 1
}

# --- registry relays --------------------------------------------------------

_berth_swarm_pid_alive() {
  local pid
  pid=$(cat "$1" 2>/dev/null || true)
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null
}

# Host side: a unix socket per registry port, forwarded to 127.0.0.1:PORT here.
_berth_swarm_host_relays_up() {
  local port sock pidfile
  for port in $BERTH_SWARM_REGISTRY_PORTS; do
    sock="$BERTH_SWARM_RUN_DIR/registry-$port.sock"
    pidfile="$BERTH_SWARM_RUN_DIR/registry-$port.pid"
    if _berth_swarm_pid_alive "$pidfile" && [[ -S "$sock" ]]; then
      continue
    fi
    # shellcheck disable=SC2016
    setsid nohup sh -c 'echo $$ >"$1"; exec socat "UNIX-LISTEN:$2,fork,unlink-early,mode=600" "TCP:127.0.0.1:$3"' \
      sh "$pidfile" "$sock" "$port" >>"$BERTH_SWARM_RUN_DIR/registry-$port.log" 2>&1 </dev/null &
    disown 2>/dev/null || true
  done
  for port in $BERTH_SWARM_REGISTRY_PORTS; do
    local deadline
    deadline=$((SECONDS + 10))
    until [[ -S "$BERTH_SWARM_RUN_DIR/registry-$port.sock" ]]; do
      ((SECONDS < deadline)) || { berth_ci_die "host relay for 127.0.0.1:$port did not come up (see $BERTH_SWARM_RUN_DIR/registry-$port.log)"; return 1; }
      sleep 0.1
    done
  done
}

# Node side: 127.0.0.1:PORT in the node's namespace -> the host relay's socket.
_berth_swarm_node_relays_up() {
  local n=$1 ns dir port
  ns=$(_berth_swarm_node "$n")
  dir=$(_berth_swarm_dir "$n")
  for port in $BERTH_SWARM_REGISTRY_PORTS; do
    # shellcheck disable=SC2016
    setsid nohup nsenter --net="/run/netns/$ns" sh -c \
      'echo $$ >"$1"; exec socat "TCP-LISTEN:$3,bind=127.0.0.1,fork,reuseaddr" "UNIX-CONNECT:$2"' \
      sh "$dir/relay-$port.pid" "$BERTH_SWARM_RUN_DIR/registry-$port.sock" "$port" \
      >>"$dir/relay-$port.log" 2>&1 </dev/null &
    disown 2>/dev/null || true
  done
}

# --- node processes ---------------------------------------------------------

# _berth_swarm_node_pids N: every process of node N: those in its network
# namespace (dockerd, containerd, shims, docker-proxy, relays), their
# descendants (the containers, which have network namespaces of their own)
# and whatever runs in its cgroups.
_berth_swarm_node_pids() {
  local n=$1 ns roots
  ns=$(_berth_swarm_node "$n")
  roots=$( { ip netns pids "$ns" 2>/dev/null || true
    find /sys/fs/cgroup -maxdepth 4 -path "*/$ns/*" -name cgroup.procs -exec cat {} + 2>/dev/null || true
  } | sort -u | tr '\n' ' ')
  [[ -n "${roots// /}" ]] || return 0
  ps -e -o pid=,ppid= | awk -v roots="$roots" -v self="$$" -v bself="${BASHPID:-$$}" '
    BEGIN { n = split(roots, r, " "); for (i = 1; i <= n; i++) keep[r[i]] = 1 }
    { parent[$1] = $2 }
    END {
      do {
        changed = 0
        for (p in parent) if (!(p in keep) && (parent[p] in keep)) { keep[p] = 1; changed = 1 }
      } while (changed)
      for (p in keep) if (p != self && p != bself && (p in parent)) print p
    }'
}

# _berth_swarm_node_killall N: SIGKILL to every process of node N, until none is left.
_berth_swarm_node_killall() {
  local n=$1 pids _
  for _ in $(seq 1 50); do
    pids=$(_berth_swarm_node_pids "$n" | tr '\n' ' ')
    [[ -n "${pids// /}" ]] || return 0
    # shellcheck disable=SC2086
    kill -9 $pids 2>/dev/null || true
    sleep 0.1
  done
  berth_ci_die "node $(_berth_swarm_node "$n") still has processes after SIGKILL: $pids"
}

# _berth_swarm_node_launch N: starts node N's relays and dockerd (nothing of the
# node may run). dockerd runs in the node's network namespace, in a mount and
# UTS namespace of its own (see the header), detached from this shell.
_berth_swarm_node_launch() {
  local n=$1 ns dir data ip
  ns=$(_berth_swarm_node "$n")
  dir=$(_berth_swarm_dir "$n")
  data="$BERTH_SWARM_DATA_DIR/$ns"
  ip=$(_berth_swarm_ip "$n")
  mkdir -p "$dir/exec" "$dir/containerd-run" "$dir/sysfs" "$dir/etc-docker" "$data" /run/containerd /etc/docker \
    "$BERTH_SWARM_NODE_RUN"
  chmod 0700 "$dir/containerd-run"
  [[ -s "$dir/daemon.json" ]] || printf '{}\n' >"$dir/daemon.json"
  # Left over by a SIGKILL: a stale pid in them could name an unrelated process.
  rm -f "$dir/dockerd.pid" "$dir/exec/containerd/containerd.pid" "$dir"/relay-*.pid

  _berth_swarm_node_relays_up "$n"

  # The script runs in the node's fresh mount namespace (slave of the host's:
  # nothing mounted here shows on the host) and then becomes dockerd.
  # shellcheck disable=SC2016
  local setup='
    set -e
    dir=$1 name=$2 noderun=$3
    shift 3
    hostname "$name"
    mount -t sysfs sysfs "$dir/sysfs"
    mount --bind "$dir/sysfs/class/net" /sys/class/net
    mount --bind "$dir/sysfs/devices/virtual/net" /sys/devices/virtual/net
    umount -l "$dir/sysfs"
    mount --bind "$dir/containerd-run" /run/containerd
    mount --bind "$dir/etc-docker" /etc/docker
    mount --bind "$dir" "$noderun"
    exec "$@"'
  printf '\n==== %s starting %s ====\n' "$(date -Is)" "$ns" >>"$dir/dockerd.log"
  setsid nohup nsenter --net="/run/netns/$ns" unshare --mount --uts --propagation slave \
    sh -c "$setup" sh "$dir" "$ns" "$BERTH_SWARM_NODE_RUN" \
    dockerd \
    -H "$(_berth_swarm_sock "$n")" \
    --data-root "$data" \
    --exec-root "$dir/exec" \
    --pidfile "$dir/dockerd.pid" \
    --config-file "$dir/daemon.json" \
    --containerd-namespace "$ns" \
    --containerd-plugins-namespace "$ns-plugins" \
    --cgroup-parent "/$ns" \
    --bip "10.232.$n.1/24" \
    --default-address-pool "base=10.232.$((64 * n)).0/18,size=24" \
    --swarm-default-advertise-addr "$ip" \
    >>"$dir/dockerd.log" 2>&1 </dev/null &
  disown 2>/dev/null || true
}

# _berth_swarm_node_wait N: waits until node N's dockerd answers.
_berth_swarm_node_wait() {
  local n=$1 dir deadline=$((SECONDS + BERTH_SWARM_WAIT_SECONDS)) ns
  ns=$(_berth_swarm_node "$n")
  dir=$(_berth_swarm_dir "$n")
  until _berth_swarm_answers "$n"; do
    if ((SECONDS >= deadline)) || [[ -z "$(_berth_swarm_dockerd_pid "$n")" ]]; then
      berth_ci_log "swarm: dockerd of $ns did not come up; last lines of $dir/dockerd.log:"
      # The lines of the last start only.
      awk '/^==== .* starting /{ n = 0 } { line[n++] = $0 } END { for (i = (n > 30 ? n - 30 : 0); i < n; i++) print line[i] }' \
        "$dir/dockerd.log" 2>/dev/null | sed 's/^/[berth-ci]   | /' >&2 || true
      berth_ci_die "node $ns is not available"
      return 1
    fi
    sleep 0.2
  done
}

# _berth_swarm_node_ensure N: node N's network and dockerd, started when it does
# not answer (a dockerd that is still starting is given its time first).
_berth_swarm_node_ensure() {
  local n=$1 ns dir
  ns=$(_berth_swarm_node "$n")
  dir=$(_berth_swarm_dir "$n")
  _berth_swarm_netns_up "$n" || return 1
  if _berth_swarm_answers "$n"; then
    return 0
  fi
  if [[ -n "$(_berth_swarm_dockerd_pid "$n")" ]]; then
    berth_ci_log "swarm: dockerd of $ns runs but does not answer yet; waiting"
    if BERTH_SWARM_WAIT_SECONDS=20 _berth_swarm_node_wait "$n" 2>/dev/null; then
      return 0
    fi
  fi
  _berth_swarm_node_killall "$n" || return 1
  berth_ci_log "swarm: starting dockerd of $ns ($(_berth_swarm_ip "$n"), log: $dir/dockerd.log)"
  _berth_swarm_node_launch "$n" || return 1
  _berth_swarm_node_wait "$n"
}

# --- the swarm --------------------------------------------------------------

_berth_swarm_state() {
  _berth_swarm_docker "$1" info -f '{{.Swarm.LocalNodeState}}' 2>/dev/null || echo unknown
}

# Prints "<ready nodes> <nodes>" as the manager sees them.
_berth_swarm_ready_count() {
  _berth_swarm_docker 1 node ls --format '{{.Status}}' 2>/dev/null |
    awk '$1 == "Ready" { r++ } { t++ } END { printf "%d %d\n", r, t }'
}

# Prints how many nodes are managers the leader can reach (or is).
_berth_swarm_managers() {
  _berth_swarm_docker 1 node ls --format '{{.ManagerStatus}}' 2>/dev/null |
    awk '$1 == "Leader" || $1 == "Reachable" { m++ } END { print m + 0 }'
}

_berth_swarm_healthy() {
  local n
  for n in $(seq 1 "$BERTH_SWARM_SIZE"); do
    _berth_swarm_answers "$n" || return 1
  done
  [[ "$(_berth_swarm_docker 1 info -f '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}' 2>/dev/null)" == "active true" ]] ||
    return 1
  [[ "$(_berth_swarm_ready_count)" == "$BERTH_SWARM_SIZE $BERTH_SWARM_SIZE" ]] &&
    [[ "$(_berth_swarm_managers)" == "$BERTH_SWARM_SIZE" ]]
}

_berth_swarm_init_manager() {
  case "$(_berth_swarm_state 1)" in
    active) return 0 ;;
    inactive) ;;
    *) _berth_swarm_docker 1 swarm leave --force >/dev/null 2>&1 || true ;;
  esac
  local ip
  ip=$(_berth_swarm_ip 1)
  berth_ci_log "swarm: init on berth-sw1 ($ip, dispatcher heartbeat $BERTH_SWARM_HEARTBEAT)"
  berth_ci_quiet _berth_swarm_docker 1 swarm init --advertise-addr "$ip" --listen-addr "$ip:2377" \
    --default-addr-pool 10.234.0.0/16 --default-addr-pool-mask-length 24 \
    --dispatcher-heartbeat "$BERTH_SWARM_HEARTBEAT"
}

# _berth_swarm_join N TOKEN: makes node N a manager of berth-sw1's swarm (TOKEN: the
# manager join token). A node already in it as a worker (a swarm of an older script)
# is promoted.
_berth_swarm_join() {
  local n=$1 token=$2 ns state id
  ns=$(_berth_swarm_node "$n")
  state=$(_berth_swarm_state "$n")
  if [[ "$state" == active || "$state" == pending ]]; then
    id=$(_berth_swarm_docker "$n" info -f '{{.Swarm.NodeID}}' 2>/dev/null || true)
    if [[ -n "$id" ]] && _berth_swarm_docker 1 node inspect "$id" >/dev/null 2>&1; then
      if [[ "$(_berth_swarm_docker 1 node inspect -f '{{.Spec.Role}}' "$id" 2>/dev/null)" == worker ]]; then
        berth_ci_log "swarm: $ns is a worker; promoting it"
        berth_ci_quiet _berth_swarm_docker 1 node promote "$id" || return 1
      fi
      return 0
    fi
    berth_ci_log "swarm: $ns belongs to another swarm; leaving it"
    _berth_swarm_docker "$n" swarm leave --force >/dev/null 2>&1 || true
  elif [[ "$state" != inactive ]]; then
    _berth_swarm_docker "$n" swarm leave --force >/dev/null 2>&1 || true
  fi
  berth_ci_log "swarm: $ns joins as a manager"
  berth_ci_quiet _berth_swarm_docker "$n" swarm join --token "$token" \
    --advertise-addr "$(_berth_swarm_ip "$n")" --listen-addr "$(_berth_swarm_ip "$n"):2377" \
    "$(_berth_swarm_ip 1):2377"
}

# Removes node entries that are down while a ready entry of the same hostname
# exists (left behind when a node had to join again).
_berth_swarm_prune_stale() {
  local stale
  stale=$(_berth_swarm_docker 1 node ls --format '{{.ID}} {{.Hostname}} {{.Status}}' 2>/dev/null |
    awk '$3 == "Ready" { ready[$2] = 1 } $3 != "Ready" { down[$1] = $2 }
         END { for (id in down) if (down[id] in ready) print id }')
  if [[ -n "$stale" ]]; then
    # shellcheck disable=SC2086
    _berth_swarm_docker 1 node rm --force $stale >/dev/null 2>&1 || true
  fi
}

swarm_env() {
  local n nodes=()
  for n in $(seq 1 "$BERTH_SWARM_SIZE"); do
    nodes+=("$(_berth_swarm_sock "$n")")
  done
  printf 'export BERTH_TEST_SWARM_HOST=%q\n' "$(_berth_swarm_sock 1)"
  printf 'export BERTH_TEST_SWARM_NODES=%q\n' "${nodes[*]}"
}

_berth_swarm_export() {
  eval "$(swarm_env)"
}

# _berth_swarm_wait_ready: until the manager sees every node Ready.
_berth_swarm_wait_ready() {
  local deadline=$((SECONDS + BERTH_SWARM_WAIT_SECONDS)) count="" managers=""
  # Reachable managers too: a node that is Ready but not yet back in the raft group would
  # leave the quorum one node short if a test killed another one now.
  until [[ "$count" == "$BERTH_SWARM_SIZE $BERTH_SWARM_SIZE" && "$managers" == "$BERTH_SWARM_SIZE" ]]; do
    if ((SECONDS >= deadline)); then
      berth_ci_log "swarm: nodes as the manager sees them:"
      _berth_swarm_docker 1 node ls 2>&1 | sed 's/^/[berth-ci]   | /' >&2 || true
      berth_ci_die "swarm: not all $BERTH_SWARM_SIZE nodes are Ready managers (ready/total: ${count:-none}, managers: ${managers:-none})"
      return 1
    fi
    sleep 0.5
    _berth_swarm_prune_stale
    count=$(_berth_swarm_ready_count)
    managers=$(_berth_swarm_managers)
  done
}

swarm_up() {
  local started=$SECONDS n token
  if _berth_swarm_healthy 2>/dev/null; then
    _berth_swarm_export
    berth_ci_log "swarm: $BERTH_SWARM_SIZE nodes already up (manager $BERTH_TEST_SWARM_HOST)"
    return 0
  fi
  _berth_swarm_tools || return 1
  mkdir -p "$BERTH_SWARM_RUN_DIR" "$BERTH_SWARM_DATA_DIR"
  _berth_swarm_bridge_up || return 1
  _berth_swarm_host_relays_up || return 1
  for n in $(seq 1 "$BERTH_SWARM_SIZE"); do
    _berth_swarm_netns_up "$n" || return 1
  done
  # The dockerds start in parallel (each takes a few seconds); then wait for all.
  local pids=() status=0
  for n in $(seq 1 "$BERTH_SWARM_SIZE"); do
    _berth_swarm_node_ensure "$n" &
    pids+=($!)
  done
  for n in "${pids[@]}"; do
    wait "$n" || status=1
  done
  ((status == 0)) || { berth_ci_die "swarm: not every node started"; return 1; }
  _berth_swarm_init_manager || return 1
  token=$(_berth_swarm_docker 1 swarm join-token -q manager) || { berth_ci_die "swarm: no join token"; return 1; }
  for n in $(seq 2 "$BERTH_SWARM_SIZE"); do
    _berth_swarm_join "$n" "$token" || return 1
  done
  _berth_swarm_wait_ready || return 1
  _berth_swarm_export
  berth_ci_log "swarm: $BERTH_SWARM_SIZE nodes Ready after $((SECONDS - started))s (manager $BERTH_TEST_SWARM_HOST)"
}

# swarm_node_kill N: node N dies at once: SIGKILL to its dockerd, containerd,
# shims, containers and relays. Its namespace, veth and data stay.
swarm_node_kill() {
  _berth_swarm_check_n "${1:-}" || return 1
  local n=$1
  ((n != 1)) || berth_ci_log "swarm: killing berth-sw1: BERTH_TEST_SWARM_HOST answers nothing until swarm_node_start 1"
  berth_ci_log "swarm: SIGKILL to every process of $(_berth_swarm_node "$n")"
  _berth_swarm_node_killall "$n"
}

# swarm_node_start N: starts node N again on its data; it rejoins the swarm by
# itself. Waits until its engine answers and (when the manager is up) until the
# manager sees it Ready.
swarm_node_start() {
  _berth_swarm_check_n "${1:-}" || return 1
  local n=$1
  if _berth_swarm_answers "$n"; then
    berth_ci_log "swarm: $(_berth_swarm_node "$n") already runs"
    return 0
  fi
  _berth_swarm_tools || return 1
  mkdir -p "$BERTH_SWARM_RUN_DIR" "$BERTH_SWARM_DATA_DIR"
  _berth_swarm_bridge_up || return 1
  _berth_swarm_host_relays_up || return 1
  _berth_swarm_node_ensure "$n" || return 1
  if _berth_swarm_answers 1 && [[ "$(_berth_swarm_state 1)" == active ]]; then
    _berth_swarm_wait_ready || return 1
    berth_ci_log "swarm: $(_berth_swarm_node "$n") is Ready again"
  fi
}

swarm_status() {
  local n ns state
  for n in $(seq 1 "$BERTH_SWARM_SIZE"); do
    ns=$(_berth_swarm_node "$n")
    if _berth_swarm_answers "$n"; then
      state=$(_berth_swarm_docker "$n" info -f 'engine {{.ServerVersion}}, swarm {{.Swarm.LocalNodeState}}, {{.ContainersRunning}} containers running' 2>/dev/null || echo '?')
    elif [[ -e /run/netns/$ns ]]; then
      state="engine down"
    else
      state="absent"
    fi
    printf '%s  %-15s %s  %s\n' "$ns" "$(_berth_swarm_ip "$n")" "$(_berth_swarm_sock "$n")" "$state"
  done
  if _berth_swarm_answers 1; then
    _berth_swarm_docker 1 node ls 2>/dev/null || true
  fi
}

# swarm_down: kills every node process, then removes namespaces, veths, the
# bridge, the iptables rule, the relays, cgroups and all state directories.
swarm_down() {
  local started=$SECONDS n ns port m
  for n in $(seq 1 "$BERTH_SWARM_SIZE"); do
    ns=$(_berth_swarm_node "$n")
    [[ -e /run/netns/$ns ]] || [[ -d "$(_berth_swarm_dir "$n")" ]] || continue
    berth_ci_log "swarm: stopping $ns"
    _berth_swarm_node_killall "$n" || return 1
  done
  for port in $BERTH_SWARM_REGISTRY_PORTS; do
    if _berth_swarm_pid_alive "$BERTH_SWARM_RUN_DIR/registry-$port.pid"; then
      kill "$(cat "$BERTH_SWARM_RUN_DIR/registry-$port.pid")" 2>/dev/null || true
    fi
  done
  for n in $(seq 1 "$BERTH_SWARM_SIZE"); do
    ns=$(_berth_swarm_node "$n")
    if [[ -e /sys/class/net/berthsw${n}h ]]; then
      ip link del "berthsw${n}h" 2>/dev/null || true
    fi
    if [[ -e /run/netns/$ns ]]; then
      ip netns del "$ns"
    fi
    # Cgroups the dead containers leave (deepest first).
    find /sys/fs/cgroup -maxdepth 3 -type d -name "$ns" 2>/dev/null | while IFS= read -r m; do
      find "$m" -depth -type d -exec rmdir {} \; 2>/dev/null || true
    done
  done
  if [[ -e /sys/class/net/$BERTH_SWARM_BRIDGE ]]; then
    ip link del "$BERTH_SWARM_BRIDGE"
  fi
  while iptables -D FORWARD -i "$BERTH_SWARM_BRIDGE" -o "$BERTH_SWARM_BRIDGE" \
    -m comment --comment "$BERTH_SWARM_IPT_COMMENT" -j ACCEPT 2>/dev/null; do :; done
  # Every mount of a node lived in its own mount namespace, gone with its
  # processes; anything that still shows here is unmounted before the delete.
  while IFS= read -r m; do
    umount -l "$m" 2>/dev/null || true
  done < <(awk '{ print $2 }' /proc/mounts | grep -E "^($BERTH_SWARM_RUN_DIR|$BERTH_SWARM_DATA_DIR)(/|$)" | sort -r)
  rm -rf --one-file-system "$BERTH_SWARM_RUN_DIR" "$BERTH_SWARM_DATA_DIR"
  rmdir "$BERTH_SWARM_NODE_RUN" 2>/dev/null || true # the mount point only: each node bound its own
  if [[ ! -e /sys/class/net/docker0 ]] && timeout 5 docker info >/dev/null 2>&1; then
    berth_ci_log "swarm: WARNING: the shared engine's docker0 is missing"
  fi
  unset BERTH_TEST_SWARM_HOST BERTH_TEST_SWARM_NODES
  berth_ci_log "swarm: removed after $((SECONDS - started))s"
}
