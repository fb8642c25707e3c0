#!/usr/bin/env bash
# Benchmarks OrderX end to end: starts it (embedded by default), runs bench/OrderX.Bench against the gateway,
# stops it, writes bench/results/<date>-<mode>.json and .md, and refreshes the table in README.md.
#   scripts/bench.sh [--distributed | --kafka HOST:PORT] [--duration SECONDS] [--customers N] [--rate ORDERS_PER_S] [--warmup SECONDS]
# --kafka runs the distributed mode on that Kafka cluster (topics and groups prefixed orderx-bench.); its results
# are written as distributed-kafka and left out of the README's tables.
# The run uses its own data (embedded: .run/bench-data; distributed: databases orderxbench_*, exchange
# orderx-bench), so it never touches the data of a development instance.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

MODE=embedded
KAFKA=
BENCH_ARGS=()
while (($#)); do
  case "$1" in
    --distributed) [[ -n $KAFKA ]] || MODE=distributed ;;
    --kafka)
      [[ $# -ge 2 && $2 != -* ]] || { log "--kafka needs the cluster's bootstrap servers (HOST:PORT)"; exit 2; }
      MODE=distributed-kafka KAFKA=$2; shift ;;
    -h|--help) usage; exit 0 ;;
    # Passed on to the load generator; anything else is refused now, before OrderX is built and started.
    --duration|--customers|--rate|--warmup|--limit-duration)
      [[ $# -ge 2 && $2 != -* ]] || { log "$1 needs a value"; usage; exit 2; }
      BENCH_ARGS+=("$1" "$2"); shift ;;
    --skip-limits|--gateway-only) BENCH_ARGS+=("$1") ;;
    *) log "unknown option $1"; usage; exit 2 ;;
  esac
  shift
done

if ls "$RUN_DIR"/*.pid >/dev/null 2>&1; then
  log "OrderX is already running; stop it first (scripts/stop.sh) so the benchmark measures its own instance"
  exit 1
fi

build
export Data__Path="$RUN_DIR/bench-data" Database__NamePrefix=orderxbench_ RabbitMQ__Exchange=orderx-bench Kafka__Prefix=orderx-bench.
# One benchmark customer on one address places hundreds of orders a second: the gateway's rate limits (which
# protect the shop from exactly that) would measure themselves, so they are lifted for the run.
export Gateway__RateLimits__CustomerPerSecond=1000000 Gateway__RateLimits__CustomerBurst=1000000 \
       Gateway__RateLimits__AddressPerSecond=1000000 Gateway__RateLimits__AddressBurst=1000000
# The last run's data is moved aside, not deleted. On ext4 without a journal (this machine; many VMs), a freshly
# freed inode is not reused for a few minutes, and every new file's allocation scans past each one: deleting the
# last run's tens of thousands of e-mails made each e-mail of this run ~6x dearer to create (240 vs 40 µs), 9% of
# the embedded mode's CPU in the profile. Set-aside runs are deleted after the run, once they are an hour old.
trash="$RUN_DIR/bench-trash"
if [[ -e $Data__Path ]]; then mkdir -p "$trash" && mv "$Data__Path" "$trash/$(date +%Y%m%d-%H%M%S)"; fi
bench() { dotnet "$BIN/OrderX.Bench/$CONFIG_DIR/OrderX.Bench.dll" "$@"; }
[[ $MODE == distributed* ]] && bench --drop-databases
trap '"$ROOT/scripts/stop.sh" >/dev/null; [[ -d $trash ]] && find "$trash" -mindepth 1 -maxdepth 1 -mmin +60 -exec rm -rf {} +' EXIT
if [[ $MODE == distributed ]]; then
  "$ROOT/scripts/start.sh" --distributed --no-build
elif [[ $MODE == distributed-kafka ]]; then
  "$ROOT/scripts/start.sh" --kafka "$KAFKA" --no-build
else
  "$ROOT/scripts/start.sh" --no-build
fi

bench --mode "$MODE" --gateway "http://localhost:$(gateway_port)" \
  --direct "http://localhost:${Ports__order:-5103}" --run-dir "$RUN_DIR" --data-dir "$Data__Path" \
  --out "$ROOT/bench/results" "${BENCH_ARGS[@]}"

# The README shows the latest table of each mode between these markers.
readme="$ROOT/README.md"
if grep -q '<!-- bench:start -->' "$readme"; then
  {
    sed -n '1,/<!-- bench:start -->/p' "$readme"
    for mode in embedded distributed; do
      [[ -f "$ROOT/bench/results/latest-$mode.md" ]] && { echo; cat "$ROOT/bench/results/latest-$mode.md"; }
    done
    echo
    sed -n '/<!-- bench:end -->/,$p' "$readme"
  } >"$readme.tmp" && mv "$readme.tmp" "$readme"
  log "README.md updated with the latest figures"
fi
