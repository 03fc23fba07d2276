#!/usr/bin/env bash
# Install Debian's headless Java runtime for the Spark column of tests/read/ (PyPI's
# pyspark runs on a JVM; nothing else in mpcrawl needs one).
#
# Idempotent: exits at once when `java` is on PATH. As root it installs the package;
# otherwise it prints how to and exits 0 (the Spark tests then skip with that message).
# Other test set-up may run apt at the same time: wait for the dpkg lock instead of failing.
set -euo pipefail

PACKAGE=openjdk-17-jre-headless  # Debian 12's default-jre-headless

if command -v java >/dev/null 2>&1; then
    exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
    echo "tests/read/install_java.sh: java is missing; run as root:" \
         "sudo bash tests/read/install_java.sh (the Spark reader tests will be skipped)"
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
echo "tests/read/install_java.sh: installed $PACKAGE in $(( $(date +%s) - start )) s"
