package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.freshcache.testing.SignalingBus;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * When the shared tier cannot be told: a writer that owes it an invalidation does not read it back,
 * a reader the bus cannot vouch for does not read it at all, and the owed change reaches it (before
 * the event) once it answers.
 */
class SharedTierOutageTest {

  private final InMemorySharedTier stored = new InMemorySharedTier();
  private final RefusingTier tier = new RefusingTier(stored);
  private final SignalingBus bus = new SignalingBus();
  private final Map<String, String> source = new ConcurrentHashMap<>(Map.of("k", "v1"));
  private final CacheGroup group =
      CacheGroup.builder("outage")
          .bus(bus)
          .shared(tier)
          .instanceId("me")
          .sharedProbeInterval(
              Duration.ofNanos(1)) // the breaker lets every call probe: the guards alone decide
          .build();
  private final FreshCache<String, String> cache =
      group.cache("c", String.class, String.class).source(source::get).build();

  @AfterEach
  void close() {
    group.close();
  }

  @Test
  void aWriterThatOwesTheTierAnInvalidationDoesNotReadTheOldValueBack() {
    assertThat(cache.get("k")).isEqualTo("v1"); // now in the tier as well
    assertThat(stored.stored("c", "k")).isNotNull();

    tier.refuseInvalidations(true);
    source.put("k", "v2");
    cache.invalidate("k"); // the tier did not take it: owed, in the outbox
    assertThat(group.stats().outboxDepth()).isEqualTo(1);

    assertThat(cache.get("k")).isEqualTo("v2"); // from the source, not the tier's v1
    assertThat(stored.stored("c", "k")).isNotNull(); // the tier still holds v1

    tier.refuseInvalidations(false);
    await().atMost(Duration.ofSeconds(10)).until(() -> group.stats().outboxDepth() == 0);
    assertThat(stored.stored("c", "k")).isNull(); // the owed change reached it
  }

  @Test
  void aReaderTheBusCannotVouchForReadsTheSourceNotTheTier() {
    // The tier holds a value that an event this instance has not heard yet invalidated.
    stored.store("c", "k", "\"old\"".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    bus.reportLiveness(false);

    assertThat(cache.get("k")).isEqualTo("v1");

    assertThat(group.stats().sharedHits()).isZero();
  }
}
