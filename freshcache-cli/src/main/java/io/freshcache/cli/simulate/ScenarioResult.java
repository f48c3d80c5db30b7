package io.freshcache.cli.simulate;

import java.util.List;

/**
 * What one scenario measured. Immutable.
 *
 * @param scenario the scenario
 * @param entities one result per entity, in entity order
 * @param messagesSent invalidation events the instances published
 * @param messagesApplied events from other instances that an instance applied
 * @param lagP99Micros publish-to-applied lag, p99 of the slowest instance; 0 if none measured
 * @param lagCount how many lags were measured
 * @param staleBySecond stale reads in each second of virtual time
 * @param virtualNanos virtual time the run covered
 * @param realNanos real time it took
 * @param skippedWrites writes skipped: of a recorded trace, not newer than the row's version; of a
 *     row deleted earlier in the run; a deletion of what was already deleted
 * @param latencyNanos get latency of every read, p50, p99 and p99.9
 * @param maxBehindNanos when paced, the most an operation ran behind its moment in real time
 */
record ScenarioResult(
    Scenario scenario,
    List<EntityResult> entities,
    long messagesSent,
    long messagesApplied,
    long lagP99Micros,
    long lagCount,
    long[] staleBySecond,
    long virtualNanos,
    long realNanos,
    long skippedWrites,
    long[] latencyNanos,
    long maxBehindNanos) {

  long reads() {
    return entities.stream().mapToLong(EntityResult::reads).sum();
  }

  long hits() {
    return entities.stream().mapToLong(EntityResult::hits).sum();
  }

  double hitRatio() {
    long reads = reads();
    return reads == 0 ? Double.NaN : (double) hits() / reads;
  }

  double sourceReadsPerSecond() {
    return entities.stream().mapToDouble(EntityResult::sourceReadsPerSecond).sum();
  }

  double sourceWritesPerSecond() {
    return entities.stream().mapToDouble(EntityResult::sourceWritesPerSecond).sum();
  }

  long staleReads() {
    return entities.stream().mapToLong(EntityResult::staleReads).sum();
  }

  long worstStalenessNanos() {
    return entities.stream().mapToLong(EntityResult::worstStalenessNanos).max().orElse(0);
  }

  long entries() {
    return entities.stream().mapToLong(EntityResult::entries).sum();
  }

  long bytes() {
    return entities.stream().mapToLong(EntityResult::bytes).sum();
  }

  long hotKeyLoads() {
    return entities.stream().mapToLong(EntityResult::hotKeyLoads).max().orElse(0);
  }

  EntityResult of(Entity entity) {
    return entities.get(entity.ordinal());
  }
}
