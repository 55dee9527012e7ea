#!/usr/bin/env bash
# Install (Debian's package) and start a local PostgreSQL on 127.0.0.1:5432 with role and database
# `salesops` / `salesops_test` for the portability tests. Idempotent; needs root (CI runs as root).
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | grep -q "^$version main"; then
  pg_createcluster "$version" main >/dev/null
fi
pg_ctlcluster "$version" main start 2>/dev/null || true
for _ in $(seq 1 30); do
  runuser -u postgres -- pg_isready -q -h 127.0.0.1 && break
  sleep 1
done
psql_su() { runuser -u postgres -- psql -qtAX -c "$1"; }
[ "$(psql_su "SELECT 1 FROM pg_roles WHERE rolname = 'salesops'")" = 1 ] \
  || psql_su "CREATE ROLE salesops LOGIN PASSWORD 'salesops'"
[ "$(psql_su "SELECT 1 FROM pg_database WHERE datname = 'salesops_test'")" = 1 ] \
  || runuser -u postgres -- createdb -O salesops salesops_test
echo "PostgreSQL $version running on 127.0.0.1:5432 (database salesops_test)"
