# Shared by the scripts; sourced, not run.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_DIR="${ORDERX_RUN_DIR:-$ROOT/.run}"
CONFIGURATION="${ORDERX_CONFIGURATION:-Release}"
BIN="$ROOT/artifacts/bin"
CONFIG_DIR="$(echo "$CONFIGURATION" | tr '[:upper:]' '[:lower:]')"

# name:project pairs of the processes distributed mode runs (gateway last: it is ready when all are).
SERVICES=(user:OrderX.Users product:OrderX.Products order:OrderX.Orders payment:OrderX.Payments notification:OrderX.Notifications web:OrderX.Web gateway:OrderX.Gateway)

service_names() { local entry names=(); for entry in "${SERVICES[@]}"; do names+=("${entry%%:*}"); done; echo "${names[*]}"; }

# The project of a service, e.g. payment -> OrderX.Payments; fails for a name that is not a service.
service_project() { local entry; for entry in "${SERVICES[@]}"; do [[ ${entry%%:*} == "$1" ]] && { echo "${entry##*:}"; return 0; }; done; return 1; }

# The port a service listens on: Ports__<name>, else its default (libs/OrderX.ServiceDefaults/OrderXService.cs).
service_port() {
  local variable="Ports__$1"
  [[ -n "${!variable:-}" ]] && { echo "${!variable}"; return; }
  case "$1" in gateway) echo 8080 ;; user) echo 5101 ;; product) echo 5102 ;; order) echo 5103 ;; payment) echo 5104 ;; notification) echo 5105 ;; web) echo 5106 ;; esac
}

log() { echo "[orderx] $*"; }

# The usage of the script that sources this file: the comment block at its top.
usage() { sed -n '2,/^[^#]/{/^#/p}' "$0"; }

# For scripts that take no option but --help: prints the usage and exits for -h/--help, refuses anything else.
no_options() {
  case "${1:-}" in
    "") ;;
    -h|--help) usage; exit 0 ;;
    *) log "unknown option $1"; usage; exit 2 ;;
  esac
}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# Prints the HTTP status of GET http://host:port/path using only bash (curl may not be installed).
http_status() {
  local host=$1 port=$2 path=$3
  (
    exec 3<>"/dev/tcp/$host/$port" || exit 1
    printf 'GET %s HTTP/1.0\r\nHost: %s\r\nConnection: close\r\n\r\n' "$path" "$host" >&3
    timeout 3 head -n1 <&3 | awk '{print $2}'
  ) 2>/dev/null
}

gateway_port() { service_port gateway; }

wait_for_gateway() {
  local port; port=$(gateway_port)
  for _ in $(seq 1 "${1:-120}"); do
    [[ "$(http_status 127.0.0.1 "$port" /health)" == "200" ]] && return 0
    sleep 0.5
  done
  return 1
}

ensure_dotnet() {
  command -v dotnet >/dev/null || { log "the .NET SDK (10.0) is required: https://dotnet.microsoft.com/download"; exit 1; }
}

build() {
  ensure_dotnet
  log "building ($CONFIGURATION; the first build also restores the NuGet packages, about a minute): one line per project"
  # Minimal verbosity prints each project as it is built: progress, where quiet said nothing for a minute.
  local status=0
  dotnet build "$ROOT/OrderX.slnx" -c "$CONFIGURATION" -nologo -v minimal -clp:NoSummary 2>&1 \
    | { grep --line-buffered -E -- '-> |error|warn' || true; } | sed -u -E 's|^ *([^ ]+) -> .*|[orderx]   built \1|' || status=$?
  return "$status"
}

# Prints the compose command this machine has: the Docker CLI plugin, or the standalone docker-compose.
compose_command() {
  if docker compose version >/dev/null 2>&1; then echo "docker compose"
  elif command -v docker-compose >/dev/null; then echo "docker-compose"
  else return 1; fi
}
