package io.freshcache.cli.simulate;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the domain workload replays: the {@link Domain}, how long and how fast, how reads are
 * skewed, how often each entity changes on its own and how often the bulk events come, on how many
 * instances, what a source load costs, and how stale a read may be before it counts.
 *
 * @param domain the sizes
 * @param durationNanos virtual time the run lasts
 * @param readsPerSecond reads per second of virtual time, every instance together
 * @param skew Zipf exponent of the reads within each entity
 * @param seed seed of every draw
 * @param instances application instances
 * @param sourceLatency virtual time one source query takes (a report costs more, see {@link
 *     Entity#loadCost})
 * @param writesPerSecond single-key writes per second, by entity
 * @param bulkEvery the interval of each kind of bulk event; zero turns it off
 * @param toleranceNanos a read is stale only if a newer version was committed at least this long
 *     before it started
 * @param paced whether the replay waits for real time to catch up with virtual time (with Redis)
 */
record DomainWorkload(
    Domain domain,
    long durationNanos,
    int readsPerSecond,
    double skew,
    long seed,
    int instances,
    Duration sourceLatency,
    Map<Entity, Double> writesPerSecond,
    Map<Bulk, Duration> bulkEvery,
    long toleranceNanos,
    boolean paced) {

  DomainWorkload {
    Objects.requireNonNull(domain, "domain");
    if (durationNanos < 1_000_000_000L) {
      throw new IllegalArgumentException("--duration must be at least 1s");
    }
    if (readsPerSecond < 1 || readsPerSecond > 1_000_000) {
      throw new IllegalArgumentException(
          "--rate must be within [1, 1000000] reads per second, was " + readsPerSecond);
    }
    if (!(skew >= 0.0) || Double.isInfinite(skew)) {
      throw new IllegalArgumentException("--skew must be a finite number >= 0, was " + skew);
    }
    if (instances < 1 || instances > Workload.MAX_INSTANCES) {
      throw new IllegalArgumentException(
          "--instances must be within [1, " + Workload.MAX_INSTANCES + "], was " + instances);
    }
    if (sourceLatency.isNegative()) {
      throw new IllegalArgumentException("--source-latency must not be negative");
    }
    if (toleranceNanos < 0) {
      throw new IllegalArgumentException("--tolerance must not be negative");
    }
    writesPerSecond = Map.copyOf(writesPerSecond);
    bulkEvery = Map.copyOf(bulkEvery);
    for (Map.Entry<Entity, Double> rate : writesPerSecond.entrySet()) {
      double r = rate.getValue();
      if (!(r >= 0) || r > readsPerSecond) {
        throw new IllegalArgumentException(
            "--write-rate " + rate.getKey().label() + " must be within [0, --rate], was " + r);
      }
      if (r > 0 && !rate.getKey().hasRow()) {
        throw new IllegalArgumentException(
            "--write-rate "
                + rate.getKey().label()
                + ": a computed entity has no row to write; it changes with what it is made from");
      }
    }
    for (Map.Entry<Bulk, Duration> every : bulkEvery.entrySet()) {
      Duration d = every.getValue();
      if (d.isNegative() || (!d.isZero() && d.toMillis() < 100)) {
        throw new IllegalArgumentException(
            "--" + every.getKey().label() + "-every must be 0 (off) or at least 100ms, was " + d);
      }
    }
  }

  /** The default write rates: each entity's own. */
  static Map<Entity, Double> defaultWriteRates() {
    Map<Entity, Double> rates = new EnumMap<>(Entity.class);
    for (Entity e : Entity.values()) {
      rates.put(e, e.writesPerSecond());
    }
    return rates;
  }

  /** The default bulk intervals. */
  static Map<Bulk, Duration> defaultBulkEvery() {
    Map<Bulk, Duration> every = new EnumMap<>(Bulk.class);
    for (Bulk b : Bulk.values()) {
      every.put(b, b.defaultEvery());
    }
    return every;
  }

  double writeRate(Entity entity) {
    return writesPerSecond.getOrDefault(entity, 0.0);
  }

  Duration every(Bulk bulk) {
    return bulkEvery.getOrDefault(bulk, Duration.ZERO);
  }

  /** Virtual time one load of {@code entity} takes. */
  long loadNanos(Entity entity) {
    return sourceLatency.toNanos() * entity.loadCost();
  }
}
