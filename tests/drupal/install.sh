#!/usr/bin/env bash
# Install the Debian packages the Drupal 7 test fixture needs (Debian 12 "bookworm"):
# PHP's CLI (its built-in server serves the site) with SQLite, GD, XML and mbstring.
#
# Idempotent: when everything is installed it only runs dpkg-query and exits (< 1 s).
# Not root and no passwordless sudo: prints how to install and exits 0 (the Drupal tests
# then skip with that message). Waits for the dpkg lock: other test set-up may run apt.
set -euo pipefail

PACKAGES=(php-cli php-sqlite3 php-gd php-xml php-mbstring)

missing=()
for pkg in "${PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
    [[ "$status" == "installed" ]] || missing+=("$pkg")
done
if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi
SUDO=()
if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO=(sudo -n)
    else
        echo "tests/drupal/install.sh: missing ${missing[*]}; run as root:" \
             "sudo bash tests/drupal/install.sh (Drupal tests will be skipped)"
        exit 0
    fi
fi
start=$(date +%s)
apt_get() {
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@"
}
cand=$(apt-cache policy "${missing[0]}" 2>/dev/null | awk '/Candidate:/ {print $2}')
if [[ -z "$cand" || "$cand" == "(none)" ]]; then
    apt_get update -q
fi
if ! apt_get install -y -q --no-install-recommends "${missing[@]}"; then
    apt_get update -q
    apt_get install -y -q --no-install-recommends "${missing[@]}"
fi
echo "tests/drupal/install.sh: installed ${missing[*]} in $(( $(date +%s) - start )) s"
