#!/usr/bin/env bash
# Builds the base images that Berth's Dockerfile needs, from Debian packages,
# on a machine that cannot pull from public registries (Debian 12, as root):
#
#   local/debian:bookworm    debootstrap --variant=minbase rootfs, imported
#   local/berth-build:17     + openjdk-17-jdk-headless, curl (./mvnw fetches Maven itself)
#   local/berth-runtime:17   + openjdk-17-jre-headless
#
# then, unless --base-only is given, builds Berth's image with them:
#
#   docker build --build-arg BUILD_IMAGE=local/berth-build:17 \
#                --build-arg RUNTIME_IMAGE=local/berth-runtime:17 -t berth:dev .
#
# Needs Debian's apt mirror and Maven Central (the build stage downloads Maven
# and Berth's dependencies). Images that exist already are kept; REBUILD=1
# rebuilds all three base images.
#
# Settings (defaults in brackets):
#   DEBIAN_MIRROR  [http://deb.debian.org/debian]
#   DEBIAN_SUITE   [bookworm]
#   BERTH_IMAGE    [berth:dev]   tag of Berth's image
#   REBUILD        [0]
#   EXTRA_CA_DIR   [/usr/local/share/ca-certificates]  *.crt files there are
#                  trusted in the build image too (for a TLS-intercepting proxy
#                  between this machine and Maven Central); empty: none
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
DEBIAN_SUITE=${DEBIAN_SUITE:-bookworm}
BERTH_IMAGE=${BERTH_IMAGE:-berth:dev}
REBUILD=${REBUILD:-0}
EXTRA_CA_DIR=${EXTRA_CA_DIR-/usr/local/share/ca-certificates}
BASE=local/debian:$DEBIAN_SUITE
BUILD=local/berth-build:17
RUNTIME=local/berth-runtime:17

base_only=0
case "${1:-}" in
  --base-only) base_only=1 ;;
  "") ;;
  *) echo "usage: $0 [--base-only]" >&2; exit 2 ;;
esac

log() { printf '[build-local-base] %s\n' "$*" >&2; }

have_image() {
  [[ "$REBUILD" != 1 ]] && docker image inspect "$1" >/dev/null 2>&1
}

# The classic builder: the engine here (Debian's docker.io 20.10) has no
# BuildKit/buildx frontend next to the 28.x client.
export DOCKER_BUILDKIT=0

if have_image "$BASE"; then
  log "$BASE exists; keeping it"
else
  [[ $(id -u) -eq 0 ]] || { log "debootstrap needs root"; exit 1; }
  if ! command -v debootstrap >/dev/null 2>&1; then
    log "installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap
  fi
  rootfs=$(mktemp -d /var/tmp/berth-rootfs.XXXXXX)
  trap 'rm -rf "$rootfs"' EXIT
  log "debootstrap $DEBIAN_SUITE (minbase) from $DEBIAN_MIRROR into $rootfs"
  debootstrap --variant=minbase "$DEBIAN_SUITE" "$rootfs" "$DEBIAN_MIRROR" >"$rootfs.log" 2>&1 || {
    tail -n 30 "$rootfs.log" >&2
    exit 1
  }
  rm -f "$rootfs.log"
  cat >"$rootfs/etc/apt/sources.list" <<SOURCES
deb $DEBIAN_MIRROR $DEBIAN_SUITE main
deb $DEBIAN_MIRROR $DEBIAN_SUITE-updates main
deb http://deb.debian.org/debian-security $DEBIAN_SUITE-security main
SOURCES
  # Like Debian's official image: no package cache, no apt lists in the layer.
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  log "importing $BASE"
  tar --numeric-owner -C "$rootfs" -c . |
    docker import -c 'ENV LANG=C.UTF-8' -c 'CMD ["bash"]' - "$BASE" >/dev/null
  rm -rf "$rootfs"
  trap - EXIT
fi

# build_base TAG EXTRA_CA PACKAGE...: builds TAG FROM $BASE with the Debian
# packages; with EXTRA_CA=1 the host's extra CA certificates are trusted too
# (system store and Java's cacerts, through ca-certificates-java).
build_base() {
  local tag=$1 extra_ca=$2
  shift 2
  if have_image "$tag"; then
    log "$tag exists; keeping it"
    return 0
  fi
  local ctx
  ctx=$(mktemp -d /var/tmp/berth-base-ctx.XXXXXX)
  mkdir -p "$ctx/extra-ca"
  if [[ "$extra_ca" == 1 && -n "$EXTRA_CA_DIR" && -d "$EXTRA_CA_DIR" ]]; then
    find "$EXTRA_CA_DIR" -maxdepth 1 -type f -name '*.crt' -exec cp {} "$ctx/extra-ca/" \;
  fi
  log "building $tag (apt-get install $*; extra CA certificates: $(find "$ctx/extra-ca" -type f | wc -l))"
  cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM $BASE
COPY extra-ca/ /usr/local/share/ca-certificates/
RUN apt-get update \\
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $* \\
 && update-ca-certificates \\
 && rm -rf /var/lib/apt/lists/*
DOCKERFILE
  local status=0
  docker build -q -t "$tag" "$ctx" >/dev/null || status=$?
  rm -rf "$ctx"
  ((status == 0)) || { log "building $tag failed"; return "$status"; }
  local version
  version=$(docker run --rm "$tag" java -version 2>&1)
  log "$tag: ${version%%$'\n'*}"
}

build_base "$BUILD" 1 openjdk-17-jdk-headless ca-certificates curl
build_base "$RUNTIME" 0 openjdk-17-jre-headless ca-certificates

if ((base_only)); then
  exit 0
fi

log "building $BERTH_IMAGE from $ROOT"
docker build \
  --build-arg BUILD_IMAGE="$BUILD" \
  --build-arg RUNTIME_IMAGE="$RUNTIME" \
  -t "$BERTH_IMAGE" "$ROOT"
log "done: $BERTH_IMAGE"
