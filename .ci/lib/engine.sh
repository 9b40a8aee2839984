# shellcheck shell=bash
# ensure_engine: makes sure a Docker engine answers on this machine.
#
# Idempotent: returns at once when `docker info` answers. Otherwise installs
# Debian's docker.io (engine 20.10) when the client or dockerd is missing and
# starts dockerd in the background, detached from this script, logging to
# $BERTH_DOCKERD_LOG. Never pulls anything.

# shellcheck source=SCRIPTDIR/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

: "${BERTH_DOCKERD_LOG:=/var/log/dockerd.log}"
: "${BERTH_DOCKERD_WAIT_SECONDS:=60}"

_berth_engine_answers() {
  timeout 20 docker info >/dev/null 2>&1
}

ensure_engine() {
  if command -v docker >/dev/null 2>&1 && _berth_engine_answers; then
    berth_ci_log "docker engine answers ($(docker version -f '{{.Server.Version}}' 2>/dev/null || echo '?'))"
    return 0
  fi

  if ! command -v docker >/dev/null 2>&1 || ! command -v dockerd >/dev/null 2>&1; then
    berth_ci_apt_install docker.io containerd runc iptables tini
  fi
  command -v docker >/dev/null 2>&1 || berth_ci_die "docker client still missing after installing docker.io" || return 1
  command -v dockerd >/dev/null 2>&1 || berth_ci_die "dockerd still missing after installing docker.io" || return 1

  local pid="" pidfile=""
  [[ -r /var/run/docker.pid ]] && pid=$(cat /var/run/docker.pid 2>/dev/null || true)
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    berth_ci_log "dockerd (pid $pid) is running but does not answer yet; waiting"
  else
    berth_ci_log "starting dockerd (log: $BERTH_DOCKERD_LOG)"
    mkdir -p "$(dirname "$BERTH_DOCKERD_LOG")" "$BERTH_CI_STATE_DIR"
    pidfile="$BERTH_CI_STATE_DIR/dockerd.pid"
    rm -f "$pidfile"
    # setsid + nohup: the daemon outlives this script and its terminal. The
    # inner shell records the real pid (setsid may fork, so $! may not be it).
    # shellcheck disable=SC2016
    setsid nohup sh -c 'echo $$ >"$1"; exec dockerd' sh "$pidfile" \
      >>"$BERTH_DOCKERD_LOG" 2>&1 </dev/null &
    disown 2>/dev/null || true
  fi

  local deadline=$((SECONDS + BERTH_DOCKERD_WAIT_SECONDS)) reason=""
  until _berth_engine_answers; do
    if [[ -n "$pidfile" ]]; then
      pid=$(cat "$pidfile" 2>/dev/null || true)
      if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
        reason="dockerd exited"
      fi
    fi
    ((SECONDS >= deadline)) && reason="docker engine did not answer within ${BERTH_DOCKERD_WAIT_SECONDS}s"
    if [[ -n "$reason" ]]; then
      berth_ci_log "$reason; last lines of $BERTH_DOCKERD_LOG:"
      tail -n 40 "$BERTH_DOCKERD_LOG" 2>/dev/null | sed 's/^/[berth-ci]   | /' >&2 || true
      berth_ci_die "docker engine is not available"
      return 1
    fi
    sleep 1
  done
  berth_ci_log "docker engine is up ($(docker version -f '{{.Server.Version}}' 2>/dev/null || echo '?'))"
}
