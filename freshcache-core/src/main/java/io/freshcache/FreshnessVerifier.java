package io.freshcache;

import com.github.benmanes.caffeine.cache.Ticker;
import io.freshcache.stats.VerifierStats;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a sample of a cache's hits against the source, off the reader's path, and says how often
 * the cache served a value the source no longer had.
 *
 * <p>A fresh hit is picked with the sample rate; if the source-read budget allows (a token bucket
 * on the cache's clock), the key is re-read from the source on the cache's executor and compared
 * with the value served: by version when the cache knows versions (the served one older is a
 * mismatch), else by {@code equals}. A mismatch is not yet staleness: the value may have changed
 * after the hit and its invalidation be on its way. It is looked at again after the grace period:
 * if the cache still serves the very entry the source disagreed with, the hit was stale (counted,
 * its age kept, its key among the last caught); if that entry is gone, the cache resolved it.
 *
 * <p>A hit only draws a random number and, for the sampled ones, takes a token and hands a task to
 * the executor: it never waits for the source. Due re-checks are looked at by every check and every
 * read of the figures, so a caller's clock (tests, the simulator) moves them without a timer.
 */
final class FreshnessVerifier<K, V> {

  private static final Logger log = LoggerFactory.getLogger(FreshnessVerifier.class);
  private static final int LAST_CAUGHT = 5;
  private static final long[] AGE_BOUNDS_SECONDS = {1, 10, 60, 600, 3_600, Long.MAX_VALUE};

  /** The upper bound of the last age bucket: any age. */
  private static final Duration FOREVER = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);

  /** What {@link LocalCache} lends the verifier: its entries, quietly, and how to name keys. */
  interface Cache<K, V> {

    /** The entry the cache would serve for the key now, or null; touches no statistics. */
    Entry<V> servable(K key);

    String keyName(K key);
  }

  private final String cacheName;
  private final Cache<K, V> cache;
  private final Source<? super K, ? extends V> source;
  private final ToLongFunction<? super V> versionOf;
  private final Ticker ticker;
  private final Executor executor;
  private final double sampleRate;
  private final java.util.function.DoubleSupplier random;
  private final double readsPerSecond;
  private final long graceNanos;

  private final LongAdder sampled = new LongAdder();
  private final LongAdder overBudget = new LongAdder();
  private final LongAdder checked = new LongAdder();
  private final LongAdder stale = new LongAdder();
  private final LongAdder resolved = new LongAdder();
  private final LongAdder sourceFailures = new LongAdder();
  private final ConcurrentLinkedQueue<Mismatch<K, V>> pending = new ConcurrentLinkedQueue<>();

  // guarded by this
  private double tokens;
  private long refilledAt;
  private final long[] ages = new long[AGE_BOUNDS_SECONDS.length];
  private final ArrayDeque<VerifierStats.Caught> lastCaught = new ArrayDeque<>();

  /** A hit the source disagreed with, to be looked at again once the grace period is over. */
  private record Mismatch<K, V>(K key, Entry<V> served, long due) {}

  FreshnessVerifier(
      String cacheName,
      Cache<K, V> cache,
      Source<? super K, ? extends V> source,
      ToLongFunction<? super V> versionOf,
      Ticker ticker,
      Executor executor,
      double sampleRate,
      java.util.function.DoubleSupplier random,
      double readsPerSecond,
      Duration grace) {
    this.cacheName = cacheName;
    this.cache = cache;
    this.source = Objects.requireNonNull(source);
    this.versionOf = versionOf;
    this.ticker = ticker;
    this.executor = executor;
    this.sampleRate = sampleRate;
    this.random = random;
    this.readsPerSecond = readsPerSecond;
    this.graceNanos = grace.toNanos();
    this.tokens = Math.max(1, readsPerSecond); // a second's worth to begin with
    this.refilledAt = ticker.read();
  }

  /** A fresh hit served {@code entry} at {@code now}: maybe check it. */
  void onHit(K key, Entry<V> entry, long now) {
    double draw = random == null ? ThreadLocalRandom.current().nextDouble() : random.getAsDouble();
    if (draw >= sampleRate) {
      return;
    }
    sampled.increment();
    if (!takeToken(now)) {
      overBudget.increment();
      return;
    }
    try {
      executor.execute(() -> check(key, entry));
    } catch (RejectedExecutionException e) {
      overBudget.increment();
    }
  }

  private synchronized boolean takeToken(long now) {
    double elapsed = (now - refilledAt) / 1e9;
    if (elapsed > 0) {
      tokens = Math.min(Math.max(1, readsPerSecond), tokens + elapsed * readsPerSecond);
      refilledAt = now;
    }
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }

  private void check(K key, Entry<V> served) {
    reviewDue();
    V truth;
    try {
      truth = source.load(key);
    } catch (Exception | Error e) {
      sourceFailures.increment();
      log.debug("cache '{}': the verifier could not re-read {}: {}", cacheName, key, e.toString());
      return;
    }
    if (agrees(served, truth)) {
      checked.increment();
      return;
    }
    pending.add(new Mismatch<>(key, served, ticker.read() + graceNanos));
  }

  private boolean agrees(Entry<V> served, V truth) {
    Object value = served.value;
    if (value == Entry.ABSENT || truth == null) {
      return value == Entry.ABSENT && truth == null;
    }
    if (versionOf != null && served.meta.version() != InvalidationHistory.NO_VERSION) {
      return served.meta.version() >= versionOf.applyAsLong(truth);
    }
    return Objects.equals(value, truth);
  }

  /** Looks at the mismatches whose grace period is over. */
  void reviewDue() {
    long now = ticker.read();
    for (Mismatch<K, V> next = pending.peek(); next != null; next = pending.peek()) {
      if (now - next.due() < 0 || !pending.remove(next)) {
        return;
      }
      checked.increment();
      if (cache.servable(next.key()) != next.served()) {
        resolved.increment(); // invalidated, replaced or expired meanwhile: it was in flight
        continue;
      }
      stale.increment();
      caught(next, now);
    }
  }

  private synchronized void caught(Mismatch<K, V> mismatch, long now) {
    long ageNanos = Math.max(0, now - mismatch.served().writtenAt);
    long ageSeconds = ageNanos / 1_000_000_000L;
    for (int i = 0; i < AGE_BOUNDS_SECONDS.length; i++) {
      if (ageSeconds < AGE_BOUNDS_SECONDS[i]) {
        ages[i]++;
        break;
      }
    }
    lastCaught.addFirst(
        new VerifierStats.Caught(cache.keyName(mismatch.key()), Duration.ofNanos(ageNanos), now));
    while (lastCaught.size() > LAST_CAUGHT) {
      lastCaught.removeLast();
    }
  }

  /** The figures so far, after looking at what is due. */
  VerifierStats stats() {
    reviewDue();
    List<VerifierStats.AgeBucket> buckets = new ArrayList<>();
    List<VerifierStats.Caught> last;
    synchronized (this) {
      for (int i = 0; i < AGE_BOUNDS_SECONDS.length; i++) {
        Duration under =
            AGE_BOUNDS_SECONDS[i] == Long.MAX_VALUE
                ? FOREVER
                : Duration.ofSeconds(AGE_BOUNDS_SECONDS[i]);
        buckets.add(new VerifierStats.AgeBucket(under, ages[i]));
      }
      last = List.copyOf(lastCaught);
    }
    return new VerifierStats(
        sampled.sum(),
        overBudget.sum(),
        checked.sum(),
        stale.sum(),
        resolved.sum(),
        sourceFailures.sum(),
        readsPerSecond,
        Duration.ofNanos(graceNanos),
        List.copyOf(buckets),
        last);
  }

  /** Settings checked once, when the builder's {@code verify} is called. */
  static void requireValid(double sampleRate, double readsPerSecond, Duration grace) {
    if (!(sampleRate > 0 && sampleRate <= 1)) {
      throw new IllegalArgumentException(
          "verify sampleRate must be in (0, 1], was "
              + sampleRate
              + "; e.g. 0.001 checks one hit in a thousand");
    }
    if (!(readsPerSecond > 0) || Double.isInfinite(readsPerSecond)) {
      throw new IllegalArgumentException(
          "verify maxSourceReadsPerSecond must be positive and finite, was "
              + readsPerSecond
              + "; it bounds the load the verifier adds to the source");
    }
    Objects.requireNonNull(grace, "verify grace must not be null");
    if (grace.isNegative()) {
      throw new IllegalArgumentException(
          "verify grace must not be negative, was "
              + grace
              + "; give the time an invalidation may take to arrive, e.g. the bus's δ");
    }
  }
}
