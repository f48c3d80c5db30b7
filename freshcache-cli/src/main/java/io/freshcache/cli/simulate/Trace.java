package io.freshcache.cli.simulate;

import java.util.SplittableRandom;

/**
 * The operations of one simulated run, drawn once from the workload's seed ({@link Seeds#trace}) so
 * that every strategy replays exactly the same reads and writes in the same order.
 *
 * <p>Each operation is a read of a key drawn from the workload's Zipf distribution (key 1 the
 * hottest), or, with probability {@link Workload#writeRatio()}, a write of a new price to a key
 * drawn uniformly. Immutable.
 */
final class Trace {

  private static final long READ = -1;

  private final int[] keys;
  private final long[] newPrices;
  private final int writes;

  private Trace(int[] keys, long[] newPrices, int writes) {
    this.keys = keys;
    this.newPrices = newPrices;
    this.writes = writes;
  }

  /** Draws the operations of {@code workload}; the same workload always gives the same trace. */
  static Trace of(Workload workload) {
    SplittableRandom random = Seeds.trace(workload.seed());
    ZipfSampler zipf = new ZipfSampler(workload.keys(), workload.skew());
    int[] keys = new int[workload.ops()];
    long[] newPrices = new long[workload.ops()];
    int writes = 0;
    for (int i = 0; i < keys.length; i++) {
      if (random.nextDouble() < workload.writeRatio()) {
        keys[i] = 1 + random.nextInt(workload.keys());
        newPrices[i] = ProductDatabase.randomPrice(random);
        writes++;
      } else {
        keys[i] = zipf.sample(random);
        newPrices[i] = READ;
      }
    }
    return new Trace(keys, newPrices, writes);
  }

  /** The number of operations. */
  int size() {
    return keys.length;
  }

  /** The key (row id, from 1) operation {@code i} reads or writes. */
  long key(int i) {
    return keys[i];
  }

  /** Whether operation {@code i} is a write; otherwise it is a read. */
  boolean isWrite(int i) {
    return newPrices[i] != READ;
  }

  /** The price, in cents, that write {@code i} sets. */
  long newPrice(int i) {
    if (!isWrite(i)) {
      throw new IllegalArgumentException("operation " + i + " is a read, not a write");
    }
    return newPrices[i];
  }

  /** How many operations are writes. */
  int writes() {
    return writes;
  }

  /** How many operations are reads. */
  int reads() {
    return keys.length - writes;
  }
}
