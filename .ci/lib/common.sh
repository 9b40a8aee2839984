# shellcheck shell=bash
# Helpers shared by the .ci/lib/*.sh libraries: progress lines, apt installs,
# quiet command runs and the Java 17 toolchain. Source it; it defines functions
# only and is safe to source more than once.

if [[ -n "${BERTH_CI_COMMON_LOADED:-}" ]]; then
  return 0
fi
BERTH_CI_COMMON_LOADED=1

# Where the CI keeps registries, image build dirs and logs between runs.
: "${BERTH_CI_STATE_DIR:=/var/tmp/berth-ci}"

berth_ci_log() {
  printf '[berth-ci] %s\n' "$*" >&2
}

berth_ci_die() {
  printf '[berth-ci] ERROR: %s\n' "$*" >&2
  return 1
}

# Runs a command with its output kept in a file; prints that output only when
# the command fails, and returns the command's status.
berth_ci_quiet() {
  local out status=0
  mkdir -p "$BERTH_CI_STATE_DIR"
  out=$(mktemp "$BERTH_CI_STATE_DIR/cmd.XXXXXX")
  "$@" >"$out" 2>&1 || status=$?
  if ((status != 0)); then
    printf '[berth-ci] command failed (exit %d): %s\n' "$status" "$*" >&2
    sed 's/^/[berth-ci]   | /' "$out" >&2
  fi
  rm -f "$out"
  return "$status"
}

# Installs the Debian packages that are not installed yet (apt-get update once
# per shell, only when something has to be installed).
berth_ci_apt_install() {
  local missing=() pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q '^install ok installed$'; then
      missing+=("$pkg")
    fi
  done
  ((${#missing[@]} == 0)) && return 0
  if [[ $(id -u) -ne 0 ]]; then
    berth_ci_die "need root to install: ${missing[*]}"
    return 1
  fi
  berth_ci_log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  local attempt
  for attempt in 1 2 3; do
    if [[ -z "${BERTH_CI_APT_UPDATED:-}" ]] && berth_ci_quiet apt-get update -q; then
      BERTH_CI_APT_UPDATED=1
    fi
    if berth_ci_quiet apt-get install -y -q --no-install-recommends "${missing[@]}"; then
      return 0
    fi
    if ((attempt < 3)); then
      berth_ci_log "apt-get failed (attempt $attempt of 3); retrying in 5s"
      BERTH_CI_APT_UPDATED=
      sleep 5
    fi
  done
  berth_ci_die "could not install ${missing[*]}"
}

# Makes a Java 17+ JDK (javac) available; installs openjdk-17-jdk-headless when
# the javac on PATH is missing or older, and then points JAVA_HOME/PATH at it.
ensure_java17() {
  local major=0 home
  if command -v javac >/dev/null 2>&1; then
    major=$(javac -version 2>&1 | sed -n 's/^javac \([0-9][0-9]*\).*/\1/p' | head -n1)
    major=${major:-0}
  fi
  if ((major >= 17)); then
    return 0
  fi
  berth_ci_log "no Java 17 JDK on PATH (javac major version: ${major}); installing openjdk-17-jdk-headless"
  berth_ci_apt_install openjdk-17-jdk-headless ca-certificates-java
  for home in /usr/lib/jvm/java-17-openjdk-*; do
    if [[ -x "$home/bin/javac" ]]; then
      export JAVA_HOME="$home"
      export PATH="$home/bin:$PATH"
      berth_ci_log "using JDK at $home"
      return 0
    fi
  done
  berth_ci_die "openjdk-17-jdk-headless installed but no javac found under /usr/lib/jvm"
}
