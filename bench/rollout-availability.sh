#!/usr/bin/env bash
# Rollout-availability benchmark: Berth against docker-compose v1 on the same image.
#
#   sudo bench/rollout-availability.sh [N]        (N changes per phase, default 10)
#
# Starts its own Berth (as the systemd unit starts it, temp manifests/state/secrets dirs, a free API
# port, a random API token, project bench-ra-<random>) with one service of 2
# replicas of berth-test/app behind Berth's proxy on a free 127.0.0.1 port, and
# a docker-compose v1 project (bench-ra-<random>-compose) running the same image
# published on another free 127.0.0.1 port. Then, under constant load on each:
#
#   1. N rollouts v1 <-> v2, alternating, on both: Berth by a manifest write,
#      Compose by `docker-compose up -d` with the new tag. Between them, the engine
#      floor: `docker run -d` of the new image until its first 200 (no load on it).
#   2. N automatic rollbacks on Berth: a manifest with the `unhealthy` image
#      (a new revision each time), wait for phase RolledBack, restore.
#   3. N REST rollbacks on Berth: roll to v2, POST /api/v1/services/app/rollback,
#      wait until all traffic is back on v1.
#
# Compose has no rollback, so phases 2 and 3 measure Berth alone. Traffic goes
# to 127.0.0.1 only. Results: a markdown summary (printed, and summary.md) and
# raw CSVs (load-*.csv per request, events.csv per change, changes.csv per
# change with its metrics) in the output directory. See docs/benchmarks.md.
#
# Environment:
#   BENCH_RATE     requests/s sent to each system (default 200)
#   BENCH_THREADS  client threads per system (default 8)
#   BENCH_SETTLE   seconds of steady traffic after each change settled (default 2)
#   BENCH_REPLICAS replicas of Berth's service (default 2)
#   BENCH_PHASES   which phases run (default "1 2 3"; bench/run-all runs "1" for one replica)
#   BENCH_UPDATE   Berth's update settings (default
#                  "order: start-first, maxSurge: 1, maxUnavailable: 0"), e.g.
#                  "order: stop-first" or "maxSurge: 1, maxUnavailable: 1"
#   BENCH_OUT      output directory (default /var/tmp/berth-bench/<UTC time>)
#   BERTH_JAR      Berth's jar (default target/quarkus-app/quarkus-run.jar; built
#                  with ./mvnw -B -ntp package -DskipTests when missing)
#
# Everything it creates (Berth, its containers, network and image pins, the
# compose project, temp dirs) is removed on exit, also on Ctrl-C. It touches no other
# container: only those labelled with its own dev.berth.project.

set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LIB="$REPO/bench/lib/rollout_bench.py"

N=${1:-10}
BENCH_RATE=${BENCH_RATE:-200}
BENCH_THREADS=${BENCH_THREADS:-8}
BENCH_SETTLE=${BENCH_SETTLE:-2}
BENCH_REPLICAS=${BENCH_REPLICAS:-2}
BENCH_UPDATE=${BENCH_UPDATE:-order: start-first, maxSurge: 1, maxUnavailable: 0}
BENCH_PHASES=${BENCH_PHASES:-1 2 3}
BENCH_OUT=${BENCH_OUT:-/var/tmp/berth-bench/$(date -u +%Y%m%dT%H%M%SZ)}

# shellcheck source=lib/common.sh
source "$REPO/bench/lib/common.sh"

[[ "$N" =~ ^[1-9][0-9]*$ ]] || die "usage: $0 [N]   (N: changes per phase, a positive integer)"
[[ $(id -u) -eq 0 ]] || die "run as root (sudo $0 $*): it drives the Docker engine and docker-compose"
find_python
require_tools " (docker-compose: apt-get install docker-compose)" docker docker-compose java curl

# --- preparation -------------------------------------------------------------

ensure_jar
ensure_test_images v1 v2 unhealthy

make_out_dir
WORK=$(mktemp -d /tmp/bench-berth.XXXXXX)
mkdir -p "$WORK/manifests" "$WORK/state" "$WORK/secrets" "$WORK/compose"
chmod 0700 "$WORK"
PROJECT="bench-ra-$(random_hex 3)"
COMPOSE_PROJECT="$PROJECT-compose"
COMPOSE_FILE="$WORK/compose/docker-compose.yml"
read -r API_PORT BERTH_PORT COMPOSE_PORT FLOOR_PORT < <(free_ports 4)
FLOOR_NAME="$PROJECT-floor"
API="http://127.0.0.1:$API_PORT"
BERTH_URL="http://127.0.0.1:$BERTH_PORT/"
COMPOSE_URL="http://127.0.0.1:$COMPOSE_PORT/"
BENCH_API_TOKEN=$(random_hex 24)
export BENCH_API_TOKEN
printf 'Authorization: Bearer %s\n' "$BENCH_API_TOKEN" >"$WORK/auth-header"

BERTH_PID=
EVENTS_PID=
FG_PID=
LOAD_PIDS=()
# stop_everything: on exit (see on_exit in lib/common.sh).
stop_everything() {
  local pid
  if [[ -n "$FG_PID" ]]; then
    kill -TERM "$FG_PID" 2>/dev/null
    wait "$FG_PID" 2>/dev/null
  fi
  for pid in "${LOAD_PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null
  done
  for pid in "${LOAD_PIDS[@]}"; do
    wait "$pid" 2>/dev/null
  done
  stop_pid "$BERTH_PID" TERM 100
  [[ -n "$EVENTS_PID" ]] && kill -TERM "$EVENTS_PID" 2>/dev/null
  # Only Berth's containers, networks and image pins of this run's project.
  remove_project "$PROJECT"
  docker rm -f "$FLOOR_NAME" >/dev/null 2>&1
  if [[ -f "$COMPOSE_FILE" ]]; then
    docker-compose -p "$COMPOSE_PROJECT" -f "$COMPOSE_FILE" down -t 5 --remove-orphans >>"$BENCH_OUT/compose.log" 2>&1
  fi
}
on_exit stop_everything

# --- the two systems -----------------------------------------------------------

# write_manifest TAG ATTEMPT: the service manifest, written atomically (a
# dotfile is not read, then a rename).
write_manifest() {
  cat >"$WORK/manifests/.app.yaml.tmp" <<EOF
apiVersion: berth.dev/v1
kind: Service
metadata: {name: app}
spec:
  image: berth-test/app:$1
  pullPolicy: never
  replicas: $BENCH_REPLICAS
  env: {BENCH_ATTEMPT: "$2"}
  stopGracePeriod: 10s
  ports: [{port: $BERTH_PORT, targetPort: 8080}]
  healthcheck: {http: {path: /cgi-bin/healthz, port: 8080}, interval: 1s, timeout: 1s, retries: 3}
  update: {$BENCH_UPDATE, minReadySeconds: 0, drainSeconds: 10}
EOF
  mv -f "$WORK/manifests/.app.yaml.tmp" "$WORK/manifests/app.yaml"
}

# write_compose TAG: the peer, the same image published on 127.0.0.1.
write_compose() {
  cat >"$COMPOSE_FILE" <<EOF
version: "2.4"
services:
  app:
    image: berth-test/app:$1
    ports: ["127.0.0.1:$COMPOSE_PORT:8080"]
    stop_grace_period: 10s
EOF
}

# docker-compose exits 1 on SIGINT (not by the signal), so bash would not run
# its INT trap after it: run it in the background and `wait`, which a trapped
# signal interrupts; cleanup stops it.
compose_up() {
  local status=0
  docker-compose -p "$COMPOSE_PROJECT" -f "$COMPOSE_FILE" up -d >>"$BENCH_OUT/compose.log" 2>&1 &
  FG_PID=$!
  wait "$FG_PID" || status=$?
  FG_PID=
  return "$status"
}

# wait_berth PHASE [--not-hash H] [--settled]: prints "t_phase t_settled revision hash".
wait_berth() {
  local phase=$1
  shift
  "$PYTHON" "$LIB" wait-berth --api "$API" --service app --phase "$phase" "$@"
}

EVENTS="$BENCH_OUT/events.csv"
echo "phase,system,index,from,to,t_change,t_done,t_end,note" >"$EVENTS"
event() { # phase system index from to t_change t_done t_end note
  printf '%s,%s,%s,%s,%s,%s,%s,%s,%s\n' "$@" >>"$EVENTS"
}

HASH=
# berth_change PHASE INDEX FROM TO TAG ATTEMPT WAIT_PHASE: write the manifest,
# wait for WAIT_PHASE (with a new spec hash when it must change), settle.
berth_change() {
  local phase=$1 index=$2 from=$3 to=$4 tag=$5 attempt=$6 want=$7 t0 out note="" t_done=""
  local args=(--settled)
  [[ "$want" == Available && "$phase" != restore ]] && args+=(--not-hash "$HASH")
  write_manifest "$tag" "$attempt"
  t0=$(now)
  if out=$(wait_berth "$want" "${args[@]}" 2>>"$BENCH_OUT/wait.log"); then
    read -r t_done _ _ HASH <<<"$out"
  else
    note="no $want within 180 s"
    log "  $phase #$index: $note (see wait.log)"
  fi
  sleep "$BENCH_SETTLE"
  event "$phase" berth "$index" "$from" "$to" "$t0" "$t_done" "$(now)" "$note"
  log "  berth $phase #$index $from→$to ($tag) done in $(awk -v a="$t0" -v b="${t_done:-$t0}" 'BEGIN{printf "%.1f", b-a}') s"
}

# floor_run INDEX FROM TO: the engine floor of a deploy: `docker run -d` of TO's image until it
# answers its first 200 with TO, polled every 10 ms; then removed.
floor_run() {
  local t0 t_done note=""
  t0=$(now)
  docker run -d --name "$FLOOR_NAME" -p "127.0.0.1:$FLOOR_PORT:8080" "berth-test/app:$3" >/dev/null
  t_done=$("$PYTHON" "$LIB" wait-variant --url "http://127.0.0.1:$FLOOR_PORT/" --variant "$3" --count 1 \
    --interval 0.01 --timeout 60) || note="never answered $3"
  event rollout floor "$1" "$2" "$3" "$t0" "$t_done" "$(now)" "$note"
  docker rm -f "$FLOOR_NAME" >/dev/null
}

# --- run -----------------------------------------------------------------------

{
  echo "date: $(date -u +%FT%TZ)"
  echo "command: bench/rollout-availability.sh $N (BENCH_RATE=$BENCH_RATE BENCH_THREADS=$BENCH_THREADS BENCH_SETTLE=$BENCH_SETTLE BENCH_REPLICAS=$BENCH_REPLICAS BENCH_UPDATE='$BENCH_UPDATE' BENCH_PHASES='$BENCH_PHASES')"
  echo "berth commit: $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown) (sources last changed in $(git -C "$REPO" log -1 --format=%h -- src pom.xml 2>/dev/null || echo unknown))$(git -C "$REPO" diff --quiet HEAD -- src pom.xml 2>/dev/null || echo ' (+ uncommitted changes)')"
  echo "machine: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1), Debian $(cat /etc/debian_version 2>/dev/null || echo '?'), kernel $(uname -r)"
  echo "docker engine: $(docker version --format '{{.Server.Version}}'); $(docker-compose version --short 2>/dev/null | sed 's/^/docker-compose /'); $(java -version 2>&1 | head -n1)"
  echo "at start: load average $(cut -d' ' -f1-3 /proc/loadavg), $(docker ps -q | wc -l) containers running on the engine"
} >"$BENCH_OUT/meta.txt"
log "output: $BENCH_OUT; project $PROJECT; Berth proxy $BERTH_URL, Compose $COMPOSE_URL, API $API"

# Engine events of Berth's containers of this run, to check how many existed at once.
docker events --filter type=container --filter "label=dev.berth.project=$PROJECT" \
  --format '{{.TimeNano}} {{.Action}} {{.Actor.Attributes.name}}' >"$BENCH_OUT/docker-events.log" &
EVENTS_PID=$!

log "starting Berth"
write_manifest v1 0
BERTH_MANIFESTS_DIR="$WORK/manifests" BERTH_STATE_DIR="$WORK/state" BERTH_SECRETS_DIR="$WORK/secrets" \
  BERTH_PROJECT="$PROJECT" BERTH_PUBLISH_ADDRESS=127.0.0.1 BERTH_API_TOKEN="$BENCH_API_TOKEN" \
  QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$API_PORT" \
  exec_berth "$BERTH_JAR" >"$BENCH_OUT/berth.log" 2>&1 &
BERTH_PID=$!
log "starting the compose peer"
write_compose v1
compose_up || die "docker-compose up -d failed (see $BENCH_OUT/compose.log)"
out=$(wait_berth Available --settled --timeout 120) || die "Berth's service did not become Available (see $BENCH_OUT/berth.log)"
read -r _ _ _ HASH <<<"$out"
"$PYTHON" "$LIB" wait-variant --url "$BERTH_URL" --variant v1 --timeout 30 >/dev/null || die "Berth's proxy does not answer v1"
"$PYTHON" "$LIB" wait-variant --url "$COMPOSE_URL" --variant v1 --timeout 30 >/dev/null || die "the compose peer does not answer v1"

log "load: $BENCH_RATE requests/s on each, $BENCH_THREADS clients each"
"$PYTHON" "$LIB" load --url "$BERTH_URL" --rate "$BENCH_RATE" --threads "$BENCH_THREADS" --out "$BENCH_OUT/load-berth.csv" &
LOAD_PIDS+=($!)
"$PYTHON" "$LIB" load --url "$COMPOSE_URL" --rate "$BENCH_RATE" --threads "$BENCH_THREADS" --out "$BENCH_OUT/load-compose.csv" &
COMPOSE_LOAD_PID=$!
LOAD_PIDS+=("$COMPOSE_LOAD_PID")
sleep 3

phase() { [[ " $BENCH_PHASES " == *" $1 "* ]]; }

cur=v1
phase 1 && log "phase 1: $N rollouts v1↔v2 on Berth and on Compose, one after the other, the engine floor between"
for ((i = 1; i <= N; i++)); do
  phase 1 || break
  new=v2
  [[ "$cur" == v2 ]] && new=v1
  berth_change rollout "$i" "$cur" "$new" "$new" 0 Available

  write_compose "$new"
  t0=$(now)
  note=""
  compose_up || note="docker-compose up -d failed"
  t_done=$(now)
  if ! "$PYTHON" "$LIB" wait-variant --url "$COMPOSE_URL" --variant "$new" --timeout 120 >/dev/null; then
    note="${note:+$note; }never answered $new"
  fi
  sleep "$BENCH_SETTLE"
  event rollout compose "$i" "$cur" "$new" "$t0" "$t_done" "$(now)" "$note"
  log "  compose rollout #$i $cur→$new: up -d took $(awk -v a="$t0" -v b="$t_done" 'BEGIN{printf "%.1f", b-a}') s"
  floor_run "$i" "$cur" "$new"
  cur=$new
done
kill -TERM "$COMPOSE_LOAD_PID" 2>/dev/null || true
wait "$COMPOSE_LOAD_PID" || true

phase 2 && log "phase 2: $N automatic rollbacks on Berth (image unhealthy, then the manifest restored)"
for ((i = 1; i <= N; i++)); do
  phase 2 || break
  berth_change autorollback "$i" "$cur" "$cur" unhealthy "auto-$i" RolledBack
  berth_change restore "$i" "$cur" "$cur" "$cur" 0 Available
done

phase 3 && log "phase 3: $N REST rollbacks on Berth (v1 → v2 by manifest, then POST …/rollback)"
for ((i = 1; i <= N; i++)); do
  phase 3 || break
  berth_change rest-prepare "$i" "$cur" v1 v1 "rest-$i" Available
  berth_change rest-prepare "$i" v1 v2 v2 "rest-$i" Available
  cur=v2
  t0=$(now)
  code=$(curl -sS -o "$WORK/rollback.json" -w '%{http_code}' -X POST -H "@$WORK/auth-header" \
    "$API/api/v1/services/app/rollback") || code=000
  note="" t_done=""
  if [[ "$code" != 202 ]]; then
    note="rollback answered $code"
    log "  rollback #$i: HTTP $code: $(head -c 300 "$WORK/rollback.json")"
  elif out=$(wait_berth RolledBack --settled 2>>"$BENCH_OUT/wait.log"); then
    read -r t_done _ _ HASH <<<"$out"
    cur=v1
  else
    note="no RolledBack within 180 s"
  fi
  sleep "$BENCH_SETTLE"
  event rest-rollback berth "$i" v2 v1 "$t0" "$t_done" "$(now)" "$note"
  log "  berth rest-rollback #$i v2→v1 done in $(awk -v a="$t0" -v b="${t_done:-$t0}" 'BEGIN{printf "%.1f", b-a}') s"
done

for pid in "${LOAD_PIDS[@]}"; do
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
done
LOAD_PIDS=()
echo "at end: load average $(cut -d' ' -f1-3 /proc/loadavg), $(docker ps -q | wc -l) containers running on the engine" >>"$BENCH_OUT/meta.txt"

one=()
[[ "$BENCH_REPLICAS" == 1 ]] && one=(--one-replica)
"$PYTHON" "$LIB" analyze --dir "$BENCH_OUT" "${one[@]}" \
  --setting "$BENCH_REPLICAS replica$([[ $BENCH_REPLICAS == 1 ]] || echo s), $BENCH_UPDATE"
