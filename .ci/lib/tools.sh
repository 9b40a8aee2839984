#!/usr/bin/env bash
# Test tools from Debian's packages that integration tests run for real:
# Prometheus (scrapes Berth's /q/metrics in ApiIT; promtool checks the alert rules).
# Sourced by .ci/test after common.sh.

ensure_test_tools() {
  berth_ci_apt_install prometheus || return 1
  # The package may start its own server on :9090; the tests start their own on free ports.
  command -v prometheus >/dev/null 2>&1 || { berth_ci_die "prometheus is not on PATH after install"; return 1; }
}
