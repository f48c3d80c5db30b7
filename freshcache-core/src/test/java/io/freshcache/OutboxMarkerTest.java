package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.freshcache.testing.PartitionableBus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox marker: on disk while invalidations wait for Redis, gone once they got there, and a
 * marker left by a process that is gone makes the fleet clear the group's caches.
 */
class OutboxMarkerTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path markers;

  private final PartitionableBus bus = new PartitionableBus();

  private List<Path> markerFiles() throws IOException {
    try (Stream<Path> files = Files.list(markers)) {
      return files.toList();
    }
  }

  @Test
  void aMarkerExistsWhileInvalidationsWaitAndGoesWhenTheyGotThrough() throws IOException {
    PartitionableBus.Link link = bus.link();
    try (CacheGroup group =
        CacheGroup.builder("shop").bus(link).instanceId("a").outboxMarkers(markers).build()) {
      group.invalidateKeys("k");
      assertThat(markerFiles()).isEmpty(); // nothing waits: no file

      link.cut();
      group.invalidateKeys("k");
      assertThat(markerFiles())
          .extracting(p -> p.getFileName().toString())
          .containsExactly("freshcache-shop-a.pending");

      link.heal();
      await().atMost(WAIT).until(() -> markerFiles().isEmpty());
    }
  }

  @Test
  void aMarkerLeftByAProcessThatIsGoneMakesEveryInstanceClearTheGroup() throws IOException {
    // What a killed process leaves: the file, and no lock on it (its locks died with it).
    Files.writeString(markers.resolve("freshcache-shop-dead.pending"), "group shop, pid 1\n");
    try (CacheGroup reader = CacheGroup.builder("shop").bus(bus.link()).instanceId("r").build()) {
      FreshCache<String, String> users =
          reader.cache("users", String.class, String.class).source(k -> "v").build();
      users.get("never-invalidated-by-anyone-alive");

      try (CacheGroup restarted =
          CacheGroup.builder("shop")
              .bus(bus.link())
              .instanceId("restarted")
              .outboxMarkers(markers)
              .build()) {
        await()
            .atMost(WAIT)
            .until(() -> users.getIfPresent("never-invalidated-by-anyone-alive") == null);
        await().atMost(WAIT).until(() -> markerFiles().isEmpty());
      }
    }
  }

  @Test
  void aLiveInstancesMarkerIsNotMistakenForAnOrphan() throws IOException {
    PartitionableBus.Link link = bus.link();
    try (CacheGroup alive =
            CacheGroup.builder("shop")
                .bus(link)
                .instanceId("alive")
                .outboxMarkers(markers)
                .build();
        CacheGroup reader = CacheGroup.builder("shop").bus(bus.link()).instanceId("r").build()) {
      FreshCache<String, String> users =
          reader.cache("users", String.class, String.class).source(k -> "v").build();
      users.get("x");
      link.cut();
      alive.invalidateKeys("k"); // alive's marker is on disk, locked
      try (CacheGroup other =
          CacheGroup.builder("shop")
              .bus(bus.link())
              .instanceId("other")
              .outboxMarkers(markers)
              .build()) {
        assertThat(other.stats().outboxDepth()).isZero(); // found nothing to clear
        assertThat(users.getIfPresent("x")).isEqualTo("v");
      }
      link.heal();
    }
  }

  @Test
  void closingWithInvalidationsUndeliveredLeavesTheMarkerForTheNextStart() throws IOException {
    PartitionableBus.Link link = bus.link();
    CacheGroup group =
        CacheGroup.builder("shop").bus(link).instanceId("a").outboxMarkers(markers).build();
    link.cut();
    group.invalidateKeys("k");
    group.close();
    assertThat(markerFiles()).hasSize(1);
  }
}
