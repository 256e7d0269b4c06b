#!/usr/bin/env bash
# Stops what deploy/local/up.sh started: the four service processes (SIGTERM, so a worker finishes the batch in hand,
# then SIGKILL after PIPELINE_STOP_TIMEOUT seconds), then Azurite, RabbitMQ and PostgreSQL.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$root/deploy/local/services.sh"
: "${PIPELINE_STOP_TIMEOUT:=130}"
run_dir="$PIPELINE_SERVICES_DIR/run"

for name in coordinator invert diffcam deghost; do
  pidfile="$run_dir/$name.pid"
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 "$PIPELINE_STOP_TIMEOUT"); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    printf '[down] %s stopped\n' "$name" >&2
  fi
  rm -f "$pidfile"
done
pipeline_services_stop
printf '[down] services stopped\n' >&2
