#!/usr/bin/env bash
# The failure suite: a distributed OrderX of its own (databases orderxchaos_*, exchange orderx-chaos, free ports,
# .run/chaos) under a steady open-loop load, while each service is killed (kill -9) and restarted with
# start.sh --only, a second payment and product instance comes and goes, the network to RabbitMQ is cut, RabbitMQ
# is stopped and killed and PostgreSQL restarted and stopped -m immediate. Then it audits the databases, the
# mailbox and the broker, prints the tables and exits 1 on any accepted order lost or any effect doubled.
#   scripts/chaos.sh [--minutes N] [--rate ORDERS_PER_S] [--customers N] [--kafka HOST:PORT] [--no-build]
# The broker and database faults use Debian's pg_ctlcluster and rabbitmqctl and need root (scripts/infra.sh's
# setup); without root they are left out and said so. With --kafka the broker faults are left out too: the
# cluster is not this machine's to restart.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

BUILD=1
ARGS=()
while (($#)); do
  case "$1" in
    --minutes|--rate|--customers|--kafka)
      [[ $# -ge 2 && $2 != -* ]] || { log "$1 needs a value"; usage; exit 2; }
      ARGS+=("$1" "$2"); shift ;;
    --no-build) BUILD=0 ;;
    -h|--help) usage; exit 0 ;;
    *) log "unknown option $1"; usage; exit 2 ;;
  esac
  shift
done

if ! port_open 127.0.0.1 5432 || ! port_open 127.0.0.1 5672; then
  log "the failure suite needs PostgreSQL on 5432 and RabbitMQ on 5672; run scripts/infra.sh (as root) first"
  exit 1
fi
[[ $BUILD == 1 ]] && build
exec dotnet "$BIN/OrderX.Chaos/$CONFIG_DIR/OrderX.Chaos.dll" --root "$ROOT" "${ARGS[@]}"
