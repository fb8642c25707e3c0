#!/usr/bin/env bash
# Builds every project of OrderX (services, gateway, hosts, tests, benchmarks).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
no_options "$@"
build
log "built into $BIN"
