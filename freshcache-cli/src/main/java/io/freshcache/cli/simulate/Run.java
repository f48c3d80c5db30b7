package io.freshcache.cli.simulate;

import java.sql.SQLException;
import java.util.SplittableRandom;

/**
 * One strategy's run over the workload: everything the replay of that run, its cluster and each of
 * its instances share, in one value. A run starts from the same place as every other: the database
 * reset to its seeded rows, a fresh clock at zero, the same trace.
 *
 * <p>The run's mutable parts (the database, the clock, the source's counters) belong to it alone
 * while it replays; runs follow one another, never overlap.
 *
 * @param <S> the strategy's family: {@link TimeStrategy} or {@link InvalidationStrategy}
 * @param strategy what the run measures
 * @param workload what it replays
 * @param trace the workload's operations, the same for every run
 * @param database the source of truth every cache of the run loads from and writes to
 * @param clock the run's virtual time, zero at its start
 * @param source the source of every cache of the run, on {@code database} and {@code clock}: counts
 *     the SELECTs and moves the clock by the workload's source latency for each
 */
record Run<S extends Strategy>(
    S strategy,
    Workload workload,
    Trace trace,
    ProductDatabase database,
    VirtualClock clock,
    ProductSource source) {

  /**
   * Starts a run of {@code strategy}: resets {@code database} to its seeded rows, and gives the run
   * a clock at zero and a source on both.
   *
   * @throws SQLException if the database cannot be reset
   */
  static <S extends Strategy> Run<S> start(
      S strategy, Workload workload, Trace trace, ProductDatabase database) throws SQLException {
    database.reset();
    VirtualClock clock = new VirtualClock();
    ProductSource source = new ProductSource(database, clock, workload.sourceLatency().toNanos());
    return new Run<>(strategy, workload, trace, database, clock, source);
  }

  /**
   * The draws of the strategy's cache (jitter, probabilistic refresh): a stream of its own from the
   * workload's seed ({@link Seeds#cache}), the same in every run of the strategy.
   */
  SplittableRandom cacheRandom() {
    return Seeds.cache(workload.seed(), strategy);
  }
}
