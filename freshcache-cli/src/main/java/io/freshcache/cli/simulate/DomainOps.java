package io.freshcache.cli.simulate;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * The operations of a run, in time order: drawn from the workload's seed, or replayed from a
 * recorded trace. Each run asks for a fresh iterator and gets the same operations.
 */
interface DomainOps {

  /** The operations, in order, from the start. */
  Iterator<DomainOp> iterator();

  /** Operations drawn from {@code workload}'s seed: the same workload, the same operations. */
  static DomainOps generated(DomainWorkload workload) {
    return () -> new Generator(workload);
  }

  /** The operations of a recorded trace. */
  static DomainOps recorded(List<DomainOp> ops) {
    List<DomainOp> copy = List.copyOf(ops);
    return copy::iterator;
  }

  /**
   * Draws reads at a steady rate (the entity by its share, the key from a Zipf distribution within
   * it), single-key writes of each entity as a Poisson process at its rate (keys uniform), and each
   * bulk event at its interval (its target uniform).
   */
  final class Generator implements Iterator<DomainOp> {
    private final DomainWorkload workload;
    private final Domain domain;
    private final SplittableRandom random;
    private final Entity[] entities = Entity.values();
    private final ZipfSampler[] zipf = new ZipfSampler[entities.length];
    private final double[] shares = new double[entities.length];
    private final long readEvery;
    private long nextRead;
    private final long[] nextWrite = new long[entities.length];
    private final Bulk[] bulks = Bulk.values();
    private final long[] nextBulk = new long[bulks.length];

    Generator(DomainWorkload workload) {
      this.workload = workload;
      this.domain = workload.domain();
      this.random = Seeds.domain(workload.seed(), "operations");
      double sum = 0;
      for (int i = 0; i < entities.length; i++) {
        zipf[i] = new ZipfSampler(domain.keys(entities[i]), workload.skew());
        sum += entities[i].readShare();
        shares[i] = sum;
      }
      for (int i = 0; i < shares.length; i++) {
        shares[i] /= sum;
      }
      readEvery = Math.max(1, Math.round(1e9 / workload.readsPerSecond()));
      nextRead = readEvery;
      for (int i = 0; i < entities.length; i++) {
        nextWrite[i] = nextArrival(0, workload.writeRate(entities[i]));
      }
      for (int i = 0; i < bulks.length; i++) {
        long every = workload.every(bulks[i]).toNanos();
        nextBulk[i] = every == 0 ? Long.MAX_VALUE : every;
      }
    }

    private long nextArrival(long after, double perSecond) {
      if (perSecond <= 0) {
        return Long.MAX_VALUE;
      }
      double u = random.nextDouble();
      return after + Math.max(1, Math.round(-Math.log(1 - u) / perSecond * 1e9));
    }

    private long earliest() {
      long t = nextRead;
      for (long w : nextWrite) {
        t = Math.min(t, w);
      }
      for (long b : nextBulk) {
        t = Math.min(t, b);
      }
      return t;
    }

    @Override
    public boolean hasNext() {
      return earliest() <= workload.durationNanos();
    }

    @Override
    public DomainOp next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      for (int i = 0; i < bulks.length; i++) {
        if (nextBulk[i] <= nextRead && nextBulk[i] == earliest()) {
          long at = nextBulk[i];
          nextBulk[i] += workload.every(bulks[i]).toNanos();
          return DomainOp.event(at, bulks[i], 1 + random.nextInt(bulks[i].targets(domain)));
        }
      }
      for (int i = 0; i < entities.length; i++) {
        if (nextWrite[i] <= nextRead && nextWrite[i] == earliest()) {
          long at = nextWrite[i];
          nextWrite[i] = nextArrival(at, workload.writeRate(entities[i]));
          return DomainOp.write(at, entities[i], 1 + random.nextInt(domain.keys(entities[i])), 0);
        }
      }
      long at = nextRead;
      nextRead += readEvery;
      double u = random.nextDouble();
      int e = 0;
      while (e < shares.length - 1 && shares[e] <= u) {
        e++;
      }
      return DomainOp.read(at, entities[e], zipf[e].sample(random));
    }
  }
}
