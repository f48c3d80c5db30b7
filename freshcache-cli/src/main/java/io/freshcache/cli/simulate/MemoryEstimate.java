package io.freshcache.cli.simulate;

import io.freshcache.cli.ByteSize;
import io.freshcache.cli.Main;
import java.util.Collection;
import java.util.Locale;

/**
 * About how much heap a simulation needs, so that one that cannot fit is refused before it
 * allocates anything, in one line that says what to change, rather than dying of an {@link
 * OutOfMemoryError} minutes in. Immutable.
 *
 * <p>An estimate from measured costs (below), not a promise: a run just under the heap may still
 * run out, which {@link Main} then reports in one line too.
 */
final class MemoryEstimate {

  /*
   * The costs, measured on JDK 17 (G1, compressed oops) in two ways: the heap in use after
   * System.gc() with a structure filled (200,000 and 1,000,000 keys), less what it was before; and
   * the smallest -Xmx in which a run finishes, found by bisection. Runs measured: 100 keys and
   * 2,000 ops finish in 31 MiB; 20,000,000 ops on 100 keys in 244 MiB (the trace alone is 229 MiB);
   * 1,000,000 rows are seeded in 300 MiB but not in 280 MiB; dependency on 3 instances, 300,000 ops
   * over 1,000,000 keys read uniformly, finishes in 370 MiB. This estimate asks 15% to 20% more
   * than those runs needed (36, 290 and 436 MiB): enough that what it accepts runs; what it refuses
   * might still have fit in a heap up to a fifth smaller than the estimate.
   */

  /** The JVM, picocli, H2, Caffeine, the report's histograms: a run of 100 keys. */
  static final long BASE_BYTES = 32L << 20;

  /**
   * A row of the H2 table with its two indexes (290 bytes), plus the arrays of one long per row
   * that a run keeps (the current versions, the database's at the end) and the Zipf sampler's
   * double per row while the trace is drawn.
   */
  static final long BYTES_PER_ROW = 290 + 3 * 8;

  /** An operation of the trace: an int key and a long price. */
  static final long BYTES_PER_OP = 4 + 8;

  /** A product in a cache: its entry in Caffeine and freshcache, the key, the Product. */
  static final long BYTES_PER_CACHED_PRODUCT = 270;

  /** adaptive also tracks each key's read rate. */
  static final long BYTES_PER_ADAPTIVE_PRODUCT = 400;

  /** tags also index each product by its category's tag. */
  static final long BYTES_PER_TAGGED_PRODUCT = 350;

  /**
   * dependency also caches the category summary each read asks for, with its dependency edges: as
   * much as one summary per cached product when reads are uniform (about 3 KB each, measured on
   * full categories, less when few of a category's products are cached).
   */
  static final long BYTES_PER_DEPENDENT_PRODUCT = 2_000;

  /**
   * How long a time-based cache keeps an entry at most, in virtual seconds: stale-if-error's, 60 s
   * past a 30 s lifetime. Caffeine drops expired entries as the clock moves, so a cache holds no
   * more products than were read in that time.
   */
  static final long TIME_BASED_RETENTION_SECONDS = 90;

  /** Live data the heap can hold with room to spare for the garbage collector. */
  static final double USABLE_SHARE = 0.9;

  /** The option that limits how many products a run's caches hold. */
  private enum Bound {
    KEYS("--keys", "fewer keys"),
    OPS("--ops", "fewer ops"),
    RATE("--rate", "a lower rate");

    final String option;
    final String fix;

    Bound(String option, String fix) {
      this.option = option;
      this.fix = fix;
    }
  }

  /** How many products a strategy's run caches at most, and which option sets that. */
  private record Cached(long products, Bound bound) {}

  private final Workload workload;
  private final long rowBytes;
  private final long opBytes;
  private final long cacheBytes;
  private final Bound cacheBound;
  private final boolean cacheOnInstances;

  private MemoryEstimate(
      Workload workload,
      long rowBytes,
      long opBytes,
      long cacheBytes,
      Bound cacheBound,
      boolean cacheOnInstances) {
    this.workload = workload;
    this.rowBytes = rowBytes;
    this.opBytes = opBytes;
    this.cacheBytes = cacheBytes;
    this.cacheBound = cacheBound;
    this.cacheOnInstances = cacheOnInstances;
  }

  /**
   * The heap that a simulation of {@code workload} against {@code strategies} needs. The strategies
   * run one after another, each with fresh caches, so the fullest one counts, not their sum.
   */
  static MemoryEstimate of(Workload workload, Collection<Strategy> strategies) {
    long cacheBytes = 0;
    Bound cacheBound = Bound.KEYS;
    boolean cacheOnInstances = false;
    for (Strategy strategy : strategies) {
      Cached cached = cached(workload, strategy);
      long bytes = cached.products() * bytesPerCachedProduct(strategy);
      if (bytes > cacheBytes) {
        cacheBytes = bytes;
        cacheBound = cached.bound();
        cacheOnInstances =
            strategy instanceof InvalidationStrategy
                && workload.instances() > 1
                && cached.bound() == Bound.KEYS;
      }
    }
    return new MemoryEstimate(
        workload,
        workload.keys() * BYTES_PER_ROW,
        workload.ops() * BYTES_PER_OP,
        cacheBytes,
        cacheBound,
        cacheOnInstances);
  }

  /**
   * At most how many products the caches of one run hold at once: every key, on each instance, but
   * no more than the operations (each instance runs a share of them), nor than the operations of
   * the longest time an entry is kept (each moves the clock by at least {@code 1 / rate}).
   *
   * @throws IllegalArgumentException for a strategy of neither family, which cannot exist
   */
  private static Cached cached(Workload workload, Strategy strategy) {
    if (strategy instanceof TimeStrategy time) {
      return time.usesCache()
          ? fewest(workload.keys(), workload.ops(), workload.rate() * TIME_BASED_RETENTION_SECONDS)
          : new Cached(0, Bound.KEYS);
    }
    if (strategy instanceof InvalidationStrategy) {
      return fewest(
          (long) workload.keys() * workload.instances(),
          workload.ops(),
          workload.rate() * InvalidationStrategy.TTL.toSeconds());
    }
    throw new IllegalArgumentException("no such kind of strategy: " + strategy);
  }

  private static Cached fewest(long byKeys, long byOps, long byRate) {
    if (byKeys <= byOps && byKeys <= byRate) {
      return new Cached(byKeys, Bound.KEYS);
    }
    return byOps <= byRate ? new Cached(byOps, Bound.OPS) : new Cached(byRate, Bound.RATE);
  }

  private static long bytesPerCachedProduct(Strategy strategy) {
    if (strategy == TimeStrategy.ADAPTIVE) {
      return BYTES_PER_ADAPTIVE_PRODUCT;
    }
    if (strategy == InvalidationStrategy.TAGS) {
      return BYTES_PER_TAGGED_PRODUCT;
    }
    if (strategy == InvalidationStrategy.DEPENDENCY) {
      return BYTES_PER_DEPENDENT_PRODUCT;
    }
    return BYTES_PER_CACHED_PRODUCT;
  }

  /** The estimate, in bytes: live data, and the room the garbage collector needs beside it. */
  long bytes() {
    return (long) ((BASE_BYTES + rowBytes + opBytes + cacheBytes) / USABLE_SHARE);
  }

  /**
   * {@code null} if the run fits in a heap of {@code heapBytes}; otherwise the one line that says
   * it does not, naming the option that weighs most, the estimate, the heap, and what to do.
   */
  String refusal(long heapBytes) {
    long bytes = bytes();
    if (bytes <= heapBytes) {
      return null;
    }
    long keysBytes = rowBytes + (cacheBound == Bound.KEYS ? cacheBytes : 0);
    long opsBytes = opBytes + (cacheBound == Bound.OPS ? cacheBytes : 0);
    long rateBytes = cacheBound == Bound.RATE ? cacheBytes : 0;
    Bound heaviest =
        keysBytes >= opsBytes && keysBytes >= rateBytes
            ? Bound.KEYS
            : opsBytes >= rateBytes ? Bound.OPS : Bound.RATE;
    long value =
        switch (heaviest) {
          case KEYS -> workload.keys();
          case OPS -> workload.ops();
          case RATE -> workload.rate();
        };
    String option = heaviest.option + "=" + value;
    String fix = heaviest.fix;
    if (heaviest == Bound.KEYS && cacheOnInstances && cacheBytes > rowBytes) {
      option += " on --instances=" + workload.instances();
      fix += " or instances";
    }
    return String.format(
        Locale.ROOT,
        "%s needs about %s but the heap holds %s; use %s, or raise -Xmx"
            + " (e.g. JAVA_TOOL_OPTIONS=-Xmx%dg)",
        option,
        ByteSize.text(bytes),
        ByteSize.text(heapBytes),
        fix,
        ByteSize.ceilGib(bytes));
  }
}
