#!/usr/bin/env bash
# Makes sure the servers the integration tests talk to answer on loopback: Redis on 6379,
# PostgreSQL on 5432 and RabbitMQ on 5672. Starts one that is installed but stopped; otherwise says how to get it.
# Called by `./mvnw verify` (validate phase of the parent POM); skip with -Dfreshcache.services.skip.
set -u

REDIS_PORT=${FRESHCACHE_REDIS_PORT:-6379}
PG_PORT=${FRESHCACHE_PG_PORT:-5432}
RABBIT_PORT=${FRESHCACHE_RABBIT_PORT:-5672}

answers() { # host port
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

wait_for() { # name port seconds
  local i
  for ((i = 0; i < $3 * 10; i++)); do
    answers 127.0.0.1 "$2" && return 0
    sleep 0.1
  done
  return 1
}

fail=0

if answers 127.0.0.1 "$REDIS_PORT"; then
  echo "[services] Redis answers on 127.0.0.1:$REDIS_PORT"
elif command -v redis-server >/dev/null 2>&1; then
  echo "[services] Redis is not answering on 127.0.0.1:$REDIS_PORT; starting the installed redis-server"
  mkdir -p /tmp/freshcache-redis
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir /tmp/freshcache-redis --logfile /tmp/freshcache-redis/redis.log >/dev/null
  if wait_for redis "$REDIS_PORT" 10; then
    echo "[services] Redis started on 127.0.0.1:$REDIS_PORT"
  else
    echo "[services] ERROR: redis-server did not come up; see /tmp/freshcache-redis/redis.log" >&2
    fail=1
  fi
else
  echo "[services] ERROR: nothing answers on 127.0.0.1:$REDIS_PORT and redis-server is not installed." >&2
  echo "[services]   Install and start it:  apt-get install -y redis-server && redis-server --daemonize yes --port $REDIS_PORT --save ''" >&2
  fail=1
fi

if answers 127.0.0.1 "$PG_PORT"; then
  echo "[services] PostgreSQL answers on 127.0.0.1:$PG_PORT"
elif command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  echo "[services] PostgreSQL is not answering on 127.0.0.1:$PG_PORT; starting cluster $version/main"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  if wait_for postgres "$PG_PORT" 30; then
    echo "[services] PostgreSQL started on 127.0.0.1:$PG_PORT"
  else
    echo "[services] ERROR: PostgreSQL did not come up; see /var/log/postgresql/" >&2
    fail=1
  fi
else
  echo "[services] ERROR: nothing answers on 127.0.0.1:$PG_PORT and no PostgreSQL cluster is installed." >&2
  echo "[services]   Install and start it:  apt-get install -y postgresql && pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start" >&2
  echo "[services]   The tests connect as user postgres (trust auth) to database 'test'." >&2
  fail=1
fi

if answers 127.0.0.1 "$RABBIT_PORT"; then
  echo "[services] RabbitMQ answers on 127.0.0.1:$RABBIT_PORT"
elif command -v rabbitmq-server >/dev/null 2>&1; then
  echo "[services] RabbitMQ is not answering on 127.0.0.1:$RABBIT_PORT; starting the installed rabbitmq-server"
  rabbitmq-server -detached >/dev/null 2>&1
  if wait_for rabbitmq "$RABBIT_PORT" 60; then
    echo "[services] RabbitMQ started on 127.0.0.1:$RABBIT_PORT"
  else
    echo "[services] ERROR: rabbitmq-server did not come up; see /var/log/rabbitmq/" >&2
    fail=1
  fi
else
  echo "[services] ERROR: nothing answers on 127.0.0.1:$RABBIT_PORT and rabbitmq-server is not installed." >&2
  echo "[services]   Install and start it:  apt-get install -y rabbitmq-server && rabbitmq-server -detached" >&2
  echo "[services]   The tests connect as guest/guest to vhost / and use rabbitmqctl to close connections." >&2
  fail=1
fi

if [ "$fail" -ne 0 ]; then
  echo "[services] The integration tests need Redis, PostgreSQL and RabbitMQ on loopback (see above)." >&2
  echo "[services] To build without them: ./mvnw verify -Dfreshcache.services.skip=true -DskipITs" >&2
  exit 1
fi
