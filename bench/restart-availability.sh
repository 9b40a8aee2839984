#!/usr/bin/env bash
# Restart-availability benchmark: proxied requests lost while Berth restarts,
# role all (one process) against the split (berth.role proxy + control).
#
#   sudo bench/restart-availability.sh [N]        (N restarts of each kind, default 3)
#
# For each system in turn it starts its own Berth (as the systemd unit starts it, temp
# manifests/state/secrets dirs, free 127.0.0.1 ports, a random API token,
# project bench-rs-<random>-<system>) with one service of 2 replicas of
# berth-test/app behind the proxy, sends BENCH_RATE requests/s through the
# proxied port, and then, N times each:
#
#   sigterm  the control plane (role all: Berth) stopped with SIGTERM, a new
#            process started, until its /q/health/ready is UP, then BENCH_SETTLE s;
#   sigkill  the same with SIGKILL;
#   proxy    (split only) the data plane stopped with SIGTERM and started again;
#   compose-restart   (system compose) docker-compose restart berth;
#   compose-recreate  (system compose) docker-compose up -d --no-deps
#            --force-recreate berth: a new container, as an image upgrade makes;
#   upgrade  (only with BERTH_UPGRADE_JAR) the control plane stopped with SIGTERM
#            and started from the other build: odd restarts go to
#            BERTH_UPGRADE_JAR, even ones back to BERTH_JAR (an upgrade, then a
#            downgrade). In the split the data plane keeps running the first build.
#
# A restart's window runs from the signal to the end of the settle time; every
# request sent in it counts. Traffic goes to 127.0.0.1 only. Results: summary.md
# (printed), restarts.csv, events.csv and load-<system>.csv in the output
# directory. See docs/benchmarks.md.
#
# Environment:
#   BENCH_RATE     requests/s (default 100)
#   BENCH_THREADS  client threads (default 4)
#   BENCH_SETTLE   seconds of traffic after a restarted process is ready (default 3)
#   BENCH_DOWN     seconds a stopped process stays down before the new one starts (default 1)
#   BENCH_SYSTEMS  which systems, in order (default "all split"); "compose" is
#                  deploy/compose/compose.yaml (berth-proxy + berth containers of
#                  the image BERTH_IMAGE, default berth:dev, which must exist:
#                  deploy/docker/build-local-base.sh builds it)
#   BENCH_OUT      output directory (default /var/tmp/berth-bench/restart-<UTC time>)
#   BERTH_JAR      Berth's jar (default target/quarkus-app/quarkus-run.jar; built
#                  with ./mvnw -B -ntp package -DskipTests when missing)
#   BERTH_UPGRADE_JAR  another build's jar, for the upgrade kind (default: none,
#                  no upgrades measured); e.g. an older commit built in a worktree
#
# Everything it creates (its Berth processes, their containers, networks and
# image pins, temp dirs) is removed on exit, also on Ctrl-C. It touches no other
# container: only those labelled with its own dev.berth.project.

set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LIB="$REPO/bench/lib/rollout_bench.py"
ANALYZE="$REPO/bench/lib/restart_bench.py"

N=${1:-3}
BENCH_RATE=${BENCH_RATE:-100}
BENCH_THREADS=${BENCH_THREADS:-4}
BENCH_SETTLE=${BENCH_SETTLE:-3}
BENCH_DOWN=${BENCH_DOWN:-1}
BENCH_SYSTEMS=${BENCH_SYSTEMS:-all split}
BERTH_UPGRADE_JAR=${BERTH_UPGRADE_JAR:-}
BERTH_IMAGE=${BERTH_IMAGE:-berth:dev}
COMPOSE_FILE="$REPO/deploy/compose/compose.yaml"
BENCH_OUT=${BENCH_OUT:-/var/tmp/berth-bench/restart-$(date -u +%Y%m%dT%H%M%SZ)}

# shellcheck source=lib/common.sh
source "$REPO/bench/lib/common.sh"

[[ "$N" =~ ^[1-9][0-9]*$ ]] || die "usage: $0 [N]   (N: restarts of each kind, a positive integer)"
[[ $(id -u) -eq 0 ]] || die "run as root (sudo $0 $*): it drives the Docker engine"
find_python
require_tools "" docker java curl
ensure_jar
if [[ -n "$BERTH_UPGRADE_JAR" ]]; then
  [[ -f "$BERTH_UPGRADE_JAR" ]] || die "BERTH_UPGRADE_JAR: no such file: $BERTH_UPGRADE_JAR"
fi
ensure_test_images v1 v2

make_out_dir
WORK=$(mktemp -d /tmp/bench-restart.XXXXXX)
chmod 0700 "$WORK"
RUN="bench-rs-$(random_hex 3)"
BENCH_API_TOKEN=$(random_hex 24)
export BENCH_API_TOKEN

CONTROL_PID=
PROXY_PID=
LOAD_PID=
COMPOSE_UP=
PROJECTS=()
# stop_everything: on exit (see on_exit in lib/common.sh).
stop_everything() {
  [[ -n "$LOAD_PID" ]] && stop_pid "$LOAD_PID" TERM
  stop_pid "$CONTROL_PID" TERM
  stop_pid "$PROXY_PID" TERM
  [[ -n "$COMPOSE_UP" ]] && compose down --timeout 30 >/dev/null 2>&1
  local p
  for p in "${PROJECTS[@]}"; do
    remove_project "$p"
  done
}
on_exit stop_everything

EVENTS="$BENCH_OUT/events.csv"
echo "system,kind,index,t_change,t_end" >"$EVENTS"

{
  echo "date: $(date -u +%FT%TZ)"
  echo "command: bench/restart-availability.sh $N (BENCH_RATE=$BENCH_RATE BENCH_THREADS=$BENCH_THREADS BENCH_SETTLE=$BENCH_SETTLE BENCH_DOWN=$BENCH_DOWN BENCH_SYSTEMS='$BENCH_SYSTEMS')"
  echo "berth commit: $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$REPO" diff --quiet HEAD -- src pom.xml 2>/dev/null || echo ' (+ uncommitted changes)')"
  echo "jar: $BERTH_JAR${BERTH_UPGRADE_JAR:+; upgrade jar: $BERTH_UPGRADE_JAR}"
  echo "machine: $(nproc) CPUs, Debian $(cat /etc/debian_version 2>/dev/null || echo '?'), $(java -version 2>&1 | head -n1)"
  echo "at start: load average $(cut -d' ' -f1-3 /proc/loadavg), $(docker ps -q | wc -l) containers running on the engine"
} >"$BENCH_OUT/meta.txt"

# launch ROLE HTTP_PORT LOG [JAR]: one Berth process of this system, in the background; prints its pid.
launch() {
  BERTH_ROLE=$1 BERTH_MANIFESTS_DIR="$DIR/manifests" BERTH_STATE_DIR="$DIR/state" BERTH_SECRETS_DIR="$DIR/secrets" \
    BERTH_PROJECT="$PROJECT" BERTH_PUBLISH_ADDRESS=127.0.0.1 BERTH_API_TOKEN="$BENCH_API_TOKEN" \
    BERTH_PROXY_ADMIN_PORT="$ADMIN_PORT" QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$2" \
    exec_berth "${4:-$BERTH_JAR}" >>"$BENCH_OUT/$3" 2>&1 &
  echo $!
}

# compose ARGS...: docker-compose on deploy/compose/compose.yaml with this system's settings.
compose() {
  BERTH_MANIFESTS_DIR="$DIR/manifests" BERTH_SECRETS_DIR="$DIR/secrets" BERTH_STATE_DIR="$DIR/state" \
    BERTH_PROJECT="$PROJECT" BERTH_PUBLISH_ADDRESS=127.0.0.1 BERTH_API_PORT="$API_PORT" \
    BERTH_PROXY_ADMIN_PORT="$ADMIN_PORT" BERTH_PROXY_HTTP_PORT="$PROXY_HTTP_PORT" \
    DOCKER_GID=$(stat -c %g /var/run/docker.sock) \
    docker-compose -p "$PROJECT" -f "$COMPOSE_FILE" "$@"
}

wait_ready() { # wait_ready PORT: until /q/health/ready answers 200 (120 s at most)
  for _ in $(seq 1 600); do
    curl -fsS -o /dev/null "http://127.0.0.1:$1/q/health/ready" 2>/dev/null && return 0
    sleep 0.2
  done
  return 1
}

# restart SYSTEM KIND INDEX: one measured restart.
restart() {
  local system=$1 kind=$2 index=$3 t0
  t0=$(now)
  case "$kind" in
    sigterm | sigkill)
      local sig=TERM
      [[ "$kind" == sigkill ]] && sig=KILL
      stop_pid "$CONTROL_PID" "$sig"
      sleep "$BENCH_DOWN"
      CONTROL_PID=$(launch "$CONTROL_ROLE" "$API_PORT" "control-$system.log")
      wait_ready "$API_PORT" || die "the control plane of $system did not become ready"
      ;;
    upgrade)
      local jar=$BERTH_JAR
      ((index % 2 == 1)) && jar=$BERTH_UPGRADE_JAR
      stop_pid "$CONTROL_PID" TERM
      sleep "$BENCH_DOWN"
      CONTROL_PID=$(launch "$CONTROL_ROLE" "$API_PORT" "control-$system.log" "$jar")
      wait_ready "$API_PORT" || die "the control plane of $system did not become ready on $jar"
      ;;
    compose-restart)
      compose restart berth >>"$BENCH_OUT/compose-$system.log" 2>&1
      wait_ready "$API_PORT" || die "berth of the compose deployment did not become ready"
      ;;
    compose-recreate)
      compose up -d --no-deps --force-recreate berth >>"$BENCH_OUT/compose-$system.log" 2>&1
      wait_ready "$API_PORT" || die "berth of the compose deployment did not become ready"
      ;;
    proxy)
      stop_pid "$PROXY_PID" TERM
      sleep "$BENCH_DOWN"
      PROXY_PID=$(launch proxy "$PROXY_HTTP_PORT" "proxy-$system.log")
      wait_ready "$PROXY_HTTP_PORT" || die "the data plane of $system did not become ready"
      ;;
  esac
  sleep "$BENCH_SETTLE"
  printf '%s,%s,%s,%s,%s\n' "$system" "$kind" "$index" "$t0" "$(now)" >>"$EVENTS"
  log "  $system $kind #$index: $(awk -v a="$t0" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}') s"
}

for system in $BENCH_SYSTEMS; do
  [[ "$system" == all || "$system" == split || "$system" == compose ]] ||
    die "BENCH_SYSTEMS: all, split and/or compose, not $system"
  PROJECT="$RUN-$system"
  PROJECTS+=("$PROJECT")
  DIR="$WORK/$system"
  mkdir -p "$DIR/manifests" "$DIR/state" "$DIR/secrets"
  read -r API_PORT ADMIN_PORT PROXY_HTTP_PORT APP_PORT < <(free_ports 4)
  cat >"$DIR/manifests/app.yaml" <<EOF
apiVersion: berth.dev/v1
kind: Service
metadata: {name: app}
spec:
  image: berth-test/app:v1
  pullPolicy: never
  replicas: 2
  init: true
  stopGracePeriod: 10s
  ports: [{port: $APP_PORT, targetPort: 8080}]
  healthcheck: {http: {path: /cgi-bin/healthz, port: 8080}, interval: 1s, timeout: 1s, retries: 3}
  update: {order: start-first, maxSurge: 1, maxUnavailable: 0, drainSeconds: 10}
EOF
  CONTROL_ROLE=all
  if [[ "$system" == compose ]]; then
    command -v docker-compose >/dev/null 2>&1 || die "docker-compose is not installed (apt-get install docker-compose)"
    docker image inspect "$BERTH_IMAGE" >/dev/null 2>&1 ||
      die "no image $BERTH_IMAGE: build it with deploy/docker/build-local-base.sh"
    # The containers run as uid 10001 and see these directories at the same paths.
    chmod 0755 "$WORK"
    chown 10001:10001 "$DIR/state"
    chgrp 10001 "$DIR/secrets"
    chmod 0750 "$DIR/secrets"
    log "$system: docker-compose up (project $PROJECT, proxied port $APP_PORT)"
    COMPOSE_UP=1
    compose up -d >>"$BENCH_OUT/compose-$system.log" 2>&1 || die "docker-compose up failed (see $BENCH_OUT/compose-$system.log)"
    wait_ready "$API_PORT" || die "berth of the compose deployment did not become ready"
    BENCH_API_TOKEN=$(cat "$DIR/state/api-token")
  elif [[ "$system" == split ]]; then
    CONTROL_ROLE=control
    log "$system: starting the data plane"
    PROXY_PID=$(launch proxy "$PROXY_HTTP_PORT" "proxy-$system.log")
    wait_ready "$PROXY_HTTP_PORT" || die "the data plane did not become ready (see $BENCH_OUT/proxy-$system.log)"
  fi
  if [[ "$system" != compose ]]; then
    log "$system: starting the control plane (project $PROJECT, proxied port $APP_PORT)"
    CONTROL_PID=$(launch "$CONTROL_ROLE" "$API_PORT" "control-$system.log")
  fi
  "$PYTHON" "$LIB" wait-berth --api "http://127.0.0.1:$API_PORT" --service app --phase Available --settled \
    --timeout 180 >/dev/null || die "the service did not become Available (see $BENCH_OUT/control-$system.log)"
  "$PYTHON" "$LIB" wait-variant --url "http://127.0.0.1:$APP_PORT/" --variant v1 --timeout 30 >/dev/null ||
    die "the proxy does not answer v1"

  log "$system: load $BENCH_RATE requests/s; $N restarts of each kind"
  "$PYTHON" "$LIB" load --url "http://127.0.0.1:$APP_PORT/" --rate "$BENCH_RATE" --threads "$BENCH_THREADS" \
    --out "$BENCH_OUT/load-$system.csv" &
  LOAD_PID=$!
  sleep 3
  kinds=(sigterm sigkill)
  [[ -n "$BERTH_UPGRADE_JAR" ]] && kinds+=(upgrade)
  [[ "$system" == split ]] && kinds+=(proxy)
  [[ "$system" == compose ]] && kinds=(compose-restart compose-recreate)
  for kind in "${kinds[@]}"; do
    for ((i = 1; i <= N; i++)); do
      restart "$system" "$kind" "$i"
    done
  done
  stop_pid "$LOAD_PID" TERM
  LOAD_PID=
  stop_pid "$CONTROL_PID" TERM
  CONTROL_PID=
  stop_pid "$PROXY_PID" TERM
  PROXY_PID=
  if [[ "$system" == compose ]]; then
    compose logs --no-color >>"$BENCH_OUT/compose-$system.log" 2>&1 || true
    compose down --timeout 30 >>"$BENCH_OUT/compose-$system.log" 2>&1
    COMPOSE_UP=
  fi
done
echo "at end: load average $(cut -d' ' -f1-3 /proc/loadavg)" >>"$BENCH_OUT/meta.txt"

"$PYTHON" "$ANALYZE" analyze --dir "$BENCH_OUT"
