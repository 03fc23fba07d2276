#!/usr/bin/env bash
# Install Debian's headless-capable Chromium for tests/test_report.py (the report is opened
# in a real browser to catch script/console errors and to take a screenshot).
#
# Idempotent: exits at once when `chromium` is on PATH. As root it installs the package;
# otherwise it prints how to and exits 0 (the browser tests then skip with that message).
# Other test set-up may run apt at the same time: wait for the dpkg lock instead of failing.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
    exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
    echo "tests/install_chromium.sh: chromium is missing; run as root:" \
         "sudo bash tests/install_chromium.sh (browser checks of the report will be skipped)"
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
start=$(date +%s)
apt_get() {
    apt-get -o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confdef \
        -o Dpkg::Options::=--force-confold "$@"
}
cand=$(apt-cache policy chromium 2>/dev/null | awk '/Candidate:/ {print $2}')
if [[ -z "$cand" || "$cand" == "(none)" ]]; then
    apt_get update -q
fi
if ! apt_get install -y -q --no-install-recommends chromium; then
    apt_get update -q
    apt_get install -y -q --no-install-recommends chromium
fi
echo "tests/install_chromium.sh: installed chromium in $(( $(date +%s) - start )) s"
