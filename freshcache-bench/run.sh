#!/usr/bin/env bash
# Builds freshcache-bench/target/benchmarks.jar and runs JMH with the arguments given, e.g.
#   freshcache-bench/run.sh HitBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s
#   freshcache-bench/run.sh -h        (JMH's options)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
./mvnw -q -pl freshcache-bench -am package -DskipTests -Dfreshcache.services.skip=true
exec java -jar freshcache-bench/target/benchmarks.jar "$@"
