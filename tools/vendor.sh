#!/usr/bin/env bash
# Copy the front-end packages the app serves from node_modules into pwa/static/vendor (not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
dest=pwa/static/vendor
rm -rf "$dest" && mkdir -p "$dest/swagger-ui"
# Dexie's modern minified ES module: a third of the parse work at start-up on a slow tablet. Its source-map
# comment is dropped (the map is not served).
sed '/^\/\/# sourceMappingURL=/d' node_modules/dexie/dist/modern/dexie.min.mjs > "$dest/dexie.mjs"
cp node_modules/signature_pad/dist/signature_pad.js "$dest/signature_pad.mjs"
# QR codes of sample labels drawn on the tablet, offline (the same payload the server's labels carry).
cp node_modules/qrcode-generator/dist/qrcode.mjs "$dest/qrcode.mjs"
# Types for tools/typecheck.sh: next to each vendored module, a declaration that re-exports its package's own.
for pair in dexie:dexie qrcode:qrcode-generator signature_pad:signature_pad; do
  printf 'export * from "%s";\nexport { default } from "%s";\n' "${pair#*:}" "${pair#*:}" > "$dest/${pair%%:*}.d.mts"
done
for f in swagger-ui-bundle.js swagger-ui-standalone-preset.js swagger-ui.css; do
  cp "node_modules/swagger-ui-dist/$f" "$dest/swagger-ui/$f"
done
