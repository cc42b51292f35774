#!/usr/bin/env bash
# Runs DataFlow's whole test suite from scratch: installs a JDK 17, Maven, Node.js and Chromium when missing
# (Debian/Ubuntu), configures the local PostgreSQL and MariaDB for CDC (restarting them when needed), runs
# every unit test (*Test) and integration test (*IT) with Maven, then the offline checks of the deployment
# files (cfn-lint, CloudFormation/Terraform parity, IAM least privilege, container files) with Node.
# Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
need_apt=()
command -v javac >/dev/null 2>&1 || need_apt+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need_apt+=(maven)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
# the status page is tested in headless Chromium (Debian's package; tests find /usr/bin/chromium or $CHROMIUM)
[ -n "${CHROMIUM:-}" ] || [ -x /usr/bin/chromium ] || [ -x /usr/bin/chromium-browser ] || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "test.sh: installing ${need_apt[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
java_major=$(javac -version 2>&1 | sed -E 's/^javac ([0-9]+).*/\1/')
if [ "${java_major:-0}" -lt 17 ]; then
  echo "test.sh: ERROR: javac $java_major found; DataFlow needs JDK 17 or newer (set JAVA_HOME)" >&2
  exit 1
fi

bash scripts/setup-databases.sh

mvn -B -ntp verify "$@"

echo "test.sh: deployment checks (deploy/test)"
(cd deploy/test && npm ci --no-audit --no-fund --loglevel=error && node --test)
