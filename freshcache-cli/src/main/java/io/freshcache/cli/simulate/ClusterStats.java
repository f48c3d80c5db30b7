package io.freshcache.cli.simulate;

import io.freshcache.stats.PropagationLag;
import java.util.List;

/**
 * What a multi-instance run did beyond the columns every run has: its writes, the bus traffic and
 * handler calls they caused, the category summaries of the dependency strategy, and whether the
 * database ended up holding every acknowledged write.
 *
 * @param instances the number of instances
 * @param writes writes of the trace, each acknowledged (returned) on the instance that issued it
 * @param rowsWritten row versions those writes moved up: one per write, a whole category per
 *     repricing for {@code tags}
 * @param events domain events published ({@code pub-sub}, {@code update-event}); 0 otherwise
 * @param handlerCalls calls of each instance's {@code product.*} handler, by instance
 * @param busMessages messages the instances published on the bus
 * @param cascaded entries invalidated because they were derived from an invalidated key, every
 *     instance
 * @param versionConflicts puts, fills and updates the caches refused as older than a version they
 *     had seen, every cache of every instance
 * @param writesFlushed write-behind writes that reached the database, flushes at close included
 * @param writesSuperseded writes the database skipped because its row already held a newer version
 * @param rowsBehind rows whose database version, once every instance was closed, was older than the
 *     last acknowledged write: lost writes, expected to be 0
 * @param summaryReads reads of a category summary (dependency only)
 * @param summaryHits of those, reads answered without computing the summary
 * @param summaryStaleReads of those, reads of a summary computed from an older product version than
 *     the database held
 * @param summaryLoads category summaries computed, every instance
 * @param realNanos real time the run's operations took, closing excluded
 * @param redis where the instances' Redis was ({@code host:port}); {@code null} when they shared an
 *     in-process bus
 * @param lags how long the events of the other instances took from publication to being applied, as
 *     each instance measured them ({@code GroupStats.lag()}), by instance
 * @param losses times a bus reported that events may have been lost, every instance
 * @param suspensions times an instance suspended local hits because its bus could not vouch it was
 *     caught up, every instance
 * @param paced whether the replay was paced to real time (over Redis)
 * @param toleranceNanos how old a newer version could be before a read that missed it counted as
 *     stale
 * @param maxBehindNanos the furthest an operation of a paced replay ran behind its moment in real
 *     time; 0 unpaced
 */
record ClusterStats(
    int instances,
    long writes,
    long rowsWritten,
    long events,
    List<Long> handlerCalls,
    long busMessages,
    long cascaded,
    long versionConflicts,
    long writesFlushed,
    long writesSuperseded,
    long rowsBehind,
    long summaryReads,
    long summaryHits,
    long summaryStaleReads,
    long summaryLoads,
    long realNanos,
    String redis,
    List<PropagationLag> lags,
    long losses,
    long suspensions,
    boolean paced,
    long toleranceNanos,
    long maxBehindNanos) {

  ClusterStats {
    handlerCalls = List.copyOf(handlerCalls);
    lags = List.copyOf(lags);
  }

  /** The median lag of the instance with the highest one, µs; 0 if none was measured. */
  long worstP50Micros() {
    return lags.stream().mapToLong(PropagationLag::p50Micros).max().orElse(0);
  }

  /** The 99th percentile lag of the instance with the highest one, µs; 0 if none was measured. */
  long worstP99Micros() {
    return lags.stream().mapToLong(PropagationLag::p99Micros).max().orElse(0);
  }

  /** Events whose lag was measured, every instance. */
  long lagsMeasured() {
    return lags.stream().mapToLong(PropagationLag::count).sum();
  }

  /** Handler calls of every instance together. */
  long totalHandlerCalls() {
    return handlerCalls.stream().mapToLong(Long::longValue).sum();
  }
}
