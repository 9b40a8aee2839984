#!/usr/bin/env bash
# Swarm backend beside one engine (issue 12): deploy latency and repair time of Berth driving the
# 3-node test swarm (BERTH_BACKEND=swarm) beside the same figures of Berth on one Docker engine
# (BERTH_BACKEND=engine), in one run.
#
#   sudo bench/swarm-deploy.sh [ROUNDS]        (default 5)
#
# Two Berth daemons run side by side from the same jar (temp manifests/state/secrets dirs, free
# 127.0.0.1 API ports, the daemons' defaults otherwise, resync every 30 s included), one project
# bench-swdp-<random>:
# - one engine: the engine of DOCKER_HOST (default /var/run/docker.sock);
# - the swarm: berth-sw1 of .ci/lib/swarm.sh's 3-node swarm (three dockerds on this machine,
#   all managers; `.ci/swarm up` builds it when it is not up, and then this script
#   takes it down again at the end).
# Both read the same manifest, byte for byte: app, 3 replicas of localhost:5000/berth-test/app
# (the registry reaches every node; each node pulls by digest once, then has the image; the
# CI's registries are started and the test images pushed when they are missing), init,
# stopGracePeriod 2s, the HTTP check GET /cgi-bin/healthz on 8080 (interval 1s, timeout 1s,
# 3 retries; on Swarm the container's own HEALTHCHECK, run by wget), no ports,
# update {order: start-first, maxSurge: 1, maxUnavailable: 0, monitorSeconds: 1, drainSeconds: 0},
# restartBackoff {initial: 500ms, reset: 10s}. So:
# - monitorSeconds 1 (Berth's default 30; BENCH_MONITOR): Berth on one engine calls the rollout
#   complete when the last new replica is ready and keeps the window on top, but Swarm ends its
#   update (UpdateStatus completed, and Berth's phase Available) only after Monitor has passed;
#   with the default the swarm figure would be 30 s of waiting and little else;
# - drainSeconds 0 (default 10; BENCH_DRAIN): nothing to drain without ports, Swarm has no drain;
# - restartBackoff: Swarm waits RestartPolicy.Delay = initial (500 ms) before each replacement
#   task; Berth on one engine restarts the first crash at once, waits 500 ms before a second one
#   (reset 10s: a replica that ran 10 s starts afresh; each round kills another replica).
#
# Each round, both sides one after the other (the order alternating between rounds):
# 1. deploy: the manifest's image tag changes (v1 → v2 in odd rounds, v2 → v1 in even ones:
#    each round a new revision); timed from the write of the file until GET
#    /api/v1/services/app shows phase Available at a revision other than the last, that image,
#    running = ready = updated = 3 (polled every 100 ms);
# 2. repair: one running replica's main process gets SIGKILL from the host (kill -9 of the
#    container's pid: the swarm's dockerds share the host's pid namespace; on the swarm the
#    node is the one status names in containers[].node, its pid from that node's dockerd);
#    timed until status shows phase Available, running = ready = 3 and the killed container no
#    longer running as it was (polled every 100 ms).
# Also recorded, not figures: when all 3 replicas of the new revision run (before Swarm's update
# ends), when status first shows the kill, and when Swarm's own tasks (the manager's /tasks) are
# 3 running again, so Berth's delay in seeing the swarm is told apart from Swarm's repair.
# Figures: Berth on the swarm / Berth on one engine per round, median (min–max); no target.
# Results: summary.md (printed), deploy/rounds.txt, repair/rounds.txt ("swarm engine" seconds
# per round), details.tsv and the daemons' logs in the output directory.
#
# Environment:
#   BENCH_OUT      output directory (default /var/tmp/berth-bench/swarm-deploy-<UTC time>)
#   BERTH_JAR      Berth's jar (default target/quarkus-app/quarkus-run.jar; built when missing)
#   BENCH_MONITOR  the manifest's update.monitorSeconds (default 1)
#   BENCH_DRAIN    the manifest's update.drainSeconds (default 0)
#
# Everything it creates is removed on exit, also on Ctrl-C; it touches no container or Swarm
# service but its own project's.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/common.sh
source "$REPO/bench/lib/common.sh"

ROUNDS=${1:-5}
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "usage: $0 [ROUNDS]"
[[ $(id -u) -eq 0 ]] || die "run as root (sudo $0 $*): it runs the test swarm and kills containers' processes"
MONITOR=${BENCH_MONITOR:-1}
DRAIN=${BENCH_DRAIN:-0}
[[ "$MONITOR$DRAIN" =~ ^[0-9]+$ ]] || die "BENCH_MONITOR and BENCH_DRAIN are whole seconds"
BENCH_OUT=${BENCH_OUT:-/var/tmp/berth-bench/swarm-deploy-$(date -u +%Y%m%dT%H%M%SZ)}
REGISTRY=localhost:5000
IMAGE=$REGISTRY/berth-test/app
find_python
require_tools " (apt-get install curl python3)" curl java
ensure_jar
for tag in v1 v2; do
  if ! curl -sf -o /dev/null "http://$REGISTRY/v2/berth-test/app/manifests/$tag" \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json'; then
    log "$IMAGE:$tag is missing: starting the CI's registries and pushing the test images"
    # shellcheck source=../.ci/lib/registry.sh disable=SC1091
    (source "$REPO/.ci/lib/registry.sh" && source "$REPO/.ci/lib/images.sh" && ensure_registries && build_test_images) ||
      die "could not push the test images to $REGISTRY (see .ci/lib/images.sh)"
    break
  fi
done
make_out_dir
mkdir -p "$BENCH_OUT/deploy" "$BENCH_OUT/repair"
PROJECT=bench-swdp-$(random_hex 3)
read -r ENGINE_PORT SWARM_PORT < <(free_ports 2)
ENGINE_PID=
SWARM_PID=
STARTED_SWARM=

# The swarm: found, or built (and then removed at the end).
SWARM_RUN_DIR=/run/berth-swarm
MANAGER=unix://$SWARM_RUN_DIR/berth-sw1/docker.sock
if ! timeout 5 docker -H "$MANAGER" info >/dev/null 2>&1; then
  STARTED_SWARM=yes
fi
log "the 3-node swarm: $([[ -n "$STARTED_SWARM" ]] && echo building it || echo checking it)"
SWARM_ENV=$("$REPO/.ci/swarm" up) || die "the test swarm did not come up (.ci/swarm up)"
eval "$SWARM_ENV"
SWARM_HOST=$BERTH_TEST_SWARM_HOST
WORK=$(mktemp -d)
sw() { docker -H "$SWARM_HOST" "$@"; }

cleanup() {
  stop_pid "$ENGINE_PID" TERM
  stop_pid "$SWARM_PID" TERM
  remove_project "$PROJECT"
  sw service ls -q --filter "label=dev.berth.project=$PROJECT" | xargs -r docker -H "$SWARM_HOST" service rm >/dev/null
  local nets
  for _ in $(seq 60); do # a network in use by a task that is still stopping is refused
    nets=$(sw network ls -q --filter "label=dev.berth.project=$PROJECT")
    [[ -z "$nets" ]] && break
    # shellcheck disable=SC2086 # one id per word
    sw network rm $nets >/dev/null 2>&1 || sleep 1
  done
  [[ -n "$nets" ]] && log "swarm networks of $PROJECT left: $nets"
  [[ -n "$STARTED_SWARM" ]] && "$REPO/.ci/swarm" down
}
on_exit cleanup

# The poller: one process per measurement, polling every 100 ms.
cat >"$WORK/poll.py" <<'EOF'
import http.client, json, os, signal, socket, sys, time, urllib.parse, urllib.request

POLL = 0.1


def status(api):
    with urllib.request.urlopen(f"{api}/api/v1/services/app", timeout=2) as r:
        return json.load(r)


class Unix(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("engine", timeout=2)
        self.path_ = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(2)
        self.sock.connect(self.path_)


def swarm_tasks(sock, service):
    """Container ids of the service's tasks that Swarm has running (the manager's own view)."""
    c = Unix(sock)
    try:
        f = json.dumps({"service": [service], "desired-state": ["running"]})
        c.request("GET", "/tasks?filters=" + urllib.parse.quote(f))
        tasks = json.load(c.getresponse())
    finally:
        c.close()
    return [t.get("Status", {}).get("ContainerStatus", {}).get("ContainerID", "")
            for t in tasks if t.get("Status", {}).get("State") == "running"]


def whole(s):
    r = s.get("replicas", {})
    n = r.get("desired")
    return s.get("phase") == "Available" and r.get("running") == n and r.get("ready") == n


def as_before(s, cid, started):
    """The killed container is listed running, started when it was killed: status has not seen the kill."""
    return any(c.get("id") and cid.startswith(c["id"]) and c.get("state") == "running"
               and c.get("startedAt") == started for c in s.get("containers") or [])


def until(timeout, step):
    """Calls step() every POLL seconds until it returns a value; the last error on time-out."""
    deadline, last = time.time() + timeout, None
    while time.time() < deadline:
        try:
            out = step()
            if out is not None:
                return out
        except Exception as e:  # noqa: BLE001 (a daemon busy or restarting: look again)
            last = f"{type(e).__name__}: {e}"
        time.sleep(POLL)
    raise SystemExit(f"timed out after {timeout} s; last: {last or LAST[0]}")


LAST = [None]


def deploy(api, image, old, timeout):
    """Prints "t_updated t_available revision": all replicas of the new revision running; Available."""
    seen = [None]

    def step():
        s = status(api)
        LAST[0] = f"phase={s.get('phase')} revision={s.get('revision')} replicas={s.get('replicas')} message={s.get('message')}"
        r = s["replicas"]
        new = s.get("revision") != int(old) and s.get("image") == image
        if new and seen[0] is None and r["updated"] >= r["desired"]:
            seen[0] = time.time()
        if new and whole(s) and r["updated"] == r["desired"] and all(
                c.get("revision") == s["revision"] for c in s.get("containers") or [] if c.get("state") == "running"):
            t = time.time()
            return f"{seen[0] or t:.3f} {t:.3f} {s['revision']}"
        return None

    print(until(float(timeout), step))


def pick(api, ordinal):
    """Prints "id node startedAt" of a running replica (the one of that ordinal if it runs)."""
    cs = [c for c in status(api).get("containers") or [] if c.get("state") == "running" and c.get("id")]
    cs.sort(key=lambda c: (c.get("ordinal") != int(ordinal), c.get("ordinal")))
    c = cs[0]
    print(c["id"], c.get("node") or "-", c.get("startedAt") or "-")


def repair(api, pid, cid, started, timeout, sock=None, service=None):
    """SIGKILLs pid; prints "t_kill t_seen t_status t_swarm" (t_swarm "-" without a swarm)."""
    t = {"seen": None, "swarm": None}
    t0 = time.time()
    os.kill(int(pid), signal.SIGKILL)

    def step():
        now = time.time()
        if sock and t["swarm"] is None:
            ids = swarm_tasks(sock, service)
            if len(ids) >= 3 and not any(i.startswith(cid) for i in ids):
                t["swarm"] = now
        s = status(api)
        LAST[0] = f"phase={s.get('phase')} replicas={s.get('replicas')} message={s.get('message')}"
        gone = not as_before(s, cid, started)
        if t["seen"] is None and (gone or s["replicas"]["running"] < s["replicas"]["desired"]):
            t["seen"] = now
        if gone and whole(s) and (not sock or t["swarm"] is not None):
            sw = f"{t['swarm']:.3f}" if sock else "-"
            return f"{t0:.3f} {t['seen']:.3f} {now:.3f} {sw}"
        return None

    print(until(float(timeout), step))


if __name__ == "__main__":
    {"deploy": deploy, "pick": pick, "repair": repair}[sys.argv[1]](*sys.argv[2:])
EOF
poll() { "$PYTHON" "$WORK/poll.py" "$@"; }

# write_manifest SIDE TAG: the manifest both sides read (written whole, then moved into place).
write_manifest() {
  cat >"$WORK/$1/.app.yaml.tmp" <<EOF
apiVersion: berth.dev/v1
kind: Service
metadata: {name: app}
spec:
  image: $IMAGE:$2
  replicas: 3
  init: true
  stopGracePeriod: 2s
  healthcheck: {http: {path: /cgi-bin/healthz, port: 8080}, interval: 1s, timeout: 1s, retries: 3}
  update: {order: start-first, maxSurge: 1, maxUnavailable: 0, monitorSeconds: $MONITOR, drainSeconds: $DRAIN}
  restartBackoff: {initial: 500ms, reset: 10s}
EOF
  mv -f "$WORK/$1/.app.yaml.tmp" "$WORK/$1/manifests/app.yaml"
}

# start_berth SIDE PORT [VAR=VALUE...]: a daemon of its own on SIDE's directories, in the
# background ($! is its pid).
start_berth() {
  local side=$1 port=$2
  shift 2
  mkdir -p "$WORK/$side/manifests" "$WORK/$side/state" "$WORK/$side/secrets"
  write_manifest "$side" v1
  (
    # shellcheck disable=SC2163 # the arguments are VAR=VALUE words
    export "$@" BERTH_MANIFESTS_DIR="$WORK/$side/manifests" BERTH_STATE_DIR="$WORK/$side/state" \
      BERTH_SECRETS_DIR="$WORK/$side/secrets" BERTH_PROJECT="$PROJECT" BERTH_PUBLISH_ADDRESS=127.0.0.1 \
      BERTH_API_TOKEN=bench BERTH_API_OPEN_READS=true QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$port"
    exec_berth "$BERTH_JAR"
  ) >"$BENCH_OUT/daemon-$side.log" 2>&1 &
}
api() { [[ $1 == engine ]] && echo "http://127.0.0.1:$ENGINE_PORT" || echo "http://127.0.0.1:$SWARM_PORT"; }

start_berth engine "$ENGINE_PORT" BERTH_BACKEND=engine
ENGINE_PID=$!
start_berth swarm "$SWARM_PORT" BERTH_BACKEND=swarm DOCKER_HOST="$SWARM_HOST"
SWARM_PID=$!
declare -A REVISION D R
for side in engine swarm; do
  out=$(poll deploy "$(api "$side")" "$IMAGE:v1" -1 240) ||
    die "Berth on the $side: app did not become Available (see $BENCH_OUT/daemon-$side.log)"
  REVISION[$side]=${out##* }
  log "Berth on the $side: app Available at revision ${REVISION[$side]}"
done

# deploy SIDE TAG: sets D[SIDE] to "A U": the seconds from the manifest write until Available
# (A) and until all replicas of the new revision ran (U).
deploy() {
  local t0 out t_upd t_av rev
  t0=$(now)
  write_manifest "$1" "$2"
  out=$(poll deploy "$(api "$1")" "$IMAGE:$2" "${REVISION[$1]}" 180) ||
    die "Berth on the $1: $2 not Available within 180 s"
  read -r t_upd t_av rev <<<"$out"
  REVISION[$1]=$rev
  D[$1]=$("$PYTHON" -c "print(f'{$t_av - $t0:.3f} {$t_upd - $t0:.3f}')")
}

# repair SIDE ORDINAL: SIGKILL to a running replica's main process (that ordinal's if it runs);
# sets R[SIDE] to "W S T NODE": the seconds from the kill until status is whole again (W), until
# status showed the kill (S), until Swarm's own tasks were whole again (T, "-" on one engine), and
# the node the replica ran on ("-" on one engine).
repair() {
  local id node started pid out extra=() t0 t_seen t_status t_swarm
  read -r id node started < <(poll pick "$(api "$1")" "$2") || die "Berth on the $1: no running replica"
  if [[ $1 == engine ]]; then
    pid=$(docker inspect -f '{{.State.Pid}}' "$id")
  else
    pid=$(docker -H "unix://$SWARM_RUN_DIR/$node/docker.sock" inspect -f '{{.State.Pid}}' "$id")
    extra=("${SWARM_HOST#unix://}" "${PROJECT}_app")
  fi
  [[ "$pid" =~ ^[1-9][0-9]*$ ]] || die "Berth on the $1: no pid for container $id (node $node)"
  out=$(poll repair "$(api "$1")" "$pid" "$id" "$started" 180 "${extra[@]}") ||
    die "Berth on the $1: status not whole within 180 s of the kill"
  read -r t0 t_seen t_status t_swarm <<<"$out"
  R[$1]=$("$PYTHON" -c "
t0, sw = $t0, '$t_swarm'
print(f'{$t_status - t0:.3f} {$t_seen - t0:.3f} ' + (f'{float(sw) - t0:.3f}' if sw != '-' else '-') + ' $node')")
}

: >"$BENCH_OUT/deploy/rounds.txt"
: >"$BENCH_OUT/repair/rounds.txt"
printf 'round\tside\tmeasure\tseconds\tnode\n' >"$BENCH_OUT/details.tsv"
for r in $(seq 1 "$ROUNDS"); do
  tag=v2
  ((r % 2)) || tag=v1
  sides=(engine swarm)
  ((r % 2)) || sides=(swarm engine)
  for side in "${sides[@]}"; do
    deploy "$side" "$tag"
    sleep 2
  done
  for side in "${sides[@]}"; do
    repair "$side" $(((r - 1) % 3 + 1))
    sleep 2
  done
  for side in engine swarm; do
    read -r av upd <<<"${D[$side]}"
    read -r whole seen swarm node <<<"${R[$side]}"
    printf '%s\t%s\t%s\t%s\t%s\n' "$r" "$side" "deploy → Available" "$av" - "$r" "$side" "deploy → all updated" "$upd" - \
      "$r" "$side" "kill → status whole" "$whole" "$node" "$r" "$side" "kill → status saw it" "$seen" "$node" \
      "$r" "$side" "kill → Swarm's tasks whole" "$swarm" "$node" >>"$BENCH_OUT/details.tsv"
  done
  echo "${D[swarm]%% *} ${D[engine]%% *}" >>"$BENCH_OUT/deploy/rounds.txt"
  echo "${R[swarm]%% *} ${R[engine]%% *}" >>"$BENCH_OUT/repair/rounds.txt"
  log "round $r ($tag): deploy swarm ${D[swarm]%% *} s, engine ${D[engine]%% *} s;" \
    "repair swarm ${R[swarm]%% *} s (node ${R[swarm]##* }), engine ${R[engine]%% *} s"
done

SETTING="3 replicas, start-first, maxSurge 1, monitorSeconds $MONITOR"
{
  "$PYTHON" "$REPO/bench/lib/figures.py" pairs "$BENCH_OUT/deploy" "deploy ($SETTING)" \
    "Berth on the 3-node swarm: manifest write → Available" "Berth on one engine: the same" \
    "swarm deploy (3 nodes) vs one engine: image change → Available ($SETTING)" "Berth on one engine" "" 1e9
  echo
  "$PYTHON" "$REPO/bench/lib/figures.py" pairs "$BENCH_OUT/repair" "repair (a replica's process killed, 3 replicas)" \
    "Berth on the 3-node swarm: SIGKILL → status whole again" "Berth on one engine: the same" \
    "swarm repair vs one engine: a replica's process killed → status shows 3 running and ready" \
    "Berth on one engine" "" 1e9
  echo
  # Not figures: what lies under them.
  "$PYTHON" - "$BENCH_OUT/details.tsv" <<'EOF'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
def spread(side, measure):
    vs = [float(r["seconds"]) for r in rows if r["side"] == side and r["measure"] == measure and r["seconds"] != "-"]
    if not vs:
        return "–"
    return f"{statistics.median(vs):.2f} s ({min(vs):.2f}–{max(vs):.2f})" if len(vs) > 1 else f"{vs[0]:.2f} s"
print("| under the figures, median (min–max) | Berth on the swarm | Berth on one engine |")
print("|---|---|---|")
for m in ["deploy → all updated", "deploy → Available", "kill → Swarm's tasks whole", "kill → status saw it",
          "kill → status whole"]:
    print(f"| {m} | {spread('swarm', m)} | {spread('engine', m)} |")
nodes = [r["node"] for r in rows if r["side"] == "swarm" and r["measure"] == "kill → status whole"]
print(f"\nKilled replicas' nodes on the swarm: {', '.join(nodes)}.")
EOF
} >"$BENCH_OUT/summary.md"
# One row per figure for bench/run-all, without target or verdict (pairs' own are for a limit).
for f in deploy repair; do
  cut -f1-4 "$BENCH_OUT/$f/figures.tsv" | sed 's/$/\t\t/' >>"$BENCH_OUT/figures.tsv"
done
cat "$BENCH_OUT/summary.md"
