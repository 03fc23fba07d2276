#!/usr/bin/env bash
# Install the Debian packages the PHP test sites need (Debian 12 "bookworm"): the
# WordPress fixtures (WordPress 6.1, and 7.1 from ../shared/platforms, on MariaDB) and the
# Drupal 7 fixture (on SQLite: php-sqlite3, php-gd).
#
# Idempotent: when everything is installed it only runs dpkg-query and exits (< 1 s).
# Services are NOT started: the fixture runs its own mariadbd and `php -S` as child
# processes on 127.0.0.1 / a unix socket, so a temporary /usr/sbin/policy-rc.d
# (exit 101) stops the maintainer scripts from starting apache2 and mariadb.
#
# Measured on a 2-core Debian 12 VM (package lists present, Debian mirror reachable):
# 31 s for the full install (47 packages, apache2 and mariadb-server included); add
# `apt-get update` (~5-15 s) on a fresh machine. Already installed: 0.07 s.
set -euo pipefail

PACKAGES=(wordpress wordpress-theme-twentytwentythree php-cli php-mysql mariadb-server
          php-xml php-mbstring php-curl php-sqlite3 php-gd)

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
        echo "tests/wordpress/install.sh: missing ${missing[*]}; run as root:" \
             "sudo bash tests/wordpress/install.sh (WordPress tests will be skipped)"
        exit 0
    fi
fi

export DEBIAN_FRONTEND=noninteractive
start=$(date +%s)

POLICY=/usr/sbin/policy-rc.d
created_policy=0
cleanup() {
    if [[ $created_policy -eq 1 ]]; then
        "${SUDO[@]}" rm -f "$POLICY"
    fi
}
trap cleanup EXIT
if [[ ! -e "$POLICY" ]]; then
    printf '#!/bin/sh\n# temporary, from mpcrawl tests/wordpress/install.sh\nexit 101\n' |
        "${SUDO[@]}" tee "$POLICY" >/dev/null
    "${SUDO[@]}" chmod 755 "$POLICY"
    created_policy=1
fi

apt_get() {
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@"
}

# Update the package lists only when some package has no install candidate
# (fresh machine with empty lists); retry once after an update if the install fails
# (stale lists pointing at superseded .debs).
need_update=0
for pkg in "${missing[@]}"; do
    cand=$(apt-cache policy "$pkg" 2>/dev/null | awk '/Candidate:/ {print $2}')
    if [[ -z "$cand" || "$cand" == "(none)" ]]; then
        need_update=1
        break
    fi
done
if [[ $need_update -eq 1 ]]; then
    apt_get update -q
fi
if ! apt_get install -y -q --no-install-recommends "${missing[@]}"; then
    apt_get update -q
    apt_get install -y -q --no-install-recommends "${missing[@]}"
fi

echo "tests/wordpress/install.sh: installed ${missing[*]} in $(( $(date +%s) - start )) s"
