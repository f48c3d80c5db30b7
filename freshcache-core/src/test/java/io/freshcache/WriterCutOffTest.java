package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.freshcache.event.Invalidation;
import io.freshcache.testing.PartitionableBus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A writer whose publishes fail (cut off from the bus) or are held (a server that pauses writes):
 * its invalidations wait in its outbox, in order, and reach every other instance once it is back;
 * strict mode returns only once the bus holds them.
 */
class WriterCutOffTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final PartitionableBus bus = new PartitionableBus();
  private final Map<String, String> source = new ConcurrentHashMap<>();
  private final List<CacheGroup> groups = new ArrayList<>();

  @AfterEach
  void close() {
    groups.forEach(CacheGroup::close);
  }

  private CacheGroup group(String id, PartitionableBus.Link link, CacheGroupBuilder settings) {
    CacheGroup group = settings.bus(link).instanceId(id).build();
    groups.add(group);
    return group;
  }

  private CacheGroup group(String id, PartitionableBus.Link link) {
    return group(id, link, CacheGroup.builder("shop"));
  }

  private FreshCache<String, String> users(CacheGroup group) {
    return group.cache("users", String.class, String.class).source(source::get).build();
  }

  @Test
  void aWriterCutOffFromTheBusSendsItsInvalidationWhenItIsBack() {
    PartitionableBus.Link writerLink = bus.link();
    FreshCache<String, String> writer = users(group("writer", writerLink));
    CacheGroup readerGroup = group("reader", bus.link());
    FreshCache<String, String> reader = users(readerGroup);
    source.put("k", "v1");
    assertThat(reader.get("k")).isEqualTo("v1");

    writerLink.cut();
    source.put("k", "v2");
    writer.invalidate("k"); // returns: the invalidation waits in the writer's outbox

    assertThat(writer.get("k")).isEqualTo("v2"); // read-your-writes on the writer
    CacheGroup writerGroup = groups.get(0);
    await().atMost(WAIT).until(() -> writerLink.refused() > 0);
    assertThat(writerGroup.stats().outboxDepth()).isEqualTo(1);
    assertThat(reader.getIfPresent("k")).isEqualTo("v1"); // not told yet: the stated window

    writerLink.heal();
    await().atMost(WAIT).until(() -> reader.getIfPresent("k") == null);
    assertThat(reader.get("k")).isEqualTo("v2");
    assertThat(writerGroup.stats().outboxDepth()).isZero();
    assertThat(writerGroup.stats().outboxDelivered()).isEqualTo(1);
  }

  @Test
  void aBacklogIsSentInBatchesWithoutWaitingForEachConfirmationSoItCatchesUpWithTheWriter() {
    PartitionableBus.Link writerLink = bus.link();
    CacheGroup writer = group("writer", writerLink);
    writerLink.cut();
    for (int n = 0; n < 10; n++) {
      writer.invalidateKeys("k" + n);
    }
    assertThat(writer.stats().outboxDepth()).isEqualTo(10);
    // Until the outbox has tried the whole backlog once, a try it began while the ten were being
    // made may still be on its way with fewer of them (and would then wait for its confirmation).
    int refusedBefore = writerLink.refused();
    await().atMost(WAIT).until(() -> writerLink.refused() >= refusedBefore + 10);

    writerLink.hold(); // the bus takes publishes again, and confirms none yet
    writerLink.heal();
    // One round trip for the backlog, not one each: all ten are out before the first is confirmed
    // (one at a time, a writer that goes on writing faster than a round trip never catches up).
    await().atMost(WAIT).until(() -> writerLink.held() == 10);
    assertThat(writer.stats().outboxDepth()).isEqualTo(10); // none confirmed: all still owed

    writerLink.release();
    await().atMost(WAIT).until(() -> writer.stats().outboxDepth() == 0);
    assertThat(writer.stats().outboxDelivered()).isEqualTo(10);
  }

  @Test
  void heldBackInvalidationsArriveInTheOrderTheyWereMadeAndNewerOnesQueueBehindThem() {
    PartitionableBus.Link writerLink = bus.link();
    CacheGroup writer = group("writer", writerLink);
    CacheGroup reader = group("reader", bus.link());
    List<String> heard = new CopyOnWriteArrayList<>();
    reader.subscribe(
        "product.*",
        event -> {
          heard.add(String.valueOf(event.data().get("n")));
          return List.of();
        });

    writerLink.cut();
    for (int n = 0; n < 10; n++) {
      writer.publish("product.changed", Invalidation.keys("product:" + n), Map.of("n", n));
    }
    writerLink.heal();
    // Made while older ones may still wait: it must come after them, not overtake them.
    writer.publish("product.changed", Invalidation.keys("product:10"), Map.of("n", 10));

    await().atMost(WAIT).until(() -> heard.size() == 11);
    assertThat(heard).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
  }

  @Test
  void anOverflowingOutboxMakesEveryInstanceClearEveryCacheOnceTheWriterIsBack() {
    PartitionableBus.Link writerLink = bus.link();
    CacheGroup writer = group("writer", writerLink, CacheGroup.builder("shop").outboxCapacity(3));
    CacheGroup reader = group("reader", bus.link());
    FreshCache<String, String> users = users(reader);
    FreshCache<String, String> orders = reader.cache("orders", String.class, String.class).build();
    source.putAll(Map.of("a", "1", "b", "1", "c", "1", "never-invalidated", "1"));
    List.of("a", "b", "c", "never-invalidated").forEach(users::get);
    orders.put("o", "1");

    writerLink.cut();
    for (String key : List.of("a", "b", "c", "d")) {
      writer.invalidateKeys(key);
    }
    assertThat(writer.stats().outboxOverflows()).isEqualTo(1);
    assertThat(writer.stats().outboxDepth()).isEqualTo(1); // one clear-everything for all four
    assertThat(users.getIfPresent("never-invalidated")).isEqualTo("1");

    writerLink.heal();
    await().atMost(WAIT).until(() -> users.getIfPresent("never-invalidated") == null);
    assertThat(users.getIfPresent("a")).isNull();
    assertThat(orders.getIfPresent("o")).isNull();
    assertThat(writer.stats().outboxDepth()).isZero();
  }

  @Test
  void anUpdateSentLateTravelsAsAnInvalidationSoItCannotOverwriteANewerValue() {
    PartitionableBus.Link writerLink = bus.link();
    CacheGroup writer = group("writer", writerLink);
    CacheGroup readerGroup = group("reader", bus.link());
    FreshCache<String, String> reader = users(readerGroup);
    source.put("k", "v1");
    reader.get("k");

    writerLink.cut();
    writer.publish(
        "user.updated",
        new Invalidation.Update(null, List.of("k"), Map.of("k", "v-old"), OptionalLong.empty()),
        Map.of());
    source.put("k", "v-new");
    writerLink.heal();

    await().atMost(WAIT).until(() -> writer.stats().outboxDepth() == 0);
    await().atMost(WAIT).until(() -> reader.getIfPresent("k") == null);
    assertThat(reader.get("k")).isEqualTo("v-new"); // never the value the late update carried
  }

  @Test
  void strictModeReturnsOnlyOnceTheBusHoldsTheInvalidation() throws Exception {
    PartitionableBus.Link writerLink = bus.link();
    CacheGroup writerGroup =
        group("writer", writerLink, CacheGroup.builder("shop").strict(Duration.ofSeconds(30)));
    FreshCache<String, String> writer = users(writerGroup);
    CacheGroup readerGroup = group("reader", bus.link());
    FreshCache<String, String> reader = users(readerGroup);
    source.put("k", "v1");
    reader.get("k");

    writerLink.hold();
    CompletableFuture<Void> put = CompletableFuture.runAsync(() -> writer.put("k", "v2"));
    await().atMost(WAIT).until(() -> writerGroup.stats().published() == 1);
    assertThat(put).isNotDone(); // the bus has not confirmed: the call has not returned
    assertThat(reader.getIfPresent("k")).isEqualTo("v1");

    writerLink.release();
    put.get();
    // Once the call returned the bus held the event: the reader has it (this bus delivers on
    // confirmation), however soon the writer dies afterwards.
    assertThat(reader.getIfPresent("k")).isNull();
  }

  @Test
  void strictModeSaysWhatWasDoneWhenTheBusDoesNotConfirmAndRefusesUpFrontAfterwards() {
    PartitionableBus.Link writerLink = bus.link();
    List<String> written = new CopyOnWriteArrayList<>();
    CacheGroup writerGroup =
        group("writer", writerLink, CacheGroup.builder("shop").strict(Duration.ofMillis(100)));
    FreshCache<String, String> writer =
        writerGroup
            .cache("users", String.class, String.class)
            .source(source::get)
            .writes(
                Writes.through(
                    (String key, String value) -> {
                      written.add(value);
                      source.put(key, value);
                    }))
            .build();
    CacheGroup readerGroup = group("reader", bus.link());
    FreshCache<String, String> reader = users(readerGroup);
    source.put("k", "v1");
    reader.get("k");

    writerLink.cut();
    assertThatThrownBy(() -> writer.put("k", "v2"))
        .isInstanceOf(UnconfirmedInvalidationException.class)
        .hasMessageContaining("k is written to the source and stored here")
        .hasMessageContaining("did not confirm")
        .satisfies(
            e -> assertThat(((UnconfirmedInvalidationException) e).changedNothing()).isFalse());
    assertThat(written).containsExactly("v2");
    assertThat(writer.get("k")).isEqualTo("v2");

    // Now Redis is known to be out of reach: refused before the source is written.
    assertThatThrownBy(() -> writer.put("k", "v3"))
        .isInstanceOf(UnconfirmedInvalidationException.class)
        .hasMessageContaining("nothing changed, here or in the source")
        .satisfies(
            e -> assertThat(((UnconfirmedInvalidationException) e).changedNothing()).isTrue());
    assertThatThrownBy(() -> writerGroup.invalidateKeys("k"))
        .isInstanceOf(UnconfirmedInvalidationException.class);
    assertThat(written).containsExactly("v2");
    assertThat(writer.get("k")).isEqualTo("v2");

    writerLink.heal();
    await().atMost(WAIT).until(() -> reader.getIfPresent("k") == null);
    writer.put("k", "v4"); // confirmed: returns
    assertThat(written).containsExactly("v2", "v4");
  }

  @Test
  void strictModeNeedsSomethingToConfirm() {
    assertThatThrownBy(() -> CacheGroup.builder("lonely").strict(Duration.ofSeconds(1)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no bus and no shared tier");
  }

  @Test
  void theOutboxTellsTheSharedTierBeforeItPublishesEachInvalidation() {
    RefusingTier tier = new RefusingTier(new InMemorySharedTier());
    PartitionableBus.Link writerLink = bus.link();
    CacheGroup writer =
        group(
            "writer",
            writerLink,
            CacheGroup.builder("shop").shared(tier).sharedProbeInterval(Duration.ofNanos(1)));
    FreshCache<String, String> users = users(writer);
    CacheGroup reader = group("reader", bus.link());
    reader.subscribe(
        "*",
        event -> {
          tier.calls().add("event " + ((Invalidation.Keys) event.invalidation()).keys());
          return List.of();
        });

    tier.refuseInvalidations(true);
    writerLink.cut();
    users.invalidate("a");
    users.invalidate("b");
    assertThat(writer.stats().outboxDepth()).isEqualTo(2);
    writerLink.heal(); // the bus answers first: the events must still wait for the tier
    tier.refuseInvalidations(false);

    await().atMost(WAIT).until(() -> writer.stats().outboxDepth() == 0);
    // The backlog goes as one batch: its tier changes, then (once the tier did them all) its events
    // in the order made. Each event still follows its own tier change.
    assertThat(tier.calls()).containsExactly("tier [a]", "tier [b]", "event [a]", "event [b]");
  }
}
