#!/usr/bin/env bash
# Sets up a fresh Debian machine for Showroom: system packages (as root), .venv, the project
# (with the dev extra when asked), and the front-end assets. Safe to run again: each step is
# skipped when already done.
#   scripts/setup.sh          runtime (make run)
#   scripts/setup.sh dev      runtime + test and lint tools + chromium (make test)
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-run}"
PY="${PYTHON:-python3}"

need_pkgs=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
for pkg in fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 fontconfig; do have_pkg "$pkg" || need_pkgs+=("$pkg"); done
if [ "$mode" = dev ]; then
  for pkg in chromium gettext; do have_pkg "$pkg" || need_pkgs+=("$pkg"); done
fi
if [ ${#need_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing system packages: ${need_pkgs[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
  else
    echo "missing system packages: ${need_pkgs[*]}" >&2
    echo "install them with: sudo apt-get install ${need_pkgs[*]}" >&2
    echo "(without fonts-noto-cjk, Chinese text in PDFs prints as empty boxes)" >&2
    [ "$mode" = dev ] && exit 1
  fi
fi

if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
extra=""
[ "$mode" = dev ] && extra="[dev]"
stamp=".venv/.installed-$mode-$(cat pyproject.toml | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".$extra"
  touch "$stamp"
fi
bash scripts/assets.sh
mkdir -p var/celery/queue var/celery/processed var/media var/staticfiles
