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
goals=(package)
start_kafka=0
for arg in "$@"; do
  if [[ "$arg" == "--start-kafka" ]]; then
    # The broker's jars (provided scope) are kept out of benchmarks.jar: its own JVM gets their
    # class path, written by the same reactor build (each module writes its own target/ file).
    goals+=(dependency:build-classpath -Dmdep.includeScope=provided
      -Dmdep.outputFile=target/kafka-broker.classpath)
    start_kafka=1
  fi
done
./mvnw -q -pl freshcache-bench -am "${goals[@]}" -DskipTests -DskipITs -Dfreshcache.services.skip=true
java_opts=()
if [[ $start_kafka == 1 ]]; then
  java_opts=("-Dfreshcache.kafka.classpath=$(cat freshcache-bench/target/kafka-broker.classpath)")
fi
exec java "${java_opts[@]}" -cp freshcache-bench/target/benchmarks.jar \
  io.freshcache.bench.PropagationHarness "$@"
