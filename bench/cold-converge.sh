#!/usr/bin/env bash
# Cold-converge benchmark: how long a running Berth takes to bring N new
# one-replica services up, beside the floor the engine sets in the same run.
#
#   sudo bench/cold-converge.sh [N] [ROUNDS]     (default 200 services, 3 rounds)
#
# Each round, in alternating order:
# - floor: N × `docker run -d` of the same container (image, command, init, a
#   project network, Berth's label shape), 8 at a time (as many as Berth's
#   default workers), timed until the last `docker run -d` returned: each returns
#   once its container started;
# - Berth: its own daemon (temp manifests/state/secrets dirs, a free 127.0.0.1
#   API port, project bench-cold-<random>) is started on an empty manifests
#   directory and waited for until ready; then the N manifests are moved in
#   (one rename each) and timed until GET /api/v1/services shows all N
#   Available. Process start is not in this figure: see idle-pass.sh's
#   "restart: process start until ready".
# After each side its containers and network are removed and the disk is given
# 15 s to settle (the engine removes container layers after `docker rm`
# returns), so neither side runs in the other's clean-up. Prints one table (median,
# min, max, and Berth/floor per round, and the CPU time the docker clients and
# Berth's process used meanwhile: on 2 cores each competes with the engine), and from the
# engine's events of each side: when the first create and the last start came after the
# side's t0, the median time from a container's create to its start, and how many containers
# were between create and start at once on average; results also in BENCH_OUT/summary.md.
#
# Environment:
#   BENCH_OUT        output directory (default /var/tmp/berth-bench/cold-<UTC time>)
#   BENCH_JAVA_OPTS  extra JVM options for Berth
#   BERTH_JAR        Berth's jar (default target/quarkus-app/quarkus-run.jar; built when missing)
#
# Everything it creates is removed on exit, also on Ctrl-C; it touches no
# container but those labelled with its own projects.

set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/common.sh
source "$REPO/bench/lib/common.sh"

N=${1:-200}
ROUNDS=${2:-3}
BENCH_OUT=${BENCH_OUT:-/var/tmp/berth-bench/cold-$(date -u +%Y%m%dT%H%M%SZ)}
IMAGE=berth-test/busybox:latest
BASE=bench-cold-$RANDOM

require_tools " (apt-get install curl python3 time)" curl python3 java xargs /usr/bin/time
ensure_jar
docker image inspect "$IMAGE" >/dev/null 2>&1 || ensure_test_images v1
make_out_dir
WORK=$(mktemp -d)
PID=
PROJECTS=()
SECONDS_TAKEN=
EVENTS_PID=
BERTH_CPU=
FLOOR_CPU=

cleanup() {
  stop_pid "$PID" TERM
  [[ -n "$EVENTS_PID" ]] && kill "$EVENTS_PID" 2>/dev/null
  local p
  for p in "${PROJECTS[@]}"; do remove_project "$p"; done
}
on_exit cleanup

# floor PROJECT: sets SECONDS_TAKEN to the seconds N `docker run -d` took, 8 at a time, and
# FLOOR_CPU to the CPU seconds the docker clients used meanwhile.
floor() {
  local project=$1 t0
  docker network create --label dev.berth.managed=true --label "dev.berth.project=$project" \
    "${project}_default" >/dev/null
  follow "$project"
  t0=$(now)
  seq -w 1 "$N" | /usr/bin/time -f '%U %S' -o "$WORK/floor-cpu" xargs -P 8 -I{} docker run -d \
    --name "${project}_s{}_1" --init --network "${project}_default" --label dev.berth.managed=true \
    --label "dev.berth.project=$project" --label dev.berth.service=s{} "$IMAGE" sleep 86400 >/dev/null
  SECONDS_TAKEN=$(python3 -c "print(f'{$(now) - $t0:.1f}')")
  FLOOR_CPU=$(awk '{printf "%.1f", $1 + $2}' "$WORK/floor-cpu")
  unfollow "$project" "$t0"
}

# berth PROJECT: sets SECONDS_TAKEN to the seconds from the manifests moved into a ready Berth until all N are Available.
berth() {
  local project=$1 dir=$WORK/$1 port t0
  mkdir -p "$dir/manifests" "$dir/state" "$dir/secrets"
  write_sleepers "$dir/new" "$N" "$IMAGE"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  local opts
  read -r -a opts <<<"${BENCH_JAVA_OPTS:-}"
  BERTH_MANIFESTS_DIR=$dir/manifests BERTH_STATE_DIR=$dir/state BERTH_SECRETS_DIR=$dir/secrets \
    BERTH_PROJECT=$project BERTH_API_TOKEN=bench BERTH_API_OPEN_READS=true \
    QUARKUS_HTTP_PORT=$port exec_berth "$BERTH_JAR" "${opts[@]}" >>"$BENCH_OUT/daemon-$project.log" 2>&1 &
  PID=$!
  until curl -sf "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1; do
    kill -0 "$PID" 2>/dev/null || die "Berth exited; see $BENCH_OUT/daemon-$project.log"
    sleep 0.1
  done
  follow "$project"
  t0=$(now)
  c0=$(cpu_ticks "$PID")
  mv "$dir"/new/*.yaml "$dir/manifests/"
  until [[ "$(available "$port")" == "$N" ]]; do
    kill -0 "$PID" 2>/dev/null || die "Berth exited; see $BENCH_OUT/daemon-$project.log"
    sleep 0.2
  done
  SECONDS_TAKEN=$(python3 -c "print(f'{$(now) - $t0:.1f}')")
  BERTH_CPU=$(python3 -c "print(f'{($(cpu_ticks "$PID") - $c0) / $(getconf CLK_TCK):.1f}')")
  unfollow "$project" "$t0"
  stop_pid "$PID" TERM
  PID=
}

# follow PROJECT: records the engine's container events of PROJECT into BENCH_OUT/events-PROJECT.log
# until unfollow; sets EVENTS_PID.
follow() {
  docker events --filter type=container --filter "label=dev.berth.project=$1" \
    --format '{{.TimeNano}} {{.Action}} {{.ID}}' >"$BENCH_OUT/events-$1.log" &
  EVENTS_PID=$!
  sleep 0.5
}
# unfollow PROJECT T0: stops the events and appends "first-create last-start create-to-start-ms
# in-flight" (seconds after T0; median; mean between first create and last start) to BENCH_OUT/engine.txt.
unfollow() {
  sleep 0.5
  kill "$EVENTS_PID" 2>/dev/null || true
  wait "$EVENTS_PID" 2>/dev/null || true
  EVENTS_PID=
  python3 - "$BENCH_OUT/events-$1.log" "$2" "$1" >>"$BENCH_OUT/engine.txt" <<'PY'
import statistics, sys
t0 = float(sys.argv[2])
created, spans = {}, []
for line in open(sys.argv[1]):
    parts = line.split()
    if len(parts) != 3:
        continue
    t, action, cid = int(parts[0]) / 1e9, parts[1], parts[2]
    if action == "create":
        created[cid] = t
    elif action == "start" and cid in created:
        spans.append((created.pop(cid), t))
if spans:
    first, last = min(a for a, _ in spans), max(b for _, b in spans)
    flight = sum(b - a for a, b in spans) / max(last - first, 1e-9)
    print(f"{sys.argv[3]} {first - t0:.2f} {last - t0:.2f} "
          f"{statistics.median(b - a for a, b in spans) * 1000:.0f} {flight:.2f}")
PY
}

clear_side() { # PROJECT
  remove_project "$1"
  sync
  sleep 15
}

: >"$BENCH_OUT/rounds.txt"
: >"$BENCH_OUT/engine.txt"
for r in $(seq 1 "$ROUNDS"); do
  fp=$BASE-f$r bp=$BASE-b$r
  PROJECTS+=("$fp" "$bp")
  if ((r % 2)); then
    log "round $r: floor, then Berth"
    floor "$fp"; f=$SECONDS_TAKEN; clear_side "$fp"
    berth "$bp"; b=$SECONDS_TAKEN; clear_side "$bp"
  else
    log "round $r: Berth, then floor"
    berth "$bp"; b=$SECONDS_TAKEN; clear_side "$bp"
    floor "$fp"; f=$SECONDS_TAKEN; clear_side "$fp"
  fi
  log "round $r: floor ${f} s, Berth ${b} s (CPU meanwhile: docker clients ${FLOOR_CPU} s, Berth ${BERTH_CPU} s)"
  echo "$f $b $BERTH_CPU $FLOOR_CPU" >>"$BENCH_OUT/rounds.txt"
done

{
  echo "| figure ($N one-replica services, $ROUNDS rounds) | median | min | max |"
  echo "|---|---|---|---|"
  python3 - "$BENCH_OUT/rounds.txt" "$REPO/bench/lib" "$BENCH_OUT" "$N" "$BENCH_OUT/engine.txt" <<'PY'
import statistics, sys
sys.path.insert(0, sys.argv[2])
import figures
rows = [tuple(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
def line(label, xs, unit):
    print(f"| {label} | {statistics.median(xs):.2f}{unit} | {min(xs):.2f}{unit} | {max(xs):.2f}{unit} |")
line("floor: `docker run -d`, 8 at a time", [r[0] for r in rows], " s")
line("Berth: manifests moved in → all Available", [r[1] for r in rows], " s")
line("Berth / floor (per round)", [r[1] / r[0] for r in rows], " ×")
line("CPU of the floor's docker clients (user + system)", [r[3] for r in rows], " s")
line("CPU of Berth's process meanwhile (user + system)", [r[2] for r in rows], " s")
engine = [l.split() for l in open(sys.argv[5]) if l.strip()]
for side, label in (("-f", "floor"), ("-b", "Berth")):
    es = [tuple(map(float, e[1:])) for e in engine if e[0].rsplit("-", 1)[-1].startswith(side[1])]
    if es:
        line(f"{label}: first create after its t0", [e[0] for e in es], " s")
        line(f"{label}: last start after its t0", [e[1] for e in es], " s")
        line(f"{label}: a container's create → start (median per round)", [e[2] for e in es], " ms")
        line(f"{label}: containers between create and start at once (mean)", [e[3] for e in es], "")
ratios = [r[1] / r[0] for r in rows]
figures.add(sys.argv[3], f"cold converge: {sys.argv[4]} one-replica services until all Available",
            figures.spread([r[1] for r in rows], " s", 1),
            "`docker run -d`, 8 at a time: " + figures.spread([r[0] for r in rows], " s", 1),
            figures.spread(ratios, " ×"), "≤ 1.0 ×", figures.met(statistics.median(ratios), 1.0))
PY
  echo
  echo "$(date -u +%FT%TZ), $(nproc) cores, Docker $(docker version -f '{{.Server.Version}}' 2>/dev/null), $BERTH_JAR"
} | tee "$BENCH_OUT/summary.md"
