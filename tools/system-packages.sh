#!/usr/bin/env bash
# Install the Debian/Ubuntu packages the app and its tests need, only those missing.
# Usage: tools/system-packages.sh run|test
set -euo pipefail
run_packages="python3 python3-venv nodejs npm fonts-noto-cjk fonts-dejavu-core libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0"
test_packages="poppler-utils zbar-tools chromium faketime redis-server"
wanted=$run_packages
[ "${1:-run}" = "test" ] && wanted="$run_packages $test_packages"
missing=""
for pkg in $wanted; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
# Node installed outside Debian's packages (nvm) serves as well; so does a Python pick-python.sh picks.
command -v node >/dev/null && command -v npm >/dev/null && missing=$(echo "$missing" | sed 's/ nodejs//; s/ npm//')
PY=$("$(dirname "$0")/pick-python.sh")
"$PY" -c "import venv, ensurepip" 2>/dev/null && missing=$(echo "$missing" | sed "s/ python3-venv//; s/ python3\\b//")
[ -z "${missing// /}" ] && exit 0
echo "Installing system packages:$missing"
sudo_cmd=""
[ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
$sudo_cmd apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends $missing
