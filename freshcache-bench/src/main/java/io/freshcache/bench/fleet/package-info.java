/**
 * The fleet harness: the consistency contract measured on a fleet of separate JVMs under a seeded
 * fault schedule, freshcache and Redisson's {@code RLocalCachedMap} side by side.
 *
 * <p>{@link io.freshcache.bench.fleet.FleetHarness} is the runnable main (the coordinator: it
 * starts a private {@code redis-server}, a PostgreSQL schema, the instance processes and a TCP
 * proxy in front of the writer, applies the faults and judges the history); {@code FleetInstance}
 * is one application instance; {@code StalenessChecker} judges every read. Not JMH: the figures are
 * counts of stale reads, not timings.
 */
package io.freshcache.bench.fleet;
