#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on 127.0.0.1:${PGPORT:-55432} for the test suite.
# PostgreSQL refuses to run as root, so the cluster belongs to the postgres user.
set -euo pipefail
PGPORT="${PGPORT:-55432}"
PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
DIR="${PGDATA_DIR:-/tmp/threshold-ci-pg}"
if [ -f "$DIR/postmaster.pid" ]; then
  su postgres -c "$PGBIN/pg_ctl -D $DIR -m fast stop" >/dev/null 2>&1 || true
fi
rm -rf "$DIR"
mkdir -p "$DIR"
chown postgres:postgres "$DIR"
su postgres -c "$PGBIN/initdb -D $DIR -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
su postgres -c "$PGBIN/pg_ctl -D $DIR -l $DIR/server.log -o '-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off' -w start" >/dev/null
echo "postgres://postgres@127.0.0.1:$PGPORT/postgres"
