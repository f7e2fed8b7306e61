#!/bin/sh
# Installs what the build and the tests need on Debian, when it is missing.
# As root it uses apt-get; otherwise it names the missing packages and fails.
# Usage: install-deps.sh [build]
#   (none)  everything `make check` needs
#   build   only what `make` and `make demo` need (compiler, cmake,
#           pkg-config and libmosquitto for rscp-bridge)
set -eu

need=""
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
# Not Debian (no dpkg): nothing to install from here; the build says what is missing.
command -v dpkg-query >/dev/null 2>&1 || exit 0

pkgs="cmake make gcc clang libclang-rt-14-dev zlib1g-dev libmcrypt-dev python3 pkg-config openssl prometheus mosquitto mosquitto-clients libmosquitto-dev"
[ "${1:-}" = build ] && pkgs="cmake make gcc libc6-dev pkg-config libmosquitto-dev"
for p in $pkgs; do
    have_pkg "$p" || need="$need $p"
done

if [ -z "$need" ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages:$need" >&2
    echo "install them with: sudo apt-get install$need" >&2
    exit 1
fi

echo "installing:$need"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $need >/dev/null
