#!/usr/bin/env bash
# Proxy layers: what a bare Vert.x pass-through costs, beside host nginx, so that Berth's proxy
# (bench/proxy-throughput.sh) can be read against the floor its stack sets on this machine.
#
#   sudo bench/proxy-layers.sh [ROUNDS]
#
# One origin container (berth-bench/nginx:local, reached at its bridge address) and, in turn:
# host nginx (as bench/proxy-throughput.sh configures it), bench/lib/PassThrough.java through
# vertx-http-proxy ("library") and as a plain pass-through ("plain"), each of the latter on NIO
# and on Netty's epoll transport, with the Vert.x and Netty jars of Berth's build. Per system and
# round: a BENCH_WARMUP s warm-up, then wrk -t2 -c32 for BENCH_DURATION s and the CPU time of the
# proxy's processes meanwhile. Prints one line per system and round, and the medians; load goes to
# 127.0.0.1 only.
#
# Environment: BENCH_DURATION (default 10), BENCH_WARMUP (default 20), BENCH_OUT (output
# directory). Needs: java 17, docker, wrk, nginx, python3, a built Berth (target/quarkus-app).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/common.sh
source "$REPO/bench/lib/common.sh"
# shellcheck source=lib/nginx-image.sh
source "$REPO/bench/lib/nginx-image.sh"

ROUNDS=${1:-2}
BENCH_DURATION=${BENCH_DURATION:-10}
BENCH_WARMUP=${BENCH_WARMUP:-20}
BENCH_OUT=${BENCH_OUT:-/var/tmp/berth-bench/layers-$(date -u +%Y%m%dT%H%M%SZ)}
IMAGE=berth-bench/nginx:local
NAME=bench-layers-$RANDOM

require_tools " (apt-get install wrk nginx-light python3)" wrk nginx python3 java
find_python
ensure_jar
ensure_nginx_image "$IMAGE"
make_out_dir
WORK=$(mktemp -d)
read -r PORT NGINX_PORT < <(free_ports 2)
PID=

cleanup() {
  stop_pid "$PID" TERM
  [[ -f "$WORK/nginx.pid" ]] && stop_pid "$(cat "$WORK/nginx.pid")" TERM
  docker rm -f "$NAME" >/dev/null 2>&1 || true
}
on_exit cleanup

docker run -d --name "$NAME" --label dev.berth.bench=layers "$IMAGE" >/dev/null
ORIGIN=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$NAME")
for _ in $(seq 1 50); do curl -sf "http://$ORIGIN:8080/" >/dev/null && break; sleep 0.2; done

mkdir -p "$WORK/t"
cat >"$WORK/nginx.conf" <<CONF
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/t; proxy_temp_path $WORK/t; fastcgi_temp_path $WORK/t; uwsgi_temp_path $WORK/t; scgi_temp_path $WORK/t;
  keepalive_requests 1000000;
  upstream web { server $ORIGIN:8080; keepalive 64; keepalive_requests 1000000; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / { proxy_pass http://web; proxy_http_version 1.1; proxy_set_header Connection "";
                 proxy_set_header Host \$host; proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for; }
  }
}
CONF
nginx -p "$WORK" -c "$WORK/nginx.conf" -e "$WORK/error.log"

CP=$(find "$(dirname "$BERTH_JAR")/lib/main" -name '*.jar' | tr '\n' ':')
measure() { # SYSTEM PORT PIDS...
  local system=$1 port=$2 c0 c1 out
  shift 2
  wrk -t2 -c32 -d"${BENCH_WARMUP}s" "http://127.0.0.1:$port/" >/dev/null
  c0=$(cpu_ticks "$@")
  out=$BENCH_OUT/wrk-$round-$system.txt
  wrk -t2 -c32 -d"${BENCH_DURATION}s" --latency "http://127.0.0.1:$port/" >"$out"
  c1=$(cpu_ticks "$@")
  "$PYTHON" - "$round" "$system" "$c0" "$c1" "$(getconf CLK_TCK)" "$out" >>"$BENCH_OUT/layers.csv" <<'PY'
import re, sys
text = open(sys.argv[6]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
n = int(re.search(r"(\d+) requests in", text).group(1))
p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", text)
p99ms = float(p99.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
cpu = (int(sys.argv[4]) - int(sys.argv[3])) / int(sys.argv[5]) * 1000 / n * 1000
print(f"{sys.argv[1]},{sys.argv[2]},{rps:.0f},{p99ms:.2f},{cpu:.1f}")
PY
  log "round $round $system: $(tail -1 "$BENCH_OUT/layers.csv")"
}

echo "round,system,rps,p99_ms,cpu_ms_per_1000" >"$BENCH_OUT/layers.csv"
for round in $(seq 1 "$ROUNDS"); do
  measure nginx "$NGINX_PORT" "$(cat "$WORK/nginx.pid")" $(pgrep -P "$(cat "$WORK/nginx.pid")")
  for mode in library plain; do
    for transport in nio epoll; do
      java -XX:+UseSerialGC -Xmx256m -cp "$CP" "$REPO/bench/lib/PassThrough.java" "$mode" "$ORIGIN" 8080 "$PORT" "$transport" \
        >"$BENCH_OUT/passthrough-$mode-$transport.log" 2>&1 &
      PID=$!
      for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/" >/dev/null && break; sleep 0.1; done
      measure "vertx-$mode-$transport" "$PORT" "$PID"
      stop_pid "$PID" TERM
      PID=
    done
  done
done

"$PYTHON" - "$BENCH_OUT/layers.csv" <<'PY' | tee "$BENCH_OUT/summary.md"
import csv, statistics as st, sys
rows = list(csv.DictReader(open(sys.argv[1])))
systems = list(dict.fromkeys(r["system"] for r in rows))
ng = st.median(float(r["rps"]) for r in rows if r["system"] == "nginx")
print("| system | requests/s, median | × nginx | p99 ms | CPU ms / 1000 requests |")
print("|---|---|---|---|---|")
for s in systems:
    rs = [r for r in rows if r["system"] == s]
    rps = st.median(float(r["rps"]) for r in rs)
    print(f"| {s} | {rps:.0f} | {rps / ng:.2f} | {st.median(float(r['p99_ms']) for r in rs):.2f} | "
          f"{st.median(float(r['cpu_ms_per_1000']) for r in rs):.1f} |")
PY
log "output: $BENCH_OUT"
