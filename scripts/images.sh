#!/usr/bin/env bash
# Builds every OrderX container image: first the two shared stages of infra/docker/Dockerfile (orderx/build,
# orderx/runtime), then each deployable's own Dockerfile on top of them. Needs a running Docker engine.
#   scripts/images.sh [-h|--help]
set -euo pipefail
source "$(dirname "$0")/lib.sh"

for arg in "$@"; do
  case "$arg" in
    -h|--help) usage; exit 0 ;;
    *) log "unknown option $arg"; usage; exit 2 ;;
  esac
done
command -v docker >/dev/null && docker info >/dev/null 2>&1 || { log "building images needs a running Docker engine (docker info failed)"; exit 1; }

cd "$ROOT"
for stage in build runtime; do
  log "building the shared stage orderx/$stage (infra/docker/Dockerfile)"
  docker build -f infra/docker/Dockerfile --target "$stage" -t "orderx/$stage" .
done
for image in gateway:gateway/Dockerfile user:services/user-service/Dockerfile product:services/product-service/Dockerfile \
  order:services/order-service/Dockerfile payment:services/payment-service/Dockerfile \
  notification:services/notification-service/Dockerfile web:web/Dockerfile allinone:hosts/OrderX.AllInOne/Dockerfile; do
  log "building orderx/${image%%:*} (${image#*:})"
  docker build -f "${image#*:}" -t "orderx/${image%%:*}" .
done
