#!/usr/bin/env bash
# Stops whatever scripts/start.sh started; --docker stops the containers of start.sh --docker.
#   scripts/stop.sh [--docker]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
case "${1:-}" in
  ""|--docker) ;;
  -h|--help) usage; exit 0 ;;
  *) log "unknown option $1"; usage; exit 2 ;;
esac

if [[ "${1:-}" == "--docker" ]]; then
  compose=$(compose_command) || { log "Docker compose is not installed"; exit 1; }
  docker info >/dev/null 2>&1 || { log "the Docker engine is not running; nothing to stop"; exit 1; }
  # Named volumes survive: the next 'start.sh --docker' finds its data again ('down -v' would delete it).
  $compose -p orderx -f "$ROOT/infra/docker-compose.yml" down
  exit 0
fi

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
