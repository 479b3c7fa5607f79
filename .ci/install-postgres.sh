#!/usr/bin/env bash
# The PostgreSQL store tests (test/adapters/store/pg-*.test.ts, test/e2e/replicas/) start a throwaway
# server from Debian's binaries (initdb, pg_ctl) under a temporary data dir on a free port
# (test/helpers/postgres.ts). Installs the package when no initdb is found; the cluster Debian
# creates on install is not used (and is stopped so it holds no port).
set -euo pipefail
if command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql
$SUDO service postgresql stop >/dev/null 2>&1 || true
ls /usr/lib/postgresql/*/bin/initdb
