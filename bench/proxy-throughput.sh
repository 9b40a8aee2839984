#!/usr/bin/env bash
# Proxy throughput benchmark: Berth's proxy beside nginx and HAProxy on this host, all three
# in front of the same origin container, and the origin alone as the floor.
#
#   sudo bench/proxy-throughput.sh [ROUNDS]        (default 3)
#
# It starts its own Berth (temp manifests/state/secrets dirs, free 127.0.0.1 ports, project
# bench-px-<random>) with one service, web: 1 replica of berth-bench/nginx:local (this
# machine's nginx binary in an imported rootfs: one worker, "ok\n" to every GET, keep-alive),
# behind Berth's proxy on a free 127.0.0.1 port. nginx (upstream keep-alive 64, HTTP/1.1 to
# the origin, X-Forwarded-For, access log off, worker_processes auto) and HAProxy (mode http,
# http-reuse always, option forwardfor, nbthread 2) run on the host and proxy to the same
# replica the way Berth's proxy reaches it: at the address the daemon logs ("proxy reaches
# replicas at their addresses on bridge networks": the container's address, port 8080; with
# BERTH_PROXY_UPSTREAM=loopback in the environment, its port published on 127.0.0.1, through
# the engine's docker-proxy). nginx-loopback is the same nginx to the published port, as a
# Compose user's nginx in front of `ports:` is. The floor is wrk straight at the published port
# (load goes to 127.0.0.1 only), so it passes docker-proxy.
#
# Each round, in an order rotated per round: for floor, berth, nginx, haproxy and
# nginx-loopback a warm-up
# (wrk for BENCH_WARMUP s) and then wrk -t2 -c$BENCH_CONNECTIONS -d$BENCH_DURATION s --latency
# on GET /, with the CPU time the proxy process used meanwhile (/proc/PID/stat; nginx: master
# and workers). Reported: requests/s, p50 and p99 latency, CPU ms per 1000 requests, errors
# (non-2xx, socket errors), and the ratios Berth/nginx and Berth/HAProxy per round, with
# median, min and max over the rounds. Traffic goes to 127.0.0.1 only. Results: summary.md
# (printed) and runs.csv in the output directory. See docs/benchmarks.md.
#
# Environment:
#   BENCH_DURATION     seconds of each measured wrk run (default 15)
#   BENCH_WARMUP       seconds of each warm-up run (default 20: Berth's JIT compiler is still
#                      busy after 5 s of load, and its throughput with it)
#   BENCH_CONNECTIONS  wrk connections (default 32; 2 threads)
#   BENCH_OUT          output directory (default /var/tmp/berth-bench/proxy-<UTC time>)
#   BERTH_JAR          Berth's jar (default target/quarkus-app/quarkus-run.jar; built when missing)
#   BENCH_JAVA_OPTS    extra JVM options for Berth
#
# Needs: java 17, docker, wrk, nginx, haproxy, curl, python3 (apt-get install wrk nginx-light
# haproxy curl python3).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/common.sh
source "$REPO/bench/lib/common.sh"
# shellcheck source=lib/nginx-image.sh
source "$REPO/bench/lib/nginx-image.sh"

ROUNDS=${1:-3}
BENCH_DURATION=${BENCH_DURATION:-15}
BENCH_WARMUP=${BENCH_WARMUP:-20}
BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-32}
BENCH_OUT=${BENCH_OUT:-/var/tmp/berth-bench/proxy-$(date -u +%Y%m%dT%H%M%SZ)}
IMAGE=berth-bench/nginx:local
PROJECT=bench-px-$RANDOM

require_tools " (apt-get install wrk nginx-light haproxy curl python3)" wrk nginx haproxy curl python3 java
find_python
ensure_jar
ensure_nginx_image "$IMAGE"
make_out_dir
WORK=$(mktemp -d)
read -r API BERTH_PORT NGINX_PORT HAPROXY_PORT NGINX_LO_PORT < <(free_ports 5)
PID=
HAPROXY_PID=

cleanup() {
  stop_pid "$HAPROXY_PID" TERM
  [[ -f "$WORK/nginx/nginx.pid" ]] && stop_pid "$(cat "$WORK/nginx/nginx.pid")" TERM
  stop_pid "$PID" TERM
  remove_project "$PROJECT"
}
on_exit cleanup

mkdir -p "$WORK/manifests" "$WORK/state" "$WORK/secrets" "$WORK/nginx"
cat >"$WORK/manifests/web.yaml" <<EOF
apiVersion: berth.dev/v1
kind: Service
metadata: {name: web}
spec:
  image: $IMAGE
  pullPolicy: never
  replicas: 1
  ports: [{port: $BERTH_PORT, targetPort: 8080}]
  healthcheck: {tcp: {port: 8080}, interval: 5s}
EOF

log "starting Berth (project $PROJECT, proxy on 127.0.0.1:$BERTH_PORT)"
read -r -a opts <<<"${BENCH_JAVA_OPTS:-}"
BERTH_MANIFESTS_DIR=$WORK/manifests BERTH_STATE_DIR=$WORK/state BERTH_SECRETS_DIR=$WORK/secrets \
  BERTH_PROJECT=$PROJECT BERTH_PUBLISH_ADDRESS=127.0.0.1 BERTH_API_TOKEN=bench BERTH_API_OPEN_READS=true \
  QUARKUS_HTTP_PORT=$API exec_berth "$BERTH_JAR" "${opts[@]}" >>"$BENCH_OUT/daemon.log" 2>&1 &
PID=$!
for _ in $(seq 1 600); do
  [[ "$(available "$API")" == 1 ]] && break
  kill -0 "$PID" 2>/dev/null || die "Berth exited; see $BENCH_OUT/daemon.log"
  sleep 0.2
done
[[ "$(available "$API")" == 1 ]] || die "web is not Available after 120 s; see $BENCH_OUT/daemon.log"
replica=$(docker ps -q --filter "label=dev.berth.project=$PROJECT" --filter label=dev.berth.service=web | head -1)
ORIGIN=$(docker port "$replica" 8080/tcp | grep -m1 -o '127.0.0.1:[0-9]*' | cut -d: -f2)
[[ -n "$ORIGIN" ]] || die "the replica publishes no loopback port for 8080"
log "origin: replica ${replica:0:12} on 127.0.0.1:$ORIGIN"
# Where Berth's proxy reaches the replica, so that the peers go the same way.
if grep -q "proxy reaches replicas at their addresses" "$BENCH_OUT/daemon.log"; then
  UPSTREAM=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' "$replica" | awk '{print $1}'):8080
else
  UPSTREAM=127.0.0.1:$ORIGIN
fi
log "Berth, nginx and HAProxy reach the origin at $UPSTREAM"

nginx_server() { # PORT UPSTREAM: a server that proxies to UPSTREAM as the peers are set up
  cat <<EOF
  server {
    listen 127.0.0.1:$1;
    location / {
      proxy_pass http://$2;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
    }
  }
EOF
}
cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  keepalive_requests 1000000;
  upstream web { server $UPSTREAM; keepalive 64; keepalive_requests 1000000; }
  upstream web_loopback { server 127.0.0.1:$ORIGIN; keepalive 64; keepalive_requests 1000000; }
$(nginx_server "$NGINX_PORT" web)
$(nginx_server "$NGINX_LO_PORT" web_loopback)
}
EOF
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" || die "nginx did not start"
cat >"$WORK/haproxy.cfg" <<EOF
global
  nbthread 2
  maxconn 4096
defaults
  mode http
  timeout connect 1s
  timeout client 60s
  timeout server 60s
  option forwardfor
  http-reuse always
frontend in
  bind 127.0.0.1:$HAPROXY_PORT
  default_backend web
backend web
  server origin $UPSTREAM
EOF
haproxy -f "$WORK/haproxy.cfg" -db >>"$BENCH_OUT/haproxy.log" 2>&1 &
HAPROXY_PID=$!
for port in "$ORIGIN" "$BERTH_PORT" "$NGINX_PORT" "$HAPROXY_PORT" "$NGINX_LO_PORT"; do
  for _ in $(seq 1 50); do
    curl -sf "http://127.0.0.1:$port/" >/dev/null && break
    sleep 0.2
  done
  [[ "$(curl -sf "http://127.0.0.1:$port/")" == ok ]] || die "127.0.0.1:$port does not answer ok"
done

port_of() {
  case $1 in
    floor) echo "$ORIGIN" ;; berth) echo "$BERTH_PORT" ;; nginx) echo "$NGINX_PORT" ;; haproxy) echo "$HAPROXY_PORT" ;;
    nginx-loopback) echo "$NGINX_LO_PORT" ;;
  esac
}
pids_of() { # the proxy's processes (the floor has none of its own)
  case $1 in
    floor) ;;
    berth) echo "$PID" ;;
    nginx | nginx-loopback) local m; m=$(cat "$WORK/nginx/nginx.pid"); echo "$m" $(pgrep -P "$m") ;;
    haproxy) echo "$HAPROXY_PID" ;;
  esac
}
TICKS=$(getconf CLK_TCK)

echo "round,system,requests_per_s,p50_ms,p99_ms,cpu_ms_per_1000,errors" >"$BENCH_OUT/runs.csv"
systems=(floor berth nginx haproxy nginx-loopback)
for round in $(seq 1 "$ROUNDS"); do
  shift_by=$(((round - 1) % ${#systems[@]}))
  order=("${systems[@]:$shift_by}" "${systems[@]:0:$shift_by}")
  for system in "${order[@]}"; do
    url="http://127.0.0.1:$(port_of "$system")/"
    wrk -t2 -c"$BENCH_CONNECTIONS" -d"${BENCH_WARMUP}s" "$url" >/dev/null
    read -r -a pids <<<"$(pids_of "$system")"
    c0=$(cpu_ticks "${pids[@]}")
    wrk -t2 -c"$BENCH_CONNECTIONS" -d"${BENCH_DURATION}s" --latency "$url" >"$BENCH_OUT/wrk-$round-$system.txt"
    c1=$(cpu_ticks "${pids[@]}")
    line=$("$PYTHON" - "$BENCH_OUT/wrk-$round-$system.txt" "$round" "$system" "$((c1 - c0))" "$TICKS" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(v):
    n, unit = re.match(r"([\d.]+)(us|ms|s)", v).groups()
    return float(n) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
total = int(re.search(r"(\d+) requests in", text).group(1))
p50 = ms(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1))
p99 = ms(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1))
errors = sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", text))
m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
errors += int(m.group(1)) if m else 0
cpu_ms = int(sys.argv[4]) * 1000.0 / int(sys.argv[5])
per_1000 = cpu_ms / total * 1000 if sys.argv[3] != "floor" else 0
print(f"{sys.argv[2]},{sys.argv[3]},{rps:.0f},{p50:.2f},{p99:.2f},{per_1000:.1f},{errors}")
PY
)
    echo "$line" >>"$BENCH_OUT/runs.csv"
    log "round $round $system: $line"
  done
done

"$PYTHON" - "$BENCH_OUT/runs.csv" "$ROUNDS" "$BENCH_CONNECTIONS" "$BENCH_DURATION" "$REPO/bench/lib" "$BENCH_OUT" \
  >"$BENCH_OUT/summary.md" <<'PY'
import csv, statistics, sys
sys.path.insert(0, sys.argv[5])
import figures
rows = list(csv.DictReader(open(sys.argv[1])))
by = {}
for r in rows:
    by.setdefault(r["system"], []).append(r)
def med(system, key):
    return statistics.median(float(r[key]) for r in by[system])
def spread(vals):
    return f"{statistics.median(vals):.2f} ({min(vals):.2f}–{max(vals):.2f})"
print(f"Proxy throughput, {sys.argv[2]} rounds, wrk -t2 -c{sys.argv[3]} -d{sys.argv[4]}s, GET / (medians over rounds; "
      f"floor: the published port; nginx-loopback: nginx to the published port)\n")
print("| system | requests/s | × floor | p50 ms | p99 ms | CPU ms / 1000 requests | errors |")
print("|---|---|---|---|---|---|---|")
floor = med("floor", "requests_per_s")
for s in ["floor", "berth", "nginx", "haproxy", "nginx-loopback"]:
    cpu = "—" if s == "floor" else f"{med(s, 'cpu_ms_per_1000'):.1f}"
    errors = sum(int(r["errors"]) for r in by[s])
    print(f"| {s} | {med(s, 'requests_per_s'):.0f} | {med(s, 'requests_per_s') / floor:.2f} | "
          f"{med(s, 'p50_ms'):.2f} | {med(s, 'p99_ms'):.2f} | {cpu} | {errors} |")
def ratios(peer, key):
    out = []
    for b, p in zip(by["berth"], by[peer]):
        out.append(float(b[key]) / float(p[key]))
    return out
print()
print("| Berth / peer, per round: median (min–max) | nginx | HAProxy |")
print("|---|---|---|")
print(f"| throughput | {spread(ratios('nginx', 'requests_per_s'))} | {spread(ratios('haproxy', 'requests_per_s'))} |")
print(f"| p99 latency (lower is better) | {spread(ratios('nginx', 'p99_ms'))} | {spread(ratios('haproxy', 'p99_ms'))} |")
print(f"| CPU per request (lower is better) | {spread(ratios('nginx', 'cpu_ms_per_1000'))} | {spread(ratios('haproxy', 'cpu_ms_per_1000'))} |")
print(f"\nBerth / nginx to the published port (nginx-loopback), throughput: {spread(ratios('nginx-loopback', 'requests_per_s'))}")
def vals(system, key):
    return [float(r[key]) for r in by[system]]
load = f"wrk -t2 -c{sys.argv[3]}, after warm-up"
for peer, name, target in (("nginx", "nginx (upstream keep-alive)", 1.0), ("haproxy", "HAProxy", 0.9)):
    rs = ratios(peer, "requests_per_s")
    figures.add(sys.argv[6], f"proxy throughput, {load}", figures.spread(vals("berth", "requests_per_s"), " req/s", 0),
                f"{name}: " + figures.spread(vals(peer, "requests_per_s"), " req/s", 0), figures.spread(rs, " ×"),
                f"≥ {target} ×", figures.met(statistics.median(rs), target, lower_is_better=False))
rs = ratios("nginx", "p99_ms")
figures.add(sys.argv[6], f"proxy p99 latency, {load}", figures.spread(vals("berth", "p99_ms"), " ms"),
            "nginx: " + figures.spread(vals("nginx", "p99_ms"), " ms"), figures.spread(rs, " ×"), "≤ 1.0 ×",
            figures.met(statistics.median(rs), 1.0))
figures.add(sys.argv[6], "proxy CPU per 1000 requests", figures.spread(vals("berth", "cpu_ms_per_1000"), " ms", 1),
            "nginx: " + figures.spread(vals("nginx", "cpu_ms_per_1000"), " ms", 1),
            figures.spread(ratios("nginx", "cpu_ms_per_1000"), " ×"), "reported", "")
PY
cat "$BENCH_OUT/summary.md"
