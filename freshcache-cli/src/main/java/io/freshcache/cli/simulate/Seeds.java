package io.freshcache.cli.simulate;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Every random stream of a simulation, each derived from the workload's seed ({@code --seed}) and
 * what it is for: the operations of the trace, the prices the rows start with, and the draws of
 * each strategy's cache (jitter, probabilistic refresh). Nothing else in a run is random.
 *
 * <p>One stream per purpose, so that no stream depends on how many draws another took: a strategy's
 * row is the same whichever strategies run with it and in whichever order. A {@link
 * SplittableRandom} is not thread-safe; each stream has one user at a time.
 */
final class Seeds {

  private Seeds() {}

  /**
   * The draws of {@link Trace#of}: which key each operation reads or writes, and the new prices.
   */
  static SplittableRandom trace(long seed) {
    return stream(seed, "trace");
  }

  /** The prices of the rows when the database is seeded, and after every reset. */
  static SplittableRandom prices(long seed) {
    return stream(seed, "prices");
  }

  /** The draws of {@code strategy}'s cache: jitter of its lifetimes, probabilistic refresh. */
  static SplittableRandom cache(long seed, Strategy strategy) {
    return stream(seed, "cache " + strategy.label());
  }

  /** The draws of the domain workload called {@code purpose}: its operations, a cache's jitter. */
  static SplittableRandom domain(long seed, String purpose) {
    return stream(seed, "domain " + purpose);
  }

  /** The stream called {@code purpose}; a different purpose or seed gives an unrelated stream. */
  private static SplittableRandom stream(long seed, String purpose) {
    // FNV-1a, 64 bits: a hash that never changes between JVMs (String.hashCode has only 32 bits).
    long hash = 0xcbf29ce484222325L;
    for (byte b : purpose.getBytes(StandardCharsets.UTF_8)) {
      hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
    }
    // SplittableRandom mixes its seed before every output, so nearby seeds give unrelated streams.
    return new SplittableRandom(seed ^ hash);
  }
}
