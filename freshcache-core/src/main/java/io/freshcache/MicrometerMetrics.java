package io.freshcache;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Publishes a cache's counters as Micrometer meters. The only class that touches Micrometer, which
 * is an optional dependency: it is loaded only when a registry was given to the builder.
 */
final class MicrometerMetrics implements AutoCloseable {

  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();

  private MicrometerMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Registers the meters of one cache; closing the result removes them. */
  static AutoCloseable bind(
      Object registry,
      String cacheName,
      StatsCounter stats,
      LongSupplier size,
      FreshnessVerifier<?, ?> verification) {
    MicrometerMetrics metrics = new MicrometerMetrics((MeterRegistry) registry);
    Tags tags = Tags.of("cache", cacheName);
    metrics.counter(
        "freshcache.cache.gets",
        tags.and("result", "hit"),
        stats.hits,
        "Reads answered by a fresh entry");
    metrics.counter(
        "freshcache.cache.gets",
        tags.and("result", "stale"),
        stats.staleHits,
        "Reads answered by an entry in its stale-while-revalidate window");
    metrics.counter(
        "freshcache.cache.gets",
        tags.and("result", "miss"),
        stats.misses,
        "Reads that waited for a load");
    metrics.counter(
        "freshcache.cache.loads",
        tags.and("result", "failure"),
        stats.loadFailures,
        "Loads that failed");
    metrics.counter(
        "freshcache.cache.refreshes", tags, stats.refreshes, "Background reloads started");
    metrics.counter(
        "freshcache.cache.stale.if.error",
        tags,
        stats.staleIfErrorServed,
        "Failed loads answered with the old value");
    metrics.counter(
        "freshcache.cache.evictions", tags, stats.evictions, "Entries evicted for size");
    metrics.counter(
        "freshcache.cache.expirations", tags, stats.expirations, "Entries that expired");
    metrics.counter(
        "freshcache.cache.invalidations", tags, stats.invalidations, "Entries invalidated");
    metrics.counter(
        "freshcache.cache.loads.voided",
        tags,
        stats.voidedLoads,
        "Loads not stored because the key changed meanwhile");
    metrics.meters.add(
        FunctionTimer.builder(
                "freshcache.cache.load.duration",
                stats,
                s -> s.loadSuccesses.sum(),
                s -> s.totalLoadNanos.sum(),
                TimeUnit.NANOSECONDS)
            .tags(tags.and("result", "success"))
            .description("Successful loads from the source")
            .register(metrics.registry));
    metrics.meters.add(
        Gauge.builder("freshcache.cache.size", size, s -> s.getAsLong())
            // Micrometer holds a gauge's object weakly: this lambda is held by nothing else, and a
            // collection made the gauge NaN (seen in AnalyticsTest under a full suite).
            .strongReference(true)
            .tags(tags)
            .description("Entries held")
            .register(metrics.registry));
    if (verification != null) {
      metrics.verifier(tags, verification);
    }
    return metrics;
  }

  /**
   * The freshness verifier's figures: checks by verdict, the nines, the budget. The verifier itself
   * is each meter's state, held by its cache (Micrometer holds a meter's state weakly).
   */
  private void verifier(Tags tags, FreshnessVerifier<?, ?> verification) {
    meters.add(
        FunctionCounter.builder(
                "freshcache.verify.checks",
                verification,
                v -> v.stats().checked() - v.stats().stale())
            .tags(tags.and("result", "fresh"))
            .description("Sampled hits the source agreed with (or the cache resolved in time)")
            .register(registry));
    meters.add(
        FunctionCounter.builder("freshcache.verify.checks", verification, v -> v.stats().stale())
            .tags(tags.and("result", "stale"))
            .description("Sampled hits that served a value the source no longer had")
            .register(registry));
    meters.add(
        FunctionCounter.builder(
                "freshcache.verify.over.budget", verification, v -> v.stats().overBudget())
            .tags(tags)
            .description("Sampled hits not checked: the source-read budget was spent")
            .register(registry));
    meters.add(
        Gauge.builder("freshcache.verify.nines", verification, v -> v.stats().nines())
            .tags(tags)
            .description("Consistency of sampled hits as nines: -log10(stale rate)")
            .register(registry));
  }

  private void counter(String name, Tags tags, LongAdder adder, String description) {
    meters.add(
        FunctionCounter.builder(name, adder, LongAdder::sum)
            .tags(tags)
            .description(description)
            .register(registry));
  }

  @Override
  public void close() {
    meters.forEach(registry::remove);
    meters.clear();
  }
}
