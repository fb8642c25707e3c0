#!/bin/sh
# Publishes each given project into $ORDERX_PUBLISH_DIR/<assembly>/ (default /app) with a launcher, `orderx`,
# that the shared runtime stage starts and health-checks: one entry point for every image.
set -eu
out="${ORDERX_PUBLISH_DIR:-/app}"
for project in "$@"; do
  name=$(basename "$project" .csproj)
  dotnet publish "$project" -c Release --no-restore -o "$out/$name" ${ORDERX_PUBLISH_ARGS:-}
  printf '#!/bin/sh\nexec dotnet /app/%s.dll "$@"\n' "$name" > "$out/$name/orderx"
  chmod +x "$out/$name/orderx"
done
