#!/usr/bin/env bash
# Runs every test: unit tests, the transport conformance suite (in-process and RabbitMQ), the outbox tests
# on PostgreSQL, the end-to-end tests of both run modes and the benchmark smoke test.
# Needs PostgreSQL (login orderx/orderx) and RabbitMQ on localhost, as scripts/infra.sh sets them up.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

if ! port_open 127.0.0.1 5432 || ! port_open 127.0.0.1 5672; then
  log "the integration tests need PostgreSQL on 5432 and RabbitMQ on 5672;"
  log "run scripts/infra.sh (as root, installs and starts both) and try again"
  exit 1
fi
build
log "running the tests"
dotnet test "$ROOT/OrderX.slnx" -c "$CONFIGURATION" --no-build -nologo "$@"
