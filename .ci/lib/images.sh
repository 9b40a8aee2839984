# shellcheck shell=bash
# build_test_images: tiny test images made locally from Debian's static busybox
# (nothing is ever pulled), then pushed to the test registries.
#
#   berth-test/app:v1, berth-test/app:v2, berth-test/app:unhealthy
#       busybox httpd on :8080 (see _berth_app_files for the endpoints)
#   berth-test/busybox:latest
#       the bare busybox rootfs, CMD ["/bin/sh"]
#
# Pushed (unless BERTH_PUSH_IMAGES=0) as
#   $BERTH_TEST_REGISTRY/berth-test/{app:v1,app:v2,app:unhealthy,busybox:latest}
#   $BERTH_TEST_AUTH_REGISTRY/berth-test/private:v1   (= app:v1, needs login)
#
# Idempotent and fast on reruns: each image carries the label
# dev.berth.test.hash, a hash of its exact rootfs tarball and config; an image
# whose label matches is not imported again. Freshly built images are checked
# by running them once (verify_test_images).

# shellcheck source=SCRIPTDIR/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

: "${BERTH_PUSH_IMAGES:=1}"
: "${BERTH_TEST_REGISTRY:=localhost:5000}"
: "${BERTH_TEST_AUTH_REGISTRY:=localhost:5001}"
: "${BERTH_TEST_AUTH_USER:=berth}"
: "${BERTH_TEST_AUTH_PASSWORD:=berth-test-pass}"

BERTH_TEST_HASH_LABEL=dev.berth.test.hash
BERTH_TEST_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# Prints the path of a statically linked busybox, installing busybox-static
# when there is none.
_berth_static_busybox() {
  local candidate
  for candidate in /bin/busybox /usr/bin/busybox; do
    # ldd fails ("not a dynamic executable") on a static binary.
    if [[ -x "$candidate" ]] && ! ldd "$candidate" >/dev/null 2>&1; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  berth_ci_apt_install busybox-static
  for candidate in /bin/busybox /usr/bin/busybox; do
    if [[ -x "$candidate" ]] && ! ldd "$candidate" >/dev/null 2>&1; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  berth_ci_die "no statically linked busybox found after installing busybox-static"
}

# _berth_base_rootfs DIR BUSYBOX: busybox, every applet as a symlink in /bin,
# /sbin and /usr/{bin,sbin} pointing at /bin, users root, app (1000), nobody.
_berth_base_rootfs() {
  local dir=$1 busybox=$2 applet
  rm -rf "$dir"
  mkdir -p "$dir"/{bin,etc,root,home/app,tmp,var/tmp,proc,sys,dev,run,usr/local/bin}
  chmod 1777 "$dir/tmp" "$dir/var/tmp"
  chmod 0700 "$dir/root"
  cp "$busybox" "$dir/bin/busybox"
  chmod 0755 "$dir/bin/busybox"
  ln -s bin "$dir/sbin"
  ln -s ../bin "$dir/usr/bin"
  ln -s ../bin "$dir/usr/sbin"
  while IFS= read -r applet; do
    [[ -n "$applet" && "$applet" != busybox && ! -e "$dir/bin/$applet" ]] || continue
    ln -s busybox "$dir/bin/$applet"
  done < <("$busybox" --list)
  cat >"$dir/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
app:x:1000:1000:app:/home/app:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
  cat >"$dir/etc/group" <<'EOF'
root:x:0:
app:x:1000:
nogroup:x:65534:
EOF
  chown 1000:1000 "$dir/home/app"
}

# _berth_app_files DIR VARIANT: the web app on top of a base rootfs.
# VARIANT is v1, v2 or unhealthy. Endpoints (port 8080):
#   /                 "<variant>\n"
#   /cgi-bin/healthz  200 "ok\n"; 500 "unhealthy\n" when /tmp/unhealthy exists
#                     or UNHEALTHY=1 (always 500 in the unhealthy variant)
#   /cgi-bin/version  "<variant>\n"
#   /cgi-bin/env      the process environment (container env + CGI vars), sorted
#   /cgi-bin/hostname "$HOSTNAME\n" (the container's hostname: tells replicas apart)
#   /cgi-bin/sleep?N  sleeps N seconds (default 5), then "done\n"
#   /cgi-bin/ws?N     a WebSocket: answers the handshake, sends one text frame
#                     "<variant>", holds the connection N seconds (default 30)
_berth_app_files() {
  local dir=$1 variant=$2
  mkdir -p "$dir/www/cgi-bin"
  printf '%s\n' "$variant" >"$dir/www/index.html"

  cat >"$dir/bin/start.sh" <<'EOF'
#!/bin/sh
# PID 1 of the berth-test app images: busybox httpd on :8080 serving /www.
# On SIGTERM or SIGINT it stops accepting connections, lets the requests in
# flight finish, then exits 0 (the engine's SIGKILL bounds that wait).
busybox httpd -f -v -p 8080 -h /www &
httpd_pid=$!
stopping=
trap 'stopping=1; kill -TERM "$httpd_pid" 2>/dev/null' TERM INT
status=0
while :; do
  wait "$httpd_pid"
  status=$?
  [ -n "$stopping" ] || exit "$status"
  kill -0 "$httpd_pid" 2>/dev/null || break
done
# Requests in flight run in processes forked by httpd (now orphans): wait until
# no process but init and this shell is left.
while :; do
  busy=
  for d in /proc/[0-9]*; do
    case "${d#/proc/}" in 1 | "$$") continue ;; esac
    { read -r _ _ state _ <"$d/stat"; } 2>/dev/null || continue
    [ "$state" = Z ] && continue
    busy=1
    break
  done
  [ -n "$busy" ] || break
  sleep 0.1
done
exit 0
EOF

  if [[ "$variant" == unhealthy ]]; then
    cat >"$dir/www/cgi-bin/healthz" <<'EOF'
#!/bin/sh
printf 'Status: 500 Internal Server Error\r\nContent-Type: text/plain\r\n\r\nunhealthy\n'
EOF
  else
    cat >"$dir/www/cgi-bin/healthz" <<'EOF'
#!/bin/sh
# 500 when /tmp/unhealthy exists or UNHEALTHY=1, else 200 "ok".
if [ -e /tmp/unhealthy ] || [ "${UNHEALTHY:-}" = 1 ]; then
  printf 'Status: 500 Internal Server Error\r\nContent-Type: text/plain\r\n\r\nunhealthy\n'
else
  printf 'Content-Type: text/plain\r\n\r\nok\n'
fi
EOF
  fi

  cat >"$dir/www/cgi-bin/version" <<EOF
#!/bin/sh
printf 'Content-Type: text/plain\r\n\r\n%s\n' '$variant'
EOF

  cat >"$dir/www/cgi-bin/env" <<'EOF'
#!/bin/sh
printf 'Content-Type: text/plain\r\n\r\n'
env | sort
EOF

  cat >"$dir/www/cgi-bin/hostname" <<'EOF'
#!/bin/sh
printf 'Content-Type: text/plain\r\n\r\n%s\n' "${HOSTNAME:-$(hostname)}"
EOF

  cat >"$dir/www/cgi-bin/sleep" <<'EOF'
#!/bin/sh
# /cgi-bin/sleep?N: a long request of N seconds (default 5).
secs=${QUERY_STRING:-5}
case "$secs" in '' | *[!0-9.]* | *.*.* | .) secs=5 ;; esac
sleep "$secs"
printf 'Content-Type: text/plain\r\n\r\ndone\n'
EOF

  # httpd passes a CGI's output through when it starts with "HTTP/", and gives
  # a GET no body: client frames are never read, which these tests do not need.
  cat >"$dir/www/cgi-bin/ws" <<EOF
#!/bin/sh
# /cgi-bin/ws?N: WebSocket handshake (RFC 6455), one text frame, then N seconds open.
msg='$variant'
EOF
  cat >>"$dir/www/cgi-bin/ws" <<'EOF'
accept=$(printf '%s258EAFA5-E914-47DA-95CA-C5AB0DC85B11' "$HTTP_SEC_WEBSOCKET_KEY" | sha1sum | cut -d' ' -f1 | xxd -r -p | base64)
printf 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n' "$accept"
printf "\\201\\$(printf '%03o' ${#msg})%s" "$msg"
secs=${QUERY_STRING:-30}
case "$secs" in '' | *[!0-9]*) secs=30 ;; esac
sleep "$secs"
EOF

  chmod 0755 "$dir/bin/start.sh" "$dir"/www/cgi-bin/*
}

# _berth_import_image NAME DIR CHANGE...: imports DIR as NAME with the given
# --change lines, unless NAME already carries the same content hash.
# Sets BERTH_TEST_IMAGES_BUILT=1 when it imported something.
_berth_import_image() {
  local name=$1 dir=$2
  shift 2
  local tarball="$dir.tar" hash existing args=() change
  # A deterministic tarball: same inputs, same bytes, same hash.
  tar --sort=name --mtime=@1704067200 --numeric-owner \
    -C "$dir" -cf "$tarball" .
  hash=$({ sha256sum <"$tarball"; printf '%s\n' "$name" "$@"; } | sha256sum | cut -c1-64)
  existing=$(docker image inspect -f "{{index .Config.Labels \"$BERTH_TEST_HASH_LABEL\"}}" "$name" 2>/dev/null || true)
  if [[ "$existing" == "$hash" ]]; then
    berth_ci_log "image $name is up to date"
    rm -f "$tarball"
    return 0
  fi
  for change in "$@" "LABEL $BERTH_TEST_HASH_LABEL=$hash"; do
    args+=(-c "$change")
  done
  berth_ci_log "importing image $name"
  berth_ci_quiet docker import "${args[@]}" "$tarball" "$name"
  rm -f "$tarball"
  BERTH_TEST_IMAGES_BUILT=1
}

# _berth_push SOURCE TARGET [DOCKER_CONFIG_DIR]
_berth_push() {
  local source=$1 target=$2 config=${3:-}
  docker tag "$source" "$target"
  berth_ci_log "pushing $target"
  if [[ -n "$config" ]]; then
    berth_ci_quiet docker --config "$config" push "$target"
  else
    berth_ci_quiet docker push "$target"
  fi
}

# _berth_expect WHAT EXPECTED ACTUAL: clears the caller's `ok` on a mismatch.
_berth_expect() {
  if [[ "$2" != "$3" ]]; then
    berth_ci_log "image check failed: $1: expected '$2', got '$3'"
    ok=0
  fi
}

# verify_test_images: runs berth-test/app:v1 once (published on loopback only)
# and checks its endpoints; fails with the container's log otherwise.
verify_test_images() {
  local name=berth-ci-verify port base body code ok=1
  docker rm -f "$name" >/dev/null 2>&1 || true
  berth_ci_quiet docker run -d --name "$name" -e BERTH_CI_PROBE=42 \
    -p 127.0.0.1::8080 berth-test/app:v1 || return 1
  port=$(docker port "$name" 8080/tcp | sed -n 's/^127\.0\.0\.1:\([0-9]*\)$/\1/p' | head -n1 || true)
  base="http://127.0.0.1:$port"
  local deadline=$((SECONDS + 15))
  until body=$(curl -fsS --connect-timeout 1 --max-time 3 "$base/" 2>/dev/null); do
    if ((SECONDS >= deadline)); then
      body="(no answer)"
      break
    fi
    sleep 0.2
  done
  _berth_expect "GET /" v1 "$body"
  _berth_expect "GET /cgi-bin/healthz" ok "$(curl -sS --max-time 5 "$base/cgi-bin/healthz")"
  code=$(curl -sS -o /dev/null --max-time 5 -w '%{http_code}' "$base/cgi-bin/healthz" || true)
  _berth_expect "GET /cgi-bin/healthz status" 200 "$code"
  _berth_expect "GET /cgi-bin/version" v1 "$(curl -sS --max-time 5 "$base/cgi-bin/version")"
  _berth_expect "container env seen by CGI" BERTH_CI_PROBE=42 \
    "$(curl -sS --max-time 5 "$base/cgi-bin/env" | grep '^BERTH_CI_PROBE=' || true)"
  docker exec "$name" touch /tmp/unhealthy || true
  code=$(curl -sS -o /dev/null --max-time 5 -w '%{http_code}' "$base/cgi-bin/healthz" || true)
  _berth_expect "GET /cgi-bin/healthz with /tmp/unhealthy" 500 "$code"
  _berth_expect "GET /cgi-bin/sleep?0.2" "done" "$(curl -sS --max-time 5 "$base/cgi-bin/sleep?0.2")"
  _berth_expect "WebSocket accept key of /cgi-bin/ws" "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" \
    "$(curl -sS -i --max-time 5 -H 'Connection: Upgrade' -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' \
      -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' "$base/cgi-bin/ws?0" 2>/dev/null |
      sed -n 's/^Sec-WebSocket-Accept: \([^[:space:]]*\).*/\1/p' || true)"
  # SIGTERM must stop the container promptly (start.sh handles it).
  local t0=$SECONDS
  docker stop -t 10 "$name" >/dev/null || true
  ((SECONDS - t0 < 5)) || _berth_expect "docker stop takes less than 5s" "<5s" "$((SECONDS - t0))s"
  if ((ok == 0)); then
    berth_ci_log "container log:"
    docker logs "$name" 2>&1 | tail -n 20 | sed 's/^/[berth-ci]   | /' >&2
  fi
  docker rm -f "$name" >/dev/null 2>&1 || true
  ((ok == 1)) || berth_ci_die "test images do not behave as expected"
}

build_test_images() {
  local busybox work variant
  busybox=$(_berth_static_busybox)
  work="$BERTH_CI_STATE_DIR/images"
  mkdir -p "$work"
  BERTH_TEST_IMAGES_BUILT=0

  # A subshell with umask 022: the image's files are readable by any user,
  # whatever umask the caller runs with.
  (umask 022 && _berth_base_rootfs "$work/base" "$busybox")

  local common=("ENV PATH=$BERTH_TEST_PATH")
  for variant in v1 v2 unhealthy; do
    rm -rf "$work/app-$variant"
    cp -a "$work/base" "$work/app-$variant"
    (umask 022 && _berth_app_files "$work/app-$variant" "$variant")
    _berth_import_image "berth-test/app:$variant" "$work/app-$variant" "${common[@]}" \
      'CMD ["/bin/start.sh"]' 'EXPOSE 8080' "LABEL dev.berth.test.version=$variant"
    rm -rf "$work/app-$variant"
  done
  _berth_import_image berth-test/busybox:latest "$work/base" "${common[@]}" 'CMD ["/bin/sh"]'
  rm -rf "$work/base"

  if ((BERTH_TEST_IMAGES_BUILT == 1)); then
    berth_ci_log "checking the freshly built app image"
    verify_test_images
  fi

  if [[ "$BERTH_PUSH_IMAGES" == 0 ]]; then
    berth_ci_log "not pushing the test images (BERTH_PUSH_IMAGES=0)"
    return 0
  fi

  local image
  for image in app:v1 app:v2 app:unhealthy busybox:latest; do
    _berth_push "berth-test/$image" "$BERTH_TEST_REGISTRY/berth-test/$image"
  done

  # A throwaway client config: the machine's ~/.docker/config.json is untouched.
  local config
  config=$(mktemp -d "$BERTH_CI_STATE_DIR/docker-config.XXXXXX")
  printf '%s' "$BERTH_TEST_AUTH_PASSWORD" |
    berth_ci_quiet docker --config "$config" login "$BERTH_TEST_AUTH_REGISTRY" \
      -u "$BERTH_TEST_AUTH_USER" --password-stdin || {
    rm -rf "$config"
    return 1
  }
  _berth_push berth-test/app:v1 "$BERTH_TEST_AUTH_REGISTRY/berth-test/private:v1" "$config" || {
    rm -rf "$config"
    return 1
  }
  berth_ci_quiet docker --config "$config" logout "$BERTH_TEST_AUTH_REGISTRY" || true
  rm -rf "$config"
  # Earlier builds that no tag points at any more (images in use are kept).
  if ((BERTH_TEST_IMAGES_BUILT == 1)); then
    berth_ci_quiet docker image prune -f --filter "label=$BERTH_TEST_HASH_LABEL" || true
  fi
  berth_ci_log "test images ready"
}
