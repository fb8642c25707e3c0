#!/usr/bin/env bash
# Installs (Debian, as root) and starts the PostgreSQL and RabbitMQ that distributed mode and the
# integration tests use, and creates the `orderx` login; installs Prometheus (for its promtool; not started) and
# chromium (the browser tests drive it; Playwright never downloads one).
# Safe to run again: each step checks first.
#   scripts/infra.sh            install if missing, start, create the role
#   scripts/infra.sh --no-install   only start and create the role
set -euo pipefail

PG_USER="${ORDERX_PG_USER:-orderx}"
PG_PASSWORD="${ORDERX_PG_PASSWORD:-orderx}"
INSTALL=1
log() { echo "[infra] $*"; }
usage() { sed -n '2,/^[^#]/{/^#/p}' "$0"; }
case "${1:-}" in
  "") ;;
  --no-install) INSTALL=0 ;;
  -h|--help) usage; exit 0 ;;
  *) log "unknown option $1"; usage; exit 2 ;;
esac

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if [[ $INSTALL == 1 && $(id -u) == 0 ]]; then
  missing=()
  command -v rabbitmq-server >/dev/null || missing+=(rabbitmq-server)
  command -v pg_ctlcluster >/dev/null || missing+=(postgresql)
  # Validates infra/docker-compose.yml in the tests; it needs no Docker engine for that.
  command -v docker-compose >/dev/null || missing+=(docker-compose)
  [[ -x /usr/bin/chromium ]] || missing+=(chromium)
  if ((${#missing[@]})); then
    log "installing ${missing[*]} (apt; about a minute on a new machine)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  # promtool checks the alert rules in the tests; Prometheus itself is not started here.
  if ! command -v promtool >/dev/null; then
    log "installing prometheus (apt)"
    ((${#missing[@]})) || apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
  fi
fi

if port_open 5432; then
  log "PostgreSQL already listening on 5432"
else
  cluster=$(pg_lsclusters --no-header 2>/dev/null | awk 'NR==1 {print $1" "$2}')
  [[ -n "$cluster" ]] || { log "no PostgreSQL cluster found (pg_lsclusters)"; exit 1; }
  log "starting PostgreSQL cluster $cluster"
  pg_ctlcluster $cluster start
fi
for _ in $(seq 1 60); do port_open 5432 && break; sleep 0.5; done
port_open 5432 || { log "PostgreSQL did not start"; exit 1; }

if [[ $(id -u) == 0 ]]; then
  # TCP logins need a password; the postgres superuser has none, so OrderX gets its own role.
  su postgres -c "psql -v ON_ERROR_STOP=1 -qtAc \"DO \\\$\\\$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_USER') THEN
        CREATE ROLE $PG_USER LOGIN CREATEDB PASSWORD '$PG_PASSWORD';
      END IF; END \\\$\\\$;\"" >/dev/null
  log "PostgreSQL role '$PG_USER' ready"
  # Debian's default of 100 connections is less than a distributed OrderX (six processes, pools of 20),
  # a second payment instance and the benchmark need at once.
  if (( $(su postgres -c "psql -qtAc 'SHOW max_connections'") < 300 )); then
    su postgres -c "psql -qtAc 'ALTER SYSTEM SET max_connections = 300'" >/dev/null
    cluster=$(pg_lsclusters --no-header | awk 'NR==1 {print $1" "$2}')
    log "raising max_connections to 300 (restarting cluster $cluster)"
    pg_ctlcluster $cluster restart
    for _ in $(seq 1 60); do port_open 5432 && break; sleep 0.5; done
  fi
fi

if port_open 5672; then
  log "RabbitMQ already listening on 5672"
else
  log "starting RabbitMQ"
  rabbitmq-server -detached
fi
for _ in $(seq 1 120); do rabbitmqctl -q status >/dev/null 2>&1 && port_open 5672 && break; sleep 0.5; done
port_open 5672 || { log "RabbitMQ did not start"; exit 1; }
log "RabbitMQ ready on 5672"
