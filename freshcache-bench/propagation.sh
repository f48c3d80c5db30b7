#!/usr/bin/env bash
# Builds freshcache-bench/target/benchmarks.jar and runs the propagation harness (freshcache over a
# bus against the same broker's plain client, same run) with the arguments given, e.g.
#   freshcache-bench/propagation.sh                                   (Redis; N = 3 and 8, 3 rounds each)
#   freshcache-bench/propagation.sh --redis redis://127.0.0.1:6391 --instances 8 --rounds 2
#   freshcache-bench/propagation.sh --bus rabbitmq --instances 3,8     (RabbitMQ at 127.0.0.1:5672)
#   freshcache-bench/propagation.sh --bus kafka --kafka 127.0.0.1:9092 (a running broker)
#   freshcache-bench/propagation.sh --bus kafka --start-kafka          (a single-node broker of its own)
#   freshcache-bench/propagation.sh --help
# Needs a server it may publish on and write fcbench* keys, exchanges or topics to (deleted again);
# see BENCHMARKS.md.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
./mvnw -q -pl freshcache-bench -am package -DskipTests -DskipITs -Dfreshcache.services.skip=true
java_opts=()
for arg in "$@"; do
  if [[ "$arg" == "--start-kafka" ]]; then
    # The broker's jars are kept out of benchmarks.jar: the broker's own JVM gets them from here.
    cp_file="freshcache-bench/target/kafka-broker.classpath"
    ./mvnw -q -pl freshcache-bench dependency:build-classpath -Dmdep.includeScope=provided \
      -Dmdep.outputFile="$root/$cp_file" -Dfreshcache.services.skip=true
    java_opts+=("-Dfreshcache.kafka.classpath=$(cat "$cp_file")")
  fi
done
exec java "${java_opts[@]}" -cp freshcache-bench/target/benchmarks.jar \
  io.freshcache.bench.PropagationHarness "$@"
