#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the database tests, from Debian's
# package, on 127.0.0.1 (a free port, or $PGPORT), and prints its connection string.
# Usage: scripts/peers/postgres.sh start|stop
# The cluster lives in a folder of its own under /tmp, owned by the postgres
# user: the checkout may sit under a folder that user cannot enter (a home
# folder at mode 0700). `stop` stops it and removes the folder.
set -euo pipefail
SELF="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
cd "$(dirname "$0")/../.."
STATE=$PWD/.llmops-test/postgres.dir
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
    "$SELF" stop
    mkdir -p "$(dirname "$STATE")"
    DIR=$(mktemp -d /tmp/llmops-postgres.XXXXXX)
    chown postgres "$DIR"
    echo "$DIR" >"$STATE"
    su postgres -s /bin/sh -c "cd / && $BIN/initdb -D $DIR/data -U postgres --auth=trust -E UTF8 >/dev/null"
    su postgres -s /bin/sh -c "cd / && $BIN/pg_ctl -D $DIR/data -l $DIR/log -w -o '-p $PGPORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off' start >/dev/null"
    echo "postgresql://postgres@127.0.0.1:$PGPORT"
    ;;
  stop)
    DIR=$(cat "$STATE" 2>/dev/null || true)
    [ -n "$DIR" ] || exit 0
    if [ -n "$BIN" ] && [ -d "$DIR/data" ]; then
      su postgres -s /bin/sh -c "cd / && $BIN/pg_ctl -D $DIR/data -m fast stop >/dev/null" || true
    fi
    rm -rf "$DIR" "$STATE"
    ;;
esac
