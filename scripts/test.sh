#!/usr/bin/env bash
# Runs every test of every module against real servers on this machine.
#
# The servers the backend tests need (Redis on 6379, PostgreSQL on 5432, MariaDB on 3306) are
# checked first and started when they are installed but not running. Tests read their
# addresses from IDEM_TEST_* environment variables, so the same suite can run against other
# servers; see README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

ensure_redis() {
  if redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    return
  fi
  echo "Redis is not answering on 127.0.0.1:6379; starting it."
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 50); do
    redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && return
    sleep 0.2
  done
  echo "Redis did not start; see /var/log/redis/ci.log" >&2
  exit 1
}

ensure_postgres() {
  if pg_isready -h 127.0.0.1 -p 5432 >/dev/null 2>&1; then
    return
  fi
  echo "PostgreSQL is not answering on 127.0.0.1:5432; starting it."
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
  for _ in $(seq 1 50); do
    pg_isready -h 127.0.0.1 -p 5432 >/dev/null 2>&1 && return
    sleep 0.2
  done
  echo "PostgreSQL did not start" >&2
  exit 1
}

ensure_mariadb() {
  if mariadb-admin -h 127.0.0.1 -P 3306 -uroot ping >/dev/null 2>&1; then
    return
  fi
  echo "MariaDB is not answering on 127.0.0.1:3306; starting it."
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  for _ in $(seq 1 100); do
    mariadb-admin -h 127.0.0.1 -P 3306 -uroot ping >/dev/null 2>&1 && return
    sleep 0.2
  done
  echo "MariaDB did not start" >&2
  exit 1
}

if [ -z "${IDEM_TEST_REDIS_URL:-}" ]; then ensure_redis; fi
if [ -z "${IDEM_TEST_POSTGRES_URL:-}" ]; then ensure_postgres; fi
if [ -z "${IDEM_TEST_MARIADB_URL:-}" ]; then ensure_mariadb; fi

mvn -B -ntp verify "$@"
