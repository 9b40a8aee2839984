# Shared preparation and cleanup of the benchmark scripts; sourced, not run.
# Expects REPO (the repository root); sets BERTH_JAR's default, and PYTHON in
# find_python. Every function leaves alone anything not of the project it is
# given: containers, networks and image pins are selected by its labels or name.
# shellcheck shell=bash

BERTH_JAR=${BERTH_JAR:-$REPO/target/quarkus-app/quarkus-run.jar}

log() { printf '[bench %s] %s\n' "$(date -u +%T)" "$*" >&2; }
die() {
  log "ERROR: $*"
  exit 1
}
now() { date +%s.%N; }

# find_python: sets PYTHON to the system's python3 (stdlib only), not a version
# manager's shim (faster to start), unless PYTHON is set already.
find_python() {
  PYTHON=${PYTHON:-$(command -v /usr/bin/python3 || command -v python3 || true)}
  [[ -n "$PYTHON" ]] || die "python3 is missing"
}

# require_tools HINT TOOL...: dies naming the first missing TOOL, followed by HINT.
require_tools() {
  local hint=$1 tool
  shift
  for tool in "$@"; do
    command -v "$tool" >/dev/null || die "$tool is missing$hint"
  done
  docker info >/dev/null 2>&1 || die "no Docker engine answers (see docs/operations.md)"
}

# ensure_jar: builds Berth when BERTH_JAR is missing.
ensure_jar() {
  if [[ ! -f "$BERTH_JAR" ]]; then
    log "building Berth ($BERTH_JAR is missing)"
    (cd "$REPO" && ./mvnw -B -ntp -q package -DskipTests) || die "build failed"
  fi
}

# ensure_test_images TAG...: builds the test images (locally, not pushed) when
# any berth-test/app:TAG is missing.
ensure_test_images() {
  local tag
  for tag in "$@"; do
    if ! docker image inspect "berth-test/app:$tag" >/dev/null 2>&1; then
      log "building the test images (berth-test/app:$tag is missing)"
      # shellcheck source=../../.ci/lib/images.sh
      (export BERTH_PUSH_IMAGES=0 && source "$REPO/.ci/lib/images.sh" && build_test_images) ||
        die "could not build the test images"
      break
    fi
  done
}

# make_out_dir: creates BENCH_OUT and makes it an absolute path.
make_out_dir() {
  mkdir -p "$BENCH_OUT"
  BENCH_OUT=$(cd "$BENCH_OUT" && pwd)
}

# on_exit FUNC: when the script exits, also on Ctrl-C (status 130) or SIGTERM
# (143), runs FUNC with errors ignored, removes WORK and logs where the output
# is; the script's exit status stays.
on_exit() {
  BENCH_CLEANUP=$1
  trap bench_exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}
bench_exit() {
  local status=$?
  set +e
  trap - EXIT INT TERM
  log "cleaning up"
  "$BENCH_CLEANUP"
  rm -rf "$WORK"
  log "output: $BENCH_OUT"
  exit "$status"
}

# figure FIGURE BERTH PEER RATIO TARGET MET: one row of bench/run-all's table, appended to
# BENCH_OUT/figures.tsv (see lib/figures.py); empty strings where there is no peer or target.
figure() {
  "${PYTHON:-python3}" "$REPO/bench/lib/figures.py" add "$BENCH_OUT" "$@"
}

# lower FIGURE LIMIT: "yes" when FIGURE < LIMIT, else "no" (for figure's MET).
lower() {
  "${PYTHON:-python3}" -c 'import sys; print("yes" if float(sys.argv[1]) < float(sys.argv[2]) else "no")' "$1" "$2"
}

# random_hex BYTES: BYTES random bytes as hex digits.
# exec_berth JAR [JVM options...]: becomes the daemon, started as the systemd unit starts it
# (java @berth.jvm.options … -jar JAR; a build older than that file: without it). It execs, so
# call it in the background (… &): $! is then the daemon's pid.
exec_berth() {
  local dir jar
  dir=$(cd "$(dirname "$1")" && pwd)
  jar=$(basename "$1")
  shift
  # From the jar's directory, as the systemd unit starts it (berth.jvm.options finds the AppCDS
  # archive there); the benchmarks give Berth absolute paths.
  cd "$dir" || exit
  if [[ -f berth.jvm.options ]]; then
    exec java @berth.jvm.options "$@" -jar "$jar"
  fi
  exec java "$@" -jar "$jar"
}

# PIDS… → their user + system CPU time so far, summed, in clock ticks (getconf CLK_TCK). Reads
# /proc/PID/stat as words: right for processes whose name has no space (java, nginx, haproxy).
cpu_ticks() {
  local total=0 pid fields
  for pid in "$@"; do
    read -r -a fields <"/proc/$pid/stat"
    total=$((total + fields[13] + fields[14]))
  done
  echo "$total"
}

random_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }

# write_sleepers DIR N IMAGE: N manifests s001.yaml … of one-replica services that run `sleep`
# (init, no ports, no probes, pulled never): what the cold-converge and idle-pass benchmarks run.
write_sleepers() {
  local i
  mkdir -p "$1"
  for i in $(seq -w 1 "$2"); do
    cat >"$1/s$i.yaml" <<EOF
apiVersion: berth.dev/v1
kind: Service
metadata: {name: s$i}
spec: {image: $3, pullPolicy: never, command: [sleep, "86400"], init: true, stopGracePeriod: 1s}
EOF
  done
}

# available PORT: how many services Berth's API on 127.0.0.1:PORT shows in phase Available (0 when it does not answer).
available() {
  curl -sf "http://127.0.0.1:$1/api/v1/services" |
    python3 -c 'import json,sys; print(sum(1 for s in json.load(sys.stdin) if s["phase"]=="Available"))' 2>/dev/null || echo 0
}

# free_ports N: N free ports below the engine's ephemeral range (32768-60999),
# from which the engine takes the replicas' published ports: a port from there
# could go to a replica first.
free_ports() {
  "$PYTHON" -c '
import random, socket, sys
found = []
for port in random.sample(range(20000, 32000), 12000):
    s = socket.socket()
    try:
        s.bind(("0.0.0.0", port))
        found.append(port)
    except OSError:
        pass
    finally:
        s.close()
    if len(found) == int(sys.argv[1]):
        break
print(*found)' "$1"
}

# stop_pid PID SIGNAL [TRIES]: signal it and wait until it is gone, checking
# every 0.2 s TRIES times (default 150), then SIGKILL. An empty PID is a no-op.
stop_pid() {
  local pid=$1
  [[ -n "$pid" ]] || return 0
  kill "-$2" "$pid" 2>/dev/null || true
  for _ in $(seq 1 "${3:-150}"); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# remove_project PROJECT: Berth's containers and networks of PROJECT, and the
# tags that pin kept revisions' images (berth-pin/<project>/<service>:r<N>).
# Pins by name, never by ID and never forced: that only untags, the test images stay.
remove_project() {
  docker ps -aq --filter label=dev.berth.managed=true --filter "label=dev.berth.project=$1" |
    xargs -r docker rm -f >/dev/null
  # The engine releases a removed container's endpoints a moment later: try again for a while.
  local nets try
  for try in 1 2 3 4 5 6 7 8 9 10; do
    nets=$(docker network ls -q --filter label=dev.berth.managed=true --filter "label=dev.berth.project=$1")
    [[ -z "$nets" ]] && break
    # shellcheck disable=SC2086 # one id per word
    docker network rm $nets >/dev/null 2>&1 || { [[ $try == 10 ]] && log "networks of $1 left: $nets"; sleep 1; }
  done
  docker images --format '{{.Repository}}:{{.Tag}}' --filter "reference=berth-pin/$1/*" |
    xargs -r docker rmi >/dev/null 2>&1
}
