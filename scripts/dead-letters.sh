#!/usr/bin/env bash
# Inspect, replay and discard dead letters, on RabbitMQ (default) or Kafka:
#   scripts/dead-letters.sh [--kafka HOST:PORT] list | show <place|service> | replay <place|service> | discard <place|service>
# RabbitMQ keeps a dead-letter queue per subscription (a place is the subscription's queue, as list prints it); Kafka
# keeps a dead-letter topic per service's consumer group. A service's name stands for all its places. The same
# operations as each service's GET/POST /api/admin/dead-letters. Uses the services' own settings: RabbitMQ__*
# variables, or Kafka__* with Messaging__Transport=kafka (which --kafka sets).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
case "${1:-}" in
  -h|--help) usage; exit 0 ;;
  --kafka)
    [[ $# -ge 2 && $2 != -* ]] || { log "--kafka needs the cluster's bootstrap servers (HOST:PORT)"; exit 2; }
    export Messaging__Transport=kafka Kafka__BootstrapServers=$2; shift 2 ;;
esac
case "${1:-}" in
  list|show|replay|discard) ;;
  *) usage; exit 2 ;;
esac
dll="$BIN/OrderX.DeadLetters/$CONFIG_DIR/OrderX.DeadLetters.dll"
[[ -f "$dll" ]] || build
exec dotnet "$dll" "$@"
