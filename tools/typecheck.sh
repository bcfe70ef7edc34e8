#!/usr/bin/env bash
# Check the PWA's JSDoc types with TypeScript; nothing is built. The page modules (jsconfig.json), then the
# service worker, which runs with the worker library instead of the DOM (jsconfig.sw.json).
set -euo pipefail
cd "$(dirname "$0")/.."
tsc=node_modules/.bin/tsc
if [[ ! -x $tsc ]]; then
  echo "typecheck: $tsc is missing; install the npm packages first (npm ci)" >&2
  exit 2
fi
if [[ ! -f pwa/static/vendor/dexie.d.mts ]]; then
  echo "typecheck: the vendored modules' types are missing; run tools/vendor.sh first" >&2
  exit 2
fi
"$tsc" -p jsconfig.json --noEmit
"$tsc" -p jsconfig.sw.json --noEmit
echo "typecheck: no errors"
