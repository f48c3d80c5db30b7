package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.freshcache.testing.PartitionableBus;
import io.freshcache.testing.SignalingBus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What an operator watches in an outage, in Micrometer, and how much an outage logs. */
class GroupMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private double gauge(String name) {
    return registry.get(name).tag("group", "shop").gauge().value();
  }

  private double counter(String name) {
    return registry.get(name).tag("group", "shop").functionCounter().count();
  }

  private double events(String result) {
    return registry
        .get("freshcache.group.events")
        .tags("group", "shop", "result", result)
        .functionCounter()
        .count();
  }

  @Test
  void theOutboxTrustLossesAndPublishFailuresAreMeters() {
    PartitionableBus bus = new PartitionableBus();
    PartitionableBus.Link link = bus.link();
    try (CacheGroup group =
            CacheGroup.builder("shop").bus(link).instanceId("me").metrics(registry).build();
        CacheGroup peer = CacheGroup.builder("shop").bus(bus.link()).instanceId("peer").build()) {
      group.invalidateKeys("a");
      assertThat(events("published")).isEqualTo(1);
      assertThat(gauge("freshcache.group.trusted")).isEqualTo(1);

      link.cut();
      group.invalidateKeys("b");
      group.invalidateKeys("c");
      assertThat(gauge("freshcache.group.outbox.depth")).isEqualTo(2);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> counter("freshcache.group.publish.failures") >= 2);

      link.heal();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> gauge("freshcache.group.outbox.depth") == 0);
      assertThat(counter("freshcache.group.outbox.delivered")).isEqualTo(2);
    }
    assertThat(registry.find("freshcache.group.outbox.depth").gauges()).isEmpty(); // removed
  }

  @Test
  void lossesAndSuspensionsAreCounted() {
    SignalingBus bus = new SignalingBus();
    try (CacheGroup group =
        CacheGroup.builder("shop").bus(bus).instanceId("me").metrics(registry).build()) {
      FreshCache<String, String> cache =
          group.cache("c", String.class, String.class).source(k -> "v").build();
      cache.get("k");
      bus.reportLiveness(false);
      cache.get("k"); // a hit refused: suspended
      bus.reportLoss("test");
      assertThat(counter("freshcache.group.losses")).isEqualTo(1);
      assertThat(counter("freshcache.group.suspensions")).isEqualTo(1);
      assertThat(gauge("freshcache.group.trusted")).isZero();
    }
  }

  @Test
  void anOutageLogsOneLineWhenItStartsAndOneWhenItEndsNotOnePerInvalidation() {
    PartitionableBus bus = new PartitionableBus();
    PartitionableBus.Link link = bus.link();
    try (CapturedLog log = new CapturedLog();
        CacheGroup group = CacheGroup.builder("shop").bus(link).instanceId("me").build()) {
      link.cut();
      for (int i = 0; i < 50; i++) {
        group.invalidateKeys("k" + i);
      }
      link.heal();
      await().atMost(Duration.ofSeconds(10)).until(() -> group.stats().outboxDepth() == 0);
      assertThat(log.linesWith("group 'shop'").stream().filter(l -> l.contains("WARN"))).hasSize(1);
      assertThat(log.linesWith("group 'shop': the bus answers again")).hasSize(1);
    }
  }
}
