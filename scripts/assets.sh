#!/usr/bin/env bash
# Front-end assets come pinned from the npm registry (package-lock.json) and are copied into
# static/vendor/, which whitenoise serves. Nothing is loaded from a CDN at run time.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=static/vendor
stamp="$dest/.installed-$(sha256sum package-lock.json | cut -c1-16)"
[ -f "$stamp" ] && exit 0
if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "npm is missing: installing it with apt-get"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
  else
    echo "npm is missing: install Node.js and npm (apt-get install npm), then run again" >&2
    exit 1
  fi
fi
npm ci --no-audit --no-fund --silent
rm -rf "$dest"; mkdir -p "$dest/fonts"
cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map "$dest/"
cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map "$dest/"
cp node_modules/bootstrap-icons/font/bootstrap-icons.min.css "$dest/"
cp node_modules/bootstrap-icons/font/fonts/* "$dest/fonts/"
cp node_modules/htmx.org/dist/htmx.min.js "$dest/"
cp node_modules/chart.js/dist/chart.umd.js node_modules/chart.js/dist/chart.umd.js.map "$dest/"
touch "$stamp"
echo "front-end assets installed in $dest"
