#!/bin/bash
# Runs once, when the PostgreSQL volume is first initialised (docker-entrypoint-initdb.d).
# One database and one login per service; a login can reach only its own database.
# Passwords come from the environment (ORDERX_<SERVICE>_DB_PASSWORD), never from this file.
set -euo pipefail

for service in user product order payment notification; do
  var="ORDERX_${service^^}_DB_PASSWORD"
  password="${!var:?$var must be set}"
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
       -v role="orderx_${service}" -v password="$password" -v db="orderx_${service}" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"db" OWNER :"role";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
SQL
done
