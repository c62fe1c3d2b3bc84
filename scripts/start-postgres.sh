#!/usr/bin/env bash
# Start a local PostgreSQL server for bilat and print its DSN on stdout (the last line).
#
# Idempotent: installs Debian's `postgresql` if it is missing (unless --no-install), starts the
# first cluster (creating one if there is none), creates the role and database `bilat`
# (owner bilat, password bilat, C collation so text sorts as in DuckDB), and exits 0 when all
# of that is already in place. Must run as root (apt-get, switching to the postgres user).
#
# Usage: scripts/start-postgres.sh [--no-install]
# Environment: BILAT_PG_PORT (default 5432), BILAT_PG_PASSWORD (default bilat).
set -euo pipefail

install=1
[[ "${1:-}" == "--no-install" ]] && install=0
port="${BILAT_PG_PORT:-5432}"
password="${BILAT_PG_PASSWORD:-bilat}"
say() { echo "start-postgres: $*" >&2; }

if ! command -v pg_lsclusters >/dev/null 2>&1; then
    if [[ $install -eq 0 ]]; then
        say "PostgreSQL is not installed (run without --no-install to install it)"
        exit 1
    fi
    say "installing Debian's postgresql"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
fi

# The first cluster listed, e.g. "15 main"; create one when the package left none.
read -r version cluster cport _ < <(pg_lsclusters --no-header 2>/dev/null | head -n 1) || true
if [[ -z "${version:-}" ]]; then
    version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
    cluster=main
    say "creating cluster $version/$cluster on port $port"
    pg_createcluster --port "$port" "$version" "$cluster" >&2
fi
port="${cport:-$port}"

if ! pg_lsclusters --no-header | awk -v v="$version" -v c="$cluster" '$1==v && $2==c {print $4}' | grep -q online; then
    say "starting cluster $version/$cluster"
    mkdir -p /var/run/postgresql && chown postgres:postgres /var/run/postgresql
    pg_ctlcluster "$version" "$cluster" start >&2
fi

for _ in $(seq 1 30); do
    pg_isready -q -h localhost -p "$port" && break
    sleep 0.5
done
pg_isready -q -h localhost -p "$port" || { say "server on port $port does not answer"; exit 1; }

psql_admin() { (cd / && su postgres -c "psql -p $port -v ON_ERROR_STOP=1 -qtAX $*"); }

if [[ "$(psql_admin "-c \"SELECT 1 FROM pg_roles WHERE rolname = 'bilat'\"")" != "1" ]]; then
    say "creating role bilat"
    psql_admin "-c \"CREATE ROLE bilat LOGIN PASSWORD '$password'\"" >&2
fi
if [[ "$(psql_admin "-c \"SELECT 1 FROM pg_database WHERE datname = 'bilat'\"")" != "1" ]]; then
    say "creating database bilat"
    psql_admin "-c \"CREATE DATABASE bilat OWNER bilat ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0\"" >&2
fi

echo "postgresql://bilat:${password}@localhost:${port}/bilat"
