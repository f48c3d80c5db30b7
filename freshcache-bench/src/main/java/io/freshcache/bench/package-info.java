/**
 * JMH benchmarks of freshcache, each measured side by side with its peer in the same run, as the
 * performance targets ask, and {@link io.freshcache.bench.PropagationHarness}, a plain main class
 * for latency distributions (propagation lag over Redis against raw pub/sub). Run them from {@code
 * freshcache-bench/target/benchmarks.jar} (see {@code freshcache-bench/run.sh} and {@code
 * propagation.sh}); they never run during the build. Nothing here is API.
 */
package io.freshcache.bench;
