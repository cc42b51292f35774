#!/usr/bin/env bash
# Prepares the local PostgreSQL and MariaDB for DataFlow's integration tests and for CDC:
#   PostgreSQL: wal_level=logical, enough replication slots and WAL senders;
#   MariaDB:    log_bin, binlog_format=ROW, binlog_row_image=FULL, a server_id;
#   both:       TLS with a test CA (written once to $DATAFLOW_TEST_TLS_DIR, default /etc/dataflow-test-tls: ca.crt signed
#               the servers' certificate for 127.0.0.1 and localhost; other-ca.crt signed nothing, the tests' wrong CA);
# restarting a server when a setting changed. Idempotent. On a fresh Debian/Ubuntu machine it installs
# the servers first (needs root).
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

# ------------------------------------------------------------------------------------------------ TLS
TLS_DIR=${DATAFLOW_TEST_TLS_DIR:-/etc/dataflow-test-tls}
if [ ! -s "$TLS_DIR/server.crt" ] || [ ! -s "$TLS_DIR/other-ca.crt" ]; then
  command -v openssl >/dev/null 2>&1 || { as_root apt-get update -qq; DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq openssl >/dev/null; }
  log "writing a test CA and a server certificate for 127.0.0.1 to $TLS_DIR"
  mkdir -p "$TLS_DIR"
  (
    cd "$TLS_DIR"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=DataFlow test CA" -keyout ca.key -out ca.crt 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout server.key -out server.csr 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > server.ext
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -extfile server.ext -out server.crt 2>/dev/null
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=DataFlow other CA" -keyout other-ca.key -out other-ca.crt 2>/dev/null
    chmod 644 ca.crt other-ca.crt server.crt
  ) || die "could not write the test certificates to $TLS_DIR (openssl)"
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

# TLS with the test certificate (PostgreSQL reads its key only when owned by it and private)
install -o postgres -g postgres -m 600 "$TLS_DIR/server.key" "$CONF_DIR/dataflow-server.key"
install -o postgres -g postgres -m 644 "$TLS_DIR/server.crt" "$CONF_DIR/dataflow-server.crt"
cat > "$CONF_D/dataflow-tls.conf" <<CONF
# Written by DataFlow's scripts/setup-databases.sh: TLS with the test CA's certificate for 127.0.0.1.
ssl = on
ssl_cert_file = '$CONF_DIR/dataflow-server.crt'
ssl_key_file = '$CONF_DIR/dataflow-server.key'
CONF
if [ "$(psql_admin "show ssl_cert_file")" != "$CONF_DIR/dataflow-server.crt" ]; then
  log "PostgreSQL: serving TLS with the test certificate (reload)"
  psql_admin "select pg_reload_conf()" >/dev/null
  sleep 1
fi

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

# ---------------------------------------------------------------------------------------------- MariaDB
if ! command -v mariadbd >/dev/null 2>&1 && [ ! -x /usr/sbin/mariadbd ]; then
  log "MariaDB not installed: installing Debian's mariadb-server package"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq mariadb-server mariadb-client >/dev/null
fi

maria_ping() { mariadb-admin -uroot --protocol=tcp -h127.0.0.1 -P3306 ping >/dev/null 2>&1 || mariadb-admin -uroot ping >/dev/null 2>&1; }
maria() { mariadb -uroot -N -B -e "$1" 2>/dev/null || mariadb -uroot --protocol=tcp -h127.0.0.1 -P3306 -N -B -e "$1"; }
systemd_running() { [ "$(ps -o comm= -p 1 2>/dev/null)" = systemd ]; }
start_maria() {
  if systemd_running; then as_root systemctl start mariadb; else
    mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  fi
  for _ in $(seq 1 60); do maria_ping && return 0; sleep 1; done
  die "MariaDB did not start; see /var/log/mysql/error.log"
}
stop_maria() {
  if systemd_running; then as_root systemctl stop mariadb; else
    mariadb-admin -uroot shutdown 2>/dev/null || mariadb-admin -uroot --protocol=tcp -h127.0.0.1 -P3306 shutdown
    for _ in $(seq 1 60); do pgrep -x mariadbd >/dev/null || return 0; sleep 1; done
    die "MariaDB did not stop"
  fi
}

maria_ping || { log "starting MariaDB"; start_maria; }

MY_CNF=/etc/mysql/my.cnf
mkdir -p /etc/mysql/conf.d
if ! grep -qE '^!includedir /etc/mysql/conf.d/?$' "$MY_CNF"; then
  printf '\n!includedir /etc/mysql/conf.d/\n' >> "$MY_CNF"
fi
cat > /etc/mysql/conf.d/dataflow-binlog.cnf <<'CNF'
# Written by DataFlow's scripts/setup-databases.sh: row-based binlog for CDC.
[mysqld]
log_bin = mysql-bin
binlog_format = ROW
binlog_row_image = FULL
server_id = 1
expire_logs_days = 2
CNF

MARIA_TLS=/etc/mysql/dataflow-tls
mkdir -p "$MARIA_TLS"
install -m 644 "$TLS_DIR/ca.crt" "$MARIA_TLS/ca.crt"
install -m 644 "$TLS_DIR/server.crt" "$MARIA_TLS/server.crt"
install -m 600 "$TLS_DIR/server.key" "$MARIA_TLS/server.key"
chown -R mysql:mysql "$MARIA_TLS" 2>/dev/null || true
cat > /etc/mysql/conf.d/dataflow-tls.cnf <<CNF
# Written by DataFlow's scripts/setup-databases.sh: TLS with the test CA's certificate for 127.0.0.1.
[mysqld]
ssl_ca = $MARIA_TLS/ca.crt
ssl_cert = $MARIA_TLS/server.crt
ssl_key = $MARIA_TLS/server.key
CNF

if [ "$(maria "select @@log_bin")" != 1 ] || [ "$(maria "select @@binlog_format")" != ROW ] \
   || [ "$(maria "select @@binlog_row_image")" != FULL ] || [ "$(maria "select @@ssl_cert")" != "$MARIA_TLS/server.crt" ]; then
  log "restarting MariaDB for the row binlog and TLS (log_bin=$(maria "select @@log_bin"), binlog_format=$(maria "select @@binlog_format"), ssl_cert=$(maria "select @@ssl_cert"))"
  stop_maria
  start_maria
fi
[ "$(maria "select @@log_bin")" = 1 ] && [ "$(maria "select @@binlog_format")" = ROW ] \
  || die "MariaDB still has no row binlog; check /etc/mysql/my.cnf includes /etc/mysql/conf.d/"
# The tests connect over TCP as root without a password (as on the project's test machines). A fresh Debian
# install lets root in through the unix socket only: allow the empty password too (test machines only!).
if ! mariadb -uroot --protocol=tcp -h127.0.0.1 -P3306 -N -B -e "select 1" >/dev/null 2>&1; then
  log "allowing root without password over TCP for the tests (ALTER USER root@localhost)"
  mariadb -uroot -e "ALTER USER root@localhost IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('')" \
    || die "cannot let root log in over TCP; set DATAFLOW_TEST_MARIADB_USER to a user that can"
fi
# Test databases left by killed runs.
for db in $(maria "select schema_name from information_schema.schemata where schema_name like 'dfit\_%'"); do
  maria "drop database \`$db\`" || true
done
[ "$(maria "select @@have_ssl")" = YES ] || die "MariaDB does not serve TLS (have_ssl=$(maria "select @@have_ssl")); see /var/log/mysql/error.log"
log "MariaDB $(maria 'select version()') ready: log_bin=ON, binlog_format=ROW, binlog_row_image=FULL, server_id=$(maria 'select @@server_id'), TLS on"
