#!/usr/bin/env bash
# Runs Berth on the example manifests in deploy/examples, on a fresh Debian 12 /
# Ubuntu machine, as root: starts the Docker engine, builds the local test
# images the examples use (berth-test/app:v1, berth-test/app:v2,
# berth-test/busybox:latest; no registry needed), builds Berth when its jar is
# missing or older than the sources, then runs it in the foreground.
#
# Settings (defaults in brackets; a value already set in the environment wins):
#   BERTH_MANIFESTS_DIR  [deploy/examples]
#   BERTH_STATE_DIR      [/var/tmp/berth-examples/state]
#   BERTH_SECRETS_DIR    [deploy/examples-secrets]
#   JAVA_OPTS            extra JVM options; arguments go to Berth.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LIB="$ROOT/.ci/lib"
# shellcheck source=SCRIPTDIR/../.ci/lib/common.sh
source "$LIB/common.sh"
# shellcheck source=SCRIPTDIR/../.ci/lib/engine.sh
source "$LIB/engine.sh"
# shellcheck source=SCRIPTDIR/../.ci/lib/images.sh
source "$LIB/images.sh"

ensure_engine
BERTH_PUSH_IMAGES=0 build_test_images
ensure_java17

cd "$ROOT"
JAR="$ROOT/target/quarkus-app/quarkus-run.jar"
# When the last build ended (not the jar's mtime: the AppCDS archive records it, and a touched jar
# would turn the archive off).
BUILT="$ROOT/target/quarkus-app/.built"
stale=""
if [[ ! -f "$JAR" ]]; then
  stale="no $JAR yet"
elif [[ ! -f "$BUILT" ]]; then
  stale="no record of when it was built"
else
  newer=$(find pom.xml src .mvn -newer "$BUILT" -type f -print -quit 2>/dev/null || true)
  [[ -n "$newer" ]] && stale="$newer is newer than the build"
fi
if [[ -n "$stale" ]]; then
  berth_ci_log "building Berth ($stale)"
  if [[ -x ./mvnw ]]; then
    ./mvnw -B -ntp package -Dmaven.test.skip=true
  elif [[ -f ./mvnw ]]; then
    sh ./mvnw -B -ntp package -Dmaven.test.skip=true
  else
    berth_ci_apt_install maven
    mvn -B -ntp package -Dmaven.test.skip=true
  fi
  [[ -f "$JAR" ]] || { berth_ci_die "the build did not produce $JAR"; exit 1; }
  touch "$BUILT"
else
  berth_ci_log "Berth is up to date ($JAR)"
fi

export BERTH_MANIFESTS_DIR="${BERTH_MANIFESTS_DIR:-$ROOT/deploy/examples}"
export BERTH_STATE_DIR="${BERTH_STATE_DIR:-/var/tmp/berth-examples/state}"
export BERTH_SECRETS_DIR="${BERTH_SECRETS_DIR:-$ROOT/deploy/examples-secrets}"
# The demo publishes its ports on loopback only; set BERTH_PUBLISH_ADDRESS=0.0.0.0 to publish on every interface.
export BERTH_PUBLISH_ADDRESS="${BERTH_PUBLISH_ADDRESS:-127.0.0.1}"
# The demo lets reads through without the API token (actions still need it: $BERTH_STATE_DIR/api-token).
export BERTH_API_OPEN_READS="${BERTH_API_OPEN_READS:-true}"
mkdir -p "$BERTH_STATE_DIR"

# Absolute: the daemon starts from the jar's directory (below).
BERTH_MANIFESTS_DIR=$(realpath -m "$BERTH_MANIFESTS_DIR")
BERTH_STATE_DIR=$(realpath -m "$BERTH_STATE_DIR")
BERTH_SECRETS_DIR=$(realpath -m "$BERTH_SECRETS_DIR")

berth_ci_log "starting Berth: manifests $BERTH_MANIFESTS_DIR, state $BERTH_STATE_DIR, secrets $BERTH_SECRETS_DIR"
# From the jar's directory, as the systemd unit and the image start it: berth.jvm.options finds the
# AppCDS archive there.
cd "$(dirname "$JAR")"
# shellcheck disable=SC2086 # JAVA_OPTS is a list of words on purpose
exec java @berth.jvm.options ${JAVA_OPTS:-} -jar quarkus-run.jar "$@"
