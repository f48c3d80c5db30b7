package io.freshcache;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.DoubleSupplier;

/**
 * How a cache's freshness verifier samples and checks its hits (see {@link
 * FreshCacheBuilder#verify(Verify)}): the share of fresh hits checked, the most source reads a
 * second the checks may make, the grace period a mismatch may last before it counts as stale, and
 * optionally the source to check against and the executor to check on. Immutable: each method
 * returns a new one.
 *
 * <pre>{@code
 * .verify(Verify.sampling(0.001).atMostReadsPerSecond(20).grace(Duration.ofMillis(500)))
 * }</pre>
 *
 * @param <K> the cache's key type
 * @param <V> the cache's value type
 */
public final class Verify<K, V> {

  final double sampleRate;
  final double readsPerSecond;
  final Duration grace;
  final Source<? super K, ? extends V> against;
  final Executor executor;
  final DoubleSupplier random;

  private Verify(
      double sampleRate,
      double readsPerSecond,
      Duration grace,
      Source<? super K, ? extends V> against,
      Executor executor,
      DoubleSupplier random) {
    FreshnessVerifier.requireValid(sampleRate, readsPerSecond, grace);
    this.sampleRate = sampleRate;
    this.readsPerSecond = readsPerSecond;
    this.grace = grace;
    this.against = against;
    this.executor = executor;
    this.random = random;
  }

  /**
   * Checks {@code sampleRate} of the fresh hits, in (0, 1] (e.g. 0.001: one in a thousand), at most
   * 10 source reads a second, with a grace period of one second, against the cache's source, on the
   * cache's executor.
   */
  public static <K, V> Verify<K, V> sampling(double sampleRate) {
    return new Verify<>(sampleRate, 10, Duration.ofSeconds(1), null, null, null);
  }

  /**
   * {@link #sampling(double)} with the random numbers in [0, 1) that pick the hits drawn from
   * {@code random}, for runs that repeat (a seeded generator). It is called on the readers'
   * threads: it must be thread-safe unless one thread reads the cache.
   */
  public static <K, V> Verify<K, V> sampling(double sampleRate, DoubleSupplier random) {
    return new Verify<>(
        sampleRate,
        10,
        Duration.ofSeconds(1),
        null,
        null,
        Objects.requireNonNull(random, "verify's random must not be null"));
  }

  /** At most {@code reads} source reads a second: the load the checks add to the source. */
  public Verify<K, V> atMostReadsPerSecond(double reads) {
    return new Verify<>(sampleRate, reads, grace, against, executor, random);
  }

  /**
   * How long a hit's disagreement with the source may last before it counts as stale: at least the
   * time an invalidation takes to reach this instance (the bus's staleness bound). With TTL alone,
   * any grace shorter than the TTL finds what the TTL leaves stale.
   */
  public Verify<K, V> grace(Duration grace) {
    return new Verify<>(sampleRate, readsPerSecond, grace, against, executor, random);
  }

  /**
   * Checks against a source of its own instead of the cache's: a read replica, or a read path that
   * costs the primary nothing. It must answer what the cache's source would (the same values, or
   * the same versions); the cache may then have no source.
   */
  public Verify<K, V> against(Source<? super K, ? extends V> source) {
    return new Verify<>(
        sampleRate,
        readsPerSecond,
        grace,
        Objects.requireNonNull(source, "verify's source must not be null"),
        executor,
        random);
  }

  /** Runs the checks on {@code executor} instead of the cache's. */
  public Verify<K, V> on(Executor executor) {
    return new Verify<>(
        sampleRate,
        readsPerSecond,
        grace,
        against,
        Objects.requireNonNull(executor, "verify's executor must not be null"),
        random);
  }

  @Override
  public String toString() {
    return "Verify.sampling("
        + sampleRate
        + ").atMostReadsPerSecond("
        + readsPerSecond
        + ").grace("
        + grace
        + ")"
        + (against != null ? ".against(...)" : "")
        + (executor != null ? ".on(...)" : "");
  }
}
