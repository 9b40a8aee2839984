#!/usr/bin/env bash
# Drift-repair benchmark: a replica whose process dies (SIGKILL from outside: a crash, an OOM
# kill) until its port answers again, Berth beside the engine's own restart policy.
#
#   sudo bench/drift-repair.sh [ROUNDS]        (default 5)
#
# It starts its own Berth (temp manifests/state/secrets dirs, free 127.0.0.1 ports, project
# bench-drift-<random>) with one service, app: 1 replica of berth-test/app:v1 behind Berth's
# proxy on a free 127.0.0.1 port, probed over HTTP (interval 1s, startInterval 250ms, the
# defaults), restartBackoff {reset: 10s} (the engine's restart policy forgets a container's
# restarts after 10 s of running; Berth's default is 10 min). The peer: the same image under
# `docker run -d --restart always`, published on another free 127.0.0.1 port.
#
# Each round, in alternating order, for each side: the main process of the container is
# killed with SIGKILL from the host (`kill -9` of the container's pid: not `docker kill`,
# which the engine's restart policy treats as a deliberate stop), and the time is measured
# until the port users call (Berth's proxy port; the peer's published port) answers 200 again,
# polled every 10 ms. Then 12 s of quiet, so both sides' backoff starts afresh. Reported:
# median, min and max, and Berth / restart policy per round. Traffic goes to 127.0.0.1 only.
# Results: summary.md (printed) and rounds.txt in the output directory.
#
# Environment:
#   BENCH_OUT    output directory (default /var/tmp/berth-bench/drift-<UTC time>)
#   BERTH_JAR    Berth's jar (default target/quarkus-app/quarkus-run.jar; built when missing)
#
# Everything it creates is removed on exit, also on Ctrl-C; it touches no container but its own.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/common.sh
source "$REPO/bench/lib/common.sh"

ROUNDS=${1:-5}
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "usage: $0 [ROUNDS]"
[[ $(id -u) -eq 0 ]] || die "run as root (sudo $0 $*): it kills a container's process"
BENCH_OUT=${BENCH_OUT:-/var/tmp/berth-bench/drift-$(date -u +%Y%m%dT%H%M%SZ)}
find_python
require_tools " (apt-get install curl python3)" curl java
ensure_jar
ensure_test_images v1
make_out_dir
WORK=$(mktemp -d)
mkdir -p "$WORK/manifests" "$WORK/state" "$WORK/secrets"
PROJECT=bench-drift-$(random_hex 3)
PEER=$PROJECT-peer
read -r API_PORT BERTH_PORT PEER_PORT < <(free_ports 3)
PID=

cleanup() {
  stop_pid "$PID" TERM
  remove_project "$PROJECT"
  docker rm -f "$PEER" >/dev/null 2>&1
}
on_exit cleanup

cat >"$WORK/manifests/app.yaml" <<EOF
apiVersion: berth.dev/v1
kind: Service
metadata: {name: app}
spec:
  image: berth-test/app:v1
  pullPolicy: never
  ports: [{port: $BERTH_PORT, targetPort: 8080}]
  healthcheck: {http: {path: /cgi-bin/healthz, port: 8080}, interval: 1s, timeout: 1s, retries: 3}
  restartBackoff: {reset: 10s}
EOF
BERTH_MANIFESTS_DIR=$WORK/manifests BERTH_STATE_DIR=$WORK/state BERTH_SECRETS_DIR=$WORK/secrets \
  BERTH_PROJECT=$PROJECT BERTH_PUBLISH_ADDRESS=127.0.0.1 BERTH_API_TOKEN=bench BERTH_API_OPEN_READS=true \
  QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=$API_PORT exec_berth "$BERTH_JAR" >"$BENCH_OUT/daemon.log" 2>&1 &
PID=$!
docker run -d --name "$PEER" --restart always -p "127.0.0.1:$PEER_PORT:8080" berth-test/app:v1 >/dev/null

# answers PORT SECONDS: waits until http://127.0.0.1:PORT/ answers 200, polled every 10 ms; prints the epoch time.
answers() {
  "$PYTHON" "$REPO/bench/lib/rollout_bench.py" wait-variant --url "http://127.0.0.1:$1/" --variant v1 \
    --count 1 --interval 0.01 --timeout "$2"
}
answers "$BERTH_PORT" 120 >/dev/null || die "Berth's service does not answer (see $BENCH_OUT/daemon.log)"
answers "$PEER_PORT" 30 >/dev/null || die "the peer does not answer"
sleep 12

# app_pid SIDE: the host pid of the side's running container's main process.
app_pid() {
  local id
  if [[ $1 == berth ]]; then
    id=$(docker ps -q --filter label=dev.berth.managed=true --filter "label=dev.berth.project=$PROJECT" \
      --filter label=dev.berth.service=app | head -n1)
  else
    id=$PEER
  fi
  [[ -n "$id" ]] || die "no running container of $1"
  docker inspect -f '{{.State.Pid}}' "$id"
}

# repair SIDE: prints the seconds from SIGKILL of SIDE's replica until its port answers again.
repair() {
  local port=$BERTH_PORT pid t0 t1
  [[ $1 == peer ]] && port=$PEER_PORT
  pid=$(app_pid "$1")
  t0=$(now)
  kill -KILL "$pid"
  t1=$(answers "$port" 60) || die "$1 did not answer within 60 s after the kill"
  "$PYTHON" -c "print(f'{$t1 - $t0:.3f}')"
}

: >"$BENCH_OUT/rounds.txt"
for r in $(seq 1 "$ROUNDS"); do
  if ((r % 2)); then
    b=$(repair berth); sleep 12; p=$(repair peer)
  else
    p=$(repair peer); sleep 12; b=$(repair berth)
  fi
  sleep 12
  log "round $r: Berth ${b} s, restart policy ${p} s"
  echo "$b $p" >>"$BENCH_OUT/rounds.txt"
done

"$PYTHON" "$REPO/bench/lib/figures.py" pairs "$BENCH_OUT" "figure" \
  "Berth: SIGKILL → its proxy port answers again" \
  "engine restart policy (always): SIGKILL → its port answers again" \
  "drift repair: a replica's process killed → its port answers again" "the engine's restart policy" \
  "≤ 1.2 × (was ≈ 1.1 ×)" 1.2
