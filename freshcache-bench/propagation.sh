#!/usr/bin/env bash
# Builds freshcache-bench/target/benchmarks.jar and runs the propagation harness (freshcache over
# Redis against raw Redis pub/sub, same run) with the arguments given, e.g.
#   freshcache-bench/propagation.sh                                   (N = 3 and 8, 3 rounds each)
#   freshcache-bench/propagation.sh --redis redis://127.0.0.1:6391 --instances 8 --rounds 2
#   freshcache-bench/propagation.sh --help
# Needs a Redis it may publish on and write fcbench* keys to (deleted again); see BENCHMARKS.md.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
./mvnw -q -pl freshcache-bench -am package -DskipTests -Dfreshcache.services.skip=true
exec java -cp freshcache-bench/target/benchmarks.jar io.freshcache.bench.PropagationHarness "$@"
