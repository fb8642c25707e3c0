#!/usr/bin/env bash
# Builds every project of OrderX (services, gateway, hosts, tests, benchmarks).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
build
log "built into $BIN"
