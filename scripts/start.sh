#!/usr/bin/env bash
# Starts OrderX and returns once the gateway answers its readiness check.
#   scripts/start.sh                 embedded default: one process, SQLite under ./data, in-process bus
#   scripts/start.sh --distributed   one process per service, PostgreSQL + RabbitMQ
#   scripts/start.sh --docker        distributed in containers (infra/docker-compose.yml; needs a Docker engine)
#   --kafka HOST:PORT                distributed on the Kafka cluster there instead of RabbitMQ (implies --distributed)
#   --only SERVICE                   (re)start one service of a distributed run (user, product, order, payment,
#                                    notification, web or gateway), e.g. after it crashed or was killed; implies --distributed
#   --no-build                       use what scripts/build_all.sh built
# Each service's pid file (.run/<service>.pid) names the process that holds its port: kill -9 $(cat .run/payment.pid)
# is a crash of the payment service.
# Every setting is an environment variable read by the services (e.g. Ports__gateway=9090,
# ConnectionStrings__Postgres="Host=db;Username=orderx;Password=secret", RabbitMQ__Host=mq).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

MODE=embedded
BUILD=1
KAFKA=
ONLY=
while (($#)); do
  case "$1" in
    --distributed) MODE=distributed ;;
    --docker) MODE=docker ;;
    --kafka)
      [[ $# -ge 2 && $2 != -* ]] || { log "--kafka needs the cluster's bootstrap servers (HOST:PORT[,HOST:PORT...])"; exit 2; }
      MODE=distributed KAFKA=$2; shift ;;
    --only)
      [[ $# -ge 2 && $2 != -* ]] || { log "--only needs a service: $(service_names)"; exit 2; }
      service_project "$2" >/dev/null || { log "unknown service $2; one of: $(service_names)"; exit 2; }
      [[ $MODE == docker ]] && { log "--only starts a local process; with --docker use: docker compose restart <service>"; exit 2; }
      MODE=distributed ONLY=$2; shift ;;
    --no-build) BUILD=0 ;;
    -h|--help) usage; exit 0 ;;
    *) log "unknown option $1"; usage; exit 2 ;;
  esac
  shift
done

if [[ $MODE == docker ]]; then
  compose=$(compose_command) || { log "--docker needs Docker with the compose plugin (or docker-compose) and a running engine"; exit 1; }
  docker info >/dev/null 2>&1 || { log "the Docker engine is not running (docker info failed); start it, or use --distributed without containers"; exit 1; }
  bash "$ROOT/scripts/images.sh"
  log "starting the containers (infra/docker-compose.yml)"
  $compose -p orderx -f "$ROOT/infra/docker-compose.yml" up -d
  if wait_for_gateway 360; then
    log "OrderX (docker) is ready: http://localhost:$(gateway_port)   logs: $compose -p orderx -f infra/docker-compose.yml logs -f   stop: scripts/stop.sh --docker"
    exit 0
  fi
  log "the gateway did not become ready within 3 minutes; see: $compose -p orderx -f infra/docker-compose.yml ps"
  exit 1
fi

mkdir -p "$RUN_DIR"
# A pid file whose process is gone (a crash, a kill -9, a reboot) is left over: it must not block this start.
# With --only, only that service's own pid file counts: the rest of the run goes on around it.
for file in "$RUN_DIR"/*.pid; do
  [[ -e $file ]] || continue
  name=$(basename "$file" .pid)
  [[ -n $ONLY && $name != "$ONLY" ]] && continue
  if kill -0 "$(cat "$file")" 2>/dev/null; then
    if [[ -n $ONLY ]]; then log "$ONLY is running already (process $(cat "$file")); stop it first: kill $(cat "$file")"
    else log "OrderX is running already ($name is process $(cat "$file")); run scripts/stop.sh first"; fi
    exit 1
  fi
  log "removing a stale pid file: $name (process $(cat "$file") is gone)"
  rm -f "$file"
done
first_port=$(gateway_port) first_port_key=Ports__gateway
[[ -n $ONLY ]] && first_port=$(service_port "$ONLY") first_port_key=Ports__$ONLY
if port_open 127.0.0.1 "$first_port"; then
  log "port $first_port is taken by another program; set $first_port_key to use another"
  exit 1
fi

check_infrastructure() {
  local pg_host=localhost pg_port=5432 missing=0
  if [[ "${ConnectionStrings__Postgres:-}" =~ Host=([^;]+) ]]; then pg_host=${BASH_REMATCH[1]}; fi
  if [[ "${ConnectionStrings__Postgres:-}" =~ Port=([0-9]+) ]]; then pg_port=${BASH_REMATCH[1]}; fi
  local mq_host=${RabbitMQ__Host:-localhost} mq_port=${RabbitMQ__Port:-5672}
  if [[ -n $KAFKA ]]; then
    # Any one reachable bootstrap server is enough: the clients learn the rest of the cluster from it.
    local server reachable=0
    for server in ${KAFKA//,/ }; do port_open "${server%:*}" "${server##*:}" && reachable=1 && break; done
    if [[ $reachable == 0 ]]; then
      log "no Kafka bootstrap server of $KAFKA is reachable."
      log "  start the cluster, or pass --kafka with the address of one of its brokers"
      missing=1
    fi
    mq_host= # no RabbitMQ needed
  fi
  if ! port_open "$pg_host" "$pg_port"; then
    log "PostgreSQL is not reachable at $pg_host:$pg_port."
    log "  start it (Debian: pg_ctlcluster 15 main start), or run scripts/infra.sh as root to install and start"
    log "  PostgreSQL and RabbitMQ and create the 'orderx' login; or point ConnectionStrings__Postgres elsewhere."
    missing=1
  elif command -v psql >/dev/null && [[ -z "${ConnectionStrings__Postgres:-}" ]] \
       && ! PGPASSWORD=orderx PGCONNECT_TIMEOUT=3 psql -h "$pg_host" -p "$pg_port" -U orderx -d postgres -qtAc 'select 1' >/dev/null 2>&1; then
    log "PostgreSQL answers at $pg_host:$pg_port but the login orderx/orderx is refused."
    log "  create it, as root: su postgres -c \"psql -c \\\"CREATE ROLE orderx LOGIN CREATEDB PASSWORD 'orderx'\\\"\" (or run scripts/infra.sh as root)"
    missing=1
  fi
  if [[ -n $mq_host ]] && ! port_open "$mq_host" "$mq_port"; then
    log "RabbitMQ is not reachable at $mq_host:$mq_port."
    log "  start it (rabbitmq-server -detached), or run scripts/infra.sh as root (installs it with apt);"
    log "  or set RabbitMQ__Host / RabbitMQ__Port / RabbitMQ__UserName / RabbitMQ__Password."
    missing=1
  fi
  return $missing
}

# Its log files are read by people (tail -f .run/<service>.log): the readable lines, unless told otherwise
# (Logging__Console__FormatterName=orderx-json). Off a terminal, the services' own default is JSON lines.
export Logging__Console__FormatterName=${Logging__Console__FormatterName:-orderx}

start_process() { # name project [extra args...]
  local name=$1 project=$2; shift 2
  local dll="$BIN/$project/$CONFIG_DIR/$project.dll"
  [[ -f "$dll" ]] || { log "$dll is missing: run scripts/build_all.sh"; exit 1; }
  [[ -n $ONLY ]] || : >"$RUN_DIR/$name.log" # a restart adds to the log of the run it rejoins
  # The pid file is written by the shell that then becomes the service (exec keeps its pid), so it names the
  # process holding the port, whether or not setsid had to fork to leave this session.
  setsid nohup bash -c 'echo $$ >"$1" && shift && exec dotnet "$@"' start "$RUN_DIR/$name.pid" "$dll" "$@" \
    >>"$RUN_DIR/$name.log" 2>&1 < /dev/null &
  for _ in $(seq 1 40); do [[ -s "$RUN_DIR/$name.pid" ]] && return 0; sleep 0.05; done
  log "$name did not start (see $RUN_DIR/$name.log)"; exit 1
}

# A local run gets an administrator unless one is configured: its password is generated once and kept, readable
# only by you, under the data folder. Containers and Kubernetes have no such default (see the README).
local_admin() {
  [[ -n "${ORDERX_ADMIN_EMAIL:-}" ]] && return 0
  local dir=${Data__Path:-$ROOT/data}
  mkdir -p "$dir"
  local file="$dir/admin-password"
  [[ -s "$file" ]] || (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=\n' > "$file")
  # Enforced: the password shown here signs in, even where an earlier run (another clone, a deleted ./data, a reused
  # PostgreSQL) left the account with another one. A password you choose is never overwritten this way.
  export ORDERX_ADMIN_EMAIL=admin@orderx.local ORDERX_ADMIN_PASSWORD="$(cat "$file")" ORDERX_ADMIN_PASSWORD_ENFORCED=true
  log "administrator: admin@orderx.local, password in $file (set ORDERX_ADMIN_EMAIL and ORDERX_ADMIN_PASSWORD to choose)"
}

if [[ $MODE == distributed ]]; then
  check_infrastructure || exit 1
fi
[[ -n $ONLY ]] && BUILD=0 # a restart runs what is built, as the rest of the run does
local_admin
[[ $BUILD == 1 ]] && build

if [[ $MODE == embedded ]]; then
  log "starting the all-in-one process (SQLite under ${Data__Path:-./data}, in-process bus)"
  (cd "$ROOT" && start_process allinone OrderX.AllInOne)
  logs="$RUN_DIR/allinone.log"
else
  export Database__Provider=postgres Messaging__Transport=rabbitmq
  if [[ -n $KAFKA ]]; then
    export Messaging__Transport=kafka Kafka__BootstrapServers=$KAFKA
    log "event bus: Kafka at $KAFKA"
  fi
  for entry in "${SERVICES[@]}"; do
    [[ -n $ONLY && ${entry%%:*} != "$ONLY" ]] && continue
    log "starting ${entry%%:*}"
    (cd "$ROOT" && start_process "${entry%%:*}" "${entry##*:}")
  done
  logs="$RUN_DIR/<service>.log"
fi

# One service restarted: it is back when its health report passes (ready, and connected to the broker); a failure
# stops only that service.
if [[ -n $ONLY ]]; then
  file="$RUN_DIR/$ONLY.pid" port=$(service_port "$ONLY")
  for _ in $(seq 1 240); do
    [[ "$(http_status 127.0.0.1 "$port" /health)" == "200" ]] && { log "$ONLY is ready on port $port (process $(cat "$file"))"; exit 0; }
    if ! kill -0 "$(cat "$file")" 2>/dev/null; then
      log "$ONLY exited during start-up; from $RUN_DIR/$ONLY.log:"
      tail -n 15 "$RUN_DIR/$ONLY.log" | cut -c1-240 | sed 's/^/    /'
      rm -f "$file"; exit 1
    fi
    sleep 0.5
  done
  log "$ONLY did not become ready within 2 minutes (see $RUN_DIR/$ONLY.log); stopping it"
  kill -KILL "$(cat "$file")" 2>/dev/null; rm -f "$file"; exit 1
fi

# Until the gateway is ready: a process that exits (a port taken, bad settings, a refused broker login) is said at
# once with the end of its log, and everything this start began is stopped again.
failed() {
  log "$1"
  "$ROOT/scripts/stop.sh" >/dev/null
  exit 1
}
for _ in $(seq 1 480); do
  [[ "$(http_status 127.0.0.1 "$(gateway_port)" /health)" == "200" ]] && {
    log "OrderX ($MODE) is ready: http://localhost:$(gateway_port)   logs: $logs   stop: scripts/stop.sh"
    exit 0
  }
  for file in "$RUN_DIR"/*.pid; do
    if ! kill -0 "$(cat "$file")" 2>/dev/null; then
      name=$(basename "$file" .pid)
      log "$name exited during start-up; from $RUN_DIR/$name.log:"
      # The error itself (its log line and exception message), else the log's last lines.
      { grep -m 4 -E '(crit|fail) |Unhandled exception|[A-Za-z]+Exception: ' "$RUN_DIR/$name.log" || tail -n 15 "$RUN_DIR/$name.log"; } | cut -c1-240 | sed 's/^/    /'
      failed "start-up failed; stopped what had started"
    fi
  done
  sleep 0.5
done
failed "the gateway did not become ready within 4 minutes (see $logs); stopped what had started"
