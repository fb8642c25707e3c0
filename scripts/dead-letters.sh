#!/usr/bin/env bash
# Inspect and replay dead letters, on RabbitMQ (default) or Kafka:
#   scripts/dead-letters.sh [--kafka HOST:PORT] list | show <queue|service> | replay <queue|service>
# RabbitMQ keeps a dead-letter queue per subscription (show/replay take the queue, as list prints it); Kafka keeps a
# dead-letter topic per service's consumer group (show/replay take the service). Uses the services' own settings:
# RabbitMQ__* variables, or Kafka__* with Messaging__Transport=kafka (which --kafka sets).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
case "${1:-}" in
  -h|--help) usage; exit 0 ;;
  --kafka)
    [[ $# -ge 2 && $2 != -* ]] || { log "--kafka needs the cluster's bootstrap servers (HOST:PORT)"; exit 2; }
    export Messaging__Transport=kafka Kafka__BootstrapServers=$2; shift 2 ;;
esac
case "${1:-}" in
  list|show|replay) ;;
  *) usage; exit 2 ;;
esac
dll="$BIN/OrderX.DeadLetters/$CONFIG_DIR/OrderX.DeadLetters.dll"
[[ -f "$dll" ]] || build
exec dotnet "$dll" "$@"
