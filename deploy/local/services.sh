#!/usr/bin/env bash
# Start/stop PostgreSQL, RabbitMQ and Azurite on 127.0.0.1 for one box (tests and deploy/local/up.sh).
# Sourced, not executed: defines pipeline_services_start / pipeline_services_stop and exports the connection settings.
# Everything lives under PIPELINE_SERVICES_DIR (default .services/ in the repository); installs what is missing.
# Each step says why it is done the way it is (Debian 12, as root); docs/distributed.md ("Running each mode") shows the
# services in use.

: "${PIPELINE_SERVICES_DIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/.services}"
# Exported: programs that run these functions in a child shell (pipeline bench faults) must reach the same services.
export PIPELINE_SERVICES_DIR
: "${PIPELINE_PG_PORT:=55432}"
: "${PIPELINE_RABBIT_PORT:=5672}"
: "${PIPELINE_BLOB_PORT:=10000}"
AZURITE_VERSION=3.35.0   # 3.37 needs Node 22; Debian 12 has Node 20

_svc_log() { printf '[services] %s\n' "$*" >&2; }

_svc_apt_once() {
  if [ -z "${_SVC_APT_UPDATED:-}" ]; then apt-get update -qq >/dev/null 2>&1 || true; _SVC_APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1
}

_svc_pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

pipeline_postgres_start() {
  local bin; bin=$(_svc_pg_bin)
  if [ -z "$bin" ]; then _svc_log "installing postgresql"; _svc_apt_once postgresql; bin=$(_svc_pg_bin); fi
  local dir="$PIPELINE_SERVICES_DIR/pg"
  mkdir -p "$dir"; chown postgres:postgres "$dir"; chmod 700 "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    # initdb refuses root: run it as postgres in a folder postgres owns.
    su postgres -s /bin/sh -c "$bin/initdb -D '$dir/data' -U postgres -A trust >/dev/null"
    cat >> "$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PIPELINE_PG_PORT
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
CONF
  fi
  # Already running (a second start, e.g. up.sh after the tests): keep it.
  if ! su postgres -s /bin/sh -c "$bin/pg_ctl -D '$dir/data' status >/dev/null 2>&1"; then
    su postgres -s /bin/sh -c "$bin/pg_ctl -D '$dir/data' -l '$dir/log' -w -t 60 start >/dev/null" || { _svc_log "postgres failed"; tail -n 20 "$dir/log" >&2; return 1; }
  fi
  # The application role needs CREATEDB for EF migrations on a fresh database.
  psql -h 127.0.0.1 -p "$PIPELINE_PG_PORT" -U postgres -qtAc \
    "DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='pipeline') THEN CREATE ROLE pipeline LOGIN CREATEDB PASSWORD 'pipeline'; END IF; END\$\$;" >/dev/null
  export PIPELINE_POSTGRES="Host=127.0.0.1;Port=$PIPELINE_PG_PORT;Username=pipeline;Password=pipeline;Database=pipeline"
}

pipeline_postgres_stop() {
  local bin; bin=$(_svc_pg_bin); local dir="$PIPELINE_SERVICES_DIR/pg"
  [ -n "$bin" ] && [ -f "$dir/data/postmaster.pid" ] && su postgres -s /bin/sh -c "$bin/pg_ctl -D '$dir/data' -m fast -w stop >/dev/null" || true
}

_svc_rabbit_env() {
  local dir="$PIPELINE_SERVICES_DIR/rabbit"
  mkdir -p "$dir/mnesia" "$dir/log"
  : > "$dir/enabled_plugins.tmp"; echo "[]." > "$dir/enabled_plugins"
  [ -f "$dir/rabbitmq.conf" ] || printf 'listeners.tcp.default = 127.0.0.1:%s\nloopback_users = none\n' "$PIPELINE_RABBIT_PORT" > "$dir/rabbitmq.conf"
  export HOME="$dir" RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" RABBITMQ_PID_FILE="$dir/rabbit.pid" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" RABBITMQ_CONFIG_FILE="$dir/rabbitmq" \
    RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$PIPELINE_RABBIT_PORT" ERL_EPMD_ADDRESS=127.0.0.1 RABBITMQ_NODENAME=rabbit@localhost
}

pipeline_rabbitmq_start() {
  if [ ! -x /usr/lib/rabbitmq/bin/rabbitmq-server ]; then _svc_log "installing rabbitmq-server"; _svc_apt_once rabbitmq-server; fi
  if ! ( _svc_rabbit_env; /usr/lib/rabbitmq/bin/rabbitmqctl -q await_startup >/dev/null 2>&1 ); then
    ( _svc_rabbit_env; nohup /usr/lib/rabbitmq/bin/rabbitmq-server >"$RABBITMQ_LOG_BASE/stdout.log" 2>&1 & )
  fi
  local i
  for i in $(seq 1 60); do
    if ( _svc_rabbit_env; /usr/lib/rabbitmq/bin/rabbitmqctl -q await_startup >/dev/null 2>&1 ); then
      export PIPELINE_RABBITMQ="amqp://guest:guest@127.0.0.1:$PIPELINE_RABBIT_PORT/"
      return 0
    fi
    sleep 1
  done
  _svc_log "rabbitmq did not start"; tail -n 30 "$PIPELINE_SERVICES_DIR/rabbit/log/"*.log >&2 2>/dev/null; return 1
}

pipeline_rabbitmq_stop() {
  local pidfile="$PIPELINE_SERVICES_DIR/rabbit/rabbit.pid" pid i
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile" 2>/dev/null)
  ( _svc_rabbit_env; /usr/lib/rabbitmq/bin/rabbitmqctl -q stop "$RABBITMQ_PID_FILE" >/dev/null 2>&1 ) || true
  # rabbitmqctl may return while the node's process still holds its ports; a start then fails (dist_port_already_used).
  for i in $(seq 1 60); do { [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; } || break; sleep 0.5; done
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null; fi
  ( _svc_rabbit_env; epmd -kill >/dev/null 2>&1 ) || true
}

# One line per queue, "name<TAB>messages ready" (the fault suite reads the _error queues' depths).
pipeline_rabbitmq_queues() {
  ( _svc_rabbit_env; /usr/lib/rabbitmq/bin/rabbitmqctl -q list_queues --no-table-headers name messages )
}

pipeline_azurite_start() {
  local dir="$PIPELINE_SERVICES_DIR/azurite"
  mkdir -p "$dir/data"
  if [ ! -x "$dir/node_modules/.bin/azurite-blob" ]; then
    _svc_log "installing azurite@$AZURITE_VERSION"
    (cd "$dir" && npm install --silent --no-audit --no-fund "azurite@$AZURITE_VERSION" >/dev/null 2>&1) || { _svc_log "npm install azurite failed"; return 1; }
  fi
  # --skipApiVersionCheck: Azure.Storage.Blobs sends a newer API version than Azurite 3.35 knows.
  # --silent: no access-log line per request (measured: part of Azurite's CPU per request; docs/benchmarks.md).
  if (exec 3<>"/dev/tcp/127.0.0.1/$PIPELINE_BLOB_PORT") 2>/dev/null; then _svc_log "azurite already listening"; else
  nohup "$dir/node_modules/.bin/azurite-blob" --blobHost 127.0.0.1 --blobPort "$PIPELINE_BLOB_PORT" --location "$dir/data" \
    --skipApiVersionCheck --loose --disableTelemetry --silent >"$dir/azurite.log" 2>&1 &
  echo $! > "$dir/azurite.pid"
  fi
  local i
  for i in $(seq 1 60); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$PIPELINE_BLOB_PORT") 2>/dev/null; then
      export PIPELINE_BLOBS="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$PIPELINE_BLOB_PORT/devstoreaccount1;"
      return 0
    fi
    sleep 0.5
  done
  _svc_log "azurite did not start"; cat "$dir/azurite.log" >&2; return 1
}

pipeline_azurite_stop() {
  local pidfile="$PIPELINE_SERVICES_DIR/azurite/azurite.pid"
  [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null; rm -f "$pidfile"; true
}

# One line per running service, "name pid" (the process whose descendants are the rest of that service: PostgreSQL's
# postmaster, RabbitMQ's Erlang VM, Azurite's node), from the files each start leaves: pipeline bench pipeline reads
# their CPU time from /proc.
pipeline_services_pids() {
  local pg="$PIPELINE_SERVICES_DIR/pg/data/postmaster.pid" rabbit="$PIPELINE_SERVICES_DIR/rabbit/rabbit.pid" \
    azurite="$PIPELINE_SERVICES_DIR/azurite/azurite.pid" pid
  [ -r "$pg" ] && pid=$(head -n 1 "$pg") && [ -d "/proc/$pid" ] && echo "postgres $pid"
  [ -r "$rabbit" ] && pid=$(head -n 1 "$rabbit") && [ -d "/proc/$pid" ] && echo "rabbitmq $pid"
  [ -r "$azurite" ] && pid=$(head -n 1 "$azurite") && [ -d "/proc/$pid" ] && echo "azurite $pid"
  return 0
}

pipeline_services_start() { pipeline_postgres_start && pipeline_rabbitmq_start && pipeline_azurite_start; }
pipeline_services_stop() { pipeline_azurite_stop; pipeline_rabbitmq_stop; pipeline_postgres_stop; }
