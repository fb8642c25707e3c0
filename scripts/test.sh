#!/usr/bin/env bash
# Runs every test: unit tests, the transport conformance suite (in-process, RabbitMQ and Kafka on librdkafka's
# mock cluster), the outbox tests on PostgreSQL, the end-to-end tests of both run modes and on Kafka, and the
# benchmark smoke test; then the two-minute failure suite (scripts/chaos.sh: faults under load, then an audit for
# anything lost or doubled), alone, because it restarts PostgreSQL and RabbitMQ. Needs PostgreSQL (login orderx/orderx) and RabbitMQ on localhost, as scripts/infra.sh sets
# them up. ORDERX_KAFKA_BOOTSTRAP=host:port runs the Kafka suites on that broker instead of the mock.
#   scripts/test.sh [dotnet test options, e.g. --filter FullyQualifiedName~Kafka]
# With dotnet test options, only those tests run (no failure suite).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
case "${1:-}" in -h|--help) usage; exit 0 ;; esac

if ! port_open 127.0.0.1 5432 || ! port_open 127.0.0.1 5672; then
  log "the integration tests need PostgreSQL on 5432 and RabbitMQ on 5672;"
  log "run scripts/infra.sh (as root, installs and starts both) and try again"
  exit 1
fi
build
log "running the tests"
mkdir -p "$RUN_DIR"
output="$RUN_DIR/test-output.txt"
status=0
dotnet test "$ROOT/OrderX.slnx" -c "$CONFIGURATION" --no-build -nologo "$@" 2>&1 | tee "$output" || status=$?

chaos=
if (($# == 0)); then
  log "running the failure suite (two minutes of faults under load, then the audit)"
  if bash "$ROOT/scripts/chaos.sh" --no-build --minutes 2; then chaos="failure suite: passed"; else chaos="failure suite: FAILED"; status=1; fi
fi

# One closing line over every test assembly, from dotnet test's per-assembly summaries.
grep -E '^(Passed|Failed)!' "$output" | awk -F'[:,]' '
  { for (i = 1; i <= NF; i++) { if ($i ~ /Failed$/) failed += $(i+1); if ($i ~ /Passed$/) passed += $(i+1); if ($i ~ /Skipped$/) skipped += $(i+1) } }
  END { printf "tests: %d passed, %d failed, %d skipped\n", passed, failed, skipped }'
[[ -z $chaos ]] || echo "$chaos"
exit $status
