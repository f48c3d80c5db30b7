package io.freshcache;

import io.freshcache.stats.GroupStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Publishes a group's figures — what its operators watch in an outage — as Micrometer meters,
 * tagged {@code group}: bus events by result, losses, suspensions, whether local hits are trusted,
 * the propagation lag's percentiles, the outbox, publish failures, and the shared tier's calls and
 * breaker. Like {@link MicrometerMetrics}, loaded only when a registry was given.
 */
final class GroupMetrics implements AutoCloseable {

  private final MeterRegistry registry;
  private final Supplier<GroupStats> stats;
  private final Tags tags;
  private final List<Meter> meters = new ArrayList<>();

  private GroupMetrics(MeterRegistry registry, String group, Supplier<GroupStats> stats) {
    this.registry = registry;
    this.stats = stats;
    this.tags = Tags.of("group", group);
  }

  /** Registers the group's meters; closing the result removes them. */
  static AutoCloseable bind(Object registry, String group, Supplier<GroupStats> stats) {
    GroupMetrics m = new GroupMetrics((MeterRegistry) registry, group, stats);
    m.counter("freshcache.group.events", "published", GroupStats::published, "Events sent");
    m.counter("freshcache.group.events", "received", GroupStats::received, "Events heard");
    m.counter("freshcache.group.events", "applied", GroupStats::applied, "Events applied");
    m.counter(
        "freshcache.group.events",
        "malformed",
        GroupStats::malformed,
        "Messages refused as malformed (each changed nothing)");
    m.counter(
        "freshcache.group.events", "foreign", GroupStats::foreign, "Events of another namespace");
    m.counter(
        "freshcache.group.events",
        "forged",
        GroupStats::forged,
        "Events whose signature did not verify (each changed nothing)");
    m.counter(
        "freshcache.group.events",
        "downgraded",
        GroupStats::downgraded,
        "Events applied as plain invalidations: values or versions not trusted");
    m.counter(
        "freshcache.group.losses",
        null,
        GroupStats::losses,
        "Times the bus may have lost events (each cleared this instance's caches)");
    m.counter(
        "freshcache.group.suspensions",
        null,
        GroupStats::suspensions,
        "Times local hits were suspended: the bus could not vouch for delivery within δ");
    m.gauge(
        "freshcache.group.trusted",
        s -> s.live() ? 1 : 0,
        "1 while local hits are allowed (the bus vouches for delivery), else 0",
        Tags.empty());
    m.gauge(
        "freshcache.group.lag.percentile",
        s -> s.lag().p50Micros() / 1e6,
        "Publish-to-applied lag of other instances' events, seconds",
        Tags.of("phi", "0.5"));
    m.gauge(
        "freshcache.group.lag.percentile",
        s -> s.lag().p99Micros() / 1e6,
        "Publish-to-applied lag of other instances' events, seconds",
        Tags.of("phi", "0.99"));
    m.gauge(
        "freshcache.group.outbox.depth",
        GroupStats::outboxDepth,
        "Invalidations made here that wait for Redis, in order",
        Tags.empty());
    m.counter(
        "freshcache.group.outbox.overflows",
        null,
        GroupStats::outboxOverflows,
        "Times the outbox overflowed into one invalidation of everything");
    m.counter(
        "freshcache.group.outbox.delivered",
        null,
        GroupStats::outboxDelivered,
        "Invalidations that waited in the outbox, then reached Redis");
    m.counter(
        "freshcache.group.publish.failures",
        null,
        GroupStats::publishFailures,
        "Publishes the bus could not take (each was kept in the outbox)");
    m.counter("freshcache.group.shared.calls", "hit", GroupStats::sharedHits, "Shared-tier hits");
    m.counter(
        "freshcache.group.shared.calls",
        "failure",
        GroupStats::sharedFailures,
        "Shared-tier calls that failed or timed out");
    m.counter(
        "freshcache.group.shared.calls",
        "skipped",
        GroupStats::sharedSkipped,
        "Shared-tier calls skipped while its circuit breaker was open");
    m.counter(
        "freshcache.group.shared.calls",
        "unencodable",
        GroupStats::sharedUnencodable,
        "Loaded values the codec could not share");
    m.gauge(
        "freshcache.group.shared.breaker.open",
        s -> s.sharedBreakerOpen() ? 1 : 0,
        "1 while the shared tier's circuit breaker is open, else 0",
        Tags.empty());
    return m;
  }

  private void counter(
      String name, String result, ToDoubleFunction<GroupStats> value, String description) {
    meters.add(
        FunctionCounter.builder(name, stats, s -> value.applyAsDouble(s.get()))
            .tags(result == null ? tags : tags.and("result", result))
            .description(description)
            .register(registry));
  }

  private void gauge(
      String name, ToDoubleFunction<GroupStats> value, String description, Tags extra) {
    meters.add(
        Gauge.builder(name, stats, s -> value.applyAsDouble(s.get()))
            .strongReference(true) // held weakly otherwise; the group holds these meters anyway
            .tags(tags.and(extra))
            .description(description)
            .register(registry));
  }

  @Override
  public void close() {
    meters.forEach(registry::remove);
    meters.clear();
  }
}
