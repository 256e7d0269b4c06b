#!/usr/bin/env bash
# One box, real services: starts PostgreSQL, RabbitMQ and Azurite on 127.0.0.1 (installing them if needed, see
# services.sh), builds the solution if needed, then runs the coordinator and the three stage workers as background
# processes. Stop everything with deploy/local/down.sh.
#
#   deploy/local/up.sh                      # the real stage workers (src/Workers.*)
#   PIPELINE_WORKERS=test deploy/local/up.sh  # deterministic test processors (tests/TestWorkers): checks the machinery
#                                           # without model weights; they do NOT run the method
#
# Then: pipeline submit --coordinator http://127.0.0.1:5080 --api-key "$(cat .services/api-key)" --input DIR --edit smile=1 --wait --out OUT
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
source deploy/local/services.sh

: "${PIPELINE_COORDINATOR_PORT:=5080}"
: "${PIPELINE_WORKERS:=real}"
: "${PIPELINE_CONFIGURATION:=Release}"
run_dir="$PIPELINE_SERVICES_DIR/run"
mkdir -p "$run_dir"

log() { printf '[up] %s\n' "$*" >&2; }

pipeline_services_start

if [ ! -s "$PIPELINE_SERVICES_DIR/api-key" ]; then
  head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$PIPELINE_SERVICES_DIR/api-key"
  chmod 600 "$PIPELINE_SERVICES_DIR/api-key"
fi

bin() { echo "$root/$1/bin/$PIPELINE_CONFIGURATION/net10.0/linux-x64/$2.dll"; }
coordinator=$(bin src/Coordinator Pipeline.Coordinator)
if [ "$PIPELINE_WORKERS" = test ]; then
  workers=("Invert:$(bin tests/TestWorkers Pipeline.TestWorkers)" "DiffCam:$(bin tests/TestWorkers Pipeline.TestWorkers)" "Deghost:$(bin tests/TestWorkers Pipeline.TestWorkers)")
else
  workers=("Invert:$(bin src/Workers.Invert Pipeline.Workers.Invert)" "DiffCam:$(bin src/Workers.DiffCam Pipeline.Workers.DiffCam)" "Deghost:$(bin src/Workers.Deghost Pipeline.Workers.Deghost)")
fi
for dll in "$coordinator" "${workers[@]#*:}"; do
  if [ ! -f "$dll" ]; then
    log "building ($PIPELINE_CONFIGURATION)"
    dotnet build Pipeline.sln -c "$PIPELINE_CONFIGURATION" -nologo -v q >&2
    break
  fi
done

# Settings shared by every service (the services read them as configuration: Section__Key).
export BusOptions__Transport=RabbitMq BusOptions__RabbitMqUri="$PIPELINE_RABBITMQ"
export BlobStorageOptions__Kind=Azure BlobStorageOptions__ConnectionString="$PIPELINE_BLOBS" BlobStorageOptions__Container=pipeline
export DOTNET_gcServer=0
# Rarer collections: TorchSharp 0.107 can free an implicit Scalar mid-call when a GC runs then (docs/distributed.md).
export DOTNET_GCgen0size=0x4000000

start() { # name port dll [VAR=value…]
  local name=$1 port=$2 dll=$3; shift 3
  if [ -f "$run_dir/$name.pid" ] && kill -0 "$(cat "$run_dir/$name.pid")" 2>/dev/null; then
    log "$name already running (pid $(cat "$run_dir/$name.pid"))"; return 0
  fi
  env "$@" ASPNETCORE_URLS="http://127.0.0.1:$port" nohup dotnet "$dll" >"$run_dir/$name.log" 2>&1 &
  echo $! > "$run_dir/$name.pid"
  echo "$port" > "$run_dir/$name.port"
  log "$name: pid $!, http://127.0.0.1:$port, log $run_dir/$name.log"
}

start coordinator "$PIPELINE_COORDINATOR_PORT" "$coordinator" \
  DatabaseOptions__Provider=Postgres DatabaseOptions__ConnectionString="$PIPELINE_POSTGRES" \
  ApiOptions__ApiKeys__0="$(cat "$PIPELINE_SERVICES_DIR/api-key")"
port=$PIPELINE_COORDINATOR_PORT
for worker in "${workers[@]}"; do
  stage=${worker%%:*}; port=$((port + 1))
  # Three libtorch processes share this box's cores: each takes a third, or they oversubscribe and contend.
  start "$(echo "$stage" | tr '[:upper:]' '[:lower:]')" "$port" "${worker#*:}" TestProcessorOptions__Stage="$stage" \
    Models__Threads="$(( $(nproc) / 3 > 0 ? $(nproc) / 3 : 1 ))"
done

# Readiness: bus connected, database reachable, models loaded.
for name in coordinator invert diffcam deghost; do
  port=$(cat "$run_dir/$name.port")
  for _ in $(seq 1 240); do
    if curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; then log "$name ready"; continue 2; fi
    if ! kill -0 "$(cat "$run_dir/$name.pid")" 2>/dev/null; then
      log "$name exited; last lines of its log:"; tail -n 20 "$run_dir/$name.log" >&2; exit 1
    fi
    sleep 0.5
  done
  log "$name not ready after 120 s (see $run_dir/$name.log)"; exit 1
done
log "up: coordinator http://127.0.0.1:$PIPELINE_COORDINATOR_PORT (API key in $PIPELINE_SERVICES_DIR/api-key)"
