#!/usr/bin/env bash
# Automatic-rollback benchmark: an update to an image that never gets healthy, until the old
# revision is declared back, Berth beside Docker Swarm (one node, this engine) in the same run.
#
#   sudo bench/swarm-rollback.sh [ROUNDS]        (default 3)
#
# Both run 2 replicas of berth-test/app:v1 with the same health check (GET /cgi-bin/healthz on
# port 8080 every 1 s, timeout 1 s, 3 retries; Swarm: the same request by the image's wget as
# the container's HEALTHCHECK), updated one at a time, start-first, rolled back on failure:
# - Berth: its own daemon (temp dirs, free 127.0.0.1 ports, project bench-swrb-<random>) with
#   the defaults (order start-first, maxSurge 1, maxUnavailable 0); the manifest is written with
#   berth-test/app:unhealthy (a new revision each round), timed until GET /api/v1/services/app
#   shows phase RolledBack with only the old revision's replicas left, all ready; then restored.
# - Swarm: `docker service create` with --update-order start-first --update-parallelism 1
#   --update-failure-action rollback --rollback-order start-first (Swarm's defaults are
#   stop-first and pause) and its default monitor (5 s); `docker service update -d --image
#   berth-test/app:unhealthy` (a new BENCH_ATTEMPT each round), timed until the service's
#   UpdateStatus is rollback_completed.
# Rounds alternate the order. The engine is put in swarm mode for the run when it is not in it
# already (and taken out again at the end); nothing else on it is touched. Swarm's routing mesh
# does not forward on these machines, so no load is sent to either side: failed requests during
# automatic rollbacks are measured by bench/rollout-availability.sh (Berth only).
# Results: summary.md (printed) and rounds.txt in the output directory.
#
# Environment:
#   BENCH_OUT    output directory (default /var/tmp/berth-bench/swarm-rollback-<UTC time>)
#   BERTH_JAR    Berth's jar (default target/quarkus-app/quarkus-run.jar; built when missing)
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/common.sh
source "$REPO/bench/lib/common.sh"
LIB=$REPO/bench/lib/rollout_bench.py

ROUNDS=${1:-3}
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "usage: $0 [ROUNDS]"
[[ $(id -u) -eq 0 ]] || die "run as root (sudo $0 $*): it puts the engine in swarm mode"
BENCH_OUT=${BENCH_OUT:-/var/tmp/berth-bench/swarm-rollback-$(date -u +%Y%m%dT%H%M%SZ)}
find_python
require_tools " (apt-get install curl python3)" curl java
ensure_jar
ensure_test_images v1 unhealthy
make_out_dir
WORK=$(mktemp -d)
mkdir -p "$WORK/manifests" "$WORK/state" "$WORK/secrets"
PROJECT=bench-swrb-$(random_hex 3)
SWARM_SERVICE=$PROJECT-swarm
read -r API_PORT BERTH_PORT < <(free_ports 2)
export BENCH_API_TOKEN=bench
SOCK=${DOCKER_HOST:-unix:///var/run/docker.sock}
SOCK=${SOCK#unix://}
PID=
JOINED=

cleanup() {
  stop_pid "$PID" TERM
  remove_project "$PROJECT"
  docker service rm "$SWARM_SERVICE" >/dev/null 2>&1
  [[ -n "$JOINED" ]] && docker swarm leave --force >/dev/null 2>&1
}
on_exit cleanup

if [[ "$(docker info -f '{{.Swarm.LocalNodeState}}')" != active ]]; then
  docker swarm init --advertise-addr 127.0.0.1 >/dev/null || die "docker swarm init failed"
  JOINED=yes
fi

write_manifest() { # TAG ATTEMPT
  cat >"$WORK/manifests/.app.yaml.tmp" <<EOF
apiVersion: berth.dev/v1
kind: Service
metadata: {name: app}
spec:
  image: berth-test/app:$1
  pullPolicy: never
  replicas: 2
  env: {BENCH_ATTEMPT: "$2"}
  ports: [{port: $BERTH_PORT, targetPort: 8080}]
  healthcheck: {http: {path: /cgi-bin/healthz, port: 8080}, interval: 1s, timeout: 1s, retries: 3}
EOF
  mv -f "$WORK/manifests/.app.yaml.tmp" "$WORK/manifests/app.yaml"
}
wait_berth() { # PHASE [args]: prints "t_phase t_settled revision hash"
  local phase=$1
  shift
  "$PYTHON" "$LIB" wait-berth --api "http://127.0.0.1:$API_PORT" --service app --phase "$phase" --settled "$@"
}
swarm_state() { # the Swarm service's UpdateStatus.State ("" before its first update)
  curl -sf --unix-socket "$SOCK" "http://engine/services/$SWARM_SERVICE" |
    "$PYTHON" -c 'import json, sys; print((json.load(sys.stdin).get("UpdateStatus") or {}).get("State", ""))'
}

write_manifest v1 0
BERTH_MANIFESTS_DIR=$WORK/manifests BERTH_STATE_DIR=$WORK/state BERTH_SECRETS_DIR=$WORK/secrets \
  BERTH_PROJECT=$PROJECT BERTH_PUBLISH_ADDRESS=127.0.0.1 BERTH_API_TOKEN=$BENCH_API_TOKEN \
  QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=$API_PORT exec_berth "$BERTH_JAR" >"$BENCH_OUT/daemon.log" 2>&1 &
PID=$!
docker service create -d --no-resolve-image --name "$SWARM_SERVICE" --replicas 2 \
  --label dev.berth.bench="$PROJECT" \
  --update-order start-first --update-parallelism 1 --update-failure-action rollback \
  --rollback-order start-first --rollback-parallelism 1 \
  --health-cmd 'wget -q -O /dev/null http://127.0.0.1:8080/cgi-bin/healthz' \
  --health-interval 1s --health-timeout 1s --health-retries 3 \
  berth-test/app:v1 >/dev/null || die "docker service create failed"
wait_berth Available --timeout 120 >/dev/null || die "Berth's service did not become Available (see $BENCH_OUT/daemon.log)"
for _ in $(seq 120); do
  [[ "$(docker service ls -f "name=$SWARM_SERVICE" --format '{{.Replicas}}')" == 2/2 ]] && break
  sleep 0.5
done
[[ "$(docker service ls -f "name=$SWARM_SERVICE" --format '{{.Replicas}}')" == 2/2 ]] || die "Swarm's service did not start"

berth_round() { # ROUND: prints the seconds from the manifest write until RolledBack
  local t0 out
  write_manifest unhealthy "auto-$1"
  t0=$(now)
  out=$(wait_berth RolledBack --timeout 180 2>>"$BENCH_OUT/wait.log") || die "Berth: no RolledBack within 180 s"
  "$PYTHON" -c "print(f'{${out%% *} - $t0:.2f}')"
  write_manifest v1 0
  wait_berth Available --timeout 180 >/dev/null 2>>"$BENCH_OUT/wait.log" || die "Berth: not Available after the restore"
}
swarm_round() { # ROUND: prints the seconds from `docker service update` until rollback_completed
  local t0 state
  t0=$(now)
  docker service update -d --no-resolve-image --image berth-test/app:unhealthy \
    --env-add "BENCH_ATTEMPT=auto-$1" "$SWARM_SERVICE" >/dev/null
  for _ in $(seq 1800); do
    state=$(swarm_state)
    [[ "$state" == rollback_completed ]] && break
    sleep 0.1
  done
  [[ "$state" == rollback_completed ]] || die "Swarm: no rollback_completed within 180 s (state: $state)"
  "$PYTHON" -c "print(f'{$(now) - $t0:.2f}')"
}

: >"$BENCH_OUT/rounds.txt"
for r in $(seq 1 "$ROUNDS"); do
  if ((r % 2)); then
    b=$(berth_round "$r"); s=$(swarm_round "$r")
  else
    s=$(swarm_round "$r"); b=$(berth_round "$r")
  fi
  log "round $r: Berth ${b} s, Docker Swarm ${s} s"
  echo "$b $s" >>"$BENCH_OUT/rounds.txt"
  sleep 5
done

"$PYTHON" "$REPO/bench/lib/figures.py" pairs "$BENCH_OUT" "figure (2 replicas, start-first, no load)" \
  "Berth: manifest write → RolledBack" "Docker Swarm: \`service update\` → rollback_completed" \
  "automatic rollback: update to an image that never gets healthy → old revision back" \
  "Docker Swarm, one node" "≤ 1.0 × Swarm" 1.0
