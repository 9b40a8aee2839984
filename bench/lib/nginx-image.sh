# shellcheck shell=bash
# ensure_nginx_image IMAGE: builds IMAGE, when missing, from this machine's own nginx binary
# (Debian's nginx-light) and the libraries it links, imported as a rootfs (nothing is pulled).
# It serves "ok\n" on :8080 to every GET, with one worker and keep-alive, and stops on SIGTERM:
# the origin behind every proxy in bench/proxy-throughput.sh. Sourced, not run; needs log/die.
ensure_nginx_image() {
  local image=$1 root lib
  docker image inspect "$image" >/dev/null 2>&1 && return 0
  command -v nginx >/dev/null || die "nginx is missing (apt-get install nginx-light)"
  log "building $image from $(command -v nginx)"
  root=$(mktemp -d)
  mkdir -p "$root"/{usr/sbin,etc/nginx,tmp,var/log/nginx,var/lib/nginx,run}
  chmod 1777 "$root/tmp"
  cp "$(command -v nginx)" "$root/usr/sbin/nginx"
  while read -r lib; do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done < <(ldd "$(command -v nginx)" | grep -o '/[^ ]*')
  printf 'root:x:0:0:root:/root:/bin/false\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  cat >"$root/etc/nginx/nginx.conf" <<'EOF'
daemon off;
worker_processes 1;
user nobody nogroup;
error_log stderr warn;
pid /run/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path /tmp/body;
  proxy_temp_path /tmp/proxy;
  fastcgi_temp_path /tmp/fastcgi;
  uwsgi_temp_path /tmp/uwsgi;
  scgi_temp_path /tmp/scgi;
  keepalive_requests 1000000;
  server {
    listen 8080;
    location / { default_type text/plain; return 200 "ok\n"; }
  }
}
EOF
  tar -C "$root" -c . | docker import -c 'ENTRYPOINT ["/usr/sbin/nginx", "-c", "/etc/nginx/nginx.conf"]' \
    -c 'EXPOSE 8080' - "$image" >/dev/null || die "could not import $image"
  rm -rf "$root"
}
