#!/usr/bin/env bash
# Inspect and replay RabbitMQ dead letters:  scripts/dead-letters.sh list | show <queue> | replay <queue>
# Uses the same RabbitMQ__* environment variables as the services.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
dll="$BIN/OrderX.DeadLetters/$CONFIG_DIR/OrderX.DeadLetters.dll"
[[ -f "$dll" ]] || build
exec dotnet "$dll" "$@"
