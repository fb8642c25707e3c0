#!/usr/bin/env bash
# Stops whatever scripts/start.sh started (either mode).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

shopt -s nullglob
pids=("$RUN_DIR"/*.pid)
if ((${#pids[@]} == 0)); then
  log "nothing to stop"
  exit 0
fi
for file in "${pids[@]}"; do
  pid=$(cat "$file")
  kill -TERM "$pid" 2>/dev/null && log "stopping $(basename "$file" .pid) ($pid)"
done
for file in "${pids[@]}"; do
  pid=$(cat "$file")
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$file"
done
log "stopped"
