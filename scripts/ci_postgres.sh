#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the store and privacy tests (issue #6).
#
#   eval "$(bash scripts/ci_postgres.sh)"     # from .ci/run, before the tests
#
# Installs Debian's `postgresql` package when no server binaries are present,
# starts a cluster on a free loopback port (trust auth, no fsync: test data
# only), creates the database `storyloom_test`, and prints ONE line on stdout:
#   export STORYLOOM_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:PORT/storyloom_test
# Everything else goes to stderr.  The cluster lives in $STORYLOOM_PG_DIR
# (default /tmp/storyloom-ci-pg); stop it with
#   su postgres -c "pg_ctl -D /tmp/storyloom-ci-pg/data stop"
set -euo pipefail

log() { echo "ci_postgres: $*" >&2; }

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  log "installing postgresql"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >&2
  bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

root=${STORYLOOM_PG_DIR:-/tmp/storyloom-ci-pg}
port=${STORYLOOM_PG_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}

as_pg() {  # run a command as the postgres user when we are root (initdb refuses root)
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}

if [ -d "$root/data" ]; then
  as_pg "'$bindir/pg_ctl' -D '$root/data' -m fast stop" >/dev/null 2>&1 || true
  rm -rf "$root"
fi
mkdir -p "$root"
if [ "$(id -u)" = 0 ]; then chown postgres "$root"; fi

log "initdb in $root/data ($bindir)"
as_pg "'$bindir/initdb' -A trust -U postgres -E UTF8 -D '$root/data'" >"$root/initdb.log" 2>&1 \
  || { cat "$root/initdb.log" >&2; exit 1; }
as_pg "'$bindir/pg_ctl' -D '$root/data' -w -l '$root/pg.log' -o \"-p $port -k $root -c listen_addresses=127.0.0.1 -c fsync=off\" start" >&2 \
  || { cat "$root/pg.log" >&2; exit 1; }
as_pg "'$bindir/createdb' -h 127.0.0.1 -p $port -U postgres storyloom_test" >&2
log "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
echo "export STORYLOOM_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:$port/storyloom_test"
