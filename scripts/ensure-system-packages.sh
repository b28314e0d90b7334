#!/usr/bin/env bash
# Install the Debian packages given as arguments when any is missing.
# As root: apt-get installs them. Otherwise: print the exact command to run and carry on,
# so that `make run` still starts (the app explains what it cannot do without them).
set -uo pipefail
missing=()
for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
    echo "mock-interview: missing system packages: ${missing[*]} (install them with your package manager)" >&2
    exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
    echo "mock-interview: installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
        || { echo "mock-interview: apt-get failed; run: apt-get install -y ${missing[*]}" >&2; exit 1; }
else
    echo "mock-interview: missing system packages. Run:" >&2
    echo "    sudo apt-get install -y ${missing[*]}" >&2
fi
