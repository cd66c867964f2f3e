#!/usr/bin/env bash
# make run: the embedded default (SQLite, Celery on a filesystem broker) with demo data,
# a Celery worker with beat, and the web server on http://127.0.0.1:8000. Ctrl-C stops all.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
$PY manage.py migrate --noinput
$PY manage.py seed_demo
pids=()
cleanup() {
  trap - INT TERM EXIT
  echo; echo "stopping…"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT
.venv/bin/celery -A showroom worker --beat --loglevel=INFO --concurrency=1 \
  --schedule var/celery/beat-schedule >var/celery/worker.log 2>&1 &
pids+=($!)
echo "Celery worker with beat started (log: var/celery/worker.log)"
echo "Serving on http://$HOST:$PORT/ — log in with a demo login above (password showroom-demo). Ctrl-C stops."
$PY manage.py runserver "$HOST:$PORT" --noreload &
pids+=($!)
wait "${pids[@]}"
