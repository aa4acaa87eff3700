#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the database tests, from Debian's
# package, on 127.0.0.1 (a free port, or $PGPORT), and prints its connection string.
# Usage: scripts/postgres.sh start|stop
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=$PWD/.llmops-test/postgres
# A free port, unless one is given.
PGPORT=${PGPORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)

case "${1:-start}" in
  start)
    if [ -z "$BIN" ]; then
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
      BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    fi
    rm -rf "$DIR" && mkdir -p "$DIR"
    chown postgres "$DIR"
    su postgres -s /bin/sh -c "$BIN/initdb -D $DIR/data -U postgres --auth=trust -E UTF8 >/dev/null"
    su postgres -s /bin/sh -c "$BIN/pg_ctl -D $DIR/data -l $DIR/log -w -o '-p $PGPORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off' start >/dev/null"
    echo "postgresql://postgres@127.0.0.1:$PGPORT"
    ;;
  stop)
    [ -n "$BIN" ] && [ -d "$DIR/data" ] &&
      su postgres -s /bin/sh -c "$BIN/pg_ctl -D $DIR/data -m fast stop >/dev/null" || true
    ;;
esac
