#!/usr/bin/env bash
# Prepares the local PostgreSQL for DataFlow's integration tests and for CDC:
# wal_level=logical, enough replication slots and WAL senders, a restart when a setting changed.
# Idempotent. On a fresh Debian/Ubuntu machine it installs PostgreSQL first (needs root).
set -euo pipefail

log() { printf 'setup-databases: %s\n' "$*"; }
die() { printf 'setup-databases: ERROR: %s\n' "$*" >&2; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

pg_running() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  log "PostgreSQL not installed: installing Debian's postgresql package"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql postgresql-contrib >/dev/null
fi

PG_VERSION=$(ls /etc/postgresql | sort -V | tail -1)
[ -n "$PG_VERSION" ] || die "no cluster under /etc/postgresql"
CONF_DIR=/etc/postgresql/$PG_VERSION/main
CONF_D=$CONF_DIR/conf.d
HBA=$CONF_DIR/pg_hba.conf

start_pg() {
  pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main start 2>/dev/null \
    || pg_ctlcluster "$PG_VERSION" main start
}
restart_pg() {
  pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main restart 2>/dev/null \
    || pg_ctlcluster "$PG_VERSION" main restart
}

if ! pg_running; then
  log "starting PostgreSQL $PG_VERSION"
  start_pg
fi

psql_admin() { psql -h 127.0.0.1 -U postgres -d postgres -Atqc "$1" 2>/dev/null || su postgres -c "psql -d postgres -Atqc \"$1\""; }

# Trust auth for local TCP connections is what the test machines use; add it only when no rule matches yet.
if ! psql -h 127.0.0.1 -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
  log "allowing trust authentication on 127.0.0.1 for the tests (pg_hba.conf)"
  sed -i '1i host all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust' "$HBA"
  su postgres -c "psql -Atqc 'select pg_reload_conf()'" >/dev/null
fi

mkdir -p "$CONF_D"
grep -q "^include_dir = 'conf.d'" "$CONF_DIR/postgresql.conf" || echo "include_dir = 'conf.d'" >> "$CONF_DIR/postgresql.conf"
cat > "$CONF_D/dataflow-replication.conf" <<'CONF'
# Written by DataFlow's scripts/setup-databases.sh: logical decoding for CDC.
wal_level = logical
max_replication_slots = 40
max_wal_senders = 40
CONF

current=$(psql_admin "show wal_level")
slots=$(psql_admin "show max_replication_slots")
if [ "$current" != logical ] || [ "$slots" -lt 40 ]; then
  log "restarting PostgreSQL (wal_level=$current, max_replication_slots=$slots)"
  restart_pg
  for _ in $(seq 1 30); do pg_running && break; sleep 1; done
fi
pg_running || die "PostgreSQL does not answer on 127.0.0.1:5432"
[ "$(psql_admin 'show wal_level')" = logical ] || die "wal_level is still not logical; check $CONF_DIR/postgresql.conf"

# Leftover slots from killed test runs hold WAL forever: drop inactive ones made by the tests.
psql_admin "select pg_drop_replication_slot(slot_name) from pg_replication_slots where not active and slot_name like 'dfit_%'" >/dev/null || true
log "PostgreSQL $PG_VERSION ready: wal_level=logical, max_replication_slots=$(psql_admin 'show max_replication_slots')"
