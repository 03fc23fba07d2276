#!/usr/bin/env bash
# Install one Debian package that some tests need, when its command is missing:
#   bash tests/install_debian.sh COMMAND PACKAGE "what is skipped without it"
# (chromium for the report's browser checks, a headless JRE for the Spark readers).
#
# Idempotent: exits at once when COMMAND is on PATH. As root it installs PACKAGE;
# otherwise it prints how to and exits 0 (those tests then skip with that message).
# Other test set-up may run apt at the same time: wait for the dpkg lock instead of failing.
set -euo pipefail

if [[ $# -ne 3 ]]; then
    echo "usage: bash tests/install_debian.sh COMMAND PACKAGE WHAT-IS-SKIPPED" >&2
    exit 2
fi
COMMAND=$1 PACKAGE=$2 SKIPPED=$3

if command -v "$COMMAND" >/dev/null 2>&1; then
    exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
    echo "tests/install_debian.sh: $COMMAND is missing; run as root:" \
         "sudo bash tests/install_debian.sh $COMMAND $PACKAGE '$SKIPPED' ($SKIPPED will be skipped)"
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
start=$(date +%s)
apt_get() {
    apt-get -o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confdef \
        -o Dpkg::Options::=--force-confold "$@"
}
cand=$(apt-cache policy "$PACKAGE" 2>/dev/null | awk '/Candidate:/ {print $2}')
if [[ -z "$cand" || "$cand" == "(none)" ]]; then
    apt_get update -q
fi
if ! apt_get install -y -q --no-install-recommends "$PACKAGE"; then
    apt_get update -q
    apt_get install -y -q --no-install-recommends "$PACKAGE"
fi
echo "tests/install_debian.sh: installed $PACKAGE in $(( $(date +%s) - start )) s"
