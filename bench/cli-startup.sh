#!/usr/bin/env bash
# Start-up of the berth command line (docs/cli.md#start-up): wall and CPU time of
# `berth --help` and `berth get services` against a stand-in server (python3's http.server
# serving the three-service answer of docs/api.md), RUNS times each, after one warm-up call
# that makes the AppCDS archive. Needs target/berth (./mvnw -B -ntp package -DskipTests).
# Usage: bench/cli-startup.sh [RUNS]
set -euo pipefail
runs=${1:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
berth=$root/target/berth
[ -x "$berth" ] || { echo "no $berth; build with ./mvnw -B -ntp package -DskipTests" >&2; exit 1; }
stub=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$stub"' EXIT
mkdir -p "$stub/api/v1"
# The first JSON example of docs/api.md is GET /api/v1/services' answer.
awk '/^```json$/ {on=1; next} on && /^```$/ {exit} on' "$root/docs/api.md" > "$stub/api/v1/services"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
(cd "$stub" && exec python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/api/v1/services" >/dev/null && break; sleep 0.1; done
export BERTH_SERVER=http://127.0.0.1:$port BERTH_API_TOKEN=bench
"$berth" get services >/dev/null   # warm-up: makes the AppCDS archive if missing

measure() {
  local label=$1; shift
  local t=$stub/times
  : > "$t"
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %U %S" -a -o "$t" "$@" >/dev/null 2>&1
  done
  sort -n "$t" | awk -v label="$label" '{w[NR]=$1; c[NR]=$2+$3} END {
    printf "%-22s wall median %.2f s (min %.2f, max %.2f), cpu median %.2f s, %d runs\n",
      label, w[int((NR+1)/2)], w[1], w[NR], c[int((NR+1)/2)], NR}'
}
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
measure "java -version" java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -version
measure "berth --help" "$berth" --help
measure "berth get services" "$berth" get services
