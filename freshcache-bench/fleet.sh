#!/usr/bin/env bash
# Builds freshcache-bench and runs the fleet harness (N instances as separate JVMs over PostgreSQL
# and a private redis-server, under a seeded fault schedule) with the arguments given, e.g.
#   freshcache-bench/fleet.sh --quick
#   freshcache-bench/fleet.sh --library freshcache --seed 1 --rounds 3
#   freshcache-bench/fleet.sh --library redisson-none --seed 1 --rounds 3
#   freshcache-bench/fleet.sh --help
# Needs PostgreSQL on 127.0.0.1:5432 (db test, trust auth; a schema fleet_* of the run's own,
# dropped at the end) and the redis-server binary (--redis-server PATH). See RELIABILITY.md.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
./mvnw -q -pl freshcache-bench -am package -DskipTests -DskipITs -Dfreshcache.services.skip=true
exec java -cp freshcache-bench/target/benchmarks.jar io.freshcache.bench.fleet.FleetHarness "$@"
