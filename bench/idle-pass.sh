#!/usr/bin/env bash
# Idle-pass benchmark: what a reconcile pass with nothing to do costs with N
# one-replica services, and what the daemon costs at rest (CPU, RSS).
#
#   sudo bench/idle-pass.sh [N]        (N services, default 200)
#
# Starts its own Berth (as berth.service starts the control plane, temp manifests/state/secrets dirs, a free
# 127.0.0.1 API port, project bench-idle-<random>) on N services of
# berth-test/busybox (`sleep`, init: true, no ports, no probes), waits until
# every one is Available, then with resync every BENCH_RESYNC (so passes run
# with nothing to do, each asking the engine afresh) reads
# berth_reconcile_pass_seconds from /q/metrics over BENCH_WINDOW seconds: the
# mean resync pass. Beside it, in the same run, the floor of such a pass: one
# list call of the project's containers to the engine (on the socket, median
# of 20), and the cost of inspecting every container once (N inspect calls on
# one connection, what a pass without a cache pays). Then, restarted with the
# default resync (30 s), BENCH_RESTARTS times: the time from process start until
# /q/health/ready answers (N services adopted; median, min, max), the mean pass woken by something that changes nothing
# (one manifest touched every second, so the watcher wakes the loop; the view
# of the engine is the one the event stream vouches for), and the daemon's CPU
# over a window at rest (from /proc) and its RSS.
# Prints one table; results also in BENCH_OUT/summary.md.
#
# Environment:
#   BENCH_RESYNC   resync interval while passes are measured (default 1s)
#   BENCH_WINDOW   seconds each measurement lasts (default 30)
#   BENCH_RESTARTS restarts until ready measured, median reported (default 5)
#   BENCH_OUT      output directory (default /var/tmp/berth-bench/idle-<UTC time>)
#   BENCH_JIT_OPTS   the JIT options of the daemon (default -XX:TieredStopAtLevel=1: the control plane
#                    as berth.service runs it, JAVA_JIT_OPTS; these services have no ports, so no
#                    proxy serves here). BENCH_JIT_OPTS= (empty) for the one-process `all` of the
#                    image and run-examples.sh, on the optimizing compiler.
#   BENCH_JAVA_OPTS  extra JVM options for Berth (e.g. -XX:StartFlightRecording=filename=/tmp/b.jfr)
#   BERTH_JAR      Berth's jar (default target/quarkus-app/quarkus-run.jar; built
#                  with ./mvnw -B -ntp package -DskipTests when missing)
#
# Everything it creates is removed on exit, also on Ctrl-C; it touches no
# container but those labelled with its own dev.berth.project.

set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/common.sh
source "$REPO/bench/lib/common.sh"

N=${1:-200}
BENCH_RESYNC=${BENCH_RESYNC:-1s}
BENCH_WINDOW=${BENCH_WINDOW:-30}
BENCH_RESTARTS=${BENCH_RESTARTS:-5}
BENCH_OUT=${BENCH_OUT:-/var/tmp/berth-bench/idle-$(date -u +%Y%m%dT%H%M%SZ)}
IMAGE=berth-test/busybox:latest
PROJECT=bench-idle-$RANDOM
SOCK=${DOCKER_HOST:-unix:///var/run/docker.sock}
SOCK=${SOCK#unix://}
[[ "$SOCK" == /* ]] || SOCK=/var/run/docker.sock

require_tools " (apt-get install curl python3)" curl python3 java
ensure_jar
docker image inspect "$IMAGE" >/dev/null 2>&1 || ensure_test_images v1
make_out_dir
WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
PID=

cleanup() {
  stop_pid "$PID" TERM
  remove_project "$PROJECT"
}
on_exit cleanup

mkdir -p "$WORK/state" "$WORK/secrets"
write_sleepers "$WORK/manifests" "$N" "$IMAGE"

start_berth() { # RESYNC
  local opts
  read -r -a opts <<<"${BENCH_JIT_OPTS-"-XX:TieredStopAtLevel=1"} ${BENCH_JAVA_OPTS:-}"
  BERTH_MANIFESTS_DIR=$WORK/manifests BERTH_STATE_DIR=$WORK/state BERTH_SECRETS_DIR=$WORK/secrets \
    BERTH_PROJECT=$PROJECT BERTH_RESYNC_INTERVAL=$1 BERTH_API_TOKEN=bench BERTH_API_OPEN_READS=true \
    QUARKUS_HTTP_PORT=$PORT exec_berth "$BERTH_JAR" "${opts[@]}" >>"$BENCH_OUT/daemon.log" 2>&1 &
  PID=$!
}
metric() { # NAME → value summed over label sets
  curl -sf "http://127.0.0.1:$PORT/q/metrics" | awk -v n="$1" '$1 ~ "^"n"({|$)" {s+=$2} END {print s+0}'
}

log "starting Berth on $N services (project $PROJECT)"
t0=$(now)
start_berth "$BENCH_RESYNC"
until [[ "$(available "$PORT")" == "$N" ]]; do
  kill -0 "$PID" 2>/dev/null || die "Berth exited; see $BENCH_OUT/daemon.log"
  sleep 1
done
converge=$(python3 -c "print(f'{$(now) - $t0:.1f}')")
log "all $N Available after ${converge}s; measuring idle passes for ${BENCH_WINDOW}s after a warm-up"
sleep 30 # warm-up: the JIT compiles the passes' code first, in every build alike
c0=$(metric berth_reconcile_pass_seconds_count); s0=$(metric berth_reconcile_pass_seconds_sum)
sleep "$BENCH_WINDOW"
c1=$(metric berth_reconcile_pass_seconds_count); s1=$(metric berth_reconcile_pass_seconds_sum)
passes=$(python3 -c "print(int($c1 - $c0))")
mean_ms=$(python3 -c "print(f'{($s1 - $s0) / max(1, $c1 - $c0) * 1000:.1f}')")

# The engine calls themselves, over one connection to the socket (no process per call).
read -r list_ms inspect_ms < <(python3 - "$SOCK" "$PROJECT" <<'PY'
import http.client, json, socket, sys, time, urllib.parse
class Conn(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("engine")
        self.path = path
    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.path)
c = Conn(sys.argv[1])
def get(url):
    c.request("GET", url)
    return c.getresponse().read()
filters = urllib.parse.quote(json.dumps({"label": ["dev.berth.project=" + sys.argv[2]]}))
times, ids = [], []
for _ in range(20):
    t = time.perf_counter()
    ids = [x["Id"] for x in json.loads(get("/containers/json?all=1&filters=" + filters))]
    times.append(time.perf_counter() - t)
times.sort()
t = time.perf_counter()
for i in ids:
    get("/containers/%s/json" % i)
print("%.1f %.0f" % (times[len(times) // 2] * 1000, (time.perf_counter() - t) * 1000))
PY
)

log "restarting Berth $BENCH_RESTARTS times with the default resync (30s); the last one: passes woken by a touched manifest, then at rest"
readies=()
for _ in $(seq "$BENCH_RESTARTS"); do
  stop_pid "$PID" TERM
  t0=$(now)
  start_berth 30s
  # Ready (/q/health/ready: the first pass adopted what runs) is what a supervisor or load balancer waits for.
  until curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null 2>&1; do
    kill -0 "$PID" 2>/dev/null || die "Berth exited; see $BENCH_OUT/daemon.log"
    sleep 0.05
  done
  readies+=("$(python3 -c "print(f'{$(now) - $t0:.2f}')")")
  until [[ "$(available "$PORT")" == "$N" ]]; do sleep 1; done
done
# The median (for the target), and median (min–max) for the table.
{ read -r ready_s; read -r ready_spread; } < <(python3 -c '
import statistics, sys
v = sorted(float(x) for x in sys.argv[1:])
m = statistics.median(v)
print(f"{m:.2f}")
print(f"{m:.2f} s ({v[0]:.2f}–{v[-1]:.2f})")' "${readies[@]}")
touch_first() { # SECONDS: touches one manifest every second, so the watcher wakes the loop
  for _ in $(seq "$1"); do touch "$WORK/manifests/s$(printf "%0${#N}d" 1).yaml"; sleep 1; done
}
touch_first 60 # warm-up, as above
sleep 2
c0=$(metric berth_reconcile_pass_seconds_count); s0=$(metric berth_reconcile_pass_seconds_sum)
touch_first "$BENCH_WINDOW"
sleep 2
c1=$(metric berth_reconcile_pass_seconds_count); s1=$(metric berth_reconcile_pass_seconds_sum)
woken=$(python3 -c "print(int($c1 - $c0))")
woken_ms=$(python3 -c "print(f'{($s1 - $s0) / max(1, $c1 - $c0) * 1000:.1f}')")
sleep 60 # the JIT's compiler threads go quiet; what is left is the daemon at rest
hz=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
u0=$(cpu); sleep "$BENCH_WINDOW"; u1=$(cpu)
cpu_pct=$(python3 -c "print(f'{($u1 - $u0) / $hz / $BENCH_WINDOW * 100:.2f}')")
rss_mib=$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$PID/status")

{
  echo "| figure ($N services) | value |"
  echo "|---|---|"
  echo "| cold start until all Available | ${converge} s |"
  echo "| restart: process start until ready, $N services adopted, median of $BENCH_RESTARTS (min–max) | ${ready_spread} |"
  echo "| resync pass with nothing to do (asks the engine), mean of $passes (resync $BENCH_RESYNC) | ${mean_ms} ms |"
  echo "| pass woken with nothing to do (a manifest touched; view from the event stream), mean of $woken | ${woken_ms} ms |"
  echo "| floor: one list call of the project's containers (median of 20) | ${list_ms} ms |"
  echo "| one inspect of every container, one after the other on one connection | ${inspect_ms} ms |"
  echo "| daemon CPU at rest over ${BENCH_WINDOW} s (resync 30 s) | ${cpu_pct} % of a core |"
  echo "| daemon RSS at rest | ${rss_mib} MiB |"
  echo
  echo "$(date -u +%FT%TZ), $(nproc) cores, Docker $(docker version -f '{{.Server.Version}}' 2>/dev/null), $BERTH_JAR, JIT: ${BENCH_JIT_OPTS-"-XX:TieredStopAtLevel=1"}"
} | tee "$BENCH_OUT/summary.md"

ratio() { python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.1f} ×')" "$1" "$2"; }
figure "reconcile pass with nothing to do, $N services, resync (asks the engine)" "${mean_ms} ms" \
  "one list call to the engine: ${list_ms} ms" "$(ratio "$mean_ms" "$list_ms")" "< 50 ms" "$(lower "$mean_ms" 50)"
figure "reconcile pass with nothing to do, $N services, woken (view from the event stream)" "${woken_ms} ms" \
  "one list call to the engine: ${list_ms} ms" "$(ratio "$woken_ms" "$list_ms")" "< 50 ms" "$(lower "$woken_ms" 50)"
figure "daemon CPU at rest, $N services" "${cpu_pct} % of a core" "" "" "< 1 %" "$(lower "$cpu_pct" 1)"
figure "daemon RSS at rest, $N services" "${rss_mib} MiB" "" "" "< 150 MiB" "$(lower "$rss_mib" 150)"
figure "process start → ready, $N services adopted" "${ready_spread}" "" "" "< 2 s" "$(lower "$ready_s" 2)"
