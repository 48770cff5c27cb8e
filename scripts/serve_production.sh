#!/usr/bin/env bash
# The production shape on one machine: gunicorn + a Celery worker + Celery beat, every setting from
# the environment (docs/deployment.md). Needs DATABASE_URL (PostgreSQL), REDIS_URL and SECRET_KEY.
# Stops all three when any one exits or on Ctrl-C / SIGTERM.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL (PostgreSQL)}"
: "${REDIS_URL:?set REDIS_URL}"
: "${SECRET_KEY:?set SECRET_KEY (or use SECRET_KEY_FILE)}"
VENV="${VENV:-.venv}"
BIND="${BIND:-127.0.0.1:8000}"
# 2 x cores + 1 is gunicorn's rule of thumb; on a 2-core machine 4 leaves room for the worker.
WORKERS="${GUNICORN_WORKERS:-$(( $(nproc) * 2 ))}"
VAR="${DIOGELU_VAR_DIR:-var}"
mkdir -p "$VAR"

"$VENV/bin/python" manage.py migrate --no-input
"$VENV/bin/python" manage.py collectstatic --no-input -v 0

pids=()
stop() { trap - EXIT INT TERM; for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait || true; }
trap stop EXIT INT TERM

# One worker on all three queues here (delivery, reminders, batch); where there is room, one
# worker per queue (CELERY_QUEUES=delivery, ...), so the measures' warm-up never delays delivery.
"$VENV/bin/celery" -A diogelu worker --loglevel "${CELERY_LOG_LEVEL:-INFO}" \
  --queues "${CELERY_QUEUES:-delivery,reminders,batch}" \
  --concurrency "${CELERY_CONCURRENCY:-2}" --hostname "diogelu@%h-$$" &
pids+=($!)
"$VENV/bin/celery" -A diogelu beat --loglevel "${CELERY_LOG_LEVEL:-INFO}" \
  --schedule "$VAR/celerybeat-schedule" --pidfile "" &
pids+=($!)
"$VENV/bin/gunicorn" diogelu.wsgi --bind "$BIND" --workers "$WORKERS" \
  --timeout "${GUNICORN_TIMEOUT:-60}" --graceful-timeout 30 --max-requests 2000 \
  --max-requests-jitter 200 --access-logfile - --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}" &
pids+=($!)
wait -n "${pids[@]}"
