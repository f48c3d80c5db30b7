package io.freshcache;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * When the cache reloads an entry in the background, and how long it may serve an old value.
 *
 * <p>Three independent settings, combined with the fluent methods: an early-refresh trigger ({@link
 * #ahead} or {@link #probabilistic}) that reloads a still-fresh entry before it expires; {@link
 * #staleWhileRevalidate} that serves an expired entry for a bounded window while one reload runs;
 * {@link #staleIfError} that serves an expired entry for a bounded window when its reload fails.
 * Readers never wait on a background reload, and at most one load per key is in flight.
 *
 * <p>Immutable and thread-safe. All reloads need a {@link Source}; the builder refuses a refresh
 * without one.
 */
public final class Refresh {

  private static final Refresh NONE = new Refresh(null, 0, 0);

  final RefreshTrigger trigger;
  final long staleWhileRevalidateNanos;
  final long staleIfErrorNanos;

  private Refresh(RefreshTrigger trigger, long staleWhileRevalidateNanos, long staleIfErrorNanos) {
    this.trigger = trigger;
    this.staleWhileRevalidateNanos = staleWhileRevalidateNanos;
    this.staleIfErrorNanos = staleIfErrorNanos;
  }

  /**
   * No early refresh: an expired entry is a miss, unless a stale window is added, as in {@code
   * Refresh.none().staleWhileRevalidate(Duration.ofSeconds(30))}.
   */
  public static Refresh none() {
    return NONE;
  }

  /**
   * Reloads an entry in the background once it has lived {@code threshold} of its lifetime; {@code
   * ahead(0.8)} reloads a one-hour entry on the first read after 48 minutes.
   *
   * @param threshold in {@code (0, 1)}
   */
  public static Refresh ahead(double threshold) {
    if (!(threshold > 0.0 && threshold < 1.0)) {
      throw new IllegalArgumentException(
          "refresh-ahead threshold must be within (0, 1), was " + threshold);
    }
    return new Refresh(new RefreshAhead(threshold), 0, 0);
  }

  /**
   * Probabilistic early refresh ("XFetch"): a read reloads the entry in the background when {@code
   * now − delta·beta·ln(rand) ≥ expiry}, {@code delta} being how long the entry took to load. Reads
   * spread the reload over the last moments of an entry's life, the more so the costlier the load;
   * {@code beta = 1} is the usual choice, larger values refresh earlier.
   */
  public static Refresh probabilistic(double beta) {
    return probabilistic(beta, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** As {@link #probabilistic(double)}, drawing {@code rand} from {@code random} (for tests). */
  public static Refresh probabilistic(double beta, DoubleSupplier random) {
    if (!(beta > 0.0) || Double.isInfinite(beta)) {
      throw new IllegalArgumentException(
          "probabilistic refresh beta must be positive, was " + beta);
    }
    return new Refresh(
        new ProbabilisticRefresh(beta, Objects.requireNonNull(random, "random")), 0, 0);
  }

  /**
   * For {@code window} after an entry expires, a read returns the old value at once and starts a
   * background reload; after the window an expired entry is a miss.
   */
  public Refresh staleWhileRevalidate(Duration window) {
    return new Refresh(
        trigger,
        Durations.toNanos(Durations.requirePositive(window, "stale-while-revalidate window")),
        staleIfErrorNanos);
  }

  /**
   * For {@code window} after an entry expires, a reload that fails returns the old value instead of
   * the source's exception (and is counted as a load failure). After such a failure, reads of the
   * key get the old value at once and the source is retried in the background, at most once a
   * second, until it answers or the window closes: an outage does not make every reader wait on it.
   */
  public Refresh staleIfError(Duration window) {
    return new Refresh(
        trigger,
        staleWhileRevalidateNanos,
        Durations.toNanos(Durations.requirePositive(window, "stale-if-error window")));
  }

  boolean isNone() {
    return trigger == null && staleWhileRevalidateNanos == 0 && staleIfErrorNanos == 0;
  }

  /** How long after its logical expiry an entry must stay in memory for the stale windows. */
  long staleRetentionNanos() {
    return Math.max(staleWhileRevalidateNanos, staleIfErrorNanos);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(trigger == null ? "none" : trigger.toString());
    if (staleWhileRevalidateNanos > 0) {
      s.append(".staleWhileRevalidate(")
          .append(Duration.ofNanos(staleWhileRevalidateNanos))
          .append(')');
    }
    if (staleIfErrorNanos > 0) {
      s.append(".staleIfError(").append(Duration.ofNanos(staleIfErrorNanos)).append(')');
    }
    return s.toString();
  }
}
