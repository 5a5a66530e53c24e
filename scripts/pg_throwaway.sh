#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback for the tests.
#   eval "$(scripts/pg_throwaway.sh)"        # starts one; exports SUPPORTBOT_TEST_DATABASE_URL
#   scripts/pg_throwaway.sh stop             # stops the one named by SUPPORTBOT_TEST_PGDATA
# Needs PostgreSQL's server binaries (Debian: apt-get install postgresql). The cluster lives in
# a temporary directory, trusts connections from 127.0.0.1 only and listens on a free port.
set -euo pipefail
cd /  # the cluster's owner may not be allowed into the caller's directory
bin="$(dirname "$(command -v initdb 2>/dev/null || ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")"
as_owner=()
if [ "$(id -u)" -eq 0 ]; then  # initdb refuses to run as root
  as_owner=(runuser -u postgres --)
fi
if [ "${1:-}" = "stop" ]; then
  "${as_owner[@]}" "$bin/pg_ctl" -D "$SUPPORTBOT_TEST_PGDATA" -m fast stop >/dev/null
  exit 0
fi
port="${SUPPORTBOT_TEST_PGPORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
data="$(mktemp -d /tmp/supportbot-pg.XXXXXX)"
if [ "$(id -u)" -eq 0 ]; then chown postgres "$data"; fi
"${as_owner[@]}" "$bin/initdb" -D "$data" -A trust -U supportbot -E UTF8 --no-locale >/dev/null
"${as_owner[@]}" "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $data" start >/dev/null
echo "export SUPPORTBOT_TEST_DATABASE_URL=postgresql://supportbot@127.0.0.1:$port/postgres"
echo "export SUPPORTBOT_TEST_PGDATA=$data"
