#!/usr/bin/env bash
# Throwaway PostgreSQL and Redis servers for the tests and for `npm run db:diff`/`db:check` (docs/database.md).
#
#   eval "$(bash scripts/services.sh start)"   start both, print `export CRUX_TEST_POSTGRES_URL=… CRUX_TEST_REDIS_URL=…
#                                              CRUX_SERVICES_DIR=…` for the calling shell
#   bash scripts/services.sh stop              stop what `start` started (reads CRUX_SERVICES_DIR) and delete it
#   bash scripts/services.sh run -- CMD …      run CMD with both available: reuses CRUX_TEST_POSTGRES_URL and
#                                              CRUX_TEST_REDIS_URL when already set, else starts them and stops them
#                                              after CMD, whatever its outcome; exits with CMD's status
#
# Installs Debian's `postgresql` and `redis-server` when missing (needs root or sudo). Each server gets a fresh data
# folder under $TMPDIR, a free port on 127.0.0.1, trust authentication for user `postgres`, and no durability
# (fsync off): nothing here is meant to survive. As root, PostgreSQL runs as the `postgres` user (initdb refuses root).
set -euo pipefail

log() { echo "services: $*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root (or sudo) to run: $*"
    exit 1
  fi
}

pg_bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then echo "$dir"; fi
}

ensure_packages() {
  local missing=()
  [ -n "$(pg_bindir)" ] || missing+=(postgresql)
  command -v redis-server >/dev/null || missing+=(redis-server)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]} from Debian's packages"
    as_root apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >&2
  fi
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# Runs a command as the PostgreSQL owner: `postgres` when we are root, ourselves otherwise.
as_pg_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  ensure_packages
  local dir bindir pg_port redis_port
  dir=$(mktemp -d "${TMPDIR:-/tmp}/crux-services-XXXXXX")
  chmod 755 "$dir"
  bindir=$(pg_bindir)
  mkdir "$dir/pg"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$dir/pg"; fi
  as_pg_owner "$bindir/initdb" -D "$dir/pg/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/pg/initdb.log" 2>&1 ||
    { cat "$dir/pg/initdb.log" >&2; exit 1; }
  pg_port=$(free_port)
  as_pg_owner "$bindir/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/server.log" -w -t 60 \
    -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $dir/pg -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    start >/dev/null || { cat "$dir/pg/server.log" >&2; exit 1; }
  redis_port=$(free_port)
  mkdir "$dir/redis"
  redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
    --dir "$dir/redis" --pidfile "$dir/redis/redis.pid" --logfile "$dir/redis/redis.log" >/dev/null
  for _ in $(seq 1 100); do
    if redis-cli -p "$redis_port" ping >/dev/null 2>&1; then break; fi
    sleep 0.1
  done
  redis-cli -p "$redis_port" ping >/dev/null || { cat "$dir/redis/redis.log" >&2; exit 1; }
  log "PostgreSQL on 127.0.0.1:$pg_port, Redis on 127.0.0.1:$redis_port (data in $dir)"
  echo "export CRUX_SERVICES_DIR='$dir'"
  echo "export CRUX_TEST_POSTGRES_URL='postgresql://postgres@127.0.0.1:$pg_port/postgres'"
  echo "export CRUX_TEST_REDIS_URL='redis://127.0.0.1:$redis_port'"
}

stop() {
  local dir=${CRUX_SERVICES_DIR:-}
  if [ -z "$dir" ] || [ ! -d "$dir" ]; then return 0; fi
  if [ -f "$dir/pg/data/postmaster.pid" ]; then
    as_pg_owner "$(pg_bindir)/pg_ctl" -D "$dir/pg/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  if [ -f "$dir/redis/redis.pid" ]; then
    kill "$(cat "$dir/redis/redis.pid")" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$(cat "$dir/redis/redis.pid" 2>/dev/null || echo 0)" 2>/dev/null || break
      sleep 0.1
    done
  fi
  rm -rf "$dir"
}

run() {
  if [ -n "${CRUX_TEST_POSTGRES_URL:-}" ] && [ -n "${CRUX_TEST_REDIS_URL:-}" ]; then
    exec "$@"
  fi
  eval "$(start)"
  trap stop EXIT
  trap 'exit 130' INT TERM
  local status=0
  "$@" || status=$?
  exit "$status"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  run)
    shift
    if [ "${1:-}" = "--" ]; then shift; fi
    [ $# -gt 0 ] || { log "usage: services.sh run -- COMMAND [ARGS…]"; exit 2; }
    run "$@"
    ;;
  *)
    echo "usage: services.sh start | stop | run -- COMMAND [ARGS…]" >&2
    exit 2
    ;;
esac
