# shellcheck shell=bash
# Debian's headless Chromium for the status page tests (StatusPageIT drives /usr/bin/chromium over
# the DevTools protocol; never a downloaded browser), with a font so screenshots show text.
# Sourced by .ci/test after common.sh.

ensure_chromium() {
  berth_ci_apt_install chromium fonts-dejavu-core || return 1
  [[ -x /usr/bin/chromium ]] || { berth_ci_die "/usr/bin/chromium is missing after install"; return 1; }
}
